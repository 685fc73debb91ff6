"""Cổng Dịch vụ công (public-service portal) simulator, citizen side, in a phone frame.

A resident (or a volunteer rehearsing with one) finds a procedure, reads what it needs, costs
and takes, fills its form field by field, attaches documents (an upload or a sample scan),
submits, pays the fee with a practice VietQR code, follows the dossier ("Hồ sơ của tôi"),
rates the service and sends feedback. Rules come from the domain and sandbox layers; this
module only shows them and logs each meaningful step (``portal.*`` events) for grading.

Choices of this project, not law: uploads are limited to PDF/JPG/PNG under
``MAX_UPLOAD_BYTES`` (the real portal's limit is unverified); the fee is paid to the ward's
practice collection account at the training bank; a dossier keeps only the name, size and
SHA-256 of each attached file (``form["tep_dinh_kem"]``), not its bytes.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import ipywidgets as W

from ..domain.catalogue import (
    Document,
    Procedure,
    channel_name,
    delivery_name,
    format_vnd,
    unverified_label,
)
from ..domain.datafiles import DATA_DIR, invalid, load_yaml, require
from ..domain.dossier import Dossier, State
from ..domain.identity import (
    FIELD_LABELS,
    N_,
    field_label,
    format_date,
    normalize_address,
    normalize_name,
    normalize_phone,
    parse_date,
    parse_gender,
    required,
    validate_cccd,
)
from ..domain.vietqr import VietQR, encode
from ..errors import InvalidInput, KnsError
from ..i18n import _, nfc
from ..sandbox import fees, world
from ..sandbox.feedback import RATING_LABELS
from .base import Screen, esc
from .session import open_box

CHANNEL = "cong-dvc"
SAMPLE_DIR = DATA_DIR / "sample_scans"
SAMPLE_INDEX = "sample_scans/index.yaml"
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_TEXT = 200
MAX_COUNT = 999
# Extension -> (name shown, magic bytes the content must start with).
ACCEPTED: Mapping[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("PDF", (b"%PDF-",)),
    ".jpg": ("JPG", (b"\xff\xd8\xff",)),
    ".jpeg": ("JPG", (b"\xff\xd8\xff",)),
    ".png": ("PNG", (b"\x89PNG\r\n\x1a\n",)),
}
ACCEPT_ATTR = ",".join(ACCEPTED)
# The ward's practice collection account; the wallet app credits it when a fee is paid.
COLLECTION_OWNER = fees.COLLECTOR
COLLECTION_APP = "ngan-hang"
PAYABLE_STATES = frozenset(State) - {State.REJECTED, State.WITHDRAWN}
FILES_KEY = "tep_dinh_kem"

SERVICE_LEVEL_NAMES = {
    "toan-trinh": N_("Toàn trình (nộp và nhận kết quả trực tuyến hoặc qua bưu chính)"),
    "mot-phan": N_("Một phần (có bước phải đến Trung tâm)"),
}

CSS = """<style>
.kns-app-portal .kns-field { flex-wrap: wrap; height: auto !important; }
.kns-app-portal .kns-field > .widget-label { width: 100% !important; max-width: 100%;
  white-space: normal; margin-bottom: 2px; font-weight: 600; text-align: left; height: auto;
  line-height: 1.3; }
.kns-app-portal .widget-html-content { line-height: 1.45; }
.kns-app-portal .kns-field > input, .kns-app-portal .kns-field > select,
.kns-app-portal .kns-field > textarea { flex: 1 1 100%; min-width: 0; }
.kns-app-portal .kns-field > select { min-height: 34px; }
.kns-app-portal .kns-field > textarea { min-height: 90px; }
.kns-app-portal .kns-wrap.widget-button { white-space: normal; height: auto; min-height: 44px;
  line-height: 1.3; padding: 6px 10px; overflow: visible; }
