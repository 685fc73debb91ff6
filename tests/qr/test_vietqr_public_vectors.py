"""Genuine VietQR codes from public libraries' own test suites decode with no problem.

Each vector is quoted as data, next to the repository, file and commit it was read from on
2026-12-02. None is changed here: a decoder that found a problem in one of them would call
a code broken that real apps accept.
"""

from __future__ import annotations

import unicodedata

import pytest

from kynangso.domain import vietqr
from kynangso.domain.vietqr import SERVICE_CASH, SERVICE_PUSH, crc16, decode

PUBLIC = [
    # xuannghia/vietnam-qr-pay, test/test-vietqr.spec.ts,
    # commit 17a05d3f36245c51a4486eba8e21745deea9f232: ACB, dynamic, 1 000 dong.
    pytest.param("00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704"
                 "540410005802VN62150811Chuyen tien6304BBB8", "970416", 1000, id="vqp-acb-dynamic"),
    # xuannghia/vietnam-qr-pay, test/test-quick-gen-qr.spec.ts,
    # commit 17a05d3f36245c51a4486eba8e21745deea9f232: ACB, static and dynamic.
    pytest.param("00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA5303704"
                 "5802VN6304AE9F", "970416", None, id="vqp-acb-static"),
    pytest.param("00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704"
                 "5405100005802VN62150811Chuyen tien630453E6", "970416", 10000,
                 id="vqp-acb-dynamic-10000"),
    # xuannghia/vietnam-qr-pay, test/test-momo-zalopay.spec.ts,
    # commit 17a05d3f36245c51a4486eba8e21745deea9f232: MoMo wallet (BIN 971025).
    pytest.param("00020101021138620010A000000727013200069710250118PSP1234567890000000208QRIBFTTA"
                 "53037045802VN62190515MOMOW2W123456786304821F", "971025", None, id="vqp-momo"),
    # trantuan94/vietqrjs, src/builder/vietqrv1.builder.spec.ts,
    # commit 4c5420960bb36724eb7c8d968e1bd67eaed48ce4: VietinBank static, Vietcombank card.
    pytest.param("00020101021138530010A0000007270123000697041501091234567890208QRIBFTTA5303704"
                 "5802VN63046376", "970415", None, id="vietqrjs-vietinbank"),
    pytest.param("00020101021238560010A0000007270126000697043601121234567890120208QRIBFTTC5303704"
                 "54061200005802VN62130809Pay a box6304B8EC", "970436", 120000,
                 id="vietqrjs-vietcombank-card"),
    # subiz/vietqr, vietqr_test.go, commit 5a7c86070f11c16fa67a6af0a76ebba826c06cd8:
    # Sacombank card and account (with a bill number), MB with a letter in the account.
    pytest.param("00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC"
                 "53037045802VN63044F52", "970403", None, id="subiz-sacombank-card"),
    pytest.param("00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA5303704"
                 "54061800005802VN62340107NPS68690819thanh toan don hang63042E2E", "970403",
                 180000, id="subiz-sacombank-bill"),
    pytest.param("00020101021238630010A0000007270133000697042201190023457923442ASDFLJ0208QRIBFTTA"
                 "53037045405401235802VN62290825chuyen khoan alsdkf laksj6304E5DB", "970422",
                 40123, id="subiz-mb-alnum"),
]

# trantuan94/vietqrjs, src/decryptor/vietqrv1.decryptor.spec.ts,
# commit 1822e5d1928b7032bdb1c59514721d3be718c551: payment for goods at a Sacombank merchant.
QRPUSH_SACOMBANK = ("00020101021238580010A00000072701300006970403011621129950446040250206QRPUSH"
                    "52045812530370454061800005802VN5910PHUONG CAC6005HANOI62110307NPS6869"
                    "63047C1B")
# Same file and commit: cash withdrawal, dynamic without an amount (chosen at the ATM), with
# postal code (61) and language template (64).
QRCASH_DYNAMIC = ("00020101021238500010A000000727012200069704030108123456780206QRCASH520460115303"
                  "7045802VN5915NGUYEN HUU HUAN6005HANOI6105100006237052120190109155714228384707"
                  "080000111164260002en0107shop vn0205Hanoi630476DA")
# trantuan94/vietqrjs, src/builder/vietqrv1.builder.spec.ts,
# commit 4c5420960bb36724eb7c8d968e1bd67eaed48ce4: static QRCASH at ACB; QRPUSH with every
# field 62 subfield and a language template.
QRCASH_STATIC = ("00020101021138500010A000000727012200069704160108123456780206QRCASH520460115303"
                 "7045802VN5912NGUYEN VAN A6006HA NOI62370521201901091557142283847070800001111"
                 "63049CE4")
