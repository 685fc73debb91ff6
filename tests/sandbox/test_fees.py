"""The ward's fee account and the fee code row, shared by the portal and the wallet."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from kynangso.domain.banks import load_banks
from kynangso.domain.vietqr import decode, encode
from kynangso.errors import InvalidInput, MissingEntry
from kynangso.sandbox import fees
from kynangso.sandbox.fees import FeeDesk
from kynangso.sandbox.store import Sandbox

MONDAY_8AM = datetime(2025, 11, 10, 8, 0)


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


# --- the fee code row ---------------------------------------------------------------------------


PIN = "246802"


@pytest.fixture
def box(tmp_path, monkeypatch):
    monkeypatch.setenv("KYNANGSO_HASH_ITERATIONS", "1000")
    with Sandbox.open(tmp_path, actor="an", start=MONDAY_8AM, clock_running=False) as box:
        yield box


@pytest.fixture
def dossier(box):
    """A submitted residence dossier of "an": 7.000 ₫ online."""
    code = box.dossiers.create("tam-tru", {"ho_ten": "Lê Thị Hoa"}, channel="cong-dvc").code
    return box.dossiers.submit(code)


@pytest.fixture
def payer(box):
    return box.wallets.open_account("zalopay", "Lê Thị Hoa", balance=100_000, pin=PIN)


def test_a_fee_code_is_issued_once_and_the_same_payload_every_time(box, dossier):
    desk = FeeDesk(box)
    assert desk.get(dossier.code) is None
    first = desk.code_for(dossier.code)
    again = FeeDesk(box.as_actor("binh", "trainee")).code_for(dossier.code)
    assert again == first and fees.fee_payload(box, dossier) == first.payload
    ward = fees.collection_account(box)
    assert (first.amount, first.account, first.bank_bin, first.payee_name) == (
        7_000, ward.number, ward.bank_bin, "Phường Trúc Lâm - thu phí (tập dượt)")
    assert (first.owner, first.procedure_code, first.created_by) == ("an", "tam-tru", "an")
    assert first.created_at == MONDAY_8AM and not first.paid
    assert decode(first.payload).qr.bill_number == dossier.code
    [issued] = box.events(action="fee.code_issued")
    assert issued.subject == dossier.code and issued.payload["payload"] == first.payload
    assert desk.codes() == [first]


def test_a_free_or_unverified_fee_gets_no_code(box):
    free = box.dossiers.create("khai-sinh", {"ho_ten": "Lê Thị Hoa"}, channel="cong-dvc")
    with pytest.raises(InvalidInput, match="không có lệ phí") as err:
        FeeDesk(box).code_for(free.code)
    assert err.value.field == "le_phi"
    with pytest.raises(MissingEntry):
        FeeDesk(box).code_for("TRUCLAM-251110-0099")
    assert FeeDesk(box).codes() == []


def test_paying_the_code_links_the_payment_to_it(box, dossier, payer):
    fee = FeeDesk(box).code_for(dossier.code)
    receipt = box.wallets.pay(payer.id, fee.payload, pin=PIN, idempotency_key="fee-1")
    paid = FeeDesk(box).get(dossier.code)
    assert (paid.payment_reference, paid.paid_at) == (receipt.reference, MONDAY_8AM)
    assert receipt.payment.dossier_code == dossier.code and box.dossiers.get(dossier.code).fee_paid
    assert FeeDesk(box).payable() == []
    # The double tap gets the first receipt; the row keeps the first payment.
    assert box.wallets.pay(payer.id, fee.payload, pin=PIN, idempotency_key="fee-1").duplicate
    assert FeeDesk(box).get(dossier.code).payment_reference == receipt.reference


def test_a_wrong_amount_is_refused_and_the_code_stays_unpaid(box, dossier, payer):
    fee = FeeDesk(box).code_for(dossier.code)
    wrong = encode(replace(fee.qr, amount=1_000)).payload
    with pytest.raises(InvalidInput, match=r"7\.000") as err:
        box.wallets.pay(payer.id, wrong, pin=PIN, idempotency_key="fee-wrong")
    assert err.value.field == "le_phi"
    assert not FeeDesk(box).get(dossier.code).paid
    assert box.wallets.account(payer.id).balance == 100_000
    assert [f.dossier_code for f in FeeDesk(box).payable()] == [dossier.code]


def test_once_issued_only_its_account_receives_the_fee(box, dossier, payer):
    fee = FeeDesk(box).code_for(dossier.code)
    other = box.as_actor("ke-gian", "trainee").wallets.open_account(
        "ngan-hang", "Thu phí hộ", balance=0, pin="112233")
    lookalike = encode(replace(fee.qr, account=other.number)).payload
    receipt = box.wallets.pay(payer.id, lookalike, pin=PIN, idempotency_key="k")
    # An ordinary transfer, as at a real bank: the fee is still due.
    assert receipt.payment.dossier_code is None
    assert not box.dossiers.get(dossier.code).fee_paid and not FeeDesk(box).get(dossier.code).paid


def test_paying_the_ward_before_any_code_was_asked_issues_and_links_it(box, dossier, payer):
    ward = fees.collection_account(box)
    payload = encode(fees.fee_qr(dossier, ward.number)).payload
    receipt = box.wallets.pay(payer.id, payload, pin=PIN, idempotency_key="k")
    fee = FeeDesk(box).get(dossier.code)
    assert fee.payload == payload and fee.payment_reference == receipt.reference
    assert [e.action for e in box.events(subject=dossier.code)][-2:] == [
        "fee.code_issued", "dossier.fee_paid"]


def test_payable_codes_of_a_person(box, dossier):
    withdrawn = box.dossiers.create("tam-tru", {"ho_ten": "Lê Thị Hoa"}, channel="cong-dvc")
    box.dossiers.move(withdrawn.code, "withdrawn")
    free = box.dossiers.create("khai-sinh", {"ho_ten": "Lê Thị Hoa"}, channel="cong-dvc")
    theirs = box.as_actor("binh", "trainee").dossiers.create(
        "tam-tru", {"ho_ten": "Trần Văn Bình"}, channel="cong-dvc")
    due = FeeDesk(box).payable()
    assert [f.dossier_code for f in due] == [dossier.code]
    codes = {f.dossier_code for f in FeeDesk(box).codes()}
    assert withdrawn.code not in codes and free.code not in codes and theirs.code not in codes
    assert FeeDesk(box).payable() == due  # issued once, read ever after
