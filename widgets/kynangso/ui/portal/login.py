"""Step 0: "Đăng nhập bằng VNeID", the portal's login with the electronic identity account.

The real portal sends a resident to the VNeID login (the account the Bộ Công an issues, set
up in the VNeID phone app); once in, the applicant's identity comes from the account. Here
the number and password are checked by the practice VNeID desk (``box.vneid``) as the app
checks them, wrong tries and lock-out included. Submitting needs the procedure's account
level (``vneid_level`` in data/procedures.yaml); a level-1 account is sent to the police.
"""

from __future__ import annotations

from urllib.parse import urlencode

import ipywidgets as W

from ...domain import vneid as vneid_rules
from ...domain.identity import validate_cccd
from ...errors import InvalidInput, KnsError
from ...i18n import _
from ...sandbox.vneid import DEFAULT_DEVICE
from ..base import esc
from .common import PortalBase, muted

CCCD_DIGITS = 12


def vneid_link(actor: str) -> str:
    """Relative link to the practice VNeID app (same Voila server) for the same person."""
    return "vneid.ipynb?" + urlencode({"nguoi": actor})


def no_account_message() -> str:
    return _("Số định danh này chưa có tài khoản định danh điện tử đã kích hoạt. Hãy mở ứng "
             "dụng VNeID của Bộ Công an trên điện thoại, chọn «Kích hoạt tài khoản định danh "
             "điện tử», rồi quay lại đây đăng nhập. Khi tập dượt, dùng ứng dụng «VNeID — Định "
             "danh điện tử (mô phỏng)».")


def level_tip() -> str:
    return _("Khi tập dượt: nhờ giảng viên ghi nhận định danh mức 2 cho số định danh của bạn "
             "(vai cán bộ Công an), rồi bấm lại «Nộp hồ sơ trực tuyến».")


class LoginStep(PortalBase):
    """The login view and the account checks before a form."""

    def _view_login(self) -> list[W.Widget]:
        why = {"form": _("Đăng nhập để nộp hồ sơ: họ tên, số định danh, ngày sinh, giới tính "
                         "và địa chỉ sẽ được điền sẵn từ tài khoản của bạn."),
               "mine": _("Đăng nhập để xem hồ sơ bạn đã nộp."),
               "feedback": _("Đăng nhập để gửi phản ánh, kiến nghị.")}.get(
                   self.after_login, _("Đăng nhập để nộp và theo dõi hồ sơ."))
        self.login_cccd = self.numeric(self.text(_("Số định danh cá nhân (CCCD)"),
                                                 placeholder=_("12 chữ số")), CCCD_DIGITS)
        self.login_password = self.text(_("Mật khẩu"), password=True)
        self.login_button = self.button(_("Đăng nhập"), self.log_in, style="primary")
        link = vneid_link(self.box.actor)
        back = "procedure" if self.procedure_code else "search"
        return [
            self.step_title(_("Đăng nhập bằng VNeID")),
            self.html('<div class="kns-vneid-note">' + esc(_(
                "Cổng Dịch vụ công dùng tài khoản định danh điện tử do Bộ Công an cấp (ứng "
                "dụng VNeID). Nhập số định danh cá nhân và mật khẩu bạn đã đặt khi kích hoạt "
                "tài khoản trên ứng dụng VNeID.")) + "</div>" + muted(why)),
            self.login_cccd, self.login_password,
            W.HBox([self._back(_("Quay lại"), back), self.login_button],
                   layout=W.Layout(flex_flow="row wrap")),
            self.html(f"<p>{esc(_('Chưa có tài khoản định danh điện tử?'))}</p>"
                      + muted(no_account_message())
                      + f'<a class="kns-link-button kns-vneid-link" href="{esc(link)}" '
                        f'target="_blank" rel="noopener">'
                        f'{esc(_("Mở ứng dụng VNeID (tập dượt)"))}</a>'),
        ]

    def log_in(self) -> None:
        password = self.login_password.value
        self.login_password.value = ""  # never left on the screen after a try
        try:
            number = validate_cccd(self.login_cccd.value).number
        except InvalidInput as error:
            self.box.record("portal.vneid_login_refused", None, reason="number",
                            message=error.message)
            self.field_error(self.login_cccd, error.message)
            return
        account = self._account_for(number)
        if account is None:
            message = no_account_message()
            self.box.record("portal.vneid_login_refused", number, reason="no_account",
                            message=message)
            self.field_error(self.login_cccd, message)
            return
        if not password:
            self.field_error(self.login_password, _("Chưa nhập {label}").format(
                label=vneid_rules.field_label("mat_khau")))
            return
        try:
            # A web login is not a new phone: it must not start the new-device code.
            self.box.vneid.login(number, password, device=account.device or DEFAULT_DEVICE)
        except KnsError as error:  # wrong password, locked: the desk logged it
            self.field_error(self.login_password, error.message)
            return
        self.account = self._account_for(number)
        self.box.record("portal.vneid_login", number, level=account.level)
        after, self.after_login = self.after_login or "search", ""
        if after == "form":
            self.start_form()
        else:
            self.go(after)
        self.ok(_("Xin chào {name}. Bạn đã đăng nhập Cổng Dịch vụ công bằng tài khoản "
                  "VNeID.").format(name=account.profile.full_name))

    def log_out(self) -> None:
        """Leave the portal: the next person at this browser starts from nothing."""
        if self.account is not None:
            self.box.record("portal.vneid_logout", self.account.cccd)
        self.account = None
        self.draft = None
        self.current = None
        self.after_login = ""
        self.go("search")
        self.info(_("Đã đăng xuất khỏi Cổng Dịch vụ công."))

    def check_account(self) -> None:
        """Before a form: logged in (else the login first), with the level the procedure
        needs (else the police desk, as the VNeID app says it)."""
        proc = self.procedure()
        account = self._account_for(self.account.cccd) if self.account is not None else None
        self.account = account
        if account is None:
            return
        try:
            vneid_rules.check_level(proc, account.level, self.box.vneid.rules)
        except InvalidInput as error:
            self.box.record("portal.level_refused", proc.code, level=account.level,
                            needed=proc.vneid_level)
            self.go("procedure")
            raise InvalidInput(f"{error.message} {level_tip()}", field="muc_dinh_danh",
                               value=account.level) from None

