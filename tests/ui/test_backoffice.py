"""The officials' back office, driven in the kernel: set values, click buttons, read the store."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from datetime import date, datetime

import pytest

from kynangso.domain.dossier import State
from kynangso.i18n import set_language
from kynangso.sandbox.store import Sandbox
from kynangso.ui.backoffice import BackofficeScreen

from helpers import plain

MONDAY_8AM = datetime(2025, 11, 10, 8, 0)
APPLICANT = {"ho_ten": "Nguyễn Thị Lan", "cccd": "038190999001"}
# thuong-tru: 7 working days, so a dossier received Monday 10/11/2025 is due 19/11/2025.
RESIDENCE_DOCS = ("to-khai-ct01", "cho-o-hop-phap")


@pytest.fixture
def world(tmp_path):
    """An official's store, a volunteer and a trainer in the same frozen-clock world."""
    box = Sandbox.open(tmp_path, actor="cb-binh", role="official", start=MONDAY_8AM,
                       clock_running=False)
    yield box, box.as_actor("tnv-an", "trainee"), box.as_actor("gv", "trainer")
    box.close()
    set_language("vi")


def submit(volunteer, procedure="thuong-tru", documents=RESIDENCE_DOCS):
    """What a volunteer does in the portal: create and submit (as another actor)."""
    dossier = volunteer.dossiers.create(procedure, APPLICANT, channel="cong-dvc",
                                        documents=documents,
                                        form={"dia_chi": "Tổ 3, phường Trúc Lâm"})
    volunteer.dossiers.submit(dossier.code)
    return dossier.code


def opened(box, code):
    screen = BackofficeScreen(box)
    screen.picker.value = code
    screen.open_button.click()
    return screen


def detail_text(screen):
    """The open dossier's card as plain text: above and below its scans."""
    return plain(screen.detail_html.value + " " + screen.detail_rest.value)


def row_class(html, code):
    match = re.search(rf'<tr(?: class="([\w-]+)")?><td>{re.escape(code)}</td>', html)
    assert match, f"{code} not in table"
    return match.group(1) or ""


# --- who may use it ---------------------------------------------------------------------


def test_screen_is_refused_to_a_trainee_with_a_clear_message(world):
    _, volunteer, _ = world
    screen = BackofficeScreen(volunteer)
    assert "dành cho cán bộ một cửa" in screen.message_text
    assert "Học viên" in screen.message_text
    assert not hasattr(screen, "picker")
    assert volunteer.events(action="backoffice.wrong_role")[0].payload == {"role": "trainee"}


def test_trainer_may_demonstrate_the_desk(world):
    _, volunteer, trainer = world
    code = submit(volunteer)
    assert code in BackofficeScreen(trainer).waiting_table.value


# --- lists ----------------------------------------------------------------------------------


def test_submitted_dossier_waits_for_reception_and_drafts_stay_hidden(world):
    box, volunteer, _ = world
    code = submit(volunteer)
    draft = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc").code
    screen = BackofficeScreen(box)
    assert "Hồ sơ chờ tiếp nhận (1)" in screen.waiting_title.value
    assert code in screen.waiting_table.value and "Nguyễn Thị Lan" in screen.waiting_table.value
    assert code not in screen.dossier_table.value
    assert draft not in screen.waiting_table.value + screen.dossier_table.value
    assert draft not in [c for _label, c in screen.picker.options]


def test_dossier_withdrawn_before_submitting_is_not_the_desks(world):
    box, volunteer, _ = world
    kept = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc").code
    volunteer.dossiers.move(kept, State.WITHDRAWN)
    gone = submit(volunteer)
    volunteer.dossiers.move(gone, State.WITHDRAWN)
    screen = BackofficeScreen(box)
    assert kept not in screen.dossier_table.value
    assert gone in screen.dossier_table.value and "Đã rút" in screen.dossier_table.value


def test_volunteer_submission_appears_after_refresh(world):
    box, volunteer, _ = world
    screen = BackofficeScreen(box)
    assert "Không có hồ sơ nào đang chờ tiếp nhận" in screen.waiting_table.value
    code = submit(volunteer)  # role play: the volunteer submits in the portal meanwhile
    assert code not in screen.waiting_table.value
    screen.refresh_button.click()
    assert code in screen.waiting_table.value
    assert code in [c for _label, c in screen.picker.options]
    assert "Đã cập nhật danh sách" in screen.message_text


def test_filters_by_state_and_procedure(world):
    box, volunteer, _ = world
    residence = submit(volunteer)
    temporary = submit(volunteer, "tam-tru", ["to-khai-ct01"])
    box.dossiers.receive(residence)
    box.dossiers.receive(temporary)
    box.dossiers.move(temporary, State.PROCESSING)
    screen = BackofficeScreen(box)
    screen.state_filter.value = State.PROCESSING.value
    assert temporary in screen.dossier_table.value and residence not in screen.dossier_table.value
    assert "đang lọc: 1/2" in screen.list_title.value
    screen.state_filter.value = ""
    screen.procedure_filter.value = "thuong-tru"
    assert residence in screen.dossier_table.value and temporary not in screen.dossier_table.value
    screen.state_filter.value = State.RESOLVED.value
    assert "Không có hồ sơ nào khớp bộ lọc" in screen.dossier_table.value


