"""Shared fixtures, and the event vocabulary checked everywhere.

``KYNANGSO_STRICT_EVENTS=1`` is set before any test imports the package, and stays in
the environment of the kernels, Voila servers and worker processes tests start: every
event the suite makes a desk or a screen log must be declared in
``kynangso.sandbox.events`` with exactly its fields, or the test fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import ROOT

os.environ["KYNANGSO_STRICT_EVENTS"] = "1"

def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "unchecked_events: the test logs events kynangso.sandbox.events does "
                   "not declare, on purpose (the store only warns)")


@pytest.fixture(autouse=True)
def _event_vocabulary(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    # Autouse fixtures run first, so a store the test opens sees this value.
    if request.node.get_closest_marker("unchecked_events"):
        monkeypatch.setenv("KYNANGSO_STRICT_EVENTS", "0")


@pytest.fixture
def english() -> Iterator[None]:
    """The screens and texts in English for one test, then the language it had."""
    from kynangso.i18n import get_language, set_language

    before = get_language()
    set_language("en")
    yield
    set_language(before)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep `--dist loadgroup` grouping on pytest 9.2, where xdist's ``@group`` suffix
    no longer reaches the node id (pytest-xdist#1386): without it the browser tests
    spread over both workers, each starting its own `make apps`. A no-op once fixed."""
    if not getattr(config.option, "loadgroup", False):  # set on xdist workers
        return
    from _pytest.nodeid import NodeId

    for item in items:
        marks = {str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                 for m in item.iter_markers("xdist_group")}
        suffix = "@" + "_".join(sorted(marks))
        if marks and not item.nodeid.endswith(suffix) and hasattr(item, "_id"):
            item._id = NodeId.parse(item.nodeid + suffix)
