"""The life of an administrative dossier at the one-stop counter, as frozen values.

References:
- Nghị định 118/2025/NĐ-CP ngày 09/6/2025 (one-stop mechanism at the Bộ phận Một cửa and the
  national portal; replaces Nghị định 61/2018/NĐ-CP for centres working from 01/7/2025):
  reception (an incomplete dossier gets a "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", a
  refused one a written reason, a complete one a receipt with the appointment date),
  processing (supplement requests, refusals with reasons, and the "Phiếu xin lỗi và hẹn lại
  ngày trả kết quả" for a late dossier), returning the result. The same steps stood in
  Nghị định 61/2018/NĐ-CP, Điều 18, 20 and 21; article numbers in 118/2025 not rechecked.
- Thông tư 03/2025/TT-VPCP (forms and codes of the one-stop system, replacing Thông tư
  01/2018/TT-VPCP, whose Điều 19 set the dossier code): the agency's dotted electronic
  identifier (Quyết định 20/2020/QĐ-TTg), YYMMDD, a 4-digit daily number.

Choices of this project (not law): a dossier is received once, so its due date is fixed at
receipt and only an apology slip moves it; YYMMDD is read as 20YY. Timeliness (overdue,
the KPI report) is judged against the first appointment, ``Dossier.original_due``: the slip
admits the delay, so the new date never turns a late dossier into an early one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from ..errors import InvalidInput, TransitionError
from ..i18n import _, nfc, translate
from .catalogue import CHANNELS, channel_name
from .identity import N_, field_label, format_date, required


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RECEIVED = "received"
    PROCESSING = "processing"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    RESUBMITTED = "resubmitted"
    RESOLVED = "resolved"
    RESULT_RETURNED = "result_returned"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return translate(_STATE_LABELS[self])


_STATE_LABELS = {
    State.DRAFT: N_("Nháp"),
    State.SUBMITTED: N_("Đã nộp"),
    State.RECEIVED: N_("Đã tiếp nhận"),
    State.PROCESSING: N_("Đang xử lý"),
    State.SUPPLEMENT_REQUESTED: N_("Yêu cầu bổ sung"),
    State.RESUBMITTED: N_("Đã bổ sung"),
    State.RESOLVED: N_("Đã giải quyết"),
    State.RESULT_RETURNED: N_("Đã trả kết quả"),
    State.REJECTED: N_("Từ chối"),
    State.WITHDRAWN: N_("Đã rút"),
}

# Every move the one-stop procedure allows; ``allowed_next`` narrows RESUBMITTED by history.
# submitted -> supplement_requested: the counter asks for more before receiving (NĐ 61 Đ.18).
TRANSITIONS: Mapping[State, tuple[State, ...]] = MappingProxyType({
    State.DRAFT: (State.SUBMITTED, State.WITHDRAWN),
    State.SUBMITTED: (State.RECEIVED, State.SUPPLEMENT_REQUESTED, State.REJECTED,
                      State.WITHDRAWN),
    State.RECEIVED: (State.PROCESSING, State.SUPPLEMENT_REQUESTED, State.REJECTED),
    State.PROCESSING: (State.SUPPLEMENT_REQUESTED, State.RESOLVED, State.REJECTED),
    State.SUPPLEMENT_REQUESTED: (State.RESUBMITTED, State.WITHDRAWN),
    State.RESUBMITTED: (State.RECEIVED, State.PROCESSING, State.SUPPLEMENT_REQUESTED,
                        State.REJECTED),
    State.RESOLVED: (State.RESULT_RETURNED,),
    State.RESULT_RETURNED: (),
    State.REJECTED: (),
    State.WITHDRAWN: (),
})
FINAL_STATES = frozenset({State.RESULT_RETURNED, State.REJECTED, State.WITHDRAWN})
# States in which the office still owes a result by the due date (an apology can move it).
PENDING_STATES = frozenset({State.RECEIVED, State.PROCESSING, State.SUPPLEMENT_REQUESTED,
                            State.RESUBMITTED})
_NEEDS_REASON = frozenset({State.SUPPLEMENT_REQUESTED, State.REJECTED})
_EDITABLE = frozenset({State.DRAFT, State.SUPPLEMENT_REQUESTED})


# --- dossier code -------------------------------------------------------------------------

_UNIT = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*")
_CODE_FORMAT = "<mã đơn vị>-YYMMDD-NNNN"


@dataclass(frozen=True)
class DossierCode:
    unit: str
    day: date
    seq: int

    def __str__(self) -> str:
        return f"{self.unit}-{self.day:%y%m%d}-{self.seq:04d}"


def _code_error(field_name: str, value: object, message: str, **values: Any) -> InvalidInput:
    # What was typed stays in error.value; the message names the part that is wrong.
    return InvalidInput(message.format(label=field_label(field_name), format=_CODE_FORMAT,
                                       **values),
                        field=field_name, value=value)


def _check_unit(unit: object, field_name: str, original: object) -> str:
    if not isinstance(unit, str) or not _UNIT.fullmatch(unit):
        raise _code_error(field_name, original, _(
            "{label}: mã đơn vị chỉ gồm chữ cái không dấu, chữ số và dấu chấm (ví dụ "
            "TRUCLAM), không có dấu gạch ngang"))
    return unit


def format_dossier_code(unit: str, day: date, seq: int) -> str:
    """``UNIT-YYMMDD-NNNN`` for the ``seq``-th dossier (1..9999) received on ``day``."""
    _check_unit(unit, "ma_don_vi", unit)
    if not isinstance(day, date) or not 2000 <= day.year <= 2099:
        raise _code_error("ngay_nop", day, _(
            "{label}: cần một ngày từ năm 2000 đến 2099"))
    if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq <= 9999:
        raise _code_error("so_thu_tu", seq, _(
            "{label} trong ngày phải là số nguyên từ 1 đến 9999"))
    return str(DossierCode(unit, day, seq))


def parse_dossier_code(text: object) -> DossierCode:
    """Split a code typed as ``UNIT-YYMMDD-NNNN``; each error says which part is wrong."""
    raw = required(text, "ma_ho_so")
    parts = raw.rsplit("-", 2)
    if len(parts) != 3 or not parts[0]:
        raise _code_error("ma_ho_so", text, _(
            "{label} phải có dạng {format}: 3 phần nối bằng dấu gạch ngang, ví dụ "
            "TRUCLAM-250701-0007"))
    unit, day_part, seq_part = (p.strip() for p in parts)
    _check_unit(unit, "ma_ho_so", text)
    if not re.fullmatch(r"[0-9]{6}", day_part):
        raise _code_error("ma_ho_so", text, _(
            "{label}: phần ngày {part!r} phải là 6 chữ số YYMMDD, theo dạng {format}"),
            part=day_part)
    try:
        day = date(2000 + int(day_part[:2]), int(day_part[2:4]), int(day_part[4:]))
    except ValueError:
        raise _code_error("ma_ho_so", text, _(
            "{label}: phần ngày {part!r} (YYMMDD) không phải ngày có thật"
        ), part=day_part) from None
    if not re.fullmatch(r"[0-9]{4}", seq_part) or seq_part == "0000":
        raise _code_error("ma_ho_so", text, _(
            "{label}: số thứ tự {part!r} phải là 4 chữ số từ 0001 đến 9999, theo dạng "
            "{format}"), part=seq_part)
    return DossierCode(unit, day, int(seq_part))


# --- values -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    state: State
    at: datetime
    actor: str
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"state": self.state.value, "at": self.at.isoformat(), "actor": self.actor,
                "note": self.note}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Step:
        return cls(State(data["state"]), datetime.fromisoformat(data["at"]), data["actor"],
                   data.get("note"))


@dataclass(frozen=True)
class ApologySlip:
    dossier_code: str
    original_due: date
    new_due: date
    reason: str
    issued_at: datetime

    def text(self) -> str:
        """The slip as printed for the resident (a practice copy, and it says so)."""
        lines = [
            _("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
            _("Mã hồ sơ: {code}").format(code=self.dossier_code),
            _("Ngày hẹn trả kết quả ban đầu: {day}").format(day=format_date(self.original_due)),
            _("Lý do chậm trả kết quả: {reason}").format(reason=self.reason),
            _("Cơ quan xin lỗi ông/bà vì sự chậm trễ này và hẹn trả kết quả vào ngày {day}.")
            .format(day=format_date(self.new_due)),
            _("Ngày lập phiếu: {day} {time}").format(day=format_date(self.issued_at.date()),
                                                      time=f"{self.issued_at:%H:%M}"),
            _("(Bản tập dượt, không có giá trị pháp lý)"),
        ]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"dossier_code": self.dossier_code,
                "original_due": self.original_due.isoformat(),
                "new_due": self.new_due.isoformat(), "reason": self.reason,
                "issued_at": self.issued_at.isoformat()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ApologySlip:
        return cls(data["dossier_code"], date.fromisoformat(data["original_due"]),
                   date.fromisoformat(data["new_due"]), data["reason"],
                   datetime.fromisoformat(data["issued_at"]))


@dataclass(frozen=True)
class Dossier:
    code: str
    procedure_code: str
    applicant: dict[str, Any]
    channel: str
    state: State
    documents: tuple[str, ...]
    form: dict[str, Any]
    created_at: datetime
    history: tuple[Step, ...]
    received_at: datetime | None = None
    due_date: date | None = None
    resolved_at: datetime | None = None
    returned_at: datetime | None = None
    fee_amount: int | None = None
    fee_paid: bool = False
    apology: ApologySlip | None = None
    supplement_reason: str | None = None
    # dict fields make the dossier unhashable; compare it, do not put it in a set.
    __hash__ = None  # type: ignore[assignment]

    @property
    def finished(self) -> bool:
        return self.state in FINAL_STATES

    @property
    def original_due(self) -> date | None:
        """The appointment given at receipt, even after an apology slip moved ``due_date``."""
        return self.apology.original_due if self.apology is not None else self.due_date

    @property
    def last_time(self) -> datetime:
        """The latest moment recorded; nothing may happen before it."""
        last = self.history[-1].at
        if self.apology is not None and self.apology.issued_at > last:
            return self.apology.issued_at
        return last

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe when ``applicant`` and ``form`` hold JSON values; dates as ISO text."""
        def iso(value: date | None) -> str | None:
            return None if value is None else value.isoformat()

        return {
            "code": self.code, "procedure_code": self.procedure_code,
            "applicant": dict(self.applicant), "channel": self.channel,
            "state": self.state.value, "documents": list(self.documents),
            "form": dict(self.form), "created_at": iso(self.created_at),
            "received_at": iso(self.received_at), "due_date": iso(self.due_date),
            "resolved_at": iso(self.resolved_at), "returned_at": iso(self.returned_at),
            "fee_amount": self.fee_amount, "fee_paid": self.fee_paid,
            "history": [step.to_dict() for step in self.history],
            "apology": None if self.apology is None else self.apology.to_dict(),
            "supplement_reason": self.supplement_reason,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Dossier:
        """Inverse of :meth:`to_dict`; a malformed record raises InvalidInput naming it."""
        def when(key: str) -> datetime | None:
            value = data.get(key)
            return None if value is None else datetime.fromisoformat(value)

        try:
            due = data.get("due_date")
            apology = data.get("apology")
            return cls(
                code=data["code"], procedure_code=data["procedure_code"],
                applicant=dict(data["applicant"]), channel=data["channel"],
                state=State(data["state"]), documents=tuple(data["documents"]),
                form=dict(data["form"]), created_at=datetime.fromisoformat(data["created_at"]),
                history=tuple(Step.from_dict(s) for s in data["history"]),
                received_at=when("received_at"),
                due_date=None if due is None else date.fromisoformat(due),
                resolved_at=when("resolved_at"), returned_at=when("returned_at"),
                fee_amount=data.get("fee_amount"), fee_paid=bool(data.get("fee_paid", False)),
                apology=None if apology is None else ApologySlip.from_dict(apology),
                supplement_reason=data.get("supplement_reason"))
        except KeyError as missing:
            raise InvalidInput(_("Dữ liệu hồ sơ thiếu trường {field}").format(
                field=missing.args[0]), field=str(missing.args[0])) from None
        except (TypeError, ValueError) as exc:
            raise InvalidInput(_("Dữ liệu hồ sơ {code} không hợp lệ: {error}").format(
                code=data.get("code"), error=exc), field="ma_ho_so",
                value=data.get("code")) from None


# --- operations ---------------------------------------------------------------------------


def _check_time(at: object, after: datetime | None) -> datetime:
    if not isinstance(at, datetime):
        raise InvalidInput(_("{label} phải là ngày giờ (datetime), đang có kiểu {kind}").format(
            label=field_label("thoi_diem"), kind=type(at).__name__), field="thoi_diem", value=at)
    try:
        backwards = after is not None and at < after
    except TypeError:  # naive against aware
        raise InvalidInput(_("{label} {value} phải cùng kiểu múi giờ với các bước trước").format(
            label=field_label("thoi_diem"), value=at), field="thoi_diem", value=at) from None
    if backwards:
        raise InvalidInput(_(
            "{label} không được lùi lại: {value:%d/%m/%Y %H:%M} sớm hơn bước trước "
            "({last:%d/%m/%Y %H:%M})").format(label=field_label("thoi_diem"), value=at,
                                               last=after), field="thoi_diem", value=at)
    return at


def _check_actor(actor: object) -> str:
    return required(actor, "nguoi_thuc_hien")


def _check_channel(channel: object) -> str:
    if channel not in CHANNELS:
        raise InvalidInput(_("{label} phải là một trong {allowed}").format(
            label=field_label("kenh_nop"),
            allowed=", ".join(f"{code} ({channel_name(code)})" for code in CHANNELS)),
            field="kenh_nop", value=channel)
    return str(channel)


def _check_fee(amount: object) -> int | None:
    if amount is None:
        return None
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise InvalidInput(_("{label} phải là số đồng nguyên, không âm").format(
            label=field_label("le_phi")), field="le_phi", value=amount)
    return amount


def _documents(documents: Iterable[str]) -> tuple[str, ...]:
    items = None if isinstance(documents, str) else tuple(documents)
    if items is None or not all(isinstance(d, str) and d.strip() for d in items):
        raise InvalidInput(_("{label} phải là danh sách mã giấy tờ, mỗi mã không để trống")
                           .format(label=field_label("giay_to")),
                           field="giay_to", value=documents)
    return tuple(nfc(d).strip() for d in items)


def new_dossier(code: str, procedure_code: str, applicant: Mapping[str, Any], *,
                channel: str, at: datetime, actor: str, documents: tuple[str, ...] = (),
                form: Mapping[str, Any] | None = None,
                fee_amount: int | None = None) -> Dossier:
    """A draft dossier; ``code`` must read as ``UNIT-YYMMDD-NNNN``."""
    parse_dossier_code(code)
    at = _check_time(at, None)
    actor = _check_actor(actor)
    return Dossier(code=code.strip(), procedure_code=required(procedure_code, "thu_tuc"),
                   applicant=dict(applicant), channel=_check_channel(channel),
                   state=State.DRAFT, documents=_documents(documents), form=dict(form or {}),
                   created_at=at, history=(Step(State.DRAFT, at, actor),),
                   fee_amount=_check_fee(fee_amount))


def update_draft(dossier: Dossier, *, documents: tuple[str, ...] | None = None,
                 form: Mapping[str, Any] | None = None,
                 applicant: Mapping[str, Any] | None = None) -> Dossier:
    """Edit attachments or form fields while the resident still holds the dossier."""
    if dossier.state not in _EDITABLE:
        raise TransitionError(_(
            "Hồ sơ {code} đang ở trạng thái «{state}», chỉ sửa được khi «{draft}» hoặc "
            "«{supplement}»").format(code=dossier.code, state=dossier.state.label,
                                     draft=State.DRAFT.label,
                                     supplement=State.SUPPLEMENT_REQUESTED.label),
            field="trang_thai", value=dossier.state)
    return replace(
        dossier,
        documents=dossier.documents if documents is None else _documents(documents),
        form=dict(dossier.form) if form is None else dict(form),
        applicant=dict(dossier.applicant) if applicant is None else dict(applicant))


def allowed_next(dossier: Dossier) -> tuple[State, ...]:
    """States the dossier may move to now (a dossier is received at most once)."""
    moves = TRANSITIONS[dossier.state]
    if dossier.state is State.RESUBMITTED:
        skip = State.PROCESSING if dossier.received_at is None else State.RECEIVED
        moves = tuple(s for s in moves if s is not skip)
    return moves


def _parse_state(to: object) -> State:
    try:
        return State(str(to))
    except ValueError:
        raise TransitionError(_("Không có trạng thái hồ sơ {value!r}; các trạng thái: {all}")
                              .format(value=to, all=", ".join(s.value for s in State)),
                              field="trang_thai", value=to) from None


def transition(dossier: Dossier, to: State | str, *, at: datetime, actor: str,
               note: str | None = None, due_date: date | None = None) -> Dossier:
    """The dossier moved to ``to``; illegal moves raise TransitionError listing legal ones."""
    target = _parse_state(to)
    allowed = allowed_next(dossier)
    if target not in allowed:
        choices = ", ".join(f"«{s.label}»" for s in allowed) or _("không còn bước nào")
        raise TransitionError(_(
            "Hồ sơ {code} đang ở trạng thái «{current}», không thể chuyển sang «{requested}». "
            "Bước tiếp theo được phép: {choices}").format(
                code=dossier.code, current=dossier.state.label, requested=target.label,
                choices=choices), field="trang_thai", value=target)
    at = _check_time(at, dossier.last_time)
    actor = _check_actor(actor)
    note = (nfc(note).strip() or None) if isinstance(note, str) else note
    if target in _NEEDS_REASON and not note:
        raise InvalidInput(_("Chưa nhập {label}: chuyển hồ sơ sang «{state}» phải nêu rõ lý do")
                           .format(label=field_label("ly_do"), state=target.label),
                           field="ly_do", value=note)

    changes: dict[str, Any] = {}
    if target is State.RECEIVED:
        if not isinstance(due_date, date) or isinstance(due_date, datetime):
            raise InvalidInput(_(
                "Chưa nhập {label}: tiếp nhận hồ sơ phải ghi ngày hẹn trả (tính theo ngày làm "
                "việc)").format(label=field_label("ngay_hen_tra")),
                field="ngay_hen_tra", value=due_date)
        if due_date < at.date():
            raise InvalidInput(_("{label} {due} không được trước ngày tiếp nhận {day}").format(
                label=field_label("ngay_hen_tra"), due=format_date(due_date),
                day=format_date(at.date())), field="ngay_hen_tra", value=due_date)
        changes.update(received_at=at, due_date=due_date)
    elif due_date is not None:
        raise InvalidInput(_(
            "{label} chỉ được ghi khi tiếp nhận hồ sơ; muốn dời ngày phải lập phiếu xin lỗi và "
            "hẹn lại").format(label=field_label("ngay_hen_tra")),
            field="ngay_hen_tra", value=due_date)
    if target is State.SUPPLEMENT_REQUESTED:
        changes["supplement_reason"] = note
    elif target is State.RESOLVED:
        changes["resolved_at"] = at
    elif target is State.RESULT_RETURNED:
        changes["returned_at"] = at
    return replace(dossier, state=target, history=(*dossier.history, Step(target, at, actor,
                                                                           note)),
                   applicant=dict(dossier.applicant), form=dict(dossier.form), **changes)


def issue_apology(dossier: Dossier, *, new_due: date, reason: str, at: datetime) -> Dossier:
    """Move the due date later with a "Phiếu xin lỗi và hẹn lại ngày trả kết quả"."""
    if dossier.state not in PENDING_STATES or dossier.due_date is None:
        raise TransitionError(_(
            "Hồ sơ {code} đang ở trạng thái «{state}»: chỉ lập phiếu xin lỗi cho hồ sơ đã tiếp "
            "nhận và chưa giải quyết xong").format(code=dossier.code, state=dossier.state.label),
            field="trang_thai", value=dossier.state)
    reason = required(reason, "ly_do")
    at = _check_time(at, dossier.last_time)
    if not isinstance(new_due, date) or isinstance(new_due, datetime):
        raise InvalidInput(_("{label} mới phải là một ngày").format(
            label=field_label("ngay_hen_tra")), field="ngay_hen_tra",
            value=new_due)
    if new_due <= dossier.due_date:
        raise InvalidInput(_(
            "{label} mới {new} phải sau ngày hẹn hiện tại {due}").format(
                label=field_label("ngay_hen_tra"), new=format_date(new_due),
                due=format_date(dossier.due_date)), field="ngay_hen_tra", value=new_due)
    if new_due < at.date():
        raise InvalidInput(_("{label} mới {new} không được trước ngày lập phiếu {day}").format(
            label=field_label("ngay_hen_tra"), new=format_date(new_due),
            day=format_date(at.date())), field="ngay_hen_tra", value=new_due)
    # A second slip still names the first appointment: that is what timeliness is judged on.
    original = dossier.original_due
    assert original is not None  # checked above: a slip needs a due date to move
    slip = ApologySlip(dossier.code, original, new_due, reason, at)
    return replace(dossier, due_date=new_due, apology=slip, applicant=dict(dossier.applicant),
                   form=dict(dossier.form))


def record_fee_payment(dossier: Dossier, amount: int) -> Dossier:
    """Mark the fee paid when ``amount`` is exactly the dossier's fee."""
    if dossier.state in {State.REJECTED, State.WITHDRAWN}:
        raise TransitionError(_("Hồ sơ {code} đã «{state}», không nộp lệ phí").format(
            code=dossier.code, state=dossier.state.label), field="trang_thai",
            value=dossier.state)
    if dossier.fee_amount is None:  # never invent a fee: unknown means nothing is charged
        raise InvalidInput(_("{label} của hồ sơ {code} chưa kiểm chứng nên không thu").format(
            label=field_label("le_phi"), code=dossier.code), field="le_phi", value=amount)
    if dossier.fee_amount == 0:
        raise InvalidInput(_("{label}: hồ sơ {code} được miễn, không cần nộp").format(
            label=field_label("le_phi"), code=dossier.code), field="le_phi", value=amount)
    if dossier.fee_paid:
        raise InvalidInput(_("{label} của hồ sơ {code} đã nộp rồi").format(
            label=field_label("le_phi"), code=dossier.code), field="le_phi", value=amount)
    if amount != dossier.fee_amount:
        fee = f"{dossier.fee_amount:,}".replace(",", ".")  # Vietnamese thousands separator
        raise InvalidInput(_("{label} phải đúng {fee} đồng; số tiền đã nộp không khớp").format(
            label=field_label("le_phi"), fee=fee), field="le_phi", value=amount)
    return replace(dossier, fee_paid=True, applicant=dict(dossier.applicant),
                   form=dict(dossier.form))


def is_overdue(dossier: Dossier, today: date) -> bool:
    """Past its original due date: unresolved after it, or resolved on a later day.

    An apology slip does not help: the first appointment counts (``original_due``).
    A dossier never received, or rejected or withdrawn, is never overdue.
    """
    due = dossier.original_due
    if due is None or dossier.state in {State.REJECTED, State.WITHDRAWN}:
        return False
    day = dossier.resolved_at.date() if dossier.resolved_at is not None else today
    return day > due
