"""QR images: draw with segno (plain code or a VietQR-style practice card), read with zxing-cpp.

Payload text lives in :mod:`.vietqr`; this module only turns it into pixels and back.
Every payment image names the training bank (DESIGN.md): a real banking app that scans a
practice code finds no bank and cannot pay anyone, so drawing a real BIN is refused.
"""

from __future__ import annotations

import importlib.util
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

import segno
import zxingcpp
from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

from ..errors import InvalidInput, KnsError
from ..i18n import _, nfc
from .banks import load_banks
from .money import format_vnd
from .vietqr import DecodeResult, VietQR, decode, encode

ERROR_LEVEL = "m"  # 15% recovery: survives a sticker corner, blur and JPEG in the tests

# DejaVu Sans has every Vietnamese glyph, and matplotlib (pinned) ships it in mpl-data: it
# is there wherever `make start` ran, unlike the system's own font folders.
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
FONT_PACKAGE = "matplotlib"
FONT_SUBDIR = ("mpl-data", "fonts", "ttf")
SVG_FONTS = "DejaVu Sans, Noto Sans, Arial, sans-serif"

RED = "#B71C1C"
PALE_RED = "#FFEBEE"
BLUE = "#0D47A1"
INK = "#1B1B1B"
GREY = "#555555"


# --- drawing ----------------------------------------------------------------------------

def practice_mark() -> str:
    return _("MÃ TẬP DƯỢT")


def practice_line() -> str:
    return _("Chỉ dùng để tập dượt — không thanh toán được")


def _symbol(payload: str) -> segno.QRCode:
    """A segno QR code, after checking a payment payload names the training bank."""
    if not isinstance(payload, str) or not payload.strip():
        raise InvalidInput(_("Nội dung mã QR không được để trống"), field="payload",
                           value=payload)
    _require_training_bank(payload)
    try:
        return segno.make(payload, error=ERROR_LEVEL, micro=False)
    except (segno.DataOverflowError, ValueError) as exc:
        raise InvalidInput(_("Nội dung quá dài để vẽ thành một mã QR: {n} ký tự").format(
            n=len(payload)), field="payload", value=payload) from exc


def _require_training_bank(payload: str) -> None:
    # "000201" opens every EMVCo payment code; only the training bank may appear in one.
    if not payload.lstrip().startswith("000201"):
        return
    training = load_banks().training_bank
    found = decode(payload).value("38.01.00")
    if found != training.bin:
        raise InvalidInput(
            _("Mã BIN ngân hàng: ảnh mã thanh toán chỉ được vẽ cho ngân hàng tập dượt "
              "({name}, mã BIN {bin!r}) để không ứng dụng ngân hàng thật nào trả tiền được, "
              "nhưng mã này ghi mã BIN {value!r}").format(name=training.short_name,
                                                          bin=training.bin, value=found),
            field="bin", value=found)


def qr_png(payload: str, *, scale: int = 8, border: int = 4) -> bytes:
    """The bare QR code as PNG bytes (``border`` is the quiet zone in modules)."""
    out = io.BytesIO()
    _symbol(payload).save(out, kind="png", scale=scale, border=border)
    return out.getvalue()


def qr_svg(payload: str, *, scale: int = 4, border: int = 4) -> str:
    """The bare QR code as an SVG document."""
    out = io.BytesIO()
    _symbol(payload).save(out, kind="svg", scale=scale, border=border, xmldecl=False)
    return out.getvalue().decode("utf-8")


def _font_folders() -> list[Path]:
    # find_spec reads the package's location without importing it: a kernel stays light.
    spec = importlib.util.find_spec(FONT_PACKAGE)
    roots = (spec.submodule_search_locations or []) if spec is not None else []
    return [Path(root).joinpath(*FONT_SUBDIR) for root in roots]


@cache
def font_path(bold: bool = False) -> Path:
    """The DejaVu Sans file inside matplotlib's package, or a Vietnamese error naming it.

    No fallback: every font we could fall back to prints Vietnamese as empty boxes.
    """
    name = FONT_FILES[bool(bold)]
    folders = _font_folders()
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
    where = folders[0] / name if folders else Path(FONT_PACKAGE, *FONT_SUBDIR, name)
    raise KnsError(_("Thiếu tệp phông chữ {file} ({path}) để in chữ tiếng Việt có dấu: tệp này "
                     "đi kèm gói matplotlib, hãy chạy lại make start để cài đủ gói").format(
                         file=name, path=where), field="phong_chu", value=str(where))


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(bold)), size)


