"""Settings read from the environment.

Without any environment variable the portal runs on the embedded default: SQLite in the checkout,
Celery tasks executed in-process, e-mail to the console. Every setting a deployment changes comes
from an environment variable named ``JIANFU_*`` (or the conventional ``DATABASE_URL`` / ``REDIS_URL``).
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import overload

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# templates/, static/ and locale/: beside the apps in a checkout; in the data package jianfu_site when the
# portal runs from an installed wheel (see setup.py).
SITE_DIR = BASE_DIR / "jianfu_site" if (BASE_DIR / "jianfu_site" / "templates").is_dir() else BASE_DIR


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DEMO_SECRET_KEY = "jianfu-demo-only-insecure-secret-key-do-not-use-in-production-0123456789"
SECRET_KEY = env("JIANFU_SECRET_KEY", DEMO_SECRET_KEY)
DEBUG = env_bool("JIANFU_DEBUG", False)
ALLOWED_HOSTS = env_list("JIANFU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("JIANFU_CSRF_TRUSTED_ORIGINS", "")

# True only under portal.settings.production: demo loaders refuse to run there.
PRODUCTION = False
DEMO_MODE = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "ninja",
    "simple_history",
    "portal",
    "checklists",
    "taskcheck",
    "admission",
    "certificates",
    "evaluations",
    "supervision",
    "reports",
]

MIDDLEWARE = [
    "portal.middleware.HealthProbeMiddleware",
    "portal.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ApiErrorFormatMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.RequestContextMiddleware",
    "portal.db_router.ReplicaRoutingMiddleware",
    "portal.middleware.ControlCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.middleware.SessionLimitsMiddleware",
    "portal.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.PersonalDataNoStoreMiddleware",
    "portal.middleware.DomainErrorPageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
AUTH_USER_MODEL = "portal.User"

# Django's renderer with its commonest widget templates written out in Python (the same bytes, a fraction of the
# time): a form page spent most of its time rendering fields (portal/form_renderer.py).
FORM_RENDERER = "portal.form_renderer.PortalFormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("JIANFU_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the in-process tasks and concurrent requests share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A streaming replica for the read-only public pages (portal.db_router): lists, verification, results.
_replica_url = env("JIANFU_REPLICA_DATABASE_URL")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(
        _replica_url, conn_max_age=int(env("JIANFU_DB_CONN_MAX_AGE", "0"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]
JIANFU_REPLICA_PREFIXES = env_list(
    "JIANFU_REPLICA_PREFIXES",
    "/lists/,/certificates/verify/,/admission/verify/,/evaluations/results/,"
    "/api/v1/certificates/verify/,/api/v1/admissions/,/api/v1/evaluations/results",
)
JIANFU_REPLICA_EXCLUDE = env_list("JIANFU_REPLICA_EXCLUDE", "/lists/manage/")
# A client that wrote reads from the primary this long afterwards (longer than the replica's lag).
JIANFU_READ_YOUR_WRITES_SECONDS = int(env("JIANFU_READ_YOUR_WRITES_SECONDS", "15"))

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    # Pages keep serving while Redis is down: the cache degrades to none and throttles fail open (portal/cache.py);
    # short timeouts so that no request waits seconds on a dead server.
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jianfu"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.validators.RoleMinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

# Login throttling (等保 level 3): five failures lock the account *from that address* for 30 minutes (others
# behind the same NAT or proxy are not affected); an address failing across many names is throttled at a much
# higher count (portal/lockout.py).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "portal.lockout.LockoutHandler"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the time the user is told stays true
JIANFU_LOGIN_ADDRESS_FAILURE_LIMIT = int(env("JIANFU_LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "portal.views.auth.lockout_response"
# The client's address comes from one place (portal.context.client_ip): X-Forwarded-For / X-Real-IP are
# believed only from these proxies (addresses or networks), the documented nginx on the same host by default.
JIANFU_TRUSTED_PROXIES = env_list("JIANFU_TRUSTED_PROXIES", "127.0.0.1,::1")
AXES_CLIENT_IP_CALLABLE = "portal.context.client_ip"
AXES_VERBOSE = False

# Sessions: staff end after 30 minutes idle and 12 hours in all; residents after 12 hours in all.
SESSION_COOKIE_AGE = 12 * 3600
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
JIANFU_STAFF_IDLE_SECONDS = 30 * 60
JIANFU_SESSION_ABSOLUTE_SECONDS = 12 * 3600
JIANFU_REQUIRE_2FA = env_bool("JIANFU_REQUIRE_2FA", False)
API_TOKEN_TTL = timedelta(hours=12)

CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SITE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("JIANFU_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [SITE_DIR / "static"]
# Uploads and generated PDFs live outside the web root and are served only through views that check scope.
MEDIA_ROOT = Path(env("JIANFU_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env("JIANFU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("JIANFU_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("JIANFU_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("JIANFU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env("JIANFU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("JIANFU_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env("JIANFU_FROM_EMAIL", "jianfu@localhost")

# /readyz reports the media storage down below this much free space.
JIANFU_MEDIA_MIN_FREE_MB = int(env("JIANFU_MEDIA_MIN_FREE_MB", "200"))

# Self-registration of residents: accounts per client address and hour.
JIANFU_REGISTER_PER_ADDRESS_PER_HOUR = int(env("JIANFU_REGISTER_PER_ADDRESS_PER_HOUR", "5"))
# A resident confirms the mobile number with a one-time SMS code before submitting applications. The code is kept
# hashed, valid JIANFU_MOBILE_CODE_TTL_SECONDS, JIANFU_MOBILE_CODE_MAX_ATTEMPTS tries; a new one at most every
# JIANFU_MOBILE_CODE_RESEND_SECONDS and JIANFU_MOBILE_CODE_PER_HOUR an hour per account (and per address).
JIANFU_MOBILE_CODE_TTL_SECONDS = int(env("JIANFU_MOBILE_CODE_TTL_SECONDS", "600"))
JIANFU_MOBILE_CODE_MAX_ATTEMPTS = int(env("JIANFU_MOBILE_CODE_MAX_ATTEMPTS", "5"))
JIANFU_MOBILE_CODE_RESEND_SECONDS = int(env("JIANFU_MOBILE_CODE_RESEND_SECONDS", "60"))
JIANFU_MOBILE_CODE_PER_HOUR = int(env("JIANFU_MOBILE_CODE_PER_HOUR", "5"))
# SMS backend (portal.sms): LogBackend writes messages to the log (development and demo); production sets the class
# that talks to the bureau's SMS gateway.
JIANFU_SMS_BACKEND = env("JIANFU_SMS_BACKEND", "portal.sms.LogBackend")

# Public verification endpoints (certificates, admissions): requests per minute per address.
JIANFU_VERIFY_THROTTLE_PER_MINUTE = int(env("JIANFU_VERIFY_THROTTLE_PER_MINUTE", "60"))

# Public base address, used in QR codes of PDFs printed on paper.
JIANFU_PUBLIC_BASE_URL = env("JIANFU_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Key for encrypting ID numbers at rest (Fernet, urlsafe base64 of 32 bytes). Demo key only without env.
JIANFU_FIELD_KEY = env("JIANFU_FIELD_KEY", "ZGVtby1vbmx5LWtleS1qaWFuZnUtMjAyNi0wMDAwMDA=")
# Rotation: JIANFU_FIELD_KEYS lists Fernet keys, newest first; new data is encrypted with the first, data under
# any of them stays readable (MultiFernet). Defaults to the single JIANFU_FIELD_KEY.
JIANFU_FIELD_KEYS = env_list("JIANFU_FIELD_KEYS", JIANFU_FIELD_KEY or "")
# Verification codes printed in QR codes are signed with their own key, never with SECRET_KEY, so rotating
# SECRET_KEY never breaks a printed code. Defaults to SECRET_KEY only for codes issued before this setting.
JIANFU_VERIFY_CODE_KEY = env("JIANFU_VERIFY_CODE_KEY", SECRET_KEY)
# Resident ID numbers are found through a keyed hash (HMAC) signed with their own key, never with the Fernet field
# keys, so rotating JIANFU_FIELD_KEY(S) never breaks finding one person's applications. Defaults to the field key
# only for hashes stored before this setting (set it once to that value, then the field keys can rotate freely).
JIANFU_ID_LOOKUP_KEY = env("JIANFU_ID_LOOKUP_KEY", JIANFU_FIELD_KEY)

# Celery: Redis broker in production; without REDIS_URL tasks run in-process (eager).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("JIANFU_CELERY_EAGER", not bool(REDIS_URL or env("CELERY_BROKER_URL")))
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 0.5,
    "socket_timeout": 5,
    # Redis gives an unacknowledged message to another worker only after the visibility timeout (and kombu's
    # restore lock of a killed worker can add 5 minutes). Recovery does not wait for it: the sweep below
    # publishes a killed worker's work again once its lease is stale. The timeout only has to be longer than
    # the longest task, so that a healthy long report is not delivered twice while it runs.
    "visibility_timeout": int(env("JIANFU_BROKER_VISIBILITY_TIMEOUT", "3600")),
}
# Reconciliation from the database (portal.jobs.outbox_reconcile, run by the sweep every
# JIANFU_OUTBOX_SWEEP_SECONDS): a running task renews its lease every JIANFU_TASK_HEARTBEAT_SECONDS; without a
# heartbeat for JIANFU_TASK_STALE_AFTER_SECONDS its work is published again; a message sent but never started and
# no longer in Redis for JIANFU_OUTBOX_LOST_AFTER_SECONDS is published again; a result the domain expects
# (certificate PDF, notices, reports) missing for JIANFU_RECONCILE_GRACE_SECONDS with no open outbox row is
# ordered again. Worst case for a killed worker: stale 40 s + one sweep 15 s + the render; for work lost with
# Redis: 30 s + 15 s + the render — both well within 2 minutes.
JIANFU_OUTBOX_SWEEP_SECONDS = float(env("JIANFU_OUTBOX_SWEEP_SECONDS", "15"))
JIANFU_TASK_HEARTBEAT_SECONDS = int(env("JIANFU_TASK_HEARTBEAT_SECONDS", "10"))
JIANFU_TASK_STALE_AFTER_SECONDS = int(env("JIANFU_TASK_STALE_AFTER_SECONDS", "40"))
JIANFU_OUTBOX_LOST_AFTER_SECONDS = int(env("JIANFU_OUTBOX_LOST_AFTER_SECONDS", "30"))
JIANFU_RECONCILE_GRACE_SECONDS = int(env("JIANFU_RECONCILE_GRACE_SECONDS", "60"))
JIANFU_OUTBOX_MAX_REPUBLISH = int(env("JIANFU_OUTBOX_MAX_REPUBLISH", "5"))
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Publishes what waits in the outbox and reconciles from the database (a sweep not run within one period is
    # dropped: the next one does the same work).
    "outbox-sweep": {
        "task": "portal.tasks.outbox_sweep",
        "schedule": JIANFU_OUTBOX_SWEEP_SECONDS,
        "options": {"expires": JIANFU_OUTBOX_SWEEP_SECONDS},
    },
    # Consultation windows, expiry, reminders and escalation of task requests (idempotent; reminders once a day).
    "admission-sweep": {"task": "admission.tasks.admission_sweep", "schedule": crontab(minute=15)},
    # Overdue rectifications, statements and residents' appeals: reminders and escalation every morning.
    "supervision-sweep": {
        "task": "supervision.tasks.supervision_sweep",
        "schedule": crontab(hour=7, minute=30),
    },
    # Leave delegations: started on their first day, ended (their grants taken back) after their last.
    "delegations-sweep": {"task": "portal.tasks.delegations_sweep", "schedule": crontab(minute=5)},
    # Star-rating stage deadlines: reminders every morning.
    "evaluations-reminders": {
        "task": "evaluations.tasks.send_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    # Burden reports of the city and every district: the last month on the 1st, the last quarter each quarter.
    "reports-monthly": {
        "task": "reports.tasks.schedule_reports",
        "schedule": crontab(day_of_month=1, hour=2, minute=30),
        "args": ("month",),
    },
    "reports-quarterly": {
        "task": "reports.tasks.schedule_reports",
        "schedule": crontab(day_of_month=1, month_of_year="1,4,7,10", hour=3, minute=0),
        "args": ("quarter",),
    },
}


def logging_config(log_format: str) -> dict:
    """JSON lines (``json``, production) or the plain console format (``plain``); both mask ID numbers."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {"()": "portal.observability.JsonFormatter"},
            "plain": {
                "()": "portal.observability.RedactingFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if log_format == "json" else "plain",
            }
        },
        "root": {"handlers": ["console"], "level": env("JIANFU_LOG_LEVEL", "INFO")},
        "loggers": {
            "axes": {"level": "WARNING"},
            "jieba": {"level": "WARNING"},
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            "django.server": {"level": "WARNING"},  # runserver's own line; jianfu.request says more
        },
    }


JIANFU_LOG_FORMAT = env("JIANFU_LOG_FORMAT", "plain")
LOGGING = logging_config(JIANFU_LOG_FORMAT)
# Addresses (or networks) that may read /metrics; every address a request came through must be in the list.
JIANFU_METRICS_ALLOWED = env_list("JIANFU_METRICS_ALLOWED", "127.0.0.1,::1")

NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 200
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

# Static files are served by WhiteNoise from the app folders without collectstatic in demo and tests.
WHITENOISE_USE_FINDERS = True
