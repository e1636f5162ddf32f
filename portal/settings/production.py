"""Production settings: PostgreSQL, Redis, Celery workers, behind gunicorn and nginx.

They refuse to start on the embedded defaults: a real secret key, allowed hosts, a PostgreSQL
DATABASE_URL, a Redis URL and a field-encryption key must come from the environment.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, DEMO_SECRET_KEY, env, env_bool, logging_config

PRODUCTION = True
DEMO_MODE = False
DEBUG = False

_missing = [
    name
    for name in ("JIANFU_SECRET_KEY", "JIANFU_ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "JIANFU_FIELD_KEY")
    if not env(name)
]
if _missing:
    raise ImproperlyConfigured("生产配置缺少环境变量 / production settings need: " + ", ".join(_missing))
if env("JIANFU_SECRET_KEY") == DEMO_SECRET_KEY or len(env("JIANFU_SECRET_KEY") or "") < 50:
    raise ImproperlyConfigured("JIANFU_SECRET_KEY must be a random value of at least 50 characters")
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("production runs on PostgreSQL: set DATABASE_URL=postgres://…")

JIANFU_REQUIRE_2FA = env_bool("JIANFU_REQUIRE_2FA", True)
JIANFU_LOG_FORMAT = env("JIANFU_LOG_FORMAT", "json")
LOGGING = logging_config(JIANFU_LOG_FORMAT)
SECURE_SSL_REDIRECT = env_bool("JIANFU_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-jianfu-session"
CSRF_COOKIE_NAME = "__Host-jianfu-csrf"
# collectstatic pre-compresses every file (gzip and brotli) unless JIANFU_STATIC_COMPRESS=0 (nginx compresses).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("JIANFU_STATIC_COMPRESS", True)
        else "whitenoise.storage.ManifestStaticFilesStorage"
    },
}
CELERY_TASK_ALWAYS_EAGER = False
