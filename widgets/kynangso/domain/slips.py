"""The apology slip on paper, for the resident: a page to print (HTML with print styles,
A5) and a PDF.

When a dossier cannot be returned on its appointment day, the one-stop desk gives the
resident a slip that apologises, says why and names the new day ("Phiếu xin lỗi và hẹn
lại ngày trả kết quả"). The slip names the centre (``data/locality.yaml``), the resident,
the dossier code, the procedure, the first and the new appointment and the reason. Which
official form it follows, and where the project read that, is in
``data/one_stop_forms.yaml``. Every copy says it is a practice copy.

fpdf2 is imported only when a PDF is made.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from ..i18n import _, in_language
from .datafiles import checked_field, flag_field, load_yaml, require, text_field, wording
from .dossier import Dossier
from .identity import format_date
from .locality import Locality

FORMS_FILE = "one_stop_forms.yaml"
PAPER_MM = {"A5": (148.0, 210.0), "A4": (210.0, 297.0)}


@dataclass(frozen=True)
class OfficialForm:
    """One official form the slip follows, with where the project read it."""

    number: str
    title: str
    title_en: str
    circular: str
    source: str
    verified: bool
    checked: date

    @property
    def shown_title(self) -> str:
        return in_language(self.title, self.title_en)


@dataclass(frozen=True)
class SlipTemplate:
    title: str
    title_en: str
    paper: str
    forms: tuple[OfficialForm, ...]  # the form the lab follows first, then its successor

    @property
    def shown_title(self) -> str:
        return in_language(self.title, self.title_en)


@cache
def slip_template() -> SlipTemplate:
    """The apology slip's title, paper and forms, from ``data/one_stop_forms.yaml``."""
    data = require(load_yaml(FORMS_FILE), "apology_slip", file=FORMS_FILE, entry="(tệp)",
                   kind=dict)
    entry = "apology_slip"
    title, title_en = wording(data.get("title"), file=FORMS_FILE, entry=entry, field="title")
    paper = text_field(data, "paper", FORMS_FILE, entry)
    if paper not in PAPER_MM:
        from .datafiles import invalid

        raise invalid(FORMS_FILE, entry, "paper", paper, ", ".join(PAPER_MM))
    forms = []
    for index, item in enumerate(require(data, "forms", file=FORMS_FILE, entry=entry,
                                         kind=list), start=1):
        where = f"{entry}.forms[{index}]"
        form_title, form_en = wording(item.get("title"), file=FORMS_FILE, entry=where,
                                      field="title")
        forms.append(OfficialForm(
            number=text_field(item, "number", FORMS_FILE, where), title=form_title,
            title_en=form_en, circular=" ".join(text_field(item, "circular", FORMS_FILE,
                                                           where).split()),
            source=" ".join(text_field(item, "source", FORMS_FILE, where).split()),
            verified=flag_field(item, "verified", FORMS_FILE, where),
            checked=checked_field(item, "checked", FORMS_FILE, where)))
    if not forms:
        from .datafiles import invalid

        raise invalid(FORMS_FILE, entry, "forms", [], _("cần ít nhất một mẫu"))
    return SlipTemplate(title, title_en, paper, tuple(forms))


@dataclass(frozen=True)
class ApologyPaper:
    """Everything the printed slip names, as plain values."""

    agency: str  # "UBND phường Trúc Lâm"
    centre: str
    place: str  # the ward's name, for "Trúc Lâm, ngày …"
    resident: str
    dossier_code: str
    procedure: str
    received_at: datetime | None
    original_due: date
    new_due: date
    reason: str
    issued_at: datetime
    official: str = ""


def apology_paper(dossier: Dossier, *, procedure: str, locality: Locality,
                  official: str = "") -> ApologyPaper:
    """The slip of ``dossier`` (which must carry one) for printing."""
    slip = dossier.apology
    if slip is None:
        raise ValueError(f"dossier {dossier.code} has no apology slip")
    return ApologyPaper(
        agency=_("Ủy ban nhân dân {ward}").format(ward=locality.ward_title),
        centre=locality.centre, place=locality.ward,
        resident=str(dossier.applicant.get("ho_ten") or "").strip() or "—",
        dossier_code=dossier.code, procedure=procedure, received_at=dossier.received_at,
        original_due=slip.original_due, new_due=slip.new_due, reason=slip.reason,
        issued_at=slip.issued_at, official=official)


@dataclass(frozen=True)
class _Text:
    """The slip's words, shared by the HTML page and the PDF."""

    agency: str
    centre: str
    nation: str
    motto: str
    dated: str
    title: str
    to: str
    facts: tuple[tuple[str, str], ...]
    paragraphs: tuple[str, ...]
    signer: str
    sign_hint: str
    official: str
    practice: str
    form_note: str


def _long_date(day: date) -> str:
    return _("ngày {d} tháng {m} năm {y}").format(d=f"{day.day:02d}", m=f"{day.month:02d}",
                                                 y=day.year)


