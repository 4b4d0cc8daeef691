"""The Open Referral UK 3.0 API under /oruk/: every response checked against the official compiled
schemas (with formats), every filter, paging, distance ordering against hand-computed distances,
CORS, constant query counts, and schemathesis over the ORUK OpenAPI."""

from __future__ import annotations

import copy
import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator

from livingwell.community.documents import save_service
from livingwell.community.geo import haversine_metres
from livingwell.community.models import (
    CapacityUnit,
    Curation,
    Origin,
    Postcode,
    Service,
    ServiceCapacity,
    Taxonomy,
)
from livingwell.community.oruk_openapi import openapi_document
from livingwell.community.tests.conftest import assert_no_none, errors_of
from livingwell.network.models import Site

EXAMPLE_SERVICE = "ac148810-d857-441c-9679-408f346de14b"
EXAMPLE_SAL = "e94c9f38-1e8f-4564-91d4-d53501ab1765"
EXAMPLE_TERM = "3f7b145d-84af-42d7-8fae-eaca714b02b2"

TAXONOMY = "6a1d3c1e-3c4f-4a41-9d7e-0d3a1f0b9e10"
TERM_PEER = "0b0f8a63-2a53-4a6b-8a7e-6f1f4c8a1001"
TERM_SPORT = "0b0f8a63-2a53-4a6b-8a7e-6f1f4c8a1002"
TERM_WALKING = "0b0f8a63-2a53-4a6b-8a7e-6f1f4c8a1003"
ORG_A = "9d7f1c22-6b8e-4f0b-9a8e-2f0c4e5d0001"
ORG_B = "9d7f1c22-6b8e-4f0b-9a8e-2f0c4e5d0002"

BRIXTON = ("SW98AB", 51.4613, -0.1156)  # the postcode we search from
PLACES = {  # lat, lng of each generated offer's location
    "Brixton peer group": (51.4620, -0.1150),
    "Stockwell walking football": (51.4723, -0.1229),
    "Clapham art club": (51.4618, -0.1380),
    "Streatham debt advice": (51.4280, -0.1310),
}


def uid() -> str:
    return str(uuid.uuid4())


def term(term_id: str, name: str, parent_id: str = "") -> dict[str, Any]:
    record = {"id": term_id, "name": name, "description": f"{name} offers", "taxonomy_id": TAXONOMY}
    if parent_id:
        record["parent_id"] = parent_id
    return record


TERMS = {
    TERM_PEER: term(TERM_PEER, "Peer support"),
    TERM_SPORT: term(TERM_SPORT, "Sport"),
    TERM_WALKING: term(TERM_WALKING, "Walking football", TERM_SPORT),
}


