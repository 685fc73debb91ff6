"""The small trader's (tiểu thương) side of QR payments: the stall's code, a printable sign,
the day's takings and a reconciliation against the trader's own notebook of sales.

A stall code is a STATIC VietQR (customers type the amount) at the training bank: a sign
printed in class must never be payable by a real banking app (DESIGN.md). pandas, matplotlib,
Pillow and fpdf2 are imported inside the functions that need them, so importing this module
stays light for a Voila kernel.

Column names of the frames below are stable Vietnamese keys (the ``*_COL`` constants), used
by the chart and by graders; they are labels and identifiers at once.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInput
from ..i18n import N_, _, nfc, translate
from .banks import Bank, load_banks
from .money import format_number, format_vnd
from .vietqr import MAX_NAME, VietQR, encode
from .wallets import Payment, PaymentRequest, parse_amount, payment_request

if TYPE_CHECKING:
    import pandas as pd

TIME_COL = N_("Thời gian")
PAYER_COL = N_("Người trả")
AMOUNT_COL = N_("Số tiền")
PURPOSE_COL = N_("Nội dung")
REFERENCE_COL = N_("Mã giao dịch")
SALE_TIME_COL = N_("Giờ bán")
PAID_TIME_COL = N_("Giờ nhận tiền")
TAKINGS_COLUMNS = (TIME_COL, PAYER_COL, AMOUNT_COL, PURPOSE_COL, REFERENCE_COL)
MATCHED_COLUMNS = (SALE_TIME_COL, PAID_TIME_COL, AMOUNT_COL, PAYER_COL, PURPOSE_COL,
                   REFERENCE_COL)
MISSING_COLUMNS = (SALE_TIME_COL, AMOUNT_COL)
MATCH_WINDOW_MINUTES = 30  # assumption: a sale noted within half an hour of its payment

SIGN_TITLE = N_("QUÉT MÃ ĐỂ THANH TOÁN")
PRACTICE_MARK = N_("MÃ TẬP DƯỢT")
PRACTICE_LINE = N_("Chỉ dùng để tập dượt — không thanh toán được")
PAPER_MM = {"A6": (105, 148), "A5": (148, 210)}
SIGN_DPI = 200
RED, PALE_RED, BLUE, INK, GREY = "#B71C1C", "#FFEBEE", "#0D47A1", "#1B1B1B", "#555555"

FIELD_LABELS = {
    "ten_cua_hang": N_("Tên cửa hàng"),
    "ngan_hang": N_("Ngân hàng"),
    "dinh_dang": N_("Định dạng tệp"),
    "kho_giay": N_("Khổ giấy"),
    "giao_dich": N_("Danh sách giao dịch"),
    "so_ban_hang": N_("Sổ bán hàng"),
    "thoi_gian": N_("Thời gian"),
    "bang_tien": N_("Bảng tiền nhận"),
}


def _label(name: str) -> str:
    return translate(FIELD_LABELS[name])


def _shop_name(shop_name: object) -> str:
    name = nfc(shop_name).strip() if isinstance(shop_name, str) else ""
    if not name:
        raise InvalidInput(_("Chưa nhập {label}").format(label=_label("ten_cua_hang")),
                           field="ten_cua_hang", value=shop_name)
    return name


# --- the stall's code ----------------------------------------------------------------------


def _training(bank: Bank | str | None) -> Bank:
    banks = load_banks()
    training = banks.training_bank
    if bank is None:
        return training
    found = bank if isinstance(bank, Bank) else banks.find(bank)
    if found is None or not found.training:
        raise InvalidInput(_(
            "{label}: mã QR in cho quầy hàng khi tập dượt chỉ được dùng ngân hàng tập dượt "
            "({name}, mã BIN {bin!r}) để không ứng dụng ngân hàng thật nào trả tiền được; hãy "
            "chọn {name}").format(label=_label("ngan_hang"), name=training.short_name,
                                  bin=training.bin),
            field="ngan_hang", value=bank)
    return found


def shop_qr(shop_name: str, account_number: str, *, bank: Bank | str | None = None) -> str:
    """The stall's STATIC VietQR payload (customers type the amount), at the training bank.

    The name is transliterated by the codec (VietQR carries plain ASCII, at most 25 letters).
    """
    name = _shop_name(shop_name)
    if len(name) > MAX_NAME:
        raise InvalidInput(_(
            "{label} dài tối đa {limit} ký tự (giới hạn của mã VietQR), ở đây là {n}: hãy viết "
            "gọn, ví dụ «Tạp hóa Lan»").format(
                label=_label("ten_cua_hang"), limit=MAX_NAME, n=len(name)),
            field="ten_cua_hang", value=name)
    chosen = _training(bank)
    return encode(VietQR(chosen.bin, account_number, name=name)).payload


# --- the printed sign ------------------------------------------------------------------------


def _check_sign(shop_name: object, payload: object, fmt: object, size: object
                ) -> tuple[str, PaymentRequest]:
    name = _shop_name(shop_name)
    if fmt not in ("png", "pdf"):
        raise InvalidInput(_("{label} phải là 'png' hoặc 'pdf'").format(
            label=_label("dinh_dang")), field="dinh_dang", value=fmt)
    if size not in PAPER_MM:
        raise InvalidInput(_("{label} phải là A6 hoặc A5").format(
            label=_label("kho_giay")), field="kho_giay", value=size)
    request = payment_request(payload)
    _training(request.bank)
    if request.amount is not None:
        raise InvalidInput(_(
            "Mã QR: biển quầy hàng phải là mã tĩnh (khách tự nhập số tiền, dùng được nhiều lần), "
            "mã này ghi sẵn {amount} nên chỉ trả được một lần; hãy tạo mã tĩnh không ghi số "
            "tiền").format(amount=format_vnd(request.amount)),
            field="ma_qr", value=request.payload)
    return name, request


def stall_sign(shop_name: str, payload: str, *, fmt: str = "png", size: str = "A6") -> bytes:
    """A printable A6 or A5 sign: title, stall name, the code, the bank, the practice mark."""
    name, request = _check_sign(shop_name, payload, fmt, size)
    from .qrimage import qr_png  # Pillow, segno: only when a sign is drawn

    # A PDF viewer may smooth a tiny image when printing: give it big modules.
    code = qr_png(request.payload, scale=10 if fmt == "pdf" else 1, border=4)
    lines = _sign_lines(name, request)
    if fmt == "pdf":
        return _sign_pdf(code, lines, size)
    return _sign_png(code, lines, size)


@dataclass(frozen=True)
class _SignText:
    title: str
    name: str
    bank: str
    account: str
    mark: str
    practice: str


def _sign_lines(name: str, request: PaymentRequest) -> _SignText:
    return _SignText(title=translate(SIGN_TITLE), name=name, bank=request.bank.name,
                     account=_("Số tài khoản: {account}").format(account=request.account),
                     mark=translate(PRACTICE_MARK), practice=translate(PRACTICE_LINE))


def _wrap(text: str, width: float, measure) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and measure(trial) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


def _fit(text: str, width: float, sizes: Iterable[float], measure_at, max_lines: int):
    """The largest size at which ``text`` wraps into at most ``max_lines`` lines."""
    size, lines = 0.0, [text]
    for size in sizes:
        lines = _wrap(text, width, lambda t, s=size: measure_at(t, s))
        if len(lines) <= max_lines and all(measure_at(t, size) <= width for t in lines):
            break
    return size, lines


# One layout for both renderers, in units of a hundredth of the page width. ``measure(text,
# size, bold)`` gives a text's width in the same units.
_Op = tuple


def _sign_layout(text: _SignText, height: float, measure) -> list[_Op]:
    inner = 88.0

    def one_line(value: str, largest: float, bold: bool) -> float:
        sizes = [largest - step * 0.1 for step in range(int(largest * 5))]
        return _fit(value, inner, sizes, lambda t, s: measure(t, s, bold), 1)[0]

    ops: list[_Op] = []
    banner = 15.0
    ops.append(("rect", 0, 0, 100, banner, RED))
    ops.append(("text", banner * 0.42, text.mark, one_line(text.mark, 7.5, True), "#FFFFFF",
                True))
    ops.append(("text", banner * 0.8, text.practice, one_line(text.practice, 3.2, False),
                "#FFFFFF", False))
    y = banner + 8
    ops.append(("text", y, text.title, one_line(text.title, 6.6, True), BLUE, True))
    y += 8
    sizes = [8 - step * 0.25 for step in range(17)]
    name_size, name_lines = _fit(text.name, inner, sizes, lambda t, s: measure(t, s, True), 2)
    for line in name_lines:
        y += name_size * 0.65
        ops.append(("text", y, line, name_size, INK, True))
        y += name_size * 0.65
    top = y + 3

    footer = 8.0
    bank_lines = _wrap(text.bank, inner, lambda t: measure(t, 3.6, True))
    bottom = height - footer - 8 - len(bank_lines) * 4.8
    side = min(inner, bottom - top - 2)
    ops.append(("code", (100 - side) / 2, top + (bottom - top - side) / 2, side))
    y = bottom + 2.4
    for line in bank_lines:
        ops.append(("text", y, line, 3.6, INK, True))
        y += 4.8
    ops.append(("text", y + 0.4, text.account, 3.4, GREY, False))
    ops.append(("rect", 0, height - footer, 100, footer, PALE_RED))
    ops.append(("text", height - footer / 2, text.practice, one_line(text.practice, 3.4, True),
                RED, True))
    ops.append(("frame", 1.0, RED))
    return ops


def _pil_font(size: int, bold: bool = False):
    from .qrimage import _font  # DejaVu Sans from matplotlib's package, cached per size

    return _font(size, bold)


def _sign_png(code_png: bytes, text: _SignText, size: str) -> bytes:
    from PIL import Image, ImageDraw

    mm_w, mm_h = PAPER_MM[size]
    width, height = (round(mm * SIGN_DPI / 25.4) for mm in (mm_w, mm_h))
    k = width / 100  # pixels per layout unit
    sign = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(sign)

    def measure(value: str, size_u: float, bold: bool) -> float:
        return _pil_font(max(1, round(size_u * k)), bold).getlength(value) / k

    for op in _sign_layout(text, height / k, measure):
        if op[0] == "rect":
            _kind, x, y, w, h, color = op
            draw.rectangle((x * k, y * k, (x + w) * k, (y + h) * k), fill=color)
        elif op[0] == "text":
            _kind, y, value, size_u, color, bold = op
            draw.text((width / 2, y * k), value, font=_pil_font(round(size_u * k), bold),
                      fill=color, anchor="mm")
        elif op[0] == "code":
            _kind, x, y, side_u = op
            code = Image.open(io.BytesIO(code_png)).convert("L")
            side = round(side_u * k)
            snapped = max(code.width, side // code.width * code.width)  # whole pixels/module
            code = code.resize((snapped, snapped), Image.Resampling.NEAREST)
            offset = (side - snapped) / 2
            sign.paste(code, (round(x * k + offset), round(y * k + offset)))
        else:
            _kind, line_u, color = op
            draw.rectangle((0, 0, width - 1, height - 1), outline=color,
                           width=max(2, round(line_u * k)))
    out = io.BytesIO()
    sign.save(out, format="PNG", dpi=(SIGN_DPI, SIGN_DPI))
    return out.getvalue()


def _sign_pdf(code_png: bytes, text: _SignText, size: str) -> bytes:
    from fpdf import FPDF

    from .qrimage import font_path  # raises a Vietnamese error naming a missing font file

    regular, bold_font = font_path(False), font_path(True)
    width, height = PAPER_MM[size]
    k = width / 100  # millimetres per layout unit
    pt = 72 / 25.4  # points per millimetre
    pdf = FPDF(orientation="P", unit="mm", format=(width, height))  # fpdf2 knows no "A6"
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(f"{text.title} - {text.name}")
    pdf.set_creator("Kỹ Năng Số")
    pdf.set_subject(text.practice)
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold_font))
    pdf.add_page()

    def measure(value: str, size_u: float, bold: bool) -> float:
        pdf.set_font("DejaVu", "B" if bold else "", size_u * k * pt)
        return pdf.get_string_width(value) / k

    for op in _sign_layout(text, height / k, measure):
        if op[0] == "rect":
            _kind, x, y, w, h, color = op
            pdf.set_fill_color(color)
            pdf.rect(x * k, y * k, w * k, h * k, style="F")
        elif op[0] == "text":
            _kind, y, value, size_u, color, bold = op
            pdf.set_font("DejaVu", "B" if bold else "", size_u * k * pt)
            pdf.set_text_color(color)
            pdf.set_xy(0, (y - size_u * 0.6) * k)
            pdf.cell(width, size_u * 1.2 * k, value, align="C")
        elif op[0] == "code":
            _kind, x, y, side_u = op
            pdf.image(io.BytesIO(code_png), x=x * k, y=y * k, w=side_u * k, h=side_u * k)
        else:
            _kind, line_u, color = op
            pdf.set_draw_color(color)
            pdf.set_line_width(line_u * k)
            pdf.rect(line_u * k / 2, line_u * k / 2, width - line_u * k, height - line_u * k)
    return bytes(pdf.output())


# --- takings and reconciliation --------------------------------------------------------------


def takings(payments: Iterable[Payment]) -> pd.DataFrame:
    """The incoming payments as a frame: time, payer, amount (int dong), purpose, reference."""
    import pandas as pd

    rows = []
    for index, payment in enumerate(payments, start=1):
        if not isinstance(payment, Payment):
            raise InvalidInput(_("{label}: mục thứ {n} không phải là một giao dịch (đang có "
                                 "kiểu {kind})").format(label=_label("giao_dich"), n=index,
                                                        kind=type(payment).__name__),
                               field="giao_dich", value=payment)
        rows.append({TIME_COL: payment.at, PAYER_COL: payment.payer_name,
                     AMOUNT_COL: payment.amount, PURPOSE_COL: payment.purpose or "",
                     REFERENCE_COL: payment.reference})
    frame = pd.DataFrame(rows, columns=list(TAKINGS_COLUMNS))
    frame[TIME_COL] = pd.to_datetime(frame[TIME_COL])
    frame[AMOUNT_COL] = frame[AMOUNT_COL].astype("int64")
    return frame.sort_values([TIME_COL, REFERENCE_COL], kind="stable").reset_index(drop=True)


def formatted(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy for display: amounts as ``200.000 ₫``, times as ``08:05``."""
    shown = frame.copy()
    if AMOUNT_COL in shown:
        shown[AMOUNT_COL] = [format_vnd(int(v)) for v in shown[AMOUNT_COL]]
    for col in (TIME_COL, SALE_TIME_COL, PAID_TIME_COL):
        if col in shown:
            shown[col] = [f"{v:%H:%M}" for v in shown[col]]
    return shown


