"""Steps that journeys share: visiting a page, submitting a form, signing in. Each checks with axe."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Locator, Page

from livingwell.testing import PASSWORD
from tests.authenticator import current_code
from tests.browser.axe import check


def visit(page: Page, path: str) -> None:
    """Go to `path` on the live server and check the page with axe."""
    page.goto(path)
    check(page)


def follow(page: Page, link: str) -> None:
    """Follow the link with this text and check the page it opens with axe."""
    with page.expect_navigation():
        page.get_by_role("link", name=link, exact=True).click()
    check(page)


def follow_link(page: Page, link: Locator) -> None:
    """Follow this link (found by the test, when its text alone is not unique) and check the page with axe."""
    with page.expect_navigation():
        link.click()
    check(page)


def submit(page: Page, button: str) -> None:
    """Press the form's button, wait for the page that comes back and check it with axe."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    check(page)


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real form, as a person would."""
    visit(page, "/sign-in/")
    try_to_sign_in(page, email, password)


def try_to_sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Fill in and send the sign-in form that is on the page (again, after a mistake)."""
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    submit(page, "Sign in")


def give_code(page: Page, device: TOTPDevice) -> None:
    """Enter the code from the authenticator app on the two-factor page."""
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    submit(page, "Continue")
