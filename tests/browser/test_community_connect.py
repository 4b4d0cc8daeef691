"""Connecting a person to a community offer near their home, in the browser: a worker opens Alex's
record, finds an offer near Alex's home, connects Alex with a follow-up date, later records that Alex
went and then that it did not suit (saying why); Alex signs in and sees it in their community offers.
Every page is checked with axe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from livingwell.community.documents import save_service
from livingwell.community.models import Connection, ConnectionStage, Curation, Origin, Postcode
from livingwell.community.tests.test_search import ARTS, WALKING, document, weekly
from livingwell.testing import Cast
from tests.browser.axe import check
from tests.browser.steps import follow, follow_link, sign_in, submit, visit

# Alex lives at SW9 8AB, in Brixton (the cast gives Alex this postcode).
POSTCODES = [("SW98AB", 51.4613, -0.1156), ("SW162AA", 51.4280, -0.1310)]
OFFERS = {
    "Brixton walking football": ((51.4620, -0.1150), (WALKING,)),  # a few streets from Alex's home
    "Brixton pottery": ((51.4640, -0.1170), (ARTS,)),  # a little further
    "Streatham art club": ((51.4280, -0.1310), (ARTS,)),  # over two miles away
}


@pytest.fixture
def offers(cast: Cast) -> None:
    for code, lat, lng in POSTCODES:
        Postcode.objects.create(code=code, lat=lat, lng=lng)
    for name, (place, terms) in OFFERS.items():
        save_service(
            document=document(name, place=place, terms=terms, cost=0, schedules=(weekly("MO", "10:00", "12:00"),)),
            site=cast.site,
            origin=Origin.STAFF,
            curation=Curation.PUBLISHED,
        )


def _fill_date(page: Page, group: str, day: dt.date) -> None:
    fieldset = page.get_by_role("group", name=group)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def test_a_worker_finds_an_offer_near_alexs_home_connects_alex_and_follows_it_up(
    page: Page, new_page: Callable[..., Page], cast: Cast, offers: None
) -> None:
    # Given Alex's worker, on Alex's record
    sign_in(page, cast.allocated_worker.email)
    visit(page, f"/people/{cast.person.pk}/")

    # When they open Alex's community offers
    record = page.get_by_role("navigation", name="The record of Alex Morgan")
    follow_link(page, record.get_by_role("link", name="Community offers"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Community offers")
    expect(page.get_by_text("Alex Morgan is not connected to any community offers yet.")).to_be_visible()

    # And look for an offer near Alex's home, within half a mile
    follow_link(page, page.get_by_role("button", name="Find an offer near Alex Morgan’s home"))  # noqa: RUF001
    expect(page.get_by_role("heading", level=1)).to_have_text("Find community offers for Alex Morgan")
    page.get_by_label("Near Alex Morgan’s home (SW9 8AB)").check()  # noqa: RUF001
    page.get_by_label("Within").select_option("0.5")
    submit(page, "Search")

    # Then the offers near Alex's home are found, nearest first, and the far one is not
    cards = page.locator("#offer-list .nhsuk-card__link")
    expect(cards).to_have_text(["Brixton walking football", "Brixton pottery"])

    # When they open the nearest and connect Alex to it: introduced, to follow up in five days
    follow_link(page, cards.first)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Brixton walking football")
    follow_link(page, page.get_by_role("button", name="Connect Alex Morgan to this offer"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Connect Alex Morgan to Brixton walking football")
    page.get_by_role("radio", name="Introduced: I have put them in touch").check()
    page.get_by_label("Note").fill("Phoned the organiser, who expects Alex on Monday")
    follow_up = timezone.localdate() + dt.timedelta(days=5)
    _fill_date(page, "Follow up on", follow_up)
    submit(page, "Connect Alex Morgan")

    # Then the connection is in Alex's community offers, introduced, with its follow-up
    expect(page.get_by_text("Alex Morgan connected to Brixton walking football")).to_be_visible()
    card = page.locator(".nhsuk-card").filter(has_text="Brixton walking football")
    expect(card.locator(".nhsuk-tag")).to_have_text("Introduced")
    expect(card).to_contain_text("Phoned the organiser, who expects Alex on Monday")
    expect(card).to_contain_text(f"{follow_up.day} {follow_up:%B %Y}")
    connection = Connection.objects.get()
    assert (connection.stage, connection.follow_up_on) == (ConnectionStage.INTRODUCED, follow_up)

    # And the offer's page now says Alex is connected
    follow_link(page, card.get_by_role("link", name="Brixton walking football", exact=True))
    expect(page.get_by_text("Alex Morgan is already connected to this offer.")).to_be_visible()

    # And the follow-up is on the worker's home page, due within the week
    visit(page, "/home/")
    expect(page.get_by_role("heading", name="Follow-ups due")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Brixton walking football")
    expect(row).to_contain_text("Alex Morgan")
    expect(row).to_contain_text(f"{follow_up.day} {follow_up:%B %Y}")
    follow_link(page, row.get_by_role("link", name="Update Alex Morgan’s connection to Brixton walking football"))  # noqa: RUF001

    # When, later, they record that Alex went
    expect(page.get_by_role("heading", level=1)).to_have_text("Update: Brixton walking football")
    page.get_by_role("radio", name="Alex Morgan went").check()
    page.get_by_label("Note").fill("Went on Monday and liked the people")
    submit(page, "Save")
    expect(page.get_by_text("Connection to Brixton walking football updated")).to_be_visible()
    expect(card.locator(".nhsuk-tag").first).to_have_text("Went")

    # And then that it did not suit, first forgetting to say why
    follow_link(page, page.get_by_role("link", name="Update the connection to Brixton walking football"))
    page.get_by_role("radio", name="It did not suit").check()
    submit(page, "Save")
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_role("link", name="Say why it did not suit")).to_be_visible()
    page.get_by_label("If it did not suit, why not?").fill("The sessions moved to the evening, when Alex works")
    submit(page, "Save")

    # Then it did not suit, with why, and its history
    card = page.locator(".nhsuk-card").filter(has_text="Brixton walking football")
    expect(card.locator(".nhsuk-tag").first).to_have_text("Did not suit")
    expect(card).to_contain_text("The sessions moved to the evening, when Alex works")
    expect(card.get_by_role("listitem")).to_have_count(3)

    # When they record that Alex needs something no offer meets
    follow_link(page, page.get_by_role("button", name="Record a need no offer met"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a need no offer met")
    page.get_by_label("What was needed?").fill("Walking football on a weekday evening")
    page.get_by_label("Category").select_option(label="Walking football")
    submit(page, "Record the need")
    expect(page.get_by_text("Need recorded")).to_be_visible()
    expect(page.locator("#needs + ul")).to_contain_text("Walking football on a weekday evening (Walking football)")

    # When Alex signs in and opens their community offers
    alex = new_page()
    sign_in(alex, cast.person_user.email)
    visit(alex, "/people/me/")
    follow(alex, "Your community offers")

    # Then Alex sees the connection, in words for them
    expect(alex.get_by_role("heading", level=1)).to_have_text("Your community offers")
    theirs = alex.locator(".nhsuk-card").filter(has_text="Brixton walking football")
    expect(theirs.locator(".nhsuk-tag").first).to_have_text("Did not suit you")
    expect(theirs).to_contain_text("The sessions moved to the evening, when Alex works")
    expect(theirs).to_contain_text("Allocated Peer")
    check(alex)
