"""ID numbers (GB 11643), masking, encryption at rest and verification codes."""

import pytest

from certificates import personal
from portal.errors import DomainError
from tests.certificates.conftest import GOOD_ID


def test_good_id_number_passes_and_lowercase_x_is_normalised():
    assert personal.id_number_validate(GOOD_ID) == GOOD_ID
    first17 = "11010519491231002"
    number = first17 + personal.id_check_char(first17)
    assert personal.id_number_validate(" " + number.lower() + " ") == number


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "请填写"),
        ("12010319850612301", "18位"),
        ("1201031985061230AB", "18位"),
        ("99010319850612301" + personal.id_check_char("99010319850612301"), "行政区划"),
        ("12000019850612301" + personal.id_check_char("12000019850612301"), "行政区划"),
        ("12010319850230301" + personal.id_check_char("12010319850230301"), "出生日期不存在"),
        ("12010330000101301" + personal.id_check_char("30000101301"[:0] + "12010330000101301"), "不合理"),
        ("12010318000101301" + personal.id_check_char("12010318000101301"), "不合理"),
    ],
)
def test_bad_id_numbers_are_refused_in_chinese(value, message):
    with pytest.raises(DomainError) as exc:
        personal.id_number_validate(value)
    assert message in exc.value.message
    assert "id_number" in exc.value.fields


def test_wrong_check_character_is_refused():
    wrong = GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1")
    with pytest.raises(DomainError, match="校验位"):
        personal.id_number_validate(wrong)


def test_masking():
    assert personal.mask_id_number("12010319850612123X") == "120103********123X"
    assert personal.mask_name("王明") == "王*"
    assert personal.mask_name("王小明") == "王*明"
    assert personal.mask_name("欧阳小明") == "欧**明"


def test_encryption_round_trip_and_no_plaintext():
    token = personal.encrypt(GOOD_ID)
    assert GOOD_ID not in token
    assert personal.decrypt(token) == GOOD_ID
    assert personal.id_number_hash(GOOD_ID) == personal.id_number_hash(GOOD_ID)
    assert GOOD_ID not in personal.id_number_hash(GOOD_ID)


def test_verify_codes_are_random_and_self_checking():
    codes = {personal.verify_code_new() for _ in range(200)}
    assert len(codes) == 200
    code = next(iter(codes))
    assert len(code) == 24 and personal.verify_code_well_formed(code)
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert not personal.verify_code_well_formed(tampered)
    assert not personal.verify_code_well_formed(code[:5] + "2" + code[6:]) or code[5] == "2"
    assert not personal.verify_code_well_formed("../../etc/passwd")
