"""pyproject.toml is the single source of pins; environment.yml names the same packages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

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


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def test_page_script_pins_the_widget_packages_the_python_ipywidgets_speaks():
    # The apps' page script bundles ipywidgets' JavaScript itself (frontend/); after an
    # ipywidgets upgrade it must move to the versions JupyterLab's widget manager wants.
    import json
    import sys

    pinned = json.loads((ROOT / "frontend" / "package.json").read_text())["dependencies"]
    lab = Path(sys.prefix, "share/jupyter/labextensions/@jupyter-widgets/jupyterlab-manager")
    wanted = json.loads((lab / "package.json").read_text())["dependencies"]
    for name in ("@jupyter-widgets/base", "@jupyter-widgets/base-manager",
                 "@jupyter-widgets/controls"):
        assert wanted[name].startswith("^"), wanted[name]
        low, have = _version(wanted[name][1:]), _version(pinned[name])
        assert have[0] == low[0] and have >= low, f"{name} {pinned[name]} vs {wanted[name]}"


def test_page_script_lockfile_matches_its_package_file():
    import json

    package = json.loads((ROOT / "frontend" / "package.json").read_text())
    lock = json.loads((ROOT / "frontend" / "package-lock.json").read_text())
    root = lock["packages"][""]
    assert root["dependencies"] == package["dependencies"]
    assert root["devDependencies"] == package["devDependencies"]


def test_pre_commit_runs_local_hooks_only():
    """Nothing is fetched from a hook repository: every hook is a tool of the venv."""
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert {"ruff", "mypy"} <= set(hooks)
    assert all(h["language"] == "system" and h["entry"].startswith(".venv/bin/")
               for h in hooks.values())


def test_make_lint_runs_ruff_and_mypy():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "ruff check" in lint and "mypy" in lint
