"""Cards in the VNeID document wallet and when they stop being valid.

The identity card (thẻ căn cước, before 1/7/2024 "căn cước công dân") must be exchanged at
the ages the law names, so a card printed "Có giá trị đến" a birthday expires on it:

- Luật Căn cước 2023 (số 26/2023/QH15, in force 1/7/2024), Điều 21 khoản 1: a citizen who has
  a card exchanges it on reaching 14, 25, 40 and 60 years of age; khoản 2: a card issued,
  exchanged or reissued within the 2 years before one of those ages stays valid until the
  next one. A card issued from 58 on is therefore valid for life. Read in the summaries of
  giadinh.suckhoedoisong.vn ("Từ năm 2026, những người có năm sinh sau cần lưu ý đổi thẻ
  căn cước", 21/01/2026) and soha.vn (23/02/2026), which quote the article; the brief this
  module answers named 25/40/60, the milestones of Luật Căn cước công dân 2014, Điều 21; the
  2023 law adds 14. Checked 2026-12-02 (``CHECKED``).
- Exchanging a card is done at the police (Điều 24 khoản 1 điểm a of the same law), not in
  the app; the wallet says so when a card has expired.

Project decisions (not law): the practice card's issue date is drawn from the holder's CCCD
number (same person, same card), between the 14th birthday (or 2016, when cards with a
12-digit number began) and the personas' reference day, so some practice residents carry an expired card, as
some real ones do; a card is "expiring" in the ``SOON_DAYS`` before its last valid day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ..i18n import _, translate
from .identity import N_, format_date
from .personas import REFERENCE_DATE

MILESTONES = (14, 25, 40, 60)  # Luật Căn cước 2023, Điều 21 khoản 1
GRACE_YEARS = 2  # Điều 21 khoản 2
CARD_LAW_START = date(2024, 7, 1)  # cards issued from then are "thẻ căn cước"
FIRST_ISSUE = date(2016, 1, 1)  # 12-digit CCCD cards (project decision for practice cards)
SOON_DAYS = 60
CHECKED = date(2026, 12, 2)
SOURCE = N_("Luật Căn cước 2023 (số 26/2023/QH15), Điều 21: cấp đổi thẻ khi đủ 14, 25, 40 và "
            "60 tuổi; thẻ cấp trong 2 năm trước các tuổi đó dùng đến tuổi cấp đổi tiếp theo")


def birthday(birth: date, age: int) -> date:
    """The day ``birth`` turns ``age`` (29 February counts as 28 February in common years)."""
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:
        return birth.replace(year=birth.year + age, day=28)


def card_expiry(birth: date, issued: date) -> date | None:
    """The last day an identity card issued on ``issued`` is valid, or None (for life)."""
    for age in MILESTONES:
        milestone = birthday(birth, age)
        if issued < birthday(birth, age - GRACE_YEARS):
            return milestone
    return None


class Status(StrEnum):
    VALID = "valid"
    SOON = "soon"
    EXPIRED = "expired"
    LIFETIME = "lifetime"


@dataclass(frozen=True)
class Validity:
    """Whether a card is still valid on ``today``, in words a resident reads."""

    expires: date | None  # last valid day; None: no end
    status: Status
    advice: str = ""  # what to do, when the card has expired or soon will

    @property
    def label(self) -> str:
        return {Status.VALID: _("Còn hạn"), Status.SOON: _("Sắp hết hạn"),
                Status.EXPIRED: _("Đã hết hạn"), Status.LIFETIME: _("Không thời hạn")}[
                    self.status]

    @property
    def expired(self) -> bool:
        return self.status is Status.EXPIRED

    @property
    def until(self) -> str:
        """The "valid until" value as the card prints it."""
        return _("Không thời hạn") if self.expires is None else format_date(self.expires)


def status_on(expires: date | None, today: date) -> Status:
    if expires is None:
        return Status.LIFETIME
    if today > expires:
        return Status.EXPIRED
    if (expires - today).days < SOON_DAYS:
        return Status.SOON
    return Status.VALID


def identity_validity(birth: date, issued: date, today: date) -> Validity:
    """The identity card's validity, with what to do when it has expired or soon will."""
    expires = card_expiry(birth, issued)
    status = status_on(expires, today)
    advice = ""
    if status is Status.EXPIRED:
        advice = _("Thẻ căn cước này chỉ có giá trị đến ngày {day} và nay đã hết hạn. Hãy "
                   "đến cơ quan Công an để làm thủ tục cấp đổi thẻ, mang theo thẻ cũ. Thẻ hết "
                   "hạn không còn dùng làm giấy tờ tùy thân.").format(
                       day=format_date(expires or today))
    elif status is Status.SOON:
        advice = _("Thẻ căn cước có giá trị đến ngày {day}. Hãy sắp xếp đến cơ quan Công an "
                   "để cấp đổi thẻ trước ngày đó.").format(day=format_date(expires or today))
    return Validity(expires, status, advice)


def insurance_validity(valid_to: date, today: date, procedure: str) -> Validity:
    """A health-insurance card valid through ``valid_to``; ``procedure``: the renewal's name."""
    status = status_on(valid_to, today)
    advice = ""
    if status is Status.EXPIRED:
        advice = _("Thẻ bảo hiểm y tế này chỉ có giá trị đến ngày {day} và nay đã hết hạn: "
                   "đi khám sẽ không được bảo hiểm y tế chi trả. Hãy gia hạn thẻ (thủ tục "
                   "«{procedure}»).").format(day=format_date(valid_to), procedure=procedure)
    elif status is Status.SOON:
        advice = _("Thẻ bảo hiểm y tế có giá trị đến ngày {day}. Hãy gia hạn trước ngày đó "
                   "(thủ tục «{procedure}»).").format(day=format_date(valid_to),
                                                     procedure=procedure)
    return Validity(valid_to, status, advice)


@dataclass(frozen=True)
class IdentityCard:
    """The practice identity card shown first in the wallet."""

    number: str
    title: str
    issued: date
    validity: Validity
    rows: tuple[tuple[str, str], ...]
    kind: str = "cccd"
    source: str = ""
    verified: bool = True
    synthetic: bool = True


def practice_issue_date(cccd: str, birth: date, today: date) -> date | None:
    """The practice card's issue date, the same for the same number whatever the day; None
    while the holder has no card yet (before 14)."""
    start = max(birthday(birth, MILESTONES[0]), FIRST_ISSUE)
    end = max(start, REFERENCE_DATE)  # a fixed window: the date never moves with the clock
    rng = random.Random(f"kynangso-the-can-cuoc-{cccd}")
    issued = start + timedelta(days=rng.randrange((end - start).days + 1))
    return issued if issued <= today else None


def identity_card(cccd: str, person: tuple[tuple[str, str], ...], birth: date, today: date,
                  *, issued: date | None = None) -> IdentityCard | None:
    """The holder's practice identity card (``person``: name, birth date, sex rows), or None
    for a child without one."""
    issued = issued or practice_issue_date(cccd, birth, today)
    if issued is None:
        return None
    validity = identity_validity(birth, issued, today)
    title = _("Thẻ căn cước") if issued >= CARD_LAW_START else _("Thẻ căn cước công dân")
    rows = ((_("Số định danh cá nhân"), cccd), *person,
            (_("Ngày cấp"), format_date(issued)), (_("Có giá trị đến"), validity.until))
    return IdentityCard(cccd, title, issued, validity, rows, source=translate(SOURCE))
