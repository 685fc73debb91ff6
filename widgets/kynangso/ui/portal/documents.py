"""Step 3: attach a file (an upload or a sample scan) for each document.

The rules (accepted types, size limit, sample scans, what is missing) live in
domain/attachments.py; the same rows serve a supplement on a dossier (dossier.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

import ipywidgets as W

from ...domain import attachments
from ...domain.attachments import (
    ACCEPTED,
    Attachment,
    attach_sample,
    check_upload,
    human_size,
    missing_documents,
    missing_message,
    samples_for,
)
from ...domain.catalogue import Document, Procedure
from ...errors import InvalidInput
from ...i18n import _
from ..base import esc
from .common import PortalBase, muted

ACCEPT_ATTR = ",".join(ACCEPTED)  # the file picker's filter


class DocumentsStep(PortalBase):
    """One card per document with its sample picker, upload button and status."""

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
            parts: list[W.Widget] = [self.html(
                f"<div><b>{esc(doc.shown_name)}</b> ({esc(need)})</div><div>{status}</div>")]
            samples = samples_for(doc.code)
            # One sample (the usual case) is chosen already; several start on "Chưa chọn".
            picker = self._field(self.choice(
                _("Bản chụp mẫu"), [(s.shown_title, s.file) for s in samples],
                value=samples[0].file if len(samples) == 1 else None, width="auto"))
            use = self.button(_("Dùng bản mẫu"), partial(self._use_sample, doc, picker, on_attach))
            upload = W.FileUpload(accept=ACCEPT_ATTR, multiple=False,
                                  description=_("Tải tệp lên"),
                                  tooltip=_("Tệp PDF, JPG hoặc PNG, nhỏ hơn {limit}").format(
                                      limit=human_size(attachments.MAX_UPLOAD_BYTES)))
            upload.observe(self.guard(lambda change, d=doc: self._uploaded(
                d, change["new"], on_attach)), "value")
            self.upload_widgets[doc.code] = upload
            self.sample_pickers[doc.code] = picker
            self.sample_buttons[doc.code] = use
            controls: list[W.Widget] = [use, upload]
            if have:
                controls.append(self.button(_("Gỡ tệp"), partial(on_remove, doc.code)))
            parts += [picker, W.HBox(controls, layout=W.Layout(flex_flow="row wrap"))]
            message = self.doc_errors.get(doc.code)
            if message:
                parts.append(self.html(f'<div class="kns-field-error">{esc(message)}</div>'))
            box = W.VBox(parts)
            box.add_class("kns-card")
            box.add_class(f"kns-doc-{doc.code}")
            rows.append(box)
        missing = missing_documents(proc, attached)
        if missing:
            text = _("Còn thiếu giấy tờ bắt buộc: {names}").format(
                names="; ".join(d.shown_name for d in missing))
            rows.append(self.html(f'<div class="kns-missing">{esc(text)}</div>'))
        else:
            rows.append(self.html(f'<div class="kns-ok">'
                                  f'{esc(_("Đã đủ giấy tờ bắt buộc."))}</div>'))
        return rows

    def _use_sample(self, doc: Document, picker: W.Dropdown,
                    on_attach: Callable[[Attachment], None]) -> None:
        if picker.value is None:
            self.field_error(picker, _("Chưa chọn bản chụp mẫu cho «{name}»: chọn một bản trong "
                                       "danh sách rồi bấm «Dùng bản mẫu».").format(
                                           name=doc.shown_name))
            return
        on_attach(attach_sample(doc, picker.value))

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
            self.field_error(self.upload_widgets[doc.code], error.message)
            return
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
            muted(_("Chụp hoặc quét giấy tờ thành tệp PDF, JPG hoặc PNG (nhỏ hơn {limit}); "
                      "khi tập, có thể dùng bản chụp mẫu.").format(
                          limit=human_size(attachments.MAX_UPLOAD_BYTES))))
        rows = self._document_rows(proc, self.draft.attachments, self._attach_to_draft,
                                   self._remove_from_draft)
        self.docs_next = self.button(_("Tiếp tục"), self.check_documents, style="primary")
        return [self.step_title(_("Bước 2/3: Đính kèm giấy tờ")), head, *rows,
                W.HBox([self._back(_("Quay lại"), "form"), self.docs_next],
                       layout=W.Layout(flex_flow="row wrap"))]

    def check_documents(self) -> None:
        assert self.draft is not None
        proc = self.procedure()
        missing = missing_documents(proc, self.draft.attachments)
        if missing:
            self.box.record("portal.documents_missing", proc.code,
                            missing=[d.code for d in missing])
            self.field_error(self.upload_widgets[missing[0].code], missing_message(missing))
            return
        self.go("confirm")

