"""The event vocabulary: every name the code logs is declared, and a strict store
refuses an undeclared name or a payload that does not match its declaration."""

from __future__ import annotations

import ast
import re

import pytest

from kynangso import settings
from kynangso.domain.dossier import State
from kynangso.sandbox.events import EVENTS, UndeclaredEvent, check
from kynangso.sandbox.store import Sandbox

from helpers import ROOT

PACKAGE = ROOT / "widgets" / "kynangso"
EVENT_NAME = re.compile(r"[a-z][a-z0-9_-]*\.[a-z0-9_.-]+")


def _logged_names():
    """(file, name) of every literal event name passed to record() or append()."""
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("record", "append", "_refuse", "_checked")
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                    and EVENT_NAME.fullmatch(node.args[0].value)):
                yield path.relative_to(ROOT).as_posix(), node.args[0].value


def test_the_whole_suite_runs_strict():
    # tests/conftest.py: every event a test makes a desk or screen log is checked.
    assert settings.current().strict_events


def test_every_event_name_in_the_code_is_declared():
    names = list(_logged_names())
    assert len(names) > 50
    assert [(f, n) for f, n in names if n not in EVENTS] == []


def test_built_names_are_declared():
    assert {f"dossier.{s.value}" for s in State if s is not State.DRAFT} <= set(EVENTS)
    assert {"feedback.danh-gia", "feedback.phan-anh", "feedback.kien-nghi"} <= set(EVENTS)


def test_each_declaration_is_complete():
    for name, spec in EVENTS.items():
        assert spec.name == name and spec.meaning.strip(), name
        assert not set(spec.fields) & set(spec.optional), name


def test_an_undeclared_event_is_refused_and_rolled_back(tmp_path):
    with Sandbox.open(tmp_path, strict_events=True) as box:
        with pytest.raises(UndeclaredEvent, match=r"'scam\.guessed' is not declared"):
            box.record("scam.guessed", "sms-1", verdict="lừa đảo")
        assert box.events() == [] and box.verify_chain().ok


def test_a_missing_or_unknown_field_is_named(tmp_path):
    with Sandbox.open(tmp_path, strict_events=True) as box:
        with pytest.raises(UndeclaredEvent, match=r"'portal\.search': missing field.* results"):
            box.record("portal.search", None, query="hộ chiếu")
        with pytest.raises(UndeclaredEvent, match=r"undeclared field.* colour"):
            box.record("portal.search", None, query="x", results=[], colour="red")
        box.record("portal.search", None, query="x", results=[])
        assert [e.action for e in box.events()] == ["portal.search"]


def test_a_lenient_store_warns_and_keeps_the_event(tmp_path, caplog):
    with Sandbox.open(tmp_path, strict_events=False) as box:
        trainer = box.as_actor("gv", "trainer")
        assert trainer.strict_events is False  # a view keeps its store's mode
        box.record("scam.guessed", "sms-1")
        assert [e.action for e in box.events()] == ["scam.guessed"]
    assert "'scam.guessed' is not declared" in caplog.text


def test_optional_fields_may_be_left_out():
    check("vneid.login_failed", {}, strict=True)
    check("wallet.scanned", {"source": "upload", "payee_bin": "1", "payee_account": "2",
                             "recipient": None, "amount": 1, "dossier_code": None,
                             "file": "a.png"}, strict=True)
