"""Scam lab: deterministic item sets, QR items that decode as they say, and the link checker."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from urllib.parse import urlsplit

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kynangso.domain.banks import load_banks
from kynangso.domain.datafiles import DATA_DIR
from kynangso.domain.scams import (
    CHANNELS,
    PATTERNS,
    UNVERIFIED,
    check_link,
    generate,
    item_by_id,
    load_scams,
    pattern_title,
    scam_set,
)
from kynangso.domain.vietqr import crc16, decode
from kynangso.errors import InvalidInput, MissingEntry

from helpers import scams_error as broken

TRAINING_BIN = load_banks().training_bank.bin
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]",
                        re.IGNORECASE)
RAW = yaml.safe_load((DATA_DIR / "scams.yaml").read_text(encoding="utf-8"))


def is_vietnamese(text: str) -> bool:
    return bool(text.strip()) and text == unicodedata.normalize("NFC", text) \
        and VIETNAMESE.search(text) is not None


def of_kind(pattern: str, kind: str, seed: int = 0) -> list:
    """Items of one variant; variants rotate, so enough items contain every one."""
    return [i for i in generate(pattern, seed, 14) if i.kind == kind]


def payment_codes(items):
    return [i for i in items if i.channel == "qr" and i.content.startswith("000201")]


# --- sets, ids, determinism ------------------------------------------------------------------

def test_scam_set_is_the_same_for_the_same_seed():
    assert scam_set(seed=3, n_per_pattern=2) == scam_set(seed=3, n_per_pattern=2)


def test_scam_set_differs_between_seeds():
    assert [i.content for i in scam_set(seed=1)] != [i.content for i in scam_set(seed=2)]


def test_scam_set_has_every_pattern_n_times():
    counts = Counter(item.pattern for item in scam_set(seed=0, n_per_pattern=3))
    assert counts == dict.fromkeys(PATTERNS, 3)


def test_scam_set_is_shuffled_not_grouped_by_pattern():
    items = scam_set(seed=0, n_per_pattern=3)
    assert [i.pattern for i in items] != sorted((i.pattern for i in items), key=PATTERNS.index)


def test_scam_set_has_unique_ids():
    items = scam_set(seed=5, n_per_pattern=4)
    assert len({i.id for i in items}) == len(items)


def test_item_by_id_rebuilds_every_item():
    for item in scam_set(seed=7, n_per_pattern=3):
        assert item_by_id(item.id) == item


def test_a_bigger_set_starts_with_the_smaller_one():
    assert generate("lookalike_link", 4, 2) == generate("lookalike_link", 4, 5)[:2]


@pytest.mark.parametrize("bad", ["XX-0-01", "QD-0-00", "QD-a-01", "QD-0", "", "   ", None, 7])
def test_item_by_id_rejects_unknown_ids(bad):
    with pytest.raises(MissingEntry) as info:
        item_by_id(bad)
    assert info.value.field == "item_id"
    assert "item_id" in str(info.value)


@pytest.mark.parametrize("bad", [-1, 100, "2", 2.0, True, None])
def test_scam_set_rejects_bad_counts(bad):
    with pytest.raises(InvalidInput) as info:
        scam_set(seed=0, n_per_pattern=bad)
    assert info.value.field == "n_per_pattern"
    assert "n_per_pattern" in str(info.value)


@pytest.mark.parametrize("bad", [-1, "0", 1.5, False, None])
def test_scam_set_rejects_bad_seeds(bad):
    with pytest.raises(InvalidInput) as info:
        scam_set(seed=bad)
    assert info.value.field == "seed"
    assert "seed" in str(info.value)


def test_generate_rejects_unknown_pattern():
    with pytest.raises(InvalidInput) as info:
        generate("phishing", 0, 1)
    assert info.value.field == "pattern"
    assert "pattern" in str(info.value) and "phishing" not in str(info.value)
    assert info.value.value == "phishing"


def test_zero_items_per_pattern_is_an_empty_set():
    assert scam_set(seed=0, n_per_pattern=0) == []


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_pattern_has_a_vietnamese_title(pattern):
    assert is_vietnamese(pattern_title(pattern))


# --- every item ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def many():
    return scam_set(seed=11, n_per_pattern=14)


def test_every_item_has_a_channel_content_and_source(many):
    for item in many:
        assert item.channel in CHANNELS, item.id
        assert item.content.strip(), item.id
        assert item.source.strip(), item.id
        assert item.pattern in PATTERNS


def test_every_red_flag_is_non_empty_vietnamese_nfc(many):
    for item in many:
        for flag in item.red_flags:
            assert is_vietnamese(flag), (item.id, flag)


def test_every_answer_and_context_is_vietnamese_nfc(many):
    for item in many:
        assert is_vietnamese(item.right_response), item.id
        assert is_vietnamese(item.context), item.id
        assert item.content == unicodedata.normalize("NFC", item.content), item.id


def test_scams_have_red_flags_and_genuine_items_have_none(many):
    for item in many:
        assert bool(item.red_flags) == item.is_scam, item.id


def test_patterns_mix_scams_with_genuine_counterparts(many):
    by_pattern = {p: {i.is_scam for i in many if i.pattern == p} for p in PATTERNS}
    assert by_pattern["qr_sticker"] == {True, False}
    assert by_pattern["lookalike_link"] == {True, False}
    assert by_pattern["qr_tampered"] == {True}
    assert by_pattern["otp_script"] == {True}
    assert by_pattern["genuine"] == {False}


def test_every_script_and_variant_appears_with_enough_items(many):
    kinds = {i.kind for i in many}
    catalogue = load_scams()
    assert {s.id for s in catalogue.scripts + catalogue.genuine} <= kinds
    assert {"sticker", "shop", "amount", "crc", "structure", "correct_qr", "reported", "official",
            "userinfo", "subdomain", "homoglyph", "punycode", "digit"} <= kinds


def test_context_does_not_give_the_answer(many):
    for item in many:
        assert "lừa đảo" not in item.context.lower(), item.id


def test_unverified_sources_say_so():
    item = generate("genuine", 0, 1)[0]  # the genuine pattern's source is the project's own
    assert item.source.endswith(f"({UNVERIFIED})")
    catalogue = load_scams()
    for official in catalogue.officials:
        assert (UNVERIFIED in official.source.cite()) != official.source.verified


def test_scripts_use_synthetic_masked_phone_numbers(many):
    for item in many:
        for number in re.findall(r"\b0\d{3}\.\S+", item.context):
            assert ".xxx." in number, (item.id, number)


# --- QR items --------------------------------------------------------------------------------

def test_every_payment_code_decodes_as_its_item_says(many):
    codes = payment_codes(many)
    assert codes
    for item in codes:
        result = decode(item.content)
        assert result.codes == set(item.expected["problems"]), (item.id, result.problems)
        assert result.qr is not None and result.qr.bin == TRAINING_BIN, item.id


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_qr_items_decode_as_they_say_for_any_seed(seed):
    items = generate("qr_sticker", seed, 2) + generate("qr_tampered", seed, 3)
    items += [i for i in generate("genuine", seed, 3) if i.kind == "correct_qr"]
    for item in items:
        result = decode(item.content)
        assert result.codes == set(item.expected["problems"]), (item.id, result.problems)
        assert result.qr.bin == TRAINING_BIN


def test_sticker_pays_someone_other_than_the_shop():
    for item in of_kind("qr_sticker", "sticker"):
        qr = decode(item.content).qr
        assert item.is_scam
        assert qr.name != item.expected["shop_name"]
        assert qr.account != item.expected["shop_account"]
        assert qr.account[-4:] != item.expected["shop_account"][-4:]
        assert item.expected["shop_name"] in item.context  # the payer can compare


def test_genuine_shop_code_pays_the_shop():
    for item in of_kind("qr_sticker", "shop"):
        result = decode(item.content)
        assert result.ok and not item.is_scam
        assert (result.qr.name, result.qr.account) == (item.expected["shop_name"],
                                                       item.expected["shop_account"])


def test_shop_and_sticker_look_alike_until_decoded():
    # Both static codes at the training bank: only the recipient tells them apart.
    shop, sticker = of_kind("qr_sticker", "shop")[0], of_kind("qr_sticker", "sticker")[0]
    for item in (shop, sticker):
        qr = decode(item.content).qr
        assert qr.amount is None and qr.bin == TRAINING_BIN


def test_tampered_amount_differs_from_the_bill():
    for item in of_kind("qr_tampered", "amount"):
        result = decode(item.content)
        assert result.ok  # well-formed: only the amount is wrong
        assert result.qr.amount != item.expected["amount"]
        assert result.qr.amount == item.expected["qr_amount"]
        assert result.qr.name == item.expected["name"]
        assert any(f"{item.expected['amount']:,}".replace(",", ".") in f for f in item.red_flags)


def test_broken_crc_is_reported():
    for item in of_kind("qr_tampered", "crc"):
        result = decode(item.content)
        assert result.codes == {"crc_mismatch"}
        assert any("CRC" in flag and "63" in flag for flag in item.red_flags)


def test_broken_structure_keeps_a_correct_crc():
    for item in of_kind("qr_tampered", "structure"):
        assert crc16(item.content[:-4]) == item.content[-4:]
        result = decode(item.content)
        assert result.codes == {"length_mismatch"}
        assert any(item.expected["edited"] in flag for flag in item.red_flags)


def test_correct_qr_matches_the_bill():
    items = [i for i in generate("genuine", 0, 9) if i.kind == "correct_qr"]
    assert items
    for item in items:
        result = decode(item.content)
        assert result.ok and not item.is_scam
        assert result.qr.amount == item.expected["amount"]
        assert result.qr.name == item.expected["name"]


def test_phishing_qr_holds_a_web_address_that_never_resolves():
    items = [i for i in generate("otp_script", 0, 10) if i.channel == "qr"]
    assert items
    for item in items:
        assert decode(item.content).codes == {"not_vietqr"}
        assert urlsplit(item.content).hostname.endswith(".invalid")  # RFC 6761
        assert not check_link(item.content).genuine


# --- link items and scripts ------------------------------------------------------------------

def test_link_items_get_the_verdict_their_answer_gives():
    for seed in range(4):
        for item in generate("lookalike_link", seed, 14):
            verdict = check_link(item.content)
            assert verdict.genuine is not item.is_scam, item.content
            if item.is_scam:
                assert verdict.imitates == item.expected["imitates"], item.content
                assert item.red_flags == verdict.reasons
            else:
                assert verdict.official == item.expected["official"]


def test_every_reported_link_is_fake_and_copies_what_the_file_says():
    for link in load_scams().reported:
        verdict = check_link(link.url)
        assert not verdict.genuine
        assert verdict.imitates == link.imitates, link.url


def test_script_links_are_fake_and_notice_links_are_official(many):
    for item in many:
        if item.pattern in ("otp_script", "genuine") and item.expected.get("link"):
            assert check_link(item.expected["link"]).genuine is not item.is_scam, item.id


def test_otp_scripts_cover_the_five_reported_tricks():
    ids = {s.id for s in load_scams().scripts}
    assert ids == {"cong-an-vneid-muc-2", "cap-nhat-cu-tru-sau-sap-nhap", "phat-nguoi-giao-thong",
                   "gia-mao-bao-hiem-xa-hoi", "qr-trang-ngan-hang-gia"}


# --- check_link ------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "official"), [
    ("https://dichvucong.gov.vn", "dichvucong.gov.vn"),
    ("HTTPS://DICHVUCONG.GOV.VN/", "dichvucong.gov.vn"),
    ("https://dichvucong.gov.vn./tra-cuu", "dichvucong.gov.vn"),
    ("dichvucong.gov.vn", "dichvucong.gov.vn"),
    ("//vneid.gov.vn/", "vneid.gov.vn"),
    ("http://www.baohiemxahoi.gov.vn", "baohiemxahoi.gov.vn"),
    ("https://dichvucong.baohiemxahoi.gov.vn/", "dichvucong.baohiemxahoi.gov.vn"),
    ("https://dichvucong%2Egov%2Evn/", "dichvucong.gov.vn"),
    ("https://ｄｉｃｈｖｕｃｏｎｇ．gov．vn/", "dichvucong.gov.vn"),
    ("  https://vneid.gov.vn:443/\n", "vneid.gov.vn"),
    ("https://congan.thanhhoa.gov.vn", None),
])
def test_check_link_accepts_gov_vn_hosts(url, official):
    verdict = check_link(url)
    assert verdict.genuine, verdict.reasons
    assert verdict.official == official
    assert all(is_vietnamese(reason) for reason in verdict.reasons)
    assert ".gov.vn" in verdict.reasons[0]


def test_check_link_explains_upper_case_trailing_dot_and_http():
    assert "Chữ hoa" in " ".join(check_link("https://DICHVUCONG.gov.vn").reasons)
    assert "Dấu chấm ở cuối" in " ".join(check_link("https://dichvucong.gov.vn./").reasons)
    assert "http://" in " ".join(check_link("http://dichvucong.gov.vn").reasons)


@pytest.mark.parametrize(("url", "says", "imitates"), [
    ("https://dichvucong.bvgov.com", "'gov'", "dichvucong.gov.vn"),
    ("https://dichvucongs.top/vn", "thêm chữ 's'", "dichvucong.gov.vn"),
    ("https://dichvucongs.invalid", "dichvucongs.invalid", "dichvucong.gov.vn"),
    ("https://dichvucong.gov.vn.secure-login.top/", "tên phụ", "dichvucong.gov.vn"),
    ("https://dichvucong.gov.vn@evil.top/", "dấu @", "dichvucong.gov.vn"),
    ("https://evil.top\\@dichvucong.gov.vn", "dấu '\\'", None),
    ("https://dichvuc\u043eng.gov.vn/", "Kirin", "dichvucong.gov.vn"),
    ("https://xn--dichvucng-62h.gov.vn/", "punycode", "dichvucong.gov.vn"),
    ("https://vn\u0435id.com", "Kirin", "vneid.gov.vn"),
    ("https://dichvuc0ng.com", "'0' thay cho 'o'", "dichvucong.gov.vn"),
    ("https://baohiemxahoi-gov.vn", "'gov'", "baohiemxahoi.gov.vn"),
    ("https://vneid.com.vn/dang-nhap", "'.com.vn'", "vneid.gov.vn"),
    ("https://dichvucogn.top", "đảo chỗ", "dichvucong.gov.vn"),
    ("https://dịchvụcông.vn", "có dấu", "dichvucong.gov.vn"),
    ("https://datlichbhxh.com", "bhxh", "baohiemxahoi.gov.vn"),
    ("https://203.0.113.5/dichvucong", "IP", None),
    ("https://dichvucong.gov.vn../", "hai dấu chấm", None),
    ("https://xn--zz.gov.vn", "punycode", None),
    ("https://vneid.gov.vn:99999/", "ký tự lạ", None),
    ("javascript:alert(1)", "javascript", None),
    ("https://vnexpress.net", "vnexpress.net", None),
])
def test_check_link_rejects_look_alikes_and_says_why(url, says, imitates):
    verdict = check_link(url)
    assert not verdict.genuine
    assert says in " ".join(verdict.reasons), verdict.reasons
    assert verdict.imitates == imitates
    assert all(is_vietnamese(reason) for reason in verdict.reasons)


def test_check_link_reads_the_host_after_the_at_sign():
    assert check_link("https://dichvucong.gov.vn@evil.top/").host == "evil.top"
    assert check_link("https://user@dichvucong.gov.vn/").genuine  # the host is what opens


def test_check_link_reads_a_backslash_as_a_slash_like_a_browser():
    # urllib alone would say the host is dichvucong.gov.vn; a browser opens evil.top.
    assert check_link("https://evil.top\\@dichvucong.gov.vn").host == "evil.top"


@pytest.mark.parametrize("bad", ["", "   ", "\n\t", None, 42, b"https://dichvucong.gov.vn"])
def test_check_link_rejects_what_is_not_a_link(bad):
    with pytest.raises(InvalidInput) as info:
        check_link(bad)
    assert info.value.field == "url"
    assert "url" in str(info.value) and "Đường link" in str(info.value)


LABEL = st.from_regex(r"[a-z][a-z0-9]{0,12}", fullmatch=True)


@settings(max_examples=50, deadline=None)
@given(LABEL)
def test_any_plain_name_under_gov_vn_is_genuine(label):
    assert check_link(f"https://{label}.gov.vn/").genuine


@settings(max_examples=50, deadline=None)
@given(LABEL, st.sampled_from(["top", "xyz", "com", "com.vn", "vn", "net"]))
def test_an_official_name_in_front_of_another_domain_is_fake(label, tld):
    verdict = check_link(f"https://dichvucong.gov.vn.{label}.{tld}/")
    assert not verdict.genuine
    assert verdict.imitates == "dichvucong.gov.vn"


@settings(max_examples=50, deadline=None)
@given(st.lists(st.booleans(), min_size=17, max_size=17))
def test_letter_case_never_changes_the_verdict(upper):
    host = "".join(c.upper() if up else c for c, up in zip("dichvucong.gov.vn", upper, strict=True))
    assert check_link(f"https://{host}/").genuine


# --- the data file ---------------------------------------------------------------------------

def test_official_domains_end_with_gov_vn():
    catalogue = load_scams()
    assert catalogue.suffix == "gov.vn"
    assert all(o.domain.endswith(".gov.vn") for o in catalogue.officials)


def test_data_file_loads_from_a_path(tmp_path):
    path = tmp_path / "scams.yaml"
    path.write_text((DATA_DIR / "scams.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert load_scams(path) == load_scams()




def test_script_without_source_is_refused():
    error = broken(lambda d: d["scripts"][0].pop("sources"))
    assert (error.field, error.entry) == ("sources", "cong-an-vneid-muc-2")
    assert "scams.yaml" in str(error) and "sources" in str(error)


def test_unverified_flag_must_be_true_or_false():
    error = broken(lambda d: d["reported_links"][0].update(verified="có"))
    assert error.field == "verified" and "verified" in str(error)


def test_template_with_unknown_placeholder_is_refused():
    error = broken(lambda d: d["scripts"][1].update(text={"vi": "Chào {ten_nguoi_dan}", "en": "Hi"}))
    assert error.field == "text" and "ten_nguoi_dan" in str(error)


def test_template_with_unbalanced_brace_is_refused():
    error = broken(lambda d: d["genuine"][0].update(context={"vi": "Chào {resident", "en": "Hi"}))
    assert error.field == "context" and "context" in str(error)


def test_official_domain_outside_gov_vn_is_refused():
    error = broken(lambda d: d["official_domains"][0].update(domain="dichvucong.com.vn"))
    assert error.field == "domain" and "dichvucong.com.vn" in str(error)


def test_reported_fake_that_is_really_official_is_refused():
    error = broken(lambda d: d["reported_links"][0].update(url="https://dichvucong.gov.vn"))
    assert error.field == "url" and ".gov.vn" in str(error)


def test_reported_fake_must_name_a_listed_official_domain():
    error = broken(lambda d: d["reported_links"][0].update(imitates="csgt.vn"))
    assert error.field == "imitates" and "csgt.vn" in str(error)


def test_scam_script_with_an_official_link_is_refused():
    error = broken(lambda d: d["scripts"][0].update(links=["https://vneid.gov.vn"]))
    assert (error.field, error.entry) == ("links", "cong-an-vneid-muc-2")


def test_genuine_notice_with_a_fake_link_is_refused():
    error = broken(lambda d: d["genuine"][0].update(links=["https://dichvucongs.top"]))
    assert (error.field, error.entry) == ("links", "bao-ket-qua-ho-so")


def test_script_that_uses_link_needs_links():
    error = broken(lambda d: d["scripts"][0].pop("links"))
    assert error.field == "links" and "{link}" in str(error)


def test_script_channel_must_be_known():
    error = broken(lambda d: d["scripts"][0].update(channel="email"))
    assert error.field == "channel" and "email" in str(error)


def test_script_ids_must_be_unique():
    error = broken(lambda d: d["genuine"][0].update(id="cong-an-vneid-muc-2"))
    assert error.field == "id" and "cong-an-vneid-muc-2" in str(error)


def test_bill_amounts_must_be_positive_whole_dong():
    error = broken(lambda d: d["qr"]["bills"][0].update(amounts=[0, 12.5]))
    assert error.field == "amounts" and "amounts" in str(error)


def test_every_pattern_needs_a_source():
    error = broken(lambda d: d["patterns"].pop("qr_sticker"))
    assert error.field == "qr_sticker"
