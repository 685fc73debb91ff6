"""Step 5: "Hồ sơ của tôi": follow a dossier, send a supplement, collect the result, rate."""

from __future__ import annotations

from functools import partial

import ipywidgets as W

from ...domain.attachments import (
    FILES_KEY,
    Attachment,
    attachments_of,
    missing_documents,
    missing_message,
)
from ...domain.catalogue import Procedure, delivery_name
from ...domain.dossier import Dossier, State
from ...domain.identity import field_label
from ...domain.money import format_vnd
from ...errors import InvalidInput, KnsError
from ...i18n import _, translate
from ...sandbox import world
from ...sandbox.feedback import RATING_LABELS
from ..base import esc
from .common import PortalBase


class DossierStep(PortalBase):
    """The resident's list of dossiers and one dossier's page."""

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
        children: list[W.Widget] = [self.step_title(_("Hồ sơ của tôi")), self.refresh_button]
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
                    f"<div>{esc(proc.shown_name if proc else d.procedure_code)}</div>"
                    f'<div><span class="kns-state">{esc(d.state.label)}</span></div>'
                    + self._due_html(d, proc) + fee + extra)
            if d.apology is not None:
                html += f'<div class="kns-missing">{esc(_("Có phiếu xin lỗi và hẹn lại ngày trả"))}</div>'
            button = self.button(_("Xem chi tiết"), partial(self.open_dossier, d.code))
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
                 f"<div>{esc(proc.shown_name)}</div>",
                 f'<div><span class="kns-state">{esc(d.state.label)}</span></div>',
                 self._due_html(d, proc), self._history(d)]
        if d.state is State.REJECTED:
            reason = next((s.note for s in reversed(d.history) if s.state is State.REJECTED), "")
            parts.append(self._line(_("Lý do từ chối"), reason or ""))
        children: list[W.Widget] = [self.step_title(_("Hồ sơ {code}").format(code=d.code)),
                                    self.refresh_button, self.html(self._card(*parts))]
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

    def _supplement_widgets(self, d: Dossier, proc: Procedure) -> list[W.Widget]:
        added = self.supplement.setdefault(d.code, {})
        shown = {**attachments_of(d.form, d.documents), **added}
        head = self.html('<div class="kns-msg-error">' + esc(_(
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
        files = {**attachments_of(d.form), **added}
        documents = list(dict.fromkeys([*d.documents, *added]))
        missing = missing_documents(proc, dict.fromkeys(documents))
        if missing:
            raise InvalidInput(missing_message(missing), field="giay_to")
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
                         name=proc.shown_name, code=d.code)
        elif way == "buu-chinh":
            text = _("Kết quả được gửi qua bưu chính tới: {address}. Khi nhận, kiểm tra đúng mã "
                     "hồ sơ {code}.").format(address=d.applicant.get("dia_chi", ""), code=d.code)
        else:
            try:
                counter = ward.counter_for(proc.field)
                where = f"{ward.centre}, {_('Quầy')} {counter.number} — {counter.shown_name}"
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
                    n=done.rating, label=translate(RATING_LABELS[done.rating]))) + "</div>")]
        self.rating = W.RadioButtons(
            options=[(f"{n} — {translate(label)}", n) for n, label in sorted(RATING_LABELS.items(),
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
            self.field_error(self.rating, _("Chưa chọn Mức độ hài lòng: chọn từ 1 (rất không "
                                            "hài lòng) đến 5 (rất hài lòng)"))
            return
        self.box.feedback.rate(self.current, int(self.rating.value), self.rating_comment.value)
        self._draw()
        self.ok(_("Đã ghi nhận đánh giá của bạn."))
