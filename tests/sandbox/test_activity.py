"""What one person did, read back through kynangso.sandbox.activity."""

from __future__ import annotations

from datetime import datetime

import pytest

from kynangso.domain.dossier import State
from kynangso.errors import MissingEntry
from kynangso.sandbox import fees
from kynangso.sandbox.activity import activity_of, people
from kynangso.sandbox.store import Sandbox

MONDAY_8AM = datetime(2025, 11, 10, 8, 0)
PIN = "135790"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    monkeypatch.setenv("KYNANGSO_HASH_ITERATIONS", "1000")


@pytest.fixture
def box(tmp_path):
    with Sandbox.open(tmp_path, actor="an", start=MONDAY_8AM, clock_running=False) as box:
        yield box


def submit_and_pay(box, name):
    """A resident's whole errand: a dossier with its form and papers, its fee, a rating."""
    dossier = box.dossiers.create("tam-tru", {"ho_ten": name}, channel="cong-dvc",
                                  documents=["to-khai-ct01"], form={"dia_chi": "Số 12"})
    box.dossiers.submit(dossier.code)
    account = box.wallets.open_account("ngan-hang", name, balance=100_000, pin=PIN)
    box.wallets.pay(account.id, fees.fee_payload(box, dossier), pin=PIN,
                    idempotency_key=f"fee-{dossier.code}")
    box.feedback.rate(dossier.code, 5, "Nhanh gọn")
    box.save_answer("q1", "B")
    box.save_answer("q1", "C")
    return dossier, account


def test_one_persons_dossier_fee_rating_and_answers_read_back(box):
    dossier, account = submit_and_pay(box, "Lê Thị An")
    act = activity_of(box, "an")
    assert act.procedures == ("tam-tru",)
    work = act.dossier(dossier.code)
    assert (work.form, work.documents) == ({"dia_chi": "Số 12"}, ("to-khai-ct01",))
    assert work.dossier.state is State.SUBMITTED and work.dossier.fee_paid
    assert work.submitted_at == MONDAY_8AM
    [paid] = act.fees_for(dossier.code)
    ward = fees.collection_account(box)
    assert (paid.amount, paid.payee_account, paid.payee_bin) == (7_000, ward.number,
                                                                 ward.bank_bin)
    assert paid.payment.payer == account.id and paid.step.at == MONDAY_8AM
    # The fee code shown to them and the payment written on it, from the fee_codes table.
    code = act.fee_code(dossier.code)
    assert code.payload == fees.fee_payload(box, dossier) and code.amount == 7_000
    assert code.payment_reference == paid.payment.reference
    assert act.fee_codes == act.fee_codes_paid == (code,)
    [rating] = act.feedback
    assert (rating.kind, rating.rating, rating.dossier_code) == ("danh-gia", 5, dossier.code)
    assert act.answer("q1") == "C"
    assert [a.value for a in act.answers] == ["B", "C"]
    assert act.actions("dossier.") == ("dossier.created", "dossier.submitted",
                                       "dossier.fee_paid")
    assert [s.seq for s in act.steps] == sorted(s.seq for s in act.steps)
    assert all(s.meaning for s in act.steps)


def test_another_persons_actions_never_appear(box):
    mine, _ = submit_and_pay(box, "Lê Thị An")
    binh = box.as_actor("binh", "trainee")
    theirs, _ = submit_and_pay(binh, "Trần Văn Bình")
    box.as_actor("cb", "official").dossiers.receive(mine.code)

    act = activity_of(box, "an")
    assert [d.code for d in act.dossiers] == [mine.code]
    assert {p.dossier_code for p in act.payments} == {mine.code}
    assert [f.dossier_code for f in act.fee_codes] == [mine.code]
    assert {f.dossier_code for f in act.feedback} == {mine.code}
    assert {s.subject for s in act.steps} >= {mine.code}
    assert theirs.code not in {s.subject for s in act.steps}
    assert all(s.role == "trainee" for s in act.steps)
    # The official's receipt is theirs; the dossier's state still shows it.
    assert "dossier.received" not in act.actions()
    assert act.dossier(mine.code).dossier.state is State.RECEIVED
    with pytest.raises(MissingEntry):
        act.dossier(theirs.code)
    assert activity_of(box, "binh").dossier(theirs.code).procedure == "tam-tru"
    assert people(box)[:2] == ("an", fees.COLLECTOR)


def test_someone_who_did_nothing_has_an_empty_activity(box):
    act = activity_of(box, "chua-lam-gi")
    assert (act.steps, act.dossiers, act.payments, act.answers) == ((), (), (), ())
    assert (act.fee_codes, act.stalls, act.sales) == ((), (), ())
    with pytest.raises(MissingEntry, match="chưa có mã QR"):
        act.fee_code("000.00.99.H56-251110-0001")
    with pytest.raises(MissingEntry, match="q1"):
        act.answer("q1")
