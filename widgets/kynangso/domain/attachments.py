"""Files attached to a dossier: which uploads are accepted, sample scans, what is missing.

Choices of this project, not law: uploads are limited to PDF/JPG/PNG under
``MAX_UPLOAD_BYTES`` (the real portal's limit is unverified), and the content must match
the extension. A dossier keeps only the name, size, source and SHA-256 of each file
(``form[FILES_KEY]``), not its bytes. Sample scans are synthetic images listed in
``data/sample_scans/index.yaml`` (made by scripts/make_sample_scans.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from ..i18n import _, in_language, nfc
from .catalogue import Document, Procedure
from .datafiles import DATA_DIR, invalid, load_yaml, require, wording
from .identity import field_label

SAMPLE_DIR = DATA_DIR / "sample_scans"
SAMPLE_INDEX = "sample_scans/index.yaml"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Extension -> (name shown, magic bytes the content must start with).
ACCEPTED: Mapping[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("PDF", (b"%PDF-",)),
    ".jpg": ("JPG", (b"\xff\xd8\xff",)),
    ".jpeg": ("JPG", (b"\xff\xd8\xff",)),
    ".png": ("PNG", (b"\x89PNG\r\n\x1a\n",)),
}
FILES_KEY = "tep_dinh_kem"  # where a dossier's form keeps its attachments
UPLOAD = "tai-len"
SAMPLE = "mau"


@dataclass(frozen=True)
class Attachment:
    """A file attached for one document: what grading and the back office can see."""

    document: str
    file_name: str
    size: int
    source: str  # SAMPLE (a sample scan) or UPLOAD
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {"ten_tep": self.file_name, "kich_thuoc": self.size, "nguon": self.source,
                "sha256": self.sha256}

    @classmethod
    def from_dict(cls, document: str, data: Mapping[str, Any]) -> Attachment:
        return cls(document, str(data.get("ten_tep", "")), int(data.get("kich_thuoc", 0)),
                   str(data.get("nguon", "")), str(data.get("sha256", "")))

    def describe(self) -> str:
        source = _("bản mẫu") if self.source == SAMPLE else _("tệp tải lên")
        return f"{self.file_name} ({human_size(self.size)}, {source})"


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def check_upload(document: Document, file_name: object, content: bytes) -> Attachment:
    """Accept a PDF/JPG/PNG under the size limit whose content matches its extension."""
    name = nfc(str(file_name or "")).strip()
    label, doc = field_label("giay_to"), document.shown_name
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED:
        raise InvalidInput(_("{label} — «{doc}»: chỉ nhận tệp PDF, JPG hoặc PNG (tên tệp kết "
                             "thúc bằng .pdf, .jpg, .jpeg hoặc .png); hãy chọn tệp khác").format(
                                 label=label, doc=doc),
                           field="giay_to", value=name)
    if not content:
        raise InvalidInput(_("{label} — «{doc}»: tệp đã chọn rỗng (0 byte), hãy chụp hoặc "
                             "quét lại").format(label=label, doc=doc),
                           field="giay_to", value=name)
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput(_("{label} — «{doc}»: tệp phải nhỏ hơn {limit}, tệp đã chọn nặng "
                             "{size}; hãy chụp lại với độ phân giải thấp hơn").format(
                                 label=label, doc=doc,
                                 limit=human_size(MAX_UPLOAD_BYTES),
                                 size=human_size(len(content))),
                           field="giay_to", value=name)
    kind, magic = ACCEPTED[suffix]
    if not content.startswith(magic):
        raise InvalidInput(_("{label} — «{doc}»: nội dung tệp đã chọn không phải {kind} thật "
                             "(đuôi tệp không khớp nội dung); hãy lưu lại tệp đúng định dạng")
                           .format(label=label, doc=doc, kind=kind),
                           field="giay_to", value=name)
    return Attachment(document.code, name, len(content), UPLOAD,
                      hashlib.sha256(content).hexdigest())


def missing_documents(procedure: Procedure, attached: Mapping[str, Any]) -> tuple[Document, ...]:
    """Required documents of ``procedure`` with no entry in ``attached`` (keyed by code)."""
    return tuple(d for d in procedure.required_documents if d.code not in attached)


def missing_message(missing: tuple[Document, ...]) -> str:
    """Why a dossier cannot go in yet: the missing documents by name."""
    return _("{label}: chưa nộp được vì còn thiếu {names}").format(
        label=field_label("giay_to"), names="; ".join(d.shown_name for d in missing))


def attachments_of(form: Mapping[str, Any], documents: tuple[str, ...] | list[str] = ()
                   ) -> dict[str, Attachment]:
    """The files a dossier's form records; a document attached without file details (e.g.
    by a script) gets an empty entry so it still counts as attached."""
    files = form.get(FILES_KEY) or {}
    found = {code: Attachment.from_dict(code, data) for code, data in files.items()}
    for code in documents:
        found.setdefault(code, Attachment(code, code, 0, "", ""))
    return found


# --- sample scans -------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleScan:
    file: str
    title: str  # Vietnamese; ``shown_title`` for the portal's picker
    documents: tuple[str, ...]
    fallback: bool
    title_en: str = ""

    @property
    def shown_title(self) -> str:
        return in_language(self.title, self.title_en)

    @property
    def path(self) -> Path:
        return SAMPLE_DIR / self.file


@cache
def sample_scans() -> tuple[SampleScan, ...]:
    """The synthetic scans of ``data/sample_scans/index.yaml`` (scripts/make_sample_scans.py)."""
    data = load_yaml(SAMPLE_INDEX)
    items = require(data, "samples", file=SAMPLE_INDEX, entry="(tệp)", kind=list)
    found = []
    for index, item in enumerate(items, start=1):
        entry = f"samples[{index}]"
        name = require(item, "file", file=SAMPLE_INDEX, entry=entry, kind=str)
        title, title_en = wording(item.get("title"), file=SAMPLE_INDEX, entry=name,
                                  field="title")
        scan = SampleScan(name, title, tuple(item.get("documents") or ()),
                          bool(item.get("fallback")), title_en)
        if not scan.path.is_file():
            raise invalid(SAMPLE_INDEX, name, "file", name,
                          _("không có tệp ảnh này; chạy lại scripts/make_sample_scans.py"))
        found.append(scan)
    return tuple(found)


def samples_for(document: str) -> tuple[SampleScan, ...]:
    """Samples that may stand in for ``document``; the generic one when none fits."""
    scans = sample_scans()
    fitting = tuple(s for s in scans if document in s.documents)
    return fitting or tuple(s for s in scans if s.fallback)


def sample_attachment(document: str, scan: SampleScan) -> Attachment:
    content = scan.path.read_bytes()
    return Attachment(document, scan.file, len(content), SAMPLE,
                      hashlib.sha256(content).hexdigest())


def attach_sample(document: Document, file: str) -> Attachment:
    """The sample scan ``file`` attached for ``document``; it must be one offered for it."""
    scan = next((s for s in samples_for(document.code) if s.file == file), None)
    if scan is None:
        raise InvalidInput(_("{label} — «{doc}»: chưa chọn bản chụp mẫu; hãy chọn một bản "
                             "trong danh sách").format(label=field_label("giay_to"),
                                                       doc=document.shown_name),
                           field="giay_to", value=file)
    return sample_attachment(document.code, scan)
