"""The search page and an offer's page, asserted on the HTML: results in words, errors by each field
with the search kept, the search near a person's home with the access cast, and constant queries."""

from __future__ import annotations

import datetime as dt
import html as htmllib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.community.models import CapacityUnit, Postcode, Service, ServiceCapacity
from livingwell.community.tests.test_search import ARTS, BRIXTON, WALKING, add, document, uid, weekly
from livingwell.testing import Cast

pytestmark = pytest.mark.django_db

SEARCH = "/community/"


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def page(client: Client, **params: Any) -> str:
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return htmllib.unescape(response.content.decode())


@pytest.fixture
def offers(cast: Cast) -> dict[str, Service]:
    Postcode.objects.create(code=BRIXTON[0], lat=BRIXTON[1], lng=BRIXTON[2])
    Postcode.objects.create(code="SE17PB", lat=51.4980, lng=-0.1110)  # Kennington, about 2.6 miles north
    made = {
        "Brixton walking football": add(
            cast.site,
            document(
                "Brixton walking football",
                place=(51.4620, -0.1150),
                terms=(WALKING,),
                schedules=(weekly("MO,WE", "10:00", "12:00"),),
                cost=0,
                languages=("English", "Polish"),
                accessibility=("Step-free entrance",),
            ),
        ),
        "Streatham art club": add(
            cast.site,
            document(
                "Streatham art club",
                place=(51.4280, -0.1310),
                terms=(ARTS,),
                schedules=(weekly("TH", "18:00", "20:00"),),
                cost=5,
            ),
        ),
    }
    return made


def test_anyone_signed_in_can_search_and_sees_every_offer_with_its_details(
    cast: Cast, offers: dict[str, Service]
) -> None:
    for user in (cast.team_worker, cast.person_user, cast.stranger, cast.analyst):
        html = page(client_for(user))
        assert "<h1>Find community offers" in html
        assert "Brixton walking football" in html and "Streatham art club" in html
    html = page(client_for(cast.team_worker))
    assert "Mondays and Wednesdays, 10am to midday" in html
    assert "Free" in html and "£5 a session" in html
    assert "English, Polish" in html
    assert reverse("community:offer", args=[offers["Brixton walking football"].pk]) in html
    assert "novalidate" in html and "Community offers" in html  # the menu


def test_signed_out_people_are_sent_to_sign_in(db: None) -> None:
    response = Client().get(SEARCH)
    assert response.status_code == 302


def test_near_a_postcode_nearest_first_with_miles_and_within(cast: Cast, offers: dict[str, Service]) -> None:
    client = client_for(cast.team_worker)
    html = page(client, postcode="sw9 8ab")
    assert html.index("Brixton walking football") < html.index("Streatham art club")
    assert "0.1 miles away" in html or "Less than 0.1 miles away" in html
    assert "2.4 miles away" in html  # 3,830 m by haversine from SW9 8AB
    html = page(client, postcode="SW9 8AB", within="1")
    assert "Brixton walking football" in html and "Streatham art club" not in html
    assert "1 offer, nearest first" in html


def test_filters_from_the_form(cast: Cast, offers: dict[str, Service]) -> None:
    client = client_for(cast.team_worker)
    assert "Streatham art club" not in page(client, q="football")
    html = page(client, category=ARTS)
    assert "Streatham art club" in html and "Brixton walking football" not in html
    html = page(client, day="3", at="7pm")
    assert "Streatham art club" in html and "Brixton walking football" not in html
    html = page(client, day="0", at="12pm")  # closing time is not open
    assert "No offers match your search" in html and "Try fewer words" in html
    html = page(client, free="on")
    assert "Brixton walking football" in html and "Streatham art club" not in html
    html = page(client, language="polish", accessibility="step-free")
    assert "Brixton walking football" in html and "Streatham art club" not in html


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"postcode": "not a postcode"}, "postcode", "Enter a real postcode, like SW9 8AB"),
        ({"postcode": "E1 6AN"}, "postcode", "Enter a postcode in the area this directory covers, like SW9 8AB"),
        ({"at": "10am"}, "day", "Choose the day you want it to be open at that time"),
        ({"day": "0", "at": "teatime"}, "at", "Enter a time, like 10am or 2:30pm"),
        ({"within": "2"}, "postcode", "Enter a postcode to search within a distance of it"),
    ],
)
def test_bad_answers_are_shown_by_their_field_and_the_search_is_kept(
    cast: Cast, offers: dict[str, Service], params: dict[str, str], field: str, message: str
) -> None:
    html = page(client_for(cast.team_worker), q="football", **params)
    assert "There is a problem" in html
    assert f'href="#id_{field}"' in html
    assert html.count(message) == 2  # in the summary and by the field
    assert 'value="football"' in html
    assert "<title>Error: " in html


def test_paging_keeps_the_search(cast: Cast, offers: dict[str, Service]) -> None:
    for number in range(25):
        add(cast.site, document(f"Group {number:02d}", description="a friendly group"))
    client = client_for(cast.team_worker)
    html = page(client, q="friendly")
    assert "25 offers (page 1 of 2)" in html
    assert "?q=friendly&page=2" in html
    html = page(client, q="friendly", page="2")
    assert "Group 24" in html and "Group 00" not in html


