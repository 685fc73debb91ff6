"""Drift check: the generator gives the same items for fixed seeds, in Vietnamese and English.

The fixture was written before ``domain/scams.py`` became a package and its texts moved to
``data/scam_texts.yaml``; since then only one English phrase changed on purpose ("is Cyrillic
(Russian) letters" became "is a Cyrillic (Russian) letter"), and issue 12 gave scripts and
official names their English and items a ``gloss`` (the Vietnamese side unchanged, with an
empty gloss). Issue 13 reworded two decoder problems (CRC, declared length) so that no message
reads like a log line ("nhận được …"). A change here must be meant: after
one, rewrite the fixture with ``python tests/qr/test_scam_snapshot.py`` and review the diff.
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest

from kynangso.domain.scams import PATTERNS, check_link, generate, load_scams
from kynangso.i18n import get_language, set_language

FIXTURE = Path(__file__).with_name("scam_snapshot.json")
SEEDS = (0, 42)
LANGUAGES = ("vi", "en")
# Checker cases beyond what the items show: IP, scheme, broken punycode, accents, odd signs.
URLS = ("https://192.168.1.1/a", "javascript:alert(1)", "https://x..y", "https://xn--zz.invalid",
        "https://dichvucong\\evil.invalid", "https://abc.gov.vn", "https://a_b.invalid",
        "https://dịchvụcоng.gov.vn", "https://vneíd.invalid", "http://vneid.gov.vn.",
        "https://rnoj.invalid", "https://dichvucongnew.invalid", "https://vnied.invalid")


def _kinds(pattern: str) -> int:
    """Enough items for every variant of the pattern to appear once."""
    catalogue = load_scams()
    return {"qr_sticker": 2, "qr_tampered": 3, "lookalike_link": 14,
            "otp_script": len(catalogue.scripts), "genuine": 1 + len(catalogue.genuine)}[pattern]


def _plain(item) -> dict:
    data = {f.name: getattr(item, f.name) for f in fields(item)}
    data["expected"] = dict(item.expected)
    return json.loads(json.dumps(data, ensure_ascii=False))


def snapshot() -> dict:
    before = get_language()
    result = {}
    try:
        for language in LANGUAGES:
            set_language(language)
            result[language] = {
                "items": {f"{pattern}/{seed}": [_plain(i) for i in generate(pattern, seed,
                                                                            _kinds(pattern))]
                          for pattern in PATTERNS for seed in SEEDS},
                "links": {url: list(check_link(url).reasons) for url in URLS},
            }
    finally:
        set_language(before)
    return result


@pytest.fixture(scope="module")
def stored():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def current():
    return snapshot()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("seed", SEEDS)
def test_items_match_the_snapshot(stored, current, language, pattern, seed):
    key = f"{pattern}/{seed}"
    assert current[language]["items"][key] == stored[language]["items"][key]


@pytest.mark.parametrize("language", LANGUAGES)
def test_link_reasons_match_the_snapshot(stored, current, language):
    assert current[language]["links"] == stored[language]["links"]


if __name__ == "__main__":
    FIXTURE.write_text(json.dumps(snapshot(), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                       encoding="utf-8")
