"""The trader's stall on a phone: its static code and printable sign, the day's takings,
and the check of the trader's own notebook of sales against the money that came in.

The code, sign, takings and reconciliation come from ``domain/trader.py``; the stall and
the sales book are rows of the sandbox (``sandbox/stalls.py``, which logs their ``trader.*``
events). The screen leads a trainee through them and logs the other steps for grading.

Images are HTML ``<img>`` elements with a text alternative (an ipywidgets Image has no
``alt``); the open tab comes back after a reload (``box.drafts``).
"""

from __future__ import annotations

import base64
import re
from datetime import date
from typing import TYPE_CHECKING

import ipywidgets as W

from ..domain import trader
from ..domain import wallets as rules
from ..domain.money import format_vnd
from ..domain.vietqr import VietQR
from ..errors import InvalidInput
from ..i18n import N_, _, translate
from ..sandbox.stalls import Stall, StallDesk
from .base import Screen, esc, table
from .session import launch
from .wallet import AMOUNT_CHARS, CSS, _rows, _stacked

if TYPE_CHECKING:
    from ..sandbox.store import Sandbox


def _data_url(kind: str, content: bytes) -> str:
    return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}"


def image(content: bytes, alt: str, css: str) -> str:
    """An image a screen reader can name: ``<img alt>`` over a data URL."""
    return (f'<img class="{css}" src="{_data_url("image/png", content)}" alt="{esc(alt)}" '
            'style="width: 100%; height: auto; display: block;">')


def _slug(text: str) -> str:
    from unidecode import unidecode

    return re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-") or "quay-hang"


