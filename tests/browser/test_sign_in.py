"""Signing in through the real form: each role's home page, two-factor, mistakes, lockout, no JavaScript."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from livingwell.testing import Cast
from tests.authenticator import give_authenticator
from tests.browser.steps import follow, give_code, sign_in, submit, try_to_sign_in, visit

HOME_HEADINGS = [
    # (member of the cast, the h1 of their home page, whether they must give a second factor)
    ("team_worker", "People you support", False),  # recovery worker
    ("allocated_worker", "People you support", False),  # peer worker
    ("team_leader", "North Living Well team: who we support", False),
    ("coordinator", "Front door", False),
    ("analyst", "Network figures", False),
    ("site_admin", "Lambeth network", True),
    ("privacy_officer", "Privacy", True),
    ("person_user", "Your record", False),  # a person with their own account
]


@pytest.mark.parametrize(("who", "heading", "two_factor"), HOME_HEADINGS, ids=[h[0] for h in HOME_HEADINGS])
def test_each_role_signs_in_and_lands_on_their_home_page(
    page: Page, cast: Cast, who: str, heading: str, two_factor: bool
) -> None:
    # Given a member of the cast, with an authenticator app if their role needs one
    user = getattr(cast, who)
    device = give_authenticator(user) if two_factor else None

    # When they sign in with their email address and password
    sign_in(page, user.email)

    # (and, where their role needs it, the code from their authenticator app)
    if device is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text("Enter the code from your authenticator app")
        give_code(page, device)

    # Then they land on their own home page
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("link", name="Sign out")).to_be_visible()


def test_a_wrong_password_is_explained_at_the_top_and_by_the_field(page: Page, cast: Cast) -> None:
    # Given a worker who mistypes their password
    # When they sign in
    sign_in(page, cast.team_worker.email, "not-my-password")

    # Then the error summary says there is a problem and links to the field, which says what is wrong
    message = "Your email address or password is not right. Check them and try again"
    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(page.locator(".nhsuk-error-message")).to_have_text(f"Error: {message}")
    expect(page).to_have_title("Error: Sign in \N{EN DASH} Living Well")
    # And the email address they typed is kept
    expect(page.get_by_label("Email address", exact=True)).to_have_value(cast.team_worker.email)


def test_sign_in_pauses_after_too_many_wrong_passwords(page: Page, cast: Cast) -> None:
    # Given someone who has tried four wrong passwords for a worker's account
    assert settings.AXES_FAILURE_LIMIT == 5
    visit(page, "/sign-in/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        try_to_sign_in(page, cast.team_worker.email, "guess")
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Living Well")

    # When they get it wrong for the fifth time
    try_to_sign_in(page, cast.team_worker.email, "guess")

    # Then sign-in is paused for the account
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in at the moment")

    # And even the right password does not get in until the pause ends
    sign_in(page, cast.team_worker.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot sign in at the moment")


def test_signing_in_works_without_javascript(new_page: Callable[..., Page], cast: Cast) -> None:
    # Given a privacy officer whose browser runs no JavaScript
    page = new_page(javascript=False)
    device = give_authenticator(cast.privacy_officer)

    # When they sign in and give their code
    sign_in(page, cast.privacy_officer.email)
    give_code(page, device)

    # Then they reach their home page and can follow its links
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy")
    follow(page, "Emergency access to review")
    expect(page.get_by_role("heading", level=1)).to_have_text("Emergency access")

    # And they can sign out again
    visit(page, "/sign-out/")
    submit(page, "Sign out")
    expect(page.get_by_role("heading", level=1)).to_have_text("Living Well: support with your mental health")
