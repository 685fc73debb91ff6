"""Every environment variable the package reads, declared once with help and a check.

Modules never read ``os.environ`` themselves: they call :func:`current`, which reads
each declared variable, validates it and returns a frozen :class:`Settings`. It reads
the environment on every call (a few lookups) because Voila sets the page's variables
while the kernel runs and tests change them with ``monkeypatch``.

A bad value of a variable a person sets raises :class:`SettingError` naming the
variable, the rule and the value received; an unknown language falls back to
Vietnamese with a warning (as it always displayed). ``python -m kynangso.settings``
prints the list with its help text.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("kynangso.settings")

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "vi"
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")


class SettingError(ValueError):
    """An environment variable holds a value its declaration refuses."""

    def __init__(self, variable: str, rule: str, value: str):
        super().__init__(f"{variable}: {rule}, got {value!r}")
        self.variable = variable
        self.rule = rule
        self.value = value


@dataclass(frozen=True)
class Variable:
    """One environment variable: the ``Settings`` attribute it fills, its help text,
    how its text becomes a value (raising ``SettingError``) and its value when unset."""

    name: str
    attribute: str
    parse: Callable[[str, str], Any]
    help: str
    default: Any = None
    set_by: str = "person"  # "person" (you, make, a test) or "voila"


def _text(name: str, value: str) -> str:
    return value


def _text_or_none(name: str, value: str) -> str | None:
    # Empty means unset, as the modules always treated it.
    return value or None


def _language(name: str, value: str) -> str:
    known = {DEFAULT_LANGUAGE} | {p.name for p in LOCALE_DIR.iterdir() if p.is_dir()}
    if value in known:
        return value
    log.warning("%s=%r has no catalogue (known: %s); using %r", name, value,
                ", ".join(sorted(known)), DEFAULT_LANGUAGE)
    return DEFAULT_LANGUAGE


def _positive_int(name: str, value: str) -> int | None:
    if not value.strip():
        return None
    try:
        number = int(value)
    except ValueError:
        raise SettingError(name, "must be a whole number of rounds, 1 or more", value) from None
    if number < 1:
        raise SettingError(name, "must be a whole number of rounds, 1 or more", value)
    return number


def _flag(name: str, value: str) -> bool:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingError(name, f"must be one of {', '.join(TRUE_WORDS + FALSE_WORDS[:-1])}",
                       value)


def _voila_flag(name: str, value: str) -> bool:
    # Voila writes exactly "True" or "False".
    return value == "True"


VARIABLES: tuple[Variable, ...] = (
    Variable("KYNANGSO_STORE", "store", _text_or_none, help=(
        "Path, folder or SQLAlchemy URL of the store the Voila apps share (make apps sets "
        "it). Unset: kynangso.sqlite in the current folder, so an exercise keeps its own "
        "store next to the notebook and nbgrader collects it.")),
    Variable("KYNANGSO_LANG", "language", _language, default=DEFAULT_LANGUAGE, help=(
        "Language of trainee-facing text: 'vi' (source) or a folder under "
        "kynangso/locale ('en'). Read once when kynangso.i18n is imported.")),
    Variable("KYNANGSO_OTP_SEED", "otp_seed", _text_or_none, help=(
        "Seed that makes the simulated VNeID one-time codes repeatable (demos, tests). "
        "Unset: codes are unpredictable. Sandbox.open(otp_seed=...) wins over it.")),
    Variable("KYNANGSO_HASH_ITERATIONS", "hash_iterations", _positive_int, help=(
        "PBKDF2 rounds for every practice secret (password, passcode, PIN, OTP), replacing "
        "each kind's own cost. For tests only, which hash thousands of secrets; unset in "
        "a classroom.")),
    Variable("KYNANGSO_STRICT_EVENTS", "strict_events", _flag, default=False, help=(
        "1: appending an event not declared in kynangso.sandbox.events, or with missing or "
        "unknown payload fields, raises. tests/conftest.py sets it; 0 (default) logs a "
        "warning and keeps the event, so a trainee never loses an action.")),
    Variable("KYNANGSO_CLASS_CODE", "class_code", _text_or_none, help=(
        "The class code that unlocks the trainer role in the apps (make apps generates one "
        "into ma-lop.txt beside the store and prints it). Unset: the trainer role cannot "
        "be opened from a page.")),
    Variable("VOILA_PREHEAT", "voila_preheat", _voila_flag, default=False, set_by="voila",
             help="'True' in a kernel Voila started before any page asked for it."),
    Variable("QUERY_STRING", "query_string", _text, default="", set_by="voila",
             help="The page's query (?nguoi=...&vai=...): who uses the screen."),
    Variable("HTTP_COOKIE", "http_cookie", _text, default="", set_by="voila",
             help="The page's cookies (Voila's http_header_envs): the browser's remembered "
                  "learner, display settings and class code."),
    Variable("VOILA_WS_BASE_URL", "voila_ws_base_url", _text, set_by="voila",
             help="Base URL of Voila's websocket (preheated kernels wait for the page "
                  "request there); falls back to VOILA_SERVER_URL."),
    Variable("VOILA_SERVER_URL", "voila_server_url", _text, default="/", set_by="voila",
             help="Base URL Voila is served under."),
    Variable("VOILA_WS_PROTOCOL", "voila_ws_protocol", _text, default="ws", set_by="voila",
             help="'ws' or 'wss' for the page-request websocket."),
    Variable("VOILA_APP_IP", "voila_app_ip", _text, default="127.0.0.1", set_by="voila",
             help="Address Voila listens on."),
    Variable("VOILA_APP_PORT", "voila_app_port", _text, default="8866", set_by="voila",
             help="Port Voila listens on."),
    Variable("VOILA_KERNEL_ID", "voila_kernel_id", _text, default="", set_by="voila",
             help="This kernel's id, which names its page-request channel."),
)
BY_NAME: dict[str, Variable] = {v.name: v for v in VARIABLES}


@dataclass(frozen=True)
class Settings:
    """The validated values of :data:`VARIABLES` at one moment."""

    store: str | None
    language: str
    otp_seed: str | None
    hash_iterations: int | None
    strict_events: bool
    class_code: str | None
    voila_preheat: bool
    query_string: str
    http_cookie: str
    voila_ws_base_url: str | None
    voila_server_url: str
    voila_ws_protocol: str
    voila_app_ip: str
    voila_app_port: str
    voila_kernel_id: str


def load(environ: Mapping[str, str]) -> Settings:
    """Validate every declared variable of ``environ``; unset ones take their default."""
    values = {}
    for var in VARIABLES:
        raw = environ.get(var.name)
        values[var.attribute] = var.default if raw is None else var.parse(var.name, raw)
    return Settings(**values)


def current() -> Settings:
    """The settings of this process now."""
    return load(os.environ)


def export(values: Mapping[str, object]) -> None:
    """Put variables into this process's environment (Voila's page request, handed to a
    preheated kernel); later :func:`current` calls see them."""
    os.environ.update({key: str(value) for key, value in values.items()})


def describe() -> str:
    """Each variable with who sets it and its help, for ``--help``-style output."""
    return "\n\n".join(f"{v.name} (set by {v.set_by}; default {v.default!r})\n    {v.help}"
                       for v in VARIABLES)


if __name__ == "__main__":
    print(describe())
