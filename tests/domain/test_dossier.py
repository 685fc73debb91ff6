"""Dossier lifecycle at the one-stop counter: codes, transitions, apology slips."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kynangso.domain.dossier import (
    FINAL_STATES,
    PENDING_STATES,
    TRANSITIONS,
    Dossier,
    DossierCode,
    State,
    allowed_next,
    format_dossier_code,
    is_overdue,
    issue_apology,
    new_dossier,
    parse_dossier_code,
    record_fee_payment,
    transition,
    update_draft,
)
from kynangso.domain.identity import field_label
from kynangso.errors import InvalidInput, TransitionError

T0 = datetime(2025, 11, 10, 8, 0)
DUE = date(2025, 11, 24)
CODE = "000.00.12.H56-251110-0001"


def hours(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def draft(**kwargs) -> Dossier:
    return new_dossier(CODE, "ly-lich-tu-phap", {"name": "Nguyễn Văn An",
                                                 "cccd": "038089999001"},
                       channel="vneid", at=T0, actor="nguoi-dan",
                       documents=("to-khai",), form={"muc_dich": "xin việc"}, **kwargs)


def received() -> Dossier:
    d = transition(draft(), State.SUBMITTED, at=hours(1), actor="nguoi-dan")
    return transition(d, State.RECEIVED, at=hours(2), actor="can-bo", due_date=DUE)


def processing() -> Dossier:
    return transition(received(), State.PROCESSING, at=hours(3), actor="can-bo")


def raises_on(expected_field: str, func, /, *args, **kwargs) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        func(*args, **kwargs)
    assert caught.value.field == expected_field
    assert field_label(expected_field) in str(caught.value)
    return caught.value


# --- states -------------------------------------------------------------------------------


def test_states_have_vietnamese_labels():
    assert [s.label for s in State] == [
        "Nháp", "Đã nộp", "Đã tiếp nhận", "Đang xử lý", "Yêu cầu bổ sung", "Đã bổ sung",
        "Đã giải quyết", "Đã trả kết quả", "Từ chối", "Đã rút"]


def test_final_states_have_no_way_out():
    assert all(TRANSITIONS[s] == () for s in FINAL_STATES)
    assert set(TRANSITIONS) == set(State)


# --- dossier codes ------------------------------------------------------------------------


def test_dossier_code_is_unit_date_and_daily_number():
    assert format_dossier_code("000.00.12.H56", date(2025, 11, 10), 7) == \
        "000.00.12.H56-251110-0007"
    assert parse_dossier_code("000.00.12.H56-251110-0007") == \
        DossierCode("000.00.12.H56", date(2025, 11, 10), 7)


@given(unit=st.from_regex(r"[A-Z0-9]{1,5}(\.[A-Z0-9]{1,4}){0,3}", fullmatch=True),
       day=st.dates(date(2000, 1, 1), date(2099, 12, 31)), seq=st.integers(1, 9999))
def test_dossier_code_round_trips(unit, day, seq):
    assert parse_dossier_code(format_dossier_code(unit, day, seq)) == DossierCode(unit, day, seq)


@pytest.mark.parametrize("seq", [0, 10000, -1, True, "1"])
def test_dossier_code_rejects_sequence_outside_1_to_9999(seq):
    error = raises_on("so_thu_tu", format_dossier_code, "TL", date(2025, 1, 1), seq)
    assert "9999" in str(error)


@pytest.mark.parametrize("unit", ["", "TL-01", "Trúc Lâm", ".TL", "TL."])
def test_dossier_code_rejects_a_bad_unit(unit):
    raises_on("ma_don_vi", format_dossier_code, unit, date(2025, 1, 1), 1)


@pytest.mark.parametrize(("typed", "part"), [
    ("TL-2511100001", "dạng"), ("251110-0001", "dạng"), ("TL-25111-0001", "YYMMDD"),
    ("TL-251310-0001", "không phải ngày có thật"), ("TL-250230-0001", "không phải ngày"),
    ("TL-251110-0000", "0001"), ("TL-251110-12", "0001"), ("T L-251110-0001", "mã đơn vị"),
])
def test_parse_dossier_code_says_which_part_is_wrong(typed, part):
    error = raises_on("ma_ho_so", parse_dossier_code, typed)
    assert part in str(error) and typed not in str(error) and error.value == typed


def test_parse_dossier_code_rejects_empty():
    assert str(raises_on("ma_ho_so", parse_dossier_code, " ")) == "Chưa nhập Mã hồ sơ"


def test_new_dossier_needs_a_well_formed_code():
    with pytest.raises(InvalidInput):
        new_dossier("HS001", "khai-sinh", {}, channel="vneid", at=T0, actor="a")


def test_new_dossier_needs_a_procedure_and_a_list_of_documents():
    raises_on("thu_tuc", new_dossier, CODE, " ", {}, channel="vneid", at=T0, actor="a")
    raises_on("giay_to", new_dossier, CODE, "khai-sinh", {}, channel="vneid", at=T0,
              actor="a", documents="to-khai")


def test_new_dossier_rejects_an_unknown_channel():
    raises_on("kenh_nop", new_dossier, CODE, "khai-sinh", {}, channel="zalo", at=T0,
              actor="a")


# --- lifecycle ----------------------------------------------------------------------------


def test_a_dossier_goes_from_draft_to_result_returned():
    d = processing()
    d = transition(d, State.RESOLVED, at=hours(30), actor="lanh-dao")
    d = transition(d, State.RESULT_RETURNED, at=hours(50), actor="can-bo", note="trả tại quầy")
    assert d.state is State.RESULT_RETURNED and d.finished
    assert [s.state for s in d.history] == [State.DRAFT, State.SUBMITTED, State.RECEIVED,
                                            State.PROCESSING, State.RESOLVED,
                                            State.RESULT_RETURNED]
    assert (d.received_at, d.due_date, d.resolved_at, d.returned_at) == (
        hours(2), DUE, hours(30), hours(50))
    assert d.history[-1].note == "trả tại quầy"


def test_transition_returns_a_new_dossier_and_leaves_the_old_one():
    before = draft()
    after = transition(before, "submitted", at=hours(1), actor="nguoi-dan")
    assert before.state is State.DRAFT and len(before.history) == 1
    assert after.state is State.SUBMITTED and len(after.history) == 2


def test_illegal_transition_names_current_requested_and_allowed_states():
    with pytest.raises(TransitionError) as caught:
        transition(draft(), State.RESOLVED, at=hours(1), actor="can-bo")
    message = str(caught.value)
    assert "«Nháp»" in message and "«Đã giải quyết»" in message
    assert "«Đã nộp»" in message and "«Đã rút»" in message


def test_a_finished_dossier_has_no_next_step():
    d = transition(draft(), State.WITHDRAWN, at=hours(1), actor="nguoi-dan")
    with pytest.raises(TransitionError) as caught:
        transition(d, State.SUBMITTED, at=hours(2), actor="nguoi-dan")
    assert "không còn bước nào" in str(caught.value)


def test_unknown_state_is_a_transition_error():
    with pytest.raises(TransitionError):
        transition(draft(), "approved", at=hours(1), actor="a")


def test_receiving_requires_a_due_date():
    d = transition(draft(), State.SUBMITTED, at=hours(1), actor="nguoi-dan")
    error = raises_on("ngay_hen_tra", transition, d, State.RECEIVED, at=hours(2), actor="cb")
    assert "Chưa nhập" in str(error)


def test_due_date_cannot_precede_receipt():
    d = transition(draft(), State.SUBMITTED, at=hours(1), actor="nguoi-dan")
    raises_on("ngay_hen_tra", transition, d, State.RECEIVED, at=hours(2), actor="cb",
              due_date=date(2025, 11, 9))


def test_due_date_is_only_set_at_receipt():
    error = raises_on("ngay_hen_tra", transition, received(), State.PROCESSING, at=hours(3),
                      actor="cb", due_date=date(2025, 12, 1))
    assert "phiếu xin lỗi" in str(error)


@pytest.mark.parametrize("note", [None, "", "   "])
def test_supplement_request_requires_a_reason(note):
    error = raises_on("ly_do", transition, processing(), State.SUPPLEMENT_REQUESTED,
                      at=hours(4), actor="cb", note=note)
    assert "«Yêu cầu bổ sung»" in str(error)


def test_rejection_requires_a_reason():
    raises_on("ly_do", transition, processing(), State.REJECTED, at=hours(4), actor="cb")


def test_supplement_reason_is_kept():
    d = transition(processing(), State.SUPPLEMENT_REQUESTED, at=hours(4), actor="cb",
                   note="Thiếu bản sao CCCD")
    assert d.supplement_reason == "Thiếu bản sao CCCD"


def test_times_cannot_go_backwards():
    error = raises_on("thoi_diem", transition, received(), State.PROCESSING,
                      at=hours(1), actor="cb")
    assert "lùi" in str(error)


def test_time_must_be_a_datetime():
    raises_on("thoi_diem", transition, received(), State.PROCESSING, at=date(2025, 11, 11),
              actor="cb")


def test_actor_is_required():
    raises_on("nguoi_thuc_hien", transition, received(), State.PROCESSING, at=hours(3),
              actor=" ")


def test_supplement_before_receipt_leads_back_to_receipt():
    d = transition(draft(), State.SUBMITTED, at=hours(1), actor="nguoi-dan")
    d = transition(d, State.SUPPLEMENT_REQUESTED, at=hours(2), actor="cb", note="Thiếu ảnh")
    d = transition(d, State.RESUBMITTED, at=hours(5), actor="nguoi-dan")
    assert State.RECEIVED in allowed_next(d) and State.PROCESSING not in allowed_next(d)
    d = transition(d, State.RECEIVED, at=hours(6), actor="cb", due_date=DUE)
    assert d.due_date == DUE


def test_supplement_after_receipt_keeps_the_due_date():
    d = transition(processing(), State.SUPPLEMENT_REQUESTED, at=hours(4), actor="cb",
                   note="Thiếu giấy xác nhận")
    d = transition(d, State.RESUBMITTED, at=hours(8), actor="nguoi-dan")
    assert State.RECEIVED not in allowed_next(d) and State.PROCESSING in allowed_next(d)
    with pytest.raises(TransitionError):
        transition(d, State.RECEIVED, at=hours(9), actor="cb", due_date=date(2025, 12, 30))
    assert transition(d, State.PROCESSING, at=hours(9), actor="cb").due_date == DUE


def test_documents_and_form_are_editable_only_while_the_resident_holds_the_dossier():
    d = update_draft(draft(), documents=("to-khai", "anh-the"), form={"so_ban": 2})
    assert d.documents == ("to-khai", "anh-the") and d.form == {"so_ban": 2}
    with pytest.raises(TransitionError):
        update_draft(received(), documents=())
    d = transition(processing(), State.SUPPLEMENT_REQUESTED, at=hours(4), actor="cb",
                   note="Thiếu ảnh")
    assert update_draft(d, documents=("anh-the",)).documents == ("anh-the",)


def test_fee_is_paid_only_with_the_exact_amount():
    d = draft(fee_amount=200_000)
    error = raises_on("le_phi", record_fee_payment, d, 100_000)
    assert "200.000" in str(error)
    paid = record_fee_payment(d, 200_000)
    assert paid.fee_paid and not d.fee_paid
    raises_on("le_phi", record_fee_payment, paid, 200_000)
    unknown = raises_on("le_phi", record_fee_payment, draft(), 0)
    assert "chưa kiểm chứng" in str(unknown)
    raises_on("le_phi", record_fee_payment, draft(fee_amount=0), 0)


# --- apology slip and overdue -------------------------------------------------------------


def test_apology_moves_the_due_date_and_prints_a_slip():
    d = issue_apology(processing(), new_due=date(2025, 11, 28), reason="Chờ xác minh",
                      at=datetime(2025, 11, 21, 9))
    assert d.due_date == date(2025, 11, 28)
    slip = d.apology
    assert (slip.original_due, slip.new_due, slip.dossier_code) == (DUE, date(2025, 11, 28),
                                                                    CODE)
    text = slip.text()
    assert text.splitlines()[0] == "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    assert "24/11/2025" in text and "28/11/2025" in text and "Chờ xác minh" in text
    assert "tập dượt" in text


def test_apology_needs_a_later_due_date():
    error = raises_on("ngay_hen_tra", issue_apology, processing(), new_due=DUE,
                      reason="x", at=hours(5))
    assert "24/11/2025" in str(error)


def test_apology_needs_a_reason():
    raises_on("ly_do", issue_apology, processing(), new_due=date(2025, 12, 1), reason=" ",
              at=hours(5))


@pytest.mark.parametrize("state", ["draft", "resolved", "returned", "rejected"])
def test_apology_only_while_the_dossier_is_pending(state):
    d = {"draft": draft}.get(state, processing)()
    if state in ("resolved", "returned"):
        d = transition(d, State.RESOLVED, at=hours(5), actor="cb")
    if state == "returned":
        d = transition(d, State.RESULT_RETURNED, at=hours(6), actor="cb")
    if state == "rejected":
        d = transition(d, State.REJECTED, at=hours(5), actor="cb", note="Không thuộc thẩm quyền")
    with pytest.raises(TransitionError):
        issue_apology(d, new_due=date(2025, 12, 1), reason="x", at=hours(10))


def test_nothing_may_happen_before_the_apology():
    d = issue_apology(processing(), new_due=date(2025, 12, 1), reason="x", at=hours(100))
    raises_on("thoi_diem", transition, d, State.RESOLVED, at=hours(50), actor="cb")


def test_overdue_is_judged_against_the_original_due_date():
    d = processing()
    assert not is_overdue(d, DUE)
    assert is_overdue(d, DUE + timedelta(days=1))
    # An apology slip moves the appointment, not the verdict: still overdue after 24/11.
    later = issue_apology(d, new_due=date(2025, 12, 1), reason="x", at=hours(5))
    assert (later.due_date, later.original_due) == (date(2025, 12, 1), DUE)
    assert not is_overdue(later, DUE)
    assert is_overdue(later, DUE + timedelta(days=1))


def test_apology_dossier_resolved_before_the_new_date_is_still_late():
    d = issue_apology(processing(), new_due=date(2025, 11, 28), reason="x",
                      at=datetime(2025, 11, 21, 9))
    resolved = transition(d, State.RESOLVED, at=datetime(2025, 11, 26, 9), actor="cb")
    assert is_overdue(resolved, date(2025, 11, 26))


def test_a_second_apology_slip_keeps_the_first_appointment():
    first = issue_apology(processing(), new_due=date(2025, 11, 28), reason="x",
                          at=datetime(2025, 11, 21, 9))
    second = issue_apology(first, new_due=date(2025, 12, 5), reason="y",
                           at=datetime(2025, 11, 27, 9))
    assert second.apology.original_due == DUE and second.original_due == DUE
    assert second.due_date == date(2025, 12, 5)
    assert "24/11/2025" in second.apology.text()
    again = Dossier.from_dict(json.loads(json.dumps(second.to_dict())))
    assert again.original_due == DUE


def test_original_due_is_the_due_date_without_a_slip():
    assert processing().original_due == DUE
    assert draft().original_due is None


def test_a_dossier_resolved_late_stays_overdue_and_one_on_time_does_not():
    late = transition(processing(), State.RESOLVED, at=datetime(2025, 11, 25, 9), actor="cb")
    assert is_overdue(late, date(2026, 1, 1))
    on_time = transition(processing(), State.RESOLVED, at=datetime(2025, 11, 24, 16),
                         actor="cb")
    assert not is_overdue(on_time, date(2026, 1, 1))


def test_unreceived_or_rejected_dossiers_are_never_overdue():
    assert not is_overdue(draft(), date(2030, 1, 1))
    rejected = transition(processing(), State.REJECTED, at=hours(5), actor="cb", note="x")
    assert not is_overdue(rejected, date(2030, 1, 1))


# --- serialisation and properties ---------------------------------------------------------


def test_from_dict_names_a_missing_field():
    data = received().to_dict()
    del data["history"]
    with pytest.raises(InvalidInput) as caught:
        Dossier.from_dict(data)
    assert caught.value.field == "history"


def test_from_dict_rejects_an_unknown_state():
    data = received().to_dict() | {"state": "approved"}
    with pytest.raises(InvalidInput):
        Dossier.from_dict(data)


moves = st.lists(st.tuples(st.booleans(), st.integers(0, 20), st.sampled_from(list(State)),
                           st.integers(0, 48 * 60)), max_size=25)
json_text = st.text(max_size=12)
json_values = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | json_text,
                           lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(json_text, inner, max_size=3), max_leaves=6)


def walk(d: Dossier, steps) -> tuple[Dossier, list[tuple[Dossier, State]]]:
    """Apply ``steps``: allowed moves when the flag is set, otherwise any state."""
    refused = []
    for pick_allowed, index, anything, minutes in steps:
        allowed = allowed_next(d)
        target = allowed[index % len(allowed)] if pick_allowed and allowed else anything
        at = d.last_time + timedelta(minutes=minutes)
        kwargs = {"note": "lý do"}
        if target is State.RECEIVED:
            kwargs["due_date"] = at.date() + timedelta(days=index)
        if target in allowed:
            d = transition(d, target, at=at, actor="cb", **kwargs)
        else:
            refused.append((d, target))
    return d, refused


@settings(max_examples=150, deadline=None)
@given(moves)
def test_allowed_moves_keep_history_consistent_and_others_raise(steps):
    d, refused = walk(draft(), steps)
    states = [step.state for step in d.history]
    assert states[0] is State.DRAFT and states[-1] is d.state
    assert all(b in TRANSITIONS[a] for a, b in pairwise(states))
    times = [step.at for step in d.history]
    assert times == sorted(times)
    assert states.count(State.RECEIVED) <= 1
    assert (d.received_at is not None) == (State.RECEIVED in states)
    assert (d.due_date is not None) == (State.RECEIVED in states)
    assert (d.resolved_at is not None) == (State.RESOLVED in states)
    for before, target in refused:
        with pytest.raises(TransitionError):
            transition(before, target, at=before.last_time, actor="cb", note="x",
                       due_date=before.last_time.date())


@settings(max_examples=100, deadline=None)
@given(steps=moves, applicant=st.dictionaries(json_text, json_values, max_size=4),
       form=st.dictionaries(json_text, json_values, max_size=4),
       documents=st.lists(st.text(min_size=1, max_size=8).filter(str.strip), max_size=4),
       fee=st.none() | st.integers(0, 500_000), apologise=st.booleans())
def test_dossier_round_trips_through_json(steps, applicant, form, documents, fee, apologise):
    start = new_dossier(CODE, "tam-tru", applicant, channel="cong-dvc", at=T0, actor="dan",
                        documents=tuple(documents), form=form, fee_amount=fee)
    d, _refused = walk(start, steps)
    if apologise and d.due_date is not None and d.state in PENDING_STATES:
        d = issue_apology(d, new_due=d.due_date + timedelta(days=3), reason="Chờ xác minh",
                          at=d.last_time + timedelta(hours=1))
    assert Dossier.from_dict(json.loads(json.dumps(d.to_dict()))) == d
