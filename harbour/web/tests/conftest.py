"""Fixtures for the web tests: a worker with children allocated, and a Chromium page.

Browser tests need Debian's Chromium (`make system-packages`) and the npm packages with the
built front end (`make setup`); without them they fail rather than skip, so a missing step
cannot pass unnoticed.
"""

from datetime import date
from pathlib import Path

import pytest

from harbour.web.tests.records import allocate, make_child, make_worker
from harbour.workforce.models import Team

PROJECT_DIR = Path(__file__).resolve().parents[3]
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def team(db):
    return Team.objects.create(name="North Safeguarding", kind=Team.Kind.SAFEGUARDING)


@pytest.fixture
def worker(django_user_model, team):
    """A social worker holding one child, and an unborn child, today."""
    user, staff = make_worker(django_user_model, "asha", "Asha", "Patel", team)
    allocate(make_child("C1001", "Ruby", "Hughes"), staff, date(2024, 9, 2))
    unborn = make_child(
        "C1002", "Unborn", "Khan", date_of_birth=None, expected_date_of_birth=date(2099, 1, 15)
    )
    allocate(unborn, staff, date(2024, 11, 4))
    return user


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Sync Playwright keeps an asyncio loop in this thread, which makes Django refuse database
    # calls from the test; no async code touches the database here, so the guard can go.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: run `make system-packages`"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A page on the live server that fails its test on any script error or failed request."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on(
        "console",
        lambda message: message.type == "error" and problems.append(f"console: {message.text}"),
    )
    yield page
    context.close()
    assert problems == []


@pytest.fixture
def axe_path() -> Path:
    path = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        pytest.fail(f"{path} is missing: run `npm ci` (or `make setup`)")
    return path