@dataclass(frozen=True, eq=False)
class Reconciliation:
    """The trader's notebook of sales against the money that came in by QR."""

    matched: pd.DataFrame  # sold and paid
    missing: pd.DataFrame  # sold, no payment found: ask the customer
    unexpected: pd.DataFrame  # paid, no sale noted: a forgotten sale or someone's mistake
    total_expected: int
    total_received: int

    @property
    def difference(self) -> int:
        """Received minus expected: negative when money is missing."""
        return self.total_received - self.total_expected

    @property
    def balanced(self) -> bool:
        return self.missing.empty and self.unexpected.empty

    def totals(self) -> pd.DataFrame:
        """Expected, received and difference, formatted for display."""
        import pandas as pd

        return pd.DataFrame({
            _("Khoản"): [_("Tổng tiền bán theo sổ"), _("Tổng tiền nhận qua mã QR"),
                         _("Chênh lệch")],
            AMOUNT_COL: [format_vnd(self.total_expected), format_vnd(self.total_received),
                         format_vnd(self.difference)],
        })

    def summary(self) -> str:
        """A few Vietnamese lines a trader reads at closing time."""
        missing = int(self.missing[AMOUNT_COL].sum())
        extra = int(self.unexpected[AMOUNT_COL].sum())
        lines = [
            _("Tổng tiền bán theo sổ: {amount}").format(amount=format_vnd(self.total_expected)),
            _("Tổng tiền nhận qua mã QR: {amount}").format(
                amount=format_vnd(self.total_received)),
            _("Chênh lệch: {amount}").format(amount=format_vnd(self.difference)),
            _("Khớp: {n} khoản").format(n=len(self.matched)),
            _("Đã bán nhưng chưa thấy tiền: {n} khoản ({amount})").format(
                n=len(self.missing), amount=format_vnd(missing)),
            _("Nhận tiền nhưng không có trong sổ: {n} khoản ({amount})").format(
                n=len(self.unexpected), amount=format_vnd(extra)),
        ]
        if self.balanced:
            lines.append(_("Sổ bán hàng khớp với tiền nhận."))
        return "\n".join(lines)


