"""The map of a search's offers (GeoJSON): only listed offers with a position, the same filters as the
list, [longitude, latitude], the cap, problem details for a bad search, sign-in, the audited search near
a person's home, and a constant number of queries. Also the map's place on the search page."""

from __future__ import annotations

import html as htmllib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.community import mapping
from livingwell.community.geo import haversine_metres
from livingwell.community.models import Curation, Postcode, Service
from livingwell.community.search import OfferFilters, offer_search
from livingwell.community.tests.test_search import ARTS, BRIXTON, WALKING, add, document, uid, weekly
from livingwell.network.models import Site
from livingwell.testing import Cast

pytestmark = pytest.mark.django_db

MAP = "/community/map.geojson"
KENNINGTON = (51.4980, -0.1110)
NEAR = (51.4620, -0.1150)  # about 100 m from SW9 8AB
STREATHAM = (51.4280, -0.1310)


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def geojson(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get(MAP, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    assert response["Cache-Control"] == "private, no-store"
    body: dict[str, Any] = response.json()
    assert body["type"] == "FeatureCollection"
    return body


def names(body: dict[str, Any]) -> list[str]:
    return [f["properties"]["name"] for f in body["features"]]


def two_places(name: str, first: tuple[float, float], second: tuple[float, float], **more: Any) -> dict[str, Any]:
    doc = document(name, place=first, **more)
    other = {**doc["service_at_locations"][0]["location"], "id": uid(), "name": f"{name} annexe"}
    other["latitude"], other["longitude"] = second
    doc["service_at_locations"].append({"id": uid(), "location": other})
    return doc


@pytest.fixture
def offers(cast: Cast) -> dict[str, Service]:
    Postcode.objects.create(code=BRIXTON[0], lat=BRIXTON[1], lng=BRIXTON[2])
    Postcode.objects.create(code="SE17PB", lat=KENNINGTON[0], lng=KENNINGTON[1])
    return {
        "Brixton walking football": add(
            cast.site,
            document(
                "Brixton walking football",
                place=NEAR,
                terms=(WALKING,),
                schedules=(weekly("MO,WE", "10:00", "12:00"),),
                cost=0,
                languages=("Polish",),
                accessibility=("Step-free entrance",),
            ),
        ),
        "Streatham art club": add(
            cast.site,
            document("Streatham art club", place=STREATHAM, terms=(ARTS,), schedules=(weekly("TH", "18:00", "20:00"),)),
        ),
        "Kennington and Streatham choir": add(
            cast.site, two_places("Kennington and Streatham choir", KENNINGTON, STREATHAM, terms=(ARTS,), cost=0)
        ),
        "Phone befriending": add(cast.site, document("Phone befriending", cost=0)),  # no place on the map
        "Waiting for a curator": add(cast.site, document("Waiting for a curator", place=NEAR), Curation.SUGGESTED),
        "Closed club": add(cast.site, document("Closed club", place=NEAR, status="defunct")),
    }


def test_only_listed_offers_with_a_position_are_on_the_map(cast: Cast, offers: dict[str, Service]) -> None:
    other_site = Site.objects.create(name="Southwark", slug="southwark")
    add(other_site, document("Southwark swimming", place=NEAR))
    body = geojson(client_for(cast.team_worker))
    assert sorted(names(body)) == [
        "Brixton walking football",
        "Kennington and Streatham choir",
        "Kennington and Streatham choir",  # it meets in two places
        "Streatham art club",
    ]
    assert body["total"] == 4 and body["left_off"] == 0
    assert "searched_near" not in body
    walking = next(f for f in body["features"] if f["properties"]["name"] == "Brixton walking football")
    service = offers["Brixton walking football"]
    assert walking["geometry"] == {"type": "Point", "coordinates": [NEAR[1], NEAR[0]]}  # longitude first
    assert walking["id"] == service.at_locations.get().pk
    assert walking["properties"] == {
        "name": "Brixton walking football",
        "organisation": "Lambeth Together",
        "address": "Brixton walking football hall, 1 High Street, London, SW9 8AB",
        "url": reverse("community:offer", args=[service.pk]),
    }


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "club"},
        {"category": ARTS},
        {"category": WALKING},
        {"free": "on"},
        {"day": "3", "at": "7pm"},
        {"language": "polish", "accessibility": "step-free"},
        {"postcode": "SW9 8AB"},
        {"postcode": "sw98ab", "within": "2"},
        {"postcode": "SE1 7PB", "within": "0.5", "category": ARTS},
    ],
)
def test_the_map_finds_the_same_offers_as_the_list(
    cast: Cast, offers: dict[str, Service], params: dict[str, str]
) -> None:
    client = client_for(cast.team_worker)
    on_map = set(names(geojson(client, **params)))
    html = htmllib.unescape(client.get("/community/", params).content.decode())
    listed = {name for name in offers if f">{name}</a>" in html}
    assert on_map == listed - {"Phone befriending"}
    assert on_map  # each case finds something