def test_the_page_costs_the_same_queries_for_few_or_many_offers(
    cast: Cast, offers: dict[str, Service], django_assert_max_num_queries: Any
) -> None:
    client = client_for(cast.team_worker)
    page(client, postcode="SW9 8AB", within="5")  # warm the session and caches
    # (14: one of them asks whether the reader is in a Collaborative, for the link to the picture)
    with django_assert_max_num_queries(14):
        page(client, postcode="SW9 8AB", within="5")
    for number in range(40):
        add(cast.site, document(f"Group {number}", place=(51.46, -0.11), terms=(ARTS,)))
    with django_assert_max_num_queries(14):
        html = page(client, postcode="SW9 8AB", within="5")
    assert "42 offers (page 1 of 3), nearest first" in html


def _home_search(client: Client, cast: Cast, **params: Any) -> Any:
    return client.get(SEARCH, {"for": str(cast.person.pk), **params})


@pytest.mark.parametrize("who", ["team_worker", "allocated_worker", "team_leader"])
def test_workers_who_may_read_contact_details_search_near_the_persons_home(
    cast: Cast, offers: dict[str, Service], who: str
) -> None:
    user = getattr(cast, who)
    client = client_for(user)
    response = _home_search(client, cast)
    html = htmllib.unescape(response.content.decode())
    assert response.status_code == 200
    assert "<h1>Find community offers for Alex Morgan</h1>" in html
    assert "Near Alex Morgan’s home (SW9 8AB)" in html  # noqa: RUF001
    event = AuditEvent.objects.filter(actor=user, person_id=cast.person.pk, action="view").latest("occurred_at")
    assert event.parts == ["contact"] and event.outcome == Outcome.ALLOWED and event.basis
    html = htmllib.unescape(_home_search(client, cast, near_home="on", within="1").content.decode())
    assert "Brixton walking football" in html and "Streatham art club" not in html


def test_the_person_searches_near_their_own_home(cast: Cast, offers: dict[str, Service]) -> None:
    client = client_for(cast.person_user)
    html = htmllib.unescape(_home_search(client, cast, near_home="on").content.decode())
    assert "<h1>Find community offers near you</h1>" in html
    assert "Near your home (SW9 8AB)" in html
    assert html.index("Brixton walking football") < html.index("Streatham art club")
    html = page(client, near_home="on", within="1")  # their own search page needs no `for`
    assert "Near your home (SW9 8AB)" in html
    assert "Brixton walking football" in html and "Streatham art club" not in html


def test_without_a_home_postcode_the_page_says_so(cast: Cast, offers: dict[str, Service]) -> None:
    type(cast.person).objects.filter(pk=cast.person.pk).update(postcode="")
    html = htmllib.unescape(_home_search(client_for(cast.team_worker), cast).content.decode())
    assert "Near Alex Morgan" not in html
    assert "has no home postcode, so search near a postcode instead" in html


@pytest.mark.parametrize("who", ["stranger", "other_team_worker", "analyst"])
def test_others_are_refused_the_home_search_and_the_refusal_is_recorded(
    cast: Cast, offers: dict[str, Service], who: str
) -> None:
    user = getattr(cast, who)
    response = _home_search(client_for(user), cast, near_home="on")
    assert response.status_code == 403
    assert "SW9 8AB" not in response.content.decode()
    event = AuditEvent.objects.get(actor=user, person_id=cast.person.pk, outcome=Outcome.REFUSED)
    assert event.parts == ["contact"]


def test_an_unknown_person_is_not_found(cast: Cast) -> None:
    client = client_for(cast.team_worker)
    assert client.get(SEARCH, {"for": "00000000-0000-0000-0000-000000000000"}).status_code == 404
    assert client.get(SEARCH, {"for": "nonsense"}).status_code == 404


def test_an_offers_page_shows_everything_a_person_needs(cast: Cast, offers: dict[str, Service]) -> None:
    doc = document(
        "Kennington peer group",
        place=(51.4980, -0.1110),
        terms=(ARTS,),
        schedules=({"freq": "MONTHLY", "byday": "1TU", "opens_at": "18:00", "closes_at": "20:00"},),
        languages=("Spanish",),
        accessibility=("Hearing loop",),
        cost=0,
    )
    doc["email"] = "hello@example.org"
    doc["url"] = "https://example.org"
    doc["contacts"] = [
        {"id": uid(), "name": "Sam Jones", "title": "Organiser", "phones": [{"id": uid(), "number": "020 7946 0000"}]}
    ]
    service = add(cast.site, doc)
    unit = CapacityUnit.objects.create(name="Places")
    ServiceCapacity.objects.create(
        service=service, unit=unit, available=3, updated=timezone.now() - dt.timedelta(days=2)
    )
    response = client_for(cast.person_user).get(reverse("community:offer", args=[service.pk]))
    html = htmllib.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Kennington peer group</h1>" in html and "Lambeth Together" in html
    assert "The first Tuesday of every month, 6pm to 8pm." in html
    assert "1 High Street" in html and "SW9 8AB" in html
    assert "Free" in html and "Spanish" in html and "Hearing loop" in html
    assert "Sam Jones, Organiser" in html and 'href="tel:020 7946 0000"' in html
    assert 'href="mailto:hello@example.org"' in html and "https://example.org" in html
    assert "3 places available, updated 2 days ago" in html
    assert "Arts" in html


def test_unlisted_and_unknown_offers_are_not_found(cast: Cast) -> None:
    from livingwell.community.models import Curation

    hidden = add(cast.site, document("Waiting"), curation=Curation.SUGGESTED)
    client = client_for(cast.team_worker)
    assert client.get(reverse("community:offer", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("community:offer", args=["no-such-offer"])).status_code == 404