def _sale_time(value: object, index: int) -> datetime | time:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        text = value.strip().lower().replace("h", ":").rstrip(":")
        for pattern in ("%H:%M", "%H"):
            try:
                return datetime.strptime(text, pattern).time()
            except ValueError:
                continue
    raise InvalidInput(_(
        "{book}, dòng {n}: {label} phải là giờ dạng 08:30 (hoặc ngày giờ)"
    ).format(book=_label("so_ban_hang"), n=index, label=_label("thoi_gian")),
        field="thoi_gian", value=value)


def _sale(item: object, index: int) -> tuple[object, object]:
    if isinstance(item, Mapping):
        when = item.get("time", item.get(TIME_COL, item.get(SALE_TIME_COL)))
        amount = item.get("amount", item.get(AMOUNT_COL))
        return when, amount
    if isinstance(item, (tuple, list)) and len(item) == 2:
        return item[0], item[1]
    raise InvalidInput(_("{book}, dòng {n}: mỗi dòng phải có giờ bán và số tiền, ví dụ "
                         "(\"08:30\", \"200.000\")").format(
                             book=_label("so_ban_hang"), n=index),
                       field="so_ban_hang", value=item)


def _sales(expected: Any, day: date | None) -> list[tuple[datetime, int]]:
    import pandas as pd

    if isinstance(expected, pd.DataFrame):
        expected = expected.to_dict("records")
    if isinstance(expected, (str, bytes)) or not isinstance(expected, Iterable):
        raise InvalidInput(_("{book} phải là danh sách (giờ bán, số tiền), ví dụ "
                             "[(\"08:30\", \"200.000\")]").format(book=_label("so_ban_hang")),
                           field="so_ban_hang", value=expected)
    sales = []
    for index, item in enumerate(expected, start=1):
        when, amount = _sale(item, index)
        moment = _sale_time(when, index)
        try:
            value = parse_amount(amount)
        except InvalidInput as error:
            raise InvalidInput(_("{book}, dòng {n}: {message}").format(
                book=_label("so_ban_hang"), n=index, message=error.message),
                field=error.field, value=error.value) from None
        if isinstance(moment, time):
            moment = datetime.combine(day or date.today(), moment)
        sales.append((moment, value))
    return sales


