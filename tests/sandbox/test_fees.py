"""The ward's fee account and fee code, shared by the portal and the wallet."""

from __future__ import annotations

from datetime import datetime

from kynangso.domain.banks import load_banks
from kynangso.domain.vietqr import decode
from kynangso.sandbox import fees
from kynangso.sandbox.store import Sandbox


def test_one_collection_account_owned_by_the_system(tmp_path):
    with Sandbox.open(tmp_path, start=datetime(2025, 11, 10, 8, 0), clock_running=False) as box:
        # A trainee naming an account like the ward's must not receive the ward's fees.
        box.wallets.open_account("zalopay", fees.collection_name(), balance=0, pin="135790")
        first = fees.collection_account(box)
        assert fees.collection_account(box) == first
        assert box.wallets.account(first.id).holder_name == "Phường Trúc Lâm - thu phí (tập dượt)"
        assert [a.number for a in box.wallets.accounts(owner=fees.COLLECTOR)] == [first.number]


def test_fee_code_is_a_training_bank_code_naming_the_dossier(tmp_path):
    with Sandbox.open(tmp_path, start=datetime(2025, 11, 10, 8, 0), clock_running=False) as box:
        dossier = box.dossiers.create("tam-tru", {"ho_ten": "Lê Thị Hoa"}, channel="cong-dvc")
        result = decode(fees.fee_payload(box, dossier))
    assert result.ok and result.qr.dynamic and result.qr.amount == 7_000
    assert result.qr.bin == load_banks().training_bank.bin
    # "LP <code>" when it fits the 25-character purpose, else the code alone (a dotted
    # agency identifier makes the code itself 25 characters long).
    assert result.qr.purpose in (f"LP {dossier.code}", dossier.code)
    assert result.qr.bill_number == dossier.code
