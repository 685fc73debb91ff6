"""The payer apps (bank app, ZaloPay, Viettel Money, all simulated).

Wording and the order of steps come from ``data/wallets.yaml``; every rule (PIN, amount,
payment, a dossier's fee) from ``domain/wallets.py`` and ``box.wallets``. The screen only
leads a trainee through those rules and logs each step, so a grader reads what was really
done. The trader's stall (ui/trader.py) shares the styles kept here. The codes offered come
from the sandbox's tables: a dossier's fee code (sandbox/fees.py) and traders' stalls
(sandbox/stalls.py), never from another screen's events.

As in banking apps, the amount is checked against the balance on the screen where it is
shown or typed (the recipient's screen), so "Số dư không đủ" comes before any PIN; that one
screen holds the recipient and the amount, so the step count is the same for every code
("Bước 2/5" whether the code carries an amount or not). A reload (a locked phone, a lost
connection) comes back to the step the payer was on (``box.drafts``; never a PIN).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING

import ipywidgets as W

from ..domain import wallets as rules
from ..domain.dossier import Dossier
from ..domain.money import format_vnd
from ..domain.wallets import Account, PaymentRequest, Receipt, WalletApp
from ..errors import InvalidInput, KnsError
from ..i18n import N_, _
from ..sandbox import fees
from ..sandbox.fees import FeeCode, FeeDesk
from ..sandbox.stalls import Stall, StallDesk
from .base import Screen, esc, table
from .session import launch, page_query

if TYPE_CHECKING:
    from ..sandbox.store import Sandbox

PRACTICE_BALANCE = 2_000_000  # what a new practice account starts with
AMOUNT_CHARS = 15  # 12 digits and their thousands dots (200.000.000.000)
# Views a reload comes back to; any other (a receipt, the history) comes back to the app.
RESUMABLE = ("view_app", "view_scan", "view_review", "view_confirm", "view_auth")
MAX_UPLOAD_BYTES = 15 * 1024 * 1024  # a phone photo is a few MB
COLLECTOR_OWNER = fees.COLLECTOR  # owner of the ward's fee account in the store

CSS = """
<style>
.kns-wallet-step { font-weight: 700; color: var(--kns-accent); margin: 4px 0 2px 0; }
.kns-wallet-steptext { line-height: 1.45; margin-bottom: 6px; }
.kns-wallet-app { font-weight: 700; font-size: 1.1em; }
.kns-wallet-balance { font-size: 1.5em; font-weight: 800; color: var(--kns-accent); }
.kns-wallet-warn { background: #fff4ce; border-left: 5px solid #9a5b00; padding: 6px 10px;
  border-radius: 4px; margin: 6px 0; }
