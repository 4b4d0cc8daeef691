"""The picture of the network in the browser: an analyst opens it from the directory on a phone, reads
the chart (an image with a title and a description) and the tables, and narrows it to one locality.
Every page is checked with axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from livingwell.community.tests.test_picture import Network
from livingwell.community.tests.test_picture import network as network  # the fixture
from livingwell.testing import Cast
from tests.browser.steps import follow, sign_in, submit, visit

PHONE = {"width": 320, "height": 740}


def test_an_analyst_reads_the_picture_of_the_network_on_a_small_phone(page: Page, cast: Cast, network: Network) -> None:
    # Given an analyst on a 320 pixel wide screen, signed in
    page.set_viewport_size(PHONE)
    sign_in(page, cast.analyst.email)

    # When they open the picture from the directory
    visit(page, "/community/")
    follow(page, "See the picture of the network")

    # Then the page has the chart, as an image with a name, and the tables with every number
    expect(page.get_by_role("heading", level=1)).to_have_text("The picture of the network")
    chart = page.get_by_role("img", name="People connected to community offers, by where they live and kind of offer")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] <= 320
    expect(page.get_by_role("heading", name="Needs no offer met", level=2)).to_be_visible()
    expect(page.get_by_text("fewer than 5").first).to_be_attached()

    # When they narrow it to the North
    page.get_by_role("combobox", name="Where people live").select_option(label="North")
    submit(page, "Show figures")

    # Then the figures are for the North only
    expect(page.get_by_text("in North").first).to_be_visible()
    expect(page.get_by_role("link", name="Download the people connected (CSV)")).to_be_visible()
