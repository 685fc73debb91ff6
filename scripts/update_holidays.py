"""Write widgets/kynangso/data/holidays_vn.csv from the installed ``holidays`` package.

Usage: python scripts/update_holidays.py [--check]

Simulator kernels read this table instead of importing ``holidays`` (which loads
every country). Format, UTF-8 (NFC) with ``\\n`` line ends:

    # holidays 0.108, years 2015-2035
    date,kind,name,source,verified,checked
    2015-01-01,holiday,Tết Dương lịch,Bộ luật Lao động số 10/2012/QH13 ...,true,2026-12-02
    2015-02-14,weekend_workday,,Tờ trình 89/TTr-LĐTBXH ...,false,2026-12-02

The first line names the package version and the years covered (inclusive);
the reader (``kynangso.domain.workcalendar.load_holiday_table``) requires it
and parses the rest with the ``csv`` module. One row per date and kind, sorted:
``holiday`` rows carry the Vietnamese name from ``holidays.VN(years,
language="vi")``, ``weekend_workday`` rows (its ``weekend_workdays`` inside
those years) have no name. Every row names the document it rests on
(``source``), whether the project counts that as settled (``verified``) and
the day the source was last compared (``checked``). The sources below follow
the references the package cites in ``holidays/countries/vietnam.py``; a year
whose notice is neither cited there nor read by the project stays unverified.

The file is rewritten only when its content changes; ``--check`` writes
nothing and exits 1 when the file is out of date.
tests/domain/test_holidays_table.py fails until the table matches the package.
"""

from __future__ import annotations

import csv
import io
import sys
import unicodedata
from datetime import date
from pathlib import Path

import holidays
from generated import write_or_check

from kynangso.domain.datafiles import DATA_DIR
from kynangso.domain.workcalendar import DEFAULT_YEARS, HOLIDAYS_FILE, TABLE_COLUMNS

TABLE = DATA_DIR / HOLIDAYS_FILE

# The day the sources below were last looked at; bump it when you re-check them.
CHECKED = date(2026, 12, 2)

LABOUR_2012 = ("Bộ luật Lao động số 10/2012/QH13 ngày 18/6/2012 của Quốc hội, Điều 115 "
               "(nghỉ lễ, tết)")
LABOUR_2019 = ("Bộ luật Lao động số 45/2019/QH14 ngày 20/11/2019 của Quốc hội, Điều 112 "
               "(nghỉ lễ, tết)")
OBSERVED_2012 = "; nghỉ bù khi trùng ngày nghỉ hằng tuần: Điều 115 khoản 3"
OBSERVED_2019 = "; nghỉ bù khi trùng ngày nghỉ hằng tuần: Điều 111 khoản 3"
CULTURE_DAY = ("Nghị quyết số 80-NQ/TW của Bộ Chính trị về phát triển văn hóa Việt Nam "
               "(chủ trương lấy ngày 24/11 là Ngày Văn hóa Việt Nam, người lao động được nghỉ); "
               "chưa có trong Điều 112 Bộ luật Lao động: chính sách, chưa thành luật")

# Yearly decisions (Labour Code 2019 art. 112.3: the Prime Minister fixes the Tết
# and National Day days each year). Keyed by (year, part): "tet" the Tết window,
# "national_day" the day next to 2/9, "swap" swapped days off and weekend workdays.
# verified: the package cites the document, or the project read its text.
NOTICE_6519 = ("Công văn 6519/VPCP-KGVX ngày 11/7/2018 của Văn phòng Chính phủ (ý kiến Thủ "
               "tướng về nghỉ lễ, tết năm 2019 đối với cán bộ, công chức, viên chức)")
NOTICE_2025 = ("Công văn 8726/VPCP-KGVX ngày 26/11/2024 của Văn phòng Chính phủ (ý kiến Thủ "
               "tướng về nghỉ Tết Âm lịch và một số dịp lễ năm 2025); Thông báo "
               "6150/TB-BLĐTBXH năm 2024 của Bộ Lao động – Thương binh và Xã hội")
