"""Every QR image a trainee is shown is a practice code at the training bank.

Structurally: only domain/qrimage.py draws QR codes (no other module of the package or
app uses segno), and qrimage refuses to draw a payment code of any other bank. The
screens' own tests decode what they draw (portal fee card, trader sign, role play).
"""

from __future__ import annotations

import ast
import json

import pytest

from kynangso.domain.banks import load_banks
from kynangso.domain.qrimage import payment_card, qr_png, qr_svg, read_qr
from kynangso.domain.vietqr import VietQR, encode
from kynangso.errors import InvalidInput

from helpers import ROOT

PACKAGE = ROOT / "widgets" / "kynangso"


def _imports(source: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "apps").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        yield path, "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def test_only_qrimage_draws_qr_codes():
    drawers = [str(p.relative_to(ROOT)) for p, src in _sources()
               if "segno" in _imports(src) and p.name != "qrimage.py"]
    assert drawers == []


@pytest.mark.parametrize("bank", [b for b in load_banks() if not b.training],
                         ids=lambda b: b.short_name)
def test_a_real_bank_code_is_never_drawn(bank):
    payload = encode(VietQR(bin=bank.bin, account="0123456789", amount=10_000)).payload
    for draw in (qr_png, qr_svg):
        with pytest.raises(InvalidInput):
            draw(payload)
    with pytest.raises(InvalidInput):
        payment_card(VietQR(bin=bank.bin, account="0123456789", amount=10_000),
                     recipient_name="Cửa hàng", bank_name=bank.short_name)


def test_a_drawn_practice_card_reads_back_as_the_training_bank():
    training = load_banks().training_bank
    card = payment_card(VietQR(bin=training.bin, account="0999000001", amount=7_000,
                               purpose="LP TRUCLAM-251110-0001"),
                        recipient_name="Phường Trúc Lâm - thu phí (tập dượt)",
                        bank_name=training.short_name)
    read = read_qr(card)
    assert read.decoded.ok and read.decoded.qr.bin == training.bin
