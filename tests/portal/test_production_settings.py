"""Production settings refuse to start on the defaults and pass ``check --deploy`` with no warning."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(env_extra, *args):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JIANFU_", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(env_extra)
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PROD_ENV = {
    "JIANFU_SECRET_KEY": secrets.token_urlsafe(64),
    "JIANFU_ALLOWED_HOSTS": "jianfu.example.gov.cn",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "JIANFU_FIELD_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
}


def test_check_deploy_passes_without_any_warning():
    r = _run(PROD_ENV, "check", "--deploy", "--fail-level", "WARNING")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_production_refuses_to_start_on_defaults():
    r = _run({}, "check")
    assert r.returncode != 0
    assert "JIANFU_SECRET_KEY" in r.stderr and "DATABASE_URL" in r.stderr


def test_production_refuses_the_demo_secret_and_sqlite():
    from portal.settings.base import DEMO_SECRET_KEY

    r = _run({**PROD_ENV, "JIANFU_SECRET_KEY": DEMO_SECRET_KEY}, "check")
    assert r.returncode != 0 and "JIANFU_SECRET_KEY" in r.stderr
    r = _run({**PROD_ENV, "DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "check")
    assert r.returncode != 0 and "PostgreSQL" in r.stderr


def test_production_hardening_values():
    env = {**PROD_ENV}
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.JIANFU_REQUIRE_2FA, s.DEBUG)"
    )
    r = _run(env, "shell", "-v", "0", "-c", code)
    assert r.stdout.split() == ["True", "True", "31536000", "True", "False"], r.stderr


def test_demo_loader_refuses_production_settings():
    r = _run(PROD_ENV, "load_demo")
    assert r.returncode != 0
    assert "演示模式" in r.stderr
