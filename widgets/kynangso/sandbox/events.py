"""The event vocabulary: every action the package logs, its payload fields and meaning.

A grader, a lesson or a report reads the log through these names, so this table is
the contract: an event's ``fields`` are always in its payload, ``optional`` fields
only in some cases (named in the meaning), and nothing else is. ``subject`` says what
the event's subject column holds. Times are not payload: every event carries
``at_sim`` (simulated clock), ``at_wall``, ``actor`` and ``role`` (see store.Event).

Checking. :meth:`Sandbox.record` and :meth:`Transaction.append` call :func:`check`.
When the store is strict (``KYNANGSO_STRICT_EVENTS=1``, which tests/conftest.py sets
for the whole test suite, or ``Sandbox.open(strict_events=True)``), an undeclared
name or a payload with a missing or unknown field raises :class:`UndeclaredEvent`
and the transaction rolls back. Otherwise the problem is logged as a warning and the
event is kept: a trainee's action is never lost to a vocabulary slip, and the test
suite, which drives every screen and desk, catches the slip before a class does.

A new event: add an ``EventSpec`` here in the same change that first appends it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..domain.dossier import State

log = logging.getLogger("kynangso.sandbox.events")


class UndeclaredEvent(ValueError):
    """An event's name or payload does not match its declaration (a programming error,
    never a trainee's: the message is for developers)."""


@dataclass(frozen=True)
class EventSpec:
    """One kind of event: its name, what its subject is, its payload fields, its meaning."""

    name: str
    subject: str | None
    fields: tuple[str, ...]
    meaning: str
    optional: tuple[str, ...] = ()

    def problems(self, payload: Mapping[str, Any]) -> list[str]:
        missing = [f for f in self.fields if f not in payload]
        unknown = sorted(set(payload) - set(self.fields) - set(self.optional))
        found = []
        if missing:
            found.append(f"missing field(s) {', '.join(missing)}")
        if unknown:
            found.append(f"undeclared field(s) {', '.join(unknown)}")
        return found