def _wrap(text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in filter(None, paragraph.split(" ")):  # a no-break space keeps "200.000 ₫"
            trial = f"{line} {word}".strip()
            if line and font.getlength(trial) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


@dataclass(frozen=True)
class _Line:
    text: str
    size: int
    bold: bool = False
    color: str = INK


def _card_text(qr: VietQR, payload: str, recipient_name: str, bank_name: str) -> list[_Line]:
    shown = decode(payload).qr or qr  # what a payer's app would show, after transliteration
    lines = [
        _Line(recipient_name, 28, True),
        _Line(bank_name, 20, False, GREY),
        _Line(_("Số tài khoản: {account}").format(account=shown.account), 20),
    ]
    if shown.amount is not None:
        lines.append(_Line(_("Số tiền: {amount}").format(amount=format_vnd(shown.amount)), 26, True))
    else:
        lines.append(_Line(_("Số tiền: người trả tự nhập"), 20))
    if shown.purpose:
        lines.append(_Line(_("Nội dung: {purpose}").format(purpose=shown.purpose), 20))
    return lines


def _check_card(qr: VietQR, recipient_name: object, bank_name: object, fmt: object) -> str:
    if not isinstance(qr, VietQR):
        raise InvalidInput(_("Cần một mã VietQR để vẽ thẻ (đang có kiểu {kind})").format(
            kind=type(qr).__name__), field="qr", value=qr)
    training = load_banks().training_bank
    if qr.bin != training.bin:
        raise InvalidInput(
            _("Mã BIN ngân hàng: thẻ mã QR chỉ được vẽ cho ngân hàng tập dượt ({name}, mã BIN "
              "{bin!r}) để không ứng dụng ngân hàng thật nào trả tiền được, nhưng mã này ghi mã "
              "BIN {value!r}").format(name=training.short_name, bin=training.bin, value=qr.bin),
            field="bin", value=qr.bin)
    for field_name, label, value in (("recipient_name", _("Tên người nhận"), recipient_name),
                                     ("bank_name", _("Tên ngân hàng"), bank_name)):
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(_("{field}: không được để trống").format(field=label),
                               field=field_name, value=value)
    if fmt not in ("png", "svg"):
        raise InvalidInput(_("Định dạng ảnh: phải là 'png' hoặc 'svg'"), field="fmt", value=fmt)
    return encode(qr).payload


def payment_card(qr: VietQR, *, recipient_name: str, bank_name: str,
                 fmt: Literal["png", "svg"] = "png") -> bytes | str:
    """A VietQR-style practice card: banner, code, recipient, bank, amount, purpose.

    Refuses (InvalidInput) any bank but the training bank.
    """
    payload = _check_card(qr, recipient_name, bank_name, fmt)
    lines = _card_text(qr, payload, nfc(recipient_name.strip()), nfc(bank_name.strip()))
    if fmt == "svg":
        return _card_svg(payload, lines)
    return _card_png(payload, lines)


WIDTH = 640
MARGIN = 36
BANNER = 92
FOOTER_PAD = 16


def _layout(lines: list[_Line]) -> list[tuple[_Line, list[str], int]]:
    """Each line wrapped to the card width, with its line height."""
    laid = []
    for line in lines:
        font = _font(line.size, line.bold)
        laid.append((line, _wrap(line.text, font, WIDTH - 2 * MARGIN), int(line.size * 1.35)))
    return laid


def _card_png(payload: str, lines: list[_Line]) -> bytes:
    code = Image.open(io.BytesIO(qr_png(payload, scale=1, border=4))).convert("L")
    scale = max(1, 400 // code.width)
    code = code.resize((code.width * scale, code.height * scale), Image.Resampling.NEAREST)
    laid = _layout(lines)
    footer_font = _font(20, True)
    footer = _wrap(practice_line(), footer_font, WIDTH - 2 * MARGIN)
    body = sum(len(wrapped) * step for _line, wrapped, step in laid)
    footer_height = len(footer) * 28 + 2 * FOOTER_PAD
    height = BANNER + 56 + code.height + 24 + body + 24 + footer_height

    card = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, WIDTH - 1, BANNER), fill=RED)
    draw.text((WIDTH / 2, BANNER / 2 - 10), practice_mark(), font=_font(40, True),
              fill="white", anchor="mm")
    draw.text((WIDTH / 2, BANNER - 16), _("Mã giả lập — ngân hàng tập dượt"), font=_font(16),
              fill="white", anchor="mm")
    draw.text((WIDTH / 2, BANNER + 30), _("VietQR (mô phỏng)"), font=_font(24, True),
              fill=BLUE, anchor="mm")
    top = BANNER + 56
    card.paste(code, ((WIDTH - code.width) // 2, top))
    y = top + code.height + 24
    for line, wrapped, step in laid:
        font = _font(line.size, line.bold)
        for text in wrapped:
            draw.text((WIDTH / 2, y + step / 2), text, font=font, fill=line.color, anchor="mm")
            y += step
    y += 24
    draw.rectangle((0, y, WIDTH - 1, height - 1), fill=PALE_RED)
    y += FOOTER_PAD
    for text in footer:
        draw.text((WIDTH / 2, y + 14), text, font=footer_font, fill=RED, anchor="mm")
        y += 28
    draw.rectangle((0, 0, WIDTH - 1, height - 1), outline=RED, width=6)
    out = io.BytesIO()
    card.save(out, format="PNG")
    return out.getvalue()


def _svg_text(x: float, y: float, text: str, size: int, color: str, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:g}" y="{y:g}" font-size="{size}" fill="{color}"{weight} '
            f'text-anchor="middle" dominant-baseline="central">{escape(text)}</text>')


def _card_svg(payload: str, lines: list[_Line]) -> str:
    symbol = _symbol(payload)
    modules = symbol.symbol_size(scale=1, border=4)[0]
    scale = max(1, 400 // modules)
    code_size = modules * scale
    out = io.BytesIO()
    symbol.save(out, kind="svg", scale=scale, border=4, xmldecl=False, svgns=False)
    code = out.getvalue().decode("utf-8").replace(
        "<svg ", f'<svg x="{(WIDTH - code_size) // 2}" y="{BANNER + 56}" ', 1)
    laid = _layout(lines)
    footer = _wrap(practice_line(), _font(20, True), WIDTH - 2 * MARGIN)
    body = sum(len(wrapped) * step for _line, wrapped, step in laid)
    footer_height = len(footer) * 28 + 2 * FOOTER_PAD
    height = BANNER + 56 + code_size + 24 + body + 24 + footer_height
    centre = WIDTH / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family={quoteattr(SVG_FONTS)}>',
        f"<title>{escape(practice_mark())}: {escape(practice_line())}</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="white"/>',
        f'<rect width="{WIDTH}" height="{BANNER}" fill="{RED}"/>',
        _svg_text(centre, BANNER / 2 - 10, practice_mark(), 40, "white", True),
        _svg_text(centre, BANNER - 16, _("Mã giả lập — ngân hàng tập dượt"), 16, "white"),
        _svg_text(centre, BANNER + 30, _("VietQR (mô phỏng)"), 24, BLUE, True),
        code,
    ]
    y = BANNER + 56 + code_size + 24
    for line, wrapped, step in laid:
        for text in wrapped:
            parts.append(_svg_text(centre, y + step / 2, text, line.size, line.color, line.bold))
            y += step
    y += 24
    parts.append(f'<rect x="0" y="{y}" width="{WIDTH}" height="{height - y}" fill="{PALE_RED}"/>')
    y += FOOTER_PAD
    for text in footer:
        parts.append(_svg_text(centre, y + 14, text, 20, RED, True))
        y += 28
    parts.append(f'<rect x="3" y="3" width="{WIDTH - 6}" height="{height - 6}" fill="none" '
                 f'stroke="{RED}" stroke-width="6"/>')
    parts.append("</svg>")
    return "\n".join(parts)


# --- reading ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ReadResult:
    payload: str
    decoded: DecodeResult | None  # None when the code is not a payment code at all

    @property
    def ok(self) -> bool:
        return self.decoded is not None and self.decoded.ok


def _not_an_image(value: object) -> InvalidInput:
    # ``value`` (what the file looked like) is for logs; the message says what to do.
    return InvalidInput(
        _("Tệp tải lên không phải là ảnh (PNG, JPEG...) hoặc ảnh bị hỏng; hãy chụp lại hoặc "
          "chọn một tệp ảnh khác"), field="image", value=value)


def _describe(image: object) -> str:
    if isinstance(image, (bytes, bytearray, memoryview)):
        return _("dữ liệu {n} byte bắt đầu bằng {head!r}").format(
            n=len(image), head=bytes(image[:8]))
    return repr(image)


def _open(image: bytes | Image.Image | str | os.PathLike) -> Image.Image:
    if isinstance(image, Image.Image):
        picture = image
    elif isinstance(image, (bytes, bytearray, memoryview)):
        try:
            picture = Image.open(io.BytesIO(bytes(image)))
        except (OSError, ValueError, Image.DecompressionBombError):
            raise _not_an_image(_describe(image)) from None
    elif isinstance(image, (str, os.PathLike)):
        path = Path(image)
        if not path.is_file():
            raise InvalidInput(_("Không tìm thấy tệp ảnh: hãy kiểm tra lại tên tệp và thư mục"),
                               field="image", value=str(path))
        try:
            picture = Image.open(path)
        except (OSError, ValueError, Image.DecompressionBombError):
            raise _not_an_image(repr(path.name)) from None
    else:
        raise _not_an_image(_describe(image))
    try:
        picture.load()
        picture = ImageOps.exif_transpose(picture)  # phone photos carry their rotation in EXIF
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise _not_an_image(_describe(image)) from None
    if picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and
                                                "transparency" in picture.info):
        # Transparent pixels are black underneath; a code drawn on them must sit on white.
        rgba = picture.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if picture.mode not in ("L", "RGB"):
        return picture.convert("RGB")
    return picture