def test_rows_are_coloured_early_on_time_and_late_by_simulated_today(world):
    box, volunteer, trainer = world
    code = submit(volunteer)
    box.dossiers.receive(code)
    screen = BackofficeScreen(box)
    assert row_class(screen.dossier_table.value, code) == "kns-early"
    assert "còn 7 ngày làm việc" in screen.dossier_table.value
    trainer.set_clock(datetime(2025, 11, 19, 9, 0))  # the due day
    screen.refresh_button.click()
    assert row_class(screen.dossier_table.value, code) == "kns-ontime"
    assert "Đến hạn hôm nay" in screen.dossier_table.value
    trainer.set_clock(datetime(2025, 11, 21, 9, 0))  # two working days later
    screen.refresh_button.click()
    assert row_class(screen.dossier_table.value, code) == "kns-late"
    assert "Quá hạn 2 ngày làm việc" in screen.dossier_table.value


def test_resolved_dossier_keeps_its_timeliness(world):
    box, volunteer, trainer = world
    code = submit(volunteer)
    box.dossiers.receive(code)
    box.dossiers.move(code, State.PROCESSING)
    trainer.set_clock(datetime(2025, 11, 20, 9, 0))
    box.dossiers.move(code, State.RESOLVED)
    trainer.set_clock(datetime(2025, 12, 1, 9, 0))
    screen = BackofficeScreen(box)
    assert row_class(screen.dossier_table.value, code) == "kns-late"
    assert "Giải quyết quá hạn" in screen.dossier_table.value


# --- one dossier ---------------------------------------------------------------------------


def test_open_without_choosing_names_the_field(world):
    box, _, _ = world
    screen = BackofficeScreen(box)
    screen.open_button.click()
    assert "Chưa chọn Mã hồ sơ" in screen.message_text
    assert box.events(action="backoffice.opened_dossier") == []


def test_unknown_code_shows_the_store_message(world):
    box, _, _ = world
    screen = BackofficeScreen(box)
    screen.guard(screen.open_dossier)("TRUCLAM-251110-0099")
    assert "Không tìm thấy hồ sơ có mã TRUCLAM-251110-0099" in screen.message_text


def test_opening_shows_applicant_documents_fee_history_and_is_logged(world):
    box, volunteer, _ = world
    code = submit(volunteer, documents=["to-khai-ct01"])
    screen = opened(box, code)
    detail = detail_text(screen)
    assert "Họ và tên Nguyễn Thị Lan" in detail
    assert "Địa chỉ nơi ở hiện tại Tổ 3, phường Trúc Lâm" in detail
    assert "Thiếu 1 giấy tờ bắt buộc: Giấy tờ chứng minh chỗ ở hợp pháp" in detail
    assert "10.000 ₫ — CHƯA NỘP" in detail
    assert "Đã nộp 10/11/2025 08:00 tnv-an" in detail
    assert "«Đã tiếp nhận»" in detail  # the next allowed steps
    missing = re.search(r'<tr class="kns-late"><td>Giấy tờ chứng minh chỗ ở hợp pháp</td>',
                        screen.detail_html.value)
    assert missing, "a missing required document is highlighted"
    event = box.events(action="backoffice.opened_dossier")[0]
    assert (event.subject, event.actor, event.payload["state"]) == (code, "cb-binh", "submitted")


def test_complete_documents_and_paid_fee_are_shown(world):
    box, volunteer, _ = world
    code = submit(volunteer)
    box.dossiers.mark_fee_paid(code, "TT-0001", 10_000)
    detail = detail_text(opened(box, code))
    assert "Đủ giấy tờ bắt buộc" in detail
    assert "10.000 ₫ — ĐÃ NỘP" in detail


def test_unverified_fee_is_shown_as_unverified(world):
    box, volunteer, _ = world
    procedure = volunteer.dossiers.catalogue["gia-han-bhyt"]
    dossier = volunteer.dossiers.create("gia-han-bhyt", APPLICANT, channel=procedure.channels[0])
    volunteer.dossiers.submit(dossier.code)
    assert "chưa kiểm chứng, không thu" in detail_text(opened(box, dossier.code))


# --- actions -------------------------------------------------------------------------------


def test_receive_computes_and_shows_the_due_date(world):
    box, volunteer, _ = world
    code = submit(volunteer)
    screen = opened(box, code)
    screen.receive_button.click()
    assert "Ngày hẹn trả kết quả: 19/11/2025" in screen.message_text
    assert "7 ngày làm việc" in screen.message_text
    assert box.dossiers.get(code).due_date == date(2025, 11, 19)
    assert code in screen.dossier_table.value and code not in screen.waiting_table.value
    assert "Ngày hẹn trả kết quả: 19/11/2025" in detail_text(screen)