def _form_note(template: SlipTemplate) -> str:
    first, *later = template.forms
    note = _("Phiếu theo {number} «{title}», {circular}.").format(
        number=first.number, title=first.shown_title, circular=first.circular)
    for form in later:
        note += " " + _("Mẫu tương ứng hiện hành: {number} «{title}», {circular}.").format(
            number=form.number, title=form.shown_title, circular=form.circular)
    if not all(form.verified for form in template.forms):
        note += " " + _("(Số mẫu chưa kiểm chứng với văn bản gốc.)")
    return note


def _text(paper: ApologyPaper) -> _Text:
    template = slip_template()
    facts = (
        (_("Mã hồ sơ"), paper.dossier_code),
        (_("Thủ tục"), paper.procedure),
        (_("Người nộp hồ sơ"), paper.resident),
        (_("Ngày hẹn trả kết quả ban đầu"), format_date(paper.original_due)),
        (_("Ngày hẹn trả kết quả mới"), format_date(paper.new_due)),
        (_("Lý do chậm trả kết quả"), paper.reason),
    )
    if paper.received_at is not None:
        received = _("Ngày {day}, {centre} đã tiếp nhận hồ sơ của Ông/Bà đề nghị giải quyết "
                     "thủ tục «{procedure}» (mã hồ sơ {code}) và hẹn trả kết quả vào ngày "
                     "{due}.").format(day=format_date(paper.received_at.date()),
                                      centre=paper.centre, procedure=paper.procedure,
                                      code=paper.dossier_code,
                                      due=format_date(paper.original_due))
    else:
        received = _("{centre} đã tiếp nhận hồ sơ của Ông/Bà đề nghị giải quyết thủ tục "
                     "«{procedure}» (mã hồ sơ {code}) và hẹn trả kết quả vào ngày {due}."
                     ).format(centre=paper.centre, procedure=paper.procedure,
                              code=paper.dossier_code, due=format_date(paper.original_due))
    paragraphs = (
        received,
        _("Đến nay hồ sơ chưa giải quyết xong đúng ngày hẹn. Lý do: {reason}.").format(
            reason=paper.reason.rstrip(". ")),
        _("Sự chậm trễ này đã gây phiền hà cho Ông/Bà. {centre} thành thật xin lỗi và hẹn trả "
          "kết quả vào ngày {new}.").format(centre=paper.centre,
                                             new=format_date(paper.new_due)),
        _("Trân trọng cảm ơn sự thông cảm của Ông/Bà."),
    )
    return _Text(
        agency=paper.agency.upper(), centre=paper.centre.upper(),
        nation=_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), motto=_("Độc lập - Tự do - Hạnh phúc"),
        dated=_("{place}, {day}").format(place=paper.place,
                                         day=_long_date(paper.issued_at.date())),
        title=template.shown_title.upper(),
        to=_("Kính gửi: Ông/Bà {name}").format(name=paper.resident),
        facts=facts, paragraphs=paragraphs, signer=_("CÁN BỘ LẬP PHIẾU"),
        sign_hint=_("(Ký, ghi rõ họ tên)"), official=paper.official,
        practice=_("BẢN TẬP DƯỢT — phiếu giả lập của phòng thực hành, không có giá trị pháp "
                   "lý."),
        form_note=_form_note(template))


def file_stem(paper: ApologyPaper) -> str:
    """A download name without diacritics or dots: ``phieu-xin-loi-<code>``."""
    safe = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in paper.dossier_code)
    return f"phieu-xin-loi-{safe.strip('-').lower()}"


_PAGE_CSS = """
@page { size: %(paper)s; margin: 12mm; }
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; color: #111;
  background: #eef1f5; margin: 0; font-size: 16px; line-height: 1.45; }
.slip { background: #fff; max-width: 148mm; margin: 16px auto; padding: 12mm;
  box-sizing: border-box; border: 1px solid #999; }
.head { display: flex; justify-content: space-between; gap: 8mm; text-align: center;
  font-size: 0.8em; }
.head b { display: block; }
.motto { text-decoration: underline; }
.dated { text-align: right; font-style: italic; margin: 10px 0; font-size: 0.9em; }
h1 { text-align: center; font-size: 1.15em; margin: 14px 0 10px; }
table { border-collapse: collapse; width: 100%%; margin: 8px 0; font-size: 0.92em; }
th, td { border: 1px solid #777; padding: 3px 6px; text-align: left; vertical-align: top; }
th { width: 42%%; font-weight: 600; }
.sign { margin: 14px 0 0 auto; width: 60%%; text-align: center; }
.sign .space { height: 48px; }
.practice { margin-top: 14px; border: 2px solid #9a5b00; background: #fff4ce;
  color: #4a2c00; padding: 4px 8px; font-weight: 700; text-align: center; }
.note { font-size: 0.78em; color: #444; margin-top: 6px; }
.toolbar { max-width: 148mm; margin: 16px auto 0; }
.toolbar button { font-size: 16px; min-height: 44px; padding: 6px 16px; }
@media print {
  body { background: #fff; font-size: 12pt; }
  .toolbar { display: none; }
  .slip { border: none; margin: 0; padding: 0; max-width: none; }
}
"""


