"""The curriculum index: what lessons, apps and exercises exist in this checkout."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _title(path: Path) -> str:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return path.stem
    title = nb.get("metadata", {}).get("kynangso", {}).get("title")
    if title:
        return title
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def index_markdown(root: Path = ROOT) -> str:
    """A Vietnamese Markdown list of the notebooks under each top-level folder."""
    sections = [("notebooks", "Bài học"), ("apps", "Ứng dụng mô phỏng"),
                ("exercises", "Bài tập")]
    out: list[str] = []
    for folder, heading in sections:
        paths = sorted(p for p in (root / folder).rglob("*.ipynb")
                       if ".ipynb_checkpoints" not in p.parts and p.name != "index.ipynb")
        out.append(f"## {heading}\n")
        if not paths:
            out.append("*Chưa có.*\n")
        for p in paths:
            rel = p.relative_to(root).as_posix()
            # Apps open as Voila pages (no code shown); lessons and exercises in the lab.
            link = f"/voila/render/{rel}" if folder == "apps" else f"/lab/tree/{rel}"
            out.append(f"- [{_title(p)}]({link})")
        out.append("")
    return "\n".join(out)