def test_full_flow_writes_the_desk_events(world):
    box, volunteer, _ = world
    code = submit(volunteer)
    screen = opened(box, code)
    for button in (screen.receive_button, screen.processing_button, screen.resolve_button,
                   screen.return_button):
        button.click()
    assert "Đã trả kết quả hồ sơ" in screen.message_text
    assert box.dossiers.get(code).state is State.RESULT_RETURNED
    desk = [e.action for e in box.events(subject=code, actor="cb-binh")
            if e.action.startswith("dossier.")]
    assert desk == ["dossier.received", "dossier.processing", "dossier.resolved",
                    "dossier.result_returned"]
    assert "Giải quyết trước hạn" in screen.dossier_table.value
    assert row_class(screen.dossier_table.value, code) == "kns-early"


def test_refused_move_shows_the_domain_message_and_changes_nothing(world):
    box, volunteer, _ = world
    code = submit(volunteer)
    screen = opened(box, code)
    before = box.dossiers.get(code)
    screen.resolve_button.click()
    assert "đang ở trạng thái «Đã nộp», không thể chuyển sang «Đã giải quyết»" in (
        screen.message_text)
    assert box.dossiers.get(code) == before
    assert box.events(action="dossier.resolved") == []
    refused = box.events(action="backoffice.action_refused")[0]
    assert refused.payload["step"] == "resolve" and refused.payload["field"] == "trang_thai"


def test_supplement_needs_a_reason(world):
    box, volunteer, _ = world
    code = submit(volunteer, documents=["to-khai-ct01"])
    screen = opened(box, code)
    screen.receive_button.click()
    screen.reason.value = "   "
    screen.supplement_button.click()
    assert "Chưa nhập Lý do" in screen.message_text
    assert box.dossiers.get(code).state is State.RECEIVED
    screen.reason.value = "Thiếu giấy tờ chứng minh chỗ ở hợp pháp"
    screen.supplement_button.click()
    assert box.dossiers.get(code).state is State.SUPPLEMENT_REQUESTED
    assert "Đã gửi yêu cầu bổ sung" in screen.message_text
    assert screen.reason.value == ""
    assert "Đang chờ người nộp bổ sung: Thiếu giấy tờ" in detail_text(screen)
    assert "đang chờ người nộp" in detail_text(screen)


def test_reject_needs_a_reason(world):
    box, volunteer, _ = world
    code = submit(volunteer)
    screen = opened(box, code)
    screen.reject_button.click()
    assert "Chưa nhập Lý do" in screen.message_text
    assert box.dossiers.get(code).state is State.SUBMITTED
    screen.reason.value = "Không thuộc thẩm quyền của phường"
    screen.reject_button.click()
    assert box.dossiers.get(code).state is State.REJECTED
    assert "Không thuộc thẩm quyền của phường" in detail_text(screen)
    assert row_class(screen.dossier_table.value, code) == ""


def test_unverified_deadline_asks_for_a_due_date(world):
    box, volunteer, _ = world
    procedure = volunteer.dossiers.catalogue["khai-tu"]
    docs = [d.code for d in procedure.required_documents]
    dossier = volunteer.dossiers.create("khai-tu", APPLICANT, channel="cong-dvc",
                                        documents=docs)
    volunteer.dossiers.submit(dossier.code)
    screen = opened(box, dossier.code)
    assert screen.manual_due in screen.detail.children
    screen.receive_button.click()
    assert "chưa kiểm chứng" in screen.message_text and "ngày hẹn" in screen.message_text
    assert box.dossiers.get(dossier.code).state is State.SUBMITTED
    assert "kns-invalid" in screen.manual_due._dom_classes  # the refusal marks the box
    screen.manual_due.value = "12/11/2025"
    screen.receive_button.click()
    assert box.dossiers.get(dossier.code).due_date == date(2025, 11, 12)
    assert "kns-invalid" not in screen.manual_due._dom_classes


def test_verified_deadline_has_no_manual_date(world):
    box, volunteer, _ = world
    screen = opened(box, submit(volunteer))
    assert screen.manual_due not in screen.detail.children


