"""Attachment rules: accepted files, the size limit, sample scans, what is still missing."""

from __future__ import annotations

import dataclasses
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from kynangso.domain import attachments
from kynangso.domain.attachments import (
    ACCEPTED,
    FILES_KEY,
    Attachment,
    attach_sample,
    attachments_of,
    check_upload,
    human_size,
    missing_documents,
    missing_message,
    sample_scans,
    samples_for,
)
from kynangso.domain.catalogue import load_catalogue
from kynangso.errors import InvalidInput

CATALOGUE = load_catalogue()
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ORIGINAL = CATALOGUE["chung-thuc-ban-sao"].documents[0]  # Bản chính giấy tờ cần chứng thực


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(out, format="PNG")
    return out.getvalue()


@given(stem=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                    min_size=1, max_size=20),
       suffix=st.sampled_from([".exe", ".docx", ".gif", ".zip", "", ".pdf.exe", ".heic"]))
def test_only_pdf_jpg_png_names_are_accepted(stem, suffix):
    with pytest.raises(InvalidInput) as refused:
        check_upload(ORIGINAL, stem.replace(".", "") + suffix, PDF)
    assert refused.value.field == "giay_to"
    assert "Giấy tờ kèm theo" in refused.value.message


def test_accepted_kinds_pass_when_content_matches():
    for suffix, content in ((".pdf", PDF), (".PNG", png()), (".jpeg", b"\xff\xd8\xff\xe0x")):
        attachment = check_upload(ORIGINAL, f"giay{suffix}", content)
        assert attachment.size == len(content) and attachment.source == "tai-len"
        assert attachment.document == "ban-chinh" and len(attachment.sha256) == 64
    assert set(ACCEPTED) == {".pdf", ".jpg", ".jpeg", ".png"}


@pytest.mark.parametrize("name, content, fragment", [
    ("trong.pdf", b"", "tệp đã chọn rỗng (0 byte)"),
    ("anh.pdf", png(), "nội dung tệp đã chọn không phải PDF thật"),
    ("anh.jpg", PDF, "không phải JPG thật"),
    ("to.png", png() + b"\x00" * 3000, "tệp phải nhỏ hơn 2 KB, tệp đã chọn nặng 3 KB"),
])
def test_bad_files_are_refused_naming_the_document_not_echoing_the_file(monkeypatch, name,
                                                                        content, fragment):
    monkeypatch.setattr(attachments, "MAX_UPLOAD_BYTES", 2048)
    with pytest.raises(InvalidInput) as refused:
        check_upload(ORIGINAL, name, content)
    message = refused.value.message
    assert message.startswith("Giấy tờ kèm theo — «Bản chính giấy tờ cần chứng thực»")
    assert fragment in message and refused.value.value == name
    assert name not in message


def test_sizes_read_like_a_phone_shows_them():
    assert [human_size(n) for n in (512, 2048, 5 * 1024 * 1024, 1536 * 1024)] == [
        "512 B", "2 KB", "5 MB", "1.5 MB"]


def test_sample_scans_are_small_synthetic_pngs_for_every_document():
    for scan in sample_scans():
        image = Image.open(scan.path)
        assert image.format == "PNG" and scan.path.stat().st_size < 60_000
    for procedure in CATALOGUE:
        for document in procedure.documents:
            assert samples_for(document.code), document.code
    assert [s.title for s in samples_for("giay-to-tuy-than")] == ["Ảnh chụp thẻ căn cước (mẫu)"]


def test_a_sample_is_attached_with_its_real_size_and_hash():
    scan = samples_for(ORIGINAL.code)[0]
    attachment = attach_sample(ORIGINAL, scan.file)
    assert (attachment.source, attachment.size) == ("mau", scan.path.stat().st_size)
    assert attachment.describe().endswith(", bản mẫu)")


def test_a_sample_not_offered_for_the_document_is_refused():
    with pytest.raises(InvalidInput) as refused:
        attach_sample(ORIGINAL, "khong-co.png")
    assert "chưa chọn bản chụp mẫu" in refused.value.message
    assert "khong-co.png" not in refused.value.message
    assert refused.value.value == "khong-co.png"


def test_missing_documents_are_the_required_ones_not_attached():
    residence = CATALOGUE["tam-tru"]
    missing = missing_documents(residence, {"to-khai-ct01": None})
    assert [d.code for d in missing] == ["cho-o-hop-phap"]
    assert missing_message(missing) == (
        "Giấy tờ kèm theo: chưa nộp được vì còn thiếu Giấy tờ chứng minh chỗ ở hợp pháp")
    assert missing_documents(residence, dict.fromkeys(["to-khai-ct01", "cho-o-hop-phap"])) == ()


def test_a_dossier_form_keeps_file_details_and_reads_them_back():
    attachment = check_upload(ORIGINAL, "bang.pdf", PDF)
    form = {FILES_KEY: {"ban-chinh": attachment.to_dict()}}
    assert attachments_of(form) == {"ban-chinh": attachment}
    # Attached by a script without file details: still counts as attached.
    scripted = attachments_of(form, ["ban-chinh", "ban-sao"])
    assert scripted["ban-sao"] == Attachment("ban-sao", "ban-sao", 0, "", "")
    with pytest.raises(dataclasses.FrozenInstanceError):
        attachment.size = 0  # type: ignore[misc]