def offer(
    name: str,
    *,
    org: str = ORG_A,
    terms: tuple[str, ...] = (),
    ages: tuple[int | None, int | None] = (None, None),
    schedules: tuple[tuple[str, str, str], ...] = (),
    place: tuple[float, float] | None = None,
    postcode: str = "SW9 8AB",
    last_modified: str = "2026-01-10T09:00:00.000Z",
    status: str = "active",
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": uid(),
        "name": name,
        "description": f"{name} in Lambeth",
        "status": status,
        "last_modified": last_modified,
        "organization": {"id": org, "name": f"Organisation {org[-1]}", "description": "A local charity"},
        "attributes": [{"id": uid(), "taxonomy_term": TERMS[t]} for t in terms],
        "schedules": [
            {"id": uid(), "freq": "WEEKLY", "byday": day, "opens_at": opens, "closes_at": closes}
            for day, opens, closes in schedules
        ],
    }
    if ages[0] is not None:
        document["minimum_age"] = ages[0]
    if ages[1] is not None:
        document["maximum_age"] = ages[1]
    if place is not None:
        document["service_at_locations"] = [
            {
                "id": uid(),
                "location": {
                    "id": uid(),
                    "location_type": "physical",
                    "name": f"{name} hall",
                    "latitude": place[0],
                    "longitude": place[1],
                    "addresses": [
                        {
                            "id": uid(),
                            "address_1": "1 High Street",
                            "city": "London",
                            "state_province": "Greater London",
                            "postal_code": postcode,
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ]
    return document


@pytest.fixture
def site(db: None) -> Site:
    return Site.objects.create(name="Lambeth", slug="lambeth")


def publish(document: dict[str, Any], site: Site, curation: str = Curation.PUBLISHED) -> Service:
    service, _ = save_service(document=document, site=site, origin=Origin.IMPORTED, curation=curation)
    return service


@pytest.fixture
def directory(site: Site, oruk_example: Callable[[str], Any]) -> dict[str, Service]:
    """The ORUK example service and four local offers, one unpublished suggestion, a taxonomy."""
    Postcode.objects.create(code=BRIXTON[0], lat=BRIXTON[1], lng=BRIXTON[2])
    Postcode.objects.create(code="E11AA", lat=51.5155, lng=-0.0700)
    Taxonomy.objects.create(
        id=TAXONOMY, name="Living Well categories", document={"id": TAXONOMY, "name": "Living Well categories"}
    )
    made = {
        "example": publish(oruk_example("service_full"), site),
        "Brixton peer group": publish(
            offer(
                "Brixton peer group",
                terms=(TERM_PEER,),
                ages=(18, None),
                schedules=(("MO,WE", "10:00", "12:00"),),
                place=PLACES["Brixton peer group"],
            ),
            site,
        ),
        "Stockwell walking football": publish(
            offer(
                "Stockwell walking football",
                org=ORG_B,
                terms=(TERM_SPORT, TERM_WALKING),
                ages=(50, 90),
                schedules=(("SA", "09:00", "11:00"),),
                place=PLACES["Stockwell walking football"],
                last_modified="2026-03-01T12:00:00.000Z",
            ),
            site,
        ),
        "Clapham art club": publish(
            offer(
                "Clapham art club",
                terms=(TERM_PEER,),
                ages=(16, 25),
                schedules=(("MO", "18:00", "20:00"),),
                place=PLACES["Clapham art club"],
            ),
            site,
        ),
        "Streatham debt advice": publish(
            offer(
                "Streatham debt advice",
                org=ORG_B,
                schedules=(("TU,TH", "09:30:00", "16:30:00"),),
                place=PLACES["Streatham debt advice"],
                status="inactive",
            ),
            site,
        ),
        "suggested": publish(
            offer("Secret knitting circle", terms=(TERM_PEER,), place=(51.4614, -0.1157)),
            site,
            curation=Curation.SUGGESTED,
        ),
    }
    unit = CapacityUnit.objects.create(name="Places")
    ServiceCapacity.objects.create(
        service=made["Brixton peer group"],
        unit=unit,
        available=3,
        maximum=12,
        updated=dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC),
    )
    return made


@pytest.fixture(scope="session")
def schema_of(
    oruk: Path,
    compiled_validator: Callable[[str], Draft202012Validator],
    source_validator: Callable[[str], Draft202012Validator],
) -> Callable[[str], Draft202012Validator]:
    cache: dict[str, Draft202012Validator] = {}

    def get(name: str) -> Draft202012Validator:
        if name not in cache:
            cache[name] = source_validator(name) if name.startswith("taxonomy") else compiled_validator(name)
        return cache[name]

    return get


@pytest.fixture(scope="session")
def page_validator(oruk: Path) -> Draft202012Validator:
    spec = json.loads((oruk / "schema" / "openapi.json").read_text(encoding="utf-8"))
    page = copy.deepcopy(spec["components"]["schemas"]["Page"])
    page["required"] = [*page["properties"], "contents"]
    page["properties"]["contents"] = {"type": "array"}
    return Draft202012Validator(page, format_checker=Draft202012Validator.FORMAT_CHECKER)


ITEM_SCHEMA = {
    "services": "service_list",
    "service_at_locations": "service_at_location_list",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}


@pytest.fixture
def api(
    client: Client, schema_of: Callable[[str], Draft202012Validator], page_validator: Draft202012Validator
) -> Callable[..., Any]:
    """GET /oruk/<path>: checks 200, CORS, no null, and the body against its ORUK schema."""

    def get(path: str, schema: str | None = None, **params: Any) -> Any:
        response = client.get(f"/oruk/{path}", params)
        assert response.status_code == 200, response.content
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert_no_none(body)
        collection = path.split("/")[0]
        if "/" not in path and collection in ITEM_SCHEMA:
            assert errors_of(page_validator, body) == []
            item_schema = schema or ITEM_SCHEMA[collection]
            for item in body["contents"]:
                assert errors_of(schema_of(item_schema), item) == []
            assert body["size"] == len(body["contents"])
        elif schema:
            assert errors_of(schema_of(schema), body) == []
        return body

    return get


def names(body: dict[str, Any]) -> list[str]:
    return [item["name"] for item in body["contents"]]


def sal_names(body: dict[str, Any]) -> list[str]:
    return [item["service"]["name"] for item in body["contents"]]


# ---- The root and the OpenAPI description ------------------------------------------------------------


def test_the_root_says_which_version_and_profile_and_where_the_openapi_is(db: None, api: Callable[..., Any]) -> None:
    body = api("")
    assert body == {
        "version": "3.0",
        "profile": "https://github.com/openreferral/uk-profile",
        "openapi_url": "http://testserver/oruk/openapi.json",
    }
    validator = Draft202012Validator(
        {"properties": {"profile": {"format": "uri"}, "openapi_url": {"format": "uri"}}},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
    assert errors_of(validator, body) == []


def test_our_openapi_describes_every_path_and_points_at_the_compiled_schemas(db: None, api: Callable[..., Any]) -> None:
    import schemathesis

    body = api("openapi.json")
    assert body["servers"] == [{"url": "http://testserver/oruk"}]
    assert set(body["paths"]) == {
        "/",
        "/services",
        "/services/{id}",
        "/service_at_locations",
        "/service_at_locations/{id}",
        "/taxonomies",
        "/taxonomies/{id}",
        "/taxonomy_terms",
        "/taxonomy_terms/{id}",
    }
    service = body["paths"]["/services/{id}"]["get"]["responses"]
    assert service["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/schema/compiled/service.json")
    assert set(service) == {"200", "404"}
    sal = body["paths"]["/service_at_locations/{id}"]["get"]["responses"]["200"]
    assert sal["content"]["application/json"]["schema"]["$ref"].endswith("/compiled/service_at_location.json")
    listed = {p["$ref"].rsplit("/", 1)[1] for p in body["paths"]["/services"]["get"]["parameters"]}
    assert {"search", "page", "per_page", "minimal", "full", "modified_after", "day", "postcode"} <= listed
    schemathesis.openapi.from_dict(body).validate()  # a well-formed OpenAPI 3.1 document


# ---- Services ------------------------------------------------------------------------------------------


def test_services_lists_published_offers_by_name_in_the_list_shape(
    directory: dict[str, Service], api: Callable[..., Any]
) -> None:
    body = api("services")
    assert names(body) == [
        "Brixton peer group",
        "Clapham art club",
        "Community Counselling",
        "Stockwell walking football",
        "Streatham debt advice",
    ]
    assert body["total_items"] == 5 and body["total_pages"] == 1
    assert body["first_page"] and body["last_page"] and not body["empty"]
    first = body["contents"][0]
    assert first["organization"] == {"id": ORG_A, "name": "Organisation 1", "description": "A local charity"}
    assert "service_at_locations" not in first and "schedules" not in first and "capacities" not in first


def test_a_full_service_is_its_document_with_capacities(
    directory: dict[str, Service], api: Callable[..., Any], oruk_example: Callable[[str], Any]
) -> None:
    assert api(f"services/{EXAMPLE_SERVICE}", "service") == oruk_example("service_full")
    peer = directory["Brixton peer group"]
    body = api(f"services/{peer.id}", "service")
    assert body["capacities"] == [
        {
            "id": str(peer.capacities.get().id),
            "unit": {"id": str(peer.capacities.get().unit_id), "name": "Places"},
            "available": 3,
            "maximum": 12,
            "updated": "2026-11-01T09:00:00.000Z",
        }
    ]


def test_full_and_minimal_lists(directory: dict[str, Service], api: Callable[..., Any]) -> None:
    full = api("services", "service", full="true", per_page=2)
    assert names(full) == ["Brixton peer group", "Clapham art club"]
    assert "capacities" in full["contents"][0] and "service_at_locations" in full["contents"][0]
    minimal = api("services", minimal="true", per_page=3)
    assert minimal["contents"][2] == {
        "id": EXAMPLE_SERVICE,
        "name": "Community Counselling",
        "status": "active",
        "last_modified": "2023-03-15T10:30:45.123Z",
    }
    assert set(minimal["contents"][0]) == {"id", "name", "status", "last_modified"}


def test_unpublished_offers_are_never_served(
    directory: dict[str, Service], api: Callable[..., Any], client: Client
) -> None:
    suggested = directory["suggested"]
    assert "Secret knitting circle" not in names(api("services", per_page=100))
    assert "Secret knitting circle" not in names(api("services", search="knitting"))
    assert client.get(f"/oruk/services/{suggested.id}").status_code == 404
    sal_id = suggested.at_locations.get().id
    assert client.get(f"/oruk/service_at_locations/{sal_id}").status_code == 404
    assert "Secret knitting circle" not in sal_names(api("service_at_locations", postcode="SW9 8AB", proximity=500))
    Service.objects.filter(pk=directory["Clapham art club"].pk).update(curation=Curation.WITHDRAWN)
    assert "Clapham art club" not in names(api("services"))


def test_search_needs_every_word(directory: dict[str, Service], api: Callable[..., Any]) -> None:
    assert names(api("services", search="football")) == ["Stockwell walking football"]
    assert names(api("services", search="PEER brixton")) == ["Brixton peer group"]
    assert names(api("services", search="peer football")) == []
    assert names(api("services", search="organisation 2")) == ["Stockwell walking football", "Streatham debt advice"]
    # category names and location names are searched too
    assert names(api("services", search="walking football hall")) == ["Stockwell walking football"]


def test_filters_by_term_taxonomy_and_organisation(directory: dict[str, Service], api: Callable[..., Any]) -> None:
    assert names(api("services", taxonomy_term_id=TERM_PEER)) == ["Brixton peer group", "Clapham art club"]
    assert names(api("services", taxonomy_term_id=EXAMPLE_TERM)) == ["Community Counselling"]
    assert names(api("services", taxonomy_id=TAXONOMY)) == [
        "Brixton peer group",
        "Clapham art club",
        "Stockwell walking football",
    ]
    assert names(api("services", organization_id=ORG_B)) == ["Stockwell walking football", "Streatham debt advice"]
    assert names(api("services", taxonomy_term_id=uid())) == []


def test_modified_after(directory: dict[str, Service], api: Callable[..., Any]) -> None:
    assert names(api("services", modified_after="2026-02-01T00:00:00Z")) == ["Stockwell walking football"]
    assert names(api("services", modified_after="2026-03-01T12:00:00.000Z")) == ["Stockwell walking football"]
    assert names(api("services", modified_after="2026-03-01T12:00:00.001Z")) == []
    assert len(names(api("services", modified_after="2026-01-10"))) == 4
    assert len(names(api("services", modified_after="2020-01-01T00:00:00+01:00"))) == 5
    # Offsets Python allows but PostgreSQL does not (beyond 15:59) are compared in UTC, on every endpoint.
    assert names(api("services", modified_after="2026-03-01T12:00:00-22:35")) == []
    assert names(api("services", modified_after="2026-03-01T12:00:00+22:35")) == ["Stockwell walking football"]
    assert api("service_at_locations", modified_after="0204-06-05T08:22:55-22:35")["total_items"] >= 1


def test_ages_follow_the_standard_and_age_is_our_extension(
    directory: dict[str, Service], api: Callable[..., Any]
) -> None:
    # ORUK: "a minimum age of at least" and "a maximum age equal to or below" the value.
    assert names(api("services", minimum_age=18)) == ["Brixton peer group", "Stockwell walking football"]
    assert names(api("services", minimum_age=17.5)) == ["Brixton peer group", "Stockwell walking football"]
    assert names(api("services", maximum_age=25)) == ["Clapham art club"]
    assert names(api("services", minimum_age=16, maximum_age=30)) == ["Clapham art club"]
    # age: the offer is open to someone this old (no limit given means no limit)
    assert names(api("services", age=20)) == [
        "Brixton peer group",
        "Clapham art club",
        "Community Counselling",
        "Streatham debt advice",
    ]
    assert "Stockwell walking football" in names(api("services", age=90))
    assert "Stockwell walking football" not in names(api("services", age=91))


def test_day_and_times(directory: dict[str, Service], api: Callable[..., Any]) -> None:
    assert names(api("services", day="MO")) == ["Brixton peer group", "Clapham art club"]
    assert names(api("services", day="monday")) == ["Brixton peer group", "Clapham art club"]
    assert names(api("services", day="SA")) == ["Stockwell walking football"]
    assert names(api("services", day="SU")) == []
    # the example's Thursday and Friday schedule ended in 2005
    assert names(api("services", day="TH")) == ["Streatham debt advice"]
    # start_time: opens at or after; end_time: closes at or before (on the same opening)
    assert names(api("services", day="MO", start_time="12:00")) == ["Clapham art club"]
    assert names(api("services", start_time="09:30", end_time="16:30")) == [
        "Brixton peer group",
        "Streatham debt advice",
    ]
    assert names(api("services", end_time="11:00")) == ["Stockwell walking football"]
    assert names(api("services", day="MO", end_time="12:00:00")) == ["Brixton peer group"]
    # open_at (extension): open at that moment
    assert names(api("services", day="MO", open_at="11:00")) == ["Brixton peer group"]
    assert names(api("services", day="MO", open_at="12:00")) == []
    assert names(api("services", open_at="10:15")) == [
        "Brixton peer group",
        "Stockwell walking football",
        "Streatham debt advice",
    ]


# ---- Paging --------------------------------------------------------------------------------------------


def test_paging_edges(directory: dict[str, Service], api: Callable[..., Any]) -> None:
    first = api("services", per_page=2)
    assert (first["page_number"], first["size"], first["total_items"], first["total_pages"]) == (1, 2, 5, 3)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    middle = api("services", per_page=2, page=2)
    assert names(middle) == ["Community Counselling", "Stockwell walking football"]
    assert not middle["first_page"] and not middle["last_page"]
    last = api("services", per_page=2, page=3)
    assert names(last) == ["Streatham debt advice"] and last["last_page"] and last["size"] == 1
    beyond = api("services", per_page=2, page=4)
    assert beyond["contents"] == [] and beyond["empty"] and beyond["last_page"] and beyond["size"] == 0
    assert beyond["total_items"] == 5 and beyond["page_number"] == 4
    none = api("services", search="nothing matches this")
    assert none["contents"] == [] and none["empty"] and none["first_page"] and none["last_page"]
    assert (none["total_items"], none["total_pages"]) == (0, 0)
    every = [n for page in (1, 2, 3) for n in names(api("services", per_page=2, page=page))]
    assert every == names(api("services"))


# ---- Services at locations and distance ------------------------------------------------------------------


def test_service_at_locations_nearest_first_with_hand_computed_distances(
    directory: dict[str, Service], api: Callable[..., Any]
) -> None:
    _, lat, lng = BRIXTON
    distance = {name: haversine_metres(lat, lng, *place) for name, place in PLACES.items()}
    # Hand computed on a flat map (fine at these distances): a degree of latitude is 111,195 m and a
    # degree of longitude 111,195 m x cos(51.46°) = 69,254 m. Brixton: 0.0007° north, 0.0006° east,
    # sqrt(77.8² + 41.6²) = 88.2 m. Stockwell: 0.0110° N, 0.0073° W, sqrt(1223.1² + 505.6²) = 1323.5 m.
    # Clapham: 0.0005° N, 0.0224° W, sqrt(55.6² + 1551.3²) = 1552.3 m. Streatham: 0.0333° S, 0.0154° W,
    # sqrt(3702.8² + 1066.5²) = 3853.3 m.
    assert distance["Brixton peer group"] == pytest.approx(88.2, abs=0.5)
    assert distance["Stockwell walking football"] == pytest.approx(1323.5, abs=1.5)
    assert distance["Clapham art club"] == pytest.approx(1552.3, abs=1.5)
    assert distance["Streatham debt advice"] == pytest.approx(3853.3, abs=2)
    by_distance = sorted(distance, key=distance.__getitem__)

    everything = api("service_at_locations", postcode="sw9 8ab")
    # with only a postcode, every result comes nearest first and those not on the map last
    assert sal_names(everything) == [*by_distance, "Community Counselling"]
    assert sal_names(api("service_at_locations", postcode="SW9 8AB", proximity=1500)) == [
        "Brixton peer group",
        "Stockwell walking football",
    ]
    assert sal_names(api("service_at_locations", postcode="SW98AB", proximity=1600)) == by_distance[:3]
    assert sal_names(api("service_at_locations", postcode="SW98AB", proximity=88)) == []
    assert sal_names(api("service_at_locations", postcode="SW98AB", proximity=89)) == ["Brixton peer group"]
    assert sal_names(api("service_at_locations", postcode="E1 1AA", proximity=1000)) == []
    # filters combine with distance
    assert sal_names(api("service_at_locations", postcode="SW98AB", proximity=5000, taxonomy_term_id=TERM_PEER)) == [
        "Brixton peer group",
        "Clapham art club",
    ]
    # and the extension on /services
    assert names(api("services", postcode="SW98AB", proximity=1500)) == by_distance[:2]
    assert names(api("services", postcode="SW98AB")) == [*by_distance, "Community Counselling"]


def test_service_at_locations_list_and_one(
    directory: dict[str, Service], api: Callable[..., Any], oruk_example: Callable[[str], Any]
) -> None:
    body = api("service_at_locations")
    assert sal_names(body) == [
        "Brixton peer group",
        "Clapham art club",
        "Community Counselling",
        "Stockwell walking football",
        "Streatham debt advice",
    ]
    example = body["contents"][2]
    assert example["id"] == EXAMPLE_SAL
    assert example["location"]["latitude"] == 100  # served verbatim, just not on the map
    assert "addresses" not in example["location"] and "schedules" not in example["service"]
    one = api(f"service_at_locations/{EXAMPLE_SAL}", "service_at_location")
    assert one["service"]["id"] == EXAMPLE_SERVICE and "service_at_locations" not in one["service"]
    assert one["location"] == oruk_example("service_full")["service_at_locations"][0]["location"]
    assert sal_names(api("service_at_locations", day="SA")) == ["Stockwell walking football"]
    assert sal_names(api("service_at_locations", search="debt", per_page=1)) == ["Streatham debt advice"]


# ---- Taxonomies and terms --------------------------------------------------------------------------------


def test_taxonomies_and_terms(directory: dict[str, Service], api: Callable[..., Any]) -> None:
    taxonomies = api("taxonomies")
    assert [t["id"] for t in taxonomies["contents"]] == [TAXONOMY]
    one = api(f"taxonomies/{TAXONOMY}", "taxonomy")
    assert [t["name"] for t in one["taxonomy_terms"]] == ["Peer support", "Sport", "Walking football"]
    terms = api("taxonomy_terms")
    assert sorted(t["id"] for t in terms["contents"]) == sorted([EXAMPLE_TERM, TERM_PEER, TERM_SPORT, TERM_WALKING])
    assert [t["name"] for t in api("taxonomy_terms", taxonomy_id=TAXONOMY, top_only="true")["contents"]] == [
        "Peer support",
        "Sport",
    ]
    assert [t["name"] for t in api("taxonomy_terms", parent_id=TERM_SPORT)["contents"]] == ["Walking football"]
    example = api(f"taxonomy_terms/{EXAMPLE_TERM}", "taxonomy_term")
    assert example["parent_id"] == "0bc248fa-dc27-4650-9ba4-8f1a24ef16a2"  # kept, though the feed lacks it
    paged = api("taxonomy_terms", taxonomy_id=TAXONOMY, per_page=2, page=2)
    assert [t["name"] for t in paged["contents"]] == ["Walking football"] and paged["last_page"]


# ---- Errors, CORS and anonymous access -------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "per_page=0",
        "per_page=abc",
        "per_page=1001",
        "modified_after=yesterday",
        "modified_after=2026-13-01T00:00:00Z",
        "day=someday",
        "start_time=25:00",
        "end_time=noon",
        "minimum_age=old",
        "maximum_age=nan",
        "minimal=perhaps",
        "proximity=500",
        "postcode=SW98AB&proximity=far",
        "postcode=SW98AB&proximity=-1",
        "postcode=not a postcode",
        "postcode=ZZ99 9ZZ",
        "search=a%00b",
        "modified_after=0001-01-01T00:00:00%2B01:00",
        "modified_after=9999-12-31T23:59:59-01:00",
        "modified_after=2026-01-01T00:00:00%2B25:00",
    ],
)
def test_bad_parameters_are_a_400_problem(directory: dict[str, Service], client: Client, query: str) -> None:
    for path in ("services", "service_at_locations") if not query.startswith("minimal") else ("services",):
        response = client.get(f"/oruk/{path}?{query}")
        assert response.status_code == 400, (path, query)
        assert response["Content-Type"] == "application/json"
        assert response["Access-Control-Allow-Origin"] == "*"
        body = response.json()
        assert set(body) == {"type", "title", "status", "detail"} and body["status"] == 400
        assert query.split("=")[0].split("&")[-1] in body["title"] or "proximity" in body["title"]


@pytest.mark.parametrize(
    "path",
    [
        f"services/{uuid.UUID(int=1)}",
        "services/not-an-id",
        f"service_at_locations/{uuid.UUID(int=1)}",
        "taxonomies/x",
        "taxonomy_terms/x",
        "organizations",
        "services/a/b",
        "services/a%00b",
        "taxonomy_terms/" + "x" * 300,
    ],
)
def test_unknown_ids_and_paths_are_a_404_problem(db: None, client: Client, path: str) -> None:
    response = client.get(f"/oruk/{path}")
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["status"] == 404 and response.json()["title"] == "Not found"


def test_cors_preflight_and_read_only(db: None, client: Client) -> None:
    for path in ("/oruk/", "/oruk/services", "/oruk/services/x", "/oruk/nowhere"):
        response = client.options(path, headers={"Access-Control-Request-Headers": "x-requested-with"})
        assert response.status_code == 204, path
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "GET" in response["Access-Control-Allow-Methods"]
    response = client.post("/oruk/services", {"name": "x"})
    assert response.status_code == 405 and response["Access-Control-Allow-Origin"] == "*"
    assert client.head("/oruk/services").status_code == 200


def test_a_signed_in_user_who_has_not_given_their_second_factor_still_reads_the_api(
    directory: dict[str, Service],
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from livingwell.testing import make_user

    user = make_user("Curator")
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/people/").status_code == 302  # the rest of the site asks for the second factor
    response = client.get("/oruk/services")
    assert response.status_code == 200 and response.json()["total_items"] == 5


# ---- Queries per page ------------------------------------------------------------------------------------


def _many(site: Site, count: int) -> None:
    for index in range(count):
        publish(
            offer(
                f"Offer {index:03d}",
                terms=(TERM_PEER,),
                schedules=(("MO", "10:00", "12:00"),),
                place=(51.46 + index / 10000, -0.115),
            ),
            site,
        )


@pytest.mark.parametrize(
    "path",
    [
        "services?full=true",
        "services?minimal=true",
        "services?search=offer&day=MO&taxonomy_id=" + TAXONOMY,
        "services?postcode=SW98AB&proximity=100000",
        "service_at_locations?postcode=SW98AB&proximity=100000&open_at=11:00",
        "taxonomy_terms",
    ],
)
def test_queries_do_not_grow_with_the_page(site: Site, client: Client, path: str) -> None:
    Postcode.objects.create(code=BRIXTON[0], lat=BRIXTON[1], lng=BRIXTON[2])
    _many(site, 5)
    counts = []
    for total in (5, 50):
        if total == 50:
            _many(site, 45)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/oruk/{path}&per_page=100" if "?" in path else f"/oruk/{path}?per_page=100")
        assert response.status_code == 200
        if not path.startswith("taxonomy"):
            assert response.json()["total_items"] == total
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 6


# ---- Schemathesis over the ORUK OpenAPI ------------------------------------------------------------------


def _inline_remote_refs(spec: dict[str, Any], oruk: Path) -> dict[str, Any]:
    """`spec` made usable offline: the ORUK schemas' public addresses replaced by the local files
    (compiled schemas inlined, source schemas as components, since they refer to each other), and
    the ORUK file's `type: time` made `{type: string, format: time}`."""
    remote = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
    source_schemas = {
        p.name: json.loads(p.read_text(encoding="utf-8"))
        for p in (oruk / "schema").glob("*.json")
        if p.name != "openapi.json"
    }
    definitions: dict[str, Any] = {}

    def local(name: str) -> dict[str, Any]:
        key = name.removesuffix(".json")
        if key not in definitions:
            definitions[key] = {}
            definitions[key] = inline(copy.deepcopy(source_schemas[name]))
        return {"$ref": f"#/components/schemas/{key}"}

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(remote):
                relative = ref.removeprefix(remote)
                if relative.startswith("compiled/"):
                    return json.loads((oruk / "schema" / relative).read_text(encoding="utf-8"))
                return local(relative)
            if isinstance(ref, str) and ref.endswith(".json") and "/" not in ref:
                return local(ref)
            if node.get("type") == "time":
                return {**{k: v for k, v in node.items() if k != "type"}, "type": "string", "format": "time"}
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    spec = inline(spec)
    spec["components"].setdefault("schemas", {}).update(definitions)
    return spec


def _patched_oruk_openapi(oruk: Path) -> dict[str, Any]:
    """The official ORUK OpenAPI, made usable offline (`_inline_remote_refs`), with
    /service_at_locations/{id} pointed at the SAL schema (upstream points it at service.json) and our
    400/404 problem responses added (upstream documents only 200)."""
    spec = _inline_remote_refs(json.loads((oruk / "schema" / "openapi.json").read_text(encoding="utf-8")), oruk)
    sal_schema = json.loads((oruk / "schema" / "compiled" / "service_at_location.json").read_text(encoding="utf-8"))
    sal_get = spec["paths"]["/service_at_locations/{id}"]["get"]
    sal_get["responses"]["200"]["content"]["application/json"]["schema"] = sal_schema
    problem = {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["type", "title", "status", "detail"],
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                    },
                }
            }
        }
    }
    for path, item in spec["paths"].items():
        operation = item["get"]
        if path.endswith("{id}"):
            operation["responses"]["404"] = {"description": "Not found", **problem}
        elif path != "/":
            operation["responses"]["400"] = {"description": "A parameter is not valid", **problem}
    return spec


