"""Wallets in the sandbox: accounts, QR payments through each app, refusals that are logged,
double taps, PIN lock and unlock, and a dossier fee paid by QR."""

from __future__ import annotations

import multiprocessing
from datetime import datetime

import pytest

from kynangso.domain import wallets as rules
from kynangso.domain.banks import load_banks
from kynangso.domain.trader import shop_qr, stall_sign
from kynangso.domain.vietqr import VietQR, encode
from kynangso.errors import InvalidInput, MissingEntry
from kynangso.sandbox.store import Sandbox

MONDAY_8AM = datetime(2025, 11, 10, 8, 0)
APPLICANT = {"ho_ten": "Nguyễn Thị Lan", "cccd": "038190999001"}
TRAINING = load_banks().training_bank
PIN, TRADER_PIN, CENTRE_PIN = "246802", "135790", "112233"
APPS = ("ngan-hang", "zalopay", "viettel-money")


@pytest.fixture(autouse=True)
def fast_pins(monkeypatch):
    # Fewer PBKDF2 rounds keep the file fast; the stored hash records the count used.
    monkeypatch.setenv("KYNANGSO_HASH_ITERATIONS", "2000")


@pytest.fixture
def world(tmp_path):
    """A frozen-clock world: a volunteer, a trader, an official and a trainer."""
    box = Sandbox.open(tmp_path, actor="tnv-an", role="trainee", start=MONDAY_8AM,
                       clock_running=False)
    yield (box, box.as_actor("chi-lan", "trainee"), box.as_actor("cb-binh", "official"),
           box.as_actor("gv", "trainer"))
    box.close()


@pytest.fixture
def shop(world):
    """The volunteer's wallet (500.000 ₫) and a trader's stall with its static code."""
    volunteer, trader, _, _ = world
    stall = trader.wallets.open_account("ngan-hang", "Nguyễn Thị Lan", balance=0,
                                        pin=TRADER_PIN)
    payer = volunteer.wallets.open_account("zalopay", "Trần Văn An", balance=500_000, pin=PIN)
    return payer, stall, shop_qr("Tạp hoá Lan", stall.number)


def dynamic(number: str, amount: int, purpose: str | None = None) -> str:
    return encode(VietQR(TRAINING.bin, number, amount=amount, purpose=purpose)).payload


def balance(box, account) -> int:
    return box.wallets.account(account.id).balance


def actions(box) -> list[str]:
    return [e.action for e in box.events(prefix="payment.")]


# --- accounts -----------------------------------------------------------------------------


def test_accounts_are_at_the_training_bank_with_unique_numbers(world):
    volunteer, trader, _, _ = world
    made = [volunteer.wallets.open_account(app, "Trần Văn An", balance=1_000, pin=PIN)
            for app in APPS]
    made.append(trader.wallets.open_account("ngan-hang", "Nguyễn Thị Lan", balance=0,
                                            pin=TRADER_PIN))
    assert len({a.number for a in made}) == 4
    assert {a.bank_bin for a in made} == {TRAINING.bin}
    assert [a.app for a in volunteer.wallets.accounts(owner="tnv-an")] == list(APPS)
    assert volunteer.wallets.account(made[0].id) == made[0]
    assert len(volunteer.wallets.accounts()) == 4


