"""Curating the community directory in the browser: Alex suggests an informal walking group, a Hub
coordinator reviews and publishes it, and then anyone finds it in the search; a second suggestion is
not added, with a note that Alex reads on "Your suggestions". Every page is checked with axe."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from livingwell.community.models import Postcode
from livingwell.testing import Cast
from tests.browser.steps import follow, follow_link, sign_in, submit, visit


def _suggest(page: Page, *, name: str, group: str, informal: bool, description: str) -> None:
    visit(page, "/community/")
    follow(page, "Suggest an offer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggest an offer")
    page.get_by_label("Name of the offer").fill(name)
    page.get_by_label("What happens there").fill(description)
    page.get_by_label("Who runs it").fill(group)
    if informal:
        page.get_by_label("This is an informal group").check()
    page.get_by_label("Name of the place").fill("Brockwell Park")
    page.get_by_label("Address line 1").fill("Dulwich Road gate")
    page.get_by_label("Town or city").fill("London")
    page.get_by_label("Postcode").fill("SW9 8AB")
    page.locator("#id_slot_1_day").select_option(label="Tuesday")
    page.locator("#id_slot_1_opens").fill("10am")
    page.locator("#id_slot_1_closes").fill("11:30am")
    page.get_by_label("No, it is free").check()
    submit(page, "Send suggestion")


def test_alex_suggests_a_walking_group_a_coordinator_publishes_it_and_declines_another(
    new_page: Callable[..., Page], cast: Cast
) -> None:
    Postcode.objects.create(code="SW98AB", lat=51.4613, lng=-0.1156)
    alex = new_page()
    sign_in(alex, cast.person_user.email)

    # Alex suggests an informal walking group, leaving out the time it closes at first
    visit(alex, "/community/")
    follow(alex, "Suggest an offer")
    alex.get_by_label("Name of the offer").fill("Brockwell Park walking group")
    alex.locator("#id_slot_1_day").select_option(label="Tuesday")
    alex.locator("#id_slot_1_opens").fill("10am")
    submit(alex, "Send suggestion")
    summary = alex.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter who runs it")
    expect(summary).to_contain_text("Enter the closing time, like 12:30pm")
    expect(alex.get_by_label("Name of the offer")).to_have_value("Brockwell Park walking group")

    _suggest(
        alex,
        name="Brockwell Park walking group",
        group="Brockwell Walkers",
        informal=True,
        description="A gentle walk round the park on Tuesday mornings, then tea at the lido cafe.",
    )
    expect(alex.get_by_role("heading", level=1)).to_have_text("Your suggestions")
    expect(alex.get_by_text("Thank you for suggesting Brockwell Park walking group.")).to_be_visible()
    expect(alex.get_by_text("Waiting for a Hub coordinator")).to_be_visible()
    expect(alex.get_by_text("Brockwell Walkers (informal group)")).to_be_visible()

    # And a second one, which will not be added
    _suggest(
        alex,
        name="Tuesday knitting circle",
        group="Brixton Knitters",
        informal=True,
        description="Knitting and a chat in the park.",
    )

    # Not in the search until a curator publishes it
    visit(alex, "/community/?q=brockwell")
    expect(alex.get_by_text("No offers match your search.")).to_be_visible()

    # The Hub coordinator sees the suggestions waiting, oldest first
    coordinator = new_page()
    sign_in(coordinator, cast.coordinator.email)
    visit(coordinator, "/community/")
    follow(coordinator, "2 suggestions waiting")
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Suggestions waiting")
    rows = coordinator.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("Brockwell Park walking group")
    expect(rows.nth(0)).to_contain_text("Alex Morgan")
    expect(rows.nth(1)).to_contain_text("Tuesday knitting circle")

    # They review the walking group as it would appear, and publish it
    follow(coordinator, "Brockwell Park walking group")
    expect(coordinator.get_by_text("How it would appear in the directory")).to_be_visible()
    expect(coordinator.get_by_text("Every Tuesday, 10am to 11:30am.")).to_be_visible()
    expect(coordinator.get_by_text("An informal group, not a registered organisation")).to_be_visible()
    submit(coordinator, "Publish in the directory")
    expect(coordinator.get_by_text("Brockwell Park walking group is in the directory now")).to_be_visible()

    # They decline the knitting circle, first forgetting to say why
    follow(coordinator, "Tuesday knitting circle")
    submit(coordinator, "Do not add it")
    expect(coordinator.locator(".nhsuk-error-summary")).to_contain_text("Say why it is not being added")
    coordinator.get_by_label("Why it is not being added").fill(
        "Thank you. It already meets as part of Brixton Knitters, which is in the directory."
    )
    submit(coordinator, "Do not add it")
    expect(coordinator.get_by_text("No suggestions are waiting.")).to_be_visible()

    # Now anyone finds the walking group in the search, and opens its page
    visit(alex, "/community/?q=brockwell")
    follow_link(alex, alex.locator("#offer-list").get_by_role("link", name="Brockwell Park walking group"))
    expect(alex.get_by_role("heading", level=1)).to_contain_text("Brockwell Park walking group")
    expect(alex.get_by_text("Every Tuesday, 10am to 11:30am.")).to_be_visible()
    expect(alex.locator("main")).to_contain_text("Dulwich Road gate")

    # And Alex sees what happened to both suggestions, with the coordinator's note
    visit(alex, "/community/suggestions/")
    expect(alex.get_by_text("In the directory", exact=True)).to_be_visible()
    expect(alex.get_by_text("Not added", exact=True)).to_be_visible()
    expect(
        alex.get_by_text("Thank you. It already meets as part of Brixton Knitters, which is in the directory.")
    ).to_be_visible()
