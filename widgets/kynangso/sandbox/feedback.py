"""Satisfaction ratings, feedback and petitions, and the centre's answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInput, MissingEntry
from ..i18n import N_, _, nfc
from .db import where_equal

if TYPE_CHECKING:
    from .store import Sandbox

KINDS = {
    "danh-gia": "Đánh giá mức độ hài lòng",
    "phan-anh": "Phản ánh",
    "kien-nghi": "Kiến nghị",
}
RATING_LABELS = {
    1: N_("Rất không hài lòng"),
    2: N_("Không hài lòng"),
    3: N_("Bình thường"),
    4: N_("Hài lòng"),
    5: N_("Rất hài lòng"),
}
MAX_TEXT = 2000


@dataclass(frozen=True)
class Feedback:
    id: int
    kind: str
    dossier_code: str | None
    rating: int | None
    text: str
    author: str
    created_at: datetime
    answer: str | None
    answered_by: str | None
    answered_at: datetime | None

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @classmethod
    def from_row(cls, row: Any) -> Feedback:
        def when(v: str | None) -> datetime | None:
            return datetime.fromisoformat(v) if v else None

        return cls(id=row.id, kind=row.kind, dossier_code=row.dossier_code, rating=row.rating,
                   text=row.text, author=row.author, created_at=datetime.fromisoformat(
                       row.created_at), answer=row.answer, answered_by=row.answered_by,
                   answered_at=when(row.answered_at))


def _clean_text(text: str | None, *, field: str, label: str, required: bool) -> str:
    text = nfc(text or "").strip()
    if required and not text:
        raise InvalidInput(_("Chưa nhập {label}").format(label=label), field=field, value=text)
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("{label} dài quá {limit} ký tự (đang có {count})")
                           .format(label=label, limit=MAX_TEXT, count=len(text)),
                           field=field, value=len(text))
    return text


class FeedbackDesk:
    """Ratings, feedback and petitions of one sandbox (``box.feedback``)."""

    def __init__(self, box: Sandbox):
        self.box = box

    def rate(self, dossier_code: str, rating: int, comment: str = "") -> Feedback:
        """Rate the service for a dossier, 1 (very unhappy) to 5 (very happy)."""
        if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATING_LABELS:
            raise InvalidInput(_("Mức đánh giá phải là số nguyên từ 1 đến 5: hãy chọn từ 1 đến 5 "
                                 "sao"), field="danh_gia", value=rating)
        comment = _clean_text(comment, field="y_kien", label=_("ý kiến"), required=False)
        self.box.dossiers.get(dossier_code)  # MissingEntry names the code
        return self._add("danh-gia", comment, dossier_code=dossier_code, rating=rating)

    def send(self, text: str, *, kind: str = "phan-anh", dossier_code: str | None = None
             ) -> Feedback:
        """Send a feedback (phản ánh) or petition (kiến nghị), optionally about a dossier."""
        if kind not in ("phan-anh", "kien-nghi"):
            raise InvalidInput(_("Loại góp ý không hợp lệ; hãy chọn phản ánh hoặc kiến nghị"),
                               field="loai", value=kind)
        text = _clean_text(text, field="noi_dung", label=_("nội dung"), required=True)
        if dossier_code:
            self.box.dossiers.get(dossier_code)
        return self._add(kind, text, dossier_code=dossier_code or None, rating=None)

    def _add(self, kind: str, text: str, *, dossier_code: str | None, rating: int | None
             ) -> Feedback:
        box = self.box
        with box.transaction() as tx:
            at = tx.now.isoformat(timespec="seconds")
            new_id = tx.connection.execute(
                "INSERT INTO feedback (kind, dossier_code, rating, text, author, created_at)"
                " VALUES (:kind, :dossier_code, :rating, :text, :author, :at) RETURNING id",
                {"kind": kind, "dossier_code": dossier_code, "rating": rating, "text": text,
                 "author": box.actor, "at": at}).scalar_one()
            tx.append(f"feedback.{kind}", dossier_code, id=new_id, rating=rating, text=text)
        return self.get(new_id)

    def answer(self, feedback_id: int, text: str) -> Feedback:
        """The centre answers a feedback or petition (official or trainer)."""
        box = self.box
        if box.role not in ("official", "trainer"):
            raise InvalidInput(_("Chỉ cán bộ một cửa mới được trả lời phản ánh"),
                               field="role", value=box.role)
        text = _clean_text(text, field="tra_loi", label=_("nội dung trả lời"), required=True)
        self.get(feedback_id)
        with box.transaction() as tx:
            at = tx.now.isoformat(timespec="seconds")
            tx.connection.execute("UPDATE feedback SET answer = :text, answered_by = :by,"
                         " answered_at = :at WHERE id = :id",
                         {"id": feedback_id, "text": text, "by": box.actor, "at": at})
            tx.append("feedback.answered", str(feedback_id), text=text)
        return self.get(feedback_id)

    def get(self, feedback_id: int) -> Feedback:
        with self.box.reading() as conn:
            row = conn.execute("SELECT * FROM feedback WHERE id = :id",
                               {"id": feedback_id}).first()
        if row is None:
            raise MissingEntry(_("Không có phản ánh số {value}").format(value=feedback_id),
                               field="feedback", value=feedback_id)
        return Feedback.from_row(row)

    def list(self, *, author: str | None = None, kind: str | None = None) -> list[Feedback]:
        where, params = where_equal(author=author, kind=kind)
        with self.box.reading() as conn:
            rows = conn.execute(f"SELECT * FROM feedback{where} ORDER BY id", params)
            return [Feedback.from_row(row) for row in rows]