def slip_html(paper: ApologyPaper, *, language: str = "vi") -> str:
    """A whole HTML page: the slip, a print button, A5 print styles."""
    text, template = _text(paper), slip_template()

    def e(value: object) -> str:
        return html.escape(str(value))

    facts = "".join(f'<tr><th scope="row">{e(k)}</th><td>{e(v)}</td></tr>'
                    for k, v in text.facts)
    paragraphs = "".join(f"<p>{e(p)}</p>" for p in text.paragraphs)
    official = f"<div>{e(text.official)}</div>" if text.official else ""
    title = f"{text.title} — {paper.dossier_code}"
    return (
        f'<!DOCTYPE html>\n<html lang="{e(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{_PAGE_CSS % {'paper': template.paper}}</style>"
        "</head><body>"
        f'<div class="toolbar"><button type="button" onclick="window.print()">'
        f"{e(_('In phiếu'))}</button></div>"
        '<main class="slip">'
        f'<div class="head"><div><b>{e(text.agency)}</b><b>{e(text.centre)}</b></div>'
        f'<div><b>{e(text.nation)}</b><span class="motto">{e(text.motto)}</span></div></div>'
        f'<p class="dated">{e(text.dated)}</p>'
        f"<h1>{e(text.title)}</h1>"
        f"<p><b>{e(text.to)}</b></p>"
        f"{paragraphs}"
        f'<table class="facts"><tbody>{facts}</tbody></table>'
        f'<div class="sign"><b>{e(text.signer)}</b><div>{e(text.sign_hint)}</div>'
        f'<div class="space"></div>{official}</div>'
        f'<p class="practice">{e(text.practice)}</p>'
        f'<p class="note">{e(text.form_note)}</p>'
        "</main></body></html>\n")


def slip_pdf(paper: ApologyPaper) -> bytes:
    """The slip as an A5 PDF, in DejaVu Sans (every Vietnamese glyph)."""
    from fpdf import FPDF

    from .qrimage import font_path  # a Vietnamese error naming a missing font file

    text, template = _text(paper), slip_template()
    width, height = PAPER_MM[template.paper]
    margin = 12.0
    inner = width - 2 * margin
    pdf = FPDF(orientation="P", unit="mm", format=(width, height))
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(True, margin)
    pdf.set_title(f"{text.title} - {paper.dossier_code}")
    pdf.set_creator("Kỹ Năng Số")
    pdf.set_subject(text.practice)
    pdf.add_font("DejaVu", "", str(font_path(False)))
    pdf.add_font("DejaVu", "B", str(font_path(True)))
    pdf.add_page()

    def cell(w: float, h: float, value: str, **options: Any) -> None:
        # Every block starts on the left margin, below the last one.
        pdf.multi_cell(w, h, value, new_x="LMARGIN", new_y="NEXT", **options)

    half = inner / 2 - 2
    top = pdf.get_y()
    pdf.set_font("DejaVu", "B", 7.5)
    cell(half, 3.6, f"{text.agency}\n{text.centre}", align="C")
    left_end = pdf.get_y()
    pdf.set_xy(margin + inner / 2 + 2, top)
    cell(half, 3.6, text.nation, align="C")
    pdf.set_x(margin + inner / 2 + 2)
    pdf.set_font("DejaVu", "", 7.5)
    cell(half, 3.6, text.motto, align="C")
    pdf.set_y(max(left_end, pdf.get_y()) + 3)
    pdf.set_font("DejaVu", "", 8.5)
    cell(inner, 4.5, text.dated, align="R")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 11)
    cell(inner, 5.5, text.title, align="C")
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 9.5)
    cell(inner, 5, text.to)
    pdf.set_font("DejaVu", "", 9.5)
    for paragraph in text.paragraphs:
        cell(inner, 4.8, paragraph)
        pdf.ln(1)
    pdf.set_font("DejaVu", "", 8.5)
    with pdf.table(col_widths=(40, 60), line_height=4.4, first_row_as_headings=False,
                   text_align="LEFT") as grid:
        for key, value in text.facts:
            row = grid.row()
            row.cell(key)
            row.cell(value)
    pdf.ln(3)
    sign_x = margin + inner * 0.4
    pdf.set_x(sign_x)
    pdf.set_font("DejaVu", "B", 9)
    cell(inner * 0.6, 4.6, text.signer, align="C")
    pdf.set_x(sign_x)
    pdf.set_font("DejaVu", "", 8)
    cell(inner * 0.6, 4.2, text.sign_hint, align="C")
    pdf.ln(10)
    if text.official:
        pdf.set_x(sign_x)
        pdf.set_font("DejaVu", "B", 9)
        cell(inner * 0.6, 4.6, text.official, align="C")
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 8.5)
    pdf.set_fill_color("#FFF4CE")
    pdf.set_text_color("#4A2C00")
    cell(inner, 4.6, text.practice, border=1, align="C", fill=True)
    pdf.set_text_color("#444444")
    pdf.set_font("DejaVu", "", 6.5)
    pdf.ln(1)
    cell(inner, 3.2, text.form_note)
    return bytes(pdf.output())
