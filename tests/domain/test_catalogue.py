"""The procedure catalogue: data matches its cited sources, fees are quoted right, bad files are named."""

from __future__ import annotations

import copy
import unicodedata
from datetime import date, time
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kynangso.domain.catalogue import (
    CHANNELS,
    Catalogue,
    load_catalogue,
)
from kynangso.domain.datafiles import DATA_DIR
from kynangso.errors import DataFileError, InvalidInput, MissingEntry

CODES = ("khai-sinh", "khai-tu", "ket-hon", "chung-thuc-ban-sao", "ly-lich-tu-phap",
         "thuong-tru", "tam-tru", "thong-bao-luu-tru", "gia-han-bhyt", "dang-ky-bien-dong-dat",
         "dang-ky-thue-hkd")
UNVERIFIED_FEES = ("gia-han-bhyt", "dang-ky-bien-dong-dat", "dang-ky-thue-hkd")
UNVERIFIED_TIMES = ("khai-tu", "thong-bao-luu-tru", "gia-han-bhyt", "dang-ky-bien-dong-dat",
                    "dang-ky-thue-hkd")

CATALOGUE = load_catalogue()


# --- the shipped data ---------------------------------------------------------


def test_catalogue_has_every_code_other_modules_use():
    assert set(CODES) <= set(CATALOGUE.codes)


def test_every_procedure_names_field_level_channels_and_documents():
    fields = {"Hộ tịch", "Chứng thực", "Lý lịch tư pháp", "Cư trú", "Bảo hiểm y tế", "Đất đai",
              "Thuế"}
    for proc in CATALOGUE:
        assert proc.field in fields
        assert proc.service_level in ("toan-trinh", "mot-phan")
        assert set(proc.channels) <= set(CHANNELS)
        assert proc.vneid_level in (0, 1, 2)
        assert proc.required_documents
        assert all(d.code and d.name for d in proc.documents)
        assert set(proc.delivery) <= {"truc-tiep", "buu-chinh", "truc-tuyen"}


def test_every_fee_and_time_carries_a_source_a_verified_flag_and_a_checked_day():
    for proc in CATALOGUE:
        for rule in (proc, proc.fee, proc.time):
            assert rule.source.strip() and isinstance(rule.verified, bool)
            assert isinstance(rule.checked, date) and rule.checked <= date.today()


@pytest.mark.parametrize("code", UNVERIFIED_FEES)
def test_unverified_fee_is_quoted_without_a_number(code):
    quote = CATALOGUE[code].quote_fee()
    assert quote.amount is None
    assert not quote.verified
    assert "chưa kiểm chứng" in quote.explanation
    assert "chưa kiểm chứng" in CATALOGUE[code].fee.describe()


@pytest.mark.parametrize("code", UNVERIFIED_TIMES)
def test_unverified_time_has_no_days(code):
    rule = CATALOGUE[code].time
    assert rule.kind == "unverified" and rule.days is None and not rule.verified
    assert "chưa kiểm chứng" in rule.describe()


def test_times_match_facts():
    assert (CATALOGUE["thuong-tru"].time.kind, CATALOGUE["thuong-tru"].time.days) == (
        "working_days", 7)
    assert (CATALOGUE["tam-tru"].time.kind, CATALOGUE["tam-tru"].time.days) == ("working_days", 3)
    judicial = CATALOGUE["ly-lich-tu-phap"].time
    assert (judicial.kind, judicial.days) == ("working_days", 10)
    copy_rule = CATALOGUE["chung-thuc-ban-sao"].time
    assert (copy_rule.kind, copy_rule.cutoff) == ("same_day", time(15, 0))
    assert CATALOGUE["khai-sinh"].time.kind == "same_day"


def test_judicial_record_on_vneid_needs_a_level_2_account():
    proc = CATALOGUE["ly-lich-tu-phap"]
    assert "vneid" in proc.channels and proc.vneid_level == 2