def test_near_a_postcode_nearest_first_with_distances_and_only_the_places_within(
    cast: Cast, offers: dict[str, Service]
) -> None:
    client = client_for(cast.team_worker)
    body = geojson(client, postcode="SW9 8AB")
    expected = sorted(
        (haversine_metres(BRIXTON[1], BRIXTON[2], f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0]), n)
        for f, n in zip(body["features"], names(body), strict=True)
    )
    assert [n for _, n in expected] == names(body)
    assert names(body)[0] == "Brixton walking football"
    first = body["features"][0]["properties"]
    assert first["distance_metres"] == round(haversine_metres(*BRIXTON[1:], *NEAR))
    assert first["distance"] == "0.1 miles away"
    assert body["searched_near"]["geometry"]["coordinates"] == [BRIXTON[2], BRIXTON[1]]
    assert body["searched_near"]["properties"]["name"] == "SW9 8AB"
    # Within 2 miles of Kennington: the choir's Kennington hall, not its Streatham one (about 5 miles away).
    body = geojson(client, postcode="SE1 7PB", within="2")
    choir = [f for f in body["features"] if f["properties"]["name"] == "Kennington and Streatham choir"]
    assert [f["geometry"]["coordinates"] for f in choir] == [[KENNINGTON[1], KENNINGTON[0]]]
    assert "Streatham art club" not in names(body)


