"""Browser tests: Chromium driven by Playwright against pytest-django's live server.

One browser for the whole session (starting Chromium is the slow part) and a fresh context for each
page, so no cookies or storage leak between journeys. Every test under tests/browser is marked
`browser`; deselect them with `-m "not browser"` on a machine without Chromium.

The `page` fixture fails the test, after it has run, if any document the page loaded was not checked
with axe (`tests.browser.axe.check`), if a script threw, if the Content Security Policy blocked
anything, or if one of our own style sheets, scripts or images failed to load.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Request, Response, Route, sync_playwright

from tests.browser import axe

# Playwright's sync API runs an asyncio event loop in the test thread. Django then believes it is in
# async code and refuses ORM calls made by fixtures and assertions, though they are ordinary blocking
# calls between browser steps.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("LIVINGWELL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser(live_server: Any) -> Iterator[Browser]:
    # Asking for the live server first means it stops after Chromium has closed its connections;
    # otherwise the server's threads close a shared SQLite connection that is no longer shared.
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Chromium at {CHROMIUM} (or set LIVINGWELL_CHROMIUM); "
            'run the rest with -m "not browser".'
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Problems:
    """What went wrong in a page besides what the test asserts on."""

    origin: str
    found: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.found.append(f"blocked by the Content Security Policy: {message.text}")

    def page_error(self, error: Error) -> None:
        self.found.append(f"script error: {error}")

    def response(self, response: Response) -> None:
        # Error pages (403, 404) are documents we ask for on purpose; their assets must still load.
        if response.status >= 400 and response.request.resource_type != "document" and self._ours(response.url):
            self.found.append(f"{response.status} for {response.request.resource_type} {response.url}")

    def request_failed(self, request: Request) -> None:
        if self._ours(request.url):
            self.found.append(f"failed to load {request.url}: {request.failure}")

    def _ours(self, url: str) -> bool:
        return url.startswith(self.origin)


@pytest.fixture
def new_page(browser: Browser, live_server: Any) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh browser context (no cookies). `javascript=False` turns scripts off."""
    origin = str(live_server.url)
    opened: list[tuple[Page, Problems]] = []

    def open_page(*, javascript: bool = True) -> Page:
        context = browser.new_context(base_url=origin, java_script_enabled=javascript, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)

        # Nothing leaves the machine: the NHS.UK style sheet asks for fonts from assets.nhs.uk.
        def outside(route: Route) -> None:
            route.abort()

        context.route(lambda url: not url.startswith(origin), outside)
        page = context.new_page()
        problems = Problems(origin)
        page.on("console", problems.console)
        page.on("pageerror", problems.page_error)
        page.on("response", problems.response)
        page.on("requestfailed", problems.request_failed)
        axe.watch(page, javascript=javascript)
        opened.append((page, problems))
        return page

    yield open_page

    report: list[str] = []
    for page, problems in opened:
        report += problems.found
        report += [f"not checked with axe: {url}" for url in axe.unchecked(page)]
        page.context.close()
    assert not report, "\n".join(report)


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()