def _specs() -> Iterable[EventSpec]:
    E = EventSpec
    refusal = ("field", "message")  # an InvalidInput's field and Vietnamese message

    # -- store -------------------------------------------------------------------------
    yield E("clock.advanced", None, ("to", "by"),
            "A trainer moved the simulated clock forward by `by` to `to` (ISO time).")
    yield E("clock.set", None, ("to", "running"),
            "A trainer set the simulated clock to `to`; `running` false froze it, null kept "
            "it as it was.")
    yield E("answer.saved", "question id", ("value",),
            "A quiz or widget answer (JSON value); the latest per question counts.")

    # -- dossiers (sandbox/dossiers.py) ------------------------------------------------
    yield E("dossier.created", "dossier code",
            ("procedure", "channel", "documents", "form", "fee", "fee_explanation"),
            "A draft dossier for procedure `procedure` through `channel` with document codes "
            "and form fields; `fee` is the quoted fee in đồng (null when unverified).")
    yield E("dossier.updated", "dossier code", ("documents", "form"),
            "The applicant changed a draft's (or returned dossier's) documents or form.")
    for state in State:
        if state is State.DRAFT:
            continue  # a dossier is created as a draft, never moved back to one
        yield E(f"dossier.{state.value}", "dossier code", ("from", "to", "note", "due_date"),
                f"The dossier moved from state `from` to {state.value!r} "
                f"({state.name.lower().replace('_', ' ')}); `note` is the reason given, "
                "`due_date` the appointment (ISO date) once received.")
    yield E("dossier.apology", "dossier code",
            ("dossier_code", "original_due", "new_due", "reason", "issued_at"),
            "The centre issued an apology slip moving the appointment to `new_due`.")
    yield E("dossier.fee_paid", "dossier code", ("reference", "amount"),
            "Payment `reference` paid `amount` đồng of the dossier's fee.")

    # -- feedback (sandbox/feedback.py) --------------------------------------------------
    for kind, what in (("danh-gia", "rated the service 1-5 (`rating`), `text` a comment"),
                       ("phan-anh", "sent a feedback (phản ánh), `rating` null"),
                       ("kien-nghi", "sent a petition (kiến nghị), `rating` null")):
        yield E(f"feedback.{kind}", "dossier code or null", ("id", "rating", "text"),
                f"The person {what}; `id` is the feedback row.")
    yield E("feedback.answered", "feedback id", ("text",),
            "The centre answered a feedback or petition.")

    # -- queue (sandbox/queue.py) ----------------------------------------------------------
    yield E("queue.ticket", "ticket number", ("field", "counter", "ahead"),
            "A queue ticket for field `field` at counter `counter`, `ahead` people waiting.")
    yield E("queue.called", "ticket number", ("counter",),
            "Counter `counter` called this ticket.")

    # -- accounts and payments (sandbox/wallets.py) --------------------------------------
    yield E("account.opened", "account number",
            ("owner", "app", "bank_bin", "number", "holder_name", "balance"),
            "A practice account in wallet app `app` at the training bank, opening balance "
            "in đồng.")
    yield E("account.locked", "account number", ("failed",),
            "Too many wrong PINs locked the account.")
    yield E("account.unlocked", "account number", (),
            "A trainer unlocked the account and cleared its wrong-PIN count.")
    yield E("payment.paid", "payment reference",
            ("account", "app", "payee_bin", "payee_account", "payee_name", "payee_in_store",
             "amount", "purpose", "dossier_code", "idempotency_key"),
            "`amount` đồng paid from `account` to `payee_account` at bank `payee_bin`; "
            "`dossier_code` is the dossier whose fee it paid (else null).")
    yield E("payment.pin_failed", "account number", ("failed", "locked", "idempotency_key"),
            "A payment refused for a wrong PIN; `failed` wrong tries so far.")
    yield E("payment.refused", "account number",
            ("reason", "field", "message", "idempotency_key"),
            "A payment refused for `reason` (insufficient_balance, amount, bad_code, locked, "
            "not_owner, same_account, missing_account, bad_pin_format, dossier_fee...).")

    # -- fee codes (sandbox/fees.py) ---------------------------------------------------------
    yield E("fee.code_issued", "dossier code",
            ("amount", "bank_bin", "account", "payee_name", "payload"),
            "The dossier's fee code issued (once; its row is in fee_codes): `amount` đồng to "
            "`account` at bank `bank_bin`, `payload` the exact VietQR text.")

    # -- VNeID (sandbox/vneid.py) --------------------------------------------------------
    yield E("vneid.activation_requested", "CCCD number", ("phone", "device", "persona"),
            "Step 1 of activation accepted on phone `device`; an SMS code follows.")
    yield E("vneid.activation_refused", "CCCD number or null", refusal,
            "An activation step refused; `reason` when it is not a typing mistake "
            "(phone_mismatch, already_active, otp_not_verified).", optional=("reason",))
    yield E("vneid.otp_sent", "CCCD number", ("purpose", "device", "channel", "expires_at"),
            "A one-time code sent (`purpose` activate or new_device); the code is never "
            "logged.")
    yield E("vneid.otp_verified", "CCCD number", ("purpose", "reason", "failed", "left"),
            "The right one-time code was typed.")
    yield E("vneid.otp_failed", "CCCD number", ("reason",),
            "A one-time code refused: a counted wrong try (`failed`, `left`) or a refusal "
            "with `field`/`message` (none_sent, format, not_activated).",
            optional=("purpose", "failed", "left", "field", "message"))
    yield E("vneid.activated", "CCCD number", ("level", "device", "phone", "persona"),
            "Activation completed: password and passcode set, identity level `level`.")
    yield E("vneid.login", "CCCD number", ("device", "new_device"),
            "Logged in (`new_device` true: after confirming the code on the old phone).")
    yield E("vneid.login_failed", "CCCD number or null", (),
            "A login refused: a wrong password (`reason` wrong_password, `failed`, `left`), a "
            "locked account (`reason` locked) or a typing mistake (`field`, `message`).",
            optional=("field", "message", "reason", "device", "failed", "left"))
    yield E("vneid.locked", "CCCD number", ("reason", "until"),
            "Too many wrong `reason` (password or passcode) locked the account until `until`.")
    yield E("vneid.new_device", "CCCD number", ("device", "old_device"),
            "Right password on another phone; a code is shown on the old one.")
    yield E("vneid.logout", "CCCD number", (), "Logged out.")
    yield E("vneid.passcode_ok", "CCCD number", ("purpose",),
            "The passcode opened service `purpose`.")
    yield E("vneid.passcode_failed", "CCCD number", (),
            "A passcode refused: wrong (`reason` wrong_passcode, `failed`, `left`), locked or "
            "badly typed (`field`, `message`).",
            optional=("field", "message", "reason", "purpose", "failed", "left"))
    yield E("vneid.level2", "CCCD number", ("accounts", "persona"),
            "Biometric enrolment recorded (by an official or trainer): `accounts` accounts "
            "became level 2.")
    yield E("vneid.procedure_refused", "CCCD number", refusal,
            "A procedure refused in the app: `reason` locked, channel, level or "
            "not_activated; `needed` the level it requires.",
            optional=("reason", "procedure", "level", "needed"))
    yield E("vneid.dossier_submitted", "CCCD number", ("procedure", "dossier", "level"),
            "A procedure submitted through VNeID as dossier `dossier`.")
    yield E("vneid.wallet_refused", "CCCD number", (*refusal, "level"),
            "The document wallet refused to a level-1 account.")
    yield E("vneid.wallet_viewed", "CCCD number", ("cards",),
            "The document wallet opened, showing card kinds `cards`.")
    yield E("vneid.device_switched", None, ("device",),
            "The trainee picked up another simulated phone.")
    # vneid/wallet helper (issue 13)
    yield E("vneid.dossier_incomplete", "CCCD number", ("procedure", "missing"),
            "A submission in the app refused before anything went in: `missing` the keys of "
            "the boxes (contact phone, the procedure's boxes) and document codes to fix.")
    yield E("vneid.portal_handoff", "CCCD number", ("procedure",),
            "The resident chose to go on with `procedure` at the Cổng Dịch vụ công.")

    # -- screens (ui/base.py) ------------------------------------------------------------
    yield E("screen.opened", "screen id", (), "A simulator screen was opened.")
    yield E("learner.joined", "actor id", ("name",),
            "A learner gave the name they practise under (sandbox/drafts.py).")
    yield E("ui.error", "screen id", ("error",),
            "An unexpected error (a bug) on a screen; the trainee saw a friendly message.")

    # -- portal (ui/portal/) -------------------------------------------------------------
    yield E("portal.search", None, ("query", "results"),
            "Searched the procedures for `query`; `results` the codes found.")
    yield E("portal.procedure_viewed", "procedure code", (), "Opened a procedure's page.")
    yield E("portal.form_started", "procedure code", (), "Started the online form.")
    yield E("portal.form_invalid", "procedure code", ("field", "message"),
            "The form refused field `field` with `message`.")
    yield E("portal.form_completed", "procedure code", (), "The form passed every check.")
    yield E("portal.document_attached", "procedure or dossier code",
            ("procedure", "document", "file", "size", "source", "sha256", "supplement"),
            "A file attached as document `document` (`supplement` true: to a returned dossier).")
    yield E("portal.document_refused", "procedure or dossier code",
            ("document", "file", "message"), "A file refused as document `document`.")
    yield E("portal.document_removed", "procedure code", ("document",),
            "An attached document removed.")
    yield E("portal.documents_missing", "procedure code", ("missing",),
            "Tried to go on with required documents `missing`.")
    yield E("portal.pledge_missing", "procedure code", (),
            "Tried to submit without ticking the pledge.")
    yield E("portal.fee_qr_shown", "dossier code",
            ("amount", "bank_bin", "account", "payee_name", "payload"),
            "The fee's payment code shown (the fee_codes row): `payload` is its VietQR text.")
    yield E("portal.refreshed", "dossier code or null", (), "Refreshed the dossier status.")
    yield E("portal.dossier_viewed", "dossier code", (), "Opened one of own dossiers.")
    yield E("portal.result_viewed", "dossier code", ("delivery", "state"),
            "Read how the result is delivered (`delivery`).")
    # portal helper, issue 13: the "Đăng nhập bằng VNeID" step (ui/portal/login.py)
    yield E("portal.vneid_login", "CCCD number", ("level",),
            "Logged in to the portal with the VNeID account (level `level`); the form's "
            "identity boxes come from it. The desk also logs vneid.login.")
    yield E("portal.vneid_login_refused", "CCCD number or null", ("reason", "message"),
            "The portal login refused before the password check: `reason` number (not a "
            "valid number) or no_account (no activated VNeID account).")
    yield E("portal.vneid_logout", "CCCD number", (), "Logged out of the portal.")
    yield E("portal.level_refused", "procedure code", ("level", "needed"),
            "Tried to start a procedure's form with a VNeID account of level `level` below "
            "the `needed` level; told to go to the police.")

    # -- back office (ui/backoffice.py) -------------------------------------------------
    yield E("backoffice.wrong_role", None, ("role",),
            "Someone without an official's role opened the back office.")
    yield E("backoffice.opened_dossier", "dossier code", ("state", "procedure"),
            "An official opened a dossier.")
    yield E("backoffice.action_refused", "dossier code", ("step", "field", "message"),
            "An official's step `step` on a dossier was refused.")
    yield E("backoffice.kpi_viewed", None, (), "An official opened the KPI report.")
    # back-office helper (issue 13): scan previews and the printable apology slip
    yield E("backoffice.scan_viewed", "dossier code", ("document", "sample"),
            "An official opened the attached scan of `document` (`sample`: the lab's drawn "
            "sample scan, else a stand-in page: an upload's bytes are not kept).")
    yield E("backoffice.slip_printed", "dossier code", ("formats",),
            "An official prepared the dossier's apology slip for printing (`formats`).")

    # -- wallet app and trader's stall (ui/wallet.py, ui/trader.py) -------------------
    yield E("wallet.app_opened", "wallet app code", (), "Opened a practice wallet app.")
    yield E("wallet.input_invalid", "wallet app code or null", ("step", "field"),
            "A typing mistake at step `step`, field `field`.")
    yield E("wallet.cancelled", "wallet app code or null", ("step",),
            "Cancelled a payment at step `step`.")
    yield E("wallet.scan_failed", "wallet app code", ("source", "field", "message"),
            "A QR code from `source` (list, paste, upload) could not be read; `choice` the "
            "listed code picked, `file` the uploaded photo's name.",
            optional=("choice", "file"))
    yield E("wallet.scanned", "wallet app code",
            ("source", "payee_bin", "payee_account", "recipient", "amount", "dossier_code"),
            "A QR code read: who it pays, how much, and the dossier it names (`choice`, "
            "`file` as for wallet.scan_failed).",
            optional=("choice", "file"))
    yield E("wallet.confirmed", "wallet app code", ("amount", "payee_account",
                                                    "idempotency_key"),
            "Checked the payment details and went on to the PIN.")
    yield E("wallet.history_viewed", "account number", (), "Opened the payment history.")
    yield E("wallet.receipt_viewed", "payment reference", (), "Opened a receipt again.")
    yield E("trader.stall_created", "account number", ("account", "name", "payload"),
            "A trader's stall with its static QR text `payload` (its row is in stalls).")
    yield E("trader.input_invalid", None, ("step", "field"),
            "A trader's typing mistake at step `step` (create or sale).")
    yield E("trader.sign_made", "account number", ("size", "formats"),
            "A printable QR sign made.")
    yield E("trader.takings_viewed", "account number", ("count", "total"),
            "The trader looked at the day's takings.")
    yield E("trader.sales_book", "account number", ("day", "sales"),
            "The trader's sales book for `day` after a change: [time, amount] pairs (its "
            "rows are in sales_book).")
    yield E("trader.reconciled", "account number",
            ("matched", "missing", "unexpected", "difference", "balanced"),
            "The trader reconciled the sales book with the payments received.")

    # -- trainer helper: class controls (sandbox/classroom.py, ui/trainer.py) ----------------
    yield E("class.roster_changed", None, ("added", "removed"),
            "The trainer changed the class list (lop.csv): actor ids `added` and `removed`.")
    yield E("class.learner_reset", "actor id", ("rows",),
            "The trainer removed one learner's practice rows (dossiers, accounts, VNeID, fee "
            "codes, stalls, answers, drafts...); `rows` counts them per table. Their events "
            "stay in the log.")
    yield E("class.world_reset", None, ("backup", "previous_events"),
            "First event of a fresh class world: the trainer reset the store after copying it "
            "to `backup` (file name beside the store); `previous_events` the old log's length.")
    yield E("class.world_seeded", None, ("seed", "dossiers", "cases"),
            "The trainer seeded `dossiers` sample dossiers from the calibrated log generator "
            "(`seed`); `cases` counts them per case (early, late, overdue, supplement...).")
    yield E("class.level2_granted", "CCCD number", ("learner", "accounts"),
            "The trainer, as the police desk, recorded level-2 enrolment for a learner's VNeID "
            "number (`learner` the actor id or null).")
    yield E("trainer.wrong_role", None, ("role",),
            "Someone without the trainer role opened the trainer's screen.")


EVENTS: dict[str, EventSpec] = {spec.name: spec for spec in _specs()}


def spec(name: str) -> EventSpec:
    """The declaration of ``name``; UndeclaredEvent when there is none."""
    try:
        return EVENTS[name]
    except KeyError:
        raise UndeclaredEvent(f"event {name!r} is not declared in kynangso.sandbox.events; "
                              "add an EventSpec for it") from None


def check(name: str, payload: Mapping[str, Any], *, strict: bool) -> None:
    """Raise (strict) or log a warning when ``name`` and ``payload`` break the vocabulary."""
    try:
        problems = spec(name).problems(payload)
        if problems:
            raise UndeclaredEvent(f"event {name!r}: {'; '.join(problems)} "
                                  "(see kynangso.sandbox.events)")
    except UndeclaredEvent as error:
        if strict:
            raise
        log.warning("%s", error)