def reconcile(payments: Iterable[Payment], expected: Any, *, day: date | None = None,
              window_minutes: int = MATCH_WINDOW_MINUTES) -> Reconciliation:
    """Match each noted sale (time, amount) to a payment of the same amount close in time.

    ``expected`` is a list of ``(time, amount)`` pairs or ``{"time", "amount"}`` mappings (or
    a frame with those columns); a time without a date is on ``day``, else on the payments'
    day. Closest pairs are matched first; a pair more than ``window_minutes`` apart is not a
    match.
    """
    import pandas as pd

    paid = takings(payments)
    days = sorted({t.date() for t in paid[TIME_COL]})
    if day is None and len(days) == 1:
        day = days[0]
    sales = pd.DataFrame(_sales(expected, day), columns=[SALE_TIME_COL, AMOUNT_COL])
    sales[SALE_TIME_COL] = pd.to_datetime(sales[SALE_TIME_COL])
    sales[AMOUNT_COL] = sales[AMOUNT_COL].astype("int64")
    sales = sales.sort_values(SALE_TIME_COL, kind="stable").reset_index(drop=True)

    pairs = sales.reset_index(names="sale").merge(paid.reset_index(names="paid"), on=AMOUNT_COL)
    pairs["gap"] = (pairs[TIME_COL] - pairs[SALE_TIME_COL]).abs()
    pairs = pairs[pairs["gap"] <= pd.Timedelta(minutes=window_minutes)]
    pairs = pairs.sort_values(["gap", SALE_TIME_COL, TIME_COL], kind="stable")
    used_sales: set[int] = set()
    used_paid: set[int] = set()
    keep = []
    for row in pairs.itertuples(index=True):
        if row.sale in used_sales or row.paid in used_paid:
            continue
        used_sales.add(row.sale)
        used_paid.add(row.paid)
        keep.append(row.Index)
    matched = (pairs.loc[keep].rename(columns={TIME_COL: PAID_TIME_COL})
               .sort_values(SALE_TIME_COL, kind="stable"))
    matched = matched[list(MATCHED_COLUMNS)].reset_index(drop=True)
    missing = sales.drop(index=list(used_sales))[list(MISSING_COLUMNS)].reset_index(drop=True)
    unexpected = paid.drop(index=list(used_paid)).reset_index(drop=True)
    return Reconciliation(matched=matched, missing=missing, unexpected=unexpected,
                          total_expected=int(sales[AMOUNT_COL].sum()),
                          total_received=int(paid[AMOUNT_COL].sum()))