def test_online_flag_follows_the_channels():
    for proc in CATALOGUE:
        assert proc.online == bool({"vneid", "cong-dvc"} & set(proc.channels))


# --- look-up and search ---------------------------------------------------------


def test_unknown_code_raises_missing_entry_naming_the_code():
    with pytest.raises(MissingEntry) as info:
        CATALOGUE["khai-sinh-con"]
    assert "khai-sinh-con" in str(info.value)
    assert "thủ tục" in str(info.value)


def test_catalogue_is_iterable_and_sized():
    assert len(list(CATALOGUE)) == len(CATALOGUE) >= 10
    assert "tam-tru" in CATALOGUE and "khong-co" not in CATALOGUE


@pytest.mark.parametrize("text", ["khai sinh", "Khai Sinh", "KHAI SINH", "khai sinh",
                                  "đăng ký khai sinh", "dang ky khai sinh", "khai  sinh!",
                                  unicodedata.normalize("NFD", "Đăng ký khai sinh")])
def test_search_ignores_diacritics_and_case(text):
    assert CATALOGUE.search(text)[0].code == "khai-sinh"


@pytest.mark.parametrize(("text", "codes"), [
    ("cu tru", {"thuong-tru", "tam-tru", "thong-bao-luu-tru"}),
    ("luu tru", {"thong-bao-luu-tru"}),
    ("lý lịch", {"ly-lich-tu-phap"}),
    ("so do", {"dang-ky-bien-dong-dat"}),
    ("vssid", {"gia-han-bhyt"}),
    ("chứng thực", {"chung-thuc-ban-sao"}),
    ("ket hon", {"ket-hon"}),
])
def test_search_finds_procedures_by_vietnamese_words(text, codes):
    assert {p.code for p in CATALOGUE.search(text)} == codes


def test_search_without_a_match_returns_nothing():
    assert CATALOGUE.search("hộ chiếu") == ()


def test_by_field_groups_every_procedure_once():
    groups = CATALOGUE.by_field()
    assert {p.code for p in groups["Cư trú"]} == {"thuong-tru", "tam-tru", "thong-bao-luu-tru"}
    assert sum(len(v) for v in groups.values()) == len(CATALOGUE)


# --- fees -----------------------------------------------------------------------


@pytest.mark.parametrize(("pages", "amount"), [(1, 2000), (2, 4000), (3, 5000), (5, 7000),
                                               (198, 200000), (199, 200000), (1000, 200000)])
def test_certified_copy_fee_per_page_with_cap(pages, amount):
    quote = CATALOGUE["chung-thuc-ban-sao"].quote_fee(pages=pages)
    assert quote.amount == amount and quote.verified


def test_certified_copy_fee_explains_the_sum_and_multiplies_copies():
    quote = CATALOGUE["chung-thuc-ban-sao"].quote_fee(pages=5, copies=3)
    assert quote.amount == 21000
    assert "2 trang × 2.000 ₫" in quote.explanation
    assert "3 trang × 1.000 ₫" in quote.explanation
    assert "21.000 ₫" in quote.explanation


@given(pages=st.integers(1, 400), copies=st.integers(1, 5))
def test_certified_copy_fee_grows_with_pages_and_respects_the_cap(pages, copies):
    proc = CATALOGUE["chung-thuc-ban-sao"]
    fee = proc.quote_fee(pages=pages, copies=copies).amount
    assert fee <= 200000 * copies
    assert fee <= proc.quote_fee(pages=pages + 1, copies=copies).amount
    assert fee == copies * proc.quote_fee(pages=pages).amount


def test_judicial_record_fee_is_shown_but_flagged_unverified():
    quote = CATALOGUE["ly-lich-tu-phap"].quote_fee()
    assert quote.amount == 200000
    assert not quote.verified and "chưa kiểm chứng" in quote.explanation