.kns-wallet-row { display: flex; justify-content: space-between; gap: 8px;
  border-bottom: 1px dotted #c8c8c8; padding: 3px 0; }
.kns-wallet-row span:first-child { color: #5a5a5a; }
.kns-wallet-row span:last-child { font-weight: 600; text-align: right; }
.kns-wallet-receipt { background: #f3faf5; border-color: #137333; }
.kns-wallet-ok { color: #137333; font-weight: 800; font-size: 1.2em; }
.kns-root .kns-table.kns-small { font-size: 0.85em; }
.kns-root .kns-table.kns-small th, .kns-root .kns-table.kns-small td { padding: 3px 4px; }
.kns-wallet-download a { display: inline-block; margin: 4px 8px 4px 0; padding: 8px 12px;
  border: 1px solid var(--kns-accent); border-radius: 6px; color: var(--kns-accent);
  font-weight: 600; text-decoration: none; }
.kns-contrast .kns-wallet-warn, .kns-contrast .kns-wallet-receipt { background: #000;
  color: #fff; }
.kns-contrast .kns-wallet-row span:first-child { color: #e0e0e0; }
.kns-app-wallet .widget-html-content, .kns-app-trader .widget-html-content { line-height: 1.45; }
.kns-stack.widget-inline-hbox { flex-direction: column; align-items: stretch; height: auto; }
.kns-stack.widget-inline-hbox .widget-label { width: auto !important; max-width: 100%;
  height: auto; text-align: left; margin: 6px 0 3px 0; line-height: 1.3; }
.kns-stack.widget-inline-hbox input, .kns-stack.widget-inline-hbox select,
.kns-stack.widget-inline-hbox textarea { flex: 0 0 auto; width: 100%; box-sizing: border-box;
  height: 36px; }
.kns-stack.widget-inline-hbox textarea { height: 72px; }
</style>
"""


# --- QR codes other apps in the store show --------------------------------------------------


collection_name = fees.collection_name
collection_account = fees.collection_account


def fee_payload(box: Sandbox, dossier: Dossier) -> str:
    """The dynamic code that pays ``dossier``'s fee: the sandbox's fee code, the one the
    portal shows (issued on the first ask)."""
    return FeeDesk(box).code_for(dossier.code).payload


def pending_fees(box: Sandbox) -> list[FeeCode]:
    """Fee codes of this person's dossiers still to pay."""
    return FeeDesk(box).payable(box.actor)


def stalls(box: Sandbox, owner: str | None = None) -> list[Stall]:
    """Every stall (or ``owner``'s stalls), the one set last coming last."""
    return StallDesk(box).stalls(owner)


def procedure_name(box: Sandbox, code: str) -> str:
    catalogue = box.dossiers.catalogue
    return catalogue[code].shown_name if code in catalogue else code


def _unchosen(picker: W.Dropdown) -> W.Dropdown:
    """Show "Chưa chọn" when nothing is chosen: value None alone selects no option, and the
    page would show an empty box."""
    if picker.value is None:
        picker.index = 0
    return picker


def numbered_steps(app: WalletApp) -> list[str]:
    """The step codes a payer counts: the amount belongs to the recipient's screen."""
    return [step.code for step in app.steps if step.code != "amount"]


def _rows(pairs: list[tuple[str, str]]) -> str:
    return "".join(f'<div class="kns-wallet-row"><span>{esc(k)}</span><span>{esc(v)}</span>'
                   "</div>" for k, v in pairs)


def _stacked(children: tuple[W.Widget, ...]) -> tuple[W.Widget, ...]:
    """Put every field's label above its box: a phone is too narrow for both on one line."""
    def mark(widget: W.Widget) -> None:
        if isinstance(widget, (W.Text, W.Password, W.Textarea, W.Dropdown)):
            widget.add_class("kns-stack")
        for child in getattr(widget, "children", ()):
            mark(child)

    for child in children:
        mark(child)
    return children


# --- the payer's app ------------------------------------------------------------------------


class WalletScreen(Screen):
    """Pick a payer app, open a practice account, pay a QR code, see receipts and history."""

    title = N_("Ứng dụng thanh toán (mô phỏng)")
    frame = "phone"
    screen_id = "wallet"

    def __init__(self, box: Sandbox, *, dossier_code: str | None = None):
        self.apps = box.wallets.wallets
        self.asked_code = (dossier_code or "").strip()
        self.wanted = rules.find_dossier_code(self.asked_code) if self.asked_code else None
        self.app: WalletApp | None = None
        self.request: PaymentRequest | None = None
        self.amount: int | None = None
        self.key: str | None = None
        self.receipt: Receipt | None = None
        self.fresh_receipt = False
        self._view: Callable[[], None] = self.view_home
        self._restore(box)
        super().__init__(box)

    def render(self) -> None:
        self._view()

    def show(self, *children: W.Widget) -> None:
        super().show(*_stacked(children))

    def _go(self, view: Callable[[], None]) -> None:
        self.clear()
        self._view = view
        self._save()
        view()

    # -- a reload comes back to the same step -------------------------------------------

    def _save(self) -> None:
        name = self._view.__name__
        if self.app is None or name not in RESUMABLE:
            self.box.drafts.clear(self.screen_id)  # home, or a payment finished
            return
        self.box.drafts.save(self.screen_id, {
            "app": self.app.code, "view": name, "amount": self.amount, "key": self.key,
            "payload": self.request.payload if self.request else None})

    def _restore(self, box: Sandbox) -> None:
        """The saved step, unless the page was opened for another dossier's fee; anything
        no longer true (an account gone, a code unreadable) brings back the app's home."""
        state = box.drafts.load(self.screen_id)
        if not state or state.get("app") not in self.apps:
            return
        try:
            request = (box.wallets.preview(state["payload"]) if state.get("payload")
                       else None)
        except KnsError:
            request = None
        if self.wanted is not None and (request is None
                                        or request.dossier_code != self.wanted):
            return  # the portal sent the payer here for this dossier: start from home
        self.app = self.apps.get(state["app"])
        if self._find_account(box) is None:
            self.app = None
            return
        view = state.get("view") if request is not None else "view_app"
        self.request = request
        self.amount = state.get("amount") if isinstance(state.get("amount"), int) else None
        self.key = state.get("key") if isinstance(state.get("key"), str) else None
        if view == "view_auth" and (self.key is None or (request is not None and request.static
                                                         and self.amount is None)):
            view = "view_confirm"
        self._view = getattr(self, view if view in RESUMABLE else "view_app")

    def _page(self, *children: W.Widget) -> None:
        self.show(self.html(CSS), *children)

    # -- state read from the store ---------------------------------------------------

    def account(self) -> Account | None:
        """This person's account in the chosen app (the first, if several)."""
        return self._find_account(self.box)

    def _find_account(self, box: Sandbox) -> Account | None:
        assert self.app is not None
        for account in box.wallets.accounts(owner=box.actor):
            if account.app == self.app.code:
                return account
        return None

    def _require_account(self) -> Account:
        account = self.account()
        if account is None:
            raise InvalidInput(_("{label}: chưa có tài khoản trong {app}").format(
                label=rules.field_label("tai_khoan"), app=self.app.name if self.app else "—"),
                field="tai_khoan")
        return account

    def _wanted_dossier(self) -> Dossier | None:
        if self.wanted is None:
            return None
        try:
            dossier = self.box.dossiers.get(self.wanted)
        except KnsError:
            return None
        return dossier if self.box.dossiers.owner(dossier.code) == self.box.actor else None

    def _fee_payment(self, code: str) -> str | None:
        fee = FeeDesk(self.box).get(code)
        if fee is not None and fee.paid:
            return fee.payment_reference
        # A fee paid before fee codes were stored (an older store), or to a hand-made code.
        for payment in self.box.wallets.payments():
            if payment.dossier_code == code:
                return payment.reference
        return None

    def _refused(self, error: KnsError, **fields: W.Widget) -> None:
        """Show a refusal on the field it is about, or in the message area."""
        widget = fields.get(error.field or "")
        if widget is None:
            self.error(error.message)
        else:
            self.field_error(widget, error.message)

    def _invalid(self, step: str, error: InvalidInput) -> None:
        self.box.record("wallet.input_invalid", self.app.code if self.app else None,
                        step=step, field=error.field)

    # -- home: pick an app -------------------------------------------------------------

    def view_home(self) -> None:
        notice = self.html(f'<div class="kns-wallet-warn">{esc(self.apps.notice)}</div>')
        parts: list[W.Widget] = [self.step_title(_("Chọn ứng dụng thanh toán")), notice,
                                 self._dossier_note()]
        ask = _("Chọn ứng dụng bạn (hoặc người dân) dùng để trả tiền:")
        parts.append(self.html(f"<p>{esc(ask)}</p>"))
        mine = {a.app: a for a in reversed(self.box.wallets.accounts(owner=self.box.actor))}
        for app in self.apps:
            account = mine.get(app.code)
            status = (_("Tài khoản {number} · số dư {balance}").format(
                number=account.number, balance=format_vnd(account.balance))
                if account else _("Chưa có tài khoản: chạm để mở tài khoản tập dượt"))
            button = self.button(app.name, partial(self.pick, app.code), width="100%",
                                 style="primary" if account else "")
            parts += [button, self.html(f'<div class="kns-muted">{esc(app.kind)} — '
                                        f"{esc(status)}</div>")]
        self._page(*parts)

    def _dossier_note(self) -> W.HTML:
        if not self.asked_code:
            return self.html("")
        if self.wanted is None:
            text = _("Mã hồ sơ trong đường dẫn không đúng dạng ĐƠNVỊ-YYMMDD-NNNN; hãy mở lại "
                     "đường dẫn «Mở ví để thanh toán» trên Cổng Dịch vụ công.")
            return self.html(f'<div class="kns-msg-error">{esc(text)}</div>')
        dossier = self._wanted_dossier()
        if dossier is None:
            text = _("Không tìm thấy hồ sơ {code} của {person} trong môi trường tập dượt.").format(
                code=self.wanted, person=self.box.actor)
            return self.html(f'<div class="kns-msg-error">{esc(text)}</div>')
        name = procedure_name(self.box, dossier.procedure_code)
        if dossier.fee_paid:
            reference = self._fee_payment(dossier.code)
            text = _("Hồ sơ {code} ({name}): đã nộp lệ phí {amount}").format(
                code=dossier.code, name=name, amount=format_vnd(dossier.fee_amount or 0))
            if reference:
                text += _(", mã giao dịch {reference}").format(reference=reference)
            return self.html(f'<div class="kns-msg-ok kns-wallet-feepaid">{esc(text)}.</div>')
        if not dossier.fee_amount:
            text = _("Hồ sơ {code} ({name}) không có lệ phí phải nộp qua mã QR.").format(
                code=dossier.code, name=name)
            return self.html(f'<div class="kns-msg-info">{esc(text)}</div>')
        if self.app is None:  # no button to name yet: each app words its own
            text = _("Hồ sơ {code} ({name}) đang chờ nộp lệ phí {amount}. Chọn ứng dụng rồi "
                     "quét mã QR để thanh toán.").format(code=dossier.code, name=name,
                                                        amount=format_vnd(dossier.fee_amount))
        else:
            text = _("Hồ sơ {code} ({name}) đang chờ nộp lệ phí {amount}. Chạm «{scan}» để "
                     "thanh toán.").format(code=dossier.code, name=name,
                                          amount=format_vnd(dossier.fee_amount),
                                          scan=self.app.label("scan"))
        return self.html(f'<div class="kns-msg-info">{esc(text)}</div>')

    def pick(self, app_code: str) -> None:
        self.app = self.apps.get(app_code)
        self.box.record("wallet.app_opened", self.app.code)
        self._go(self.view_app if self.account() else self.view_open_account)

    # -- opening a practice account ------------------------------------------------------

    def view_open_account(self) -> None:
        app = self.app
        assert app is not None
        intro = _("Bạn chưa có tài khoản trong {app}. Ứng dụng mô phỏng sẽ mở cho bạn một tài "
                  "khoản tập dượt với số dư {balance} tiền giả lập.").format(
                      app=app.name, balance=format_vnd(PRACTICE_BALANCE))
        warn = _("Mã PIN bạn chọn ở đây chỉ để tập dượt. Không bao giờ dùng mã PIN thật của thẻ "
                 "hay tài khoản ngân hàng, và không đưa mã PIN cho ai.")
        self.holder = self.text(rules.field_label("ten_chu_tai_khoan"),
                                placeholder=_("Ví dụ: Trần Văn An"))
        self.pin_new = self.numeric(self.text(_("Chọn mã PIN tập dượt (6 số)"), password=True),
                                    rules.PIN_LENGTH)
        self.pin_again = self.numeric(self.text(_("Nhập lại mã PIN"), password=True),
                                      rules.PIN_LENGTH)
        self._page(
            self.step_title(_("Mở tài khoản tập dượt")),
            self.html(f'<div class="kns-wallet-app">{esc(app.name)}</div>'),
            self.html(f"<p>{esc(intro)}</p>"),
            self.html(f'<div class="kns-wallet-warn" role="note">{esc(warn)}</div>'),
            self.holder, self.pin_new, self.pin_again,
            self.button(_("Mở tài khoản tập dượt"), self.open_account, style="primary",
                        width="100%"),
            self.button(_("Quay lại"), lambda: self._go(self.view_home), width="100%"))

    def open_account(self) -> None:
        app = self.app
        assert app is not None
        pin, again = self.pin_new.value, self.pin_again.value
        try:
            rules.check_pin(pin)
            if again != pin:
                raise InvalidInput(_("{label}: hai lần nhập không giống nhau, hãy gõ lại đúng 6 "
                                     "chữ số đã chọn").format(label=_("Nhập lại mã PIN")),
                                   field="ma_pin_nhap_lai")
            account = self.box.wallets.open_account(app.code, self.holder.value,
                                                    balance=PRACTICE_BALANCE, pin=pin)
        except InvalidInput as error:
            self._invalid("open_account", error)
            if error.field in ("ma_pin", "ma_pin_nhap_lai"):
                self.pin_new.value = self.pin_again.value = ""
            self._refused(error, ten_chu_tai_khoan=self.holder, ma_pin=self.pin_new,
                          ma_pin_nhap_lai=self.pin_again)
            return
        self._go(self.view_app)
        self.ok(_("Đã mở tài khoản tập dượt {number} trong {app}, số dư {balance}.").format(
            number=account.number, app=app.name, balance=format_vnd(account.balance)))

    # -- the app's home ---------------------------------------------------------------

    def view_app(self) -> None:
        app = self.app
        assert app is not None
        account = self._require_account()
        card = (f'<div class="kns-card kns-wallet-account"><div class="kns-wallet-app">'
                f"{esc(app.name)}</div>"
                + _rows([(rules.field_label("ten_chu_tai_khoan"), account.holder_name),
                         (rules.field_label("tai_khoan"), account.number),
                         (_("Ngân hàng"), self.box.wallets.bank.short_name)])
                + f'<div class="kns-muted">{esc(rules.field_label("so_du"))}</div>'
                f'<div class="kns-wallet-balance">{esc(format_vnd(account.balance))}</div>'
                "</div>")
        scan = self.button(app.label("scan"), lambda: self._go(self.view_scan), style="primary",
                           width="100%")
        scan.disabled = account.locked
        history = self.button(_("Lịch sử giao dịch"), self.open_history, width="100%")
        other = self.button(_("Chọn ứng dụng khác"), lambda: self._go(self.view_home),
                            width="100%")
        self._page(self.step_title(app.name), self.html(card), self._dossier_note(), scan,
                   history, other)
        if account.locked:
            self.error(rules.locked_message())

    # -- the steps of a payment ---------------------------------------------------------

    def _step(self, code: str, values: Mapping[str, object] | None = None, *,
              numbered: bool = True) -> W.HTML:
        """The app's own title and text for step ``code``, numbered among its steps: the
        amount is typed on the recipient's screen, so every code has the same steps."""
        app = self.app
        assert app is not None
        if values is None:
            values = dict(self.request.values()) if self.request else {}
            if self.amount is not None:
                values["amount"] = format_vnd(self.amount)
        title, text = app.step(code).render(app=app.name, **values)
        if numbered:
            codes = numbered_steps(app)
            title = _("Bước {n}/{total}").format(n=codes.index(code) + 1,
                                                 total=len(codes)) + f" — {title}"
        return self.html(f'<h2 class="kns-step kns-wallet-step" tabindex="-1">{esc(title)}</h2>'
                         f'<div class="kns-wallet-steptext">{esc(text)}</div>')

    def _cancel(self) -> W.Button:
        def cancel() -> None:
            self.box.record("wallet.cancelled", self.app.code if self.app else None,
                            step=self._view.__name__.removeprefix("view_"))
            self.request = None
            self.amount = None
            self._go(self.view_app)

        return self.button(_("Hủy"), cancel, width="100%")

    def _choices(self) -> list[tuple[str, str]]:
        options = []
        for fee in pending_fees(self.box):
            options.append((_("Lệ phí hồ sơ {code} — {name} — {amount}").format(
                code=fee.dossier_code, name=procedure_name(self.box, fee.procedure_code),
                amount=format_vnd(fee.amount)), f"fee:{fee.dossier_code}"))
        for stall in stalls(self.box):
            options.append((_("Biển QR quầy «{name}» (mã tĩnh, tự nhập số tiền)").format(
                name=stall.name), f"stall:{stall.account}"))
        return options

    def view_scan(self) -> None:
        app = self.app
        assert app is not None
        self.request = None
        self.amount = None
        options = self._choices()
        parts: list[W.Widget] = [self._step("scan")]
        parts.append(self.html(f"<b>{esc(_('Mã QR đang hiện ở ứng dụng khác'))}</b>"))
        if options:
            # The dossier the portal sent the payer for is picked; otherwise "Chưa chọn".
            wanted = f"fee:{self.wanted}"
            self.picker = _unchosen(self.choice(
                _("Mã QR"), options, value=wanted if wanted in dict(options).values() else None))
            parts += [self.picker, self.button(app.label("scan"), self.scan_choice,
                                               style="primary", width="100%")]
        else:
            none = _("Chưa có mã QR nào đang chờ bạn thanh toán trong môi trường tập dượt.")
            parts.append(self.html(f'<div class="kns-muted">{esc(none)}</div>'))
        self.upload = W.FileUpload(accept="image/*", multiple=False,
                                   description=app.label("upload"),
                                   layout=W.Layout(width="100%"))
        self.upload.observe(self.guard(self._uploaded), "value")
        self.paste = W.Textarea(placeholder="000201010212...", description=_("Nội dung mã QR"),
                                style={"description_width": "initial"},
                                layout=W.Layout(width="100%"))
        parts += [
            self.html(f"<b>{esc(_('Hoặc chọn ảnh chụp có mã QR'))}</b>"), self.upload,
            self.html(f"<b>{esc(_('Hoặc dán nội dung chữ của mã QR'))}</b>"), self.paste,
            self.button(_("Đọc nội dung đã dán"), self.scan_pasted, width="100%"),
            self._cancel()]
        self._page(*parts)

    def _payload_for(self, choice: str) -> str:
        kind, _sep, key = choice.partition(":")
        if kind == "fee":
            return FeeDesk(self.box).code_for(key).payload
        for stall in stalls(self.box):
            if stall.account == key:
                return stall.payload
        raise InvalidInput(_("{label}: mã đã chọn không còn nữa; hãy chọn lại").format(
            label=rules.field_label("ma_qr")), field="ma_qr", value=choice)

    def _read(self, source: str, read: Callable[[], PaymentRequest], **detail: object) -> None:
        app = self.app
        assert app is not None
        try:
            request = read()
        except InvalidInput as error:
            self.box.record("wallet.scan_failed", app.code, source=source, field=error.field,
                            message=error.message, **detail)
            raise
        self.request = request
        self.amount = request.amount
        self.box.record("wallet.scanned", app.code, source=source, payee_bin=request.bank.bin,
                        payee_account=request.account, recipient=request.recipient,
                        amount=request.amount, dossier_code=request.dossier_code, **detail)
        self._go(self.view_review)

    def scan_choice(self) -> None:
        choice = self.picker.value
        if choice is None:
            error = InvalidInput(_("{label}: chưa chọn mã nào trong danh sách").format(
                label=rules.field_label("ma_qr")), field="ma_qr")
            self._invalid("scan", error)
            self.field_error(self.picker, error.message)
            return
        self._read("list", lambda: self.box.wallets.preview(self._payload_for(choice)),
                   choice=choice)

    def scan_pasted(self) -> None:
        text = self.paste.value.strip()
        if not text:
            error = InvalidInput(_("{label}: chưa dán nội dung mã").format(
                label=rules.field_label("ma_qr")), field="ma_qr", value=self.paste.value)
            self._invalid("scan", error)
            self.field_error(self.paste, error.message)
            return
        self._read("paste", lambda: self.box.wallets.preview(text))

    def _uploaded(self, change: dict) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        content = bytes(upload["content"])
        name = str(upload.get("name", ""))
        self.upload.value = ()  # the same photo may be chosen again after a fix

        def read() -> PaymentRequest:
            if len(content) > MAX_UPLOAD_BYTES:
                raise InvalidInput(_("Ảnh tải lên quá lớn: tối đa {limit} MB, ảnh «{name}» có "
                                     "{size:.1f} MB").format(limit=MAX_UPLOAD_BYTES // 2 ** 20,
                                                             name=name,
                                                             size=len(content) / 2 ** 20),
                                   field="image", value=name)
            return self.box.wallets.scan(content)

        self._read("upload", read, file=name)

    def view_review(self) -> None:
        """The recipient's screen: who, which bank, and the amount, carried by the code or
        typed here, checked against the balance before going on."""
        app, request = self.app, self.request
        assert app is not None and request is not None
        account = self._require_account()
        amount = (format_vnd(request.amount) if request.amount is not None
                  else _("(bạn tự nhập ngay bên dưới)"))
        rows = [(_("Người nhận"), request.recipient or _("(mã không ghi tên người nhận)")),
                (_("Ngân hàng"), request.bank.short_name),
                (rules.field_label("tai_khoan"), request.account),
                (rules.field_label("so_tien"), amount),
                (_("Nội dung"), request.purpose or "—")]
        if request.dossier_code:
            rows.append((_("Lệ phí hồ sơ"), request.dossier_code))
        card = self.html(f'<div class="kns-card kns-wallet-review">{_rows(rows)}</div>')
        parts: list[W.Widget] = [self._step("review"), card, *self._notes(request)]
        if request.static:
            _title, hint = app.step("amount").render(app=app.name, **request.values())
            self.amount_text = self.numeric(
                self.text(rules.field_label("so_tien"), placeholder="200.000"), AMOUNT_CHARS)
            parts += [self.html(f'<div class="kns-wallet-steptext">{esc(hint)}</div>'),
                      self.amount_text]
        parts.append(self.html(f'<div class="kns-wallet-available">'
                               f'{esc(_("Số dư hiện có"))}: '
                               f"<b>{esc(format_vnd(account.balance))}</b></div>"))
        go = self.button(_("Tiếp tục"), self.enter_amount, style="primary", width="100%")
        self._page(*parts, go, self._cancel())

    def _notes(self, request: PaymentRequest) -> list[W.Widget]:
        """The decoder's notes: things to read before paying, shown as information, not errors."""
        if not request.notes:
            return []
        items = "".join(f"<li>{esc(note)}</li>" for note in request.notes)
        title = esc(_("Lưu ý khi đọc mã (mã vẫn hợp lệ):"))
        return [self.html(f'<div class="kns-msg-info kns-wallet-notes" role="note">'
                          f'<b>{title}</b><ul>{items}</ul></div>')]

    def enter_amount(self) -> None:
        """The amount (typed for a static code) and the balance, before any PIN."""
        request = self.request
        assert request is not None
        account = self._require_account()
        typed = self.amount_text.value if request.static else None
        try:
            amount = rules.payment_amount(request, typed)
            self.box.wallets.check_amount(account.id, amount)
        except InvalidInput as error:
            self._invalid("amount", error)
            if request.static:
                self.field_error(self.amount_text, error.message)
            else:
                self.error(error.message)
            return
        self.amount = amount
        self._go(self.view_confirm)

    def view_confirm(self) -> None:
        app = self.app
        assert app is not None and self.request is not None
        # One key per confirm screen: a double tap (or a retry after a wrong PIN) can never
        # pay twice.
        self.key = f"wallet-{uuid.uuid4().hex}"
        account = self._require_account()
        rows = [(_("Người nhận"), self.request.recipient or "—"),
                (_("Ngân hàng"), self.request.bank.short_name),
                (rules.field_label("so_tien"), format_vnd(self.amount or 0)),
                (_("Từ tài khoản"), account.number),
                (_("Số dư hiện có"), format_vnd(account.balance))]
        card = self.html(f'<div class="kns-card kns-wallet-confirm">{_rows(rows)}</div>')
        confirm = self.button(app.label("confirm"), self.confirm, style="primary",
                              width="100%")
        self._page(self._step("confirm"), card, confirm, self._cancel())

    def confirm(self) -> None:
        assert self.app is not None and self.request is not None
        self.box.record("wallet.confirmed", self.app.code, amount=self.amount,
                        payee_account=self.request.account, idempotency_key=self.key)
        self._go(self.view_auth)

    def view_auth(self) -> None:
        app = self.app
        assert app is not None
        self.pin = self.numeric(self.text(app.auth_label, password=True, placeholder="••••••"),
                                rules.PIN_LENGTH)
        go = self.button(app.label("auth"), self.pay, style="primary", width="100%")
        self._page(self._step("auth"), self.pin, go, self._cancel())

    def pay(self) -> None:
        app, request = self.app, self.request
        assert app is not None and request is not None and self.key is not None
        account = self._require_account()
        pin = self.pin.value
        self.pin.value = ""  # a PIN never stays on screen
        try:
            receipt = self.box.wallets.pay(account.id, request.payload, pin=pin,
                                           amount=self.amount if request.static else None,
                                           idempotency_key=self.key)
        except InvalidInput as error:
            if self.box.wallets.account(account.id).locked:
                self._go(self.view_app)  # says it is locked, and who unlocks it
                return
            self.field_error(self.pin, error.message)  # the box is empty again: type anew
            return
        self.receipt = receipt
        self.fresh_receipt = True
        self._go(self.view_receipt)
        if receipt.duplicate:
            self.info(_("Giao dịch này đã được thực hiện rồi; đây là biên lai lần trước, tài "
                        "khoản không bị trừ tiền thêm."))
        elif receipt.payment.dossier_code:
            self.ok(_("Đã nộp lệ phí hồ sơ {code}.").format(code=receipt.payment.dossier_code))
        else:
            self.ok(_("Đã chuyển {amount}.").format(amount=format_vnd(receipt.amount)))

    def view_receipt(self) -> None:
        app, receipt = self.app, self.receipt
        assert app is not None and receipt is not None
        lines = receipt.text().splitlines()
        reference = esc(receipt.reference)
        body = "".join("<div>" + esc(line).replace(
            reference, f'<b class="kns-wallet-reference">{reference}</b>', 1) + "</div>"
            for line in lines[1:])
        card = self.html(
            f'<div class="kns-card kns-wallet-receipt">'
            f'<div class="kns-wallet-ok">✓ {esc(lines[0])}</div>{body}</div>')
        balance = self.box.wallets.account(receipt.payment.payer).balance
        after = self.html(f"<div>{esc(_('Số dư còn lại'))}: <b>{esc(format_vnd(balance))}</b>"
                          "</div>")
        p = receipt.payment
        values = {"recipient": p.payee_name or p.payee_account, "bank": receipt.bank_name,
                  "account": p.payee_account, "amount": format_vnd(p.amount),
                  "purpose": p.purpose or "—", "reference": p.reference}
        again = self.button(app.label("new_payment"), lambda: self._go(self.view_app),
                            style="primary", width="100%")
        history = self.button(_("Lịch sử giao dịch"), self.open_history, width="100%")
        self._page(self._step("receipt", values, numbered=self.fresh_receipt), card, after,
                   again, history)

    # -- history -----------------------------------------------------------------------

    def open_history(self) -> None:
        account = self._require_account()
        self.box.record("wallet.history_viewed", account.id)
        self._go(self.view_history)

    def view_history(self) -> None:
        account = self._require_account()
        paid = self.box.wallets.payments(payer=account.id)
        received = self.box.wallets.incoming(account.id)
        moves = sorted([(p.at, p.reference, p.payee_name or p.payee_account,
                         f"−{format_vnd(p.amount)}") for p in paid]
                       + [(p.at, p.reference, _("Nhận từ {name}").format(name=p.payer_name),
                           f"+{format_vnd(p.amount)}") for p in received], reverse=True)
        parts: list[W.Widget] = [self.step_title(
            _("Lịch sử giao dịch") + f" — {account.number}")]
        if moves:
            rows = [(f"{at:%H:%M %d/%m}", who, amount, reference)
                    for at, reference, who, amount in moves]
            parts.append(self.html(table([_("Thời gian"), _("Người nhận / gửi"), _("Số tiền"),
                                          _("Mã giao dịch")], rows).replace(
                'class="kns-table"', 'class="kns-table kns-small kns-wallet-history"')))
        else:
            parts.append(self.html(f'<div class="kns-muted">{esc(_("Chưa có giao dịch nào."))}'
                                   "</div>"))
        if paid:
            self.past = _unchosen(self.choice(_("Biên lai"), [
                (f"{p.reference} — {format_vnd(p.amount)}", p.reference) for p in reversed(paid)]))
            parts += [self.past, self.button(_("Xem lại biên lai"), self.show_receipt,
                                             width="100%")]
        parts.append(self.button(_("Quay lại"), lambda: self._go(self.view_app),
                                 width="100%"))
        self._page(*parts)

    def show_receipt(self) -> None:
        reference = self.past.value
        if reference is None:
            self.field_error(self.past, _("Chưa chọn biên lai cần xem lại"))
            return
        self.receipt = self.box.wallets.receipt(reference)
        self.fresh_receipt = False  # seen again from the history: not a step of a payment
        self.box.record("wallet.receipt_viewed", reference)
        self._go(self.view_receipt)


# --- entry points ---------------------------------------------------------------------------


def wallet_app() -> Screen:
    """Entry point for apps/wallet.ipynb (``?nguoi=<person>&ma=<dossier code>``)."""
    # The same default person as the portal, whose "Mở ví để thanh toán" link opens this app.
    code = page_query().get("ma")  # waits for a preheated page's request first
    return launch(WalletScreen, role="resident", dossier_code=code)
