"""The portal's form for each procedure: which boxes, in which order, with which check.

Every form opens with the applicant (``COMMON_FIELDS``), then the procedure's own boxes
from the ``form:`` list of ``data/procedures.yaml``, then the boxes its fee rule needs
(pages, copies, reduced-fee group) and how to receive the result. A ``form:`` entry::

    - key: ho_ten_tre                                   # stored under this key
      label: {vi: Họ và tên của trẻ, en: Child's full name}
      kind: name                                        # which check applies (FILE_KINDS)
      placeholder: dd/mm/yyyy                           # optional: a pattern, or {vi, en}
      required: false                                   # optional, true by default

Labels from the file carry their own English (a ward adds boxes without touching the
gettext catalogue); the common boxes keep their ``N_()`` labels, translated by ``_()``.
The forms are the lab's simplified forms, not the official templates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInput, KnsError
from ..i18n import _, in_language, translate
from .catalogue import delivery_name
from .datafiles import invalid, wording
from .identity import (
    FIELD_LABELS,
    N_,
    format_date,
    normalize_address,
    normalize_name,
    normalize_phone,
    parse_date,
    parse_gender,
    required,
    validate_cccd,
)

if TYPE_CHECKING:
    from .catalogue import Procedure  # catalogue.py builds Procedure.form with read_form

MAX_TEXT = 200
MAX_COUNT = 999
# Kinds a procedure's own box may use in the data file; "delivery" and "group" boxes
# come from the procedure's delivery list and fee rule, never from ``form:``.
FILE_KINDS = ("name", "cccd", "date", "gender", "phone", "address", "text", "count")
KINDS = (*FILE_KINDS, "delivery", "group")
ENTRY_KEYS = frozenset({"key", "label", "kind", "placeholder", "required"})
KEY_PATTERN = r"[a-z][a-z0-9_]*"


@dataclass(frozen=True)
class FormField:
    """One box of a procedure's form; ``kind`` picks the check that applies."""

    key: str
    label: str  # Vietnamese
    kind: str
    required: bool = True
    placeholder: str = ""
    # From a data file: the English texts. Empty: ``label`` is a gettext msgid (N_()).
    label_en: str = ""
    placeholder_en: str = ""

    @property
    def shown_label(self) -> str:
        return in_language(self.label, self.label_en) if self.label_en else translate(self.label)

    @property
    def shown_placeholder(self) -> str:
        if not self.placeholder or self.placeholder_en:
            return in_language(self.placeholder, self.placeholder_en)
        return translate(self.placeholder)


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
# Boxes the form adds from the fee rule and delivery list, and where attachments are kept.
DERIVED_KEYS = ("so_trang", "so_ban", "doi_tuong", "nhan_ket_qua", "tep_dinh_kem")
RESERVED_KEYS = frozenset({*APPLICANT_KEYS, *DERIVED_KEYS})


# --- reading the ``form:`` list of a procedure ----------------------------------------------