class TraderScreen(Screen):
    """A small trader's phone: the stall's static code and sign, the day's takings, and the
    check of the trader's own notebook of sales against the money that came in."""

    title = N_("Quầy hàng nhận tiền qua mã QR (mô phỏng)")
    frame = "phone"
    screen_id = "trader"

    def __init__(self, box: Sandbox):
        self.sales: list[tuple[str, int]] = []
        tab = box.drafts.load(self.screen_id).get("tab")  # the tab open before a reload
        self.tab_index = tab if isinstance(tab, int) and 0 <= tab <= 2 else 0
        self.card_png = b""  # the stall's code card and the takings chart, as drawn
        self.chart_png = b""
        super().__init__(box)

    @property
    def desk(self) -> StallDesk:
        return StallDesk(self.box)

    def _load_book(self) -> list[tuple[str, int]]:
        """Today's page of the sales book, as stored (a notebook page is one day)."""
        return [(s.time, s.amount) for s in self.desk.sales(day=self.today())]

    def stall(self) -> Stall | None:
        return self.desk.stall()

    def today(self) -> date:
        return self.box.now().date()

    def show(self, *children: W.Widget) -> None:
        super().show(*_stacked(children))

    def render(self) -> None:
        self.sales = self._load_book()
        stall = self.stall()
        if stall is None:
            self.view_create()
        else:
            self.view_stall(stall)

    # -- creating the stall's code ---------------------------------------------------

    def view_create(self) -> None:
        self.shop = self.text(translate(trader.FIELD_LABELS["ten_cua_hang"]),
                              placeholder=_("Ví dụ: Tạp hóa Lan"))
        accounts = self.box.wallets.accounts(owner=self.box.actor)
        intro = _("Tạo mã QR tĩnh cho quầy hàng: khách quét mã rồi tự nhập số tiền. Mã được in "
                  "lên biển để dán ở quầy.")
        parts: list[W.Widget] = [self.step_title(_("Tạo mã QR cho quầy hàng")), self.html(CSS),
                                 self.html(f"<p>{esc(intro)}</p>"), self.shop]
        self.receiving: W.Dropdown | None = None
        if accounts:
            self.receiving = W.Dropdown(
                options=[(f"{a.number} — {a.holder_name}", a.id) for a in accounts],
                description=_("Tài khoản nhận tiền"), style={"description_width": "initial"},
                layout=W.Layout(width="100%"))
            parts.append(self.receiving)
        else:
            self.holder = self.text(rules.field_label("ten_chu_tai_khoan"),
                                    placeholder=_("Ví dụ: Nguyễn Thị Lan"))
            self.pin_new = self.numeric(self.text(_("Chọn mã PIN tập dượt (6 số)"),
                                                  password=True), rules.PIN_LENGTH)
            self.pin_again = self.numeric(self.text(_("Nhập lại mã PIN"), password=True),
                                          rules.PIN_LENGTH)
            warn = _("Quầy cần một tài khoản nhận tiền tập dượt ở {bank}. Mã PIN chỉ để tập "
                     "dượt, không bao giờ dùng mã PIN thật.").format(
                         bank=self.box.wallets.bank.short_name)
            parts += [self.html(f'<div class="kns-wallet-warn" role="note">{esc(warn)}</div>'),
                      self.holder, self.pin_new, self.pin_again]
        parts.append(self.button(_("Tạo mã QR của quầy"), self.create, style="primary",
                                 width="100%"))
        self.show(*parts)

    def create(self) -> None:
        name = self.shop.value
        try:
            trader.shop_qr(name, "0")  # checks the stall name before an account is opened
            if self.receiving is not None:
                account = self.box.wallets.account(self.receiving.value)
            else:
                pin = self.pin_new.value
                rules.check_pin(pin)
                if self.pin_again.value != pin:
                    raise InvalidInput(_("{label}: hai lần nhập không giống nhau, hãy gõ lại đúng "
                                         "6 chữ số đã chọn").format(label=_("Nhập lại mã PIN")),
                                       field="ma_pin_nhap_lai")
                account = self.box.wallets.open_account("ngan-hang", self.holder.value,
                                                        balance=0, pin=pin)
            stall = self.desk.open(name, account.id)
        except InvalidInput as error:
            self.box.record("trader.input_invalid", None, step="create", field=error.field)
            fields: dict[str, W.Widget] = {"ten_cua_hang": self.shop}
            if self.receiving is None:
                fields.update(ten_chu_tai_khoan=self.holder, ma_pin=self.pin_new,
                              ma_pin_nhap_lai=self.pin_again)
                if error.field in ("ma_pin", "ma_pin_nhap_lai"):
                    self.pin_new.value = self.pin_again.value = ""
            self._on_field(error, fields)
            raise
        self.render()
        self.ok(_("Đã tạo mã QR cho quầy «{name}». Tải biển về để in và dán ở quầy.").format(
            name=stall.name))

    # -- the stall ------------------------------------------------------------------------

    def view_stall(self, stall: Stall) -> None:
        from ..domain.qrimage import payment_card

        account = self.box.wallets.account(stall.account)
        request = rules.payment_request(stall.payload, self.box.wallets.banks)
        card = payment_card(VietQR(request.bank.bin, request.account, name=request.name_in_code),
                            recipient_name=stall.name, bank_name=request.bank.name)
        assert isinstance(card, bytes)  # fmt="png"
        self.card_png = card
        alt = _("Biển mã QR của quầy «{name}» (giả lập, không thanh toán được bằng ứng dụng "
                "ngân hàng thật)").format(name=stall.name)
        self.card = self.html(image(card, alt, "kns-trader-card"))
        info = self.html(_rows([(_("Cửa hàng"), stall.name),
                                (rules.field_label("ten_chu_tai_khoan"), account.holder_name),
                                (rules.field_label("tai_khoan"), account.number),
                                (_("Ngân hàng"), request.bank.short_name)])
                         + '<div class="kns-muted">' + esc(_(
                             "Mã tĩnh: khách quét rồi tự nhập số tiền; dùng được nhiều lần."))
                         + "</div>")
        self.paper = W.Dropdown(options=[(_("A6 (dán quầy)"), "A6"), (_("A5 (treo tường)"), "A5")],
                                description=_("Khổ giấy"), style={"description_width": "initial"})
        self.downloads = self.html("", "kns-wallet-download")
        code_tab = W.VBox([self.card, info, self.paper,
                           self.button(_("Chuẩn bị biển QR để in"), self.make_sign,
                                       width="100%"),
                           self.downloads])

        self.takings_box = W.VBox()
        money_tab = W.VBox([self.button(_("Làm mới"), self.refresh, width="100%"),
                            self.takings_box])

        self.sale_time = self.text(trader.SALE_TIME_COL, placeholder="08:30", width="48%")
        self.sale_amount = self.numeric(self.text(rules.field_label("so_tien"),
                                                  placeholder="20.000", width="48%"),
                                        AMOUNT_CHARS)
        self.book = self.html("")
        self.result = self.html("")
        book_tab = W.VBox([
            self.html("<p>" + esc(_("Ghi lại từng lần bán hàng theo sổ của bạn (giờ bán, số "
                                    "tiền), rồi đối chiếu với tiền nhận qua mã QR hôm nay."))
                      + "</p>"),
            W.HBox([self.sale_time, self.sale_amount],
                   layout=W.Layout(justify_content="space-between")),
            self.button(_("Ghi vào sổ"), self.add_sale, width="100%"),
            self.book,
            self.button(_("Xóa dòng cuối"), self.remove_sale, width="100%"),
            self.button(_("Đối chiếu sổ với tiền nhận"), self.reconcile, style="primary",
                        width="100%"),
            self.result])
        self.tabs = W.Tab(children=[code_tab, money_tab, book_tab])
        self.tabs.titles = (_("Mã QR"), _("Tiền nhận"), _("Đối chiếu"))
        self.tabs.selected_index = self.tab_index
        self.tabs.observe(self.guard(self._tab_changed), "selected_index")
        self.show(self.step_title(_("Quầy «{name}»").format(name=stall.name)), self.html(CSS),
                  self.tabs)
        self._show_book()
        if self.tab_index == 1:
            self.refresh()

    def _tab_changed(self, change: dict) -> None:
        self.tab_index = change["new"] or 0
        self.box.drafts.save(self.screen_id, {"tab": self.tab_index})
        self.clear()  # a message belongs to the tab it came from
        if self.tab_index == 1:
            self.refresh()

    def _on_field(self, error: InvalidInput, fields: dict[str, W.Widget]) -> None:
        """Mark the box an error is about; the guard then shows the message."""
        widget = fields.get(error.field or "")
        if widget is not None:
            self.field_error(widget, str(error))

    def _stall(self) -> Stall:
        stall = self.stall()
        if stall is None:
            raise InvalidInput(_("Quầy chưa có mã QR: hãy tạo mã trước"), field="ma_qr")
        return stall

    def make_sign(self) -> None:
        stall = self._stall()
        size = self.paper.value
        png = trader.stall_sign(stall.name, stall.payload, fmt="png", size=size)
        pdf = trader.stall_sign(stall.name, stall.payload, fmt="pdf", size=size)
        stem = f"bien-qr-{_slug(stall.name)}-{size.lower()}"
        self.downloads.value = (
            f'<a class="kns-sign-png" download="{stem}.png" href="{_data_url("image/png", png)}">'
            f"{esc(_('Tải ảnh PNG'))}</a>"
            f'<a class="kns-sign-pdf" download="{stem}.pdf" '
            f'href="{_data_url("application/pdf", pdf)}">{esc(_("Tải tệp PDF để in"))}</a>')
        self.box.record("trader.sign_made", stall.account, size=size, formats=["png", "pdf"])
        self.ok(_("Biển QR khổ {size} đã sẵn sàng: chạm vào đường dẫn để tải về.").format(
            size=size))

    # -- takings --------------------------------------------------------------------------

    def _incoming(self) -> list:
        return self.box.wallets.incoming(self._stall().account, day=self.today())

    def refresh(self) -> None:
        payments = self._incoming()
        frame = trader.takings(payments)
        shown = trader.formatted(frame)
        columns = [trader.TIME_COL, trader.PAYER_COL, trader.AMOUNT_COL, trader.PURPOSE_COL]
        rows = shown[columns].values.tolist()
        total = int(frame[trader.AMOUNT_COL].sum())
        heading = _("Tiền nhận hôm nay {day}: {n} khoản, tổng {amount}").format(
            day=f"{self.today():%d/%m/%Y}", n=len(payments), amount=format_vnd(total))
        parts: list[W.Widget] = [self.html(f'<div class="kns-wallet-step kns-takings-total">'
                                           f"{esc(heading)}</div>")]
        if rows:
            parts.append(self.html(table([translate(c) for c in columns], rows).replace(
                'class="kns-table"', 'class="kns-table kns-small kns-takings"')))
        self.chart_png = trader.takings_chart(frame)
        alt = _("Biểu đồ tiền nhận hôm nay theo giờ: {n} khoản, tổng {amount}").format(
            n=len(payments), amount=format_vnd(total))
        self.chart = self.html(image(self.chart_png, alt, "kns-takings-chart"))
        parts.append(self.chart)
        self.takings_box.children = tuple(parts)
        self.box.record("trader.takings_viewed", self._stall().account, count=len(payments),
                        total=total)

    # -- the trader's own notebook ------------------------------------------------------

    def _reload_book(self) -> None:
        self.sales = self._load_book()
        self._show_book()

    def _show_book(self) -> None:
        if not self.sales:
            self.book.value = (f'<div class="kns-muted">{esc(_("Sổ bán hàng chưa có dòng nào."))}'
                               "</div>")
            return
        rows = [(n, t, format_vnd(a)) for n, (t, a) in enumerate(self.sales, start=1)]
        self.book.value = table([_("Dòng"), trader.SALE_TIME_COL, trader.AMOUNT_COL],
                                rows).replace('class="kns-table"',
                                              'class="kns-table kns-small kns-sales-book"')

    def add_sale(self) -> None:
        when = self.sale_time.value.strip()
        try:
            sale = self.desk.add_sale(when, self.sale_amount.value)
        except InvalidInput as error:
            self.box.record("trader.input_invalid", None, step="sale", field=error.field)
            self._on_field(error, {"thoi_gian": self.sale_time, "so_tien": self.sale_amount})
            raise
        self.sale_time.value = self.sale_amount.value = ""
        self._reload_book()
        self.ok(_("Đã ghi dòng {n}: {time} — {amount}.").format(
            n=sale.line, time=sale.time, amount=format_vnd(sale.amount)))

    def remove_sale(self) -> None:
        self.desk.remove_last_sale()
        self._reload_book()
        self.info(_("Đã xóa dòng cuối của sổ bán hàng."))

    def reconcile(self) -> None:
        stall = self._stall()
        if not self.sales:
            raise InvalidInput(_("{book} chưa có dòng nào: hãy ghi giờ bán và số tiền trước khi "
                                 "đối chiếu").format(book=_("Sổ bán hàng")), field="so_ban_hang")
        result = trader.reconcile(self._incoming(), self.sales, day=self.today())
        parts = ['<div class="kns-card kns-reconcile">'
                 + "".join(f"<div>{esc(line)}</div>" for line in result.summary().splitlines())
                 + "</div>"]
        sections = [
            (_("Khớp"), result.matched, [trader.SALE_TIME_COL, trader.PAID_TIME_COL,
                                         trader.AMOUNT_COL, trader.PAYER_COL]),
            (_("Đã bán nhưng chưa thấy tiền: hỏi lại khách"), result.missing,
             [trader.SALE_TIME_COL, trader.AMOUNT_COL]),
            (_("Nhận tiền nhưng không có trong sổ: xem lại sổ"), result.unexpected,
             [trader.TIME_COL, trader.PAYER_COL, trader.AMOUNT_COL]),
        ]
        for heading, frame, columns in sections:
            if frame.empty:
                continue
            rows = trader.formatted(frame)[columns].values.tolist()
            parts.append(f'<div class="kns-wallet-step">{esc(heading)}</div>'
                         + table([translate(c) for c in columns], rows).replace(
                             'class="kns-table"', 'class="kns-table kns-small"'))
        self.result.value = "".join(parts)
        self.box.record("trader.reconciled", stall.account, matched=len(result.matched),
                        missing=len(result.missing), unexpected=len(result.unexpected),
                        difference=result.difference, balanced=result.balanced)
        if result.balanced:
            self.ok(_("Sổ bán hàng khớp với tiền nhận."))
        else:
            self.info(_("Có khoản chưa khớp: xem bảng bên dưới."))


def trader_app() -> Screen:
    """Entry point for apps/trader.ipynb (``?nguoi=<trader>``)."""
    return launch(TraderScreen, role="resident")