def test_pin_is_never_stored_or_logged_in_plain(world):
    volunteer, _, _, _ = world
    account = volunteer.wallets.open_account("zalopay", "Trần Văn An", balance=0, pin=PIN)
    with volunteer.reading() as conn:
        stored = conn.execute("SELECT pin_hash FROM accounts").scalar_one()
    assert stored.startswith("pbkdf2_sha256$") and PIN not in stored
    assert all(PIN not in str(e.payload) for e in volunteer.events())
    assert not hasattr(account, "pin_hash") and "pbkdf2" not in repr(account)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"app": "momo"}, "ung_dung"),
    ({"holder_name": "   "}, "ten_chu_tai_khoan"),
    ({"holder_name": "A" * 101}, "ten_chu_tai_khoan"),
    ({"balance": -1}, "so_du"),
    ({"balance": "500.000"}, "so_du"),
    ({"pin": "12345"}, "ma_pin"),
    ({"pin": "12345a"}, "ma_pin"),
])
def test_open_account_refuses_bad_input_naming_the_field(world, kwargs, field):
    volunteer, _, _, _ = world
    args = {"app": "zalopay", "holder_name": "Trần Văn An", "balance": 0, "pin": PIN} | kwargs
    app = args.pop("app")
    holder = args.pop("holder_name")
    with pytest.raises(InvalidInput) as err:
        volunteer.wallets.open_account(app, holder, **args)
    assert err.value.field == field
    assert volunteer.wallets.accounts() == []


def test_missing_account_is_named(world):
    volunteer, _, _, _ = world
    with pytest.raises(MissingEntry, match="0999999999"):
        volunteer.wallets.account("0999999999")


# --- the happy path, once per app -----------------------------------------------------------


@pytest.mark.parametrize("app_code", APPS)
def test_full_payment_through_each_app(world, app_code):
    volunteer, trader, _, _ = world
    stall = trader.wallets.open_account("ngan-hang", "Nguyễn Thị Lan", balance=0,
                                        pin=TRADER_PIN)
    payer = volunteer.wallets.open_account(app_code, "Trần Văn An", balance=500_000, pin=PIN)
    app = volunteer.wallets.wallets.get(app_code)

    # scan -> recipient, bank, amount (none: static) -> amount typed -> confirm -> PIN.
    request = volunteer.wallets.preview(shop_qr("Tạp hoá Lan", stall.number))
    assert request.recipient == "Nguyễn Thị Lan"  # the account holder, as the bank knows it
    assert request.name_in_code == "Tap hoa Lan" and request.bank == TRAINING
    assert request.amount is None
    steps = app.steps_for(request)
    assert [s.code for s in steps] == list(rules.STEP_CODES)
    screens = [step.render(**request.values(), app=app.name) for step in steps]
    assert all(title and text for title, text in screens)

    receipt = volunteer.wallets.pay(payer.id, request.payload, pin=PIN, amount="200.000",
                                    idempotency_key=f"{app_code}-1")
    assert receipt.reference == "GD251110000001" and receipt.amount == 200_000
    assert app.name in receipt.text() and "200.000 ₫" in receipt.text()
    assert receipt.payment.payer_name == "Trần Văn An" and receipt.payment.app == app_code
    assert (balance(volunteer, payer), balance(volunteer, stall)) == (300_000, 200_000)
    assert [p.reference for p in volunteer.wallets.payments(payer=payer.id)] == [
        receipt.reference]
    paid = volunteer.events(action="payment.paid")
    assert [e.subject for e in paid] == [receipt.reference]
    assert paid[0].payload["payee_in_store"] is True and paid[0].actor == "tnv-an"
    assert volunteer.verify_chain().ok


def test_dynamic_code_pays_its_own_amount_to_an_outside_account(world, shop):
    volunteer, _, _, _ = world
    payer, _, _ = shop
    receipt = volunteer.wallets.pay(payer.id, dynamic("1234567890", 45_000, "tien dien"),
                                    pin=PIN, idempotency_key="k1")
    assert receipt.amount == 45_000 and receipt.payment.purpose == "tien dien"
    assert balance(volunteer, payer) == 455_000
    assert volunteer.events(action="payment.paid")[0].payload["payee_in_store"] is False


def test_a_photo_of_the_stall_sign_can_be_scanned(world, shop):
    volunteer, _, _, _ = world
    _, stall, payload = shop
    request = volunteer.wallets.scan(stall_sign("Tạp hoá Lan", payload))
    assert (request.payload, request.account, request.recipient) == (
        payload, stall.number, "Nguyễn Thị Lan")


