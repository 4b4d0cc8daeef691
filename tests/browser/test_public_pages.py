"""Pages anyone can read without signing in: they load the NHS.UK styles and pass axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import check
from tests.browser.steps import visit

NHS_BLUE = "rgb(0, 94, 184)"


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Living Well: support with your mental health"),
        ("/get-help-now/", "Get help now"),
        ("/how-we-use-your-information/", "How we use your information"),
        ("/accessibility/", "Accessibility statement"),
        ("/sign-in/", "Sign in to Living Well"),
    ],
)
def test_a_visitor_reads_a_public_page(page: Page, path: str, heading: str) -> None:
    # Given a visitor who has not signed in
    # When they open the page
    visit(page, path)
    # Then they see its heading, and axe found no problems
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_the_nhs_styles_and_scripts_load(page: Page) -> None:
    # Given a visitor on the landing page
    visit(page, "/")
    # Then the header is NHS blue, as only the NHS.UK style sheet makes it
    expect(page.locator(".nhsuk-header")).to_have_css("background-color", NHS_BLUE)
    # And the page's nonce let the NHS.UK frontend's inline script mark the body
    expect(page.locator("body")).to_have_class(re.compile(r"\bnhsuk-frontend-supported\b"))


def test_a_mistyped_address_shows_the_not_found_page(page: Page) -> None:
    # Given a visitor who mistypes an address
    # When they open it
    response = page.goto("/no-such-page/")
    check(page)
    # Then they see the not found page, with a way to get help
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("main").get_by_role("link", name="get help now")).to_be_visible()
