"""Emergency access: a psychiatrist opens a record they have no relationship with, giving a reason;
the privacy officer reviews it and the person sees who looked and why."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from livingwell.testing import Cast
from tests.authenticator import give_authenticator
from tests.browser.axe import check
from tests.browser.steps import follow, give_code, sign_in, submit, visit

REASON = "Found in distress at A&E at night; need to know who supports them"


def test_emergency_access_is_explained_reviewed_and_shown_to_the_person(
    new_page: Callable[..., Page], cast: Cast
) -> None:
    # Given a psychiatrist in another team, with no part in Alex's support
    psychiatrist = new_page()
    sign_in(psychiatrist, cast.psychiatrist.email)

    # When they find Alex by NHS number through emergency access and give their reason
    visit(psychiatrist, "/people/")
    follow(psychiatrist, "ask for emergency access")
    psychiatrist.get_by_label("NHS number (optional)").fill("943 476 5919")
    submit(psychiatrist, "Find the person")
    with psychiatrist.expect_navigation():
        psychiatrist.get_by_role("link", name=re.compile(r"^Alex Morgan")).click()
    check(psychiatrist)
    psychiatrist.get_by_label("Why do you need to see this record now?").fill(REASON)
    submit(psychiatrist, "Open the record")

    # Then they see the record, with a warning that the access is temporary and checked
    expect(psychiatrist.get_by_role("heading", level=1)).to_have_text("Alex Morgan")
    expect(psychiatrist.get_by_text("You are seeing this record with emergency access")).to_be_visible()

    # And the privacy officer finds it waiting for review, and reviews it
    officer = new_page()
    device = give_authenticator(cast.privacy_officer)
    sign_in(officer, cast.privacy_officer.email)
    give_code(officer, device)
    follow(officer, "Emergency access to review")
    follow(officer, "Review access by Psychiatrist")
    expect(officer.get_by_text(REASON)).to_be_visible()
    officer.get_by_label("Justified", exact=True).check()
    submit(officer, "Save review")
    expect(officer.get_by_text("Nothing to review.")).to_be_visible()

    # And Alex sees who looked at their record, and why
    alex = new_page()
    sign_in(alex, cast.person_user.email)
    follow(alex, "See who has looked at your record")
    opened = alex.get_by_role("row").filter(has_text="Used emergency access to your record")
    expect(opened).to_contain_text("Psychiatrist")
    expect(opened).to_contain_text(REASON)
    expect(alex.get_by_role("row").filter(has_text="Reviewed your record")).to_contain_text("Privacy Officer")
