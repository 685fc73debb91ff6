"""Step 1: find a procedure and read what it needs, costs and takes."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import ipywidgets as W

from ...domain.catalogue import Document, Procedure, channel_name, delivery_name
from ...domain.identity import N_
from ...i18n import _, nfc, translate
from ...sandbox import world
from ..base import esc, more
from .common import (
    CHANNEL,
    PortalBase,
    fee_details,
    fee_plain,
    payment_plain,
    time_details,
    time_plain,
)

SERVICE_LEVEL_NAMES = {
    "toan-trinh": N_("Toàn trình (nộp và nhận kết quả trực tuyến hoặc qua bưu chính)"),
    "mot-phan": N_("Một phần (có bước phải đến Trung tâm)"),
}


class SearchStep(PortalBase):
    """Search the catalogue, open a procedure's card, start its form."""

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
            b = self.button(f"{proc.shown_name} — {proc.shown_field}",
                            partial(self.open_procedure, proc.code), width="auto")
            b.add_class("kns-wrap")
            b.add_class("kns-result")
            self.result_buttons.append(b)
        return [self.step_title(_("Tìm thủ tục hành chính")), self.search_box, self.search_button,
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
            return "<ul>" + "".join(f"<li>{esc(d.shown_name)}</li>" for d in items) + "</ul>"

        facts = [self._line(_("Lĩnh vực"), proc.shown_field),
                 self._line(_("Mức độ dịch vụ công trực tuyến"),
                            translate(SERVICE_LEVEL_NAMES.get(proc.service_level, proc.service_level))),
                 self._line(_("Nơi nộp"), ", ".join(channel_name(c) for c in proc.channels))]
        if proc.vneid_level and proc.online:
            facts.append(self._line(_("Tài khoản VNeID"), _(
                "nộp trực tuyến cần đăng nhập bằng tài khoản định danh điện tử mức {n}").format(
                    n=proc.vneid_level)))
        facts.append(f'<div class="kns-fee"><b>{esc(_("Lệ phí"))}:</b>'
                     + more(fee_plain(proc), fee_details(proc)) + "</div>")
        if CHANNEL in proc.channels:
            facts.append(self._line(_("Nộp lệ phí bằng mã QR trên Cổng"), payment_plain(proc)))
        facts += [f"<div><b>{esc(_('Thời hạn giải quyết'))}:</b>"
                  + more(time_plain(proc), time_details(proc)) + "</div>",
                  self._line(_("Nhận kết quả"), ", ".join(delivery_name(d)
                                                           for d in proc.delivery))]
        if proc.notes:
            facts.append(self._line(_("Lưu ý"), proc.shown_notes))
        papers = [f"<div><b>{esc(_('Giấy tờ bắt buộc'))}:</b>"
                  f"{docs(proc.required_documents)}</div>"]
        if proc.optional_documents:
            papers.append(f"<div><b>{esc(_('Giấy tờ nộp thêm khi cần'))}:</b>"
                          f"{docs(proc.optional_documents)}</div>")
        # Two columns on a wide screen (the base's web frame): facts beside the documents.
        return self._card('<div class="kns-columns"><div>' + "".join(facts) + "</div><div>"
                          + "".join(papers) + "</div></div>")

    def _view_procedure(self) -> list[W.Widget]:
        proc = self.procedure()
        children: list[W.Widget] = [self.step_title(proc.shown_name),
                                    self.html(self._procedure_card(proc))]
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
