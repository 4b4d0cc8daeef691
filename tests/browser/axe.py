"""axe-core checks (WCAG 2.2 AA and best practice) for every page that a browser test visits.

`watch(page)` starts counting the documents a page loads; `check(page)` runs axe on the current one
and fails with each violation's rule, help text and the elements at fault. The `page` fixture fails a
test that leaves any loaded document unchecked, so "run axe on every page" cannot be forgotten.

axe is evaluated through the DevTools protocol rather than added as a <script> tag: the site's
Content Security Policy (rightly) refuses inline scripts without the page's nonce, and we keep that
policy on in browser tests so that anything else it blocks shows up as a failure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from weakref import WeakKeyDictionary

from django.conf import settings
from playwright.sync_api import Browser, Frame, Page, Route

AXE_JS = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
OPTIONS: dict[str, Any] = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}

# Deliberate departures from axe's best-practice rules (never from a WCAG rule): (rule, element) -> why.
ACCEPTED: dict[tuple[str, str], str] = {
    ("region", ".nhsuk-back-link"): "the NHS service manual puts the back link before <main>, outside any landmark",
}


@dataclass
class _Watch:
    javascript: bool
    unchecked: list[str] = field(default_factory=list)


_watched: WeakKeyDictionary[Page, _Watch] = WeakKeyDictionary()


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def watch(page: Page, *, javascript: bool = True) -> None:
    """Note each document that `page` loads, so that the test can be held to checking it."""
    watched = _Watch(javascript=javascript)
    _watched[page] = watched

    def navigated(frame: Frame) -> None:
        if frame.parent_frame is None:
            watched.unchecked.append(frame.url)

    page.on("framenavigated", navigated)


def unchecked(page: Page) -> list[str]:
    """Addresses of the documents `page` loaded that nobody ran axe on."""
    return list(_watched[page].unchecked) if page in _watched else []


def check(page: Page) -> None:
    """Run axe on the page as it is now and fail if it finds any violation."""
    watched = _watched.get(page)
    violations = _run(page) if watched is None or watched.javascript else _run_without_javascript(page)
    if watched and watched.unchecked:
        watched.unchecked.pop()
    assert not violations, describe(page.url, violations)


def _run(page: Page) -> list[dict[str, Any]]:
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results: dict[str, Any] = page.evaluate("options => window.axe.run(document, options)", OPTIONS)
    return _without_accepted(results["violations"])


def _without_accepted(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    remaining = []
    for violation in violations:
        nodes = [
            node
            for node in violation["nodes"]
            if not any((violation["id"], str(target)) in ACCEPTED for target in node["target"])
        ]
        if nodes:
            remaining.append({**violation, "nodes": nodes})
    return remaining


@dataclass
class _Copy:
    """A scripting page that serves a snapshot of a no-JavaScript page at that page's own address."""

    page: Page
    url: str = ""
    html: str = ""
    origin: str = ""

    def serve(self, route: Route) -> None:
        request_url = route.request.url.split("#")[0]
        if request_url == self.url:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=self.html)
        elif request_url.startswith(self.origin):
            route.continue_()
        else:
            route.abort()


_copies: WeakKeyDictionary[Browser, _Copy] = WeakKeyDictionary()


def _run_without_javascript(page: Page) -> list[dict[str, Any]]:
    """axe is a script, and waits for timers that never fire in a page with JavaScript off.

    So check a copy: the same HTML, without its scripts (as the visitor's browser leaves them), served
    at the same address in a scripting page, with its style sheets and images fetched as usual.
    """
    browser = page.context.browser
    assert browser is not None
    copy = _copies.get(browser)
    if copy is None:
        copy = _copies[browser] = _Copy(browser.new_context().new_page())
        copy.page.route("**/*", copy.serve)
    copy.url = page.url.split("#")[0]
    copy.html = re.sub(r"<script\b.*?</script\s*>", "", page.content(), flags=re.DOTALL | re.IGNORECASE)
    origin = re.match(r"https?://[^/]+", copy.url)
    assert origin, copy.url
    copy.origin = origin.group(0)
    copy.page.goto(copy.url)
    return _run(copy.page)


def describe(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe found {len(violations)} accessibility problem(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  at {', '.join(str(t) for t in node['target'])}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)
