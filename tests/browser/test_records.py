"""A person's record in the browser: found and read by their team, refused to anyone without a reason."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from livingwell.testing import Cast
from tests.browser.axe import check
from tests.browser.steps import follow, sign_in, submit


def test_a_worker_finds_a_person_and_reads_their_story(page: Page, cast: Cast) -> None:
    # Given a recovery worker in the team that supports Alex
    sign_in(page, cast.team_worker.email)

    # When they search the people list for Alex and open the record
    follow(page, "Find a person")
    page.get_by_label("Name, NHS number or postcode").fill("Morgan")
    submit(page, "Search")
    expect(page.get_by_role("table").locator("caption")).to_have_text(
        "1 person found for \N{LEFT SINGLE QUOTATION MARK}Morgan\N{RIGHT SINGLE QUOTATION MARK}"
    )
    follow(page, "Alex Morgan")

    # Then they read Alex's record, with the story in Alex's own words
    expect(page.get_by_role("heading", level=1)).to_have_text("Alex Morgan")
    expect(page.get_by_text("their team supports the person")).to_be_visible()
    expect(page.get_by_text("Feeling low since losing my job.")).to_be_visible()


def test_a_worker_of_another_team_who_types_the_address_is_refused_and_the_person_sees_it(
    new_page: Callable[..., Page], cast: Cast
) -> None:
    # Given a practitioner in another team, who has no part in Alex's support
    page = new_page()
    sign_in(page, cast.other_team_worker.email)

    # When they type the address of Alex's record
    response = page.goto(f"/people/{cast.person.pk}/")
    check(page)

    # Then they are refused, without seeing anything of the record, and told the attempt was recorded
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page")
    expect(page.get_by_text("We have recorded that you tried")).to_be_visible()
    expect(page.get_by_text("Alex Morgan")).to_have_count(0)

    # And when Alex signs in and looks at who has looked at their record, the attempt is there
    alex = new_page()
    sign_in(alex, cast.person_user.email)
    follow(alex, "See who has looked at your record")
    attempt = alex.get_by_role("row").filter(has_text="Other Team")
    expect(attempt).to_contain_text("Stopped")
