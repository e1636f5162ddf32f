"""Settings for the test suite: the base settings with fast password hashing and quiet e-mail."""

import os

from .base import *  # noqa: F403
from .base import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
JIANFU_SMS_BACKEND = "portal.sms.LocmemBackend"
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("JIANFU_TEST_DB_NAME", "test_jianfu")}
elif DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = (
        {"NAME": os.environ.get("JIANFU_TEST_SQLITE", "")} if os.environ.get("JIANFU_TEST_SQLITE") else {}
    )
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
