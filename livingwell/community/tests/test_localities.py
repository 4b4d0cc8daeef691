"""Placing offers in localities by postcode: the longest matching area, saving an offer, placing every
offer again in a few queries, and the synthetic bulk save agreeing with `save_service`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from livingwell.community.documents import save_service
from livingwell.community.localities import (
    areas_of_postcode,
    assign_localities,
    is_full_postcode,
    locality_for,
    normalise_area,
)
from livingwell.community.models import Curation, Location, Origin, Postcode
from livingwell.community.postcodes import synthetic_postcodes_load
from livingwell.community.tests.test_search import add, document
from livingwell.core.synthetic import data
from livingwell.core.synthetic.offers import _places, offer_documents, save_new_services
from livingwell.network.models import Locality, Site

AREAS = {
    "Waterloo": ["SE1"],
    "Kennington": ["SE11"],
    "Stockwell": ["SW9"],
    "Brixton north": ["sw9 0", "SW9 6"],  # sectors of SW9 that belong elsewhere
}


@pytest.mark.parametrize(
    ("postcode", "expected"),
    [
        ("SE1 7PB", "Waterloo"),
        ("se17pb", "Waterloo"),
        ("SE11 4AA", "Kennington"),  # SE1 must not take SE11
        ("SW9 8AB", "Stockwell"),
        ("SW9 0AA", "Brixton north"),  # the sector wins over its district
        ("SW90AA", "Brixton north"),
        ("SW9 6XY", "Brixton north"),
        ("SW2 1AA", None),
        ("not a postcode", None),
        ("", None),
        (None, None),
    ],
)
def test_the_longest_matching_area_places_a_postcode(postcode: str | None, expected: str | None) -> None:
    assert locality_for(postcode, AREAS) == expected


def test_areas_are_districts_or_sectors() -> None:
    assert normalise_area(" sw9   0 ") == "SW9 0"
    assert normalise_area("se1") == "SE1"
    assert normalise_area("EC1A") == "EC1A"
    assert normalise_area("SW9 0AA") == "" and is_full_postcode("SW9 0AA") and is_full_postcode("sw90aa")
    assert normalise_area("SW9 01") == ""
    assert normalise_area("Brixton") == ""
    assert normalise_area("") == ""
    assert areas_of_postcode("sw9 0aa") == ("SW9 0", "SW9")
    assert areas_of_postcode("SE11 4AA") == ("SE11 4", "SE11")
    assert areas_of_postcode("E1 6AN") == ("E1 6", "E1")
    assert areas_of_postcode("nonsense") is None
    assert locality_for("SE1 7PB", {}) is None


@pytest.fixture
def site(db: None) -> Site:
    return Site.objects.create(name="Lambeth", slug="lambeth")


def _at(postcode: str, name: str) -> dict[str, Any]:
    doc = document(name, place=(51.46, -0.11))
    doc["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] = postcode
    return doc


def _locality_of(service: Any) -> str | None:
    location = Location.objects.select_related("locality").get(services_here__service=service)
    return location.locality.name if location.locality else None


def test_saving_an_offer_places_it_in_its_locality(site: Site) -> None:
    Locality.objects.create(site=site, name="Waterloo", postcode_areas=["SE1"])
    Locality.objects.create(site=site, name="Brixton north", postcode_areas=["SW9 0"])
    other = Site.objects.create(name="Southwark", slug="southwark")
    Locality.objects.create(site=other, name="Southwark", postcode_areas=["SE11", "SW9"])
    assert _locality_of(add(site, _at("SE1 7PB", "Walking group"))) == "Waterloo"
    assert _locality_of(add(site, _at("SW9 0AA", "Art club"))) == "Brixton north"
    assert _locality_of(add(site, _at("SE11 4AA", "Choir"))) is None  # another site's locality never
    doc = _at("SW9 8AB", "Choir in Stockwell")
    service = add(site, doc)
    assert _locality_of(service) is None
    doc["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] = "SW9 0AB"
    save_service(document=doc, site=site, origin=Origin.STAFF, curation=Curation.PUBLISHED)
    assert _locality_of(service) == "Brixton north"  # an update places it again


def test_assign_localities_moves_every_location_in_a_few_queries(site: Site) -> None:
    waterloo = Locality.objects.create(site=site, name="Waterloo", postcode_areas=["SE1"])
    stockwell = Locality.objects.create(site=site, name="Stockwell", postcode_areas=[])
    services = [add(site, _at(code, f"Group {i}")) for i, code in enumerate(["SE1 7PB", "SW9 8AB", "SW9 0AA"] * 10)]
    online = add(site, document("Online group"))  # no location: nothing to place
    assert assign_localities(site) == 0
    Locality.objects.filter(pk=stockwell.pk).update(postcode_areas=["SW9"])
    Locality.objects.filter(pk=waterloo.pk).update(postcode_areas=["SW9 0"])  # Waterloo now has SW9 0 only
    with CaptureQueriesContext(connection) as queries:
        moved = assign_localities(site)
    assert moved == 30
    # The savepoint and its release, the areas, the locations, and one update for each place they go to
    # (Stockwell, Waterloo, and none).
    assert len(queries.captured_queries) == 7
    got = {s.name: _locality_of(s) for s in services}
    assert got["Group 0"] is None and got["Group 1"] == "Stockwell" and got["Group 2"] == "Waterloo"
    assert assign_localities(site) == 0  # nothing more to move
    assert not Location.objects.filter(services_here__service=online).exists()


@pytest.mark.django_db
def test_the_bulk_save_places_offers_as_save_service_does(cast: Any) -> None:
    synthetic_postcodes_load()
    for name, districts in data.LOCALITIES:
        Locality.objects.create(site=cast.site, name=name, postcode_areas=data.postcode_areas(districts))
    places = _places(list(Postcode.objects.values_list("code", "lat", "lng").order_by("code")))
    documents = [d for d, _, _ in offer_documents(count=60, seed=21, places=places, today=dt.date(2026, 3, 31))]

    def located() -> list[tuple[str, Any]]:
        return list(Location.objects.order_by("id").values_list("id", "locality__name"))

    with transaction.atomic():
        for doc in documents:
            save_service(document=doc, site=cast.site, origin=Origin.STAFF, curation=Curation.PUBLISHED)
        one_by_one = located()
        transaction.set_rollback(True)
    with transaction.atomic():
        save_new_services(documents=documents, site=cast.site)
        in_bulk = located()
        transaction.set_rollback(True)
    assert in_bulk == one_by_one
    names = [name for _, name in in_bulk]
    assert {n for n, _ in data.LOCALITIES} <= set(names)  # offers in every locality
    assert names.count(None) < len(names) / 5  # only the online ones and a few without a postcode


def test_the_synthetic_localities_list_their_sectors() -> None:
    assert data.postcode_areas((("SE1", "678", 0.25), ("SE11", "4", 0.35))) == ["SE1 6", "SE1 7", "SE1 8", "SE11 4"]
    for _, districts in data.LOCALITIES:
        assert all(normalise_area(a) == a for a in data.postcode_areas(districts))