NOTICE_2026 = ("Thông báo số 9441 ngày 16/10/2025 của Bộ Nội vụ về lịch nghỉ Tết Âm lịch và "
               "Quốc khánh năm 2026, theo ý kiến Thủ tướng do Văn phòng Chính phủ truyền đạt "
               "tháng 10/2025 (dự án đọc qua báo chí, chưa đọc văn bản gốc)")
NOTICES: dict[tuple[int, str], tuple[str, bool]] = {
    (2015, "tet"): ("Tờ trình 89/TTr-LĐTBXH ngày 20/11/2014 của Bộ Lao động – Thương binh và "
                    "Xã hội (đề xuất nghỉ Tết và hoán đổi ngày nghỉ năm 2015); văn bản đồng ý "
                    "của Thủ tướng chưa đối chiếu", False),
    (2015, "swap"): ("Tờ trình 89/TTr-LĐTBXH ngày 20/11/2014 của Bộ Lao động – Thương binh và "
                     "Xã hội (đề xuất hoán đổi ngày nghỉ năm 2015); văn bản đồng ý của Thủ "
                     "tướng chưa đối chiếu", False),
    (2019, "tet"): (NOTICE_6519, True),
    (2019, "swap"): (NOTICE_6519, True),
    (2022, "tet"): ("Công văn số 245 ngày 11/01/2022 của Văn phòng Chính phủ (ý kiến Phó Thủ "
                    "tướng về nghỉ Tết Nhâm Dần; dự án đọc qua báo chí, chưa đọc văn bản gốc)",
                    False),
    (2024, "swap"): ("Công văn 2450/VPCP-KGVX ngày 12/4/2024 của Văn phòng Chính phủ (hoán đổi "
                     "ngày làm việc dịp 30/4 và 1/5/2024)", True),
    (2025, "tet"): (NOTICE_2025, True),
    (2025, "swap"): (NOTICE_2025, True),
    (2025, "national_day"): (NOTICE_2025, True),
    (2026, "tet"): (NOTICE_2026, False),
    (2026, "swap"): (NOTICE_2026, False),
    (2026, "national_day"): (NOTICE_2026, False),
}

# The package names the weekday it moves to two days before Tết "29 Tết": it
# assumes tháng Chạp has 30 days. In a 29-day Chạp that day is the 28th (e.g.
# 27/01/2025). Days in tháng Chạp before each Tết, Vietnamese lunar calendar
# (UTC+7); 2015, 2020, 2025 and 2026 match the lunar dates printed in that year's
# Tết notice as reported.
CHAP_DAYS = {2015: 30, 2016: 29, 2017: 30, 2018: 30, 2019: 30, 2020: 30, 2021: 30,
             2022: 29, 2023: 30, 2024: 30, 2025: 29, 2026: 29, 2027: 29, 2028: 29,
             2029: 29, 2030: 29, 2031: 29, 2032: 29, 2033: 30, 2034: 30, 2035: 30}
CHAP_SOURCE = ("tên ngày: tháng Chạp năm này có {days} ngày theo âm lịch Việt Nam (UTC+7), "
               "nên ngày này là {label}")

FIXED = {"Tết Dương lịch", "Ngày Chiến thắng", "Ngày Quốc tế Lao động", "Quốc khánh",
         "Ngày Giỗ Tổ Hùng Vương"}
TET = {"29 Tết", "Giao thừa Tết Nguyên Đán", "Tết Nguyên Đán", "Mùng hai Tết Nguyên Đán",
       "Mùng ba Tết Nguyên Đán", "Mùng bốn Tết Nguyên Đán", "Mùng năm Tết Nguyên Đán",
       "Mùng sáu Tết Nguyên Đán"}
OBSERVED_SUFFIX = " (nghỉ bù)"
ESTIMATED = "dự kiến"  # the package's estimated_label, "%s (dự kiến)"
SUBSTITUTED = "Ngày nghỉ (thay cho ngày "