def read_form(raw: Any, *, file: str, entry: str) -> tuple[FormField, ...]:
    """The ``form:`` list of procedure ``entry``; errors name file, entry and the box."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise invalid(file, entry, "form", raw, _("cần một danh sách các ô của tờ khai"))
    fields: list[FormField] = []
    for index, item in enumerate(raw, start=1):
        fields.append(_read_field(item, index, file=file, entry=entry))
    keys = [f.key for f in fields]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise invalid(file, entry, f"form.{twice[0]}", twice[0], _("mã ô bị trùng"))
    return tuple(fields)


def _read_field(item: Any, index: int, *, file: str, entry: str) -> FormField:
    where = f"form[{index}]"
    if not isinstance(item, dict):
        raise invalid(file, entry, where, item, _("mỗi ô cần key, label và kind"))
    key = item.get("key")
    if not isinstance(key, str) or not re.fullmatch(KEY_PATTERN, key):
        raise invalid(file, entry, f"{where}.key", key,
                      _("cần mã ô: chữ thường không dấu, số và dấu '_'"))
    name = f"form.{key}"
    if key in RESERVED_KEYS:
        raise invalid(file, entry, f"{name}.key", key,
                      _("ô này tờ khai đã tự có; dùng mã khác"))
    unknown = sorted(set(item) - ENTRY_KEYS)
    if unknown:
        raise invalid(file, entry, f"{name}.{unknown[0]}", item[unknown[0]],
                      _("không biết trường này; chỉ dùng {allowed}").format(
                          allowed=", ".join(sorted(ENTRY_KEYS))))
    kind = item.get("kind")
    if kind not in FILE_KINDS:
        raise invalid(file, entry, f"{name}.kind", kind,
                      _("chỉ được dùng {allowed}").format(allowed=", ".join(FILE_KINDS)))
    label, label_en = wording(item.get("label"), file=file, entry=entry,
                               field=f"{name}.label")
    placeholder, placeholder_en = "", ""
    if item.get("placeholder") is not None:
        raw = item["placeholder"]
        if isinstance(raw, str):  # a pattern such as dd/mm/yyyy reads the same in any language
            placeholder = raw.strip()
        else:
            placeholder, placeholder_en = wording(raw, file=file, entry=entry,
                                                   field=f"{name}.placeholder")
    needed = item.get("required", True)
    if not isinstance(needed, bool):
        raise invalid(file, entry, f"{name}.required", needed, _("phải là true hoặc false"))
    return FormField(key, label, kind, needed, placeholder, label_en, placeholder_en)


# --- the form of a procedure ----------------------------------------------------------------


def form_fields(procedure: Procedure) -> tuple[FormField, ...]:
    """The boxes of ``procedure``'s form: the applicant, its own boxes, then what the fee
    depends on (pages, copies, reduced-fee group) and how to receive the result."""
    fields = [*COMMON_FIELDS, *procedure.form]
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


def form_value_label(procedure: Procedure, key: str, value: Any) -> str:
    """A form value as the resident chose it: the label, not the stored code."""
    try:
        if key == "gioi_tinh":
            return parse_gender(value).label
        if key == "nhan_ket_qua":
            return delivery_name(value)
        if key == "doi_tuong":
            return procedure.group_label(str(value))
    except KnsError:  # a value stored by something else than the form: show it as is
        pass
    return str(value)


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
            clean[spec.key] = check_value(spec, raw, procedure, today)
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


def _relabel(error: InvalidInput, spec: FormField) -> InvalidInput:
    # Domain checks name fields by FIELD_LABELS; a procedure's own boxes need their label.
    if spec.key in FIELD_LABELS:
        return error
    return InvalidInput(error.message.replace(spec.key, spec.shown_label, 1),
                        field=spec.key, value=error.value)


def check_value(spec: FormField, raw: str, procedure: Procedure, today: date) -> Any:
    """One box's value after its check (tidied), or InvalidInput naming the box's key."""
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
            raise InvalidInput(_("{label} dài tối đa {limit} ký tự; đã nhập {count} ký tự")
                               .format(label=spec.key, limit=MAX_TEXT, count=len(text)),
                               field=spec.key, value=text)
        return text
    if kind == "count":
        text = required(raw, spec.key)
        if not (text.isascii() and text.isdigit()):
            raise InvalidInput(_("{label} phải là số nguyên từ 1 đến {limit}, chỉ gõ chữ số "
                                 "(ví dụ 2)").format(label=spec.key, limit=MAX_COUNT),
                               field=spec.key, value=raw)
        if not 1 <= int(text) <= MAX_COUNT:
            raise InvalidInput(_("{label} phải là số nguyên từ 1 đến {limit}").format(
                label=spec.key, limit=MAX_COUNT), field=spec.key, value=raw)
        return int(text)
    if kind == "delivery":
        if raw not in procedure.delivery:
            allowed = ", ".join(delivery_name(d) for d in procedure.delivery)
            raise InvalidInput(_("Chưa chọn {label}: chọn một trong {allowed}").format(
                label=spec.key, allowed=allowed), field=spec.key, value=raw)
        return raw
    if kind == "group":
        if raw and raw not in procedure.fee.reduced_groups:
            raise InvalidInput(_("{label} phải là một trong {allowed}")
                               .format(label=spec.key, allowed=", ".join(
                                   procedure.group_label(g) for g in procedure.fee.reduced_groups)),
                               field=spec.key, value=raw)
        return raw or None
    raise ValueError(f"unknown form field kind {kind!r}")
