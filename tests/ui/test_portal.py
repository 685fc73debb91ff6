"""The public-service portal screen driven in the kernel: search, form, documents, submit,
fee QR, my dossiers (supplement, apology, result, rating) and feedback."""

from __future__ import annotations

import html
import io
import re
from datetime import date, datetime

import pytest
from PIL import Image

from kynangso.domain import attachments
from kynangso.domain import wallets as rules
from kynangso.domain.banks import load_banks
from kynangso.domain.catalogue import load_catalogue
from kynangso.domain.dossier import State
from kynangso.domain.identity import field_label
from kynangso.domain.vietqr import decode
from kynangso.i18n import set_language
from kynangso.sandbox.fees import FeeDesk
from kynangso.sandbox.store import Sandbox
from kynangso.ui.portal import COLLECTION_OWNER, PortalScreen, portal_app

from helpers import buttons, page_html, text

MONDAY_8AM = datetime(2025, 11, 10, 8, 0)
PERSON = "tnv-an"
GOOD = {"ho_ten": "nguyễn  thị lan", "cccd": "038190999001", "ngay_sinh": "05/09/1990",
        "gioi_tinh": "nu", "so_dien_thoai": "0912 345 678",
        "dia_chi": "Tổ dân phố Tân Lập,phường Trúc Lâm"}
