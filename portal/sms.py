"""Text messages (SMS) to a mobile number, through a configurable backend — like Django's e-mail backends.

``send_sms(mobile=…, text=…)`` hands the message to ``settings.JIANFU_SMS_BACKEND`` (a dotted path to a class with
``send(mobile, text)``). The portal ships no outside service:

* ``portal.sms.LocmemBackend`` (the test settings, and the fallback when no backend is set): keeps the messages in
  ``portal.sms.outbox``;
* ``portal.sms.LogBackend`` (the base settings' default: development, demo): writes them to the log ``jianfu.sms``
  so a developer can read the code, and keeps nothing in memory (a long-running server must not grow);
* production plugs the bureau's SMS gateway in as one more class (``send`` raises when the gateway refuses).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("jianfu.sms")


@dataclass(frozen=True)
class TextMessage:
    mobile: str
    text: str


#: Messages sent with the LocmemBackend (read by tests; cleared with ``outbox.clear()``).
outbox: list[TextMessage] = []


class LocmemBackend:
    def send(self, mobile: str, text: str) -> None:
        outbox.append(TextMessage(mobile=mobile, text=text))


class LogBackend:
    def send(self, mobile: str, text: str) -> None:
        logger.warning("SMS to %s: %s", mobile, text)


def backend():
    return import_string(getattr(settings, "JIANFU_SMS_BACKEND", "portal.sms.LocmemBackend"))()


def send_sms(*, mobile: str, text: str) -> None:
    backend().send(mobile, text)
