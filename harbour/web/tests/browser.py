"""Browser fixtures: Debian's Chromium driven by Playwright, and axe-core for accessibility.

Browser tests need Debian's Chromium (`make system-packages`) and the npm packages with the
built front end (`make setup`); without them they fail rather than skip, so a missing step
cannot pass unnoticed. Conftests import these fixtures.
"""

from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[3]
CHROMIUM = "/usr/bin/chromium"


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


def accessibility_violations(page, axe_path) -> list[str]:
    # Served as if from Harbour itself, so the page's content security policy lets it run.
    page.route(
        "**/__axe__.js",
        lambda route: route.fulfill(path=str(axe_path), content_type="application/javascript"),
    )
    page.add_script_tag(url="/__axe__.js")
    results = page.evaluate("axe.run()")
    found = []
    for violation in results["violations"]:
        nodes = [n for n in violation["nodes"] if not _govuk_conditional_reveal(violation, n)]
        if nodes:
            found.append(f"{violation['id']}: {violation['help']} ({len(nodes)} elements)")
    return found


def _govuk_conditional_reveal(violation, node) -> bool:
    """GOV.UK Frontend's radios and checkboxes that reveal a question set aria-expanded, which
    axe flags: a choice the Design System made on screen reader research and lists as a known
    issue (alphagov/govuk-frontend#979). Only that attribute, on those inputs, is let pass."""
    return (
        violation["id"] == "aria-allowed-attr"
        and ("govuk-radios__input" in node["html"] or "govuk-checkboxes__input" in node["html"])
        and all(
            "aria-expanded" in check.get("message", "")
            for check in node.get("all", []) + node.get("any", []) + node.get("none", [])
        )
    )


def sign_in(page, username: str, password: str):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def shots_folder(tmp_path) -> Path:
    """Where a test's screenshots go: HARBOUR_SCREENSHOTS (docs/screenshots/ to refresh the
    README's), else the test's own temporary folder."""
    import os

    folder = Path(os.environ.get("HARBOUR_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(tab, folder: Path, name: str) -> None:
    """The whole page at 1280 and 320 px wide (`<name>-1280.png`, `<name>-320.png`)."""
    for width in (1280, 320):
        tab.set_viewport_size({"width": width, "height": 900})
        tab.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    tab.set_viewport_size({"width": 1280, "height": 900})


def assert_accessible(tab, axe: Path) -> None:
    """axe finds nothing on the page (what it finds, element by element, if it does)."""
    found = accessibility_violations(tab, axe)
    if found:
        for violation in tab.evaluate("axe.run()")["violations"]:
            print(violation["id"], [node["html"][:300] for node in violation["nodes"]])
    assert found == []