COPY = {"ten_giay_to": "Bằng tốt nghiệp THPT", "so_trang": "3", "so_ban": "2",
        "nhan_ket_qua": "truc-tiep"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
CATALOGUE = load_catalogue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(autouse=True)
def fast_pins(monkeypatch):
    # Fewer PBKDF2 rounds keep the file fast; the stored hash records the count used.
    monkeypatch.setattr(rules, "PIN_ITERATIONS", 2_000)


@pytest.fixture
def box(tmp_path):
    with Sandbox.open(tmp_path, actor=PERSON, role="resident", start=MONDAY_8AM,
                      clock_running=False) as b:
        yield b


@pytest.fixture
def official(box):
    return box.as_actor("cb-lan", "official")


@pytest.fixture
def screen(box):
    return PortalScreen(box)


# --- helpers ------------------------------------------------------------------------------


def open_form(screen: PortalScreen, code: str) -> None:
    screen.open_procedure(code)
    screen.start_button.click()


def fill(screen: PortalScreen, values: dict[str, str]) -> None:
    for key, value in values.items():
        screen.inputs[key].value = value


def to_documents(screen: PortalScreen, code: str, extra: dict[str, str] | None = None) -> None:
    open_form(screen, code)
    fill(screen, {**GOOD, **(extra or {})})
    screen.form_next.click()
    assert screen.view == "documents", screen.form_errors


def attach_samples(screen: PortalScreen) -> None:
    for doc in screen.procedure().required_documents:
        screen.sample_buttons[doc.code].click()


def submit(screen: PortalScreen, code: str, extra: dict[str, str] | None = None) -> str:
    to_documents(screen, code, extra)
    attach_samples(screen)
    screen.docs_next.click()
    screen.pledge.value = True
    screen.submit_button.click()
    assert screen.view == "done", screen.message_text
    return screen.current


def upload(screen: PortalScreen, document: str, name: str, content: bytes) -> None:
    screen.upload_widgets[document].value = ({
        "name": name, "type": "", "size": len(content), "content": memoryview(content),
        "last_modified": datetime(2025, 11, 1)},)


def actions(box: Sandbox, prefix: str = "portal.") -> list[str]:
    return [e.action for e in box.events(prefix=prefix)]


# --- 1. search and procedure ----------------------------------------------------------------


@pytest.mark.parametrize("typed", ["khai sinh", "KHAI SINH", "đăng ký khai sinh", "dang ky khai"])
def test_search_ignores_diacritics_and_case(screen, box, typed):
    screen.search_box.value = typed
    screen.search_button.click()
    names = [b.description for b in screen.result_buttons]
    assert names[0].startswith("Đăng ký khai sinh")
    event = box.events(action="portal.search")[-1]
    assert event.payload["query"] == typed and "khai-sinh" in event.payload["results"]


def test_empty_search_lists_every_procedure(screen):
    assert len(screen.result_buttons) == len(CATALOGUE)
    assert "Tất cả" in text(screen.body)


def test_search_without_match_says_so(screen):
    screen.search_box.value = "máy bay"
    screen.search_button.click()
    assert screen.result_buttons == []
    assert "Không tìm thấy thủ tục nào khớp với «máy bay»" in screen.message_text


def test_procedure_shows_documents_fee_time_channels_and_delivery(screen, box):
    screen.open_procedure("chung-thuc-ban-sao")
    shown = text(screen.body)
    for part in ("Chứng thực bản sao từ bản chính", "Bản chính giấy tờ cần chứng thực",
                 "Giấy tờ nộp thêm khi cần", "2.000", "tối đa 200.000", "Trong ngày",
                 "15:00", "Cổng Dịch vụ công quốc gia", "Nhận trực tiếp", "Một phần",
                 "Thông tư 226/2016/TT-BTC"):
        assert part in shown, part
    assert box.events(action="portal.procedure_viewed")[-1].subject == "chung-thuc-ban-sao"


def test_unverified_fee_and_time_are_marked_chua_kiem_chung(screen):
    screen.open_procedure("dang-ky-thue-hkd")
    shown = text(screen.body)
    assert "Lệ phí: chưa kiểm chứng" in shown
    assert "Thời hạn giải quyết: chưa kiểm chứng" in shown


def test_judicial_record_shows_the_vneid_level(screen):
    screen.open_procedure("ly-lich-tu-phap")
    assert "tài khoản định danh điện tử mức 2" in text(screen.body)


def test_in_person_only_procedure_cannot_be_submitted_online(screen):
    screen.open_procedure("gia-han-bhyt")
    assert screen.start_button is None
    assert "chưa nộp được trên Cổng Dịch vụ công" in text(screen.body)


# --- 2. form ----------------------------------------------------------------------------------


def test_empty_form_names_every_field_next_to_it(screen, box):
    open_form(screen, "tam-tru")
    screen.form_next.click()
    assert screen.view == "form"
    for key in ("ho_ten", "cccd", "ngay_sinh", "so_dien_thoai", "dia_chi_cu_tru"):
        assert screen.field_error(key).startswith("Chưa nhập"), key
        assert screen.field_error(key) in screen.error_labels[key].value
    assert screen.field_error("gioi_tinh") == "Chưa nhập Giới tính"
    assert screen.field_error("dia_chi_cu_tru") == "Chưa nhập Địa chỉ đăng ký tạm trú"
    assert screen.field_error("nhan_ket_qua").startswith("Chưa chọn Hình thức nhận kết quả")
    logged = {e.payload["field"] for e in box.events(action="portal.form_invalid")}
    assert logged == set(screen.form_errors)
    assert "Tờ khai còn" in screen.message_text


@pytest.mark.parametrize("key, typed, fragment", [
    ("cccd", "12345", "phải có đúng 12 chữ số"),
    ("cccd", "000190999001", "không phải mã tỉnh"),
    ("cccd", "03819099900A", "chỉ gồm chữ số"),
    ("ngay_sinh", "1990-09-05", "năm phải đứng cuối"),
    ("ngay_sinh", "31/02/1990", "không có thật"),
    ("ngay_sinh", "05/09/2030", "không thể ở tương lai"),
    ("ngay_sinh", "5/9/90", "4 chữ số"),
    ("so_dien_thoai", "0241234567", "số máy bàn"),
    ("so_dien_thoai", "0912", "10 chữ số"),
    ("ho_ten", "Lan 2", "không được chứa chữ số"),
    ("dia_chi", "   ", "Chưa nhập Địa chỉ"),
])
def test_each_bad_field_shows_its_message_and_keeps_the_rest(screen, box, key, typed,
                                                             fragment):
    open_form(screen, "tam-tru")
    fill(screen, {**GOOD, key: typed, "dia_chi_cu_tru": "Số 12 tổ Đồng Tâm",
                  "nhan_ket_qua": "truc-tuyen"})
    screen.form_next.click()
    assert screen.view == "form"
    assert set(screen.form_errors) == {key}
    assert fragment in screen.field_error(key)
    assert field_label(key) in screen.field_error(key)
    assert screen.inputs[key].value == typed
    assert all(screen.inputs[k].value == GOOD[k] for k in GOOD if k != key)
    assert box.events(action="portal.form_invalid")[-1].payload["field"] == key


def test_cccd_must_agree_with_gender_and_birth_year(screen):
    open_form(screen, "tam-tru")
    fill(screen, {**GOOD, "cccd": "038090999001", "dia_chi_cu_tru": "Số 12",
                  "nhan_ket_qua": "truc-tuyen"})
    screen.form_next.click()
    assert "không khớp với giới tính Nữ" in screen.field_error("cccd")
    fill(screen, {"cccd": "038185999001"})
    screen.form_next.click()
    assert "năm sinh là 1990" in screen.field_error("cccd")


@pytest.mark.parametrize("key, typed, message", [
    ("so_trang", "ba", "Số trang của bản chính phải là số nguyên từ 1 đến 999, nhận được 'ba'"),
    ("so_ban", "0", "Số bản cần cấp phải là số nguyên từ 1 đến 999, nhận được '0'"),
    ("ten_giay_to", "", "Chưa nhập Tên giấy tờ cần chứng thực"),
])
def test_procedure_boxes_are_checked_with_their_own_label(screen, key, typed, message):
    open_form(screen, "chung-thuc-ban-sao")
    fill(screen, {**GOOD, **COPY, key: typed})
    screen.form_next.click()
    assert screen.form_errors == {key: message}


def test_child_birth_date_error_names_the_child_box(screen):
    open_form(screen, "khai-sinh")
    fill(screen, {**GOOD, "ho_ten_tre": "Nguyễn Thị Mai", "ngay_sinh_tre": "32/10/2025",
                  "noi_sinh": "Trạm y tế phường", "nhan_ket_qua": "truc-tuyen"})
    screen.form_next.click()
    assert screen.field_error("ngay_sinh_tre").startswith("Ngày sinh của trẻ: ngày")


def test_only_delivery_option_is_preselected(screen):
    open_form(screen, "chung-thuc-ban-sao")
    assert screen.inputs["nhan_ket_qua"].value == "truc-tiep"


def test_good_form_is_tidied_and_moves_on(screen, box):
    to_documents(screen, "chung-thuc-ban-sao", COPY)
    clean = screen.draft.clean
    assert clean["ho_ten"] == "Nguyễn Thị Lan"
    assert clean["so_dien_thoai"] == "0912345678"
    assert clean["dia_chi"] == "Tổ dân phố Tân Lập, phường Trúc Lâm"
    assert (clean["so_trang"], clean["so_ban"]) == (3, 2)
    assert actions(box)[-1] == "portal.form_completed"
    screen.go("form")
    assert screen.inputs["ho_ten"].value == "Nguyễn Thị Lan"


def test_language_switch_keeps_what_was_typed(screen):
    open_form(screen, "tam-tru")
    fill(screen, {"ho_ten": "Lê Văn Tư", "cccd": "0381"})
    try:
        screen.language.value = "en"
        assert screen.view == "form"
        assert screen.inputs["ho_ten"].value == "Lê Văn Tư"
        assert screen.inputs["cccd"].value == "0381"
    finally:
        screen.language.value = "vi"
        set_language("vi")


# --- 3. documents -----------------------------------------------------------------------------


def test_missing_required_documents_block_the_next_step(screen, box):
    to_documents(screen, "tam-tru", {"dia_chi_cu_tru": "Số 12", "nhan_ket_qua": "truc-tuyen"})
    assert "Còn thiếu giấy tờ bắt buộc" in text(screen.body)
    screen.docs_next.click()
    assert screen.view == "documents"
    assert screen.message_text.startswith("Giấy tờ kèm theo: chưa nộp được vì còn thiếu")
    assert "Giấy tờ chứng minh chỗ ở hợp pháp" in screen.message_text
    assert box.events(action="portal.documents_missing")[-1].payload["missing"] == [
        "to-khai-ct01", "cho-o-hop-phap"]


@pytest.mark.parametrize("name, content, fragment", [
    ("virus.exe", b"MZ\x90\x00", "chỉ nhận tệp PDF, JPG hoặc PNG, nhận được tệp 'virus.exe'"),
    ("ghi-chu.txt", b"hello", "chỉ nhận tệp PDF, JPG hoặc PNG"),
    ("trong.pdf", b"", "tệp rỗng"),
    ("anh.pdf", png(), "không phải PDF thật"),
    ("anh.jpg", PDF, "không phải JPG thật"),
    ("to.png", png() + b"\x00" * 3000, "tệp phải nhỏ hơn 2 KB"),
])
def test_bad_uploads_are_refused_with_the_document_named(screen, box, monkeypatch, name,
                                                         content, fragment):
    monkeypatch.setattr(attachments, "MAX_UPLOAD_BYTES", 2048)
    to_documents(screen, "chung-thuc-ban-sao", COPY)
    upload(screen, "ban-chinh", name, content)
    assert screen.message_text.startswith(
        "Giấy tờ kèm theo — «Bản chính giấy tờ cần chứng thực»")
    assert fragment in screen.message_text
    assert fragment in text(screen.body)  # also under the document itself
    assert screen.draft.attachments == {}
    refused = box.events(action="portal.document_refused")[-1]
    assert refused.payload["document"] == "ban-chinh" and refused.payload["file"] == name


def test_pdf_upload_and_sample_scan_are_attached_and_logged(screen, box):
    to_documents(screen, "chung-thuc-ban-sao", COPY)
    upload(screen, "ban-chinh", "bang-tot-nghiep.pdf", PDF)
    assert screen.message_text == "Đã đính kèm bang-tot-nghiep.pdf."
    screen.sample_buttons["ban-sao"].click()
    attached = screen.draft.attachments
    assert (attached["ban-chinh"].source, attached["ban-sao"].source) == ("tai-len", "mau")
    assert "Đã đủ giấy tờ bắt buộc." in text(screen.body)
    logged = [e.payload for e in box.events(action="portal.document_attached")]
    assert [(p["document"], p["source"]) for p in logged] == [("ban-chinh", "tai-len"),
                                                               ("ban-sao", "mau")]
    assert logged[0]["size"] == len(PDF) and len(logged[0]["sha256"]) == 64


def test_removing_a_document_makes_it_missing_again(screen):
    to_documents(screen, "chung-thuc-ban-sao", COPY)
    screen.sample_buttons["ban-chinh"].click()
    remove = next(b for b in buttons(screen.body) if b.description == "Gỡ tệp")
    remove.click()
    assert screen.draft.attachments == {}
    assert "Còn thiếu giấy tờ bắt buộc" in text(screen.body)


# --- 4. confirm and submit --------------------------------------------------------------------


def test_submit_needs_the_pledge(screen, box):
    to_documents(screen, "chung-thuc-ban-sao", COPY)
    attach_samples(screen)
    screen.docs_next.click()
    screen.submit_button.click()
    assert "Chưa đánh dấu ô cam đoan" in screen.message_text
    assert box.dossiers.list() == []
    assert actions(box)[-1] == "portal.pledge_missing"


def test_confirm_page_shows_the_fee_before_submitting(screen):
    to_documents(screen, "chung-thuc-ban-sao", COPY)
    attach_samples(screen)
    screen.docs_next.click()
    shown = text(screen.body)
    assert "10.000 ₫" in shown and "Bước 3/3" in shown
    assert "Ngày hẹn trả kết quả do Trung tâm ghi khi tiếp nhận hồ sơ" in shown


def test_submit_creates_and_submits_the_dossier_once(screen, box):
    code = submit(screen, "chung-thuc-ban-sao", COPY)
    screen.submit_button.click()  # a second tap on the old button
    dossiers = box.dossiers.list()
    assert [d.code for d in dossiers] == [code] == ["000.00.99.H56-251110-0001"]
    dossier = dossiers[0]
    assert dossier.state is State.SUBMITTED and dossier.channel == "cong-dvc"
    assert dossier.applicant["ho_ten"] == "Nguyễn Thị Lan"
    assert dossier.documents == ("ban-chinh",)
    assert dossier.form["tep_dinh_kem"]["ban-chinh"]["ten_tep"] == "ban-chinh-mau.png"
    assert (dossier.form["so_trang"], dossier.form["so_ban"]) == (3, 2)
    assert dossier.fee_amount == 10_000
    assert screen.message_text == ("Đã nộp hồ sơ 000.00.99.H56-251110-0001. Hãy ghi lại mã hồ sơ để "
                                   "tra cứu.")
    shown = text(screen.body)
    assert "000.00.99.H56-251110-0001" in shown
    assert "Trung tâm ghi ngày hẹn khi tiếp nhận hồ sơ" in shown
    assert [e.actor for e in box.events(subject=code, prefix="dossier.")] == [PERSON, PERSON]


# --- 5. fee by QR -------------------------------------------------------------------------------


def shown_payload(screen: PortalScreen) -> str:
    found = re.search(r'class="kns-payload"[^>]*>([^<]+)<', page_html(screen.body))
    assert found, "no payload shown"
    return html.unescape(found.group(1))


def test_fee_qr_names_the_training_bank_the_fee_and_the_dossier(screen, box):
    code = submit(screen, "chung-thuc-ban-sao", COPY)
    payload = shown_payload(screen)
    result = decode(payload)
    assert result.ok
    assert result.qr.bin == load_banks().training_bank.bin
    assert result.qr.amount == 10_000 and result.qr.dynamic
    assert code in result.qr.purpose and result.qr.bill_number == code
    account = box.wallets.accounts(owner=COLLECTION_OWNER)
    assert [a.holder_name for a in account] == ["Phường Trúc Lâm - thu phí (tập dượt)"]
    assert result.qr.account == account[0].number
    page = page_html(screen.body)
    assert 'src="data:image/png;base64,' in page
    assert f'href="wallet.ipynb?nguoi={PERSON}&amp;ma={code}"' in page
    assert "Mở ví để thanh toán" in page
    shown = box.events(action="portal.fee_qr_shown")[-1]
    assert shown.subject == code and shown.payload["payload"] == payload
    # The code is the sandbox's row, issued once: showing it again shows the same row.
    fee = FeeDesk(box).get(code)
    assert (fee.payload, fee.amount, fee.account) == (payload, 10_000, account[0].number)
    screen.open_dossier(code)
    assert shown_payload(screen) == payload
    assert len(box.events(action="fee.code_issued")) == 1


def test_paying_in_the_wallet_credits_the_ward_and_shows_paid(screen, box):
    code = submit(screen, "chung-thuc-ban-sao", COPY)
    payload = shown_payload(screen)
    wallet = box.wallets.open_account("zalopay", "Nguyễn Thị Lan", balance=50_000, pin="246802")
    receipt = box.wallets.pay(wallet.id, payload, pin="246802", idempotency_key="k1")
    assert FeeDesk(box).get(code).payment_reference == receipt.reference
    screen.open_dossier(code)
    assert "Đã nộp lệ phí 10.000 ₫." in text(screen.body)
    assert 'class="kns-qr"' not in page_html(screen.body)
    ward = box.wallets.accounts(owner=COLLECTION_OWNER)[0]
    assert box.wallets.account(ward.id).balance == 10_000


def test_every_fee_goes_to_one_collection_account(screen, box):
    submit(screen, "chung-thuc-ban-sao", COPY)
    submit(PortalScreen(box), "tam-tru", {"dia_chi_cu_tru": "Số 12",
                                          "nhan_ket_qua": "truc-tuyen"})
    assert len(box.wallets.accounts(owner=COLLECTION_OWNER)) == 1
    assert box.dossiers.list()[1].fee_amount == 7_000  # the online rate


def test_free_procedure_shows_no_qr(screen):
    submit(screen, "khai-sinh", {"ho_ten_tre": "Nguyễn Thị Mai", "ngay_sinh_tre": "01/11/2025",
                                 "noi_sinh": "Trạm y tế phường", "nhan_ket_qua": "truc-tuyen"})
    assert "Hồ sơ này được miễn lệ phí." in text(screen.body)
    assert 'class="kns-qr"' not in page_html(screen.body)


def test_unverified_fee_is_not_charged(screen, box):
    submit(screen, "dang-ky-thue-hkd", {"ten_ho_kinh_doanh": "Tạp hoá Lan",
                                        "nhan_ket_qua": "truc-tuyen"})
    assert "Lệ phí: chưa kiểm chứng" in text(screen.body)
    assert 'class="kns-qr"' not in page_html(screen.body)
    assert box.wallets.accounts(owner=COLLECTION_OWNER) == []


# --- 6. my dossiers -----------------------------------------------------------------------------


def test_my_dossiers_lists_only_mine_with_state_labels(screen, box):
    code = submit(screen, "chung-thuc-ban-sao", COPY)
    box.as_actor("nguoi-khac", "resident").dossiers.create("tam-tru", {"ho_ten": "Lê Văn Ba"})
    screen.go("mine")
    shown = text(screen.body)
    assert code in shown and "Đã nộp" in shown
    assert list(screen.detail_buttons) == [code]
    assert "10.000 ₫ — chưa nộp" in shown


def test_refresh_shows_the_due_date_once_received(screen, box, official):
    code = submit(screen, "tam-tru", {"dia_chi_cu_tru": "Số 12", "nhan_ket_qua": "truc-tuyen"})
    screen.go("mine")
    official.dossiers.receive(code)
    assert "13/11/2025" not in text(screen.body)
    screen.refresh_button.click()
    shown = text(screen.body)
    assert "Ngày hẹn trả kết quả: 13/11/2025" in shown and "Đã tiếp nhận" in shown
    assert screen.message_text.startswith("Đã cập nhật lúc 08:00 10/11/2025")
    assert actions(box)[-1] == "portal.refreshed"


def test_apology_slip_is_shown_with_the_new_date(screen, official):
    code = submit(screen, "tam-tru", {"dia_chi_cu_tru": "Số 12", "nhan_ket_qua": "truc-tuyen"})
    official.dossiers.receive(code)
    official.dossiers.apologise(code, new_due=date(2025, 11, 18), reason="Chờ xác minh chỗ ở")
    screen.open_dossier(code)
    shown = text(screen.body)
    assert "Phiếu xin lỗi và hẹn lại ngày trả kết quả" in shown
    assert "Chờ xác minh chỗ ở" in shown and "18/11/2025" in shown
    screen.go("mine")
    assert "Có phiếu xin lỗi" in text(screen.body)


def test_supplement_reason_upload_and_resubmit(screen, box, official):
    code = submit(screen, "chung-thuc-ban-sao", COPY)
    official.dossiers.request_supplement(code, "Bản chụp bản chính bị mờ")
    screen.go("mine")
    assert "Cần bổ sung: Bản chụp bản chính bị mờ" in text(screen.body)
    screen.detail_buttons[code].click()
    assert "Trung tâm yêu cầu bổ sung hồ sơ: Bản chụp bản chính bị mờ" in text(screen.body)
    screen.resubmit_button.click()
    assert "chưa đính kèm giấy tờ bổ sung nào" in screen.message_text
    upload(screen, "ban-chinh", "ban-chinh-ro.png", png())
    screen.resubmit_button.click()
    dossier = box.dossiers.get(code)
    assert dossier.state is State.RESUBMITTED
    assert dossier.form["tep_dinh_kem"]["ban-chinh"]["ten_tep"] == "ban-chinh-ro.png"
    assert screen.message_text.startswith(f"Đã nộp bổ sung hồ sơ {code}")
    attached = box.events(action="portal.document_attached")[-1]
    assert attached.subject == code and attached.payload["supplement"] is True


def test_result_can_be_collected_then_rated_once(screen, box, official):
    code = submit(screen, "chung-thuc-ban-sao", COPY)
    official.dossiers.receive(code)
    official.dossiers.move(code, "processing")
    official.dossiers.move(code, "resolved")
    screen.open_dossier(code)
    assert "kết quả đang chờ bạn nhận" in text(screen.body)
    screen.result_button.click()
    assert "Quầy 1" in screen.result_box.value and code in screen.result_box.value
    assert box.events(action="portal.result_viewed")[-1].payload["delivery"] == "truc-tiep"
    official.dossiers.move(code, "result_returned")
    screen.refresh_button.click()
    assert "Đã trả kết quả lúc" in text(screen.body)
    screen.rating_button.click()
    assert screen.message_text.startswith("Chưa chọn Mức độ hài lòng")
    screen.rating.value = 4
    screen.rating_comment.value = "Cán bộ hướng dẫn tận tình"
    screen.rating_button.click()
    rating = box.feedback.list(author=PERSON, kind="danh-gia")
    assert [(r.dossier_code, r.rating) for r in rating] == [(code, 4)]
    assert "Bạn đã đánh giá: 4 — Hài lòng" in text(screen.body)


def test_rating_is_not_offered_before_the_result_is_returned(screen):
    code = submit(screen, "chung-thuc-ban-sao", COPY)
    screen.open_dossier(code)
    assert "Đánh giá mức độ hài lòng" not in text(screen.body)


def test_rejected_dossier_shows_the_reason_and_no_qr(screen, official):
    code = submit(screen, "chung-thuc-ban-sao", COPY)
    official.dossiers.move(code, "rejected", note="Không phải bản chính")
    screen.open_dossier(code)
    assert "Lý do từ chối: Không phải bản chính" in text(screen.body)
    assert 'class="kns-qr"' not in page_html(screen.body)


def test_a_new_screen_over_the_same_store_shows_my_dossiers(screen, box, tmp_path):
    code = submit(screen, "chung-thuc-ban-sao", COPY)
    with Sandbox.open(tmp_path, actor=PERSON, role="resident") as again:
        reloaded = PortalScreen(again)
        reloaded.go("mine")
        assert code in text(reloaded.body)
        reloaded.open_dossier(code)
        assert shown_payload(reloaded) == shown_payload(screen)


# --- 7. feedback ---------------------------------------------------------------------------------


def test_empty_feedback_is_refused_with_the_field_named(screen, box):
    screen.go("feedback")
    screen.feedback_button.click()
    assert screen.message_text == "Chưa nhập nội dung"
    assert box.feedback.list() == []


def test_feedback_is_sent_and_the_answer_shows_after_refresh(screen, box, official):
    code = submit(screen, "chung-thuc-ban-sao", COPY)
    screen.go("feedback")
    screen.feedback_kind.value = "kien-nghi"
    screen.feedback_dossier.value = code
    screen.feedback_text.value = "Đề nghị mở thêm quầy chứng thực buổi chiều."
    screen.feedback_button.click()
    sent = box.feedback.list(author=PERSON)[0]
    assert (sent.kind, sent.dossier_code) == ("kien-nghi", code)
    assert screen.message_text.startswith(f"Đã gửi kiến nghị số {sent.id}")
    assert "Chưa có trả lời" in text(screen.body)
    official.feedback.answer(sent.id, "Trung tâm sẽ bố trí từ tuần sau.")
    screen.refresh_button.click()
    assert "Trả lời của Trung tâm: Trung tâm sẽ bố trí từ tuần sau." in text(screen.body)


# --- robustness and the app entry point ---------------------------------------------------------


def test_unexpected_error_is_friendly_and_keeps_the_draft(screen, box, monkeypatch):
    to_documents(screen, "chung-thuc-ban-sao", COPY)
    attach_samples(screen)
    screen.docs_next.click()
    screen.pledge.value = True
    monkeypatch.setattr(box.dossiers, "create", lambda *a, **k: 1 / 0)
    screen.submit_button.click()
    assert "lỗi ngoài dự kiến" in screen.message_text
    assert "ZeroDivisionError" not in screen.message.value
    assert screen.view == "confirm" and screen.draft.attachments


def test_navigation_buttons_switch_views(screen):
    nav = screen.body.children[1]
    labels = [b.description for b in nav.children]
    assert labels == ["Tìm thủ tục", "Hồ sơ của tôi", "Phản ánh, kiến nghị"]
    nav.children[1].click()
    assert screen.view == "mine" and "Bạn chưa có hồ sơ nào." in text(screen.body)
    screen.body.children[1].children[2].click()
    assert screen.view == "feedback"


def test_portal_app_works_for_the_person_in_the_url(tmp_path, monkeypatch):
    Sandbox.open(tmp_path, start=MONDAY_8AM, clock_running=False).close()
    monkeypatch.setenv("KYNANGSO_STORE", str(tmp_path / "kynangso.sqlite"))
    monkeypatch.setenv("QUERY_STRING", "nguoi=chi-ba")
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    screen = portal_app()
    assert (screen.box.actor, screen.box.role) == ("chi-ba", "resident")
    assert screen.view == "search"
    screen.box.close()


# --- what the due date rests on (receipt rule, unverified days off) --------------------------


def test_due_date_says_when_the_receipt_rule_moved_the_day(screen, box, official):
    code = submit(screen, "tam-tru", {"dia_chi_cu_tru": "Số 12", "nhan_ket_qua": "truc-tuyen"})
    box.as_actor("gv", "trainer").set_clock(datetime(2025, 11, 10, 17, 30))  # after closing
    official.dossiers.receive(code)
    screen.go("done")  # the confirmation, drawn again
    shown = text(screen.body)
    assert "Ngày hẹn trả kết quả: 14/11/2025" in shown
    assert ("Hồ sơ nhận sau 17:00 hoặc vào ngày nghỉ thì ngày hẹn được tính từ ngày làm việc "
            "tiếp theo (cách tính của phòng thực hành này).") in shown


def test_due_date_received_in_office_hours_has_no_rule_note(screen, official):
    code = submit(screen, "tam-tru", {"dia_chi_cu_tru": "Số 12", "nhan_ket_qua": "truc-tuyen"})
    official.dossiers.receive(code)
    screen.go("done")  # the confirmation, drawn again
    shown = text(screen.body)
    assert "Ngày hẹn trả kết quả: 13/11/2025" in shown and "phòng thực hành" not in shown
    assert "chưa kiểm chứng" not in shown


def test_due_date_names_the_unverified_day_off_it_counts(screen, box, official):
    code = submit(screen, "tam-tru", {"dia_chi_cu_tru": "Số 12", "nhan_ket_qua": "truc-tuyen"})
    box.as_actor("gv", "trainer").set_clock(datetime(2026, 11, 20, 9, 0))  # Friday
    official.dossiers.receive(code)
    screen.go("done")  # the confirmation, drawn again
    shown = text(screen.body)
    assert "Ngày hẹn trả kết quả: 26/11/2026" in shown
    assert ("Hạn này tính cả ngày nghỉ chưa kiểm chứng: 24/11/2026 – Ngày Văn hóa Việt Nam"
            in shown)


def test_unverified_deadline_is_never_shown_as_a_fact(screen, official):
    # Luật Lý lịch tư pháp, Điều 48: working or calendar days is not verified yet.
    code = submit(screen, "ly-lich-tu-phap", {"nhan_ket_qua": "truc-tuyen", "so_ban": "1"})
    official.dossiers.receive(code)
    screen.go("done")
    shown = text(screen.body)
    assert re.search(r"Ngày hẹn trả kết quả: \d\d/\d\d/\d{4} \(chưa kiểm chứng\)", shown)


def test_stay_notice_can_be_filed_on_the_portal(screen, box):
    code = submit(screen, "thong-bao-luu-tru", {"nhan_ket_qua": "truc-tuyen"})
    assert box.dossiers.get(code).procedure_code == "thong-bao-luu-tru"
