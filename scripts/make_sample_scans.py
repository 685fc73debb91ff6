"""Draw the synthetic "scans" the portal simulator offers as sample attachments.

Usage: python scripts/make_sample_scans.py   (writes widgets/kynangso/data/sample_scans/)

Every image is made up here: the people, numbers and addresses are fictional (CCCD numbers
follow the practice convention of kynangso.domain.personas: 6 last digits start with 999),
and each page carries a red "MẪU TẬP DƯỢT" stamp so nobody takes it for a real document.
The same script writes ``index.yaml``, which tells the portal which documents each sample
may stand in for. Re-run it after changing a sample; the output is deterministic.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "widgets" / "kynangso" / "data" / "sample_scans"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
WIDTH, HEIGHT = 600, 420
PAPER = (250, 248, 240)
INK = (30, 30, 30)
RED = (183, 28, 28)
STAMP = "MẪU TẬP DƯỢT"


@dataclass(frozen=True)
class Sample:
    file: str
    title: str  # shown in the portal's sample picker
    title_en: str  # the same in English (the picker follows the language switch)
    heading: str
    lines: tuple[str, ...]
    documents: tuple[str, ...]  # document codes of procedures.yaml it may stand in for
    fallback: bool = False  # offered for any document no other sample fits


SAMPLES = (
    Sample("the-can-cuoc-mau.png", "Ảnh chụp thẻ căn cước (mẫu)",
           "Photo of an identity card (sample)", "CĂN CƯỚC",
           ("Số định danh cá nhân: 038090999000", "Họ, chữ đệm và tên: NGUYỄN VĂN MẪU",
            "Ngày sinh: 05/09/1990     Giới tính: Nam",
            "Nơi cư trú: Tổ dân phố Tân Lập, phường Trúc Lâm"),
           ("giay-to-tuy-than",)),
    Sample("to-khai-mau.png", "Tờ khai đã điền (mẫu)", "Filled-in form (sample)", "TỜ KHAI",
           ("Kính gửi: UBND phường Trúc Lâm", "Họ và tên người khai: Nguyễn Văn Mẫu",
            "Nội dung yêu cầu: (bản tập dượt)", "Người khai ký, ghi rõ họ tên"),
           ("to-khai-khai-sinh", "to-khai-khai-tu", "to-khai-ket-hon", "to-khai-ly-lich",
            "to-khai-ct01", "to-khai-tk1-ts", "don-dang-ky-bien-dong", "to-khai-thue-hkd")),
    Sample("giay-chung-sinh-mau.png", "Giấy chứng sinh (mẫu)",
           "Medical birth certificate (sample)", "GIẤY CHỨNG SINH",
           ("Họ tên mẹ: Trần Thị Mẫu", "Đã sinh con lúc 08 giờ 15, ngày 01/11/2025",
            "Giới tính của con: Nữ     Cân nặng: 3.100 gam", "Nơi sinh: Trạm y tế (giả lập)"),
           ("giay-chung-sinh",)),
    Sample("giay-to-cho-o-mau.png", "Hợp đồng thuê nhà (mẫu)",
           "Tenancy agreement (sample)", "HỢP ĐỒNG THUÊ NHÀ",
           ("Bên cho thuê: Lê Văn Chủ", "Bên thuê: Nguyễn Văn Mẫu",
            "Địa chỉ nhà: số 12, tổ dân phố Đồng Tâm, phường Trúc Lâm",
            "Thời hạn thuê: 24 tháng"),
           ("cho-o-hop-phap", "y-kien-chu-ho")),
    Sample("ban-chinh-mau.png", "Bằng tốt nghiệp (bản chính, mẫu)",
           "Diploma (original, sample)", "BẰNG TỐT NGHIỆP",
           ("Cấp cho: Nguyễn Văn Mẫu", "Ngày sinh: 05/09/1990",
            "Xếp loại: Khá", "Số hiệu: TD-000123 (giả lập)"),
           ("ban-chinh", "ban-sao")),
    Sample("giay-to-khac-mau.png", "Giấy tờ khác (mẫu)", "Other document (sample)", "GIẤY TỜ",
           ("Bản chụp giấy tờ dùng để tập nộp hồ sơ", "Họ và tên: Nguyễn Văn Mẫu",
            "Không có giá trị pháp lý", "Dùng cho mọi loại giấy tờ còn lại"),
           (), fallback=True),
)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    return ImageFont.truetype(str(path), size) if path.exists() else ImageFont.load_default(size)


def draw(sample: Sample) -> bytes:
    """One page: heading, four lines of fictional content, a rotated red stamp."""
    page = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(page)
    pen.rectangle((8, 8, WIDTH - 9, HEIGHT - 9), outline=INK, width=2)
    pen.text((WIDTH / 2, 28), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=font(15, True),
             fill=INK, anchor="mm")
    pen.text((WIDTH / 2, 50), "Độc lập - Tự do - Hạnh phúc", font=font(14), fill=INK,
             anchor="mm")
    pen.text((WIDTH / 2, 100), sample.heading, font=font(30, True), fill=INK, anchor="mm")
    for i, line in enumerate(sample.lines):
        pen.text((40, 150 + i * 40), line, font=font(18), fill=INK)
    # The stamp is drawn on its own layer, then rotated over the page.
    layer = Image.new("RGBA", (WIDTH, 120), (0, 0, 0, 0))
    ink = ImageDraw.Draw(layer)
    ink.rectangle((60, 15, WIDTH - 60, 105), outline=(*RED, 200), width=6)
    ink.text((WIDTH / 2, 60), STAMP, font=font(46, True), fill=(*RED, 200), anchor="mm")
    layer = layer.rotate(18, expand=True, resample=Image.Resampling.BICUBIC)
    page.paste(layer, ((WIDTH - layer.width) // 2, (HEIGHT - layer.height) // 2 + 20), layer)
    out = io.BytesIO()
    page.quantize(colors=32).save(out, format="PNG", optimize=True)
    return out.getvalue()


def index() -> dict:
    return {
        "note": ("Ảnh giả lập do scripts/make_sample_scans.py vẽ; mọi người, số và địa chỉ đều "
                 "là hư cấu, mỗi ảnh có dấu MẪU TẬP DƯỢT. Chạy lại script để tạo lại."),
        "synthetic": True,
        "source": "scripts/make_sample_scans.py",
        "samples": [{"file": s.file, "title": {"vi": s.title, "en": s.title_en},
                     "documents": list(s.documents), "fallback": s.fallback}
                    for s in SAMPLES],
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for sample in SAMPLES:
        (OUT / sample.file).write_bytes(draw(sample))
    header = "# Written by scripts/make_sample_scans.py; edit the script, not this file.\n"
    (OUT / "index.yaml").write_text(
        header + yaml.safe_dump(index(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(f"{len(SAMPLES)} mẫu đã ghi vào {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
