"""What the back office shows when an official opens an attached scan.

A dossier keeps each file's name, size, source and SHA-256, not its bytes
(``domain/attachments.py``). A sample scan the lab drew is still on disk, so the official
sees that very image; for anything else (a resident's upload, a document attached by a
script) the preview is a drawn page that names the document and says it stands in for the
scan ("BẢN SCAN GIẢ LẬP"). Either way the preview carries a text alternative.
"""

from __future__ import annotations

import base64
import hashlib
import html
import textwrap
from dataclasses import dataclass

from ..i18n import _
from .attachments import SAMPLE, Attachment, SampleScan, human_size, sample_scans


@dataclass(frozen=True)
class ScanPreview:
    """An image for one attached document, and the words that describe it."""

    document: str  # the document's code
    title: str  # the document's name, in the current language
    mime: str
    content: bytes
    alt: str
    drawn_sample: bool  # True: the lab's sample scan itself; False: a stand-in page

    def data_url(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.content).decode('ascii')}"


def _sample(attachment: Attachment) -> SampleScan | None:
    """The lab's sample scan the attachment was made from, if its bytes are unchanged."""
    if attachment.source != SAMPLE:
        return None
    for scan in sample_scans():
        if scan.file == attachment.file_name:
            content = scan.path.read_bytes()
            # An edited sample (scripts/make_sample_scans.py run again) is not what was sent.
            if not attachment.sha256 or hashlib.sha256(content).hexdigest() == attachment.sha256:
                return scan
    return None


def scan_preview(attachment: Attachment, title: str) -> ScanPreview:
    """The preview of ``attachment``, attached for the document called ``title``."""
    scan = _sample(attachment)
    if scan is not None:
        alt = _("Bản scan giả lập của «{doc}»: {sample}, có dấu MẪU TẬP DƯỢT").format(
            doc=title, sample=scan.shown_title)
        return ScanPreview(attachment.document, title, "image/png", scan.path.read_bytes(),
                           alt, True)
    alt = _("Trang thay cho bản scan «{doc}»: phòng thực hành chỉ lưu tên tệp, không lưu nội "
            "dung").format(doc=title)
    return ScanPreview(attachment.document, title, "image/svg+xml",
                       placeholder_page(attachment, title).encode("utf-8"), alt, False)


def placeholder_page(attachment: Attachment, title: str) -> str:
    """An A-series page in SVG: the document's name, the file, "BẢN SCAN GIẢ LẬP"."""
    width, height = 420, 594  # A-paper proportions
    lines = textwrap.wrap(title, 30)[:4] or ["—"]
    file_name = attachment.file_name if attachment.file_name != attachment.document else ""
    details = []
    if file_name:
        details.append(_("Tệp: {name}").format(name=file_name))
    if attachment.size:
        details.append(_("Kích thước: {size}").format(size=human_size(attachment.size)))
    note = textwrap.wrap(_("Phòng thực hành chỉ lưu tên và kích thước tệp, không lưu nội dung "
                           "bản scan."), 44)

    def text(y: float, value: str, size: float, *, bold: bool = False,
             colour: str = "#1b1b1b") -> str:
        weight = ' font-weight="700"' if bold else ""
        return (f'<text x="{width / 2}" y="{y}" font-size="{size}"{weight} fill="{colour}" '
                f'text-anchor="middle">{html.escape(value)}</text>')

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Noto Sans, Arial, '
        'sans-serif">',
        f'<rect x="1" y="1" width="{width - 2}" height="{height - 2}" fill="#fbf8f1" '
        'stroke="#1b1b1b" stroke-width="2"/>',
        text(60, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), 14, bold=True),
        text(82, _("Độc lập - Tự do - Hạnh phúc"), 13),
    ]
    y = 150.0
    for line in lines:
        parts.append(text(y, line.upper(), 19, bold=True))
        y += 28
    for line in details:
        parts.append(text(y + 6, line, 13, colour="#444444"))
        y += 20
    for grey_line in range(6):
        top = y + 30 + grey_line * 24
        parts.append(f'<rect x="60" y="{top}" width="{width - 120}" height="6" rx="3" '
                     'fill="#d9d4c7"/>')
    middle = height * 0.72
    parts.append(f'<g transform="rotate(-24 {width / 2} {middle})">'
                 f'<rect x="{width / 2 - 150}" y="{middle - 30}" width="300" height="50" '
                 'fill="none" stroke="#b3261e" stroke-width="5"/>'
                 + text(middle + 5, _("BẢN SCAN GIẢ LẬP"), 26, bold=True, colour="#b3261e")
                 + "</g>")
    y = height - 24 - 18 * (len(note) - 1)
    for line in note:
        parts.append(text(y, line, 12, colour="#444444"))
        y += 18
    parts.append("</svg>")
    return "".join(parts)
