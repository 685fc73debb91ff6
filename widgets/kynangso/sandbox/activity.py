"""What one person did in the sandbox, for a grader, a lesson or a script.

``activity_of(box, "an")`` reads the event log (every action, in order, at its simulated
time) and the tables behind it (each dossier's state now, each payment as paid, each
rating as stored) and returns a frozen :class:`Activity`::

    act = activity_of(box, "an")
    act.procedures                     # ("khai-sinh",): procedures of the dossiers made
    act.dossier("TRUCLAM-...").form    # the fields as submitted, .documents, .state
    act.fees_for("TRUCLAM-...")        # payments of that fee: amount, payee_account...
    act.fee_code("TRUCLAM-...")        # the fee code issued for it: payload, .paid, reference
    act.stalls, act.sales_on(day)      # a trader's stall(s) and sales book lines
    act.answer("q1")                   # the latest answer (answer.saved events)
    act.actions("portal.")             # names of the steps, in order

Only the person's own actions count: a dossier appears when they created it, a payment
when they paid it, a rating when they gave it, a fee code when it is for their dossier, a
stall and sales book lines when they are theirs. An official receiving their dossier is the
official's activity (the dossier's ``state`` still shows where it is now). Fee codes, stalls
and sales come from their tables (fee_codes, stalls, sales_book); event names and payload
fields are those declared in events.py. Nothing here writes to the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..errors import MissingEntry
from ..i18n import _
from .events import EVENTS
from .fees import FeeCode, FeeDesk
from .stalls import Sale, Stall, StallDesk

if TYPE_CHECKING:
    from ..domain.dossier import Dossier
    from ..domain.wallets import Payment
    from .feedback import Feedback
    from .store import Sandbox

FEEDBACK_KINDS = ("feedback.danh-gia", "feedback.phan-anh", "feedback.kien-nghi")


@dataclass(frozen=True)
class Action:
    """One logged action of the person: ``seq`` orders it, ``at`` is the simulated time."""

    seq: int
    at: datetime
    action: str
    subject: str | None
    payload: Mapping[str, Any]
    role: str

    @property
    def meaning(self) -> str:
        """The one-line meaning declared for this event (empty when undeclared)."""
        spec = EVENTS.get(self.action)
        return spec.meaning if spec else ""


@dataclass(frozen=True)
class DossierWork:
    """A dossier the person created, as it is now, with their own steps on it."""

    dossier: Dossier
    steps: tuple[Action, ...]

    @property
    def code(self) -> str:
        return self.dossier.code

    @property
    def procedure(self) -> str:
        return self.dossier.procedure_code

    @property
    def form(self) -> dict[str, Any]:
        return self.dossier.form

    @property
    def documents(self) -> tuple[str, ...]:
        return self.dossier.documents

    @property
    def submitted_at(self) -> datetime | None:
        """When the person first submitted it (None: still a draft or withdrawn unsent)."""
        for step in self.steps:
            if step.action == "dossier.submitted":
                return step.at
        return None


@dataclass(frozen=True)
class PaymentMade:
    """A payment the person made: the stored payment and the action that made it."""

    payment: Payment
    step: Action

    @property
    def amount(self) -> int:
        return self.payment.amount

    @property
    def payee_account(self) -> str:
        return self.payment.payee_account

    @property
    def payee_bin(self) -> str:
        return self.payment.payee_bin

    @property
    def dossier_code(self) -> str | None:
        return self.payment.dossier_code


@dataclass(frozen=True)
class AnswerGiven:
    """One answer to a quiz or widget question; a later one to the same question wins."""

    question: str
    value: Any
    at: datetime
    seq: int


@dataclass(frozen=True)
class Activity:
    """Everything one person did in one store, in log order."""

    actor: str
    steps: tuple[Action, ...]
    dossiers: tuple[DossierWork, ...]
    payments: tuple[PaymentMade, ...]
    feedback: tuple[Feedback, ...]
    answers: tuple[AnswerGiven, ...]
    fee_codes: tuple[FeeCode, ...] = ()  # of the person's dossiers, paid or not
    stalls: tuple[Stall, ...] = ()  # the one set last comes last
    sales: tuple[Sale, ...] = ()  # every page of the sales book, day by day

    @property
    def fee_codes_paid(self) -> tuple[FeeCode, ...]:
        """Fee codes of the person's dossiers that a payment paid (its reference on it)."""
        return tuple(f for f in self.fee_codes if f.paid)

    def fee_code(self, dossier_code: str) -> FeeCode:
        """The fee code issued for ``dossier_code``; MissingEntry when there is none."""
        for fee in self.fee_codes:
            if fee.dossier_code == dossier_code:
                return fee
        raise MissingEntry(_("Hồ sơ {code} chưa có mã QR nộp lệ phí").format(code=dossier_code),
                           field="ma_ho_so", value=dossier_code)

    def sales_on(self, day: date) -> tuple[Sale, ...]:
        """The lines of the person's sales book on ``day``, in order."""
        return tuple(s for s in self.sales if s.day == day)

    @property
    def procedures(self) -> tuple[str, ...]:
        """Procedure codes of the person's dossiers, first created first, each once."""
        return tuple(dict.fromkeys(d.procedure for d in self.dossiers))

    def actions(self, prefix: str = "") -> tuple[str, ...]:
        """Names of the person's actions in order, optionally those starting ``prefix``."""
        return tuple(s.action for s in self.steps if s.action.startswith(prefix))

    def dossier(self, code: str) -> DossierWork:
        """The person's dossier ``code``; MissingEntry when they did not create it."""
        for work in self.dossiers:
            if work.code == code:
                return work
        # The desk's message: a grader shows it to the trainee as it is.
        raise MissingEntry(_("Không tìm thấy hồ sơ có mã {value}").format(value=code),
                           field="ma_ho_so", value=code)

    def fees_for(self, dossier_code: str) -> tuple[PaymentMade, ...]:
        """The person's payments that paid the fee of ``dossier_code``."""
        return tuple(p for p in self.payments if p.dossier_code == dossier_code)

    def answer(self, question: str) -> Any:
        """The person's latest answer to ``question``; MissingEntry when none was given."""
        for given in reversed(self.answers):
            if given.question == question:
                return given.value
        raise MissingEntry(_("Chưa có câu trả lời cho câu hỏi {question}")
                           .format(question=question), field="question", value=question)