# --- refusals: each is logged, nothing is debited ---------------------------------------------


def refused(box, account, payload, *, field, match, pin=PIN, amount=None, key="k"):
    before = balance(box, account)
    with pytest.raises(InvalidInput, match=match) as err:
        box.wallets.pay(account.id, payload, pin=pin, amount=amount, idempotency_key=key)
    assert err.value.field == field
    assert balance(box, account) == before
    assert box.wallets.payments() == []
    return err.value


def test_code_with_problems_is_refused_and_logged(world, shop):
    volunteer, _, _, _ = world
    payer, _, payload = shop
    error = refused(volunteer, payer, payload[:-4] + "0000", field="ma_qr",
                    match="không dùng để thanh toán")
    event = volunteer.events(action="payment.refused")[-1]
    assert event.payload["reason"] == "bad_code" and event.payload["message"] == error.message
    assert event.subject == payer.id


def test_static_code_needs_an_amount(world, shop):
    volunteer, _, _, _ = world
    payer, _, payload = shop
    refused(volunteer, payer, payload, field="so_tien", match="mã tĩnh")
    assert volunteer.events(action="payment.refused")[-1].payload["reason"] == "amount"


@pytest.mark.parametrize("typed", ["200,5", "0", "-5", "abc"])
def test_badly_typed_amount_is_refused(world, shop, typed):
    volunteer, _, _, _ = world
    payer, _, payload = shop
    refused(volunteer, payer, payload, field="so_tien", match="Số tiền", amount=typed)


def test_dynamic_code_amount_cannot_be_changed(world, shop):
    volunteer, _, _, _ = world
    payer, stall, _ = shop
    refused(volunteer, payer, dynamic(stall.number, 50_000), field="so_tien",
            match="không được đổi", amount="40.000")


def test_insufficient_balance(world, shop):
    volunteer, _, _, _ = world
    payer, _, payload = shop
    refused(volunteer, payer, payload, field="so_du", match="Số dư không đủ",
            amount="600.000")
    assert volunteer.events(action="payment.refused")[-1].payload["reason"] == (
        "insufficient_balance")


def test_the_amount_step_refuses_more_than_the_balance_before_any_pin(world, shop):
    volunteer, _, _, _ = world
    payer, _, _ = shop
    volunteer.wallets.check_amount(payer.id, 500_000)  # all of it is fine
    with pytest.raises(InvalidInput) as err:
        volunteer.wallets.check_amount(payer.id, 500_001)
    assert err.value.field == "so_du"
    assert err.value.message == (f"Số dư không đủ: cần {rules.format_vnd(500_001)} nhưng tài "
                                 f"khoản {payer.id} chỉ còn {rules.format_vnd(500_000)}")
    assert volunteer.events(prefix="payment.") == []  # nothing was tried yet


def test_the_amount_step_refuses_a_locked_account(world, shop):
    volunteer, _, _, _ = world
    payer, _, payload = shop
    for _ in range(rules.MAX_PIN_TRIES):
        with pytest.raises(InvalidInput):
            volunteer.wallets.pay(payer.id, payload, pin="999999", amount=1_000,
                                  idempotency_key="k")
    with pytest.raises(InvalidInput, match="giảng viên") as err:
        volunteer.wallets.check_amount(payer.id, 1_000)
    assert err.value.field == "ma_pin"


def test_messages_do_not_echo_what_was_typed(world, shop):
    volunteer, _, _, _ = world
    with pytest.raises(InvalidInput) as err:
        volunteer.wallets.open_account("zalopay", "   ", balance=1, pin=PIN)
    assert err.value.message == "Chưa nhập Tên chủ tài khoản"
    payer, _, payload = shop
    with pytest.raises(InvalidInput) as err:
        volunteer.wallets.pay(payer.id, payload, pin=PIN, amount=1, idempotency_key=" ")
    assert "nhận được" not in err.value.message and "' '" not in err.value.message


