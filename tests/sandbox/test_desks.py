"""Dossiers, queue tickets and feedback in the sandbox: role play through one store."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kynangso.domain.dossier import State
from kynangso.domain.kpi import kpi_report
from kynangso.errors import InvalidInput, MissingEntry, TransitionError
from kynangso.sandbox.store import Sandbox

MONDAY_8AM = datetime(2025, 11, 10, 8, 0)
APPLICANT = {"ho_ten": "Nguyễn Thị Lan", "cccd": "038190999001"}


@pytest.fixture
def world(tmp_path):
    """A frozen-clock world with a volunteer, an official and a trainer."""
    box = Sandbox.open(tmp_path, actor="tnv-an", role="trainee", start=MONDAY_8AM,
                       clock_running=False)
    yield box, box.as_actor("cb-binh", "official"), box.as_actor("gv", "trainer")
    box.close()


def test_dossier_codes_follow_the_daily_sequence(world):
    volunteer, _, trainer = world
    first = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc")
    second = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc")
    trainer.advance_clock(days=1)
    next_day = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc")
    assert [first.code, second.code, next_day.code] == [
        "000.00.99.H56-251110-0001", "000.00.99.H56-251110-0002", "000.00.99.H56-251111-0001"]


def test_fee_is_quoted_from_the_catalogue(world):
    volunteer, _, _ = world
    online = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc")
    in_person = volunteer.dossiers.create("tam-tru", APPLICANT, channel="truc-tiep")
    assert (online.fee_amount, in_person.fee_amount) == (7_000, 15_000)


def test_unverified_fee_is_not_invented(world):
    volunteer, _, _ = world
    dossier = volunteer.dossiers.create("gia-han-bhyt", APPLICANT,
                                        channel=volunteer.dossiers.catalogue["gia-han-bhyt"]
                                        .channels[0])
    assert dossier.fee_amount is None


def test_channel_not_offered_is_refused(world):
    volunteer, _, _ = world
    procedure = volunteer.dossiers.catalogue["chung-thuc-ban-sao"]
    missing = next(c for c in ("vneid", "cong-dvc", "truc-tiep") if c not in procedure.channels)
    with pytest.raises(InvalidInput) as err:
        volunteer.dossiers.create("chung-thuc-ban-sao", APPLICANT, channel=missing)
    assert err.value.field == "kenh_nop"


def test_judicial_record_on_vneid_needs_level_two(world):
    volunteer, _, _ = world
    with pytest.raises(InvalidInput, match="mức 2") as err:
        volunteer.dossiers.create("ly-lich-tu-phap", APPLICANT, channel="vneid", vneid_level=1)
    assert err.value.field == "muc_dinh_danh"
    assert volunteer.dossiers.create("ly-lich-tu-phap", APPLICANT, channel="vneid",
                                     vneid_level=2).state is State.DRAFT


def test_unknown_procedure_raises_missing_entry(world):
    volunteer, _, _ = world
    with pytest.raises(MissingEntry):
        volunteer.dossiers.create("khong-co", APPLICANT)


def test_role_play_submit_receive_resolve_return(world):
    volunteer, official, trainer = world
    code = volunteer.dossiers.create("thuong-tru", APPLICANT, channel="cong-dvc").code
    volunteer.dossiers.submit(code)
    received = official.dossiers.receive(code)
    # 7 working days from Monday 10/11/2025.
    assert received.due_date == date(2025, 11, 19)
    official.dossiers.move(code, State.PROCESSING)
    trainer.advance_clock(days=3)
    resolved = official.dossiers.move(code, State.RESOLVED)
    assert resolved.resolved_at == datetime(2025, 11, 13, 8, 0)
    official.dossiers.move(code, State.RESULT_RETURNED)
    actions = [e.action for e in volunteer.events(subject=code)]
    assert actions == ["dossier.created", "dossier.submitted", "dossier.received",
                       "dossier.processing", "dossier.resolved", "dossier.result_returned"]
    assert {e.actor for e in volunteer.events(subject=code)} == {"tnv-an", "cb-binh"}


def test_received_after_cutoff_is_due_next_working_day(world):
    volunteer, official, trainer = world
    trainer.set_clock(datetime(2025, 11, 14, 15, 30))  # Friday afternoon
    code = volunteer.dossiers.create("chung-thuc-ban-sao", APPLICANT, channel="truc-tiep").code
    volunteer.dossiers.submit(code)
    assert official.dossiers.receive(code).due_date == date(2025, 11, 17)


def test_volunteer_cannot_play_the_official(world):
    volunteer, _, _ = world
    code = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc").code
    volunteer.dossiers.submit(code)
    with pytest.raises(InvalidInput, match="cán bộ"):
        volunteer.dossiers.receive(code)


def test_another_trainee_cannot_submit_my_dossier(world):
    volunteer, _, _ = world
    code = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc").code
    with pytest.raises(InvalidInput, match="người khác"):
        volunteer.as_actor("tnv-khac", "trainee").dossiers.submit(code)


def test_illegal_move_names_allowed_moves_and_changes_nothing(world):
    volunteer, official, _ = world
    code = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc").code
    with pytest.raises(TransitionError, match="Đã nộp"):
        official.dossiers.move(code, State.RESOLVED)
    assert volunteer.dossiers.get(code).state is State.DRAFT
    assert [e.action for e in volunteer.events(subject=code)] == ["dossier.created"]


def test_supplement_round_trip(world):
    volunteer, official, _ = world
    code = volunteer.dossiers.create("thuong-tru", APPLICANT, channel="cong-dvc").code
    volunteer.dossiers.submit(code)
    official.dossiers.receive(code)
    asked = official.dossiers.request_supplement(code, "Thiếu giấy tờ chứng minh chỗ ở hợp pháp")
    assert asked.supplement_reason.startswith("Thiếu")
    again = volunteer.dossiers.resubmit(code, documents=["giay-to-cho-o"])
    assert again.state is State.RESUBMITTED and again.documents == ("giay-to-cho-o",)


def test_apology_slip_moves_the_due_date(world):
    volunteer, official, _ = world
    code = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc").code
    volunteer.dossiers.submit(code)
    due = official.dossiers.receive(code).due_date
    late = official.dossiers.apologise(code, new_due=date(2025, 11, 20), reason="Chờ xác minh")
    assert late.apology.original_due == due and late.due_date == date(2025, 11, 20)
    assert "Phiếu xin lỗi" in late.apology.text()
    with pytest.raises(InvalidInput):
        volunteer.dossiers.apologise(code, new_due=date(2025, 11, 21), reason="x")


def test_fee_payment_marks_dossier_paid(world):
    volunteer, _, _ = world
    code = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc").code
    paid = volunteer.dossiers.mark_fee_paid(code, "GD0001", 7_000)
    assert paid.fee_paid
    with pytest.raises(InvalidInput):
        volunteer.dossiers.mark_fee_paid(code, "GD0002", 7_000)


def test_dossiers_survive_reopening(tmp_path):
    with Sandbox.open(tmp_path, start=MONDAY_8AM) as box:
        code = box.dossiers.create("khai-sinh", APPLICANT, channel="cong-dvc").code
    with Sandbox.open(tmp_path) as box:
        assert box.dossiers.get(code).procedure_code == "khai-sinh"
        assert box.verify_chain().ok


def test_dossier_frame_has_kpi_columns(world):
    volunteer, _, _ = world
    volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc")
    frame = volunteer.dossiers.frame()
    assert list(frame.columns[:4]) == ["code", "procedure", "field", "channel"]
    assert len(frame) == 1


def test_dossier_frame_keeps_the_original_due_date_of_an_apology_slip(world):
    # The KPI report judges on original_due_date; due_date is the slip's new date.
    volunteer, official, trainer = world
    code = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc").code
    volunteer.dossiers.submit(code)
    due = official.dossiers.receive(code).due_date
    official.dossiers.apologise(code, new_due=date(2025, 11, 20), reason="Chờ xác minh")
    other = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc").code
    volunteer.dossiers.submit(other)
    official.dossiers.receive(other)
    frame = official.dossiers.frame().set_index("code")
    assert frame.loc[code, "due_date"].date() == date(2025, 11, 20)
    assert frame.loc[code, "original_due_date"].date() == due
    assert frame.loc[other, "original_due_date"] == frame.loc[other, "due_date"]
    trainer.set_clock(datetime(2025, 11, 17, 9, 0))  # after `due`, before 20/11
    official.dossiers.move(code, State.PROCESSING)
    official.dossiers.move(code, State.RESOLVED)
    report = kpi_report(official.dossiers.frame(), as_of=datetime(2025, 11, 17, 9, 0))
    assert (report.early, report.late, report.overdue) == (0, 2, 1)


def test_missing_dossier_is_named(world):
    volunteer, _, _ = world
    with pytest.raises(MissingEntry, match="TRUCLAM-251110-0099"):
        volunteer.dossiers.get("TRUCLAM-251110-0099")


def test_queue_tickets_number_by_counter_and_estimate_wait(world):
    volunteer, _, _ = world
    first = volunteer.queue.take("Hộ tịch")
    second = volunteer.queue.take("Chứng thực")
    residence = volunteer.queue.take("Cư trú")
    assert (first.number, second.number, residence.number) == ("1001", "1002", "2001")
    assert (first.estimated_wait_min, second.estimated_wait_min) == (0, 8)


def test_counter_calls_numbers_in_order(world):
    volunteer, official, _ = world
    volunteer.queue.take("Hộ tịch")
    volunteer.queue.take("Hộ tịch")
    assert official.queue.call_next(1).number == "1001"
    assert official.queue.display()[1] == "1001"
    assert official.queue.call_next(1).number == "1002"
    assert official.queue.call_next(1) is None
    assert [t.status for t in volunteer.queue.tickets()] == ["done", "done"]


def test_kiosk_refuses_unknown_field_and_closed_hours(world):
    volunteer, _, trainer = world
    with pytest.raises(InvalidInput, match="Hộ tịch") as err:
        volunteer.queue.take("Vũ trụ")
    assert err.value.field == "linh_vuc"
    with pytest.raises(InvalidInput, match="Chưa chọn"):
        volunteer.queue.take("  ")
    trainer.set_clock(datetime(2025, 11, 15, 9, 0))  # Saturday
    with pytest.raises(InvalidInput, match="ngoài giờ"):
        volunteer.queue.take("Hộ tịch")


def test_only_officials_call_numbers(world):
    volunteer, _, _ = world
    with pytest.raises(InvalidInput, match="quầy"):
        volunteer.queue.call_next(1)


def test_rating_and_feedback_with_answer(world):
    volunteer, official, _ = world
    code = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc").code
    rating = volunteer.feedback.rate(code, 5, "Cán bộ hướng dẫn tận tình")
    assert rating.kind == "danh-gia" and rating.rating == 5
    petition = volunteer.feedback.send("Đề nghị thêm ghế chờ ở tầng 1", kind="kien-nghi")
    answered = official.feedback.answer(petition.id, "Trung tâm đã bổ sung 10 ghế.")
    assert answered.answered and answered.answered_by == "cb-binh"
    assert [f.kind for f in volunteer.feedback.list(author="tnv-an")] == ["danh-gia",
                                                                         "kien-nghi"]


@pytest.mark.parametrize("rating", [0, 6, "5", True, None])
def test_rating_outside_one_to_five_is_refused(world, rating):
    volunteer, _, _ = world
    code = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc").code
    with pytest.raises(InvalidInput) as err:
        volunteer.feedback.rate(code, rating)
    assert err.value.field == "danh_gia"


def test_empty_feedback_and_unknown_dossier_are_refused(world):
    volunteer, _, _ = world
    with pytest.raises(InvalidInput, match="Chưa nhập nội dung"):
        volunteer.feedback.send("   ")
    with pytest.raises(MissingEntry):
        volunteer.feedback.rate("TRUCLAM-251110-0042", 4)
    with pytest.raises(InvalidInput, match="cán bộ"):
        volunteer.feedback.answer(1, "x")
