"""Facts a trainee can trust: every scam fact cites public texts, and every look-alike address
the lab shows is either named by a text it cites or made up under the reserved ``.invalid``."""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kynangso.domain.datafiles import DATA_DIR
from kynangso.domain.scams import (
    PATTERNS,
    check_link,
    generate,
    hosts_in,
    load_scams,
    parse_scams,
    scam_set,
)

from helpers import scams_error as broken

TEXT = (DATA_DIR / "scams.yaml").read_text(encoding="utf-8")
RAW = yaml.safe_load(TEXT)
TEMPLATE_KEYS = ("context", "text", "right_response")
# Written independently of the module: a host in ordinary text, lower-case ASCII labels.
HOST = re.compile(r"(?<![\w.@-])(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})"
                  r"(?![\w-]|\.\w)")
# Look-alikes the project once showed although no report names them.
UNREPORTED = ("vneid-gov.com", "capnhat-cutru.top", "vneid-capnhat.xyz", "dichvucongs.xyz")


def entries():
    """(label, raw entry) for every sourced entry of the data file."""
    yield "government_suffix", RAW["government_suffix"]
    for entry in RAW["official_domains"]:
        yield entry["domain"], entry
    for entry in RAW["reported_links"]:
        yield entry["url"], entry
    for name, entry in RAW["patterns"].items():
        yield f"patterns.{name}", entry
    for entry in RAW["scripts"] + RAW["genuine"]:
        yield entry["id"], entry


def names_of(entry) -> set[str]:
    return {name for report in entry["sources"] for name in report.get("names") or ()}


def host_of(url: str) -> str:
    return urlsplit(url if "://" in url else f"https://{url}").hostname.rstrip(".")


OFFICIAL = {entry["domain"] for entry in RAW["official_domains"]}


def is_official(host: str) -> bool:
    return any(host == d or host.endswith("." + d) for d in OFFICIAL)


def is_reserved(host: str) -> bool:
    return host == "invalid" or host.endswith(".invalid")


def named(host: str, names) -> bool:
    # A reported host, a subdomain of one, or the registrable part of one.
    return any(host == n or host.endswith("." + n) or ("." in host and n.endswith("." + host))
               for n in names)


def shown_hosts(entry) -> list[str]:
    """Every host an entry shows a trainee: its links and any address in its texts."""
    hosts = []
    if "domain" in entry:
        hosts.append(entry["domain"])
    if "url" in entry:
        hosts.append(host_of(entry["url"]))
    for link in entry.get("links") or ():
        hosts.append(host_of(link.format(bank_slug="nganhang")))
    raw = [entry.get(key) or "" for key in TEMPLATE_KEYS] + list(entry.get("red_flags") or ())
    # Texts are {vi, en}: an address in either language is shown.
    texts = [t for r in raw for t in (r.values() if isinstance(r, dict) else (r,))]
    for text in texts:
        hosts.extend(HOST.findall(text))
    return hosts


# --- structured, public sources ----------------------------------------------------------

# Machine paths and the private sheet are checked for the whole repository in
# tests/test_sources.py; here, no citation of a file or of unpublished notes.
@pytest.mark.parametrize("word", [".md", "research notes"])
def test_data_file_cites_no_project_file_or_machine_path(word):
    assert word not in TEXT


@pytest.mark.parametrize(("label", "entry"), list(entries()), ids=[lbl for lbl, _e in entries()])
def test_every_entry_cites_public_texts_and_says_when_they_were_checked(label, entry):
    assert "source" not in entry, label  # free text replaced by the structured list
    assert isinstance(entry["sources"], list), label
    assert entry["sources"] or entry.get("note"), label  # the project's own text says so
    assert isinstance(entry["checked"], date) and entry["checked"] <= date.today(), label
    assert isinstance(entry["verified"], bool), label
    for report in entry["sources"]:
        assert report["title"].strip() and report["publisher"].strip(), (label, report)
        assert report["url"].startswith("https://"), (label, report)
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", str(report.get("date", "2000-01"))), report
        assert isinstance(report.get("names", []), list), (label, report)
    if entry["verified"] and label not in ("patterns.otp_script",):
        assert entry["sources"], f"{label}: verified needs a public text"