def test_nobody_pays_from_another_persons_account(world, shop):
    _, trader, _, _ = world
    payer, _, payload = shop
    with pytest.raises(InvalidInput, match="người khác") as err:
        trader.wallets.pay(payer.id, payload, pin=PIN, amount=1_000, idempotency_key="x")
    assert err.value.field == "tai_khoan"
    assert trader.wallets.payments() == []


def test_paying_oneself_is_refused(world, shop):
    _, trader, _, _ = world
    _, stall, payload = shop
    with pytest.raises(InvalidInput, match="chính tài khoản"):
        trader.wallets.pay(stall.id, payload, pin=TRADER_PIN, amount=1_000, idempotency_key="x")


def test_unknown_payer_account_is_refused_and_logged(world, shop):
    volunteer, _, _, _ = world
    _, _, payload = shop
    with pytest.raises(MissingEntry):
        volunteer.wallets.pay("0999999999", payload, pin=PIN, amount=1, idempotency_key="x")
    assert volunteer.events(action="payment.refused")[-1].payload["reason"] == "missing_account"


@pytest.mark.parametrize("key", ["", "   ", None, "k" * 101])
def test_confirm_needs_an_idempotency_key(world, shop, key):
    volunteer, _, _, _ = world
    payer, _, payload = shop
    with pytest.raises(InvalidInput) as err:
        volunteer.wallets.pay(payer.id, payload, pin=PIN, amount=1_000, idempotency_key=key)
    assert err.value.field == "ma_giao_dich"


# --- PIN: count, lock, unlock -----------------------------------------------------------------


def test_wrong_pin_is_counted_logged_and_committed(world, shop):
    volunteer, _, _, _ = world
    payer, _, payload = shop
    for left in (4, 3):
        refused(volunteer, payer, payload, field="ma_pin", amount=1_000, pin="000000",
                match=f"Mã PIN không đúng. Còn {left} lần thử.")
    assert volunteer.wallets.account(payer.id).failed_pins == 2
    assert [e.payload["failed"] for e in volunteer.events(action="payment.pin_failed")] == [1, 2]
    volunteer.wallets.pay(payer.id, payload, pin=PIN, amount=1_000, idempotency_key="ok")
    assert volunteer.wallets.account(payer.id).failed_pins == 0  # a right PIN resets it


def test_malformed_pin_is_refused_without_counting_a_try(world, shop):
    volunteer, _, _, _ = world
    payer, _, payload = shop
    refused(volunteer, payer, payload, field="ma_pin", match="6 chữ số", pin="12345",
            amount=1_000)
    assert volunteer.wallets.account(payer.id).failed_pins == 0


def test_five_wrong_pins_lock_until_a_trainer_unlocks(world, shop):
    volunteer, _, official, trainer = world
    payer, _, payload = shop
    for _ in range(4):
        refused(volunteer, payer, payload, field="ma_pin", match="Còn", pin="999999",
                amount=1_000)
    locked = ("Tài khoản đã bị khóa sau 5 lần nhập sai mã PIN. Hãy nhờ giảng viên mở khóa.")
    error = refused(volunteer, payer, payload, field="ma_pin", match="khóa", pin="999999",
                    amount=1_000)
    assert error.message == locked
    assert volunteer.wallets.account(payer.id).locked
    # Even the right PIN is refused now.
    assert refused(volunteer, payer, payload, field="ma_pin", match="khóa",
                   amount=1_000).message == locked
    for not_trainer in (volunteer, official):
        with pytest.raises(InvalidInput, match="giảng viên"):
            not_trainer.wallets.unlock(payer.id)
    unlocked = trainer.wallets.unlock(payer.id)
    assert (unlocked.locked, unlocked.failed_pins) == (False, 0)
    volunteer.wallets.pay(payer.id, payload, pin=PIN, amount=1_000, idempotency_key="after")
    assert [e.action for e in volunteer.events(subject=payer.id)][-4:] == [
        "payment.pin_failed", "account.locked", "payment.refused", "account.unlocked"]
    assert volunteer.verify_chain().ok


