"""Which store and which person a screen works for.

Apps served by Voila read the store path from ``KYNANGSO_STORE`` (``make apps`` sets
it, so every app shares one world for role play) and the person from the page's
query string (``?nguoi=an&vai=official``), which Voila passes to the kernel as
``QUERY_STRING``. An exercise notebook opens the store in its own folder instead, so
nbgrader collects it with the submission.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from urllib.parse import parse_qs

from .. import settings
from ..sandbox import world
from ..sandbox.store import ROLES, Sandbox

STORE_ENV = "KYNANGSO_STORE"
log = logging.getLogger("kynangso.ui")


def store_path() -> Path:
    return Path(settings.current().store or Path.cwd() / "kynangso.sqlite")


def _preheated() -> bool:
    return settings.current().voila_preheat


def wait_for_request(timeout: float | None = None) -> None:
    """Block a preheated kernel until Voila hands it a page request, then put the
    request's variables (``QUERY_STRING``...) into the environment.

    The same protocol as ``voila.utils.wait_for_request`` (Voila 0.5: one JSON message
    on ``<ws base>voila/query/<kernel id>``), without importing ``voila``: that module
    pulls in jupyter_server and nbconvert, ~46 MB and ~2 s in every app kernel.
    """
    from websockets.exceptions import WebSocketException
    from websockets.sync.client import connect

    env = settings.current()
    base = env.voila_server_url if env.voila_ws_base_url is None else env.voila_ws_base_url
    url = (f"{env.voila_ws_protocol}://{env.voila_app_ip}:{env.voila_app_port}{base}"
           f"voila/query/{env.voila_kernel_id}")
    try:
        with connect(url, open_timeout=30) as socket:
            request = json.loads(socket.recv(timeout=timeout))
    except (OSError, TimeoutError, WebSocketException, ValueError) as exc:
        # As Voila does: without the request, the page opens with the default person.
        log.warning("no page request from %s: %s", url, exc)
        return
    settings.export(request)


def page_query() -> dict[str, str]:
    """``?nguoi=...&ma=...`` of the page that opened this kernel.

    A preheated kernel waits here for the real request first; Voila sends it once per
    kernel, so the kernel then stops counting as preheated and a second reader does not
    wait for a request that never comes.
    """
    if _preheated():
        # A preheated kernel ran the imports before anyone asked for the page; wait
        # here for the real request so the URL's person and role are known.
        wait_for_request()
        # The request has arrived; a second wait (another screen) would hang the page.
        settings.export({"VOILA_PREHEAT": "False"})
    parsed = parse_qs(settings.current().query_string)
    return {k: v[-1] for k, v in parsed.items() if v}


def open_box(*, role: str = "trainee", actor: str = "hoc-vien",
             path: str | Path | None = None) -> Sandbox:
    """Open the shared store as the person named in the page URL, else the defaults."""
    target = path or store_path()
    warm = None
    if _preheated():
        # Before the request: open the store and build the ward's rules, which do not
        # depend on who asks, so the page only waits for the screen itself.
        warm = Sandbox.open(target)
        for build in (world.catalogue, world.locality, world.calendar):
            build()
    query = page_query()
    wanted_role = query.get("vai", role)
    wanted_actor = query.get("nguoi", actor)
    # A URL typed by hand must not break the page: ignore what is not a valid name/role.
    if wanted_role not in ROLES:
        wanted_role = role
    if not re.fullmatch(r"[\w.-]{1,60}", wanted_actor):
        wanted_actor = actor
    if warm is not None:
        return warm.as_actor(wanted_actor, wanted_role)
    return Sandbox.open(target, actor=wanted_actor, role=wanted_role)
