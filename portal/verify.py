"""Short verification codes for printed documents, and the one public page to type them.

A printed notice carries a short, typeable code (``R7-4M7QXP``: a letter for the kind of document, the row
number in base 32, a keyed check of six characters) and the address ``/verify/<code>/``; its QR code holds
the same address. The check makes codes unguessable without storing anything. Each app registers the kinds
it issues in ``AppConfig.ready`` with :func:`register_verification`; ``/verify/`` resolves a code (short code,
or an app's own long code or number via ``lookup``) and sends the reader to the app's verification page.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: nothing to confuse when typing
MAC_LEN = 6
_B32 = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ALPHABET)


@dataclass(frozen=True)
class VerificationKind:
    letter: str
    label: str
    target: Callable[[int], str | None]  # row id → the app's verification page (None when gone)
    lookup: Callable[[str], str | None] | None = None  # the app's own code or number → page


_KINDS: dict[str, VerificationKind] = {}


def register_verification(
    *,
    letter: str,
    label: str,
    target: Callable[[int], str | None],
    lookup: Callable[[str], str | None] | None = None,
) -> None:
    letter = letter.upper()
    if len(letter) != 1 or letter not in ALPHABET:
        raise ValueError(f"verification letter must be one of {ALPHABET}")
    existing = _KINDS.get(letter)
    if existing is not None and existing.label != label:
        raise ValueError(f"verification letter {letter} is taken by {existing.label}")
    _KINDS[letter] = VerificationKind(letter=letter, label=label, target=target, lookup=lookup)


def kinds() -> list[VerificationKind]:
    return [_KINDS[k] for k in sorted(_KINDS)]


def _key() -> bytes:
    return hashlib.sha256(b"jianfu-short-verify:" + settings.JIANFU_VERIFY_CODE_KEY.encode()).digest()


def _encode(number: int) -> str:
    if number < 0:
        raise ValueError("negative id")
    digits = ""
    while True:
        number, rest = divmod(number, 32)
        digits = ALPHABET[rest] + digits
        if number == 0:
            return digits


def _decode(text: str) -> int:
    value = 0
    for ch in text:
        value = value * 32 + ALPHABET.index(ch)
    return value


def _mac(body: str) -> str:
    import base64

    digest = hmac.new(_key(), body.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().rstrip("=").translate(_B32)[:MAC_LEN]


def short_code(letter: str, pk: int) -> str:
    """The printed code, e.g. ``R7-4M7QXP``."""
    body = letter.upper() + _encode(int(pk))
    return f"{body}-{_mac(body)}"


def short_path(letter: str, pk: int) -> str:
    return f"/verify/{short_code(letter, pk)}/"


def normalise(text: str) -> str:
    return re.sub(r"[\s\-_.·—]", "", (text or "").upper())


def parse_short_code(text: str) -> tuple[str, int] | None:
    """``(letter, pk)`` when ``text`` is a well-formed short code whose check matches; else None."""
    code = normalise(text)
    if len(code) < 2 + MAC_LEN or len(code) > 16 or any(c not in ALPHABET for c in code):
        return None
    body, mac = code[:-MAC_LEN], code[-MAC_LEN:]
    if body[0] not in _KINDS or not hmac.compare_digest(_mac(body), mac):
        return None
    return body[0], _decode(body[1:])


def resolve(text: str) -> str | None:
    """The verification page for what a reader typed (short code, or an app's own code/number)."""
    text = (text or "").strip()[:64]
    if not text:
        return None
    parsed = parse_short_code(text)
    if parsed is not None:
        letter, pk = parsed
        return _KINDS[letter].target(pk)
    for kind in kinds():
        if kind.lookup is not None:
            url = kind.lookup(text)
            if url:
                return url
    return None
