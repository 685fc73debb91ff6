"""The ward's fee collection: one practice account and one kind of fee code.

The portal shows the code and the wallet pays it, so both read the convention here:
the account "<Phường Trúc Lâm> - thu phí (tập dượt)" at the training bank, owned by the
system user ``COLLECTOR``; a one-payment code for the fee with ``LP <dossier code>`` as
its purpose and the dossier code as its bill number (the wallet finds the dossier there).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from ..domain.vietqr import VietQR, encode
from . import world

if TYPE_CHECKING:
    from ..domain.dossier import Dossier
    from ..domain.wallets import Account
    from .store import Sandbox

COLLECTOR = "thu-phi-phuong"
COLLECTION_APP = "ngan-hang"
MAX_TEXT = 25  # VietQR purpose and bill number limits


def collection_name() -> str:
    """"Phường Trúc Lâm - thu phí (tập dượt)", from the ward in locality.yaml."""
    ward = world.locality()
    return f"{ward.ward_kind.capitalize()} {ward.ward} - thu phí (tập dượt)"


def collection_account(box: Sandbox) -> Account:
    """The ward's fee account, opened by the system on first use (never by a trainee)."""
    name = collection_name()

    def find() -> Account | None:
        mine = [a for a in box.wallets.accounts(owner=COLLECTOR) if a.holder_name == name]
        return min(mine, key=lambda a: a.number) if mine else None

    account = find()
    if account is None:
        # Nobody pays from this account, so its PIN is random and never shown.
        box.as_actor(COLLECTOR, "system").wallets.open_account(
            COLLECTION_APP, name, balance=0, pin=f"{secrets.randbelow(10 ** 6):06d}",
            owner=COLLECTOR)
        account = find()  # the lowest number wins if two kernels opened one at once
    assert account is not None
    return account


def fee_qr(dossier: Dossier, account_number: str) -> VietQR:
    """A one-payment code for the dossier's fee at the training bank."""
    from ..domain.banks import load_banks

    purpose = f"LP {dossier.code}"
    return VietQR(load_banks().training_bank.bin, account_number, amount=dossier.fee_amount,
                  bill_number=dossier.code if len(dossier.code) <= MAX_TEXT else None,
                  purpose=purpose if len(purpose) <= MAX_TEXT else dossier.code)


def fee_payload(box: Sandbox, dossier: Dossier) -> str:
    return encode(fee_qr(dossier, collection_account(box).number)).payload
