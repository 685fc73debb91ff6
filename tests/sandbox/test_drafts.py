"""Unfinished screens and learners' names: what survives a reload, per person."""

from __future__ import annotations

import pytest

from kynangso.errors import InvalidInput
from kynangso.sandbox.drafts import clean_name
from kynangso.sandbox.store import Sandbox


@pytest.fixture
def box(tmp_path):
    with Sandbox.open(tmp_path / "s.sqlite", actor="lan-0001") as b:
        yield b


def test_a_draft_comes_back_for_its_learner_only(box):
    box.drafts.save("portal", {"step": "form", "fields": {"ho_ten": "Nguyễn Thị Lan"}})
    assert box.drafts.load("portal")["fields"]["ho_ten"] == "Nguyễn Thị Lan"
    assert box.as_actor("hoa-0002", "trainee").drafts.load("portal") == {}
    box.drafts.save("portal", {"step": "documents"})  # latest wins
    assert box.drafts.load("portal") == {"step": "documents"}
    box.drafts.clear("portal")
    assert box.drafts.load("portal") == {}


def test_drafts_are_not_actions(box):
    before = len(box.events())
    box.drafts.save("vneid", {"logged_in": True})
    assert len(box.events()) == before and box.verify_chain().ok


def test_a_damaged_draft_costs_only_the_unfinished_fields(box):
    box.drafts.save("portal", {"step": "form"})
    with box.transaction() as tx:
        tx.connection.execute("UPDATE drafts SET state = '{not json'")
    assert box.drafts.load("portal") == {}


def test_a_draft_is_a_form_never_a_file(box):
    with pytest.raises(ValueError):
        box.drafts.save("portal", {"scan": "x" * 70_000})


def test_a_learner_joins_under_a_name_and_is_logged(box):
    learner = box.learners.join("  Nguyễn   Thị Lan ")
    assert learner.name == "Nguyễn Thị Lan" and box.learners.name_of() == "Nguyễn Thị Lan"
    assert box.events(action="learner.joined")[-1].payload == {"name": "Nguyễn Thị Lan"}
    box.as_actor("hoa-0002", "trainee").learners.join("Hoa")
    assert {x.name for x in box.learners.all()} == {"Nguyễn Thị Lan", "Hoa"}
    assert box.learners.name_of("nobody") is None


@pytest.mark.parametrize("bad, words", [("", "Hãy nhập tên"), ("   ", "Hãy nhập tên"),
                                        ("x" * 61, "dài quá 60"), ("12345", "chữ cái"),
                                        ("<b>Lan</b>", "chữ cái")])
def test_a_bad_name_says_what_is_wrong_without_echoing_it(bad, words):
    with pytest.raises(InvalidInput) as caught:
        clean_name(bad)
    assert words in str(caught.value)
    assert bad.strip() == "" or bad not in str(caught.value)


def test_names_are_stored_composed():
    decomposed = "Nguye\u0302\u0303n"  # Nguyễn typed with combining marks
    assert clean_name(decomposed) == "Nguyễn"