@pytest.mark.parametrize(("group", "copies", "amount"), [
    (None, 1, 200000), (None, 2, 200000), (None, 3, 205000), (None, 5, 215000),
    ("sinh-vien", 1, 100000), ("nguoi-co-cong", 4, 110000), ("than-nhan-liet-si", 1, 100000),
])
def test_judicial_record_fee_reductions_and_extra_copies(group, copies, amount):
    assert CATALOGUE["ly-lich-tu-phap"].quote_fee(group=group, copies=copies).amount == amount


@pytest.mark.parametrize(("code", "channel", "amount"), [
    ("thuong-tru", "truc-tiep", 20000), ("thuong-tru", "vneid", 10000),
    ("thuong-tru", "cong-dvc", 10000), ("tam-tru", "truc-tiep", 15000),
    ("tam-tru", "vneid", 7000),
])
def test_residence_fee_is_lower_online(code, channel, amount):
    quote = CATALOGUE[code].quote_fee(channel=channel)
    assert quote.amount == amount and quote.verified


def test_group_without_reduction_pays_the_normal_fee_and_is_told_so():
    quote = CATALOGUE["thuong-tru"].quote_fee(group="nguoi-co-cong")
    assert quote.amount == 20000
    assert "không được giảm" in quote.explanation


def test_birth_registration_is_free_on_time_and_unverified_when_late():
    proc = CATALOGUE["khai-sinh"]
    assert proc.quote_fee().amount == 0
    late = proc.quote_fee(on_time=False)
    assert late.amount is None and not late.verified and "chưa kiểm chứng" in late.explanation


def test_marriage_is_free_nationally_and_sourced_to_the_law():
    # Luật Hộ tịch 2014, Điều 11 khoản 1 điểm b: no province sets a marriage fee.
    quote = CATALOGUE["ket-hon"].quote_fee()
    assert quote.amount == 0 and quote.verified
    assert "Điều 11 khoản 1 điểm b" in CATALOGUE["ket-hon"].fee.source


# --- corrections of issue 11, each against its cited source -------------------------


def test_judicial_record_time_is_unverified_and_names_the_15_day_case():
    rule = CATALOGUE["ly-lich-tu-phap"].time
    assert not rule.verified and "chưa kiểm chứng" in rule.describe()
    assert "Điều 48" in rule.source and "15 ngày" in rule.source
    assert "20 ngày" not in rule.source + rule.note


def test_judicial_record_reductions_are_the_circulars_groups_not_pupils():
    proc = CATALOGUE["ly-lich-tu-phap"]
    assert set(proc.fee.reduced_groups) == {"sinh-vien", "nguoi-co-cong", "than-nhan-liet-si"}
    assert "học sinh" not in " ".join(CATALOGUE.groups[g].lower() for g in proc.fee.reduced_groups)
    assert not proc.fee.verified and "16/2025/TT-BTC" in proc.fee.source


def test_judicial_record_names_the_provincial_police_as_issuer():
    proc = CATALOGUE["ly-lich-tu-phap"]
    assert "Công an cấp tỉnh" in proc.authority and "01/3/2025" in proc.authority
    assert proc.authority_source


@pytest.mark.parametrize("code", ["khai-sinh", "khai-tu"])
@pytest.mark.parametrize("group", ["gia-dinh-co-cong", "ho-ngheo", "nguoi-khuyet-tat"])
def test_civil_status_exemption_groups_pay_nothing_even_when_late(code, group):
    quote = CATALOGUE[code].quote_fee(on_time=False, group=group)
    assert quote.amount == 0 and quote.verified
    assert "Điều 11 khoản 1 điểm a" in CATALOGUE[code].fee.source


@pytest.mark.parametrize("code", ["khai-sinh", "khai-tu", "ket-hon"])
def test_civil_status_cites_decree_18_2026_on_reading_the_databases(code):
    proc = CATALOGUE[code]
    assert "18/2026/NĐ-CP" in proc.source
    identity = next(d for d in proc.documents if d.code == "giay-to-tuy-than")
    assert "cơ sở dữ liệu" in identity.name