QRPUSH_FULL = ("00020101021238500010A000000727012200069704160108123456780206QRPUSH520458125303"
               "70454061200005802VN5917CUA HANG TIEN LOI6006HA NOI61051000062860107B12345602100"
               "3900000010307NPS68690402100503abc0605C11230706aac1230809pay a box0901A642600"
               "02en0107Shop VN0205Hanoi63041F97")


def recrc(payload: str) -> str:
    return payload[:-4] + crc16(payload[:-4])


@pytest.mark.parametrize(("payload", "bin_", "amount"), PUBLIC)
def test_public_transfer_vector_decodes_with_no_problem_and_no_note(payload, bin_, amount):
    result = decode(payload)
    assert result.ok, result.problems
    assert result.problems == [] and result.notes == []
    assert result.qr.bin == bin_ and result.qr.amount == amount
    assert result.bank is not None and result.bank.bin == bin_ and not result.bank.training


@pytest.mark.parametrize(("payload", "service", "bin_"), [
    (QRPUSH_SACOMBANK, SERVICE_PUSH, "970403"),
    (QRPUSH_FULL, SERVICE_PUSH, "970416"),
    (QRCASH_DYNAMIC, SERVICE_CASH, "970403"),
    (QRCASH_STATIC, SERVICE_CASH, "970416"),
])
def test_qrpush_and_qrcash_are_recognised_and_named_in_vietnamese(payload, service, bin_):
    result = decode(payload)
    assert result.ok and result.problems == [], result.problems
    assert result.qr.service == service and result.bank.bin == bin_
    assert [note.code for note in result.notes] == [
        "service_push" if service == SERVICE_PUSH else "service_cash"]
    message = result.notes[0].message
    assert message == unicodedata.normalize("NFC", message)
    words = "thanh toán hàng hóa" if service == SERVICE_PUSH else "rút tiền mặt tại cây ATM"
    assert words in message and "unknown" not in message.lower()


def test_qrpush_amount_is_read():
    assert decode(QRPUSH_SACOMBANK).qr.amount == 180000
    assert decode(QRPUSH_FULL).qr.purpose == "pay a box"


def test_a_bin_outside_the_directory_is_a_note_and_the_code_stays_valid():
    # 970499 is in no public list; a correct CRC and structure keep the code valid.
    payload = recrc(PUBLIC[0].values[0].replace("0006970416", "0006970499", 1))
    result = decode(payload)
    assert result.ok and result.problems == [] and result.bank is None
    assert [n.code for n in result.notes] == ["unknown_bin"]
    assert "970499" in result.notes[0].message


def test_a_static_code_with_an_amount_is_a_note():
    payload = recrc(PUBLIC[0].values[0].replace("010212", "010211", 1))
    result = decode(payload)
    assert result.ok and [n.code for n in result.notes] == ["static_with_amount"]
    assert result.qr.amount == 1000


def test_a_purpose_over_25_characters_is_a_note():
    purpose = "Nop le phi cap ban sao trich luc ho tich"  # 40 characters
    payload = recrc(PUBLIC[0].values[0].replace(
        "62150811Chuyen tien", f"62{len(purpose) + 4:02d}08{len(purpose):02d}{purpose}", 1))
    result = decode(payload)
    assert result.ok, result.problems
    assert [n.code for n in result.notes] == ["long_purpose"]
    assert result.qr.purpose == purpose
    assert "40" in result.notes[0].message and "25" in result.notes[0].message


@pytest.mark.parametrize(("edit", "code"), [
    (lambda p: p[:-4] + ("0000" if not p.endswith("0000") else "1111"), "crc_mismatch"),
    (lambda p: recrc(p.replace("3853", "3854", 1)), "length_mismatch"),
    (lambda p: recrc(p.replace("010211", "010212", 1)), "dynamic_without_amount"),
])
def test_broken_public_codes_still_fail(edit, code):
    static = PUBLIC[1].values[0]
    result = decode(edit(static))
    assert not result.ok and code in result.codes, result.problems


def test_a_code_without_field_38_still_fails():
    static = PUBLIC[1].values[0]
    start = static.index("38")
    end = start + 4 + int(static[start + 2:start + 4])
    result = decode(recrc(static[:start] + static[end:]))
    assert not result.ok
    assert "38" in [p.field for p in result.problems if p.code == "missing_field"]


def test_a_dynamic_qrpush_without_amount_still_fails():
    # Only an ATM withdrawal may leave the amount to the machine.
    payload = recrc(QRPUSH_SACOMBANK.replace("5406180000", "", 1))
    result = decode(payload)
    assert not result.ok and "dynamic_without_amount" in result.codes


def test_notes_and_problems_use_disjoint_codes():
    assert not vietqr.NOTE_CODES & vietqr.PROBLEM_CODES
