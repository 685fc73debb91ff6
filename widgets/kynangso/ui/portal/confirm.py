"""Step 4: check and submit the dossier, then pay its fee with a practice VietQR code.

Every procedure whose fee the ward charges (``common.pays_by_qr``) ends on its QR code;
the fee and a birth registration's on time / late read in plain words, details one tap
away.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import ipywidgets as W

from ...domain.attachments import FILES_KEY, missing_documents, missing_message
from ...domain.birth import timing_details, timing_text
from ...domain.catalogue import Procedure, unverified_label
from ...domain.dossier import Dossier
from ...domain.forms import APPLICANT_KEYS, form_fields, form_value_label
from ...domain.money import format_vnd
from ...domain.vietqr import VietQR
from ...errors import InvalidInput
from ...i18n import _
from ...sandbox import fees
from ...sandbox.fees import FeeDesk
from ..base import esc, more
from .common import (
    CHANNEL,
    PAYABLE_STATES,
    PortalBase,
    fee_details,
    muted,
    officer_says,
    pays_by_qr,
    quote_for,
    time_details,
    time_plain,
)

if TYPE_CHECKING:
    from ...sandbox.store import Sandbox


def collection_account(box: Sandbox) -> str:
    """The ward's fee account number (see sandbox/fees.py)."""
    return fees.collection_account(box).number


collection_name = fees.collection_name


def fee_qr(dossier: Dossier, account: str) -> VietQR:
    return fees.fee_qr(dossier, account)


def wallet_link(actor: str, code: str) -> str:
    """Relative link to the wallet app (same Voila server) for the same person and dossier."""
    return "wallet.ipynb?" + urlencode({"nguoi": actor, "ma": code})