def test_apology_slip_checks_date_and_reason(world):
    box, volunteer, trainer = world
    code = submit(volunteer)
    screen = opened(box, code)
    screen.receive_button.click()
    screen.processing_button.click()
    trainer.set_clock(datetime(2025, 11, 19, 14, 0))
    before = box.dossiers.get(code)

    screen.apology_reason.value = "Chờ xác minh của công an"
    screen.apology_button.click()  # no date typed
    assert screen.message_text.startswith("Chưa nhập Ngày hẹn trả mới")
    assert "kns-invalid" in screen.new_due._dom_classes
    screen.new_due.value = "19/11/2025"  # not later than the due date
    screen.apology_button.click()
    assert "phải sau ngày hẹn hiện tại 19/11/2025" in screen.message_text
    screen.new_due.value = "24/11/2025"
    screen.apology_reason.value = ""
    screen.apology_button.click()
    assert "Chưa nhập Lý do" in screen.message_text
    assert "kns-invalid" in screen.apology_reason._dom_classes
    assert "kns-invalid" not in screen.new_due._dom_classes
    assert box.dossiers.get(code) == before
    assert box.events(action="dossier.apology") == []

    screen.apology_reason.value = "Chờ xác minh của công an"
    screen.apology_button.click()
    assert "hẹn trả kết quả vào 24/11/2025" in screen.message_text
    assert box.dossiers.get(code).due_date == date(2025, 11, 24)
    detail = detail_text(screen)
    assert "Phiếu xin lỗi và hẹn lại ngày trả kết quả" in detail
    assert "Ngày hẹn trả kết quả ban đầu: 19/11/2025" in detail
    assert "24/11/2025" in screen.dossier_table.value
    assert "(đã hẹn lại bằng phiếu xin lỗi)" in screen.dossier_table.value
    assert screen.new_due.value == ""


def test_apology_refused_before_reception(world):
    box, volunteer, _ = world
    code = submit(volunteer)
    screen = opened(box, code)
    screen.new_due.value = "30/11/2025"
    screen.apology_reason.value = "Chậm"
    screen.apology_button.click()
    assert "chỉ lập phiếu xin lỗi cho hồ sơ đã tiếp nhận" in screen.message_text
    assert box.dossiers.get(code).apology is None


def test_action_after_someone_else_moved_it_shows_the_new_state(world):
    box, volunteer, _ = world
    code = submit(volunteer)
    screen = opened(box, code)
    box.as_actor("cb-khac", "official").dossiers.receive(code)
    screen.receive_button.click()
    assert "«Đã tiếp nhận», không thể chuyển sang «Đã tiếp nhận»" in screen.message_text
    assert "Đã tiếp nhận" in detail_text(screen)


# --- KPI -----------------------------------------------------------------------------------


def test_kpi_panel_counts_early_on_time_late_and_pending(world):
    box, volunteer, trainer = world
    early, on_time, late, pending, rejected = (submit(volunteer) for _ in range(5))
    for code in (early, on_time, late, pending):
        box.dossiers.receive(code)
        box.dossiers.move(code, State.PROCESSING)
    box.dossiers.move(rejected, State.REJECTED, note="Sai thẩm quyền")
    box.dossiers.move(early, State.RESOLVED)
    trainer.set_clock(datetime(2025, 11, 19, 10, 0))
    box.dossiers.move(on_time, State.RESOLVED)
    trainer.set_clock(datetime(2025, 11, 20, 10, 0))
    box.dossiers.move(late, State.RESOLVED)
    fresh = submit(volunteer)  # received 20/11/2025: not due yet
    box.dossiers.receive(fresh)

    screen = BackofficeScreen(box)
    screen.kpi_button.click()
    kpi = plain(screen.kpi_html.value)
    # `pending` is past its due date 19/11 on the clock's day: late, in the denominator;
    # `fresh` is not due yet: reported on its own, outside the denominator.
    assert ("Trước hạn 1 25,0% (1/4) Đúng hạn 1 25,0% (1/4) "
            "Quá hạn 2 50,0% (2/4); trong đó 1 chưa giải quyết "
            "Đang xử lý, chưa đến hạn 1 không tính vào mẫu số") in kpi
    assert ("Tính đến 10:00 ngày 20/11/2025: tiếp nhận 5 hồ sơ; 25,0% (1/4) trước hạn; "
            "50,0% (2/4) trước và đúng hạn; 2 hồ sơ quá hạn (trong đó 1 hồ sơ chưa giải "
            "quyết); 1 hồ sơ đang xử lý, chưa đến hạn (không tính vào mẫu số)") in kpi
    assert "Quá hạn 2 50,0% (2/4)" in kpi  # the summary table's row
    assert "1 hồ sơ bị từ chối không tính vào báo cáo" in kpi
    assert "Quyết định 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ" in kpi
    assert "ngày hẹn trả ban đầu, không theo ngày hẹn mới" in kpi
    assert "định nghĩa pháp lý của các thuật ngữ này chưa kiểm chứng" in kpi
    assert box.events(action="backoffice.kpi_viewed")
    assert screen.kpi_button.description == "Ẩn báo cáo KPI"
    screen.kpi_button.click()
    assert screen.kpi_panel.children == ()