def activity_of(box: Sandbox, actor: str) -> Activity:
    """What ``actor`` did in ``box``'s store (any actor's view of the store will do)."""
    steps = tuple(Action(seq=e.seq, at=e.at_sim, action=e.action, subject=e.subject,
                         payload=e.payload, role=e.role) for e in box.events(actor=actor))
    created = [s.subject for s in steps if s.action == "dossier.created" and s.subject]
    stored = {d.code: d for d in box.dossiers.list(owner=actor)}
    dossiers = tuple(DossierWork(stored[code], tuple(s for s in steps if s.subject == code))
                     for code in created if code in stored)
    payments = tuple(PaymentMade(box.wallets.payment(s.subject), s) for s in steps
                     if s.action == "payment.paid" and s.subject)
    feedback = tuple(box.feedback.get(s.payload["id"]) for s in steps
                     if s.action in FEEDBACK_KINDS)
    answers = tuple(AnswerGiven(s.subject or "", s.payload.get("value"), s.at, s.seq)
                    for s in steps if s.action == "answer.saved")
    return Activity(actor=actor, steps=steps, dossiers=dossiers, payments=payments,
                    feedback=feedback, answers=answers,
                    fee_codes=tuple(FeeDesk(box).codes(owner=actor)),
                    stalls=tuple(StallDesk(box).stalls(owner=actor)),
                    sales=tuple(StallDesk(box).sales(owner=actor)))


def people(box: Sandbox) -> tuple[str, ...]:
    """Everyone who acted in the store, in order of their first action."""
    return tuple(dict.fromkeys(e.actor for e in box.events()))