# --- double tap ---------------------------------------------------------------------------


def test_double_tap_pays_once_and_returns_the_first_receipt(world, shop):
    volunteer, _, _, _ = world
    payer, stall, payload = shop
    first = volunteer.wallets.pay(payer.id, payload, pin=PIN, amount="50.000",
                                  idempotency_key="tap-1")
    again = volunteer.wallets.pay(payer.id, payload, pin=PIN, amount="50.000",
                                  idempotency_key="tap-1")
    assert again.reference == first.reference and again.duplicate and not first.duplicate
    assert (balance(volunteer, payer), balance(volunteer, stall)) == (450_000, 50_000)
    assert len(volunteer.wallets.payments()) == 1
    assert actions(volunteer) == ["payment.paid"]


def test_a_key_used_by_another_account_is_refused(world, shop):
    volunteer, _, _, _ = world
    payer, _, payload = shop
    other = volunteer.wallets.open_account("viettel-money", "Trần Văn An", balance=9_000,
                                           pin=PIN)
    volunteer.wallets.pay(payer.id, payload, pin=PIN, amount=1_000, idempotency_key="tap")
    with pytest.raises(InvalidInput) as err:
        volunteer.wallets.pay(other.id, payload, pin=PIN, amount=1_000, idempotency_key="tap")
    assert err.value.field == "ma_giao_dich"
    assert balance(volunteer, other) == 9_000


def _tap(path: str, account_id: str, payload: str, barrier, results) -> None:
    # The spawned process inherits KYNANGSO_HASH_ITERATIONS from the test's environment.
    with Sandbox.open(path, actor="tnv-an") as box:
        barrier.wait(30)
        receipt = box.wallets.pay(account_id, payload, pin=PIN, amount="20.000",
                                  idempotency_key="same-tap")
        results.put(receipt.reference)