def test_checked_is_kept_next_to_source_and_verified():
    catalogue = load_scams()
    sourced = [*catalogue.officials, *catalogue.reported, *catalogue.scripts, *catalogue.genuine]
    for item in sourced:
        assert item.checked == item.source.checked and item.verified == item.source.verified
        assert isinstance(item.checked, date)
    labels = [label for label, _source in catalogue.sources()]
    assert labels == [label for label, _entry in entries()]
    assert all(isinstance(source.checked, date) for _label, source in catalogue.sources())


def test_a_citation_names_outlet_title_date_and_address():
    link = next(r for r in load_scams().reported if r.url == "https://dichvucongs.top/vn")
    text = link.source.cite()
    assert "VietNamNet" in text and "07/08/2025" in text and "vietnamnet.vn" in text
    assert "nộp phạt vi phạm giao thông" in text


@pytest.mark.parametrize(("domain", "publisher", "day"), [
    ("dichvucongs.top", "VietNamNet", date(2025, 8, 7)),
    ("dichvucongg.top", "Người Lao Động", date(2025, 8, 7)),
    ("dichvucongg.top", "Tiền Phong (Hoa Học Trò)", date(2025, 8, 8)),
    ("dichvucong.bvgov.com", "Tiền Phong", "2024-03"),
    ("dichvucongbaohiemxahoi.com", "Bảo hiểm xã hội Việt Nam (thông tin báo chí)",
     date(2023, 7, 25)),
    ("baohiemxahoi.biz", "Bảo hiểm xã hội Việt Nam", date(2025, 10, 9)),
    ("bhxh.co", "VnEconomy", date(2025, 8, 27)),
])
def test_each_reported_domain_is_named_by_the_report_it_cites(domain, publisher, day):
    entry = next(e for e in RAW["reported_links"] if host_of(e["url"]) == domain)
    assert any(r["publisher"] == publisher and r["date"] == day and domain in r["names"]
               for r in entry["sources"]), entry["sources"]
    assert entry["verified"] is True


# --- every address in the data file ------------------------------------------------------

@pytest.mark.parametrize(("label", "entry"), list(entries()), ids=[lbl for lbl, _e in entries()])
def test_every_address_is_named_by_its_sources_or_reserved(label, entry):
    names = names_of(entry)
    for host in shown_hosts(entry):
        assert named(host, names) or is_reserved(host) or is_official(host), (label, host)


@pytest.mark.parametrize(("label", "entry"), list(entries()), ids=[lbl for lbl, _e in entries()])
def test_no_verified_entry_shows_an_unsourced_registrable_look_alike(label, entry):
    if not entry["verified"]:
        return
    names = names_of(entry)
    for host in shown_hosts(entry):
        if is_reserved(host) or named(host, names):
            continue
        # What is left must be an official .gov.vn address the lab lists, not a look-alike.
        assert is_official(host) and check_link(host).genuine, (label, host)


def test_official_addresses_marked_verified_are_named_by_their_sources():
    for entry in RAW["official_domains"]:
        if entry["verified"]:
            assert named(entry["domain"], names_of(entry)), entry["domain"]


@pytest.mark.parametrize("host", UNREPORTED)
def test_look_alikes_no_report_names_are_gone(host):
    assert host not in TEXT


def test_the_module_finds_the_same_hosts_as_this_test():
    text = ("Vào https://dichvucongs.top/vn hoặc bhxh.co, không phải TP.HCM, 1.200.000 đồng "
            "hay số 0367.xxx.123.")
    assert hosts_in(text) == HOST.findall(text) == ["dichvucongs.top", "bhxh.co"]


# --- generated practice items ------------------------------------------------------------

def item_hosts(item) -> list[str]:
    hosts = [h for text in (item.content, item.context, item.right_response, *item.red_flags)
             for h in HOST.findall(text.lower())]
    if item.channel == "link":
        hosts.append(check_link(item.content).host)  # as a browser reads it, punycode decoded
    return hosts


def assert_item_shows_only_sourced_or_reserved_hosts(item) -> None:
    for host in item_hosts(item):
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
        assert named(host, item.names) or is_reserved(host) or is_official(host), (item.id, host)