def takings_chart(frame: pd.DataFrame, *, title: str | None = None) -> bytes:
    """PNG bar chart of the money received per hour (a frame from :func:`takings`)."""
    import pandas as pd
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    if not isinstance(frame, pd.DataFrame) or not {TIME_COL, AMOUNT_COL} <= set(frame.columns):
        raise InvalidInput(_("{label} phải là bảng có cột «{time}» và «{amount}» (lấy từ "
                             "takings)").format(
                                 label=_label("bang_tien"), time=TIME_COL, amount=AMOUNT_COL),
                           field="bang_tien", value=type(frame).__name__)
    fig = Figure(figsize=(7, 3.6), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    times = pd.to_datetime(frame[TIME_COL])
    if frame.empty:
        ax.text(0.5, 0.5, _("Chưa có khoản tiền nào nhận qua mã QR"), ha="center", va="center",
                fontsize=13, color=GREY, transform=ax.transAxes)
        ax.set_axis_off()
        day = ""
    else:
        by_hour = frame[AMOUNT_COL].groupby(times.dt.hour).sum()
        hours = range(int(by_hour.index.min()), int(by_hour.index.max()) + 1)
        by_hour = by_hour.reindex(hours, fill_value=0)
        bars = ax.bar([f"{h}h" for h in hours], by_hour.to_numpy(), color=BLUE)
        ax.bar_label(bars, labels=[format_vnd(int(v)) if v else "" for v in by_hour],
                     fontsize=8, padding=2)
        ax.yaxis.set_major_formatter(FuncFormatter(
            lambda value, _pos: format_number(int(value))))
        ax.set_xlabel(_("Giờ trong ngày"))
        ax.set_ylabel(_("Số tiền (₫)"))
        ax.margins(y=0.15)
        days = sorted({t.date() for t in times})
        day = ", ".join(f"{d:%d/%m/%Y}" for d in days)
    heading = title or _("Tiền nhận qua mã QR theo giờ")
    ax.set_title(f"{heading} {day}".strip() + f" {_('(mô phỏng)')}")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
