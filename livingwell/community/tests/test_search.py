"""Searching the directory: each filter against hand-made offers, distances against hand-computed
haversine distances, opening-time edges, what is never shown, and constant query counts."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from livingwell.community import presenters
from livingwell.community.documents import save_service
from livingwell.community.geo import haversine_metres
from livingwell.community.models import Curation, Origin, Postcode, Service
from livingwell.community.search import OfferFilters, category_choices, offer_search
from livingwell.core.errors import DomainError
from livingwell.network.models import Site

TAXONOMY = "6a1d3c1e-3c4f-4a41-9d7e-0d3a1f0b9e10"
SPORT = "5b0f8a63-2a53-4a6b-8a7e-6f1f4c8a2002"
WALKING = "5b0f8a63-2a53-4a6b-8a7e-6f1f4c8a2003"
ARTS = "5b0f8a63-2a53-4a6b-8a7e-6f1f4c8a2004"
TERMS = {
    SPORT: {"id": SPORT, "name": "Sport", "description": "Sport", "taxonomy_id": TAXONOMY},
    WALKING: {
        "id": WALKING,
        "name": "Walking football",
        "description": "Walking football",
        "taxonomy_id": TAXONOMY,
        "parent_id": SPORT,
    },
    ARTS: {"id": ARTS, "name": "Arts", "description": "Arts", "taxonomy_id": TAXONOMY},
}
BRIXTON = ("SW98AB", 51.4613, -0.1156)


def uid() -> str:
    return str(uuid.uuid4())


def document(
    name: str,
    *,
    place: tuple[float, float] | None = None,
    terms: tuple[str, ...] = (),
    schedules: tuple[dict[str, Any], ...] = (),
    cost: float | None = None,
    languages: tuple[str, ...] = (),
    accessibility: tuple[str, ...] = (),
    status: str = "active",
    description: str = "",
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": uid(),
        "name": name,
        "description": description or f"{name} in Lambeth",
        "status": status,
        "organization": {
            "id": "9d7f1c22-6b8e-4f0b-9a8e-2f0c4e5d0001",
            "name": "Lambeth Together",
            "description": "A charity",
        },
        "attributes": [{"id": uid(), "taxonomy_term": TERMS[t]} for t in terms],
        "schedules": [{"id": uid(), **s} for s in schedules],
        "languages": [{"id": uid(), "name": lang} for lang in languages],
    }
    if cost is not None:
        doc["cost_options"] = [{"id": uid(), "amount": cost, "currency": "GBP", "amount_description": "a session"}]
    if place is not None:
        doc["service_at_locations"] = [
            {
                "id": uid(),
                "location": {
                    "id": uid(),
                    "location_type": "physical",
                    "name": f"{name} hall",
                    "latitude": place[0],
                    "longitude": place[1],
                    "accessibility": [{"id": uid(), "description": a} for a in accessibility],
                    "addresses": [
                        {
                            "id": uid(),
                            "address_1": "1 High Street",
                            "city": "London",
                            "state_province": "Greater London",
                            "postal_code": "SW9 8AB",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ]
    return doc


def weekly(byday: str, opens: str, closes: str, **more: Any) -> dict[str, Any]:
    return {"freq": "WEEKLY", "byday": byday, "opens_at": opens, "closes_at": closes, **more}


@pytest.fixture
def site(db: None) -> Site:
    Postcode.objects.create(code=BRIXTON[0], lat=BRIXTON[1], lng=BRIXTON[2])
    return Site.objects.create(name="Lambeth", slug="lambeth")


def add(site: Site, doc: dict[str, Any], curation: str = Curation.PUBLISHED) -> Service:
    service, _ = save_service(document=doc, site=site, origin=Origin.STAFF, curation=curation)
    return service


def names(site: Site, **filters: Any) -> list[str]:
    return [hit.service.name for hit in offer_search(site=site, filters=OfferFilters(**filters), per_page=100).items]


def test_every_word_must_match(site: Site) -> None:
    add(site, document("Walking football", description="Gentle football for all ages"))
    add(site, document("Art club", description="Painting together"))
    assert names(site, text="football") == ["Walking football"]
    assert names(site, text="FOOTBALL gentle") == ["Walking football"]
    assert names(site, text="football painting") == []
    assert names(site) == ["Art club", "Walking football"]


def test_categories_include_their_child_terms(site: Site) -> None:
    add(site, document("Walking football", terms=(WALKING,)))
    add(site, document("Art club", terms=(ARTS,)))
    add(site, document("Debt advice"))
    assert names(site, term_ids=(SPORT,)) == ["Walking football"]
    assert names(site, term_ids=(WALKING,)) == ["Walking football"]
    assert names(site, term_ids=(ARTS, SPORT)) == ["Art club", "Walking football"]
    choices = {c.name: c.count for c in category_choices(site)}
    assert choices == {"Walking football": 1, "Arts": 1}


def test_distance_is_nearest_first_and_matches_hand_computed_haversine(site: Site) -> None:
    places = {"Near": (51.4620, -0.1150), "Middle": (51.4723, -0.1229), "Far": (51.4280, -0.1310)}
    for name, place in places.items():
        add(site, document(name, place=place))
    add(site, document("Nowhere on the map"))
    page = offer_search(site=site, filters=OfferFilters(postcode="sw9 8ab"))
    assert [h.service.name for h in page.items] == ["Near", "Middle", "Far"]
    for hit in page.items:
        expected = haversine_metres(BRIXTON[1], BRIXTON[2], *places[hit.service.name])
        assert hit.distance == pytest.approx(expected, abs=0.5)
        assert hit.location is not None and hit.location.name == f"{hit.service.name} hall"
    near = haversine_metres(BRIXTON[1], BRIXTON[2], *places["Near"])  # about 86 m
    middle = haversine_metres(BRIXTON[1], BRIXTON[2], *places["Middle"])  # about 1.4 km
    assert 80 < near < 95 and 1300 < middle < 1500
    assert names(site, postcode="SW9 8AB", within_metres=middle + 1) == ["Near", "Middle"]
    assert names(site, postcode="SW9 8AB", within_metres=middle - 1) == ["Near"]
    assert names(site, near=places["Far"], within_metres=10) == ["Far"]


def test_a_postcode_we_do_not_know_is_an_error_by_the_postcode(site: Site) -> None:
    with pytest.raises(DomainError) as error:
        offer_search(site=site, filters=OfferFilters(postcode="E1 6AN"))
    assert error.value.field == "postcode"


@pytest.mark.parametrize(
    ("day", "at", "found"),
    [
        (0, dt.time(10, 0), True),  # opening time is inclusive
        (0, dt.time(11, 59), True),
        (0, dt.time(12, 0), False),  # closing time is not
        (0, dt.time(9, 59), False),
        (2, dt.time(10, 30), True),
        (1, dt.time(10, 30), False),
        (0, None, True),
        (3, None, False),
    ],
)
def test_open_at(site: Site, day: int, at: dt.time | None, found: bool) -> None:
    add(site, document("Drop in", schedules=(weekly("MO,WE", "10:00", "12:00"),)))
    assert names(site, day=day, at=at) == (["Drop in"] if found else [])


def test_openings_that_have_ended_or_not_begun_do_not_count(site: Site) -> None:
    add(site, document("Ended", schedules=(weekly("MO", "10:00", "12:00", valid_to="2020-01-31"),)))
    add(site, document("Not yet", schedules=(weekly("MO", "10:00", "12:00", valid_from="2999-01-01"),)))
    add(site, document("Running", schedules=(weekly("MO", "10:00", "12:00", valid_from="2020-01-01"),)))
    assert names(site, day=0, at=dt.time(11, 0)) == ["Running"]


def test_free_language_and_accessibility(site: Site) -> None:
    add(site, document("Free group", cost=0, languages=("Polish", "English")))
    add(
        site,
        document(
            "Paid class",
            cost=5,
            languages=("English",),
            place=(51.46, -0.11),
            accessibility=("Step-free access", "Hearing loop"),
        ),
    )
    add(site, document("Unknown cost"))
    assert names(site, free_only=True) == ["Free group"]
    assert names(site, language="polish") == ["Free group"]
    assert names(site, language="pol") == []  # a whole language, not part of one
    assert names(site, language="English") == ["Free group", "Paid class"]
    assert names(site, accessibility="step-free loop") == ["Paid class"]
    assert names(site, accessibility="wheelchair") == []


def test_unpublished_inactive_and_other_sites_offers_are_never_found(site: Site) -> None:
    add(site, document("Listed"))
    add(site, document("Suggested"), curation=Curation.SUGGESTED)
    add(site, document("Withdrawn"), curation=Curation.WITHDRAWN)
    add(site, document("Inactive", status="inactive"))
    add(site, document("Closed for now", status="temporarily closed"))
    other = Site.objects.create(name="Southwark", slug="southwark")
    add(other, document("Elsewhere"))
    assert names(site) == ["Listed"]
    assert [c.name for c in category_choices(site)] == []


def test_paging(site: Site) -> None:
    for number in range(7):
        add(site, document(f"Offer {number}"))
    page = offer_search(site=site, filters=OfferFilters(), page=2, per_page=3)
    assert [h.service.name for h in page.items] == ["Offer 3", "Offer 4", "Offer 5"]
    assert (page.total, page.pages, page.has_previous, page.has_next) == (7, 3, True, True)
    last = offer_search(site=site, filters=OfferFilters(), page=99, per_page=3)
    assert last.page == 3 and [h.service.name for h in last.items] == ["Offer 6"]


def _queries(site: Site, filters: OfferFilters) -> int:
    with CaptureQueriesContext(connection) as captured:
        offer_search(site=site, filters=filters, per_page=50)
    return len(captured)


def test_queries_do_not_grow_with_the_number_of_offers(site: Site) -> None:
    filters = OfferFilters(postcode="SW9 8AB", within_metres=50_000, day=0, at=dt.time(10, 30), text="group")
    for number in range(5):
        add(
            site,
            document(
                f"Group {number}", place=(51.46, -0.11), terms=(ARTS,), schedules=(weekly("MO", "10:00", "12:00"),)
            ),
        )
    few = _queries(site, filters), _queries(site, OfferFilters())
    for number in range(5, 40):
        add(
            site,
            document(
                f"Group {number}", place=(51.46, -0.11), terms=(ARTS,), schedules=(weekly("MO", "10:00", "12:00"),)
            ),
        )
    many = _queries(site, filters), _queries(site, OfferFilters())
    assert few == many
    assert many[0] <= 5


def test_words_for_distances_openings_and_schedules() -> None:
    assert presenters.miles(0.4 * 1609.344) == "0.4 miles away"
    assert presenters.miles(1609.344) == "1 mile away"
    assert presenters.miles(20) == "Less than 0.1 miles away"
    assert presenters.miles(2.5 * 1609.344) == "2.5 miles away"
    slots = [
        presenters.OpeningSlot(weekday=2, opens=dt.time(10), closes=dt.time(12)),
        presenters.OpeningSlot(weekday=0, opens=dt.time(10), closes=dt.time(12)),
        presenters.OpeningSlot(weekday=4, opens=dt.time(18, 30), closes=dt.time(20)),
    ]
    assert presenters.opening_summary(slots) == "Mondays and Wednesdays, 10am to midday; Fridays, 6:30pm to 8pm"
    assert (
        presenters.schedule_words({"freq": "MONTHLY", "byday": "1MO", "opens_at": "19:00", "closes_at": "21:00"})
        == "The first Monday of every month, 7pm to 9pm."
    )
    assert presenters.schedule_words({"freq": "MONTHLY", "byday": "-1FR"}) == "The last Friday of every month."
    assert presenters.schedule_words({"freq": "MONTHLY", "bymonthday": "15"}) == "The 15th of every month."
    assert (
        presenters.schedule_words(
            {
                "freq": "WEEKLY",
                "interval": 2,
                "byday": "TU",
                "opens_at": "10:00",
                "closes_at": "11:30",
                "valid_to": "2027-03-03",
            }
        )
        == "Every other Tuesday, 10am to 11:30am, until 3 March 2027."
    )
    assert presenters.schedule_words({"description": "Ring first"}) == "Ring first"
    assert presenters.cost_words({"cost_options": [{"amount": 0}]}) == "Free"
    assert (
        presenters.cost_words({"cost_options": [{"amount": 5, "currency": "GBP", "amount_description": "a session"}]})
        == "£5 a session"
    )
    assert presenters.cost_words({}) == "Not known"