class ConfirmStep(PortalBase):
    """The summary with the pledge, the submit button, the code, and the fee's QR card."""

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
        files = "".join(f"<li>{esc(d.shown_name)}: {esc(draft.attachments[d.code].describe())}</li>"
                        for d in proc.documents if d.code in draft.attachments)
        timing = self.registration_timing(proc, draft.clean)
        on_time = timing is None or timing.on_time
        quote = quote_for(proc, draft.clean, on_time=on_time)
        parts = [f"<h3>{esc(proc.shown_name)}</h3>", *shown]
        if timing is not None:
            parts.append(f'<div class="kns-timing{"" if on_time else " kns-late-note"}">'
                         f"<b>{esc(_('Hạn đăng ký'))}:</b>"
                         + more(timing_text(timing), " ".join(timing_details(timing)))
                         + "</div>")
        parts += [f"<div><b>{esc(_('Giấy tờ kèm theo'))}:</b><ul>{files}</ul></div>",
                  f"<div><b>{esc(_('Lệ phí'))}:</b></div>"
                  + more(self._quote_plain(quote.amount, quote.verified, proc),
                         f"{quote.explanation}. {fee_details(proc)}"),
                  f"<div><b>{esc(_('Thời hạn giải quyết'))}:</b></div>"
                  + more(time_plain(proc), time_details(proc)),
                  muted(_("Ngày hẹn trả kết quả do Trung tâm ghi khi tiếp nhận hồ sơ, tính từ "
                          "ngày tiếp nhận."))]
        card = self._card(*parts)
        self.pledge = W.Checkbox(value=False, indent=False, description=_(
            "Tôi cam đoan những thông tin đã khai là đúng sự thật"),
            layout=W.Layout(width="auto"))
        self.pledge.add_class("kns-pledge")
        self.submit_button = self.button(_("Nộp hồ sơ"), self.submit, style="success")
        return [self.step_title(_("Bước 3/3: Kiểm tra và nộp")), self.html(card), self.pledge,
                W.HBox([self._back(_("Quay lại"), "documents"), self.submit_button],
                       layout=W.Layout(flex_flow="row wrap"))]

    def submit(self) -> None:
        draft = self.draft
        if draft is None or self.view != "confirm":
            return  # a second tap on the same button after the dossier went in
        proc = self.procedure()
        if not self.pledge.value:
            self.box.record("portal.pledge_missing", proc.code)
            self.field_error(self.pledge, _(
                "Chưa đánh dấu ô cam đoan: hãy đọc lại tờ khai rồi đánh dấu «Tôi cam đoan những "
                "thông tin đã khai là đúng sự thật»"))
            return
        missing = missing_documents(proc, draft.attachments)
        if missing:  # the documents step checks this; guard a stale view all the same
            raise InvalidInput(missing_message(missing), field="giay_to")
        clean = draft.clean
        applicant = {k: clean[k] for k in APPLICANT_KEYS}
        form = {k: v for k, v in clean.items() if k not in APPLICANT_KEYS}
        form[FILES_KEY] = {k: a.to_dict() for k, a in draft.attachments.items()}
        timing = self.registration_timing(proc, clean)
        # A late registration loses the free-when-on-time waiver (sandbox quotes it).
        late = {} if timing is None or timing.on_time else {"on_time": False}
        dossier = self.box.dossiers.create(
            proc.code, applicant, channel=CHANNEL, documents=list(draft.attachments),
            form=form, pages=clean.get("so_trang") or 1, copies=clean.get("so_ban") or 1,
            group=clean.get("doi_tuong") or None, **late)
        dossier = self.box.dossiers.submit(dossier.code)
        self.draft = None  # the half-filled form is done with: _draw saves the state without it
        self.current = dossier.code
        self.go("done")
        self.ok(_("Đã nộp hồ sơ {code}. Hãy ghi lại mã hồ sơ để tra cứu.").format(
            code=dossier.code))

    def _view_done(self) -> list[W.Widget]:
        assert self.current is not None
        dossier = self.box.dossiers.get(self.current)
        proc = self.catalogue[dossier.procedure_code]
        card = self._card(
            f'<div class="kns-muted">{esc(_("Mã hồ sơ của bạn"))}</div>',
            f'<div class="kns-code kns-dossier-code">{esc(dossier.code)}</div>',
            self._line(_("Thủ tục"), proc.shown_name),
            self._line(_("Trạng thái"), dossier.state.label),
            self._due_html(dossier, proc))
        return [self.step_title(_("Đã nộp hồ sơ")), self.html(card),
                *self._payment_widgets(dossier),
                self.button(_("Xem hồ sơ của tôi"), lambda: self.go("mine"), style="info"),
                self.button(_("Tìm thủ tục khác"), self._open_search)]

    # -- fee payment -------------------------------------------------------------------

    @staticmethod
    def _quote_plain(amount: int | None, verified: bool, proc: Procedure) -> str:
        """The fee of this dossier in a resident's words, and whether a QR follows."""
        if amount is None or not verified:
            return officer_says()
        if amount == 0:
            return _("Miễn phí")
        text = format_vnd(amount)
        if pays_by_qr(proc):
            text += " — " + _("nộp bằng mã QR ngay sau khi nộp hồ sơ")
        return text

    def _payment_widgets(self, dossier: Dossier) -> list[W.Widget]:
        if dossier.state not in PAYABLE_STATES:
            return []
        if dossier.fee_amount is None:
            proc = self.catalogue[dossier.procedure_code] \
                if dossier.procedure_code in self.catalogue else None
            details = _("Mức lệ phí của hồ sơ này {state}.").format(state=unverified_label())
            if proc is not None:
                details += " " + fee_details(proc)
            return [self.html('<div class="kns-msg-info kns-fee-officer">' + more(_(
                "{fee}; không nộp qua mã QR. Đừng chuyển tiền theo lời nhắn hay cuộc gọi "
                "lạ.").format(fee=officer_says()), details) + "</div>")]
        if dossier.fee_amount == 0:
            return [self.html('<div class="kns-msg-ok">' + esc(_("Hồ sơ này được miễn lệ phí."))
                              + "</div>")]
        if dossier.fee_paid:
            return [self.html('<div class="kns-msg-ok kns-fee-paid">' + esc(_(
                "Đã nộp lệ phí {amount}.").format(amount=format_vnd(dossier.fee_amount)))
                + "</div>")]
        from ...domain.banks import load_banks  # imported when a fee is due, not on page load
        from ...domain.qrimage import payment_card

        bank = load_banks().training_bank
        # The sandbox's fee code for this dossier (issued once): the wallet pays this row.
        fee = FeeDesk(self.box).code_for(dossier.code)
        account, payload, name, qr = fee.account, fee.payload, fee.payee_name, fee.qr
        png = payment_card(qr, recipient_name=name, bank_name=bank.short_name)
        assert isinstance(png, bytes)
        alt = _("Mã QR tập dượt: nộp {amount} cho {name}, nội dung {purpose}").format(
            amount=format_vnd(fee.amount), name=name, purpose=qr.purpose)
        self.box.record("portal.fee_qr_shown", dossier.code, amount=fee.amount,
                        bank_bin=fee.bank_bin, account=account, payee_name=name,
                        payload=payload)
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