@pytest.mark.parametrize(("code", "level"), [("tam-tru", 2), ("ly-lich-tu-phap", 2),
                                             ("thong-bao-luu-tru", 1)])
def test_vneid_levels_cite_decree_69_2024(code, level):
    proc = CATALOGUE[code]
    assert proc.vneid_level == level and "vneid" in proc.channels
    assert proc.vneid_basis is not None and "69/2024" in proc.vneid_basis.source


def test_stay_notice_is_free_and_fileable_with_a_level_1_account():
    proc = CATALOGUE["thong-bao-luu-tru"]
    assert proc.name == "Thông báo lưu trú" and proc.field == "Cư trú"
    assert proc.quote_fee(channel="vneid").amount == 0
    assert "Điều 30" in proc.source


def test_no_fact_cites_decree_59_2022_or_the_old_one_stop_rules_as_current():
    text = (DATA_DIR / "procedures.yaml").read_text(encoding="utf-8")
    assert "59/2022" not in text and "61/2018" not in text


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"pages": 0}, "pages"), ({"pages": -3}, "pages"), ({"pages": 1.5}, "pages"),
    ({"pages": True}, "pages"), ({"copies": 0}, "copies"), ({"copies": "2"}, "copies"),
    ({"channel": "zalopay"}, "channel"), ({"group": "cuu-chien-binh"}, "group"),
])
def test_bad_quote_input_names_the_field(kwargs, field):
    with pytest.raises(InvalidInput) as info:
        CATALOGUE["chung-thuc-ban-sao"].quote_fee(**kwargs)
    assert info.value.field == field
    assert field in str(info.value)
    given = next(iter(kwargs.values()))
    assert info.value.value == given and repr(given) not in str(info.value)


def test_channel_the_procedure_does_not_offer_is_refused():
    with pytest.raises(InvalidInput) as info:
        CATALOGUE["chung-thuc-ban-sao"].quote_fee(channel="vneid")
    assert info.value.field == "channel" and info.value.value == "vneid"
    assert "không dùng được cho thủ tục" in str(info.value)


# --- malformed files --------------------------------------------------------------

BASE = yaml.safe_load((DATA_DIR / "procedures.yaml").read_text(encoding="utf-8"))


def write(tmp_path: Path, change) -> Path:
    data = copy.deepcopy(BASE)
    data["procedures"] = [p for p in data["procedures"]
                          if p["code"] in ("tam-tru", "ly-lich-tu-phap")]
    change(data, data["procedures"][0], data["procedures"][1])
    path = tmp_path / "thu-tuc.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def expect_error(path: Path, entry: str, field: str) -> DataFileError:
    with pytest.raises(DataFileError) as info:
        load_catalogue(path)
    error = info.value
    assert (error.entry, error.field) == (entry, field)
    assert error.file == str(path)
    message = str(error)
    assert path.name in message and entry in message and field.split(".")[-1] in message
    return error


def test_a_valid_copy_loads(tmp_path):
    catalogue = load_catalogue(write(tmp_path, lambda d, a, b: None))
    assert isinstance(catalogue, Catalogue) and catalogue.codes == ("ly-lich-tu-phap", "tam-tru")


def test_missing_field_is_named(tmp_path):
    expect_error(write(tmp_path, lambda d, a, b: a.pop("name")), "ly-lich-tu-phap", "name")


def test_missing_fee_source_is_named(tmp_path):
    expect_error(write(tmp_path, lambda d, a, b: b["fee"].pop("source")), "tam-tru", "source")


def test_unknown_fee_kind_is_named(tmp_path):
    expect_error(write(tmp_path, lambda d, a, b: b["fee"].update(kind="sometimes")),
                 "tam-tru", "fee.kind")


