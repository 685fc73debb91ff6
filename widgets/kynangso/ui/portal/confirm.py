"""Step 4: check and submit the dossier, then pay its fee with a practice VietQR code."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import ipywidgets as W

from ...domain.attachments import FILES_KEY, missing_documents, missing_message
from ...domain.catalogue import unverified_label
from ...domain.dossier import Dossier
from ...domain.forms import APPLICANT_KEYS, form_fields, form_value_label
from ...domain.money import format_vnd
from ...domain.vietqr import VietQR
from ...errors import InvalidInput
from ...i18n import _
from ...sandbox import fees
from ...sandbox.fees import FeeDesk
from ..base import esc
from .common import CHANNEL, PAYABLE_STATES, PortalBase, muted, quote_for, time_text

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
        quote = quote_for(proc, draft.clean)
        if quote.amount is None:
            fee = quote.explanation
        elif quote.amount == 0:
            fee = _("Miễn phí") + f" — {quote.explanation}"
        else:
            fee = f"{format_vnd(quote.amount)} — {quote.explanation}"
        card = self._card(
            f'<div class="kns-step">{esc(_("Bước 3/3: Kiểm tra và nộp"))}</div>',
            f"<h3>{esc(proc.shown_name)}</h3>", *shown,
            f"<div><b>{esc(_('Giấy tờ kèm theo'))}:</b><ul>{files}</ul></div>",
            self._line(_("Lệ phí"), fee),
            self._line(_("Thời hạn giải quyết"), time_text(proc)),
            muted(_("Ngày hẹn trả kết quả do Trung tâm ghi khi tiếp nhận hồ sơ, tính từ ngày "
                    "tiếp nhận.")))
        self.pledge = W.Checkbox(value=False, indent=False, description=_(
            "Tôi cam đoan những thông tin đã khai là đúng sự thật"),
            layout=W.Layout(width="auto"))
        self.pledge.add_class("kns-pledge")
        self.submit_button = self.button(_("Nộp hồ sơ"), self.submit, style="success")
        return [self.html(card), self.pledge,
                W.HBox([self._back(_("Quay lại"), "documents"), self.submit_button],
                       layout=W.Layout(flex_flow="row wrap"))]

    def submit(self) -> None:
        draft = self.draft
        if draft is None or self.view != "confirm":
            return  # a second tap on the same button after the dossier went in
        proc = self.procedure()
        if not self.pledge.value:
            self.box.record("portal.pledge_missing", proc.code)
            raise InvalidInput(_("Chưa đánh dấu ô cam đoan: hãy đọc lại tờ khai rồi đánh dấu "
                                 "«Tôi cam đoan những thông tin đã khai là đúng sự thật»"),
                               field="cam_doan", value=False)
        missing = missing_documents(proc, draft.attachments)
        if missing:  # the documents step checks this; guard a stale view all the same
            raise InvalidInput(missing_message(missing), field="giay_to")
        clean = draft.clean
        applicant = {k: clean[k] for k in APPLICANT_KEYS}
        form = {k: v for k, v in clean.items() if k not in APPLICANT_KEYS}
        form[FILES_KEY] = {k: a.to_dict() for k, a in draft.attachments.items()}
        dossier = self.box.dossiers.create(
            proc.code, applicant, channel=CHANNEL, documents=list(draft.attachments),
            form=form, pages=clean.get("so_trang") or 1, copies=clean.get("so_ban") or 1,
            group=clean.get("doi_tuong") or None)
        dossier = self.box.dossiers.submit(dossier.code)
        self.draft = None
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
        return [self.html(card), *self._payment_widgets(dossier),
                self.button(_("Xem hồ sơ của tôi"), lambda: self.go("mine"), style="info"),
                self.button(_("Tìm thủ tục khác"), self._open_search)]

    # -- fee payment -------------------------------------------------------------------

    def _payment_widgets(self, dossier: Dossier) -> list[W.Widget]:
        if dossier.state not in PAYABLE_STATES:
            return []
        if dossier.fee_amount is None:
            return [self.html('<div class="kns-msg-info">' + esc(_(
                "Lệ phí: {state}. Cán bộ tiếp nhận sẽ báo mức thu; đừng chuyển tiền theo lời "
                "nhắn hay cuộc gọi lạ.").format(state=unverified_label())) + "</div>")]
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