def _variants(picture: Image.Image) -> Iterator[tuple[Image.Image, zxingcpp.Binarizer]]:
    """The picture as is, then cleaned-up versions a phone camera would need."""
    yield picture, zxingcpp.Binarizer.LocalAverage
    gray = ImageOps.autocontrast(picture.convert("L"), cutoff=1)
    yield gray, zxingcpp.Binarizer.GlobalHistogram
    smooth = gray.filter(ImageFilter.MedianFilter(3))
    yield smooth, zxingcpp.Binarizer.LocalAverage
    if min(gray.size) < 1200:  # a thumbnail: modules of one or two pixels
        big = gray.resize((gray.width * 2, gray.height * 2), Image.Resampling.BICUBIC)
        yield big.filter(ImageFilter.UnsharpMask(radius=2, percent=200, threshold=0)), \
            zxingcpp.Binarizer.LocalAverage
    yield gray.filter(ImageFilter.UnsharpMask(radius=3, percent=250, threshold=2)), \
        zxingcpp.Binarizer.LocalAverage
    yield smooth.filter(ImageFilter.GaussianBlur(1)), zxingcpp.Binarizer.GlobalHistogram


def _find_codes(picture: Image.Image) -> list[str]:
    for variant, binarizer in _variants(picture):
        found = zxingcpp.read_barcodes(variant, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
                                       binarizer=binarizer, text_mode=zxingcpp.TextMode.Plain)
        texts = [code.text for code in found if code.valid]
        if texts:
            return texts
    return []


def read_qr(image: bytes | Image.Image | str | os.PathLike, *,
            require_vietqr: bool = True) -> ReadResult:
    """Find exactly one QR code in an image and decode it as VietQR.

    ``image`` is file bytes, a Pillow image or a path. A code that is not a payment code
    (a link, say) raises InvalidInput unless ``require_vietqr`` is False, in which case it is
    returned with ``decoded=None`` (scam lessons show where a link leads).
    """
    codes = _find_codes(_open(image))
    if not codes:
        raise InvalidInput(
            _("Không tìm thấy mã QR nào trong ảnh: hãy chụp lại cho rõ, đủ sáng, mã nằm trọn "
              "trong khung"), field="image")
    if len(codes) > 1:
        raise InvalidInput(
            _("Ảnh có {n} mã QR, chỉ được có một: hãy chụp riêng từng mã").format(n=len(codes)),
            field="image", value=codes)
    payload = codes[0]
    if not payload.lstrip().startswith("0002"):
        if require_vietqr:
            raise InvalidInput(
                _("Mã QR này không phải mã thanh toán VietQR; nội dung của mã là {value!r}")
                .format(value=payload[:120]), field="image", value=payload)
        return ReadResult(payload, None)
    return ReadResult(payload, decode(payload))
