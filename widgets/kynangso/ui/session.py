"""Which store and which person a screen works for.

Apps served by Voila read the store path from ``KYNANGSO_STORE`` (``make apps`` sets
it, so every app shares one world for role play) and the person from the page: the
query string (``?nguoi=an&vai=official``, which Voila passes to the kernel as
``QUERY_STRING``) or else the browser's cookies (``HTTP_COOKIE``, passed by Voila's
``http_header_envs``), which the page script writes when a learner gives their name
(ui/gate.py) or changes a display setting. A browser that has neither is asked for a
name: it never opens as somebody else. The trainer role needs the class code.

An exercise notebook opens the store in its own folder instead, so nbgrader collects
it with the submission.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import secrets
import unicodedata
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote

from .. import settings
from ..sandbox import world
from ..sandbox.store import ROLES, Sandbox

if TYPE_CHECKING:
    from .base import Screen

STORE_ENV = "KYNANGSO_STORE"
log = logging.getLogger("kynangso.ui")

# Cookies the page script writes (frontend/src/index.js) and the kernel reads.
PERSON_COOKIE = "kns_nguoi"
NAME_COOKIE = "kns_ten"
PREFS_COOKIE = "kns_prefs"
CODE_COOKIE = "kns_ma_lop"
ACTOR_PATTERN = re.compile(r"[\w.-]{1,60}")


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


# -- who the page is for ------------------------------------------------------------------


def page_cookies() -> dict[str, str]:
    """The page's cookies (percent-decoded); {} outside Voila or on a malformed header."""
    raw = settings.current().http_cookie
    if not raw:
        return {}
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except CookieError:
        return {}
    return {key: unquote(morsel.value) for key, morsel in jar.items()}


@dataclass(frozen=True)
class Preferences:
    """Display settings a browser remembers across apps: size 0–2, contrast, language."""

    size: int = 0
    contrast: bool = False
    language: str | None = None

    def cookie(self) -> str:
        return f"s{self.size}c{int(self.contrast)}l{self.language or ''}"

    @classmethod
    def parse(cls, text: str) -> Preferences:
        found = re.fullmatch(r"s([0-2])c([01])l(vi|en)?", text or "")
        if not found:
            return cls()
        return cls(int(found[1]), found[2] == "1", found[3])


def preferences() -> Preferences:
    return Preferences.parse(page_cookies().get(PREFS_COOKIE, ""))


@dataclass(frozen=True)
class Visitor:
    """Who opened the page: ``actor`` is None when the browser has not said yet."""

    actor: str | None
    name: str | None
    role: str
    class_code: str | None  # as the page sent it (query or cookie), unchecked


def actor_for(name: str) -> str:
    """A new actor id for a display name: its letters without marks, and 4 hex digits so
    two learners called Lan stay two people ("Nguyễn Thị Lan" → "nguyen-thi-lan-3f9a")."""
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40] or "hoc-vien"
    return f"{slug}-{secrets.token_hex(2)}"


def visitor(role: str) -> Visitor:
    """The page's person and role: the URL first (a trainer's link, a test), then what
    the browser remembers; an invalid value is ignored rather than breaking the page."""
    query, cookies = page_query(), page_cookies()
    wanted_role = query.get("vai", role)
    if wanted_role not in ROLES:
        wanted_role = role
    actor = query.get("nguoi") or cookies.get(PERSON_COOKIE)
    if actor is not None and not ACTOR_PATTERN.fullmatch(actor):
        actor = None
    name = None
    if actor is not None and actor == cookies.get(PERSON_COOKIE):
        name = cookies.get(NAME_COOKIE) or None
    code = query.get("ma_lop") or cookies.get(CODE_COOKIE)
    return Visitor(actor, name, wanted_role, code)


def class_code_ok(code: str | None) -> bool:
    """Whether ``code`` is this class's code (constant-time; no code set: never)."""
    expected = settings.current().class_code
    if not expected or not code:
        return False
    return hmac.compare_digest(code.strip().upper().encode(), expected.strip().upper().encode())


def display_name(box: Sandbox) -> str:
    """The name the learner practises under: given in the app, else the trainer's class
    list, else their id."""
    name = box.learners.name_of()
    if name:
        return name
    try:
        from ..sandbox import classroom

        for learner in classroom.read_roster(store_path().parent / "lop.csv"):
            if learner.actor == box.actor:
                return learner.name
    except Exception:  # no class list, or one the trainer is still editing
        pass
    return box.actor


def launch(screen: type[Screen], *, role: str, **options: Any) -> Screen:
    """An app's screen for the page's person; a gate first when the browser has not
    named its learner yet, or when the trainer role still needs its class code."""
    from .gate import Gate

    warm = Sandbox.open(store_path()) if _preheated() else None
    if warm is not None:
        for build in (world.catalogue, world.locality, world.calendar):
            build()
    who = visitor(role)
    base = warm or Sandbox.open(store_path())
    if who.role == "trainer" and not class_code_ok(who.class_code):
        return Gate(base, screen, who, options, ask_code=True)
    if who.actor is None:
        return Gate(base, screen, who, options, ask_code=False)
    box = base.as_actor(who.actor, who.role)
    if who.name and box.learners.name_of() is None:
        box.learners.join(who.name)  # a store reset since: the browser still knows the name
    return screen(box, **options)