def test_kpi_follows_actions_while_open(world):
    box, volunteer, _ = world
    code = submit(volunteer)
    screen = opened(box, code)
    screen.kpi_button.click()
    assert "Đã tiếp nhận 0 hồ sơ; chưa hồ sơ nào có kết quả" in plain(screen.kpi_html.value)
    screen.receive_button.click()
    assert "Đã tiếp nhận 1 hồ sơ" in plain(screen.kpi_html.value)
    screen.processing_button.click()
    screen.resolve_button.click()
    assert "100,0% (1/1) trước hạn" in plain(screen.kpi_html.value)


def test_pandas_is_imported_only_when_the_kpi_panel_opens(tmp_path):
    code = (
        "import sys\n"
        "from datetime import datetime\n"
        "from kynangso.sandbox.store import Sandbox\n"
        "from kynangso.ui.backoffice import BackofficeScreen\n"
        f"box = Sandbox.open({str(tmp_path)!r}, role='official', actor='cb',"
        " start=datetime(2025, 11, 10, 8), clock_running=False)\n"
        "screen = BackofficeScreen(box)\n"
        "print('pandas' in sys.modules)\n"
        "screen.kpi_button.click()\n"
        "print('pandas' in sys.modules, 'Trước hạn' in screen.kpi_html.value)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["False", "True", "True"]


# --- reload, language ----------------------------------------------------------------------


def test_a_new_screen_over_the_same_store_shows_the_work_done(world, tmp_path):
    box, volunteer, _ = world
    code = submit(volunteer)
    screen = opened(box, code)
    screen.receive_button.click()
    box.close()
    again = Sandbox.open(tmp_path, actor="cb-binh", role="official")
    try:
        reloaded = BackofficeScreen(again)
        assert row_class(reloaded.dossier_table.value, code) == "kns-early"
        assert "19/11/2025" in reloaded.dossier_table.value
        reloaded.picker.value = code
        reloaded.open_button.click()
        assert "Đã tiếp nhận 10/11/2025 08:00 cb-binh" in detail_text(reloaded)
    finally:
        again.close()


def test_language_switch_keeps_the_open_dossier(world):
    box, volunteer, _ = world
    code = submit(volunteer)
    screen = opened(box, code)
    screen.language.value = "en"
    screen.language.value = "vi"
    assert screen.current == code
    assert code in screen.detail_html.value
    assert screen.picker.value == code
    assert len(box.events(action="backoffice.opened_dossier")) == 1


def test_form_reads_with_the_portal_labels_and_file_names(world):
    box, volunteer, _ = world
    dossier = volunteer.dossiers.create(
        "chung-thuc-ban-sao", APPLICANT, channel="cong-dvc", documents=["ban-chinh"],
        form={"so_trang": 3, "tep_dinh_kem": {"ban-chinh": {"ten_tep": "bang-tot-nghiep.png"}}})
    volunteer.dossiers.submit(dossier.code)
    detail = detail_text(opened(box, dossier.code))
    assert "Số trang của bản chính 3" in detail
    assert "Tệp đính kèm bang-tot-nghiep.png" in detail and "so_trang" not in detail


def test_the_form_reads_as_the_resident_chose_it_not_as_stored_codes(world):
    box, volunteer, _ = world
    dossier = volunteer.dossiers.create(
        "thuong-tru", APPLICANT, channel="cong-dvc", documents=RESIDENCE_DOCS,
        form={"dia_chi": "Tổ 3, phường Trúc Lâm", "nhan_ket_qua": "truc-tiep"})
    volunteer.dossiers.submit(dossier.code)
    detail = detail_text(opened(box, dossier.code))
    assert "Hình thức nhận kết quả Nhận trực tiếp" in detail
    assert "truc-tiep" not in detail


def test_apology_slip_dossier_resolved_after_the_original_date_is_late(world):
    # Bug: the report judged it against the slip's new date and showed 100,0% trước hạn.
    box, volunteer, trainer = world
    code = submit(volunteer)  # due 19/11/2025
    box.dossiers.receive(code)
    box.dossiers.move(code, State.PROCESSING)
    trainer.set_clock(datetime(2025, 11, 19, 14, 0))
    box.dossiers.apologise(code, new_due=date(2025, 11, 24), reason="Chờ xác minh")
    trainer.set_clock(datetime(2025, 11, 21, 10, 0))  # after 19/11, before 24/11
    box.dossiers.move(code, State.RESOLVED)

    screen = BackofficeScreen(box)
    assert row_class(screen.dossier_table.value, code) == "kns-late"
    assert "Giải quyết quá hạn (đã hẹn lại bằng phiếu xin lỗi)" in screen.dossier_table.value
    screen.kpi_button.click()
    kpi = plain(screen.kpi_html.value)
    assert "100,0% (1/1) trước hạn" not in kpi
    assert "Trước hạn 0 0,0% (0/1)" in kpi and "Quá hạn 1 100,0% (1/1)" in kpi


def test_apology_slip_dossier_pending_after_the_original_date_is_overdue(world):
    box, volunteer, trainer = world
    code = submit(volunteer)  # due 19/11/2025
    box.dossiers.receive(code)
    trainer.set_clock(datetime(2025, 11, 19, 14, 0))
    box.dossiers.apologise(code, new_due=date(2025, 11, 24), reason="Chờ xác minh")
    trainer.set_clock(datetime(2025, 11, 21, 10, 0))  # before the new date 24/11
    screen = BackofficeScreen(box)
    assert row_class(screen.dossier_table.value, code) == "kns-late"
    assert [d.code for d in box.dossiers.overdue()] == [code]
    screen.kpi_button.click()
    assert "Quá hạn 1 100,0% (1/1); trong đó 1 chưa giải quyết" in plain(screen.kpi_html.value)


# --- what the due date rests on (receipt rule, unverified days off) --------------------------

RECEIPT_RULE = ("Hồ sơ nhận sau 17:00 hoặc vào ngày nghỉ được tính từ ngày làm việc tiếp "
                "theo — quy ước của phòng thực hành")


def test_due_date_always_shows_the_receipt_rule_to_the_official(world):
    box, volunteer, _ = world
    code = submit(volunteer)
    screen = opened(box, code)
    screen.receive_button.click()
    assert RECEIPT_RULE in screen.message_text
    detail = detail_text(screen)
    assert "Ngày hẹn trả kết quả: 19/11/2025" in detail and RECEIPT_RULE in detail
    assert "ngày nghỉ chưa kiểm chứng" not in detail


def test_due_date_names_the_unverified_day_off_it_counts(world):
    box, volunteer, trainer = world
    code = submit(volunteer)
    trainer.set_clock(datetime(2026, 11, 20, 17, 30))  # Friday, after closing
    screen = opened(box, code)
    screen.receive_button.click()
    note = "Hạn này tính cả ngày nghỉ chưa kiểm chứng: 24/11/2026 – Ngày Văn hóa Việt Nam"
    assert box.dossiers.get(code).due_date == date(2026, 12, 3)  # from Monday 23/11
    assert note in screen.message_text
    detail = detail_text(screen)
    assert "Ngày hẹn trả kết quả: 03/12/2026" in detail
    assert note in detail and RECEIPT_RULE in detail


# --- issue 13: labels, scans, the slip on paper, typed dates, reload ---------------------------


def vneid_dossier(volunteer, documents=RESIDENCE_DOCS, files=None):
    """What VNeID's hand-off stores: codes for sex and source, as the app sends them."""
    applicant = {**APPLICANT, "gioi_tinh": "nu", "ngay_sinh": "05/09/1985"}
    form = {"nguon": "vneid", **({"tep_dinh_kem": files} if files else {})}
    dossier = volunteer.dossiers.create("thuong-tru", applicant, channel="vneid",
                                        documents=documents, form=form)
    volunteer.dossiers.submit(dossier.code)
    return dossier.code


def test_the_desk_reads_labels_not_stored_codes(world):
    box, volunteer, _ = world
    box.learners.join("Lê Thị Bình")
    volunteer.learners.join("Trần Văn An")
    code = vneid_dossier(volunteer)
    screen = opened(box, code)
    screen.receive_button.click()
    shown = detail_text(screen)
    assert "Giới tính Nữ" in shown and "Nguồn hồ sơ VNeID" in shown
    assert "Kênh nộp: VNeID" in shown
    # The history names people, not their ids.
    assert "Đã nộp 10/11/2025 08:00 Trần Văn An" in shown
    assert "Đã tiếp nhận 10/11/2025 08:00 Lê Thị Bình" in shown
    for stored in (" nu ", "vneid", "tnv-an", "cb-binh", "received", "submitted"):
        assert stored not in f" {shown} ", stored
    assert "VNeID" in screen.waiting_table.value + screen.dossier_table.value


def test_shown_value_keeps_what_it_does_not_know():
    from kynangso.ui.backoffice import shown_value

    assert shown_value("gioi_tinh", "nam") == "Nam"
    assert shown_value("gioi_tinh", "không rõ") == "không rõ"
    assert shown_value("nguon", "cong-dvc") == "Cổng Dịch vụ công quốc gia"
    assert shown_value("trang_thai", "processing") == "Đang xử lý"
    assert shown_value("ghi_chu", "vneid") == "vneid"  # a free text field stays as typed


def test_a_learner_without_a_name_is_shown_by_id(world):
    box, volunteer, _ = world
    code = submit(volunteer)
    assert "Đã nộp 10/11/2025 08:00 tnv-an" in detail_text(opened(box, code))


def attached_files():
    from kynangso.domain.attachments import Attachment, sample_attachment, samples_for

    [form_scan] = samples_for("to-khai-ct01")
    sample = sample_attachment("to-khai-ct01", form_scan)
    upload = Attachment("cho-o-hop-phap", "hop-dong-thue-nha.pdf", 234_567, "tai-len", "ab" * 32)
    return {"to-khai-ct01": sample.to_dict(), "cho-o-hop-phap": upload.to_dict()}


def scan_button(screen, name):
    return next(b for b in screen.scan_buttons.children if b.description == f"Xem bản scan: {name}")


def test_attached_scans_open_in_a_preview_with_a_text_alternative(world):
    box, volunteer, _ = world
    code = vneid_dossier(volunteer, files=attached_files())
    screen = opened(box, code)
    assert [b.description for b in screen.scan_buttons.children] == [
        "Xem bản scan: Tờ khai thay đổi thông tin cư trú (CT01)",
        "Xem bản scan: Giấy tờ chứng minh chỗ ở hợp pháp"]
    assert "<img" not in screen.scan_view.value

    scan_button(screen, "Tờ khai thay đổi thông tin cư trú (CT01)").click()
    figure = screen.scan_view.value
    assert 'src="data:image/png;base64,' in figure
    alt = re.search(r'alt="([^"]+)"', figure).group(1)
    assert alt.startswith("Bản scan giả lập của «Tờ khai thay đổi thông tin cư trú")
    assert "Tờ khai đã điền (mẫu)" in alt
    assert "Đang xem bản scan" in screen.message_text

    scan_button(screen, "Giấy tờ chứng minh chỗ ở hợp pháp").click()
    figure = screen.scan_view.value
    svg = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', figure).group(1)
    page = base64.b64decode(svg).decode("utf-8")
    assert "BẢN SCAN GIẢ LẬP" in page and "GIẤY TỜ CHỨNG MINH CHỖ Ở" in page
    assert "hop-dong-thue-nha.pdf" in page
    assert "hop-dong-thue-nha.pdf (229 KB, tệp tải lên)" in plain(figure)
    assert "không lưu nội dung" in re.search(r'alt="([^"]+)"', figure).group(1)
    assert [(e.payload["document"], e.payload["sample"])
            for e in box.events(action="backoffice.scan_viewed")] == [
        ("to-khai-ct01", True), ("cho-o-hop-phap", False)]

    next(b for b in screen.scan_buttons.children if b.description == "Đóng bản xem").click()
    assert "<img" not in screen.scan_view.value


def test_a_document_attached_without_a_file_still_previews(world):
    box, volunteer, _ = world
    code = submit(volunteer)  # documents named, no file details (a script's dossier)
    screen = opened(box, code)
    scan_button(screen, "Giấy tờ chứng minh chỗ ở hợp pháp").click()
    assert "data:image/svg+xml" in screen.scan_view.value


def test_a_reload_brings_back_the_open_dossier_its_scan_and_the_kpi(world):
    box, volunteer, _ = world
    code = vneid_dossier(volunteer, files=attached_files())
    screen = opened(box, code)
    scan_button(screen, "Tờ khai thay đổi thông tin cư trú (CT01)").click()
    screen.kpi_button.click()
    again = BackofficeScreen(box)
    assert again.current == code and code in again.detail_html.value
    assert "data:image/png" in again.scan_view.value
    assert again.kpi_panel.children
    assert len(box.events(action="backoffice.opened_dossier")) == 1
    next(b for b in again.detail.children[2].children if b.description == "Đóng hồ sơ").click()
    assert BackofficeScreen(box).current is None


def late_with_slip(world):
    box, volunteer, trainer = world
    box.learners.join("Lê Thị Bình")
    code = submit(volunteer)  # due 19/11/2025
    screen = opened(box, code)
    screen.receive_button.click()
    trainer.set_clock(datetime(2025, 11, 19, 14, 0))
    screen.new_due.value = "24/11/2025"
    screen.apology_reason.value = "Chờ xác minh của công an"
    screen.apology_button.click()
    return screen, code


def test_the_apology_slip_downloads_as_a_page_to_print(world):
    screen, code = late_with_slip(world)
    assert "Tải phiếu ở mục «Phiếu xin lỗi đã lập»" in screen.message_text
    links = screen.slip_downloads.value
    stem = "phieu-xin-loi-" + code.replace(".", "-").lower()
    assert f'download="{stem}.html"' in links
    encoded = re.search(r'href="data:text/html;charset=utf-8;base64,([^"]+)"', links).group(1)
    page = base64.b64decode(encoded).decode("utf-8")
    assert '<html lang="vi">' in page and "@media print" in page and "size: A5" in page
    words = plain(page)
    for expected in ("ỦY BAN NHÂN DÂN PHƯỜNG TRÚC LÂM",
                     "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG TRÚC LÂM",
                     "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
                     "Kính gửi: Ông/Bà Nguyễn Thị Lan", f"Mã hồ sơ {code}",
                     "Thủ tục Đăng ký thường trú",
                     "Ngày hẹn trả kết quả ban đầu 19/11/2025",
                     "Ngày hẹn trả kết quả mới 24/11/2025",
                     "Lý do chậm trả kết quả Chờ xác minh của công an",
                     "Trúc Lâm, ngày 19 tháng 11 năm 2025", "Lê Thị Bình", "BẢN TẬP DƯỢT",
                     "Mẫu số 04", "Thông tư 01/2018/TT-VPCP", "Thông tư 03/2025/TT-VPCP"):
        assert expected in words, expected
    assert box_events(screen, "backoffice.slip_printed") == []


def box_events(screen, action):
    return screen.box.events(action=action)


def test_the_apology_slip_as_a_pdf_on_request(world):
    screen, _code = late_with_slip(world)
    assert "kns-slip-pdf" not in screen.slip_downloads.value  # made only when asked
    screen.slip_pdf_button.click()
    links = screen.slip_downloads.value
    encoded = re.search(r'href="data:application/pdf;base64,([^"]+)"', links).group(1)
    assert base64.b64decode(encoded)[:5] == b"%PDF-"
    assert "kns-slip-html" in links  # the page to print stays offered
    assert box_events(screen, "backoffice.slip_printed")[0].payload == {
        "formats": ["html", "pdf"]}
    assert "PDF" in screen.message_text


def test_a_dossier_without_a_slip_offers_none(world):
    box, volunteer, _ = world
    screen = opened(box, submit(volunteer))
    assert screen.slip_box.children == ()


@pytest.mark.parametrize("typed", ["31/02/2026", "2026-03-05", "mai"])
def test_a_bad_date_is_refused_on_its_field_without_echoing_it(world, typed):
    box, volunteer, _ = world
    code = submit(volunteer)
    screen = opened(box, code)
    screen.receive_button.click()
    screen.new_due.value = typed
    screen.apology_reason.value = "Chờ xác minh"
    screen.apology_button.click()
    # The date rule's own words (domain/identity.py), naming the field, not the input.
    assert screen.message_text.startswith("Ngày hẹn trả kết quả")
    assert typed not in screen.message_text
    assert "kns-invalid" in screen.new_due._dom_classes
    assert box.dossiers.get(code).apology is None
    refused = box.events(action="backoffice.action_refused")[-1].payload
    assert (refused["step"], refused["field"]) == ("apologise", "ngay_hen_tra")


def test_date_boxes_are_typed_with_a_vietnamese_placeholder(world):
    import ipywidgets as W

    box, volunteer, _ = world
    screen = opened(box, submit(volunteer))
    assert isinstance(screen.new_due, W.Text) and isinstance(screen.manual_due, W.Text)
    assert screen.new_due.placeholder == "ngày/tháng/năm, ví dụ 05/03/2026"
    assert not [w for w in walk(screen.widget) if isinstance(w, W.DatePicker)]


def walk(root):
    yield root
    for child in getattr(root, "children", ()):
        yield from walk(child)


def test_the_picker_starts_unchosen_and_an_empty_choice_marks_it(world):
    box, volunteer, _ = world
    code = submit(volunteer)
    screen = BackofficeScreen(box)
    assert screen.picker.options[0] == ("Chưa chọn", None) and screen.picker.value is None
    assert (code in [c for _label, c in screen.picker.options])
    screen.open_button.click()
    assert "kns-invalid" in screen.picker._dom_classes
    screen.picker.value = code
    screen.open_button.click()
    assert "kns-invalid" not in screen.picker._dom_classes


def test_the_desk_starts_with_a_step_heading(world):
    box, volunteer, _ = world
    screen = BackofficeScreen(box)
    assert screen.body.children[0].value.startswith('<h2 class="kns-step"')
    assert "Bàn làm việc của cán bộ một cửa" in screen.body.children[0].value
    refused = BackofficeScreen(volunteer)
    assert refused.body.children[0].value.startswith('<h2 class="kns-step"')


# --- the slip's data and paper (domain/slips.py) ----------------------------------------------


def test_the_slip_names_the_official_forms_it_follows():
    from kynangso.domain.slips import slip_template

    template = slip_template()
    assert template.title == "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    assert template.paper == "A5"
    [old, current] = template.forms
    assert (old.number, old.title) == ("Mẫu số 04", "Phiếu xin lỗi và hẹn lại ngày trả kết quả")
    assert old.circular.startswith("Thông tư 01/2018/TT-VPCP")
    assert current.title == "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    assert current.circular.startswith("Thông tư 03/2025/TT-VPCP")
    for form in template.forms:
        assert form.source and form.checked <= date.today()
        assert not form.verified  # only a listing of the forms was read, and it says so


def test_the_slip_follows_the_language(world, english):
    screen, _code = late_with_slip(world)  # the whole desk in English
    encoded = re.search(r"base64,([^\"]+)\"", screen.slip_downloads.value).group(1)
    page = base64.b64decode(encoded).decode("utf-8")
    assert '<html lang="en">' in page and "Nguyễn Thị Lan" in page
