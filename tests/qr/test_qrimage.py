"""QR images: practice cards are drawn, refused for real banks, and read back when degraded."""

from __future__ import annotations

import io
import unicodedata
import xml.etree.ElementTree as ET
from functools import cache

import numpy as np
import pytest
import segno
from PIL import Image, ImageDraw, ImageFilter

from kynangso.domain import qrimage
from kynangso.domain.banks import load_banks
from kynangso.domain.qrimage import payment_card, qr_png, qr_svg, read_qr
from kynangso.domain.vietqr import VietQR, decode, encode
from kynangso.errors import InvalidInput, KnsError

TRAINING = load_banks().training_bank
PRACTICE = VietQR(TRAINING.bin, "0123456789", amount=200000, name="Nguyễn Văn Ánh",
                  purpose="Lệ phí lý lịch tư pháp")
PAYLOAD = encode(PRACTICE).payload


@cache
def card_png() -> bytes:
    return payment_card(PRACTICE, recipient_name="Nguyễn Văn Ánh", bank_name=TRAINING.short_name)


def card() -> Image.Image:
    return Image.open(io.BytesIO(card_png())).convert("RGB")


def assert_reads_practice_code(image) -> None:
    result = read_qr(image)
    assert result.payload == PAYLOAD
    assert result.ok and result.decoded.qr.amount == 200000


def assert_vietnamese(error: InvalidInput, *words: str) -> None:
    assert error.message == unicodedata.normalize("NFC", error.message)
    for word in words:
        assert word in error.message


# --- drawing ----------------------------------------------------------------------------

def test_qr_png_is_a_png_that_reads_back():
    data = qr_png(PAYLOAD, scale=4)
    assert data.startswith(b"\x89PNG")
    assert read_qr(data).payload == PAYLOAD


def test_qr_svg_is_an_svg_document():
    svg = qr_svg(PAYLOAD)
    assert ET.fromstring(svg).tag.endswith("svg")


def test_raw_payload_and_drawing_are_separate():
    # The payload is tested as text in test_vietqr; drawing adds nothing to it.
    assert read_qr(qr_png(PAYLOAD)).payload == encode(PRACTICE).payload


def test_card_png_reads_back_to_the_same_payload():
    assert_reads_practice_code(card_png())


def test_card_svg_names_the_practice_and_the_amount():
    svg = payment_card(PRACTICE, recipient_name="Nguyễn Văn Ánh", bank_name="NH Tập Dượt",
                       fmt="svg")
    root = ET.fromstring(svg)
    texts = [node.text for node in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "MÃ TẬP DƯỢT" in texts
    assert "Chỉ dùng để tập dượt — không thanh toán được" in texts
    assert "Số tiền: 200.000\xa0₫" in texts
    assert "Nguyễn Văn Ánh" in texts and "NH Tập Dượt" in texts
    assert any(text.startswith("Nội dung: Le phi ly lich tu phap") for text in texts)
    assert svg == unicodedata.normalize("NFC", svg)


def test_card_escapes_markup_in_names():
    svg = payment_card(PRACTICE, recipient_name="A <b>&</b>", bank_name="NH Tập Dượt", fmt="svg")
    assert ET.fromstring(svg) is not None
    assert "A &lt;b&gt;&amp;&lt;/b&gt;" in svg


def test_card_without_amount_says_the_payer_types_it():
    static = VietQR(TRAINING.bin, "0123456789")
    svg = payment_card(static, recipient_name="Chị Lan", bank_name="NH Tập Dượt", fmt="svg")
    assert "Số tiền: người trả tự nhập" in svg


def test_money_is_formatted_the_vietnamese_way():
    assert qrimage.format_vnd(200000) == "200.000\xa0₫"
    assert qrimage.format_vnd(1234567) == "1.234.567\xa0₫"


def test_card_refuses_to_draw_without_the_vietnamese_font(monkeypatch, tmp_path):
    # No fallback to a font that prints Vietnamese as boxes: a clear error names the file.
    monkeypatch.setattr(qrimage, "_font_folders", lambda: [tmp_path])
    caches = (qrimage.font_path, qrimage._font)
    for cached in caches:
        cached.cache_clear()
    try:
        with pytest.raises(KnsError) as caught:
            payment_card(PRACTICE, recipient_name="Nguyễn Văn Ánh", bank_name="NH Tập Dượt")
    finally:
        for cached in caches:
            cached.cache_clear()
    assert caught.value.field == "phong_chu"
    assert str(tmp_path / "DejaVuSans") in str(caught.value)


@pytest.mark.parametrize("bin_", ["970436", "970422", "970499"])
def test_card_refuses_a_real_bank(bin_):
    real = VietQR(bin_, "0123456789", amount=200000)
    with pytest.raises(InvalidInput) as caught:
        payment_card(real, recipient_name="Nguyễn Văn Ánh", bank_name="Vietcombank")
    assert caught.value.field == "bin"
    assert_vietnamese(caught.value, "Mã BIN ngân hàng", "tập dượt", bin_)


def test_bare_code_of_a_real_bank_is_refused_too():
    real = encode(VietQR("970436", "0123456789", amount=200000)).payload
    for draw in (qr_png, qr_svg):
        with pytest.raises(InvalidInput) as caught:
            draw(real)
        assert caught.value.field == "bin"


def test_a_link_can_be_drawn_for_scam_lessons():
    assert qr_png("https://dichvucongs.top/tra-cuu").startswith(b"\x89PNG")


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"recipient_name": " ", "bank_name": "NH Tập Dượt"}, "recipient_name"),
    ({"recipient_name": "Chị Lan", "bank_name": ""}, "bank_name"),
    ({"recipient_name": "Chị Lan", "bank_name": "NH Tập Dượt", "fmt": "gif"}, "fmt"),
])
def test_card_rejects_bad_arguments_naming_the_field(kwargs, field):
    with pytest.raises(InvalidInput) as caught:
        payment_card(PRACTICE, **kwargs)
    assert caught.value.field == field and caught.value.value == kwargs.get(field, "png")
    assert_vietnamese(caught.value, "Tên" if field != "fmt" else "Định dạng ảnh")
    assert "nhận được" not in caught.value.message


