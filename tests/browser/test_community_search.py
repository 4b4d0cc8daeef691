"""Finding community offers in the browser: a worker searches near a postcode for free arts offers,
sees them nearest first, on a map with clustered markers, and opens one from its marker; the same search
works with JavaScript off. Every page is checked with axe, with and without the map drawn."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from livingwell.community.documents import save_service
from livingwell.community.geo import haversine_metres
from livingwell.community.models import Curation, Origin, Postcode
from livingwell.community.tests.test_search import ARTS, WALKING, document
from livingwell.testing import Cast
from tests.browser.axe import check
from tests.browser.steps import sign_in, submit, visit

BRIXTON = ("SW98AB", 51.4613, -0.1156)
# Eight free arts offers a few streets apart in Brixton: at the zoom that shows them all, they cluster.
CLOSE_TOGETHER = [
    "Brixton pottery",
    "Windrush Square sketching",
    "Brixton Library poetry",
    "Brixton community choir",
    "Photography walk",
    "Knitting circle",
    "Brixton film club",
    "Drama for wellbeing",
]
FAR = {"Kennington craft café": (51.4880, -0.1110), "Streatham art club": (51.4280, -0.1310)}


def _save(cast: Cast, name: str, place: tuple[float, float], *, terms: tuple[str, ...], cost: float) -> None:
    save_service(
        document=document(name, place=place, terms=terms, cost=cost),
        site=cast.site,
        origin=Origin.STAFF,
        curation=Curation.PUBLISHED,
    )


@pytest.fixture
def offers(cast: Cast) -> dict[str, tuple[float, float]]:
    """The free arts offers that the search should find, with where they are."""
    Postcode.objects.create(code=BRIXTON[0], lat=BRIXTON[1], lng=BRIXTON[2])
    found: dict[str, tuple[float, float]] = {}
    for index, name in enumerate(CLOSE_TOGETHER):
        found[name] = (51.4600 + 0.0008 * (index % 4), -0.1150 + 0.0012 * (index // 4))
    found.update(FAR)
    for name, place in found.items():
        _save(cast, name, place, terms=(ARTS,), cost=0)
    _save(cast, "Painting class", (51.4616, -0.1152), terms=(ARTS,), cost=12)  # not free
    _save(cast, "Walking football", (51.4616, -0.1152), terms=(WALKING,), cost=0)  # not arts
    return found


def _nearest_first(offers: dict[str, tuple[float, float]]) -> list[str]:
    return sorted(offers, key=lambda name: haversine_metres(BRIXTON[1], BRIXTON[2], *offers[name]))


def _card_names(page: Page) -> list[str]:
    return page.locator("#offer-list .nhsuk-card__link").all_inner_texts()


def _markers_on_the_map(page: Page) -> tuple[int, int]:
    """(clusters, offers on the map): the offers in clusters and those drawn alone."""
    pane = page.locator(".leaflet-marker-pane")
    clusters = pane.locator(".marker-cluster")
    in_clusters = sum(int(re.sub(r"\D", "", text)) for text in clusters.all_inner_texts())
    alone = pane.locator(".leaflet-marker-icon:not(.marker-cluster):not(.lw-offer-map__home)").count()
    return clusters.count(), in_clusters + alone


def test_a_worker_finds_free_arts_offers_near_a_postcode_on_the_list_and_the_map(
    page: Page, cast: Cast, offers: dict[str, tuple[float, float]]
) -> None:
    # Given a worker who has signed in opens the community offers
    sign_in(page, cast.team_worker.email)
    visit(page, "/community/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find community offers")

    # When they search near SW9 8AB for free arts offers
    page.get_by_label("Near a postcode").fill("SW9 8AB")
    page.get_by_label("Arts (11)").check()
    page.get_by_label("Free of charge only").check()
    submit(page, "Search")

    # Then the list shows the ten free arts offers, nearest first
    expect(page.get_by_text("10 offers, nearest first")).to_be_visible()
    assert _card_names(page) == _nearest_first(offers)
    assert "Painting class" not in _card_names(page) and "Walking football" not in _card_names(page)

    # And the map shows them all, the ones close together in clusters, with the postcode marked
    section = page.get_by_role("region", name="Map of the offers found")
    expect(section).to_be_visible()
    expect(section.get_by_text("The map shows 10 places where the offers found meet.")).to_be_visible()
    expect(page.locator(".leaflet-marker-pane .marker-cluster").first).to_be_visible()
    page.wait_for_function("() => document.querySelectorAll('.leaflet-marker-pane .leaflet-marker-icon').length >= 3")
    clusters, shown = _markers_on_the_map(page)
    assert clusters >= 1 and shown == 10
    expect(page.locator('.lw-offer-map__home[title="SW9 8AB"]')).to_have_count(1)
    for name in FAR:
        expect(page.locator(f'.leaflet-marker-icon[title="{name}"]')).to_have_attribute("alt", name)
    check(page)  # with the map drawn

    # When they open the popup of the Streatham marker and follow its link
    page.locator('.leaflet-marker-icon[title="Streatham art club"]').click()
    popup = page.locator(".leaflet-popup")
    expect(popup).to_contain_text("Lambeth Together")
    expect(popup).to_contain_text("miles away")
    # (followed from the keyboard: a click can land while the map is still panning to show the popup)
    popup.get_by_role("link", name="Streatham art club").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check(page)

    # Then the offer's page opens
    expect(page.get_by_role("heading", level=1)).to_contain_text("Streatham art club")
    expect(page.get_by_text("Lambeth Together").first).to_be_visible()


def test_a_cluster_opens_up_when_chosen(page: Page, cast: Cast, offers: dict[str, tuple[float, float]]) -> None:
    sign_in(page, cast.team_worker.email)
    visit(page, "/community/?" + urlencode({"postcode": "SW9 8AB", "category": ARTS, "free": "on"}))
    cluster = page.locator(".leaflet-marker-pane .marker-cluster").first
    expect(cluster).to_be_visible()
    expect(cluster).to_have_attribute("role", "button")
    before = page.locator(".leaflet-marker-pane .leaflet-marker-icon:not(.marker-cluster)").count()
    cluster.focus()
    page.keyboard.press("Enter")  # markers answer the keyboard as well as the mouse
    page.wait_for_function(
        "before => document.querySelectorAll("
        "'.leaflet-marker-pane .leaflet-marker-icon:not(.marker-cluster)').length > before",
        arg=before,
    )
    page.wait_for_function("() => !document.querySelector('.leaflet-cluster-anim, .leaflet-zoom-anim')")
    page.wait_for_timeout(500)  # the markers fade in after the zoom
    check(page)


def test_the_same_search_works_without_javascript(
    new_page: Callable[..., Page], cast: Cast, offers: dict[str, tuple[float, float]]
) -> None:
    page = new_page(javascript=False)
    sign_in(page, cast.team_worker.email)
    visit(page, "/community/")
    page.get_by_label("Near a postcode").fill("SW9 8AB")
    page.get_by_label("Arts (11)").check()
    page.get_by_label("Free of charge only").check()
    submit(page, "Search")
    expect(page.get_by_text("10 offers, nearest first")).to_be_visible()
    assert _card_names(page) == _nearest_first(offers)
    expect(page.locator("[data-offer-map]")).to_be_hidden()
    expect(page.locator(".leaflet-container")).to_have_count(0)


def test_a_search_that_finds_nothing_has_no_map(page: Page, cast: Cast, offers: Any) -> None:
    sign_in(page, cast.team_worker.email)
    visit(page, "/community/?" + urlencode({"q": "underwater hockey"}))
    expect(page.get_by_text("No offers match your search.")).to_be_visible()
    expect(page.locator("[data-offer-map]")).to_have_count(0)


def test_a_worker_maps_offers_near_the_persons_home_and_opens_one_for_them(
    page: Page, cast: Cast, offers: dict[str, tuple[float, float]]
) -> None:
    # Given Alex Morgan lives at SW9 8AB, and their worker searches for free arts offers near their home
    sign_in(page, cast.team_worker.email)
    visit(page, f"/community/?for={cast.person.pk}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find community offers for Alex Morgan")
    page.get_by_label("Near Alex Morgan’s home (SW9 8AB)").check()  # noqa: RUF001
    page.get_by_label("Arts (11)").check()
    page.get_by_label("Free of charge only").check()
    submit(page, "Search")

    # Then the map marks Alex's home, and a marker's link opens the offer for Alex
    status = page.locator("[data-offer-map-status]")
    expect(status).to_contain_text("The dark blue dot marks Alex Morgan’s home (SW9 8AB).")  # noqa: RUF001
    expect(page.locator(".lw-offer-map__home")).to_have_count(1)
    check(page)
    page.locator('.leaflet-marker-icon[title="Kennington craft café"]').click()
    link = page.locator(".leaflet-popup").get_by_role("link", name="Kennington craft café")
    expect(link).to_have_attribute("href", re.compile(rf"\?for={cast.person.pk}$"))
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kennington craft café")
