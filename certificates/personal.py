"""Personal data of applicants: ID-number validation (GB 11643-1999), encryption at rest, masking.

The full ID number exists only encrypted in the database (Fernet with ``settings.JIANFU_FIELD_KEYS``) and
in memory while an application is validated or a staff member opens the audited reveal view. Lookups use
a keyed hash (its own ``JIANFU_ID_LOOKUP_KEY``), screens and paper the masked form.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils import timezone

from portal.errors import DomainError

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
# Province-level prefixes of GB/T 2260 (mainland) plus Hong Kong, Macao and Taiwan residents' 81/82/83.
PROVINCE_CODES = {
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
    "83",
}
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
NAME_PATTERN = re.compile(r"^[\u4e00-\u9fff·•A-Za-z\s]{2,30}$")


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def id_number_normalise(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def id_number_validate(value: str) -> str:
    """The normalised ID number, or a DomainError with a Chinese message naming what is wrong."""
    number = id_number_normalise(value)

    def bad(message: str) -> DomainError:
        return DomainError(message, code="invalid_id_number", fields={"id_number": message})

    if not number:
        raise bad("请填写公民身份号码。")
    if not ID_PATTERN.match(number):
        raise bad("公民身份号码应为18位：前17位为数字，最后一位为数字或X。")
    if number[:2] not in PROVINCE_CODES or number[2:6] == "0000":
        raise bad("公民身份号码的前6位不是有效的行政区划代码。")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise bad("公民身份号码中的出生日期不存在。")
    if birth.year < 1900 or birth > timezone.localdate():
        raise bad("公民身份号码中的出生日期不合理（早于1900年或晚于今天）。")
    if id_check_char(number[:17]) != number[17]:
        raise bad("公民身份号码校验位不正确，请核对后重新填写。")
    return number


def mask_id_number(number: str) -> str:
    """``120103********123X``: the first 6 and the last 4 characters kept."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_name(name: str) -> str:
    """``王*`` for two characters, ``王*明`` / ``欧**明`` for three or more."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def _fernet() -> MultiFernet:
    """All configured field keys, newest first: encrypts with the first, decrypts with any."""
    keys = list(getattr(settings, "JIANFU_FIELD_KEYS", None) or [settings.JIANFU_FIELD_KEY])
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def reencrypt(token: str) -> str:
    """The same value encrypted with the newest key (for rotating the field key)."""
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise DomainError("无法解密该字段：加密密钥与数据不匹配。", code="decrypt_failed", status=409)


def _lookup_key() -> bytes:
    # Its own key (JIANFU_ID_LOOKUP_KEY), independent of the Fernet field keys: rotating those never changes a
    # stored hash, and the hash cannot be reversed without this key.
    return hashlib.sha256(b"jianfu-id-lookup:" + settings.JIANFU_ID_LOOKUP_KEY.encode()).digest()


def id_number_hash(number: str) -> str:
    """Keyed hash (HMAC-SHA256) of the ID number, for finding one person's applications."""
    return hmac.new(_lookup_key(), number.encode(), hashlib.sha256).hexdigest()


def _code_key() -> bytes:
    return hashlib.sha256(b"jianfu-verify-code:" + settings.JIANFU_VERIFY_CODE_KEY.encode()).digest()


VERIFY_RANDOM_LEN = 16
VERIFY_MAC_LEN = 8
VERIFY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
VERIFY_PATTERN = re.compile(rf"^[{VERIFY_ALPHABET}]{{{VERIFY_RANDOM_LEN + VERIFY_MAC_LEN}}}$")


def _mac(random_part: str) -> str:
    digest = hmac.new(_code_key(), random_part.encode(), hashlib.sha256).digest()
    b32 = base64.b32encode(digest).decode().rstrip("=")
    table = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    return b32.translate(table)[:VERIFY_MAC_LEN]


def verify_code_new() -> str:
    """16 random characters (80 bits) followed by an 8-character HMAC: unguessable and self-checking."""
    import secrets

    random_part = "".join(secrets.choice(VERIFY_ALPHABET) for _ in range(VERIFY_RANDOM_LEN))
    return random_part + _mac(random_part)


def verify_code_well_formed(code: str) -> bool:
    """Whether ``code`` has the right shape and its HMAC matches (tampered codes fail before any lookup)."""
    code = (code or "").strip().upper()
    if not VERIFY_PATTERN.match(code):
        return False
    return hmac.compare_digest(_mac(code[:VERIFY_RANDOM_LEN]), code[VERIFY_RANDOM_LEN:])
