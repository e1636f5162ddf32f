"""A real install: the wheel built from this checkout, installed into a fresh virtualenv, set up on a new
PostgreSQL database by following docs/deploy.md step by step, then served by gunicorn.

The wheel is built once from a clean copy of the files git knows and carries the
project's code, templates, static files, translations and migrations. The doc's steps create the virtualenv and
``pip install`` the wheel with its dependencies exactly as an operator would (pip resolves them from its index,
its cache and the configured wheel folders); nothing is borrowed from the checkout or its ``.venv``: the steps
run in another folder, and the test asserts that ``portal`` and every library were imported from the new
virtualenv.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import ROOT, wait_for
from tests.support.services import redis_url

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SITE_FOLDERS = ("templates", "static", "locale")


def _git_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    return [name for name in listed if name and (ROOT / name).is_file()]


def _local_apps() -> list[str]:
    return [app for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()]


def build_wheel(target: Path) -> Path:
    """Build the wheel from a clean copy of the checkout (the files git knows, nothing left over)."""
    source = target / "source"
    for name in _git_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    built = subprocess.run(
        # The build backend is the checkout's setuptools (the build is not what is under test, and an isolated
        # build environment would cost a minute); what is installed below comes from the wheel and pip only.
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
        + ["-w", str(target / "dist"), str(source)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-3000:]
    (wheel,) = (target / "dist").glob("jianfu-*.whl")
    return wheel


def _deploy_steps() -> str:
    text = (ROOT / "docs" / "deploy.md").read_text()
    block = re.search(r"<!-- deploy:install -->\s*```sh\n(.*?)```\s*<!-- /deploy:install -->", text, re.S)
    assert block, "docs/deploy.md has no install block between <!-- deploy:install --> markers"
    return block.group(1)


def _web_command(home: Path, port: int) -> list[str]:
    text = (ROOT / "docs" / "deploy.md").read_text()
    line = re.search(r"^ExecStart=(\S+/gunicorn .*)$", text, re.M).group(1)
    line = line.replace("/srv/jianfu", str(home))
    line = re.sub(r"--bind \S+", f"--bind 127.0.0.1:{port}", line)
    line = re.sub(r"--workers \d+", "--workers 1", line)  # a modest machine
    return line.split()


@pytest.fixture
def fresh_database():
    import psycopg2

    base = settings.DATABASES["default"]
    name = f"{base['NAME']}_wheel"
    admin = psycopg2.connect(
        dbname="postgres",
        user=base["USER"] or "postgres",
        host=base["HOST"] or "127.0.0.1",
        port=base["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = (
        f"postgres://{base['USER'] or 'postgres'}@{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}/{name}"
    )
    yield url
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("build"))


def test_the_wheel_holds_every_app_with_templates_static_files_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for app in _local_apps():
        package = app.replace(".", "/")
        assert f"{package}/__init__.py" in names, f"{app} (INSTALLED_APPS) is missing from the wheel"
        migrations = sorted((ROOT / package / "migrations").glob("0*.py"))
        for migration in migrations:
            assert f"{package}/migrations/{migration.name}" in names, f"{migration} is missing"
    for name in _git_files():
        top = name.split("/")[0]
        if top in SITE_FOLDERS:
            assert f"jianfu_site/{name}" in names, f"{name} is missing from the wheel"
        elif top in {app.split(".")[0] for app in _local_apps()} and "/management/" in name:
            assert name in names, f"{name} is missing from the wheel"
        elif top in {app.split(".")[0] for app in _local_apps()} and not name.endswith(".py"):
            assert name in names, f"data file {name} is missing from the wheel"
    assert not any(name.startswith("tests/") for name in names)


def test_deploy_md_followed_step_by_step_on_a_new_database(tmp_path, fresh_database, wheel):
    home = tmp_path / "srv"
    home.mkdir()
    (home / "orgs.csv").write_text(
        "代码,名称,层级,上级代码,类型\n120000,天津市,市,,\n120103,河西区,区,120000,\n"
        "120103001000,大营门街道,街道,120103,\n120103001001,新华南路社区,社区,120103001000,社区\n",
        encoding="utf-8",
    )
    secret = "s" * 20 + "-install-test-secret-key-not-for-production-" + "x" * 10
    env_file = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "JIANFU_SECRET_KEY": secret,
        "JIANFU_ALLOWED_HOSTS": "jianfu.example.gov.cn,127.0.0.1",
        "DATABASE_URL": fresh_database,
        "REDIS_URL": redis_url(),
        "JIANFU_FIELD_KEY": "ZGVtby1vbmx5LWtleS1qaWFuZnUtMjAyNi0wMDAwMDA=",
        "JIANFU_MEDIA_ROOT": str(home / "media"),
        "JIANFU_STATIC_ROOT": str(home / "static"),
        "JIANFU_PUBLIC_BASE_URL": "https://jianfu.example.gov.cn",
        "JIANFU_STATIC_COMPRESS": "0",  # brotli over every admin and Swagger file takes minutes on a busy CI
    }
    (home / "jianfu.env").write_text("".join(f"{k}={v}\n" for k, v in env_file.items()))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "JIANFU_", "DATABASE_URL", "REDIS_URL", "CELERY_", "VIRTUAL_ENV"))
        and key not in {"PYTHONPATH"}
    }
    env.update(
        JIANFU_HOME=str(home),
        JIANFU_WHEEL=str(wheel),
        JIANFU_ORGS=str(home / "orgs.csv"),
        JIANFU_ADMIN_USER="cityadmin",
        JIANFU_ADMIN_EMAIL="admin@example.gov.cn",
        DJANGO_SUPERUSER_PASSWORD="Install-test-Password-2026!",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        # The checkout's virtualenv is not on the way: the doc's ``python3`` is the system's.
        PATH=":".join(p for p in env.get("PATH", "/usr/bin:/bin").split(":") if not _in_checkout_venv(p)),
    )
    steps = "set -euxo pipefail\nPS4='+ [$SECONDS s] '\n" + _deploy_steps()
    done = subprocess.run(
        ["bash", "-c", steps], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    assert "证明事项目录: 新增" in done.stdout

    # The code and every library ran from the new virtualenv, not from the checkout or its .venv.
    installed = re.search(r"(?im)^Successfully installed (.*)$", done.stdout)
    assert installed, done.stdout[-3000:]
    assert re.search(r"(?i)\bjianfu-\d", installed.group(1)) and re.search(
        r"(?i)\bdjango-5\.2", installed.group(1)
    )
    python = home / "venv" / "bin" / "python"
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import portal, jianfu_site, django, celery, weasyprint, psycopg2, sys\n"
            "for m in (portal, jianfu_site, django, celery, weasyprint, psycopg2): print(m.__file__)\n"
            "for p in sys.path: print(p)",
        ],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    modules, path = where[:6], where[6:]
    assert all(str(home / "venv") in module for module in modules), modules
    assert not any(str(ROOT) in entry for entry in path), path

    # The base settings work from any folder as well (the command the issue names).
    base = subprocess.run(
        [str(home / "venv" / "bin" / "django-admin"), "showmigrations", "portal", "--plan"],
        cwd="/",
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings.base", "DATABASE_URL": fresh_database},
        capture_output=True,
        text=True,
    )
    assert base.returncode == 0, base.stderr[-3000:]
    assert "[X]  portal.0001_initial" in base.stdout and "[ ]" not in base.stdout

    # The web unit of the doc serves the installed portal: ready, public pages with the seeded lists, static files.
    with socket_port() as port:
        command = _web_command(home, port)
    file_env = {**env, **env_file}
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(command, cwd=home, env=file_env, stdout=log, stderr=subprocess.STDOUT)
    try:

        def get(path: str):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}",
                headers={"Host": "jianfu.example.gov.cn", "X-Forwarded-Proto": "https"},
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status, response.read()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.read()
            except OSError:
                return None

        status, body = wait_for(lambda: get("/readyz"), timeout=60)
        assert status == 200, body
        checks = json.loads(body)["checks"]
        assert {k: checks[k]["state"] for k in ("database", "migrations", "media", "redis")} == dict.fromkeys(
            ("database", "migrations", "media", "redis"), "up"
        )
        status, body = get("/lists/")
        assert status == 200
        page = body.decode()
        assert "天津市" in page and "<html" in page
        css = re.search(r'href="(/static/[^"]+\.css)"', page)
        assert css, "the page links no stylesheet"
        status, _ = get(css.group(1))
        assert status == 200
        status, body = get("/certificates/")
        assert status == 200 and "居住证明" in body.decode()
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


def _in_checkout_venv(folder: str) -> bool:
    return bool(folder) and (
        Path(folder).resolve() == Path(sys.prefix).resolve() / "bin" or str(ROOT) in folder
    )


class socket_port:
    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc):
        self.sock.close()