def test_every_generated_item_shows_only_sourced_or_reserved_hosts():
    for seed in range(3):
        for item in scam_set(seed=seed, n_per_pattern=14):
            assert_item_shows_only_sourced_or_reserved_hosts(item)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(PATTERNS))
def test_generated_items_never_invent_a_registrable_domain(seed, pattern):
    for item in generate(pattern, seed, 3):
        assert_item_shows_only_sourced_or_reserved_hosts(item)


def test_invented_look_alikes_end_in_invalid_and_reported_ones_are_cited():
    kinds = set()
    for seed in range(4):
        for item in generate("lookalike_link", seed, 14):
            host = check_link(item.content).host
            kinds.add(item.kind)
            if item.kind == "reported":
                assert item.names and named(host, item.names), item.content
                assert "chưa kiểm chứng" not in item.source
            elif item.is_scam:
                assert host.endswith(".invalid"), (item.kind, item.content)
                assert any(".invalid" in flag for flag in item.red_flags)  # said plainly
            else:
                assert is_official(host)
    assert {"extra_letter", "gov_hyphen", "borrowed_gov", "homoglyph", "punycode",
            "wrong_tld", "subdomain", "userinfo", "digit"} <= kinds


def test_script_items_carry_the_names_their_reports_give():
    items = [i for i in scam_set(seed=2, n_per_pattern=14) if i.kind == "phat-nguoi-giao-thong"]
    assert items
    for item in items:
        assert {"dichvucongs.top", "dichvucongg.top"} <= set(item.names)
        assert host_of(item.expected["link"]) in item.names


# --- the loader refuses what the tests above forbid --------------------------------------



def test_loader_refuses_a_script_link_no_report_names():
    error = broken(lambda d: d["scripts"][1].update(links=["https://capnhat-cutru.top"]))
    assert (error.entry, error.field) == ("cap-nhat-cu-tru-sau-sap-nhap", "links")
    assert "capnhat-cutru.top" in str(error) and ".invalid" in str(error)


def test_loader_refuses_an_unsourced_address_in_a_red_flag():
    def edit(d):
        d["scripts"][0]["red_flags"].append({"vi": "Trang vneid-gov.invalid không phải trang thật.",
                                             "en": "The page vneid-gov.com is not the real one."})
    error = broken(edit)
    assert error.entry == "cong-an-vneid-muc-2" and "vneid-gov.com" in str(error)


def test_loader_refuses_a_reported_link_its_sources_do_not_name():
    error = broken(lambda d: d["reported_links"][1].update(url="https://dichvucongs.xyz/vn"))
    assert error.field == "sources" and "dichvucongs.xyz" in str(error)


def test_loader_accepts_a_made_up_link_under_invalid():
    data = copy.deepcopy(RAW)
    data["scripts"][1]["links"] = ["https://cap-nhat-vneid.invalid/phi"]
    assert parse_scams(data, "scams.yaml").scripts[1].links == ("https://cap-nhat-vneid.invalid/phi",)


def test_loader_refuses_a_verified_official_address_its_sources_do_not_name():
    def edit(d):
        d["official_domains"][2]["sources"] = [d["reported_links"][0]["sources"][0]]
    error = broken(edit)
    assert error.entry == "baohiemxahoi.gov.vn" and error.field == "sources"


@pytest.mark.parametrize(("key", "value"), [
    ("title", None), ("publisher", ""), ("url", "notes" ".md"), ("date", "07/08/2025"),
    ("names", ["https://dichvucongs.top/vn"]),
])
def test_loader_refuses_a_report_without_a_public_reference(key, value):
    def edit(d):
        d["reported_links"][1]["sources"] = [dict(d["reported_links"][1]["sources"][0], **{key: value})]
    error = broken(edit)
    assert error.field == key and "dichvucongs.top" in error.entry


def test_loader_refuses_a_checked_day_in_the_future():
    future = date.today() + timedelta(days=1)
    error = broken(lambda d: d["scripts"][0].update(checked=future))
    assert (error.entry, error.field) == ("cong-an-vneid-muc-2", "checked")


def test_loader_refuses_an_entry_with_no_source_and_no_note():
    def edit(d):
        d["genuine"][0]["sources"] = []
        d["genuine"][0].pop("note")
    error = broken(edit)
    assert (error.entry, error.field) == ("bao-ket-qua-ho-so", "sources")