def _labour(year: int) -> str:
    return LABOUR_2019 if year >= 2021 else LABOUR_2012


def _notice(year: int, part: str, fallback: str) -> tuple[str, bool]:
    return NOTICES.get((year, part), (fallback, False))


def _tet_label(day: date, name: str) -> tuple[str, str]:
    """Correct name of a Tết row, and a note for its source when it changed."""
    if name != "29 Tết":
        return name, ""
    if day.year not in CHAP_DAYS:
        raise SystemExit(f"{day}: add the length of tháng Chạp before Tết {day.year} "
                         "to CHAP_DAYS in scripts/update_holidays.py")
    days = CHAP_DAYS[day.year]
    label = f"{days - 1} tháng Chạp" if days == 29 else name
    if label == name:
        return name, ""
    return label, CHAP_SOURCE.format(days=days, label=label)


def classify(day: date, name: str, kind: str) -> tuple[str, str, bool]:
    """(name, source, verified) of one row."""
    if kind == "weekend_workday":
        return "", *_notice(day.year, "swap", "")
    base = name.removesuffix(OBSERVED_SUFFIX)
    observed = base != name
    if base.startswith("Ngày Văn hóa Việt Nam"):
        source, verified = CULTURE_DAY, False
    elif name.startswith(SUBSTITUTED):
        worked = date(int(name[-5:-1]), int(name[-8:-6]), int(name[-11:-9]))
        source, verified = _notice(max(day.year, worked.year), "swap", "")
    elif base in TET:
        name, note = _tet_label(day, name)
        source, verified = _notice(day.year, "tet", (
            f"{_labour(day.year)}: Tết Âm lịch 05 ngày, Thủ tướng quyết định ngày nghỉ cụ thể "
            f"hằng năm; các ngày ở đây do gói holidays suy ra, chưa đối chiếu thông báo năm "
            f"{day.year}"))
        source += f"; {note}" if note else ""
    elif base == "Quốc khánh" and (day.month, day.day) != (9, 2) and not observed:
        source, verified = _notice(day.year, "national_day", (
            f"{LABOUR_2019}: Quốc khánh 02 ngày (02/9 và 01 ngày liền kề trước hoặc sau, Thủ "
            f"tướng quyết định hằng năm); ngày liền kề do gói holidays suy ra, chưa đối chiếu "
            f"thông báo năm {day.year}"))
    elif base in FIXED:
        source, verified = _labour(day.year), True
        if observed:
            source += OBSERVED_2019 if day.year >= 2021 else OBSERVED_2012
    else:
        raise SystemExit(f"{day} {name!r}: no source rule; add one to scripts/update_holidays.py")
    if not source:
        raise SystemExit(f"{day} {name!r}: no notice for {day.year} in NOTICES")
    if ESTIMATED in name:
        source, verified = source + "; gói holidays ghi ngày này là dự kiến", False
    return name, source, verified


def render(years: range = DEFAULT_YEARS) -> str:
    """The table's text for ``years`` from the installed package."""
    public = holidays.VN(years=years, language="vi")
    rows = [(d, "holiday", unicodedata.normalize("NFC", name)) for d, name in public.items()]
    rows += [(d, "weekend_workday", "") for d in public.weekend_workdays if d.year in years]
    out = io.StringIO()
    out.write(f"# holidays {holidays.__version__}, years {years[0]}-{years[-1]}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TABLE_COLUMNS)
    for day, kind, name in sorted(rows):
        name, source, verified = classify(day, name, kind)
        writer.writerow((day.isoformat(), kind, name, source, "true" if verified else "false",
                         CHECKED.isoformat()))
    return out.getvalue()


def main(argv: list[str], path: Path = TABLE) -> int:
    expected = render()
    return write_or_check(
        path, expected, argv,
        stale=f"{path} is out of date with holidays {holidays.__version__}: "
              "run python scripts/update_holidays.py",
        written=f"{path.name} written: {expected.count(chr(10)) - 2} rows")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
