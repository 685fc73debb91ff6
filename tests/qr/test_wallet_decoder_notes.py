"""The practice wallet shows decoder notes as notes and says plainly why it refuses a valid code."""

from __future__ import annotations

import pytest

from kynangso.domain.vietqr import VietQR, crc16, encode
from kynangso.domain.wallets import payment_request
from kynangso.errors import InvalidInput

# subiz/vietqr, vietqr_test.go, commit 5a7c86070f11c16fa67a6af0a76ebba826c06cd8 (MB, dynamic).
DYNAMIC_MB = ("00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA"
              "53037045405401235802VN62160812chuyen khoan6304722F")
# trantuan94/vietqrjs, src/decryptor/vietqrv1.decryptor.spec.ts,
# commit 1822e5d1928b7032bdb1c59514721d3be718c551.
QRPUSH = ("00020101021238580010A00000072701300006970403011621129950446040250206QRPUSH"
          "52045812530370454061800005802VN5910PHUONG CAC6005HANOI62110307NPS686963047C1B")
# trantuan94/vietqrjs, src/builder/vietqrv1.builder.spec.ts,
# commit 4c5420960bb36724eb7c8d968e1bd67eaed48ce4.
QRCASH = ("00020101021138500010A000000727012200069704160108123456780206QRCASH5204601153037045802"
          "VN5912NGUYEN VAN A6006HA NOI6237052120190109155714228384707080000111163049CE4")


def recrc(payload: str) -> str:
    return payload[:-4] + crc16(payload[:-4])


def test_static_code_with_amount_is_payable_and_its_note_is_kept():
    request = payment_request(recrc(DYNAMIC_MB.replace("010212", "010211", 1)))
    assert request.amount == 40123 and request.bank.short_name == "MB"
    assert len(request.notes) == 1 and "mã tĩnh" in request.notes[0]


def test_a_genuine_code_has_no_notes():
    assert payment_request(DYNAMIC_MB).notes == ()


@pytest.mark.parametrize(("payload", "words"), [
    (encode(VietQR("970499", "12345678", amount=5000)).payload, "không có trong danh mục"),
    (QRPUSH, "thanh toán hàng hóa, dịch vụ tại điểm bán"),
    (QRCASH, "rút tiền mặt tại cây ATM"),
])
def test_valid_code_the_wallet_does_not_pay_is_refused_with_a_plain_reason(payload, words):
    with pytest.raises(InvalidInput) as err:
        payment_request(payload)
    message = err.value.message
    assert err.value.field == "ma_qr"
    assert words in message and "đúng chuẩn" in message
    assert "không dùng để thanh toán được" not in message  # not called broken
    assert payload not in message  # the raw code is never echoed