def test_card_passes_on_encoding_errors():
    with pytest.raises(InvalidInput) as caught:
        payment_card(VietQR(TRAINING.bin, "12 34"), recipient_name="A", bank_name="B")
    assert caught.value.field == "account"


def test_empty_payload_is_not_drawn():
    with pytest.raises(InvalidInput):
        qr_png("")


# --- reading degraded images ------------------------------------------------------------

def to_jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=quality)
    return out.getvalue()


def perspective(image: Image.Image) -> Image.Image:
    """A phone held at an angle: the card's corners moved inwards unevenly."""
    w, h = image.size
    target = [(0, 0), (w, 0), (w, h), (0, h)]
    source = [(0.06 * w, 0.02 * h), (0.97 * w, 0.08 * h), (0.92 * w, 0.97 * h), (0.02 * w, h)]
    rows = []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    coeffs = np.linalg.solve(np.array(rows, float), np.array(source, float).reshape(8))
    return image.transform((w, h), Image.Transform.PERSPECTIVE, tuple(coeffs),
                           Image.Resampling.BICUBIC, fillcolor="white")


def noisy(image: Image.Image, sigma: float) -> Image.Image:
    rng = np.random.default_rng(7)
    pixels = np.asarray(image, dtype=np.float64)
    pixels = pixels + rng.normal(0, sigma, pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def on_desk(image: Image.Image) -> Image.Image:
    """The card photographed on a grey desk, smaller, slightly dim."""
    desk = Image.new("RGB", (image.width + 400, image.height + 300), (120, 118, 110))
    desk.paste(image.point(lambda v: int(v * 0.85)), (230, 120))
    return desk.resize((desk.width // 2, desk.height // 2), Image.Resampling.BILINEAR)


DEGRADED = {
    "screenshot_png": lambda: card_png(),
    "rotated_7": lambda: card().rotate(7, expand=True, fillcolor="white",
                                       resample=Image.Resampling.BICUBIC),
    "rotated_90": lambda: card().rotate(90, expand=True),
    "scaled_down": lambda: card().resize((260, 328), Image.Resampling.LANCZOS),
    "scaled_up": lambda: card().resize((1280, 1616), Image.Resampling.BICUBIC),
    "gaussian_blur": lambda: card().filter(ImageFilter.GaussianBlur(2.5)),
    # These two need the reader's cleaned-up variants (sharpened, upscaled), not just zxing.
    "out_of_focus": lambda: card().filter(ImageFilter.GaussianBlur(3.8)),
    "thumbnail": lambda: card().resize((100, 126), Image.Resampling.LANCZOS),
    "noise": lambda: noisy(card(), 45),
    "jpeg_q15": lambda: to_jpeg(card(), 15),
    "perspective": lambda: perspective(card()),
    "photo_on_desk": lambda: to_jpeg(on_desk(card()), 60),
    "grayscale": lambda: card().convert("L"),
    "transparent_png": lambda: qr_png_transparent(),
}


def qr_png_transparent() -> bytes:
    out = io.BytesIO()
    segno.make(PAYLOAD, error="m").save(out, kind="png", scale=5, light=None)
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(DEGRADED))
def test_degraded_practice_card_still_reads(name):
    assert_reads_practice_code(DEGRADED[name]())


def test_read_accepts_a_path(tmp_path):
    path = tmp_path / "the.png"
    path.write_bytes(card_png())
    assert_reads_practice_code(path)
    assert_reads_practice_code(str(path))


def test_missing_file_is_named(tmp_path):
    with pytest.raises(InvalidInput) as caught:
        read_qr(tmp_path / "none.png")
    assert_vietnamese(caught.value, "Không tìm thấy tệp ảnh", "tên tệp")
    assert caught.value.value.endswith("none.png") and "none.png" not in caught.value.message


def test_empty_image_has_no_code():
    blank = Image.new("RGB", (400, 300), "white")
    with pytest.raises(InvalidInput) as caught:
        read_qr(blank)
    assert caught.value.field == "image"
    assert_vietnamese(caught.value, "Không tìm thấy mã QR")


def test_two_codes_side_by_side_are_refused():
    other = encode(VietQR(TRAINING.bin, "9876543210", amount=50000)).payload
    left = Image.open(io.BytesIO(qr_png(PAYLOAD, scale=5)))
    right = Image.open(io.BytesIO(qr_png(other, scale=5)))
    both = Image.new("L", (left.width + right.width, max(left.height, right.height)), 255)
    both.paste(left, (0, 0))
    both.paste(right, (left.width, 0))
    with pytest.raises(InvalidInput) as caught:
        read_qr(both)
    assert_vietnamese(caught.value, "Ảnh có 2 mã QR")


def test_a_link_qr_is_not_a_payment_code():
    url = "https://dichvucong.bvgov.com/cap-nhat"
    with pytest.raises(InvalidInput) as caught:
        read_qr(qr_png(url))
    assert_vietnamese(caught.value, "không phải mã thanh toán VietQR", url)
    result = read_qr(qr_png(url), require_vietqr=False)
    assert result.payload == url and result.decoded is None and not result.ok


def test_a_payment_code_with_problems_is_read_and_explained():
    # The sticker scam: a code whose CRC no longer matches, printed in training colours.
    tampered = PAYLOAD[:-4] + ("0000" if not PAYLOAD.endswith("0000") else "1111")
    result = read_qr(qr_png(tampered))
    assert not result.ok
    assert "crc_mismatch" in result.decoded.codes
    assert decode(tampered).problems == result.decoded.problems


@pytest.mark.parametrize("data", [
    b"",
    b"this is not an image at all",
    b"%PDF-1.7\n1 0 obj",
])
def test_a_file_that_is_not_an_image_is_refused(data):
    with pytest.raises(InvalidInput) as caught:
        read_qr(data)
    assert caught.value.field == "image"
    assert_vietnamese(caught.value, "Tệp tải lên không phải là ảnh")


def test_a_corrupted_png_is_refused():
    data = card_png()
    broken = data[: len(data) // 2]  # the upload stopped halfway
    with pytest.raises(InvalidInput) as caught:
        read_qr(broken)
    assert_vietnamese(caught.value, "Tệp tải lên không phải là ảnh")


def test_something_that_is_not_a_file_is_refused():
    with pytest.raises(InvalidInput):
        read_qr(12345)  # type: ignore[arg-type]


def test_a_text_file_path_is_refused(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("xin chào", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_qr(path)
    assert_vietnamese(caught.value, "Tệp tải lên không phải là ảnh", "chọn một tệp ảnh khác")
    assert "note.txt" not in caught.value.message


def test_reading_a_sticker_drawn_over_part_of_the_code_still_works():
    # Error correction M restores a small covered corner, as a real sticker edge would be.
    image = card()
    draw = ImageDraw.Draw(image)
    left = (image.width - 400) // 2 + 60
    draw.rectangle((left + 200, 400, left + 225, 425), fill="white")
    assert_reads_practice_code(image)
