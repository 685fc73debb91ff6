"""Every environment variable the package reads is declared in kynangso.settings, and
only that module reads the environment."""

from __future__ import annotations

import ast
import re

import pytest

from kynangso import settings
from kynangso.settings import BY_NAME, SettingError, load

from helpers import ROOT

PACKAGE = ROOT / "widgets" / "kynangso"


def _environment_uses(path):
    """(line, name or None) of each read of os.environ / getenv in one module."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
            yield node.lineno, None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("get", "getenv") and node.args \
                and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str) \
                and node.args[0].value.isupper() and "_" in node.args[0].value:
            yield node.lineno, node.args[0].value


def test_only_settings_reads_the_environment():
    found = [f"{p.relative_to(ROOT)}:{line}" for p in sorted(PACKAGE.rglob("*.py"))
             if p.name != "settings.py" for line, name in _environment_uses(p) if name is None]
    assert found == []


def test_every_variable_named_in_the_package_is_declared():
    named = {name for p in PACKAGE.rglob("*.py") for _, name in _environment_uses(p) if name}
    for path in PACKAGE.rglob("*.py"):
        named |= set(re.findall(r"\b(?:KYNANGSO|VOILA)_[A-Z_]+\b", path.read_text("utf-8")))
    assert named - set(BY_NAME) == set()
    assert {"KYNANGSO_STORE", "KYNANGSO_LANG", "KYNANGSO_OTP_SEED",
            "KYNANGSO_HASH_ITERATIONS", "KYNANGSO_STRICT_EVENTS", "VOILA_PREHEAT"} <= set(BY_NAME)


def test_every_variable_has_help_and_a_field():
    fields = set(settings.Settings.__dataclass_fields__)
    for var in settings.VARIABLES:
        assert var.help.strip() and var.attribute in fields, var.name
    assert len(fields) == len(settings.VARIABLES)


def test_unset_variables_take_their_defaults():
    s = load({})
    assert (s.store, s.language, s.otp_seed, s.hash_iterations, s.strict_events,
            s.voila_preheat) == (None, "vi", None, None, False, False)


def test_values_are_parsed():
    s = load({"KYNANGSO_STORE": "classroom/x.sqlite", "KYNANGSO_LANG": "en",
              "KYNANGSO_HASH_ITERATIONS": "1000", "KYNANGSO_STRICT_EVENTS": "yes",
              "VOILA_PREHEAT": "True", "KYNANGSO_OTP_SEED": ""})
    assert (s.store, s.language, s.hash_iterations, s.strict_events, s.voila_preheat,
            s.otp_seed) == ("classroom/x.sqlite", "en", 1000, True, True, None)


@pytest.mark.parametrize("name, value", [("KYNANGSO_HASH_ITERATIONS", "many"),
                                         ("KYNANGSO_HASH_ITERATIONS", "0"),
                                         ("KYNANGSO_STRICT_EVENTS", "maybe")])
def test_a_bad_value_names_the_variable_and_the_value(name, value):
    with pytest.raises(SettingError) as err:
        load({name: value})
    assert err.value.variable == name and repr(value) in str(err.value)


def test_an_unknown_language_falls_back_to_vietnamese(caplog):
    assert load({"KYNANGSO_LANG": "fr"}).language == "vi"
    assert "KYNANGSO_LANG='fr'" in caplog.text


def test_the_hash_cost_setting_reaches_every_secret(monkeypatch):
    from kynangso.domain.hashing import hash_secret, verify_secret

    monkeypatch.setenv("KYNANGSO_HASH_ITERATIONS", "1000")
    stored = hash_secret("246813", iterations=100_000)
    assert stored.startswith("pbkdf2_sha256$1000$") and verify_secret("246813", stored)
