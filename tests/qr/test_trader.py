"""The trader's side: the stall's static code, the printed sign, takings, reconciliation, chart."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from datetime import date, datetime, time

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from kynangso.domain import trader
from kynangso.domain.banks import load_banks
from kynangso.domain.qrimage import read_qr
from kynangso.domain.trader import (
    AMOUNT_COL,
    TAKINGS_COLUMNS,
    formatted,
    reconcile,
    shop_qr,
    stall_sign,
    takings,
    takings_chart,
)
from kynangso.domain.vietqr import VietQR, decode, encode
from kynangso.domain.wallets import Payment
from kynangso.errors import InvalidInput

BANKS = load_banks()
TRAINING = BANKS.training_bank
VIETCOMBANK = BANKS.get("970436")
STALL = "0999000001"
DAY = date(2025, 11, 10)
STATIC_TPBANK = ("00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA"
                 "53037045802VN6304CBB4")


def paid(hour: int, minute: int, amount: int, payer: str = "Trần Văn An",
         purpose: str | None = "mua rau", day: date = DAY) -> Payment:
    return Payment(reference=f"GD{day:%y%m%d}{hour:02d}{minute:02d}{amount}",
                   at=datetime.combine(day, time(hour, minute)), payer="0999000002",
                   payer_name=payer, app="zalopay", payee_bin=TRAINING.bin,
                   payee_account=STALL, payee_name="Nguyễn Thị Lan", amount=amount,
                   purpose=purpose)


MORNING = [paid(7, 5, 20_000), paid(7, 40, 35_000), paid(8, 10, 200_000, "Lê Thị Hoa"),
           paid(9, 30, 15_000), paid(10, 2, 50_000, purpose=None)]


@pytest.fixture(scope="module")
def payload() -> str:
    return shop_qr("Tạp hoá Cô Lan", STALL)


# --- the stall's code ---------------------------------------------------------------------


def test_shop_code_is_static_at_the_training_bank_with_a_transliterated_name(payload):
    result = decode(payload)
    assert result.ok and result.bank == TRAINING
    assert result.qr.amount is None and not result.qr.dynamic
    assert (result.qr.account, result.qr.name) == (STALL, "Tap hoa Co Lan")


def test_shop_code_accepts_the_training_bank_by_object_or_bin():
    assert shop_qr("Chè", STALL, bank=TRAINING) == shop_qr("Chè", STALL, bank=TRAINING.bin)


@pytest.mark.parametrize("name", ["", "   ", None, 42])
def test_shop_code_needs_a_shop_name(name):
    with pytest.raises(InvalidInput, match="Tên cửa hàng") as err:
        shop_qr(name, STALL)
    assert err.value.field == "ten_cua_hang"


def test_shop_name_longer_than_vietqr_allows_is_refused():
    with pytest.raises(InvalidInput, match="25 ký tự") as err:
        shop_qr("Cửa hàng tạp hoá cô Lan chợ Trúc Lâm", STALL)
    assert err.value.field == "ten_cua_hang"


@pytest.mark.parametrize("bank", [VIETCOMBANK, "970436", "123456"])
def test_shop_code_refuses_a_bank_other_than_the_training_bank(bank):
    with pytest.raises(InvalidInput, match="ngân hàng tập dượt") as err:
        shop_qr("Tạp hoá Lan", STALL, bank=bank)
    assert err.value.field == "ngan_hang"


def test_bad_account_number_is_named_by_the_codec():
    with pytest.raises(InvalidInput, match="Số tài khoản") as err:
        shop_qr("Tạp hoá Lan", "0999 0001")
    assert err.value.field == "account"


# --- the printed sign ---------------------------------------------------------------------


@pytest.mark.parametrize(("size", "pixels"), [("A6", (827, 1165)), ("A5", (1165, 1654))])
def test_png_sign_is_the_paper_size_and_its_code_scans(payload, size, pixels):
    data = stall_sign("Tạp hoá Cô Lan – chợ Trúc Lâm", payload, size=size)
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("PNG", pixels)
    assert round(image.info["dpi"][0]) == trader.SIGN_DPI
    assert read_qr(data).payload == payload


def test_a_long_stall_name_still_fits_and_scans(payload):
    data = stall_sign("Cửa hàng điện thoại và phụ kiện chính hãng Nguyễn Thành Đạt", payload)
    assert read_qr(data).payload == payload


def test_pdf_sign_is_a6_with_an_embedded_unicode_font(payload):
    data = stall_sign("Tạp hoá Cô Lan", payload, fmt="pdf")
    assert data.startswith(b"%PDF-")
    assert b"/MediaBox [0 0 297.64 419.53]" in data  # A6 in points
    assert b"DejaVuSans" in data and b"/FontFile2" in data
    assert b"/MediaBox [0 0 419.53 595.28]" in stall_sign("Chè", payload, fmt="pdf", size="A5")


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("pdftotext")),
                    reason="poppler-utils (pdftoppm, pdftotext) not installed")
def test_pdf_sign_text_and_code_read_back(payload, tmp_path):
    pdf = tmp_path / "sign.pdf"
    pdf.write_bytes(stall_sign("Tạp hoá Cô Lan", payload, fmt="pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for words in ("QUÉT MÃ ĐỂ THANH TOÁN", "Tạp hoá Cô Lan", "MÃ TẬP DƯỢT",
                  "Ngân hàng Tập Dượt", STALL):
        assert words in text
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(tmp_path / "page")],
                   check=True)
    assert read_qr(tmp_path / "page-1.png").payload == payload


@pytest.mark.parametrize(("name", "kwargs", "field"), [
    ("", {}, "ten_cua_hang"),
    ("  ", {}, "ten_cua_hang"),
    ("Chè", {"fmt": "svg"}, "dinh_dang"),
    ("Chè", {"size": "A4"}, "kho_giay"),
])
def test_sign_refuses_bad_arguments_naming_the_field(payload, name, kwargs, field):
    with pytest.raises(InvalidInput) as err:
        stall_sign(name, payload, **kwargs)
    assert err.value.field == field


def test_sign_refuses_a_real_bank_code():
    with pytest.raises(InvalidInput, match="ngân hàng tập dượt") as err:
        stall_sign("Tạp hoá Lan", STATIC_TPBANK)
    assert err.value.field == "ngan_hang"


def test_sign_refuses_a_one_time_code():
    one_time = encode(VietQR(TRAINING.bin, STALL, amount=20_000)).payload
    with pytest.raises(InvalidInput, match="mã tĩnh") as err:
        stall_sign("Tạp hoá Lan", one_time)
    assert err.value.field == "ma_qr"


def test_sign_refuses_a_broken_code(payload):
    with pytest.raises(InvalidInput, match="không dùng để thanh toán") as err:
        stall_sign("Tạp hoá Lan", payload[:-4] + "0000")
    assert err.value.field == "ma_qr"


# --- takings ------------------------------------------------------------------------------


def test_takings_lists_time_payer_amount_purpose_in_time_order():
    frame = takings(list(reversed(MORNING)))
    assert tuple(frame.columns) == TAKINGS_COLUMNS
    assert str(frame[AMOUNT_COL].dtype) == "int64"
    assert list(frame["Người trả"])[:3] == ["Trần Văn An", "Trần Văn An", "Lê Thị Hoa"]
    assert frame["Thời gian"].is_monotonic_increasing
    assert frame[AMOUNT_COL].sum() == 320_000
    assert frame["Nội dung"].iloc[-1] == ""


def test_takings_of_an_empty_day_is_an_empty_frame_with_the_columns():
    frame = takings([])
    assert frame.empty and tuple(frame.columns) == TAKINGS_COLUMNS
    assert frame[AMOUNT_COL].sum() == 0


def test_takings_refuses_something_that_is_not_a_payment():
    with pytest.raises(InvalidInput, match="mục thứ 2") as err:
        takings([MORNING[0], {"amount": 5}])
    assert err.value.field == "giao_dich"


def test_amounts_are_shown_the_vietnamese_way():
    shown = formatted(takings(MORNING))
    assert shown[AMOUNT_COL].iloc[2] == "200.000 ₫"
    assert shown["Thời gian"].iloc[0] == "07:05"


# --- reconciliation -------------------------------------------------------------------------


def test_reconcile_matches_missing_and_unexpected():
    sales = [("07:00", "20.000"), ("07:45", 35_000), ("08:15", "200000"), ("09:00", "100.000"),
             ("10:00", 50_000)]
    result = reconcile(MORNING, sales)
    assert list(result.matched["Giờ bán"].dt.strftime("%H:%M")) == [
        "07:00", "07:45", "08:15", "10:00"]
    assert list(result.matched["Giờ nhận tiền"].dt.strftime("%H:%M")) == [
        "07:05", "07:40", "08:10", "10:02"]
    assert list(result.missing[AMOUNT_COL]) == [100_000]
    assert list(result.unexpected[AMOUNT_COL]) == [15_000]
    assert (result.total_expected, result.total_received, result.difference) == (
        405_000, 320_000, -85_000)
    assert not result.balanced
    summary = result.summary()
    assert "Tổng tiền bán theo sổ: 405.000 ₫" in summary
    assert "Đã bán nhưng chưa thấy tiền: 1 khoản (100.000 ₫)" in summary
    assert list(result.totals()[AMOUNT_COL]) == ["405.000 ₫", "320.000 ₫", "-85.000 ₫"]


def test_reconcile_balances_when_every_sale_was_paid():
    sales = [{"time": p.at, "amount": p.amount} for p in MORNING]
    result = reconcile(MORNING, sales)
    assert result.balanced and result.difference == 0
    assert "khớp" in result.summary()


def test_reconcile_pairs_the_closest_payment_first():
    payments = [paid(9, 0, 10_000, "A"), paid(9, 20, 10_000, "B")]
    result = reconcile(payments, [("09:18", 10_000), ("09:02", 10_000)])
    assert list(result.matched["Người trả"]) == ["A", "B"]


def test_a_payment_far_from_the_sale_is_not_a_match():
    result = reconcile([paid(11, 0, 10_000)], [("09:00", 10_000)])
    assert len(result.matched) == 0 and len(result.missing) == 1 and len(result.unexpected) == 1
    assert len(reconcile([paid(11, 0, 10_000)], [("09:00", 10_000)],
                         window_minutes=180).matched) == 1


def test_reconcile_an_empty_day():
    nothing = reconcile([], [])
    assert nothing.balanced and (nothing.total_expected, nothing.total_received) == (0, 0)
    unpaid = reconcile([], [("07:00", "20.000")], day=DAY)
    assert list(unpaid.missing[AMOUNT_COL]) == [20_000] and unpaid.difference == -20_000
    assert unpaid.missing["Giờ bán"].iloc[0] == pd.Timestamp(2025, 11, 10, 7, 0)


def test_reconcile_accepts_a_frame_with_vietnamese_columns():
    sales = pd.DataFrame({"Thời gian": ["07:05", "7h40"], AMOUNT_COL: ["20.000", 35_000]})
    assert len(reconcile(MORNING, sales).matched) == 2


@pytest.mark.parametrize(("sales", "field", "words"), [
    ([("07:00", "20.000"), ("07:30", "200,5")], "so_tien", "dòng 2"),
    ([("25:00", 1_000)], "thoi_gian", "dòng 1"),
    ([("sáng", 1_000)], "thoi_gian", "Thời gian"),
    ([("07:00",)], "so_ban_hang", "dòng 1"),
    ("07:00 20000", "so_ban_hang", "Sổ bán hàng"),
    (None, "so_ban_hang", "Sổ bán hàng"),
])
def test_reconcile_refuses_a_bad_sales_notebook_naming_the_line(sales, field, words):
    with pytest.raises(InvalidInput, match=words) as err:
        reconcile(MORNING, sales)
    assert err.value.field == field


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(6, 20), st.integers(0, 59),
                          st.sampled_from([5_000, 10_000, 20_000])), max_size=8),
       st.lists(st.tuples(st.integers(6, 20), st.integers(0, 59),
                          st.sampled_from([5_000, 10_000, 20_000])), max_size=8))
def test_every_sale_and_payment_lands_in_exactly_one_pile(sold, received):
    payments = [paid(h, m, amount) for h, m, amount in received]
    result = reconcile(payments, [(time(h, m), amount) for h, m, amount in sold], day=DAY)
    assert len(result.matched) + len(result.missing) == len(sold)
    assert len(result.matched) + len(result.unexpected) == len(received)
    matched = int(result.matched[AMOUNT_COL].sum())
    assert matched + int(result.missing[AMOUNT_COL].sum()) == result.total_expected
    assert matched + int(result.unexpected[AMOUNT_COL].sum()) == result.total_received
    gaps = (result.matched["Giờ nhận tiền"] - result.matched["Giờ bán"]).abs()
    assert (gaps <= pd.Timedelta(minutes=trader.MATCH_WINDOW_MINUTES)).all()


# --- chart ----------------------------------------------------------------------------------


def test_chart_is_a_png():
    data = takings_chart(takings(MORNING))
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.width > image.height


def test_chart_of_an_empty_day_says_so_instead_of_failing():
    assert takings_chart(takings([])).startswith(b"\x89PNG")


@pytest.mark.parametrize("frame", [None, [1, 2], pd.DataFrame({"x": [1]})])
def test_chart_refuses_something_that_is_not_a_takings_frame(frame):
    with pytest.raises(InvalidInput) as err:
        takings_chart(frame)
    assert err.value.field == "bang_tien"


def test_importing_the_trader_module_stays_light():
    code = ("import sys, kynangso.domain.trader\n"
            "print(sorted({n.split('.')[0] for n in sys.modules} & "
            "{'pandas', 'matplotlib', 'PIL', 'fpdf', 'segno', 'zxingcpp'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"

