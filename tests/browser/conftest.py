"""One `make apps` server for every browser test (a start-up costs seconds per app).

The world is frozen at Monday 10/11/2025 08:00, so codes, due dates and the kiosk's
opening hours do not depend on today. Tests share the store, never their data: each
names its own persons (``who``) and makes its own dossiers, so test order never matters.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest

from browser_helpers import VoilaServer

MONDAY = datetime(2025, 11, 10, 8, 0)
# The clock never goes back, so a dossier already late on MONDAY is made first.
RECEIVED_LATE = datetime(2025, 10, 27, 8, 0)  # due 05/11/2025
LATE_DOCUMENTS = ["to-khai-ct01", "cho-o-hop-phap"]

_serial = itertools.count(1)


@dataclass
class Apps:
    server: VoilaServer
    late_dossier: str  # the back office's apology test alone uses it

    def box(self, actor: str = "gv", role: str = "trainer"):
        from kynangso.sandbox.store import Sandbox

        return Sandbox.open(self.server.store, actor=actor, role=role)


@pytest.fixture(scope="session")
def apps(tmp_path_factory) -> Iterator[Apps]:
    from kynangso.sandbox.store import Sandbox

    store = tmp_path_factory.mktemp("apps") / "sandbox.sqlite"
    with Sandbox.open(store, actor="tnv-tre-han", role="trainee", start=RECEIVED_LATE,
                      clock_running=False) as box:
        late = box.dossiers.create("thuong-tru", {"ho_ten": "Trần Văn Bình"},
                                   channel="cong-dvc", documents=LATE_DOCUMENTS).code
        box.dossiers.submit(late)
        box.as_actor("cb-tre-han", "official").dossiers.receive(late)
        box.as_actor("gv", "trainer").set_clock(MONDAY, running=False)
    with VoilaServer(store) as server:
        yield Apps(server, late)


@pytest.fixture
def who() -> Callable[[str], str]:
    """This test's own persons: ``who("tnv")`` names one no other test uses."""
    tag = next(_serial)
    return lambda label: f"{label}-t{tag}"


@pytest.fixture
def voila(apps: Apps) -> VoilaServer:
    return apps.server
