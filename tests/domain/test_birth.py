"""Birth registration on time or late (domain/birth.py): day 60 is on time, day 61 late, leap
years count their 29 February, a day off moves the last day, a future birth is refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kynangso.domain.birth import BIRTH, birth_timing, timing_details, timing_text
from kynangso.domain.workcalendar import default_calendar
from kynangso.errors import InvalidInput

CALENDAR = default_calendar()


def day_off(day: date) -> bool:
    return not CALENDAR.is_working_day(day)


def test_the_window_is_sixty_days_with_its_source():
    assert BIRTH.days == 60
    assert "Luật Hộ tịch 2014, Điều 15" in BIRTH.source and BIRTH.verified
    assert "Bộ luật Dân sự 2015" in BIRTH.counting_source and not BIRTH.counting_verified


@pytest.mark.parametrize("after, on_time, late", [(0, True, 0), (1, True, 0), (59, True, 0),
                                                  (60, True, 0), (61, False, 1),
                                                  (90, False, 30)])
def test_day_sixty_is_on_time_and_day_sixty_one_late(after, on_time, late):
    born = date(2025, 9, 1)  # day 60 is Friday 31/10/2025: no day off moves it
    timing = birth_timing(born, born + timedelta(days=after), is_day_off=day_off)
    assert timing.last_day == date(2025, 10, 31) and timing.moved_from is None
    assert (timing.day_number, timing.on_time, timing.days_late) == (after, on_time, late)


@pytest.mark.parametrize("born, last", [
    (date(2024, 1, 1), date(2024, 3, 1)),  # leap year: 29/02/2024 is one of the 60 days
    (date(2023, 1, 1), date(2023, 3, 2)),  # common year
    (date(2023, 12, 31), date(2024, 2, 29)),  # the last day is the leap day itself
    (date(2024, 2, 29), date(2024, 4, 29)),  # born on the leap day
])
def test_leap_years_count_the_twenty_ninth_of_february(born, last):
    assert birth_timing(born, born).last_day == last
    assert birth_timing(born, last).on_time
    assert not birth_timing(born, last + timedelta(days=1)).on_time


def test_a_last_day_on_a_weekend_moves_to_the_next_working_day():
    born = date(2025, 1, 1)  # day 60 is Sunday 02/03/2025
    timing = birth_timing(born, date(2025, 3, 3), is_day_off=day_off)
    assert timing.moved_from == date(2025, 3, 2) and timing.last_day == date(2025, 3, 3)
    assert timing.on_time and timing.day_number == 61
    assert not birth_timing(born, date(2025, 3, 4), is_day_off=day_off).on_time
    # Without a calendar the 60th day stands.
    assert birth_timing(born, date(2025, 3, 3)).days_late == 1


def test_a_last_day_on_a_holiday_moves_past_the_holiday():
    born = date(2025, 7, 4)  # day 60 is 02/09/2025, National Day (01–02/09 off)
    timing = birth_timing(born, date(2025, 9, 3), is_day_off=day_off)
    assert (timing.moved_from, timing.last_day) == (date(2025, 9, 2), date(2025, 9, 3))
    assert timing.on_time
    assert any("chưa kiểm chứng" in line and "03/09/2025" in line
               for line in timing_details(timing))


def test_a_future_birth_date_is_refused_with_a_clear_message():
    with pytest.raises(InvalidInput) as refused:
        birth_timing(date(2025, 11, 11), date(2025, 11, 10))
    error = refused.value
    assert error.field == "ngay_sinh_tre"
    assert error.message.startswith("Ngày sinh của trẻ đang sau ngày hôm nay (10/11/2025)")
    assert "11/11/2025" not in error.message  # says what is wrong, never echoes the input


def test_texts_say_on_time_until_when_or_late_by_how_much():
    born = date(2025, 9, 1)
    assert timing_text(birth_timing(born, date(2025, 10, 31))) == (
        "Đăng ký đúng hạn: trong 60 ngày kể từ ngày sinh (hạn đến hết ngày 31/10/2025).")
    late = timing_text(birth_timing(born, date(2025, 11, 10)))
    assert late.startswith("Đăng ký quá hạn 10 ngày: hạn 60 ngày kể từ ngày sinh đã hết ngày "
                           "31/10/2025.")
    details = timing_details(birth_timing(born, date(2025, 11, 10)))
    assert details[0] == "Hôm nay là ngày thứ 70 kể từ ngày sinh 01/09/2025 (không tính ngày sinh)."
    assert any("Luật Hộ tịch 2014, Điều 15" in line for line in details)
