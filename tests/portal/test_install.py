"""A real install: the wheel built from this checkout, installed into a fresh virtualenv, set up on a new
PostgreSQL database by following docs/deploy.md step by step, then served by gunicorn.

The wheel carries the project's code, templates, static files, translations and migrations; nothing may come
from the checkout (the steps run in another folder and the test asserts where ``portal`` was imported from).
The third-party libraries are the ones of the project's own virtualenv, offered to the fresh one through a
``.pth`` file (pip sees them as installed and does not reach any index: ``PIP_NO_INDEX=1``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
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
OWN_TOP_LEVEL = {"portal", "jianfu_site", "bench"}
CONSOLE_SCRIPTS = {
    "django-admin": "django.core.management:execute_from_command_line",
    "gunicorn": "gunicorn.app.wsgiapp:run",
    "celery": "celery.__main__:main",
}


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
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index"]
        + ["-w", str(target / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
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


def _dependencies_dir(home: Path) -> Path:
    """The project's third-party libraries without the project itself (its editable install is left out)."""
    deps = home / "deps"
    deps.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    for entry in site.iterdir():
        name = entry.name
        if name.startswith(("jianfu", "__editable__", "_virtualenv", "distutils-precedence")):
            continue
        if name.split(".")[0] in OWN_TOP_LEVEL or name.endswith(".pth"):
            continue
        (deps / name).symlink_to(entry)
    return deps


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


def test_the_wheel_holds_every_app_with_templates_static_files_and_migrations(tmp_path):
    wheel = build_wheel(tmp_path)
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


def test_deploy_md_followed_step_by_step_on_a_new_database(tmp_path, fresh_database):
    home = tmp_path / "srv"
    home.mkdir()
    wheel = build_wheel(tmp_path / "build")
    # The fresh venv first gets the libraries (see the module docstring), then the doc's steps run as written.
    subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True)
    venv_site = next((home / "venv" / "lib").glob("python3*/site-packages"))
    (venv_site / "jianfu-test-deps.pth").write_text(str(_dependencies_dir(home)) + "\n")
    for (
        script,
        target,
    ) in CONSOLE_SCRIPTS.items():  # what pip would have written when installing the libraries
        path = home / "venv" / "bin" / script
        module, func = target.split(":")
        path.write_text(
            f"#!{home / 'venv' / 'bin' / 'python'}\nimport sys\nfrom {module} import {func}\n"
            f"sys.exit({func}())\n"
        )
        path.chmod(0o755)

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
        PIP_NO_INDEX="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PATH=f"{home / 'venv' / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}",
    )
    steps = "set -euxo pipefail\nPS4='+ [$SECONDS s] '\n" + _deploy_steps()
    done = subprocess.run(
        ["bash", "-c", steps], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    assert "证明事项目录: 新增" in done.stdout

    # The code ran from the wheel, not from the checkout.
    python = home / "venv" / "bin" / "python"
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import portal, jianfu_site; print(portal.__file__); print(jianfu_site.__file__)",
        ],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(str(home / "venv") in path for path in where), where
    assert str(ROOT) not in " ".join(where)

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


class socket_port:
    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        return self.sock.getsockname()[1]

    def __exit__(self, *exc):
        self.sock.close()
