"""Scripts and official names in ``data/scams.yaml`` follow the language switch (issue 12).

Every explanation a trainee reads (context, red flags, right response) and every official
name is ``{vi, en}``; the message a scammer sends stays Vietnamese in both languages, with an
English gloss next to it in English mode. A file without the English is refused, naming file,
entry and field.
"""

from __future__ import annotations

import copy

import yaml

from kynangso.domain.datafiles import DATA_DIR
from kynangso.domain.scams import generate, item_by_id, load_scams, parse_scams
from kynangso.i18n import set_language

from helpers import scams_error as broken

RAW = yaml.safe_load((DATA_DIR / "scams.yaml").read_text(encoding="utf-8"))






def _script_item(script_id: str):
    n = len(load_scams().scripts)
    return next(i for i in generate("otp_script", 0, n) if i.kind == script_id)


def test_script_item_is_english_after_switching_language(english):
    set_language("vi")
    vietnamese = _script_item("cong-an-vneid-muc-2")
    set_language("en")
    item = item_by_id(vietnamese.id)
    raw = next(s for s in RAW["scripts"] if s["id"] == "cong-an-vneid-muc-2")
    assert item.context.endswith("The caller claims to be a police officer.")
    assert item.context != vietnamese.context
    assert item.red_flags[3] == raw["red_flags"][3]["en"]
    assert len(item.red_flags) == len(vietnamese.red_flags)
    assert all(e != v for e, v in zip(item.red_flags, vietnamese.red_flags, strict=True))
    assert item.right_response.startswith("Advise ")
    assert "hang up" in item.right_response
    # Same synthetic values in both languages: the resident and the link.
    assert vietnamese.expected["link"] in item.red_flags[1]
    assert item.expected == vietnamese.expected


def test_scam_message_stays_vietnamese_with_an_english_gloss_only_in_english(english):
    set_language("vi")
    vietnamese = _script_item("phat-nguoi-giao-thong")
    assert vietnamese.gloss == ""
    set_language("en")
    item = item_by_id(vietnamese.id)
    assert item.content == vietnamese.content  # the material, next to the gloss
    assert item.content.startswith("Cảnh sát giao thông Việt Nam")
    assert item.gloss.startswith("Vietnam Traffic Police")
    assert item.expected["link"] in item.gloss


def test_a_phishing_qr_has_no_gloss(english):
    item = _script_item("qr-trang-ngan-hang-gia")
    assert item.content.startswith("https://") and item.gloss == ""


def test_genuine_notices_follow_the_language(english):
    items = generate("genuine", 0, 1 + len(load_scams().genuine))
    scripted = [i for i in items if i.kind != "correct_qr"]
    assert scripted
    for item in scripted:
        assert item.gloss, item.id
        assert not any(word in item.right_response for word in ("không", "Giúp", "hỏi")), item.id


def test_official_names_follow_the_language(english):
    official = load_scams().official("dichvucong.gov.vn")
    assert official.name == "the National Public Service Portal"
    set_language("vi")
    assert official.name == "Cổng Dịch vụ công quốc gia"


def test_a_context_without_english_names_file_entry_and_field():
    error = broken(lambda d: d["scripts"][0]["context"].pop("en"))
    assert (error.file, error.entry, error.field) == (
        "scams.yaml", "cong-an-vneid-muc-2", "context.en")
    assert "scams.yaml" in str(error) and "cong-an-vneid-muc-2" in str(error)
    assert "context.en" in str(error)


def test_a_red_flag_with_blank_english_names_its_position():
    error = broken(lambda d: d["scripts"][2]["red_flags"][1].update(en="  "))
    assert (error.entry, error.field) == ("phat-nguoi-giao-thong", "red_flags[2].en")
    assert "red_flags[2].en" in str(error)


def test_a_right_response_in_vietnamese_only_is_refused():
    error = broken(lambda d: d["genuine"][1].update(right_response="Cuộc gọi hợp lệ."))
    assert (error.entry, error.field) == ("to-cong-nghe-so-hen-den-nha", "right_response")


def test_a_message_without_its_gloss_is_refused():
    error = broken(lambda d: d["scripts"][1]["text"].pop("en"))
    assert (error.entry, error.field) == ("cap-nhat-cu-tru-sau-sap-nhap", "text.en")


def test_an_official_name_without_english_is_refused():
    error = broken(lambda d: d["official_domains"][0]["name"].pop("en"))
    assert (error.file, error.entry, error.field) == ("scams.yaml", "dichvucong.gov.vn", "name.en")


def test_an_explanation_must_keep_the_placeholders_of_the_vietnamese():
    error = broken(lambda d: d["scripts"][0]["context"].update(en="Someone gets a call."))
    assert (error.entry, error.field) == ("cong-an-vneid-muc-2", "context.en")
    assert "{resident}" in str(error)


def test_a_gloss_may_leave_out_a_placeholder_but_add_none():
    data = copy.deepcopy(RAW)
    data["scripts"][0]["text"]["en"] = "Hello, read me the OTP code."
    assert parse_scams(data, "scams.yaml").scripts[0].text.en == "Hello, read me the OTP code."
    error = broken(lambda d: d["scripts"][0]["text"].update(en="Pay {amount} at {link}."))
    assert (error.entry, error.field) == ("cong-an-vneid-muc-2", "text.en")
    assert "{amount}" in str(error)


def test_an_unsourced_address_in_the_english_is_refused():
    def edit(d):
        d["scripts"][0]["right_response"]["en"] += " See vneid-help.com."
    error = broken(edit)
    assert error.entry == "cong-an-vneid-muc-2" and "vneid-help.com" in str(error)