def test_two_processes_tapping_with_the_same_key_pay_once(world, shop):
    volunteer, _, _, _ = world
    payer, stall, payload = shop
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    path = volunteer.url.removeprefix("sqlite:///")
    procs = [ctx.Process(target=_tap, args=(path, payer.id, payload, barrier, results))
             for _ in range(2)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    references = {results.get(timeout=5) for _ in procs}
    assert len(references) == 1
    assert len(volunteer.wallets.payments()) == 1
    assert (balance(volunteer, payer), balance(volunteer, stall)) == (480_000, 20_000)
    assert volunteer.verify_chain().ok


# --- dossier fees -----------------------------------------------------------------------------


@pytest.fixture
def fee(world):
    """A submitted residence dossier (7.000 ₫ online) and the centre's account."""
    volunteer, _, official, _ = world
    code = volunteer.dossiers.create("tam-tru", APPLICANT, channel="cong-dvc").code
    centre = official.wallets.open_account("ngan-hang", "TT PVHCC Trúc Lâm", balance=0,
                                           pin=CENTRE_PIN)
    payer = volunteer.wallets.open_account("viettel-money", "Trần Văn An", balance=100_000,
                                           pin=PIN)
    return code, centre, payer


def test_fee_paid_by_qr_marks_the_dossier_paid_in_the_same_transaction(world, fee):
    volunteer, _, _, _ = world
    code, centre, payer = fee
    receipt = volunteer.wallets.pay(payer.id, dynamic(centre.number, 7_000, code),
                                    pin=PIN, idempotency_key="fee-1")
    assert receipt.payment.dossier_code == code and f"Lệ phí hồ sơ: {code}" in receipt.text()
    assert volunteer.dossiers.get(code).fee_paid
    fee_event = volunteer.events(action="dossier.fee_paid")[0]
    assert fee_event.payload == {"reference": receipt.reference, "amount": 7_000}
    paid = volunteer.events(action="payment.paid")[0]
    assert paid.seq == fee_event.seq + 1 and paid.payload["dossier_code"] == code
    assert balance(volunteer, centre) == 7_000


def test_wrong_fee_amount_is_refused_and_nothing_debited(world, fee):
    volunteer, _, _, _ = world
    code, centre, payer = fee
    static_fee = encode(VietQR(TRAINING.bin, centre.number, purpose=code)).payload
    with pytest.raises(InvalidInput, match=r"7\.000") as err:
        volunteer.wallets.pay(payer.id, static_fee, pin=PIN, amount="5.000",
                              idempotency_key="fee-wrong")
    assert err.value.field == "le_phi"
    assert not volunteer.dossiers.get(code).fee_paid
    assert (balance(volunteer, payer), balance(volunteer, centre)) == (100_000, 0)
    assert volunteer.wallets.payments() == []
    assert volunteer.events(action="payment.refused")[-1].payload["reason"] == "dossier_fee"
    assert volunteer.events(action="dossier.fee_paid") == []


def test_a_fee_is_not_paid_twice(world, fee):
    volunteer, _, _, _ = world
    code, centre, payer = fee
    payload = dynamic(centre.number, 7_000, code)
    volunteer.wallets.pay(payer.id, payload, pin=PIN, idempotency_key="fee-1")
    with pytest.raises(InvalidInput, match="đã nộp rồi"):
        volunteer.wallets.pay(payer.id, payload, pin=PIN, idempotency_key="fee-2")
    assert balance(volunteer, payer) == 93_000
    # The double tap of the first confirm is still fine: it gets the first receipt.
    assert volunteer.wallets.pay(payer.id, payload, pin=PIN,
                                 idempotency_key="fee-1").duplicate


def test_an_unknown_dossier_code_is_an_ordinary_payment(world, fee):
    volunteer, _, _, _ = world
    _, centre, payer = fee
    receipt = volunteer.wallets.pay(payer.id, dynamic(centre.number, 7_000,
                                                      "LP TRUCLAM-251109-0042"),
                                    pin=PIN, idempotency_key="k")
    assert receipt.payment.dossier_code is None


# --- reading back -----------------------------------------------------------------------------


def test_incoming_payments_by_day(world, shop):
    volunteer, trader, _, trainer = world
    payer, stall, payload = shop
    volunteer.wallets.pay(payer.id, payload, pin=PIN, amount=20_000, idempotency_key="d1")
    trainer.advance_clock(days=1, hours=2)
    volunteer.wallets.pay(payer.id, payload, pin=PIN, amount=35_000, idempotency_key="d2")
    volunteer.wallets.pay(payer.id, dynamic("1234567890", 1_000), pin=PIN,
                          idempotency_key="d3")
    everything = trader.wallets.incoming(stall.id)
    assert [p.amount for p in everything] == [20_000, 35_000]
    tuesday = trader.wallets.incoming(stall.id, day=datetime(2025, 11, 11).date())
    assert [(p.amount, p.at, p.reference) for p in tuesday] == [
        (35_000, datetime(2025, 11, 11, 10, 0), "GD251111000001")]
    assert len(trader.wallets.payments()) == 3
    assert trader.wallets.payments(payer=stall.id) == []
    assert trader.wallets.receipt(tuesday[0].reference).reference == "GD251111000001"


def test_payments_survive_reopening(tmp_path):
    with Sandbox.open(tmp_path, actor="an", start=MONDAY_8AM) as box:
        payer = box.wallets.open_account("zalopay", "Trần Văn An", balance=9_000, pin=PIN)
        box.wallets.pay(payer.id, dynamic("1234567890", 1_000), pin=PIN, idempotency_key="k")
    with Sandbox.open(tmp_path, actor="an") as box:
        assert box.wallets.account(payer.id).balance == 8_000
        assert [p.amount for p in box.wallets.payments()] == [1_000]
        assert box.verify_chain().ok