def test_the_patched_openapi_catches_a_wrong_body(oruk: Path) -> None:
    """The schemathesis run below can fail: a wrong body breaks the inlined schemas."""
    spec = _patched_oruk_openapi(oruk)
    service_schema = spec["paths"]["/services/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
    validator = Draft202012Validator(service_schema["schema"], format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert errors_of(validator, {"id": 123})
    assert "time" not in json.dumps(spec["components"]["parameters"]["start_time"]["schema"]["type"])
    taxonomy = spec["paths"]["/taxonomies/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert taxonomy == {"$ref": "#/components/schemas/taxonomy"}


@pytest.fixture
def connection_kept_open() -> Iterator[None]:
    """Calls through the WSGI app end by closing the database connection (Django's request_finished
    signal), which would end the test's transaction on PostgreSQL; Django's test client disconnects the
    same handlers for the same reason."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("description", ["oruk", "ours"])
@pytest.mark.usefixtures("connection_kept_open")
def test_schemathesis_over_the_openapi(
    directory: dict[str, Service], oruk: Path, tmp_path: Path, description: str
) -> None:
    """No 5xx, documented status codes and content types, and bodies valid against the schemas, for
    generated requests to every path of the official ORUK OpenAPI (patched) and of our own description
    (which also lists modified_after, minimal, full, organization_id and our extensions)."""
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    if description == "oruk":
        spec = _patched_oruk_openapi(oruk)
    else:
        spec = _inline_remote_refs(openapi_document("http://testserver/oruk"), oruk)
        del spec["servers"]
    (tmp_path / "oruk-openapi.json").write_text(json.dumps(spec), encoding="utf-8")
    schema = schemathesis.openapi.from_dict(spec)
    schema.app = get_wsgi_application()
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    known_ids = {
        "/services/{id}": [EXAMPLE_SERVICE, directory["Brixton peer group"].id],
        "/service_at_locations/{id}": [EXAMPLE_SAL],
        "/taxonomies/{id}": [TAXONOMY],
        "/taxonomy_terms/{id}": [EXAMPLE_TERM, TERM_WALKING],
    }
    # Queries known to give full pages, so that item schemas are checked on real items too.
    known_queries: dict[str, list[dict[str, str]]] = {
        "/services": [{}, {"full": "true"}, {"minimal": "true"}, {"postcode": "SW98AB", "day": "MO"}],
        "/service_at_locations": [{}, {"postcode": "SW98AB", "proximity": "2000"}, {"open_at": "10:30"}],
        "/taxonomies": [{}],
        "/taxonomy_terms": [{}, {"top_only": "true"}],
    }
    from schemathesis.core.result import Ok

    results = list(schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(results) == len(operations), "an operation of the patched ORUK OpenAPI could not be loaded"
    assert len(operations) == 9
    for operation in operations:
        strategy = operation.as_strategy()

        @settings(
            max_examples=50,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case: Any) -> None:
            response = case.call(base_url="http://testserver/oruk")
            case.validate_response(response, checks=checks)

        run()
        for known in known_ids.get(operation.path, []):
            case = operation.Case(path_parameters={"id": known})
            response = case.call(base_url="http://testserver/oruk")
            assert response.status_code == 200, (operation.path, known)
            case.validate_response(response, checks=checks)
        for query in known_queries.get(operation.path, []):
            case = operation.Case(query=query)
            response = case.call(base_url="http://testserver/oruk")
            assert response.status_code == 200 and response.json()["contents"], (operation.path, query)
            case.validate_response(response, checks=checks)
