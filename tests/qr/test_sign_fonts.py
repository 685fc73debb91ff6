"""Printed signs and cards show Vietnamese diacritics with the font matplotlib ships, on a
machine with no system fonts: the PDF embeds it, its text reads back, its pixels show accents."""

from __future__ import annotations

import html
import importlib.util
import io
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from kynangso.domain import qrimage
from kynangso.domain.qrimage import font_path, payment_card, read_qr
from kynangso.domain.trader import shop_qr, stall_sign
from kynangso.domain.vietqr import VietQR
from kynangso.errors import KnsError

NAME = "Lê Thị Ánh – Bánh cuốn"
PLAIN = "Le Thi Anh – Banh cuon"  # the same letters without diacritics, for comparison
DPI = 100
DOT_BELOW = "\u0323"  # "ị", "ạ": a mark under the letter
POPPLER = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdffonts", "pdftotext", "pdftoppm")),
    reason="poppler-utils (pdffonts, pdftotext, pdftoppm) not installed")
MPL_FONTS = Path(importlib.util.find_spec("matplotlib").submodule_search_locations[0],
                 "mpl-data", "fonts", "ttf")


@pytest.fixture(scope="module")
def payload() -> str:
    return shop_qr("Tạp hoá Cô Lan", "0999000001")


@pytest.fixture
def fresh_fonts():
    """Forget cached font lookups before and after a test that moves the font."""
    caches = (qrimage.font_path, qrimage._font)  # the real ones, even if a test patches them
    for cached in caches:
        cached.cache_clear()
    yield
    for cached in caches:
        cached.cache_clear()


@pytest.fixture
def used_fonts(monkeypatch, fresh_fonts) -> list[Path]:
    """Every font file the drawing code asks for while the test runs."""
    seen: list[Path] = []
    real = qrimage.font_path

    def spy(bold: bool = False) -> Path:
        seen.append(real(bold))
        return seen[-1]

    monkeypatch.setattr(qrimage, "font_path", spy)
    return seen


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


# --- where the font comes from ------------------------------------------------------------

@pytest.mark.parametrize("bold", [False, True])
def test_font_is_the_dejavu_file_inside_the_matplotlib_package(bold):
    path = font_path(bold)
    assert path.is_file()
    assert path.parent == MPL_FONTS
    assert path.name == ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    assert not str(path).startswith("/usr/share/fonts")


def test_pdf_and_png_signs_ask_only_for_matplotlibs_font(payload, used_fonts):
    stall_sign(NAME, payload, fmt="pdf")
    stall_sign(NAME, payload, fmt="png")
    assert used_fonts and {p.parent for p in used_fonts} == {MPL_FONTS}


def test_payment_card_asks_only_for_matplotlibs_font(used_fonts):
    training = qrimage.load_banks().training_bank
    payment_card(VietQR(training.bin, "0999000001", amount=20000),
                 recipient_name="Lê Thị Ánh", bank_name=training.short_name)
    assert used_fonts and {p.parent for p in used_fonts} == {MPL_FONTS}


