"""Step 2: fill the procedure's form box by box (rules in domain/forms.py)."""

from __future__ import annotations

from dataclasses import replace

import ipywidgets as W

from ...domain.catalogue import Procedure, delivery_name
from ...domain.forms import FormField, form_fields, validate_form
from ...i18n import _
from ..base import esc
from .common import Draft, PortalBase, muted


class FormStep(PortalBase):
    """The form view; a box's error shows under it, and every refusal is logged."""

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
                (proc.group_label(g), g) for g in proc.fee.reduced_groups]
        else:
            return self._text_input(label, value, spec.shown_placeholder)
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
            f"<div>{esc(proc.shown_name)}</div>"
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
