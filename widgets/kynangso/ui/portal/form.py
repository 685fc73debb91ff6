"""Step 2: fill the procedure's form box by box (rules in domain/forms.py).

The applicant's identity comes from the VNeID account logged in (read-only boxes); a
procedure with a deadline counted from an event (birth registration: 60 days from the
birth, domain/birth.py) says on time or late as soon as the day is typed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import ipywidgets as W

from ...domain.birth import timing_details, timing_text
from ...domain.catalogue import Procedure, delivery_name
from ...domain.forms import FormField, form_fields, validate_form
from ...errors import InvalidInput
from ...i18n import _
from ..base import esc, more
from .common import (
    CHANNEL,
    VNEID_KEYS,
    WINDOW_FIELDS,
    Draft,
    PortalBase,
    muted,
    officer_says,
)

CCCD_DIGITS, PHONE_DIGITS, COUNT_DIGITS = 12, 10, 3


class FormStep(PortalBase):
    """The form view; a box's error shows under it, and every refusal is logged."""

    def start_form(self) -> None:
        proc = self.procedure()
        if self.account is None:
            self.draft = None
            self.go("form")  # the login first (go() knows the form needs it)
            return
        self.check_account()
        if self.account is None:  # the account is gone (a store reset): log in again
            self.go("form")
            return
        if self.draft is None or self.draft.procedure_code != proc.code:
            self.draft = Draft(proc.code, {"so_dien_thoai": self.account.phone or ""})
            self.form_errors = {}
            self.doc_errors = {}
        self.draft = replace(self.draft, values={**self.draft.values, **self.vneid_values()})
        self.box.record("portal.form_started", proc.code)
        self.go("form")

    def _input_for(self, spec: FormField, value: str, proc: Procedure) -> W.Widget:
        label = spec.shown_label
        chosen: Any = value or None
        if spec.kind == "gender":
            options = [(_("Nam"), "nam"), (_("Nữ"), "nu")]
        elif spec.kind == "delivery":
            options = [(delivery_name(d), d) for d in proc.delivery]
            if len(proc.delivery) == 1:
                chosen = proc.delivery[0]  # only one way: nothing to choose
        elif spec.kind == "group":
            options = [(_("Không thuộc nhóm được giảm"), "")] + [
                (proc.group_label(g), g) for g in proc.fee.reduced_groups]
            chosen = value  # "" (no group) is a real answer for this optional box
        else:
            widget = self._text_input(label, value, spec.shown_placeholder)
            digits = {"cccd": CCCD_DIGITS, "phone": PHONE_DIGITS + 4,  # +84 and spaces
                      "count": COUNT_DIGITS}.get(spec.kind)
            if digits:
                self.numeric(widget, digits)
            return widget
        if chosen not in [v for _label, v in options]:
            chosen = None
        dropdown = self.choice(label, options, value=chosen, width="auto")
        return self._field(dropdown)

    def _view_form(self) -> list[W.Widget]:
        proc = self.procedure()
        assert self.draft is not None
        children: list[W.Widget] = [
            self.step_title(_("Bước 1/3: Điền tờ khai")),
            self.html(f"<div>{esc(proc.shown_name)}</div>"
                      + muted(_("Mọi ô đều bắt buộc, trừ ô ghi «không bắt buộc». Dữ liệu ở đây "
                                "là giả lập."))
                      + '<div class="kns-vneid-note">' + esc(_(
                          "Họ và tên, số định danh, ngày sinh, giới tính và địa chỉ được điền "
                          "sẵn từ tài khoản VNeID của bạn (Cơ sở dữ liệu quốc gia về dân cư), "
                          "không sửa ở đây. Số điện thoại thì sửa được.")) + "</div>")]
        self.error_labels: dict[str, W.HTML] = {}
        self.timing_box: W.HTML | None = None
        window_key = WINDOW_FIELDS.get(proc.code)
        for spec in form_fields(proc):
            widget = self._input_for(spec, self.draft.values.get(spec.key, ""), proc)
            if not spec.required:
                widget.description = f"{spec.shown_label} ({_('không bắt buộc')})"
            if spec.key in VNEID_KEYS:
                widget.disabled = True
                widget.add_class("kns-from-vneid")
            else:
                widget.observe(self.guard(self._field_changed), "value")
            self.inputs[spec.key] = widget
            message = self.form_errors.get(spec.key, "")
            error = W.HTML(f'<div class="kns-field-error">{esc(message)}</div>'
                           if message else "")
            error.add_class(f"kns-error-{spec.key}")
            self.error_labels[spec.key] = error
            children += [widget, error]
            if spec.key == window_key:
                self.timing_box = W.HTML(self._timing_html())
                self.timing_box.add_class("kns-timing")
                children.append(self.timing_box)
        self.form_next = self.button(_("Tiếp tục"), self.check_form, style="primary")
        children.append(W.HBox([self._back(_("Quay lại"), "procedure"), self.form_next],
                               layout=W.Layout(flex_flow="row wrap")))
        return children

    def _field_changed(self, change: dict) -> None:
        super()._field_changed(change)
        if self.timing_box is not None:
            self.timing_box.value = self._timing_html()

    def _timing_html(self) -> str:
        """On time or late for the day typed so far ("" until it is a real, past day)."""
        assert self.draft is not None
        proc = self.procedure()
        try:
            timing = self.registration_timing(proc, self.draft.values)
        except InvalidInput:
            return ""  # a future day: the form check explains it
        if timing is None:
            return ""
        plain = timing_text(timing)
        quote = proc.quote_fee(channel=CHANNEL, on_time=timing.on_time)
        fee = (_("Miễn lệ phí.") if quote.amount == 0 and quote.verified
               else officer_says() + ".")
        cls = "" if timing.on_time else ' class="kns-late-note"'
        return (f"<div{cls}>" + more(f"{plain} {fee}", " ".join(
            [*timing_details(timing), quote.explanation])) + "</div>")

    def form_error(self, key: str) -> str:
        """The message shown next to a form box (plain text, for tests)."""
        return self.form_errors.get(key, "")

    def check_form(self) -> None:
        self._capture()
        assert self.draft is not None
        proc = self.procedure()
        clean, errors = validate_form(proc, self.draft.values, today=self.box.now().date())
        window_key = WINDOW_FIELDS.get(proc.code)
        if window_key and window_key not in errors:
            try:
                self.registration_timing(proc, clean)
            except InvalidInput as error:  # a birth after today
                errors[window_key] = error.message
        self.form_errors = errors
        if errors:
            for key, message in errors.items():
                self.box.record("portal.form_invalid", proc.code, field=key, message=message)
            self._draw()
            self._mark_invalid(proc, errors)
            return
        shown = {k: ("" if v is None else str(v)) for k, v in clean.items()}
        self.draft = replace(self.draft, clean=clean, values={**self.draft.values, **shown})
        self.inputs = {}  # the tidied values above win over what the boxes still hold
        self.box.record("portal.form_completed", proc.code)
        self.go("documents")

    def _mark_invalid(self, proc: Procedure, errors: dict[str, str]) -> None:
        """One message naming every wrong box; the first box focused, every one marked."""
        labels = {spec.key: spec.shown_label for spec in form_fields(proc)}
        keys = [spec.key for spec in form_fields(proc) if spec.key in errors]
        summary = _("Tờ khai còn {n} ô chưa đúng: {fields}. Xem thông báo màu đỏ ngay dưới "
                    "từng ô.").format(n=len(keys), fields=", ".join(labels[k] for k in keys))
        if len(keys) == 1:
            summary = errors[keys[0]]  # the check's message names its box
        self.field_error(self.inputs[keys[0]], summary)
        for key in keys[1:]:
            self.mark_invalid(self.inputs[key])
