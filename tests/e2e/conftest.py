"""Browser journeys in headless Debian Chromium, driven by Python Playwright against Django's live server.

Fixtures: ``live_demo`` (live server with the full demo data), ``page`` (desktop), ``phone_page``
(390×844, touch), ``login(page, username)``, ``shot(page, name)`` (screenshot to var/screenshots/).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support.services import require_services

CHROMIUM = os.environ.get("JIANFU_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
DEMO_PASSWORD = "jianfu-demo-2026"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if require_services():
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def live_demo(live_server, transactional_db, settings):
    from portal.demo import load_demo

    load_demo()
    settings.JIANFU_PUBLIC_BASE_URL = live_server.url
    return live_server


@pytest.fixture
def page(browser, live_demo):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", base_url=live_demo.url
    )
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def phone_page(browser, live_demo):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        base_url=live_demo.url,
    )
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def login():
    def do(pg, username: str, password: str = DEMO_PASSWORD):
        pg.goto("/accounts/login/")
        pg.fill("input[name=username]", username)
        pg.fill("input[name=password]", password)
        pg.click("button[type=submit]")
        pg.wait_for_load_state()
        return pg

    return do


@pytest.fixture
def shot():
    def take(pg, name: str):
        SHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return take