def test_finding_the_font_does_not_import_matplotlib():
    code = ("import sys\nfrom kynangso.domain.qrimage import font_path\nfont_path(True)\n"
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- no fallback: a missing font is a clear Vietnamese error ---------------------------------

def test_missing_font_file_is_a_vietnamese_error_naming_the_file(payload, monkeypatch, tmp_path,
                                                                 fresh_fonts):
    monkeypatch.setattr(qrimage, "_font_folders", lambda: [tmp_path])
    for fmt in ("pdf", "png"):
        with pytest.raises(KnsError) as err:
            stall_sign(NAME, payload, fmt=fmt)
        assert err.value.field == "phong_chu"
        assert "DejaVuSans" in str(err.value) and str(tmp_path) in str(err.value)
        assert "phông chữ" in str(err.value) and "matplotlib" in str(err.value)


def test_missing_package_is_a_vietnamese_error_too(monkeypatch, fresh_fonts):
    monkeypatch.setattr(qrimage, "FONT_PACKAGE", "kynangso_no_such_package")
    with pytest.raises(KnsError) as err:
        font_path()
    assert "DejaVuSans.ttf" in str(err.value) and "tiếng Việt" in str(err.value)


def test_payment_card_refuses_to_draw_without_the_font(monkeypatch, tmp_path, fresh_fonts):
    monkeypatch.setattr(qrimage, "_font_folders", lambda: [tmp_path])
    training = qrimage.load_banks().training_bank
    with pytest.raises(KnsError) as err:
        payment_card(VietQR(training.bin, "0999000001"), recipient_name="Lê Thị Ánh",
                     bank_name=training.short_name)
    assert "DejaVuSans" in str(err.value)


# --- the PDF read back with poppler ----------------------------------------------------------

def sign_pdf(tmp_path: Path, name: str, payload: str) -> Path:
    path = tmp_path / f"{'plain' if name == PLAIN else 'vi'}.pdf"
    path.write_bytes(stall_sign(name, payload, fmt="pdf"))
    return path


@POPPLER
def test_pdf_embeds_dejavu_as_a_unicode_font(payload, tmp_path):
    rows = run("pdffonts", str(sign_pdf(tmp_path, NAME, payload))).splitlines()[2:]
    fonts = {row.split()[0].split("+")[-1]: row.split()[-5:-2] for row in rows}
    assert set(fonts) == {"DejaVuSansBook", "DejaVuSansBold"}, rows
    assert all(flags == ["yes", "yes", "yes"] for flags in fonts.values()), rows  # emb sub uni


def test_pdf_embeds_the_font_program_not_a_system_file_reference(payload):
    # The font travels inside the PDF (FontFile2), so the print shop needs no font either.
    data = stall_sign(NAME, payload, fmt="pdf")
    assert b"/FontFile2" in data and b"DejaVuSans" in data
    assert b"/usr/share/fonts" not in data


@POPPLER
def test_pdf_text_reads_back_with_every_diacritic(payload, tmp_path):
    text = run("pdftotext", "-enc", "UTF-8", str(sign_pdf(tmp_path, NAME, payload)), "-")
    assert text == unicodedata.normalize("NFC", text)
    assert NAME in " ".join(text.split())  # a long name may wrap onto a second line


def name_boxes(pdf: Path, name: str) -> list[tuple[float, float, float, float]]:
    """Boxes (points) of the name's words, in order, from ``pdftotext -bbox``."""
    page = run("pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-")
    words = [(html.unescape(w), tuple(float(v) for v in box)) for *box, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        page)]
    wanted = name.split()
    for start in range(len(words)):
        if [w for w, _box in words[start:start + len(wanted)]] == wanted:
            return [box for _w, box in words[start:start + len(wanted)]]
    raise AssertionError(f"{name!r} not found in {[w for w, _b in words]}")


def ink(image: Image.Image, box: tuple[float, float, float, float], top: float, bottom: float
        ) -> int:
    """Dark pixels in the slice [top, bottom) (fractions of the box height) of a word box."""
    x0, y0, x1, y1 = (v * DPI / 72 for v in box)
    height = y1 - y0
    crop = image.crop((round(x0), round(y0 + top * height), round(x1), round(y0 + bottom * height)))
    return int((np.asarray(crop) < 128).sum())


def rendered(pdf: Path, tmp_path: Path) -> Image.Image:
    stem = tmp_path / pdf.stem
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(DPI), str(pdf), str(stem)], check=True)
    return Image.open(f"{stem}-1.png").convert("L")


@POPPLER
def test_pdf_page_shows_the_name_and_its_accents(payload, tmp_path):
    vi_pdf, plain_pdf = sign_pdf(tmp_path, NAME, payload), sign_pdf(tmp_path, PLAIN, payload)
    vi_boxes, plain_boxes = name_boxes(vi_pdf, NAME), name_boxes(plain_pdf, PLAIN)
    vi_page, plain_page = rendered(vi_pdf, tmp_path), rendered(plain_pdf, tmp_path)
    assert read_qr(vi_page).payload == payload

    # Every word of the name leaves ink where poppler says it is.
    for box in vi_boxes:
        assert ink(vi_page, box, 0.0, 1.0) > 20, box
    # Above the capitals (the top third of the line box) only accents can leave ink; the
    # words with a mark there ("Lê", "Ánh", "Bánh", "cuốn") differ from their plain twins.
    accented = [i for i, word in enumerate(NAME.split()) if any(
        unicodedata.combining(c) and c != DOT_BELOW for c in unicodedata.normalize("NFD", word))]
    assert [NAME.split()[i] for i in accented] == ["Lê", "Ánh", "Bánh", "cuốn"]
    for i in accented:
        with_marks = ink(vi_page, vi_boxes[i], 0.0, 0.33)
        without = ink(plain_page, plain_boxes[i], 0.0, 0.33)
        assert with_marks > without + 10, (NAME.split()[i], with_marks, without)
    # The dot below "ị" sits under the baseline, where "i" leaves none.
    thi = NAME.split().index("Thị")
    assert ink(vi_page, vi_boxes[thi], 0.78, 1.0) > ink(plain_page, plain_boxes[thi], 0.78, 1.0)


def test_png_sign_draws_the_accents_and_still_scans(payload):
    vi = Image.open(io.BytesIO(stall_sign(NAME, payload))).convert("L")
    plain = Image.open(io.BytesIO(stall_sign(PLAIN, payload))).convert("L")
    assert vi.size == plain.size
    differing = int((abs(np.asarray(vi, dtype=int) - np.asarray(plain, dtype=int)) > 64).sum())
    assert differing > 100  # accents drawn; a glyph-less font would draw boxes or nothing
    assert read_qr(encode_png(vi)).payload == payload


def encode_png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()

