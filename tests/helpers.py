"""Constants and small helpers shared by test modules (import as `helpers`).

The widget helpers walk a screen's widget tree the way a trainee reads it: ``text`` is what
the HTML widgets say, ``button``/``click`` find a button by the words on it.
"""

from __future__ import annotations

import html
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- widget trees -----------------------------------------------------------------------------


def widgets(root: Any) -> Iterator[Any]:
    """``root`` and every widget under it (containers, tabs, accordions), depth first."""
    yield root
    for child in getattr(root, "children", ()):
        yield from widgets(child)


def page_html(root: Any) -> str:
    """The HTML of every HTML widget under ``root``, joined."""
    import ipywidgets as W

    return " ".join(w.value for w in widgets(root) if isinstance(w, W.HTML))


def plain(markup: str) -> str:
    """HTML as a reader sees it: styles and tags gone, entities undone, spaces collapsed."""
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", markup, flags=re.S)
    return " ".join(html.unescape(text).replace("\u00a0", " ").split())


def text(root: Any) -> str:
    """What the HTML widgets under ``root`` say, as plain text."""
    return plain(page_html(root))


def buttons(root: Any) -> list[Any]:
    import ipywidgets as W

    return [w for w in widgets(root) if isinstance(w, W.Button)]


def button(root: Any, label: str) -> Any:
    """The first button under ``root`` labelled ``label`` (or ``label (...)``, a count)."""
    found = [b for b in buttons(root)
             if b.description == label or b.description.startswith(label + " (")]
    assert found, f"no button {label!r}; have {button_labels(root)}"
    return found[0]


def click(root: Any, label: str) -> None:
    button(root, label).click()


def button_labels(root: Any) -> list[str]:
    return [b.description for b in buttons(root)]


def scams_error(edit) -> Any:
    """The DataFileError parse_scams raises for the shipped scams.yaml after ``edit``."""
    import copy

    import pytest
    import yaml

    from kynangso.domain.datafiles import DATA_DIR
    from kynangso.domain.scams import parse_scams
    from kynangso.errors import DataFileError

    data = copy.deepcopy(yaml.safe_load((DATA_DIR / "scams.yaml").read_text(encoding="utf-8")))
    edit(data)
    with pytest.raises(DataFileError) as info:
        parse_scams(data, "scams.yaml")
    return info.value
