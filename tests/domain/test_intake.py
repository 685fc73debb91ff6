"""The official's intake check: complete, or which supplement to ask; the form as read."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kynangso.domain.catalogue import load_catalogue
from kynangso.domain.intake import check_documents, decide, form_labels, readable_form
from kynangso.i18n import set_language

CATALOGUE = load_catalogue()
PROCEDURES = list(CATALOGUE)


@given(st.sampled_from(PROCEDURES), st.data())
def test_document_check_partitions_the_catalogue_list(procedure, data):
    listed = [d.code for d in procedure.documents]
    attached = data.draw(st.lists(st.sampled_from([*listed, "giay-la"]), unique=True))
    check = check_documents(procedure, attached)
    assert {d.code for d in check.present} == set(attached) & set(listed)
    assert check.complete == all(d.code in attached for d in procedure.required_documents)
    assert (len(check.present) + len(check.missing_required) + len(check.missing_optional)
            == len(procedure.documents))
    assert check.unknown == (("giay-la",) if "giay-la" in attached else ())


def test_complete_dossier_is_received_without_a_supplement():
    decision = decide(CATALOGUE["tam-tru"], ["to-khai-ct01", "cho-o-hop-phap"])
    assert decision.complete and decision.ask_for == () and decision.reason == ""


def test_incomplete_dossier_asks_for_the_missing_required_documents():
    decision = decide(CATALOGUE["thuong-tru"], ["to-khai-ct01", "y-kien-chu-ho"])
    assert not decision.complete
    assert [d.code for d in decision.ask_for] == ["cho-o-hop-phap"]
    assert decision.reason == "Thiếu 1 giấy tờ bắt buộc: Giấy tờ chứng minh chỗ ở hợp pháp"
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.reason = ""  # type: ignore[misc]


def test_the_reason_follows_the_language():
    set_language("en")
    try:
        english = decide(CATALOGUE["tam-tru"], []).reason
    finally:
        set_language("vi")
    assert english != decide(CATALOGUE["tam-tru"], []).reason
    # The document names come from procedures.yaml in the language shown.
    assert english.endswith("Residence information change form (CT01); Proof of a lawful "
                            "place to live")


def test_the_form_reads_with_portal_labels_choices_and_file_names():
    copy = CATALOGUE["chung-thuc-ban-sao"]
    form = {"so_trang": 3, "nhan_ket_qua": "buu-chinh",
            "tep_dinh_kem": {"ban-chinh": {"ten_tep": "bang.png"}, "ban-sao": "?"}}
    assert readable_form(form, copy) == {"so_trang": 3, "nhan_ket_qua": "Qua bưu chính",
                                         "tep_dinh_kem": "bang.png, ban-sao"}
    labels = form_labels(copy)
    assert (labels["so_trang"], labels["ten_giay_to"], labels["tep_dinh_kem"]) == (
        "Số trang của bản chính", "Tên giấy tờ cần chứng thực", "Tệp đính kèm")


def test_an_unknown_procedure_shows_the_form_as_stored():
    assert form_labels(None) == {}
    assert readable_form({"nhan_ket_qua": "buu-chinh"}, None) == {"nhan_ket_qua": "buu-chinh"}
