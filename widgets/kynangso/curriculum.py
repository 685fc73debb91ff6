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


# The trainer's role, where a trainer looks first (README: "Giảng viên điều khiển lớp").
TRAINER_NOTE = """## Dành cho giảng viên

- Mở [Bảng điều khiển giảng viên](/voila/render/apps/trainer.ipynb?vai=trainer) và gõ
  **mã lớp**: `make apps` in mã này khi khởi động và lưu trong `classroom/ma-lop.txt`.
  Học viên không có mã này, nên không mở được quyền giảng viên.
- Tại đó: danh sách lớp và đường dẫn (kèm mã QR) riêng cho từng học viên, ghi nhận định
  danh mức 2, mở khóa ví, cho đồng hồ giả lập tiến lên, tạo hồ sơ mẫu cho cán bộ xử lý,
  xóa dữ liệu của một học viên hoặc làm mới cả lớp (có sao lưu).
- Mở cho cả lớp qua mạng LAN: `make apps HOST=0.0.0.0`, rồi đưa học viên địa chỉ được in ra.
"""


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
    out.append(TRAINER_NOTE)
    return "\n".join(out)
