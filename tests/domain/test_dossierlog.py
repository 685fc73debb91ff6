"""The synthetic dossier log: calibrated to the ward's report (also through the KPI report's
counting rules, as of 10/11/2025), deterministic, plausible."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kynangso.domain.catalogue import load_catalogue
from kynangso.domain.dossierlog import COLUMNS, category_counts, synthetic_log
from kynangso.domain.kpi import kpi_report
from kynangso.domain.workcalendar import Timeliness, classify_many, default_calendar
from kynangso.errors import InvalidInput

CATALOGUE = load_catalogue()
CAL = default_calendar()


@pytest.fixture(scope="module")
def log() -> pd.DataFrame:
    return synthetic_log()


def test_default_counts_match_the_wards_report():
    assert category_counts(2588) == (2006, 559, 23)


@given(n=st.integers(0, 100_000))
def test_category_counts_round_the_reported_shares(n):
    early, on_time, late = category_counts(n)
    assert early == round(0.775 * n) and early + on_time == round(0.991 * n)
    assert early + on_time + late == n and min(early, on_time, late) >= 0


def test_log_has_the_documented_columns(log):
    assert tuple(log.columns) == COLUMNS and len(log) == 2588


def late_by_the_kpi_rule(frame: pd.DataFrame, as_of: date) -> int:
    """Resolved late, or no result yet and past due on the as-of day."""
    counts = classify_many(frame["resolved_at"], frame["due_date"]).value_counts()
    pending = frame["resolved_at"].isna()
    return int(counts[Timeliness.LATE] + (pending & (frame["due_date"].dt.date < as_of)).sum())


def test_log_is_calibrated(log):
    counts = classify_many(log["resolved_at"], log["due_date"]).value_counts()
    assert counts[Timeliness.EARLY] == 2006
    assert counts[Timeliness.ON_TIME] == 559
    assert late_by_the_kpi_rule(log, date(2025, 11, 10)) == 23


def test_kpi_report_of_the_log_gives_the_wards_figures(log):
    # The recipe the module docstring gives: seed 2025, 01/07-10/11/2025, as of 10/11/2025.
    assert log.attrs["as_of"] == date(2025, 11, 10)
    report = kpi_report(log)
    assert (report.received, report.judged, report.not_yet_due) == (2588, 2588, 0)
    assert (report.early, report.on_time, report.late) == (2006, 559, 23)
    assert round(report.early_pct, 1) == 77.5
    assert round(report.early_or_on_time_pct, 1) == 99.1
    assert "seed=2025" in report.note and "10/11/2025" in report.note


def test_log_is_a_snapshot_at_the_end_of_the_as_of_day(log):
    end = pd.Timestamp(2025, 11, 11)
    for column in ("received_at", "resolved_at", "returned_at"):
        assert (log[column].dropna() < end).all()


def test_late_dossiers_still_pending_are_past_due_and_counted_late():
    end = date(2025, 11, 10)
    frame = synthetic_log(seed=3, n=1000, start=date(2025, 10, 1), end=end)
    pending = frame[frame["resolved_at"].isna()]
    assert len(pending) == 1  # this seed leaves one late dossier without a result
    assert (pending["due_date"].dt.date < end).all()
    assert (pending["status"] == "Đang giải quyết").all() and pending["rating"].isna().all()
    report = kpi_report(frame)
    assert (report.late, report.overdue, report.not_yet_due) == (category_counts(1000)[2], 1, 0)


def test_log_is_deterministic_by_seed(log):
    pd.testing.assert_frame_equal(log, synthetic_log(seed=2025))
    other = synthetic_log(seed=7)
    assert not other["received_at"].equals(log["received_at"])


def test_dossier_codes_carry_unit_day_and_daily_sequence(log):
    unit = CAL.locality.unit_code
    assert log["code"].str.fullmatch(re.escape(unit) + r"-\d{6}-\d{4}").all()
    assert log["code"].is_unique
    assert (log["code"].str[-11:-5] == log["received_at"].dt.strftime("%y%m%d")).all()
    sequence = log["code"].str[-4:].astype(int)
    expected = log.groupby(log["received_at"].dt.date).cumcount() + 1
    assert (sequence == expected).all()
    assert log["received_at"].is_monotonic_increasing


def test_only_procedures_with_a_time_figure_are_used(log):
    for code in log["procedure"].unique():
        assert CATALOGUE[code].time.kind != "unverified"
    assert log["due_date"].notna().all()
    assert (log["field"] == log["procedure"].map({p.code: p.field for p in CATALOGUE})).all()


def test_same_day_procedures_are_never_early(log):
    same_day = log["procedure"].map({p.code: p.time.kind == "same_day" for p in CATALOGUE})
    timeliness = classify_many(log["resolved_at"], log["due_date"])
    assert not (same_day & (timeliness == Timeliness.EARLY)).any()


def test_channels_are_offered_by_the_procedure(log):
    assert set(log["channel"]) == {"vneid", "cong-dvc", "truc-tiep"}
    for code, channel in log[["procedure", "channel"]].drop_duplicates().itertuples(index=False):
        assert channel in CATALOGUE[code].channels


def test_in_person_receipts_fall_in_office_hours(log):
    in_person = log[log["channel"] == "truc-tiep"]
    assert all(CAL.is_office_open(t) for t in in_person["received_at"])
    online = log[log["channel"] != "truc-tiep"]
    assert not all(CAL.is_office_open(t) for t in online["received_at"])  # nights, weekends


def test_receipts_stay_in_the_period(log):
    assert log["received_at"].min() >= pd.Timestamp(2025, 7, 1)
    assert log["received_at"].max() < pd.Timestamp(2025, 11, 11)
    assert (log["month"] == log["received_at"].dt.strftime("%Y-%m")).all()


def test_due_dates_are_the_calendars(log):
    assert log["due_date"].equals(CAL.due_dates(log["received_at"], log["procedure"], CATALOGUE))


def test_results_follow_receipts_and_returns_follow_results(log):
    resolved = log["resolved_at"].notna()
    assert (log.loc[resolved, "resolved_at"] > log.loc[resolved, "received_at"]).all()
    returned = log["returned_at"].notna()
    assert (log.loc[returned, "returned_at"] >= log.loc[returned, "resolved_at"]).all()
    assert set(log["status"]) <= {"Đã trả kết quả", "Chờ trả kết quả", "Đang giải quyết"}
    assert (log["status"] == "Chờ trả kết quả").equals(~returned & resolved)
    assert (log["status"] == "Đang giải quyết").equals(~resolved)


def test_ratings_are_one_to_five_or_missing(log):
    ratings = log["rating"].dropna()
    assert set(ratings.unique()) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert 0.4 < len(ratings) / len(log) < 0.8


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 400))
def test_any_seed_and_size_is_calibrated(seed, n):
    frame = synthetic_log(seed=seed, n=n)
    counts = classify_many(frame["resolved_at"], frame["due_date"]).value_counts()
    assert (counts[Timeliness.EARLY], counts[Timeliness.ON_TIME],
            late_by_the_kpi_rule(frame, date(2025, 11, 10))) == category_counts(n)
    report = kpi_report(frame, as_of=date(2025, 11, 10))
    assert (report.early, report.on_time, report.late) == category_counts(n)
    assert report.judged == n and report.not_yet_due == 0


def test_empty_log_has_the_columns():
    frame = synthetic_log(n=0)
    assert tuple(frame.columns) == COLUMNS and frame.empty


def test_short_period_works():
    frame = synthetic_log(n=50, start=date(2025, 9, 1), end=date(2025, 9, 5))
    assert frame["received_at"].dt.date.between(date(2025, 9, 1), date(2025, 9, 5)).all()


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"n": -1}, "n"), ({"n": 2.5}, "n"),
    ({"start": date(2025, 11, 10), "end": date(2025, 7, 1)}, "end"),
    ({"start": date(2025, 9, 1), "end": date(2025, 9, 2)}, "start"),  # National Day: no workday
])
def test_bad_arguments_are_named(kwargs, field):
    with pytest.raises(InvalidInput) as info:
        synthetic_log(**kwargs)
    assert info.value.field == field


def test_numbers_are_plain_numpy_types(log):
    assert log["rating"].dtype == np.float64
    assert str(log["received_at"].dtype).startswith("datetime64")
