"""VietQR codec: public vectors, CRC, round trip, and one test per problem the decoder reports."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kynangso.domain import vietqr
from kynangso.domain.banks import load_banks
from kynangso.domain.vietqr import (
    NOTE_CODES,
    PROBLEM_CODES,
    DecodeResult,
    VietQR,
    crc16,
    decode,
    encode,
)
from kynangso.errors import InvalidInput

# Public examples from subiz/vietqr vietqr_test.go (commit
# 5a7c86070f11c16fa67a6af0a76ebba826c06cd8), both with correct CRCs.
STATIC_TPBANK = ("00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA"
                 "53037045802VN6304CBB4")
DYNAMIC_MB = ("00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA"
              "53037045405401235802VN62160812chuyen khoan6304722F")
# A third vector from the same test file (purpose "test text string").
DYNAMIC_MB_2 = ("00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA"
                "53037045405401235802VN62200816test text string6304D9C6")

TRAINING_BIN = load_banks().training_bank.bin


def with_crc(body: str) -> str:
    """``body`` ends with "6304"; append the CRC it deserves (a forger would do the same)."""
    assert body.endswith("6304")
    return body + crc16(body)


def recrc(payload: str) -> str:
    return with_crc(payload[:-4])


def problems(payload: str, code: str) -> list[vietqr.Problem]:
    result = decode(payload)
    assert not result.ok
    found = [p for p in result.problems if p.code == code]
    assert found, f"{code} not in {[p.code for p in result.problems]}"
    for problem in result.problems:
        assert problem.message == unicodedata.normalize("NFC", problem.message)
        if problem.field:
            assert problem.field in problem.message
    return found


def only_note(payload: str, code: str) -> vietqr.Problem:
    """``payload`` is valid and carries exactly one note, ``code``, in NFC naming its field."""
    result = decode(payload)
    assert result.ok and result.problems == [], result.problems
    assert [n.code for n in result.notes] == [code], result.notes
    note = result.notes[0]
    assert note.message == unicodedata.normalize("NFC", note.message)
    assert note.field is None or vietqr._label(note.field) in note.message
    return note


def only(payload: str, code: str) -> vietqr.Problem:
    result = decode(payload)
    assert [p.code for p in result.problems] == [code], result.problems
    return problems(payload, code)[0]


# --- CRC and public vectors -------------------------------------------------------------

def test_crc_check_value_of_123456789_is_29B1():
    assert crc16("123456789") == "29B1"
    assert crc16(b"123456789") == "29B1"


def test_crc_keeps_leading_zeros():
    text = next(str(i) for i in range(10_000) if crc16(str(i)).startswith("0"))
    crc = crc16(text)
    assert len(crc) == 4 and crc.startswith("0") and crc == crc.upper()


def test_static_vector_decodes_to_its_fields():
    result = decode(STATIC_TPBANK)
    assert result.ok and result.problems == []
    assert result.qr == VietQR("970423", "0099999999", "QRIBFTTA", None)
    assert not result.qr.dynamic and result.qr.point_of_initiation == "11"
    assert result.bank is not None and result.bank.short_name == "TPBank"


def test_dynamic_vector_decodes_to_its_fields():
    result = decode(DYNAMIC_MB)
    assert result.ok
    assert result.qr == VietQR("970422", "0023457923442", "QRIBFTTA", 40123,
                               purpose="chuyen khoan")
    assert result.qr.dynamic and result.qr.point_of_initiation == "12"
    assert result.bank is not None and result.bank.short_name == "MB"


@pytest.mark.parametrize("payload", [STATIC_TPBANK, DYNAMIC_MB, DYNAMIC_MB_2])
def test_public_vectors_reencode_byte_for_byte(payload):
    result = decode(payload)
    assert encode(result.qr) == vietqr.EncodeResult(payload, [])


@pytest.mark.parametrize("payload", [STATIC_TPBANK, DYNAMIC_MB, DYNAMIC_MB_2])
def test_full_decoder_agrees_with_fast_path_on_vectors(payload):
    full = vietqr._full(payload, load_banks())
    assert full.ok and full.qr == decode(payload).qr


def test_raw_tree_keeps_ids_lengths_and_offsets():
    result = decode(DYNAMIC_MB)
    assert [node.id for node in result.fields] == ["00", "01", "38", "53", "54", "58", "62", "63"]
    merchant = result.fields[2]
    assert merchant.length == 57 and merchant.offset == 12
    assert [node.id for node in merchant.children] == ["00", "01", "02"]
    assert result.value("38.01.00") == "970422"
    assert result.value("38.01.01") == "0023457923442"
    assert result.value("62.08") == "chuyen khoan"
    assert result.value("59") is None
    for node in vietqr._objects(result.fields):
        tlv = node[0]
        assert DYNAMIC_MB[tlv.offset:tlv.offset + 4] == f"{tlv.id}{tlv.length:02d}"


def test_decode_accepts_bytes_and_surrounding_whitespace():
    assert decode(DYNAMIC_MB.encode()).ok
    assert decode(f"  {DYNAMIC_MB}\r\n").ok


def test_decode_rejects_a_non_text_payload():
    with pytest.raises(InvalidInput) as caught:
        decode(12345)  # type: ignore[arg-type]
    assert "Nội dung mã QR" in caught.value.message


def test_decode_uses_the_directory_it_is_given():
    empty = vietqr.BankDirectory({})
    result = decode(STATIC_TPBANK, banks=empty)
    assert result.ok and result.codes == set() and result.bank is None
    assert result.note_codes == {"unknown_bin"}


# --- round trip (property) --------------------------------------------------------------

ASCII = st.characters(min_codepoint=0x20, max_codepoint=0x7E)


def ascii_text(limit: int):
    return st.none() | st.text(ASCII, min_size=1, max_size=limit).filter(
        lambda s: s.strip() == s and s != "")


qrs = st.builds(
    VietQR,
    bin=st.sampled_from(sorted(bank.bin for bank in load_banks())),
    account=st.text(st.sampled_from("0123456789"), min_size=1, max_size=19),
    service=st.sampled_from(vietqr.SERVICES),
    amount=st.none() | st.integers(min_value=1, max_value=10 ** 13 - 1),
    name=ascii_text(25),
    city=ascii_text(15),
    bill_number=ascii_text(25),
    purpose=ascii_text(25),
)


@settings(max_examples=300, deadline=None)
@given(qrs)
def test_encode_then_decode_is_the_identity(qr):
    encoded = encode(qr)
    assert encoded.notes == []
    result = decode(encoded.payload)
    assert result.ok, result.problems
    assert result.qr == qr
    assert result.payload == encoded.payload


@settings(max_examples=200, deadline=None)
@given(qrs)
def test_full_decoder_accepts_every_encoded_payload(qr):
    payload = encode(qr).payload
    full = vietqr._full(payload, load_banks())
    assert full.ok, full.problems
    assert full.qr == qr


@settings(max_examples=400, deadline=None)
@given(qrs, st.data())
def test_fast_path_never_accepts_what_the_full_decoder_rejects(qr, data):
    payload = encode(qr).payload
    pos = data.draw(st.integers(0, len(payload) - 1))
    edit = data.draw(st.sampled_from(["replace", "insert", "delete"]))
    char = data.draw(st.sampled_from("0123456789AFaz .é"))
    if edit == "replace":
        broken = payload[:pos] + char + payload[pos + 1:]
    elif edit == "insert":
        broken = payload[:pos] + char + payload[pos:]
    else:
        broken = payload[:pos] + payload[pos + 1:]
    if data.draw(st.booleans()) and broken[-8:-4] == "6304":
        broken = recrc(broken)  # a forger who fixes the CRC
    banks = load_banks()
    fast = vietqr._fast(broken, banks)
    full = vietqr._full(broken, banks)
    if fast is not None:
        assert full.ok, full.problems
        assert fast.qr == full.qr
    assert all(p.code in PROBLEM_CODES for p in full.problems)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=600))
def test_decode_never_raises_on_any_text(text):
    result = decode(text)
    assert isinstance(result, DecodeResult)
    for problem in result.problems:
        assert problem.code in PROBLEM_CODES
        assert problem.message == unicodedata.normalize("NFC", problem.message)


# --- one test per problem kind ----------------------------------------------------------

def test_wrong_crc_shows_expected_and_found():
    broken = DYNAMIC_MB[:-4] + "722E"
    problem = only(broken, "crc_mismatch")
    assert "722E" in problem.message and "722F" in problem.message
    assert problem.field == "63"


def test_lowercase_crc_is_a_format_problem_not_a_mismatch():
    problem = only(STATIC_TPBANK[:-4] + "cbb4", "bad_crc_format")
    assert "cbb4" in problem.message


def test_correct_crc_over_a_broken_length_is_reported_broken():
    # 38 declares 58 characters but holds 57; the forger recomputed the CRC.
    broken = recrc(DYNAMIC_MB.replace("3857", "3858", 1))
    result = decode(broken)
    assert not result.ok
    assert "crc_mismatch" not in result.codes
    problem = only(broken, "length_mismatch")
    assert problem.field == "38"
    assert "58" in problem.message and "57" in problem.message


@pytest.mark.parametrize(("old", "new", "path"), [
    ("5303704", "5304704", "53"),
    ("0113", "0112", "38.01.01"),
    ("0127", "0128", "38.01"),
    ("6216", "6215", "62"),
    ("0208QRIBFTTA", "0209QRIBFTTA", "38.02"),
])
def test_a_wrong_declared_length_is_named_where_it_is(old, new, path):
    broken = recrc(DYNAMIC_MB.replace(old, new, 1))
    problem = only(broken, "length_mismatch")
    assert problem.field == path


def test_a_cut_off_payload_is_truncated_and_misses_its_crc():
    found = problems(DYNAMIC_MB[:-10], "truncated")
    assert found[0].field == "62"
    assert "16" in found[0].message
    assert "missing_field" in decode(DYNAMIC_MB[:-10]).codes


def test_a_header_that_is_not_digits_stops_the_reading():
    broken = recrc(DYNAMIC_MB.replace("5303704", "53O3704", 1))
    problem = problems(broken, "bad_tlv")[0]
    assert "53O3" in problem.message


def test_missing_mandatory_field_is_named():
    broken = with_crc(STATIC_TPBANK[:-8].replace("5802VN", "") + "6304")
    problem = only(broken, "missing_field")
    assert problem.field == "58"


def test_missing_crc_is_named():
    result = decode(STATIC_TPBANK[:-8])
    assert "63" in [p.field for p in result.problems if p.code == "missing_field"]


def test_duplicate_field_is_reported():
    broken = with_crc(STATIC_TPBANK[:-8] + "5802VN6304")
    assert only(broken, "duplicate_field").field == "58"


def test_unknown_guid_is_reported():
    broken = recrc(STATIC_TPBANK.replace("A000000727", "A000000999", 1))
    assert "A000000999" in only(broken, "unknown_guid").message


def test_unknown_service_code_is_reported():
    broken = recrc(STATIC_TPBANK.replace("QRIBFTTA", "QRIBFTTX", 1))
    assert "QRIBFTTX" in only(broken, "unknown_service").message


def test_unknown_bin_is_a_note_not_a_problem():
    payload = encode(VietQR("970499", "12345678")).payload
    result = decode(payload)
    assert result.ok and result.problems == [] and result.bank is None
    note = only_note(payload, "unknown_bin")
    assert "970499" in note.message and note.field == "38.01.00"
    assert result.qr is not None  # what it says is still shown


def test_bin_that_is_not_six_digits_is_reported():
    broken = recrc(STATIC_TPBANK.replace("0006970423", "000697042A", 1))
    assert only(broken, "bad_bin").field == "38.01.00"


def test_account_with_spaces_is_reported():
    broken = recrc(STATIC_TPBANK.replace("01240006970423011000999999990208",
                                         "01240006970423011000999 99990208", 1))
    assert only(broken, "bad_account").field == "38.01.01"


def test_dynamic_code_without_amount_is_reported():
    broken = recrc(STATIC_TPBANK.replace("010211", "010212", 1))
    problem = only(broken, "dynamic_without_amount")
    assert problem.field == "01" and "'12'" in problem.message


def test_static_code_with_amount_is_a_note():
    # Field 54 is conditional; public encoders write an amount into '11' codes.
    payload = recrc(DYNAMIC_MB.replace("010212", "010211", 1))
    note = only_note(payload, "static_with_amount")
    assert "40123" in note.message
    assert decode(payload).qr.amount == 40123


def test_bad_point_of_initiation_is_reported():
    broken = recrc(STATIC_TPBANK.replace("010211", "010213", 1))
    assert "'13'" in only(broken, "bad_initiation").message


def test_bad_payload_format_indicator_is_reported():
    broken = recrc(STATIC_TPBANK.replace("000201", "000202", 1))
    assert only(broken, "bad_format_indicator").field == "00"


def test_format_indicator_must_come_first():
    broken = recrc("010211000201" + STATIC_TPBANK[12:])
    assert only(broken, "not_first").field == "00"


@pytest.mark.parametrize("amount", ["40123.50", "40123.00"])
def test_amount_with_decimals_is_not_a_whole_number_of_dong(amount):
    broken = recrc(DYNAMIC_MB.replace("540540123", f"54{len(amount):02d}{amount}", 1))
    problem = only(broken, "amount_not_whole")
    assert amount in problem.message and problem.field == "54"
    assert decode(broken).qr is None  # an amount that can't be paid is not guessed


@pytest.mark.parametrize("amount", ["40,123", "4O123", "-5000", "200000d"])
def test_amount_that_is_not_numeric_is_reported(amount):
    broken = recrc(DYNAMIC_MB.replace("540540123", f"54{len(amount):02d}{amount}", 1))
    assert amount in only(broken, "amount_not_numeric").message


def test_amount_zero_is_reported():
    broken = recrc(DYNAMIC_MB.replace("540540123", "54010", 1))
    assert only(broken, "amount_not_positive").field == "54"


@pytest.mark.parametrize(("old", "new", "path"), [
    ("540540123", "5414" + "1" * 14, "54"),
    ("5802VN", "5802VN5926" + "A" * 26, "59"),
    ("5802VN", "5802VN6016" + "B" * 16, "60"),
    ("62160812chuyen khoan", "62300126" + "c" * 26, "62.01"),
    ("011300234579234420208", "0120" + "1" * 20 + "0208", "38.01.01"),
])
def test_text_over_its_length_limit_is_reported(old, new, path):
    payload = DYNAMIC_MB.replace(old, new, 1)
    if path == "38.01.01":  # keep the templates around the account consistent
        payload = payload.replace("3857", "3864", 1).replace("0127", "0134", 1)
    broken = recrc(payload)
    problem = only(broken, "too_long")
    assert problem.field == path


def test_trailing_garbage_after_the_crc_is_reported():
    problem = only(DYNAMIC_MB + "abc", "trailing_garbage")
    assert "3 ký tự thừa" in problem.message and "'abc'" not in problem.message


def test_wrong_currency_is_reported():
    broken = recrc(DYNAMIC_MB.replace("5303704", "5303840", 1))
    assert "840" in only(broken, "wrong_currency").message


def test_wrong_country_is_reported():
    broken = recrc(DYNAMIC_MB.replace("5802VN", "5802US", 1))
    assert "US" in only(broken, "wrong_country").message


def test_non_ascii_characters_are_reported_in_their_field():
    broken = recrc(DYNAMIC_MB.replace("chuyen khoan", "chuyển khoản", 1))
    problem = only(broken, "non_ascii")
    assert problem.field == "62.08" and "ể" in problem.message


def test_empty_value_is_reported():
    broken = with_crc(STATIC_TPBANK[:-8] + "59006304")
    assert only(broken, "empty_value").field == "59"


def test_reserved_field_id_is_reported():
    broken = with_crc(STATIC_TPBANK[:-8] + "6504ABCD6304")
    assert only(broken, "unknown_field").field == "65"


def test_payload_over_512_characters_is_reported():
    extra = "".join(f"{tag}99" + "x" * 99 for tag in ("80", "81", "82", "83", "84"))
    broken = with_crc(STATIC_TPBANK[:-8] + extra + "6304")
    only(broken, "payload_too_long")


def test_a_url_is_not_a_vietqr():
    problem = only("https://dichvucong.gov.vn/p/home", "not_vietqr")
    assert "000201" in problem.message


def test_an_empty_payload_is_reported():
    only("", "empty_payload")


# One payload per problem kind: a screen's help text can rely on each code being reachable.
EXAMPLES = {
    "empty_payload": "",
    "payload_too_long": with_crc(STATIC_TPBANK[:-8] + "8099" + "x" * 99 + "8199" + "x" * 99
                                 + "8299" + "x" * 99 + "8399" + "x" * 99 + "8499" + "x" * 99
                                 + "6304"),
    "not_vietqr": "https://dichvucong.gov.vn/p/home",
    "bad_tlv": recrc(DYNAMIC_MB.replace("5303704", "53O3704", 1)),
    "truncated": DYNAMIC_MB[:-10],
    "length_mismatch": recrc(DYNAMIC_MB.replace("3857", "3858", 1)),
    "duplicate_field": with_crc(STATIC_TPBANK[:-8] + "5802VN6304"),
    "missing_field": with_crc(STATIC_TPBANK[:-8].replace("5802VN", "") + "6304"),
    "empty_value": with_crc(STATIC_TPBANK[:-8] + "59006304"),
    "non_ascii": recrc(DYNAMIC_MB.replace("chuyen khoan", "chuyển khoản", 1)),
    "not_first": recrc("010211000201" + STATIC_TPBANK[12:]),
    "bad_format_indicator": recrc(STATIC_TPBANK.replace("000201", "000202", 1)),
    "bad_initiation": recrc(STATIC_TPBANK.replace("010211", "010213", 1)),
    "dynamic_without_amount": recrc(STATIC_TPBANK.replace("010211", "010212", 1)),
    "unknown_guid": recrc(STATIC_TPBANK.replace("A000000727", "A000000999", 1)),
    "bad_bin": recrc(STATIC_TPBANK.replace("0006970423", "000697042A", 1)),
    "bad_account": recrc(STATIC_TPBANK.replace("0110009999999902", "0110009 99999902", 1)),
    "unknown_service": recrc(STATIC_TPBANK.replace("QRIBFTTA", "QRIBFTTX", 1)),
    "wrong_currency": recrc(DYNAMIC_MB.replace("5303704", "5303840", 1)),
    "amount_not_positive": recrc(DYNAMIC_MB.replace("540540123", "54010", 1)),
    "amount_not_whole": recrc(DYNAMIC_MB.replace("540540123", "540840123.50", 1)),
    "amount_not_numeric": recrc(DYNAMIC_MB.replace("540540123", "54064O,123", 1)),
    "wrong_country": recrc(DYNAMIC_MB.replace("5802VN", "5802US", 1)),
    "too_long": recrc(DYNAMIC_MB.replace("5802VN", "5802VN5926" + "A" * 26, 1)),
    "unknown_field": with_crc(STATIC_TPBANK[:-8] + "6504ABCD6304"),
    "bad_crc_format": STATIC_TPBANK[:-4] + "cbb4",
    "crc_mismatch": DYNAMIC_MB[:-4] + "722E",
    "trailing_garbage": DYNAMIC_MB + "abc",
}


def test_every_problem_kind_has_an_example():
    assert set(EXAMPLES) == PROBLEM_CODES


# One valid payload per note kind; decoding them reports no problem at all.
NOTE_EXAMPLES = {
    "unknown_bin": encode(VietQR("970499", "12345678")).payload,
    "static_with_amount": recrc(DYNAMIC_MB.replace("010212", "010211", 1)),
    "long_purpose": recrc(DYNAMIC_MB.replace("62160812chuyen khoan", "62300826" + "c" * 26, 1)),
    "service_push": recrc(STATIC_TPBANK.replace("0208QRIBFTTA", "0206QRPUSH", 1)
                          .replace("3854", "3852", 1)),
    "service_cash": recrc(STATIC_TPBANK.replace("0208QRIBFTTA", "0206QRCASH", 1)
                          .replace("3854", "3852", 1)),
    "no_service_code": recrc(STATIC_TPBANK.replace("0208QRIBFTTA", "", 1)
                             .replace("3854", "3842", 1)),
}


def test_every_note_kind_has_an_example():
    assert set(NOTE_EXAMPLES) == NOTE_CODES
    assert not NOTE_CODES & PROBLEM_CODES


@pytest.mark.parametrize("code", sorted(NOTE_EXAMPLES))
def test_each_note_example_is_valid_and_reads_in_vietnamese(code):
    only_note(NOTE_EXAMPLES[code], code)


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_each_example_reports_its_problem_in_vietnamese(code):
    found = problems(EXAMPLES[code], code)
    payload = EXAMPLES[code].strip()
    for problem in found:  # plain words about the code, never the whole payload echoed back
        assert "nhận được" not in problem.message
        assert not payload or payload not in problem.message


# --- encoding checks its inputs ---------------------------------------------------------

@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"bin": "97042"}, "bin", "6 chữ số"),
    ({"bin": "97042A"}, "bin", "6 chữ số"),
    ({"bin": 970422}, "bin", "6 chữ số"),
    ({"account": ""}, "account", "để trống"),
    ({"account": "   "}, "account", "để trống"),
    ({"account": "0123 456"}, "account", "chữ số"),
    ({"account": "ABC123"}, "account", "chữ số"),
    ({"account": "1" * 20}, "account", "19"),
    ({"service": "QRIBFTTX"}, "service", "QRIBFTTA"),
    ({"amount": 0}, "amount", "lớn hơn 0"),
    ({"amount": -5000}, "amount", "lớn hơn 0"),
    ({"amount": 1500.5}, "amount", "số nguyên"),
    ({"amount": True}, "amount", "số nguyên"),
    ({"amount": "200000"}, "amount", "số nguyên"),
    ({"amount": 10 ** 13}, "amount", "13"),
    ({"name": "A" * 26}, "name", "25"),
    ({"name": "Nguyễn Thị Minh Khai Phương Anh"}, "name", "25"),
    ({"city": "Thanh pho Ho Chi Minh"}, "city", "15"),
    ({"bill_number": "HĐ-01"}, "bill_number", "không dấu"),
    ({"bill_number": "B" * 26}, "bill_number", "25"),
    ({"purpose": "dong 1\nnop phi"}, "purpose", "điều khiển"),
    ({"name": 42}, "name", "chữ"),
])
def test_encode_rejects_bad_input_naming_the_field(changes, field, words):
    base = {"bin": TRAINING_BIN, "account": "0123456789", "amount": 200000}
    qr = VietQR(**{**base, **changes})
    with pytest.raises(InvalidInput) as caught:
        encode(qr)
    error = caught.value
    assert error.field == field
    assert words in error.message
    assert vietqr._label(field) in error.message
    typed = changes[field]
    assert "nhận được" not in error.message
    assert not isinstance(typed, str) or not typed.strip() or typed.strip() not in error.message
    assert error.message == unicodedata.normalize("NFC", error.message)


def test_vietnamese_name_and_purpose_are_transliterated_with_a_note():
    qr = VietQR(TRAINING_BIN, "0123456789", amount=200000, name="Nguyễn Văn Đức",
                purpose="Chuyển khoản")
    result = encode(qr)
    decoded = decode(result.payload)
    assert decoded.ok
    assert decoded.qr.name == "Nguyen Van Duc"
    assert decoded.qr.purpose == "Chuyen khoan"
    assert len(result.notes) == 2
    assert all("đã được bỏ dấu" in note for note in result.notes)
    assert "Nguyen Van Duc" in result.notes[0] and "Chuyen khoan" in result.notes[1]


def test_decomposed_input_is_normalised_before_transliteration():
    decomposed = unicodedata.normalize("NFD", "Lệ phí hộ tịch")
    payload = encode(VietQR(TRAINING_BIN, "0123456789", purpose=decomposed)).payload
    assert decode(payload).qr.purpose == "Le phi ho tich"


def test_long_purpose_is_cut_to_25_with_a_note():
    purpose = "Nộp lệ phí cấp phiếu lý lịch tư pháp số 2"
    result = encode(VietQR(TRAINING_BIN, "0123456789", amount=200000, purpose=purpose))
    decoded = decode(result.payload)
    assert decoded.ok
    assert decoded.qr.purpose == "Nop le phi cap phieu ly l"
    assert any("đã bị cắt còn 25 ký tự" in note for note in result.notes)


def test_blank_optional_text_is_left_out():
    result = encode(VietQR(TRAINING_BIN, "0123456789", name="  ", purpose=""))
    assert "59" not in [node.id for node in decode(result.payload).fields]
    assert decode(result.payload).qr.purpose is None


def test_amount_makes_the_code_dynamic():
    static = encode(VietQR(TRAINING_BIN, "0123456789")).payload
    dynamic = encode(VietQR(TRAINING_BIN, "0123456789", amount=15000)).payload
    assert static.startswith("000201010211") and dynamic.startswith("000201010212")
    assert "540515000" in dynamic


def test_card_service_code_round_trips():
    qr = VietQR(TRAINING_BIN, "9704000012345678", vietqr.SERVICE_CARD, 50000)
    assert decode(encode(qr).payload).qr == qr