.kns-app-portal .kns-result.widget-button { text-align: left; }
.kns-app-portal .kns-field-error { color: #b3261e; font-size: .92em; margin: 0 0 6px 0; }
.kns-app-portal .kns-code { font-size: 1.45em; font-weight: 800; color: var(--kns-accent);
  word-break: break-all; }
.kns-app-portal .kns-qr img { width: 100%; height: auto; display: block; }
.kns-app-portal .kns-payload { font-family: "DejaVu Sans Mono", monospace; font-size: .78em;
  word-break: break-all; white-space: pre-wrap; user-select: all; background: #f2f2f2;
  padding: 6px; border-radius: 4px; }
.kns-app-portal a.kns-link-button { display: inline-block; background: #0b5394;
  color: #ffffff; padding: 10px 14px; border-radius: 6px; text-decoration: none;
  font-weight: 600; margin: 6px 0; }
.kns-app-portal .kns-state { display: inline-block; padding: 1px 8px; border-radius: 10px;
  background: #e8f0fe; color: #0b2a4a; font-weight: 600; }
.kns-app-portal .kns-ok { color: #137333; font-weight: 600; }
.kns-app-portal .kns-missing { color: #b3261e; font-weight: 600; }
.kns-app-portal .kns-step { font-weight: 700; margin: 4px 0; }
.kns-app-portal pre.kns-slip { white-space: pre-wrap; font-family: inherit;
  background: #fff8e1; border: 1px dashed #9a5b00; padding: 8px; }
.kns-app-portal .kns-card ul { margin: 2px 0 2px 18px; padding: 0; }
.kns-app-portal .kns-nav .widget-button { flex: 1 1 auto; }
.kns-app-portal .widget-hbox { gap: 4px; }
.kns-app-portal .kns-pledge, .kns-app-portal .kns-pledge label { height: auto; }
.kns-app-portal .kns-pledge label { align-items: flex-start; line-height: 1.35; }
.kns-app-portal .kns-pledge span { white-space: normal; overflow: visible; font-weight: 600; }
.kns-contrast .kns-payload, .kns-contrast pre.kns-slip { background: #222222; color: #ffffff; }
.kns-contrast .kns-state { background: #333333; color: #ffd400; }
.kns-contrast .kns-field-error, .kns-contrast .kns-missing { color: #ff8a80; }
.kns-contrast .kns-ok { color: #8ef0a6; }
</style>"""


# --- values ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    """One box of a procedure's form; ``kind`` picks the domain check that applies."""

    key: str
    label: str  # Vietnamese source text, translated where it is shown
    kind: str  # name cccd date gender phone address text count delivery group
    required: bool = True
    placeholder: str = ""

    @property
    def shown_label(self) -> str:
        return _(self.label)


def form_value_label(procedure: Procedure, key: str, value: Any) -> str:
    """A form value as the resident chose it: the label, not the stored code."""
    try:
        if key == "gioi_tinh":
            return parse_gender(value).label
        if key == "nhan_ket_qua":
            return delivery_name(value)
        if key == "doi_tuong":
            return procedure.groups.get(value, str(value))
    except KnsError:  # a value stored by something else than the form: show it as is
        pass
    return str(value)


@dataclass(frozen=True)
class Attachment:
    """A file attached for one document: what grading and the back office can see."""

    document: str
    file_name: str
    size: int
    source: str  # "mau" (a sample scan) or "tai-len" (an upload)
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {"ten_tep": self.file_name, "kich_thuoc": self.size, "nguon": self.source,
                "sha256": self.sha256}

    @classmethod
    def from_dict(cls, document: str, data: Mapping[str, Any]) -> Attachment:
        return cls(document, str(data.get("ten_tep", "")), int(data.get("kich_thuoc", 0)),
                   str(data.get("nguon", "")), str(data.get("sha256", "")))

    def describe(self) -> str:
        source = _("bản mẫu") if self.source == "mau" else _("tệp tải lên")
        return f"{self.file_name} ({human_size(self.size)}, {source})"


@dataclass(frozen=True)
class Draft:
    """What the resident has typed and attached so far (nothing is saved until submitted)."""

    procedure_code: str
    values: Mapping[str, str] = field(default_factory=dict)
    attachments: Mapping[str, Attachment] = field(default_factory=dict)
    clean: Mapping[str, Any] = field(default_factory=dict)  # values after the checks

    __hash__ = None  # dict fields: compare drafts, do not hash them


@dataclass(frozen=True)
class SampleScan:
    file: str
    title: str
    documents: tuple[str, ...]
    fallback: bool

    @property
    def path(self) -> Path:
        return SAMPLE_DIR / self.file


# --- sample scans -------------------------------------------------------------------------


@cache
def sample_scans() -> tuple[SampleScan, ...]:
    """The synthetic scans of ``data/sample_scans/index.yaml`` (scripts/make_sample_scans.py)."""
    data = load_yaml(SAMPLE_INDEX)
    items = require(data, "samples", file=SAMPLE_INDEX, entry="(tệp)", kind=list)
    found = []
    for index, item in enumerate(items, start=1):
        entry = f"samples[{index}]"
        name = require(item, "file", file=SAMPLE_INDEX, entry=entry, kind=str)
        scan = SampleScan(name, require(item, "title", file=SAMPLE_INDEX, entry=name, kind=str),
                          tuple(item.get("documents") or ()), bool(item.get("fallback")))
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
    return Attachment(document, scan.file, len(content), "mau",
                      hashlib.sha256(content).hexdigest())


# --- checks (pure, so tests need no widgets) -----------------------------------------------


def muted(text: str) -> str:
    return f'<div class="kns-muted">{esc(text)}</div>'


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")


def check_upload(document: Document, file_name: object, content: bytes) -> Attachment:
    """Accept a PDF/JPG/PNG under the size limit whose content matches its extension."""
    name = nfc(str(file_name or "")).strip()
    label = field_label("giay_to")
    suffix = Path(name).suffix.lower()
    if suffix not in ACCEPTED:
        raise InvalidInput(_("{label} — «{doc}»: chỉ nhận tệp PDF, JPG hoặc PNG, nhận được "
                             "tệp {value!r}").format(label=label, doc=document.name, value=name),
                           field="giay_to", value=name)
    if not content:
        raise InvalidInput(_("{label} — «{doc}»: tệp rỗng (0 byte), hãy chụp hoặc quét lại; "
                             "nhận được {value!r}").format(label=label, doc=document.name,
                                                           value=name),
                           field="giay_to", value=name)
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput(_("{label} — «{doc}»: tệp phải nhỏ hơn {limit}, nhận được {value!r} "
                             "({size}); hãy chụp lại với độ phân giải thấp hơn").format(
                                 label=label, doc=document.name,
                                 limit=human_size(MAX_UPLOAD_BYTES), value=name,
                                 size=human_size(len(content))),
                           field="giay_to", value=name)
    kind, magic = ACCEPTED[suffix]
    if not content.startswith(magic):
        raise InvalidInput(_("{label} — «{doc}»: nội dung tệp {value!r} không phải {kind} thật "
                             "(đuôi tệp không khớp nội dung); hãy lưu lại tệp đúng định dạng")
                           .format(label=label, doc=document.name, value=name, kind=kind),
                           field="giay_to", value=name)
    return Attachment(document.code, name, len(content), "tai-len",
                      hashlib.sha256(content).hexdigest())


COMMON_FIELDS = (
    FormField("ho_ten", FIELD_LABELS["ho_ten"], "name", placeholder="Nguyễn Văn A"),
    FormField("cccd", FIELD_LABELS["cccd"], "cccd", placeholder=N_("12 chữ số")),
    FormField("ngay_sinh", FIELD_LABELS["ngay_sinh"], "date", placeholder="dd/mm/yyyy"),
    FormField("gioi_tinh", FIELD_LABELS["gioi_tinh"], "gender"),
    FormField("so_dien_thoai", FIELD_LABELS["so_dien_thoai"], "phone",
              placeholder="09xx xxx xxx"),
    FormField("dia_chi", N_("Địa chỉ nơi ở hiện tại"), "address"),
)
APPLICANT_KEYS = tuple(f.key for f in COMMON_FIELDS)

# Boxes that only some procedures' forms have.
EXTRA_FIELDS: Mapping[str, tuple[FormField, ...]] = {
    "khai-sinh": (FormField("ho_ten_tre", N_("Họ và tên của trẻ"), "name"),
                  FormField("ngay_sinh_tre", N_("Ngày sinh của trẻ"), "date",
                            placeholder="dd/mm/yyyy"),
                  FormField("noi_sinh", N_("Nơi sinh của trẻ"), "address")),
    "khai-tu": (FormField("ho_ten_nguoi_mat", N_("Họ và tên người đã mất"), "name"),
                FormField("ngay_mat", N_("Ngày mất"), "date", placeholder="dd/mm/yyyy")),
    "ket-hon": (FormField("ho_ten_ben_kia", N_("Họ và tên người kết hôn cùng"), "name"),),
    "chung-thuc-ban-sao": (FormField("ten_giay_to", N_("Tên giấy tờ cần chứng thực"), "text",
                                     placeholder=N_("ví dụ: Bằng tốt nghiệp THPT")),),
    "thuong-tru": (FormField("dia_chi_cu_tru", N_("Địa chỉ đăng ký thường trú"), "address"),),
    "tam-tru": (FormField("dia_chi_cu_tru", N_("Địa chỉ đăng ký tạm trú"), "address"),),
    "dang-ky-thue-hkd": (FormField("ten_ho_kinh_doanh", N_("Tên hộ kinh doanh"), "text"),),
}


def form_fields(procedure: Procedure) -> tuple[FormField, ...]:
    """The boxes of ``procedure``'s form: the applicant, its own boxes, then what the fee
    depends on (pages, copies, reduced-fee group) and how to receive the result."""
    fields = [*COMMON_FIELDS, *EXTRA_FIELDS.get(procedure.code, ())]
    fee = procedure.fee
    if fee.kind == "per_page":
        fields.append(FormField("so_trang", N_("Số trang của bản chính"), "count",
                                placeholder=N_("ví dụ: 2")))
    if fee.kind == "per_page" or fee.extra_copy_amount is not None:
        fields.append(FormField("so_ban", N_("Số bản cần cấp"), "count",
                                placeholder=N_("ví dụ: 1")))
    if fee.reduced_groups:
        fields.append(FormField("doi_tuong", N_("Đối tượng được giảm lệ phí"), "group",
                                required=False))
    fields.append(FormField("nhan_ket_qua", N_("Hình thức nhận kết quả"), "delivery"))
    return tuple(fields)


def _relabel(error: InvalidInput, spec: FormField) -> InvalidInput:
    # Domain checks name fields by FIELD_LABELS; a procedure's own boxes need their label.
    if spec.key in FIELD_LABELS:
        return error
    return InvalidInput(error.message.replace(spec.key, spec.shown_label, 1),
                        field=spec.key, value=error.value)


def _check_one(spec: FormField, raw: str, procedure: Procedure, today: date) -> Any:
    kind = spec.kind
    if kind == "name":
        return normalize_name(raw, spec.key)
    if kind == "cccd":
        return validate_cccd(raw).number
    if kind == "date":
        return format_date(parse_date(raw, field=spec.key, today=today))
    if kind == "gender":
        return parse_gender(raw).value
    if kind == "phone":
        return normalize_phone(raw)
    if kind == "address":
        return normalize_address(raw, spec.key)
    if kind == "text":
        text = required(raw, spec.key)
        if len(text) > MAX_TEXT:
            raise InvalidInput(_("{label} dài tối đa {limit} ký tự, nhận được {count} ký tự")
                               .format(label=spec.key, limit=MAX_TEXT, count=len(text)),
                               field=spec.key, value=text)
        return text
    if kind == "count":
        text = required(raw, spec.key)
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_COUNT:
            raise InvalidInput(_("{label} phải là số nguyên từ 1 đến {limit}, nhận được "
                                 "{value!r}").format(label=spec.key, limit=MAX_COUNT,
                                                     value=raw),
                               field=spec.key, value=raw)
        return int(text)
    if kind == "delivery":
        if raw not in procedure.delivery:
            allowed = ", ".join(delivery_name(d) for d in procedure.delivery)
            raise InvalidInput(_("Chưa chọn {label}: chọn một trong {allowed}").format(
                label=spec.key, allowed=allowed), field=spec.key, value=raw)
        return raw
    if kind == "group":
        if raw and raw not in procedure.fee.reduced_groups:
            raise InvalidInput(_("{label} phải là một trong {allowed}, nhận được {value!r}")
                               .format(label=spec.key, value=raw, allowed=", ".join(
                                   procedure.groups[g] for g in procedure.fee.reduced_groups)),
                               field=spec.key, value=raw)
        return raw or None
    raise ValueError(f"unknown form field kind {kind!r}")


def validate_form(procedure: Procedure, values: Mapping[str, str], *, today: date
                  ) -> tuple[dict[str, Any], dict[str, str]]:
    """Check every box; returns (clean values, Vietnamese error per field key)."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for spec in form_fields(procedure):
        raw = values.get(spec.key, "") or ""
        if not spec.required and not raw.strip():
            clean[spec.key] = None
            continue
        try:
            clean[spec.key] = _check_one(spec, raw, procedure, today)
        except InvalidInput as error:
            errors[spec.key] = _relabel(error, spec).message
    if not {"cccd", "ngay_sinh", "gioi_tinh"} & errors.keys():
        # The 4th-6th digits of the number encode gender, century and birth year.
        try:
            validate_cccd(clean["cccd"], birth_date=parse_date(clean["ngay_sinh"], today=today),
                          gender=clean["gioi_tinh"])
        except InvalidInput as error:
            errors["cccd"] = error.message
    return clean, errors


def missing_documents(procedure: Procedure, attached: Mapping[str, Any]) -> tuple[Document, ...]:
    return tuple(d for d in procedure.required_documents if d.code not in attached)


def fee_text(procedure: Procedure) -> str:
    """The fee rule in one line; an unknown fee reads "chưa kiểm chứng", never a figure."""
    if procedure.fee.kind == "unverified":
        return unverified_label()
    return procedure.fee.describe()


def time_text(procedure: Procedure) -> str:
    if procedure.time.kind == "unverified":
        return unverified_label()
    return procedure.time.describe()


def quote_for(procedure: Procedure, clean: Mapping[str, Any]):
    return procedure.quote_fee(channel=CHANNEL, pages=clean.get("so_trang") or 1,
                               copies=clean.get("so_ban") or 1,
                               group=clean.get("doi_tuong") or None)


# --- fee payment ----------------------------------------------------------------------------


def collection_account(box: Any) -> str:
    """The ward's fee account number (see sandbox/fees.py)."""
    return fees.collection_account(box).number


collection_name = fees.collection_name


def fee_qr(dossier: Dossier, account: str) -> VietQR:
    return fees.fee_qr(dossier, account)


def wallet_link(actor: str, code: str) -> str:
    """Relative link to the wallet app (same Voila server) for the same person and dossier."""
    return "wallet.ipynb?" + urlencode({"nguoi": actor, "ma": code})


# --- the screen ----------------------------------------------------------------------------


class PortalScreen(Screen):
    """Cổng Dịch vụ công on a resident's phone."""

    title = "Cổng Dịch vụ công (mô phỏng)"
    frame = "phone"
    screen_id = "portal"

    def __init__(self, box: Any):
        self.view = "search"
        self.query = ""
        self.procedure_code: str | None = None
        self.draft: Draft | None = None
        self.form_errors: dict[str, str] = {}
        self.doc_errors: dict[str, str] = {}
        self.current: str | None = None  # dossier shown in "done" / "dossier"
        self.supplement: dict[str, dict[str, Attachment]] = {}
        self.inputs: dict[str, W.Widget] = {}
        super().__init__(box)

    # -- plumbing ----------------------------------------------------------------------

    @property
    def catalogue(self):
        return self.box.dossiers.catalogue

    def procedure(self) -> Procedure:
        assert self.procedure_code is not None
        return self.catalogue[self.procedure_code]

    def render(self) -> None:
        self._capture()
        self._draw()

    def go(self, view: str) -> None:
        self._capture()
        self.clear()
        self.view = view
        self._draw()

    def _draw(self) -> None:
        views: dict[str, Callable[[], list[W.Widget]]] = {
            "search": self._view_search, "procedure": self._view_procedure,
            "form": self._view_form, "documents": self._view_documents,
            "confirm": self._view_confirm, "done": self._view_done,
            "mine": self._view_mine, "dossier": self._view_dossier,
            "feedback": self._view_feedback,
        }
        self.inputs = {}
        children = views[self.view]()
        self.show(W.HTML(CSS), self._nav(), *children)

    def _nav(self) -> W.Widget:
        current = {"search": "search", "procedure": "search", "form": "search",
                   "documents": "search", "confirm": "search", "done": "mine",
                   "mine": "mine", "dossier": "mine", "feedback": "feedback"}[self.view]
        items = [("search", _("Tìm thủ tục"), self._open_search),
                 ("mine", _("Hồ sơ của tôi"), lambda: self.go("mine")),
                 ("feedback", _("Phản ánh, kiến nghị"), lambda: self.go("feedback"))]
        buttons = [self.button(label, action, style="primary" if key == current else "")
                   for key, label, action in items]
        for b in buttons:
            b.add_class("kns-wrap")
        nav = W.HBox(buttons, layout=W.Layout(flex_flow="row wrap"))
        nav.add_class("kns-nav")
        return nav

    def _field(self, widget: W.Widget) -> W.Widget:
        widget.add_class("kns-field")
        widget.style.description_width = "initial"
        return widget

    def _text_input(self, label: str, value: str = "", placeholder: str = "") -> W.Text:
        return self._field(W.Text(value=value, description=label, placeholder=placeholder,
                                  layout=W.Layout(width="auto")))

    def _capture(self) -> None:
        """Keep what is typed in the form when the view is rebuilt (e.g. language switch)."""
        if self.view == "form" and self.draft is not None and self.inputs:
            values = dict(self.draft.values)
            for key, widget in self.inputs.items():
                values[key] = widget.value if widget.value is not None else ""
            self.draft = replace(self.draft, values=values)

    @staticmethod
    def _card(*parts: str) -> str:
        return '<div class="kns-card">' + "".join(parts) + "</div>"

    @staticmethod
    def _line(label: str, value: str) -> str:
        return f"<div><b>{esc(label)}:</b> {esc(value)}</div>"

    def _back(self, label: str, view: str) -> W.Button:
        button = self.button(label, lambda: self.go(view))
        button.add_class("kns-wrap")
        return button

    # -- 1. search and procedure -----------------------------------------------------------

    def _open_search(self) -> None:
        self.go("search")

    def _view_search(self) -> list[W.Widget]:
        self.search_box = self._text_input(_("Tên thủ tục cần tìm"), self.query,
                                           _("ví dụ: khai sinh, chứng thực, tạm trú"))
        self.search_box.continuous_update = False
        self.search_button = self.button(_("Tìm kiếm"), self.search, style="primary")
        found = self.catalogue.search(self.query)
        if self.query.strip():
            count = _("Tìm thấy {n} thủ tục cho «{query}»").format(n=len(found), query=self.query)
        else:
            count = _("Tất cả {n} thủ tục (gõ tên để tìm nhanh, có dấu hay không dấu đều "
                      "được)").format(n=len(found))
        self.result_buttons = []
        for proc in found:
            b = self.button(f"{proc.name} — {proc.field}",
                            lambda code=proc.code: self.open_procedure(code), width="auto")
            b.add_class("kns-wrap")
            b.add_class("kns-result")
            self.result_buttons.append(b)
        return [self.search_box, self.search_button,
                self.html(f'<div class="kns-muted">{esc(count)}</div>'), *self.result_buttons]

    def search(self) -> None:
        self.query = nfc(self.search_box.value).strip()
        found = self.catalogue.search(self.query)
        self.box.record("portal.search", None, query=self.query,
                        results=[p.code for p in found])
        self.go("search")
        if not found:
            self.info(_("Không tìm thấy thủ tục nào khớp với «{query}». Thử từ khác, ví dụ "
                        "«khai sinh» hoặc «tạm trú».").format(query=self.query))

    def open_procedure(self, code: str) -> None:
        self.procedure_code = self.catalogue[code].code
        self.box.record("portal.procedure_viewed", code)
        self.go("procedure")

    def _procedure_card(self, proc: Procedure) -> str:
        def docs(items: Sequence[Document]) -> str:
            return "<ul>" + "".join(f"<li>{esc(d.name)}</li>" for d in items) + "</ul>"

        parts = [f"<h3>{esc(proc.name)}</h3>",
                 self._line(_("Lĩnh vực"), proc.field),
                 self._line(_("Mức độ dịch vụ công trực tuyến"),
                            _(SERVICE_LEVEL_NAMES.get(proc.service_level, proc.service_level))),
                 self._line(_("Nơi nộp"), ", ".join(channel_name(c) for c in proc.channels))]
        if "vneid" in proc.channels and proc.vneid_level:
            parts.append(self._line(_("Tài khoản VNeID"), _(
                "nộp trên VNeID cần tài khoản định danh điện tử mức {n}").format(
                    n=proc.vneid_level)))
        parts.append(f"<div><b>{esc(_('Giấy tờ bắt buộc'))}:</b>"
                     f"{docs(proc.required_documents)}</div>")
        if proc.optional_documents:
            parts.append(f"<div><b>{esc(_('Giấy tờ nộp thêm khi cần'))}:</b>"
                         f"{docs(proc.optional_documents)}</div>")
        parts += [self._line(_("Lệ phí"), fee_text(proc)),
                  self._line(_("Thời hạn giải quyết"), time_text(proc)),
                  self._line(_("Nhận kết quả"), ", ".join(delivery_name(d)
                                                           for d in proc.delivery))]
        if proc.notes:
            parts.append(self._line(_("Lưu ý"), proc.notes))
        parts.append(f'<div class="kns-muted">{esc(_("Nguồn lệ phí"))}: {esc(proc.fee.source)}'
                     f"<br>{esc(_('Nguồn thời hạn'))}: {esc(proc.time.source)}</div>")
        return self._card(*parts)

    def _view_procedure(self) -> list[W.Widget]:
        proc = self.procedure()
        children: list[W.Widget] = [self.html(self._procedure_card(proc))]
        if CHANNEL in proc.channels:
            self.start_button = self.button(_("Nộp hồ sơ trực tuyến"), self.start_form,
                                            style="primary", width="auto")
            children.append(self.start_button)
        else:
            self.start_button = None
            children.append(self.html(
                '<div class="kns-msg-info">' + esc(_(
                    "Thủ tục này chưa nộp được trên Cổng Dịch vụ công. Hãy đến {centre} (lấy số "
                    "thứ tự ở ki-ốt) và mang theo giấy tờ bắt buộc.").format(
                        centre=world.locality().centre)) + "</div>"))
        children.append(self._back(_("Quay lại danh sách"), "search"))
        return children

    # -- 2. form -----------------------------------------------------------------------

    def start_form(self) -> None:
        proc = self.procedure()
        if self.draft is None or self.draft.procedure_code != proc.code:
            self.draft = Draft(proc.code)
            self.form_errors = {}
            self.doc_errors = {}
        self.box.record("portal.form_started", proc.code)
        self.go("form")

    def _input_for(self, spec: FormField, value: str, proc: Procedure) -> W.Widget:
        label = spec.shown_label
        if spec.kind == "gender":
            options = [(_("— Chọn —"), ""), (_("Nam"), "nam"), (_("Nữ"), "nu")]
        elif spec.kind == "delivery":
            options = [(_("— Chọn —"), "")] + [(delivery_name(d), d) for d in proc.delivery]
        elif spec.kind == "group":
            options = [(_("Không thuộc nhóm được giảm"), "")] + [
                (proc.groups[g], g) for g in proc.fee.reduced_groups]
        else:
            return self._text_input(label, value, _(spec.placeholder) if spec.placeholder
                                    else "")
        if value not in [v for _label, v in options]:
            value = ""
        if spec.kind == "delivery" and len(proc.delivery) == 1:
            value = proc.delivery[0]  # only one way: nothing to choose
        return self._field(W.Dropdown(options=options, value=value, description=label,
                                      layout=W.Layout(width="auto")))

    def _view_form(self) -> list[W.Widget]:
        proc = self.procedure()
        assert self.draft is not None
        children: list[W.Widget] = [self.html(
            f'<div class="kns-step">{esc(_("Bước 1/3: Điền tờ khai"))}</div>'
            f"<div>{esc(proc.name)}</div>"
            + muted(_("Mọi ô đều bắt buộc, trừ ô ghi «không bắt buộc». Dữ liệu ở đây là "
                      "giả lập.")))]
        self.error_labels: dict[str, W.HTML] = {}
        for spec in form_fields(proc):
            widget = self._input_for(spec, self.draft.values.get(spec.key, ""), proc)
            if not spec.required:
                widget.description = f"{spec.shown_label} ({_('không bắt buộc')})"
            self.inputs[spec.key] = widget
            message = self.form_errors.get(spec.key, "")
            error = W.HTML(f'<div class="kns-field-error" role="alert">{esc(message)}</div>'
                           if message else "")
            error.add_class(f"kns-error-{spec.key}")
            self.error_labels[spec.key] = error
            children += [widget, error]
        self.form_next = self.button(_("Tiếp tục"), self.check_form, style="primary")
        children.append(W.HBox([self._back(_("Quay lại"), "procedure"), self.form_next],
                               layout=W.Layout(flex_flow="row wrap")))
        return children

    def field_error(self, key: str) -> str:
        """The message shown next to a form box (plain text, for tests)."""
        return self.form_errors.get(key, "")

    def check_form(self) -> None:
        self._capture()
        assert self.draft is not None
        proc = self.procedure()
        clean, errors = validate_form(proc, self.draft.values, today=self.box.now().date())
        self.form_errors = errors
        if errors:
            for key, message in errors.items():
                self.box.record("portal.form_invalid", proc.code, field=key, message=message)
            self._draw()
            labels = {spec.key: spec.shown_label for spec in form_fields(proc)}
            self.error(_("Tờ khai còn {n} ô chưa đúng: {fields}. Xem thông báo màu đỏ ngay dưới "
                         "từng ô.").format(n=len(errors),
                                           fields=", ".join(labels[k] for k in errors)))
            return
        shown = {k: ("" if v is None else str(v)) for k, v in clean.items()}
        self.draft = replace(self.draft, clean=clean, values={**self.draft.values, **shown})
        self.inputs = {}  # the tidied values above win over what the boxes still hold
        self.box.record("portal.form_completed", proc.code)
        self.go("documents")

    # -- 3. documents ------------------------------------------------------------------

    def _document_rows(self, proc: Procedure, attached: Mapping[str, Attachment],
                       on_attach: Callable[[Attachment], None],
                       on_remove: Callable[[str], None]) -> list[W.Widget]:
        rows: list[W.Widget] = []
        self.upload_widgets: dict[str, W.FileUpload] = {}
        self.sample_pickers: dict[str, W.Dropdown] = {}
        self.sample_buttons: dict[str, W.Button] = {}
        for doc in (*proc.required_documents, *proc.optional_documents):
            need = _("bắt buộc") if doc.required else _("nộp thêm khi cần")
            have = attached.get(doc.code)
            status = (f'<span class="kns-ok">✓ {esc(_("Đã đính kèm"))}: '
                      f"{esc(have.describe())}</span>" if have else
                      f'<span class="{"kns-missing" if doc.required else "kns-muted"}">'
                      f"{esc(_('Chưa có tệp'))}</span>")
            parts: list[W.Widget] = [self.html(f"<div><b>{esc(doc.name)}</b> ({esc(need)})</div>"
                                               f"<div>{status}</div>")]
            samples = samples_for(doc.code)
            picker = self._field(W.Dropdown(options=[(s.title, s.file) for s in samples],
                                            description=_("Bản chụp mẫu"),
                                            layout=W.Layout(width="auto")))
            use = self.button(_("Dùng bản mẫu"),
                              lambda d=doc, p=picker: on_attach(self._pick_sample(d, p.value)))
            upload = W.FileUpload(accept=ACCEPT_ATTR, multiple=False,
                                  description=_("Tải tệp lên"),
                                  tooltip=_("Tệp PDF, JPG hoặc PNG, nhỏ hơn {limit}").format(
                                      limit=human_size(MAX_UPLOAD_BYTES)))
            upload.observe(self.guard(lambda change, d=doc: self._uploaded(
                d, change["new"], on_attach)), "value")
            self.upload_widgets[doc.code] = upload
            self.sample_pickers[doc.code] = picker
            self.sample_buttons[doc.code] = use
            controls: list[W.Widget] = [use, upload]
            if have:
                controls.append(self.button(_("Gỡ tệp"), lambda d=doc: on_remove(d.code)))
            parts += [picker, W.HBox(controls, layout=W.Layout(flex_flow="row wrap"))]
            message = self.doc_errors.get(doc.code)
            if message:
                parts.append(self.html(f'<div class="kns-field-error" role="alert">'
                                       f"{esc(message)}</div>"))
            box = W.VBox(parts)
            box.add_class("kns-card")
            box.add_class(f"kns-doc-{doc.code}")
            rows.append(box)
        missing = missing_documents(proc, attached)
        if missing:
            text = _("Còn thiếu giấy tờ bắt buộc: {names}").format(
                names="; ".join(d.name for d in missing))
            rows.append(self.html(f'<div class="kns-missing" role="status">{esc(text)}</div>'))
        else:
            rows.append(self.html(f'<div class="kns-ok" role="status">'
                                  f'{esc(_("Đã đủ giấy tờ bắt buộc."))}</div>'))
        return rows

    def _pick_sample(self, doc: Document, file: str) -> Attachment:
        scan = next((s for s in samples_for(doc.code) if s.file == file), None)
        if scan is None:
            raise InvalidInput(_("{label} — «{doc}»: chưa chọn bản chụp mẫu, nhận được "
                                 "{value!r}").format(label=field_label("giay_to"),
                                                     doc=doc.name, value=file),
                               field="giay_to", value=file)
        return sample_attachment(doc.code, scan)

    def _uploaded(self, doc: Document, files: Sequence[Mapping[str, Any]],
                  on_attach: Callable[[Attachment], None]) -> None:
        if not files:
            return
        upload = files[0]
        name = upload.get("name", "")
        try:
            attachment = check_upload(doc, name, bytes(upload.get("content") or b""))
        except InvalidInput as error:
            self.doc_errors[doc.code] = error.message
            self.box.record("portal.document_refused", self._subject(), document=doc.code,
                            file=str(name)[:200], message=error.message)
            self._draw()
            raise
        on_attach(attachment)

    def _subject(self) -> str | None:
        if self.view == "dossier":
            return self.current
        return self.procedure_code

    def _attach_to_draft(self, attachment: Attachment) -> None:
        assert self.draft is not None
        self.draft = replace(self.draft, attachments={**self.draft.attachments,
                                                      attachment.document: attachment})
        self._log_attached(attachment)

    def _log_attached(self, attachment: Attachment) -> None:
        self.doc_errors.pop(attachment.document, None)
        self.box.record("portal.document_attached", self._subject(),
                        procedure=self.procedure_code, document=attachment.document,
                        file=attachment.file_name, size=attachment.size,
                        source=attachment.source, sha256=attachment.sha256,
                        supplement=self.view == "dossier")
        self._draw()
        self.ok(_("Đã đính kèm {file}.").format(file=attachment.file_name))

    def _remove_from_draft(self, code: str) -> None:
        assert self.draft is not None
        self.draft = replace(self.draft, attachments={k: v for k, v in
                                                      self.draft.attachments.items()
                                                      if k != code})
        self.box.record("portal.document_removed", self.procedure_code, document=code)
        self._draw()

    def _view_documents(self) -> list[W.Widget]:
        proc = self.procedure()
        assert self.draft is not None
        head = self.html(
            f'<div class="kns-step">{esc(_("Bước 2/3: Đính kèm giấy tờ"))}</div>'
            + muted(_("Chụp hoặc quét giấy tờ thành tệp PDF, JPG hoặc PNG (nhỏ hơn {limit}); "
                      "khi tập, có thể dùng bản chụp mẫu.").format(
                          limit=human_size(MAX_UPLOAD_BYTES))))
        rows = self._document_rows(proc, self.draft.attachments, self._attach_to_draft,
                                   self._remove_from_draft)
        self.docs_next = self.button(_("Tiếp tục"), self.check_documents, style="primary")
        return [head, *rows, W.HBox([self._back(_("Quay lại"), "form"), self.docs_next],
                                    layout=W.Layout(flex_flow="row wrap"))]

    def check_documents(self) -> None:
        assert self.draft is not None
        proc = self.procedure()
        missing = missing_documents(proc, self.draft.attachments)
        if missing:
            self.box.record("portal.documents_missing", proc.code,
                            missing=[d.code for d in missing])
            raise InvalidInput(_("{label}: chưa nộp được vì còn thiếu {names}").format(
                label=field_label("giay_to"), names="; ".join(d.name for d in missing)),
                field="giay_to", value=[d.code for d in missing])
        self.go("confirm")

    # -- 4. confirm and submit -----------------------------------------------------------

    def _view_confirm(self) -> list[W.Widget]:
        proc = self.procedure()
        draft = self.draft
        assert draft is not None
        labels = {spec.key: spec.shown_label for spec in form_fields(proc)}
        shown = []
        for key, value in draft.clean.items():
            if value is None:
                continue
            shown.append(self._line(labels[key], form_value_label(proc, key, value)))
        files = "".join(f"<li>{esc(d.name)}: {esc(draft.attachments[d.code].describe())}</li>"
                        for d in proc.documents if d.code in draft.attachments)
        quote = quote_for(proc, draft.clean)
        if quote.amount is None:
            fee = quote.explanation
        elif quote.amount == 0:
            fee = _("Miễn phí") + f" — {quote.explanation}"
        else:
            fee = f"{format_vnd(quote.amount)} — {quote.explanation}"
        card = self._card(
            f'<div class="kns-step">{esc(_("Bước 3/3: Kiểm tra và nộp"))}</div>',
            f"<h3>{esc(proc.name)}</h3>", *shown,
            f"<div><b>{esc(_('Giấy tờ kèm theo'))}:</b><ul>{files}</ul></div>",
            self._line(_("Lệ phí"), fee),
            self._line(_("Thời hạn giải quyết"), time_text(proc)),
            muted(_("Ngày hẹn trả kết quả do Trung tâm ghi khi tiếp nhận hồ sơ, tính từ ngày "
                    "tiếp nhận.")))
        self.pledge = W.Checkbox(value=False, indent=False, description=_(
            "Tôi cam đoan những thông tin đã khai là đúng sự thật"),
            layout=W.Layout(width="auto"))
        self.pledge.add_class("kns-pledge")
        self.submit_button = self.button(_("Nộp hồ sơ"), self.submit, style="success")
        return [self.html(card), self.pledge,
                W.HBox([self._back(_("Quay lại"), "documents"), self.submit_button],
                       layout=W.Layout(flex_flow="row wrap"))]

    def submit(self) -> None:
        draft = self.draft
        if draft is None or self.view != "confirm":
            return  # a second tap on the same button after the dossier went in
        proc = self.procedure()
        if not self.pledge.value:
            self.box.record("portal.pledge_missing", proc.code)
            raise InvalidInput(_("Chưa đánh dấu ô cam đoan: hãy đọc lại tờ khai rồi đánh dấu "
                                 "«Tôi cam đoan những thông tin đã khai là đúng sự thật»"),
                               field="cam_doan", value=False)
        missing = missing_documents(proc, draft.attachments)
        if missing:  # the documents step checks this; guard a stale view all the same
            raise InvalidInput(_("{label}: chưa nộp được vì còn thiếu {names}").format(
                label=field_label("giay_to"), names="; ".join(d.name for d in missing)),
                field="giay_to")
        clean = draft.clean
        applicant = {k: clean[k] for k in APPLICANT_KEYS}
        form = {k: v for k, v in clean.items() if k not in APPLICANT_KEYS}
        form[FILES_KEY] = {k: a.to_dict() for k, a in draft.attachments.items()}
        dossier = self.box.dossiers.create(
            proc.code, applicant, channel=CHANNEL, documents=list(draft.attachments),
            form=form, pages=clean.get("so_trang") or 1, copies=clean.get("so_ban") or 1,
            group=clean.get("doi_tuong") or None)
        dossier = self.box.dossiers.submit(dossier.code)
        self.draft = None
        self.current = dossier.code
        self.go("done")
        self.ok(_("Đã nộp hồ sơ {code}. Hãy ghi lại mã hồ sơ để tra cứu.").format(
            code=dossier.code))

    def _due_html(self, dossier: Dossier, proc: Procedure | None) -> str:
        if dossier.due_date is not None:
            text = format_date(dossier.due_date)
            if proc is not None and not proc.time.verified:
                # The deadline rule itself is unverified: never show the date as fact.
                text += f" ({unverified_label()})"
            if dossier.apology is not None:
                text += " " + _("(đã hẹn lại, xem phiếu xin lỗi)")
            html = self._line(_("Ngày hẹn trả kết quả"), text)
            calendar = self.box.dossiers.calendar
            received = dossier.received_at
            if received is not None and calendar.first <= received.date() <= calendar.last \
                    and calendar.first <= dossier.due_date <= calendar.last:
                # A resident needs the rule only when it moved the day; plain words.
                notes = list(calendar.due_date_notes(received, dossier.due_date))
                if calendar.receipt_moved(received):
                    notes.insert(0, calendar.receipt_rule_note(plain=True))
                html += "".join(f'<div class="kns-muted">{esc(n)}</div>' for n in notes)
            return html
        rule = time_text(proc) if proc else unverified_label()
        if dossier.state in (State.SUBMITTED, State.SUPPLEMENT_REQUESTED, State.RESUBMITTED):
            return self._line(_("Ngày hẹn trả kết quả"), _(
                "chưa có — Trung tâm ghi ngày hẹn khi tiếp nhận hồ sơ (thời hạn giải quyết: "
                "{rule})").format(rule=rule))
        return ""

    def _view_done(self) -> list[W.Widget]:
        assert self.current is not None
        dossier = self.box.dossiers.get(self.current)
        proc = self.catalogue[dossier.procedure_code]
        card = self._card(
            f'<div class="kns-muted">{esc(_("Mã hồ sơ của bạn"))}</div>',
            f'<div class="kns-code kns-dossier-code">{esc(dossier.code)}</div>',
            self._line(_("Thủ tục"), proc.name),
            self._line(_("Trạng thái"), dossier.state.label),
            self._due_html(dossier, proc))
        return [self.html(card), *self._payment_widgets(dossier),
                self.button(_("Xem hồ sơ của tôi"), lambda: self.go("mine"), style="info"),
                self.button(_("Tìm thủ tục khác"), self._open_search)]

    # -- 5. fee payment -----------------------------------------------------------------

    def _payment_widgets(self, dossier: Dossier) -> list[W.Widget]:
        if dossier.state not in PAYABLE_STATES:
            return []
        if dossier.fee_amount is None:
            return [self.html('<div class="kns-msg-info">' + esc(_(
                "Lệ phí: {state}. Cán bộ tiếp nhận sẽ báo mức thu; đừng chuyển tiền theo lời "
                "nhắn hay cuộc gọi lạ.").format(state=unverified_label())) + "</div>")]
        if dossier.fee_amount == 0:
            return [self.html('<div class="kns-msg-ok">' + esc(_("Hồ sơ này được miễn lệ phí."))
                              + "</div>")]
        if dossier.fee_paid:
            return [self.html('<div class="kns-msg-ok kns-fee-paid">' + esc(_(
                "Đã nộp lệ phí {amount}.").format(amount=format_vnd(dossier.fee_amount)))
                + "</div>")]
        from ..domain.banks import load_banks
        from ..domain.qrimage import payment_card

        bank = load_banks().training_bank
        account = collection_account(self.box)
        qr = fee_qr(dossier, account)
        payload = encode(qr).payload
        name = collection_name()
        png = payment_card(qr, recipient_name=name, bank_name=bank.short_name)
        assert isinstance(png, bytes)
        alt = _("Mã QR tập dượt: nộp {amount} cho {name}, nội dung {purpose}").format(
            amount=format_vnd(dossier.fee_amount), name=name, purpose=qr.purpose)
        self.box.record("portal.fee_qr_shown", dossier.code, amount=dossier.fee_amount,
                        bank_bin=bank.bin, account=account, payee_name=name, payload=payload)
        link = wallet_link(self.box.actor, dossier.code)
        html = self._card(
            f"<h3>{esc(_('Nộp lệ phí {amount} bằng mã QR').format(amount=format_vnd(dossier.fee_amount)))}</h3>",
            self._line(_("Người nhận"), name),
            self._line(_("Ngân hàng"), bank.short_name),
            self._line(_("Số tài khoản"), account),
            self._line(_("Nội dung"), qr.purpose or ""),
            f'<div class="kns-qr"><img alt="{esc(alt)}" src="data:image/png;base64,'
            f'{base64.b64encode(png).decode()}"></div>',
            muted(_("Trong ứng dụng, kiểm tra đúng tên người nhận và số tiền trước khi xác "
                    "nhận.")),
            f'<a class="kns-link-button kns-wallet-link" href="{esc(link)}" target="_blank" '
            f'rel="noopener">{esc(_("Mở ví để thanh toán"))}</a>',
            f'<div><b>{esc(_("Nội dung mã QR (để sao chép)"))}:</b></div>'
            f'<div class="kns-payload" tabindex="0">{esc(payload)}</div>')
        return [self.html(html)]

    # -- 6. my dossiers --------------------------------------------------------------------

    def my_dossiers(self) -> list[Dossier]:
        mine = self.box.dossiers.list(owner=self.box.actor)
        return sorted(mine, key=lambda d: d.created_at, reverse=True)

    def refresh(self) -> None:
        self.box.record("portal.refreshed", self.current if self.view == "dossier" else None)
        self._draw()
        self.info(_("Đã cập nhật lúc {time}.").format(time=f"{self.box.now():%H:%M %d/%m/%Y}"))

    def _view_mine(self) -> list[W.Widget]:
        self.refresh_button = self.button(_("Làm mới"), self.refresh, style="info")
        dossiers = self.my_dossiers()
        children: list[W.Widget] = [self.refresh_button]
        if not dossiers:
            children.append(self.html(f"<p>{esc(_('Bạn chưa có hồ sơ nào.'))}</p>"))
        self.detail_buttons: dict[str, W.Button] = {}
        for d in dossiers:
            proc = self.catalogue[d.procedure_code] if d.procedure_code in self.catalogue \
                else None
            fee = ""
            if d.fee_amount:
                fee = self._line(_("Lệ phí"), format_vnd(d.fee_amount) + " — " + (
                    _("đã nộp") if d.fee_paid else _("chưa nộp")))
            extra = ""
            if d.state is State.SUPPLEMENT_REQUESTED:
                extra = self._line(_("Cần bổ sung"), d.supplement_reason or "")
            elif d.state in (State.RESOLVED, State.RESULT_RETURNED):
                extra = f'<div class="kns-ok">{esc(_("Có kết quả — bấm «Xem chi tiết» để nhận"))}</div>'
            html = (f'<div class="kns-code" style="font-size:1.1em">{esc(d.code)}</div>'
                    f"<div>{esc(proc.name if proc else d.procedure_code)}</div>"
                    f'<div><span class="kns-state">{esc(d.state.label)}</span></div>'
                    + self._due_html(d, proc) + fee + extra)
            if d.apology is not None:
                html += f'<div class="kns-missing">{esc(_("Có phiếu xin lỗi và hẹn lại ngày trả"))}</div>'
            button = self.button(_("Xem chi tiết"), lambda c=d.code: self.open_dossier(c))
            self.detail_buttons[d.code] = button
            card = W.VBox([self.html(html), button])
            card.add_class("kns-card")
            children.append(card)
        return children

    def open_dossier(self, code: str) -> None:
        self.current = self.box.dossiers.get(code).code
        self.box.record("portal.dossier_viewed", code)
        self.go("dossier")

    def _history(self, dossier: Dossier) -> str:
        items = []
        for step in dossier.history:
            note = f" — {step.note}" if step.note else ""
            items.append(f"<li>{step.at:%H:%M %d/%m/%Y}: {esc(step.state.label)}{esc(note)}</li>")
        return f"<div><b>{esc(_('Quá trình xử lý'))}:</b><ul>{''.join(items)}</ul></div>"

    def _view_dossier(self) -> list[W.Widget]:
        assert self.current is not None
        d = self.box.dossiers.get(self.current)
        proc = self.catalogue[d.procedure_code]
        self.refresh_button = self.button(_("Làm mới"), self.refresh, style="info")
        parts = [f'<div class="kns-code">{esc(d.code)}</div>',
                 f"<div>{esc(proc.name)}</div>",
                 f'<div><span class="kns-state">{esc(d.state.label)}</span></div>',
                 self._due_html(d, proc), self._history(d)]
        if d.state is State.REJECTED:
            reason = next((s.note for s in reversed(d.history) if s.state is State.REJECTED), "")
            parts.append(self._line(_("Lý do từ chối"), reason or ""))
        children: list[W.Widget] = [self.refresh_button, self.html(self._card(*parts))]
        if d.apology is not None:
            children.append(self.html(f'<pre class="kns-slip">{esc(d.apology.text())}</pre>'))
        if d.state is State.SUPPLEMENT_REQUESTED:
            children += self._supplement_widgets(d, proc)
        if d.state in (State.RESOLVED, State.RESULT_RETURNED):
            children += self._result_widgets(d, proc)
        children += self._payment_widgets(d)
        if d.state is State.RESULT_RETURNED:
            children += self._rating_widgets(d)
        children.append(self._back(_("Quay lại danh sách hồ sơ"), "mine"))
        return children

    # supplement

    def _attached_files(self, d: Dossier) -> dict[str, Attachment]:
        files = d.form.get(FILES_KEY) or {}
        return {code: Attachment.from_dict(code, data) for code, data in files.items()}

    def _supplement_widgets(self, d: Dossier, proc: Procedure) -> list[W.Widget]:
        added = self.supplement.setdefault(d.code, {})
        shown = {**self._attached_files(d), **added}
        for code in d.documents:  # attached without file details (e.g. by a script)
            shown.setdefault(code, Attachment(code, code, 0, "", ""))
        head = self.html('<div class="kns-msg-error" role="alert">' + esc(_(
            "Trung tâm yêu cầu bổ sung hồ sơ: {reason}").format(reason=d.supplement_reason or ""))
            + "</div><p>" + esc(_("Đính kèm giấy tờ còn thiếu hoặc thay tệp chưa đúng, rồi bấm "
                                  "«Nộp bổ sung».")) + "</p>")

        def attach(attachment: Attachment) -> None:
            added[attachment.document] = attachment
            self._log_attached(attachment)

        def remove(code: str) -> None:
            added.pop(code, None)
            self._draw()

        rows = self._document_rows(proc, shown, attach, remove)
        self.resubmit_button = self.button(_("Nộp bổ sung"), self.resubmit, style="success")
        return [head, *rows, self.resubmit_button]

    def resubmit(self) -> None:
        assert self.current is not None
        d = self.box.dossiers.get(self.current)
        proc = self.catalogue[d.procedure_code]
        added = self.supplement.get(d.code) or {}
        if not added:
            raise InvalidInput(_("{label}: chưa đính kèm giấy tờ bổ sung nào; hãy đính kèm giấy "
                                 "tờ Trung tâm yêu cầu rồi nộp lại").format(
                                     label=field_label("giay_to")), field="giay_to")
        files = {**self._attached_files(d), **added}
        documents = list(dict.fromkeys([*d.documents, *added]))
        missing = missing_documents(proc, dict.fromkeys(documents))
        if missing:
            raise InvalidInput(_("{label}: chưa nộp được vì còn thiếu {names}").format(
                label=field_label("giay_to"), names="; ".join(m.name for m in missing)),
                field="giay_to")
        form = {**d.form, FILES_KEY: {k: a.to_dict() for k, a in files.items()}}
        self.box.dossiers.update_draft(d.code, documents=documents, form=form)
        self.box.dossiers.resubmit(d.code)
        self.supplement.pop(d.code, None)
        self._draw()
        self.ok(_("Đã nộp bổ sung hồ sơ {code}. Trung tâm sẽ xem lại.").format(code=d.code))

    # result

    def _result_widgets(self, d: Dossier, proc: Procedure) -> list[W.Widget]:
        if d.state is State.RESULT_RETURNED and d.returned_at is not None:
            head = _("Đã trả kết quả lúc {time}.").format(time=f"{d.returned_at:%H:%M %d/%m/%Y}")
        else:
            head = _("Hồ sơ đã giải quyết xong, kết quả đang chờ bạn nhận.")
        self.result_button = self.button(_("Nhận kết quả"), self.collect_result, style="success")
        self.result_box = W.HTML()
        return [self.html(f'<div class="kns-msg-ok">{esc(head)}</div>'), self.result_button,
                self.result_box]

    def collect_result(self) -> None:
        assert self.current is not None
        d = self.box.dossiers.get(self.current)
        proc = self.catalogue[d.procedure_code]
        way = d.form.get("nhan_ket_qua") or (proc.delivery[0] if proc.delivery else "truc-tiep")
        ward = world.locality()
        if way == "truc-tuyen":
            text = _("Kết quả điện tử (bản tập dượt, không có giá trị pháp lý): {name} — hồ sơ "
                     "{code}. Bản điện tử cũng được lưu vào kho dữ liệu của bạn trên Cổng.").format(
                         name=proc.name, code=d.code)
        elif way == "buu-chinh":
            text = _("Kết quả được gửi qua bưu chính tới: {address}. Khi nhận, kiểm tra đúng mã "
                     "hồ sơ {code}.").format(address=d.applicant.get("dia_chi", ""), code=d.code)
        else:
            try:
                counter = ward.counter_for(proc.field)
                where = f"{ward.centre}, {_('Quầy')} {counter.number} — {counter.name}"
            except KnsError:
                where = ward.centre
            text = _("Mang thẻ căn cước và mã hồ sơ {code} đến {where} ({hours}) để nhận kết "
                     "quả.").format(code=d.code, where=where, hours=ward.hours.describe())
        self.result_box.value = self._card(self._line(delivery_name(way), text))
        self.box.record("portal.result_viewed", d.code, delivery=way, state=d.state.value)
        self.ok(_("Đây là cách nhận kết quả của hồ sơ {code}.").format(code=d.code))

    # rating

    def _my_rating(self, code: str):
        return next((f for f in self.box.feedback.list(author=self.box.actor, kind="danh-gia")
                     if f.dossier_code == code), None)

    def _rating_widgets(self, d: Dossier) -> list[W.Widget]:
        done = self._my_rating(d.code)
        if done is not None:
            return [self.html('<div class="kns-msg-ok">' + esc(_(
                "Bạn đã đánh giá: {n} — {label}. Cảm ơn bạn!").format(
                    n=done.rating, label=_(RATING_LABELS[done.rating]))) + "</div>")]
        self.rating = W.RadioButtons(
            options=[(f"{n} — {_(label)}", n) for n, label in sorted(RATING_LABELS.items(),
                                                                    reverse=True)],
            value=None, description=_("Mức độ hài lòng"), layout=W.Layout(width="auto"))
        self._field(self.rating)
        self.rating_comment = self._field(W.Textarea(
            description=_("Ý kiến thêm (không bắt buộc)"), layout=W.Layout(width="auto")))
        self.rating_button = self.button(_("Gửi đánh giá"), self.rate, style="primary")
        return [self.html(f"<h3>{esc(_('Đánh giá mức độ hài lòng'))}</h3>"), self.rating,
                self.rating_comment, self.rating_button]

    def rate(self) -> None:
        assert self.current is not None
        if self.rating.value is None:
            raise InvalidInput(_("Chưa chọn Mức độ hài lòng: chọn từ 1 (rất không hài lòng) đến "
                                 "5 (rất hài lòng)"), field="danh_gia", value=None)
        self.box.feedback.rate(self.current, int(self.rating.value), self.rating_comment.value)
        self._draw()
        self.ok(_("Đã ghi nhận đánh giá của bạn."))

    # -- 7. feedback and petitions ---------------------------------------------------------

    def _view_feedback(self) -> list[W.Widget]:
        codes = [d.code for d in self.my_dossiers()]
        self.feedback_kind = self._field(W.Dropdown(
            options=[(_("Phản ánh"), "phan-anh"), (_("Kiến nghị"), "kien-nghi")],
            description=_("Loại"), layout=W.Layout(width="auto")))
        self.feedback_dossier = self._field(W.Dropdown(
            options=[(_("Không gắn với hồ sơ nào"), "")] + [(c, c) for c in codes],
            description=_("Về hồ sơ (không bắt buộc)"), layout=W.Layout(width="auto")))
        self.feedback_text = self._field(W.Textarea(
            description=_("Nội dung"), placeholder=_("Viết rõ sự việc, thời gian, địa điểm"),
            layout=W.Layout(width="auto", height="110px")))
        self.feedback_button = self.button(_("Gửi"), self.send_feedback, style="primary")
        self.refresh_button = self.button(_("Làm mới"), self.refresh, style="info")
        sent = [f for f in self.box.feedback.list(author=self.box.actor)
                if f.kind in ("phan-anh", "kien-nghi")]
        items = []
        for f in reversed(sent):
            kind = _("Phản ánh") if f.kind == "phan-anh" else _("Kiến nghị")
            answer = (self._line(_("Trả lời của Trung tâm"), f.answer or "")
                      if f.answered else
                      f'<div class="kns-muted">{esc(_("Chưa có trả lời"))}</div>')
            about = f" — {esc(f.dossier_code)}" if f.dossier_code else ""
            items.append(self._card(
                f"<div><b>{esc(kind)} {_('số')} {f.id}</b>{about} "
                f'<span class="kns-muted">{f.created_at:%H:%M %d/%m/%Y}</span></div>',
                f"<div>{esc(f.text)}</div>", answer))
        listing = "".join(items) or f"<p>{esc(_('Bạn chưa gửi phản ánh, kiến nghị nào.'))}</p>"
        return [self.html(f"<h3>{esc(_('Gửi phản ánh, kiến nghị'))}</h3>"), self.feedback_kind,
                self.feedback_dossier, self.feedback_text,
                W.HBox([self.feedback_button, self.refresh_button],
                       layout=W.Layout(flex_flow="row wrap")),
                self.html(f"<h3>{esc(_('Phản ánh, kiến nghị đã gửi'))}</h3>{listing}")]

    def send_feedback(self) -> None:
        sent = self.box.feedback.send(self.feedback_text.value, kind=self.feedback_kind.value,
                                      dossier_code=self.feedback_dossier.value or None)
        self._draw()
        self.ok(_("Đã gửi {kind} số {id}. Câu trả lời của Trung tâm sẽ hiện ở mục này.").format(
            kind=_("phản ánh") if sent.kind == "phan-anh" else _("kiến nghị"), id=sent.id))


def portal_app() -> PortalScreen:
    """Entry point for apps/portal.ipynb (``?nguoi=<person>`` names the resident; open_box
    waits for the page request in a preheated Voila kernel)."""
    return PortalScreen(open_box(role="resident", actor="nguoi-dan"))


__all__ = ["Attachment", "Draft", "FormField", "PortalScreen", "SampleScan", "check_upload",
           "collection_account", "collection_name", "fee_qr", "form_fields", "form_value_label",
           "missing_documents", "portal_app", "sample_scans", "samples_for", "validate_form",
           "wallet_link"]
