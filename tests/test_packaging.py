"""pyproject.toml is the single source of pins; environment.yml names the same packages."""

from __future__ import annotations

import re
import tomllib

import yaml

from helpers import ROOT


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(spec: str) -> tuple[str, str]:
    name, _, version = re.split(r"(==|=)", spec, maxsplit=1)
    return _norm(name.strip()), version.strip()


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs += extra
    return dict(_split(s) for s in specs)


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    specs: list[str] = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            specs += dep["pip"]
        elif not dep.startswith(("python=", "pip")):
            specs.append(dep)
    return dict(_split(s) for s in specs)


def test_every_dependency_is_pinned():
    assert all(_pyproject().values())


def test_environment_names_the_same_packages_as_pyproject():
    assert set(_environment()) == set(_pyproject())


def test_environment_pins_the_same_versions():
    pins = _pyproject()
    assert {n: v for n, v in _environment().items() if pins[n] != v} == {}


def test_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make start" in readme and "make test" in readme


def test_ci_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