def test_unknown_time_kind_is_named(tmp_path):
    expect_error(write(tmp_path, lambda d, a, b: b["time"].update(kind="weeks")),
                 "tam-tru", "time.kind")


def test_unknown_channel_is_named(tmp_path):
    error = expect_error(write(tmp_path, lambda d, a, b: b["channels"].append("zalo")),
                         "tam-tru", "channels")
    assert "zalo" in str(error)


def test_negative_amount_is_named(tmp_path):
    error = expect_error(write(tmp_path, lambda d, a, b: b["fee"].update(amount=-15000)),
                         "tam-tru", "fee.amount")
    assert "-15000" in str(error)


def test_duplicate_code_is_named(tmp_path):
    expect_error(write(tmp_path, lambda d, a, b: b.update(code="ly-lich-tu-phap")),
                 "ly-lich-tu-phap", "code")


def test_wrong_type_is_named(tmp_path):
    expect_error(write(tmp_path, lambda d, a, b: b.update(vneid_level="hai")),
                 "tam-tru", "vneid_level")


def test_unknown_reduced_group_is_named(tmp_path):
    expect_error(write(tmp_path, lambda d, a, b: a["fee"]["reduced_groups"].append("ai-do")),
                 "ly-lich-tu-phap", "fee.reduced_groups")


def test_unverified_fee_with_an_amount_is_refused(tmp_path):
    def change(d, a, b):
        b["fee"] = {"kind": "unverified", "amount": 5000, "source": "x", "verified": False,
                    "checked": "2026-12-01"}
    expect_error(write(tmp_path, change), "tam-tru", "fee.amount")


def test_bad_cutoff_is_named(tmp_path):
    def change(d, a, b):
        b["time"] = {"kind": "same_day", "cutoff": "25:00", "source": "x", "verified": True,
                     "checked": "2026-12-01"}
    expect_error(write(tmp_path, change), "tam-tru", "time.cutoff")


def test_zero_days_is_named(tmp_path):
    expect_error(write(tmp_path, lambda d, a, b: b["time"].update(days=0)), "tam-tru",
                 "time.days")


def test_field_outside_the_list_is_named(tmp_path):
    expect_error(write(tmp_path, lambda d, a, b: b.update(field="Cu tru")), "tam-tru", "field")


def test_whole_procedure_online_needs_an_online_channel(tmp_path):
    expect_error(write(tmp_path, lambda d, a, b: b.update(channels=["truc-tiep"])),
                 "tam-tru", "service_level")


def test_unnamed_entry_is_named_by_position(tmp_path):
    expect_error(write(tmp_path, lambda d, a, b: b.pop("code")), "#2", "code")


def test_missing_file_is_a_data_file_error(tmp_path):
    with pytest.raises(DataFileError):
        load_catalogue(tmp_path / "khong-co.yaml")


def test_duplicate_field_names_are_named(tmp_path):
    expect_error(write(tmp_path, lambda d, a, b: d["fields"].append(
        {"vi": "Cư trú", "en": "Residence again"})), "(tệp)", "fields")


def test_numpy_integers_are_accepted_as_page_counts():
    import numpy as np

    assert CATALOGUE["chung-thuc-ban-sao"].quote_fee(pages=np.int64(3)).amount == 5000


@pytest.mark.parametrize(("where", "field"), [("procedure", "checked"), ("fee", "fee.checked"),
                                              ("time", "time.checked")])
def test_missing_checked_day_is_named(tmp_path, where, field):
    def change(d, a, b):
        (b if where == "procedure" else b[where]).pop("checked")
    expect_error(write(tmp_path, change), "tam-tru", field)


def test_checked_day_in_the_future_is_refused(tmp_path):
    expect_error(write(tmp_path, lambda d, a, b: b["fee"].update(checked="2999-01-01")),
                 "tam-tru", "fee.checked")
