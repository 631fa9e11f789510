"""Browser tests: the web pages in Debian's Chromium (/usr/bin/chromium), driven by
Playwright for Python, against a real server process as `make demo` runs it (daphne,
static files collected), on SQLite, or on PostgreSQL + Redis in CI's second pass.

Every page a test opens is watched: a JavaScript console error, an uncaught exception
or a request to another host fails the test. A failing test leaves a screenshot of
each of its pages in test-artifacts/screenshots/ (KLIMA_TEST_ARTIFACTS elsewhere).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.e2e.conftest import SERVICES
from tests.e2e.servers import ROOT, Deployment, manage, postgres_redis_deployment, sqlite_deployment

CHROMIUM = os.environ.get("KLIMA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--metrics-recording-only",
]
ARTIFACTS = Path(os.environ.get("KLIMA_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "screenshots"
PASSWORD = "klima-demo"

pytestmark = pytest.mark.e2e


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()


@contextlib.contextmanager
def running_site(tmp: Path) -> Iterator[Deployment]:
    """A deployment with its static files collected, as `make demo` serves them."""
    if SERVICES:
        deployment = postgres_redis_deployment(
            tmp, os.environ["DATABASE_URL"], os.environ["REDIS_URL"]
        )
    else:
        deployment = sqlite_deployment(tmp)
    deployment.env["DJANGO_STATIC_ROOT"] = str(tmp / "static")
    manage(deployment.env, "collectstatic", "--no-input", "--verbosity", "0")
    try:
        deployment.start_worker("daphne")
        yield deployment
    finally:
        deployment.close()


@pytest.fixture(scope="session")
def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """One server for the browser tests that do not stop it (each test makes its own
    rooms, so they do not meet): a server start costs ~15 s."""
    with running_site(Path(tmp_path_factory.mktemp("browser-site"))) as deployment:
        yield deployment


@pytest.fixture(scope="module")
def site(shared_site: Deployment) -> Deployment:
    return shared_site


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """What a page did that it must not: console errors, uncaught exceptions, a
    resource (script, style, image, API call) that failed, and requests to any host but
    the site's own. A page itself may be an error page (a test goes to a 404 on purpose):
    the browser's "Failed to load resource" line is judged by the response instead."""

    host: str
    problems: list[str] = field(default_factory=list)
    expected_api_statuses: set[int] = field(default_factory=set)
    # Lines the browser itself logs for what a test does on purpose (a refused
    # reconnect while the server restarts): matched at their start.
    tolerated: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", self.check_console)
        page.on("pageerror", lambda error: self.problems.append(f"exception: {error}"))
        page.on("request", self.check_request)
        page.on("response", self.check_response)

    def check_console(self, message: Any) -> None:
        text = message.text
        if message.type != "error" or text.startswith(("Failed to load resource", *self.tolerated)):
            return
        self.problems.append(f"console error: {text}")

    def check_response(self, response: Any) -> None:
        if response.status >= 500 or (
            response.status >= 400
            and response.request.resource_type != "document"
            and not self.expected(response)
        ):
            self.problems.append(f"{response.status} for {response.url}")

    def expected(self, response: Any) -> bool:
        """API answers a test provokes on purpose (a refused report, say) are fine."""
        return "/api/" in response.url and response.status in self.expected_api_statuses

    def check_request(self, request: Any) -> None:
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != self.host:
            self.problems.append(f"request to another host: {request.url}")


@dataclass
class Browsing:
    """Pages of signed-in people (or anonymous ones) on the site, each in its own context."""

    site: Deployment
    browser: Browser
    contexts: list[BrowserContext] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    watch: Watch | None = None

    @property
    def base(self) -> str:
        return self.site.workers[0].http

    def page(self, user: str | None = None, *, width: int = 1280, height: int = 900) -> Page:
        context = self.browser.new_context(
            viewport={"width": width, "height": height}, locale="de-DE", timezone_id="Europe/Berlin"
        )
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        assert self.watch is not None
        self.watch.attach(page)
        self.pages.append(page)
        if user:
            sign_in(page, self.base, user)
        return page


def sign_in(page: Page, base: str, user: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Benutzername").fill(user)
    page.get_by_label("Passwort").fill(password)
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"^(?!.*/login/).*$"))


@pytest.fixture
def browsing(
    request: pytest.FixtureRequest, site: Deployment, browser: Browser
) -> Iterator[Browsing]:
    host = urlparse(site.workers[0].http).netloc
    session = Browsing(site=site, browser=browser, watch=Watch(host=host))
    try:
        yield session
        assert session.watch is not None
        assert session.watch.problems == [], session.watch.problems
    finally:
        if request.node.stash.get(FAILED, False):
            save_screenshots(request.node.name, session.pages)
        for context in session.contexts:
            context.close()


def save_screenshots(test_name: str, pages: list[Page]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "_", test_name)[:120]
    for number, page in enumerate(pages):
        try:
            page.screenshot(path=str(ARTIFACTS / f"{safe}-{number}.png"), full_page=True)
        except Exception as error:  # a page that has crashed or closed leaves no picture
            print(f"no screenshot of page {number} of {test_name}: {error}")


def axe_problems(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
