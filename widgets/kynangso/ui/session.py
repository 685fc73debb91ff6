"""Which store and which person a screen works for.

Apps served by Voila read the store path from ``KYNANGSO_STORE`` (``make apps`` sets
it, so every app shares one world for role play) and the person from the page's
query string (``?nguoi=an&vai=official``), which Voila passes to the kernel as
``QUERY_STRING``. An exercise notebook opens the store in its own folder instead, so
nbgrader collects it with the submission.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs

from ..sandbox.store import ROLES, Sandbox

STORE_ENV = "KYNANGSO_STORE"


def store_path() -> Path:
    return Path(os.environ.get(STORE_ENV) or Path.cwd() / "kynangso.sqlite")


def _query() -> dict[str, str]:
    if os.environ.get("VOILA_PREHEAT") == "True":
        # A preheated kernel ran the imports before anyone asked for the page; wait
        # here for the real request so the URL's person and role are known.
        from voila.utils import wait_for_request

        wait_for_request()
        # The request has arrived; a second wait (another screen) would hang the page.
        os.environ["VOILA_PREHEAT"] = "False"
    parsed = parse_qs(os.environ.get("QUERY_STRING", ""))
    return {k: v[-1] for k, v in parsed.items() if v}


def open_box(*, role: str = "trainee", actor: str = "hoc-vien",
             path: str | Path | None = None) -> Sandbox:
    """Open the shared store as the person named in the page URL, else the defaults."""
    query = _query()
    wanted_role = query.get("vai", role)
    wanted_actor = query.get("nguoi", actor)
    # A URL typed by hand must not break the page: ignore what is not a valid name/role.
    if wanted_role not in ROLES:
        wanted_role = role
    if not re.fullmatch(r"[\w.-]{1,60}", wanted_actor):
        wanted_actor = actor
    return Sandbox.open(path or store_path(), actor=wanted_actor, role=wanted_role)
