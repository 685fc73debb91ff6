"""Step 6: send feedback or a petition (phản ánh, kiến nghị) and read the centre's answer."""

from __future__ import annotations

import ipywidgets as W

from ...errors import KnsError
from ...i18n import _
from ..base import esc
from .common import PortalBase


class FeedbackStep(PortalBase):
    """The feedback view: a form and what this person sent, with any answer."""

    def _view_feedback(self) -> list[W.Widget]:
        codes = [d.code for d in self.my_dossiers()]
        self.feedback_kind = self._field(self.choice(
            _("Loại"), [(_("Phản ánh"), "phan-anh"), (_("Kiến nghị"), "kien-nghi")],
            width="auto"))
        # Optional: "not about a dossier" is the answer until one is chosen.
        self.feedback_dossier = self._field(self.choice(
            _("Về hồ sơ (không bắt buộc)"),
            [(_("Không gắn với hồ sơ nào"), "")] + [(c, c) for c in codes], value="",
            width="auto"))
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
        return [self.step_title(_("Gửi phản ánh, kiến nghị")), self.feedback_kind,
                self.feedback_dossier, self.feedback_text,
                W.HBox([self.feedback_button, self.refresh_button],
                       layout=W.Layout(flex_flow="row wrap")),
                self.html(f"<h3>{esc(_('Phản ánh, kiến nghị đã gửi'))}</h3>{listing}")]

    def send_feedback(self) -> None:
        if self.feedback_kind.value is None:
            self.field_error(self.feedback_kind, _("Chưa chọn Loại: chọn «Phản ánh» hoặc «Kiến "
                                                   "nghị»"))
            return
        try:
            sent = self.box.feedback.send(self.feedback_text.value,
                                          kind=self.feedback_kind.value,
                                          dossier_code=self.feedback_dossier.value or None)
        except KnsError as error:  # nothing written, or too long: the text box is at fault
            self.field_error(self.feedback_text, error.message)
            return
        self._draw()
        self.ok(_("Đã gửi {kind} số {id}. Câu trả lời của Trung tâm sẽ hiện ở mục này.").format(
            kind=_("phản ánh") if sent.kind == "phan-anh" else _("kiến nghị"), id=sent.id))