def test_the_map_is_capped_and_says_how_many_were_left_off(
    cast: Cast, offers: dict[str, Service], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mapping, "MAX_FEATURES", 2)
    body = geojson(client_for(cast.team_worker), postcode="SW9 8AB")
    assert len(body["features"]) == 2
    assert body["total"] == 4 and body["left_off"] == 2
    assert names(body)[0] == "Brixton walking football"  # the nearest are kept


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"postcode": "not a postcode"}, "postcode", "Enter a real postcode, like SW9 8AB"),
        ({"postcode": "E1 6AN"}, "postcode", "Enter a postcode in the area this directory covers, like SW9 8AB"),
        ({"at": "10am"}, "day", "Choose the day you want it to be open at that time"),
        ({"day": "0", "at": "teatime"}, "at", "Enter a time, like 10am or 2:30pm"),
        ({"within": "2"}, "postcode", "Enter a postcode to search within a distance of it"),
        ({"within": "100"}, "within", "Select a valid choice. 100 is not one of the available choices."),
        ({"category": "no-such-category"}, "category", "no-such-category is not one of the available choices"),
    ],
)
def test_a_bad_search_gives_problem_details(
    cast: Cast, offers: dict[str, Service], params: dict[str, str], field: str, message: str
) -> None:
    response = client_for(cast.team_worker).get(MAP, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["title"] == "The search is not valid"
    assert body["type"].startswith("https://")
    assert any(e["field"] == field and message in e["message"] for e in body["errors"]), body


def test_signed_out_people_are_sent_to_sign_in(offers: dict[str, Service]) -> None:
    response = Client().get(MAP)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


@pytest.mark.parametrize("who", ["team_worker", "allocated_worker"])
def test_workers_who_may_read_contact_details_map_offers_near_the_persons_home(
    cast: Cast, offers: dict[str, Service], who: str
) -> None:
    user = getattr(cast, who)
    body = geojson(client_for(user), **{"for": str(cast.person.pk), "near_home": "on", "within": "1"})
    assert names(body) == ["Brixton walking football"]
    assert body["searched_near"]["properties"]["name"] == "Alex Morgan’s home (SW9 8AB)"  # noqa: RUF001
    # As in the list, the offer's page opens for Alex, to connect them to it.
    service = offers["Brixton walking football"]
    assert body["features"][0]["properties"]["url"] == reverse("community:offer", args=[service.pk]) + (
        f"?for={cast.person.pk}"
    )
    event = AuditEvent.objects.filter(actor=user, person_id=cast.person.pk, action="view").latest("occurred_at")
    assert event.parts == ["contact"] and event.outcome == Outcome.ALLOWED and event.basis


def test_the_person_maps_offers_near_their_own_home(cast: Cast, offers: dict[str, Service]) -> None:
    body = geojson(client_for(cast.person_user), near_home="on", within="1")
    assert names(body) == ["Brixton walking football"]
    assert "?" not in body["features"][0]["properties"]["url"]
    assert body["searched_near"]["properties"]["name"] == "Your home (SW9 8AB)"


@pytest.mark.parametrize("who", ["stranger", "other_team_worker", "analyst"])
def test_others_are_refused_the_home_map_and_the_refusal_is_recorded(
    cast: Cast, offers: dict[str, Service], who: str
) -> None:
    user = getattr(cast, who)
    response = client_for(user).get(MAP, {"for": str(cast.person.pk), "near_home": "on"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "SW9 8AB" not in response.content.decode()
    event = AuditEvent.objects.get(actor=user, person_id=cast.person.pk, outcome=Outcome.REFUSED)
    assert event.parts == ["contact"]


def test_an_unknown_person_is_not_found(cast: Cast) -> None:
    client = client_for(cast.team_worker)
    for value in ("00000000-0000-0000-0000-000000000000", "nonsense"):
        response = client.get(MAP, {"for": value})
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


def test_the_map_costs_the_same_queries_for_few_or_many_offers(
    cast: Cast, offers: dict[str, Service], django_assert_num_queries: Any
) -> None:
    client = client_for(cast.team_worker)
    params = {"for": str(cast.person.pk), "near_home": "on", "within": "5", "category": ARTS}
    geojson(client, **params)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert len(geojson(client, **params)["features"]) == 3
    for number in range(60):
        add(cast.site, two_places(f"Group {number}", (51.46, -0.11), (51.47, -0.12), terms=(ARTS,)))
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(geojson(client, **params)["features"]) == 123


def test_the_search_page_has_a_map_that_loads_the_same_search(cast: Cast, offers: dict[str, Service]) -> None:
    client = client_for(cast.team_worker)
    html = client.get("/community/", {"q": "club", "postcode": "SW9 8AB", "page": "1"}).content.decode()
    assert 'aria-labelledby="offer-map-heading"' in html and "Map of the offers found</h3>" in html
    assert "The same offers are in the list below the map." in html and 'href="#offer-list"' in html
    assert 'data-geojson="/community/map.geojson?q=club&amp;postcode=SW9+8AB"' in html
    assert 'data-tiles=""' in html  # no tiles in tests: nothing is fetched from outside
    assert 'data-icon="/static/leaflet/images/marker-icon.png"' in html  # by address: hashed names in production
    assert "hidden>" in html  # shown only when the script draws it
    for path in ("leaflet/leaflet.js", "leaflet.markercluster/leaflet.markercluster.js", "community/map.js"):
        assert f'<script defer src="/static/{path}"></script>' in html
    for path in ("leaflet/leaflet.css", "leaflet.markercluster/MarkerCluster.Default.css", "community/map.css"):
        assert f'href="/static/{path}"' in html
    assert "style=" not in html.split("<body", 1)[1]  # the policy allows no inline styles
    html = client.get("/community/", {"q": "nothing like this"}).content.decode()
    assert "No offers match your search" in html and "data-offer-map" not in html and "leaflet" not in html


def test_the_map_files_are_served(cast: Cast) -> None:
    client = client_for(cast.team_worker)
    for path in (
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "leaflet/images/marker-icon.png",
        "leaflet.markercluster/leaflet.markercluster.js",
        "leaflet.markercluster/MarkerCluster.css",
        "community/map.js",
        "community/map.css",
    ):
        response = client.get(f"/static/{path}")
        assert response.status_code == 200, path


def test_offer_map_without_a_place_is_by_name(cast: Cast, offers: dict[str, Service]) -> None:
    found = mapping.offer_map(site=cast.site, filters=OfferFilters())
    assert [p.name for p in found.points] == [
        "Brixton walking football",
        "Kennington and Streatham choir",
        "Kennington and Streatham choir",
        "Streatham art club",
    ]
    assert found.place is None and all(p.distance is None for p in found.points)
    listed = offer_search(site=cast.site, filters=OfferFilters(), per_page=100)
    assert {p.service_id for p in found.points} < {hit.service.pk for hit in listed.items}


def test_the_tile_server_is_allowed_by_the_content_security_policy() -> None:
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from livingwell.config.settings import _tile_origin

    assert settings.LIVINGWELL_MAP_TILES == ""  # tests fetch nothing from outside
    assert settings.SECURE_CSP["img-src"][2:] == []
    assert _tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == ["https://tile.openstreetmap.org"]
    assert _tile_origin("https://{s}.tiles.example.org/light/{z}/{x}/{y}.png?key=abc") == [
        "https://*.tiles.example.org"
    ]
    assert _tile_origin("") == []
    with pytest.raises(ImproperlyConfigured):
        _tile_origin("https://{z}.tiles.example.org/{x}/{y}.png")
