"""Community offers in the synthetic site: ORUK 3.0 documents across the borough, and connections to them."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from livingwell.community.documents import check_service, clean, document_hash, save_service
from livingwell.community.geo import display_postcode
from livingwell.community.imports import oruk_import
from livingwell.community.models import (
    Connection,
    ConnectionStage,
    ConnectionStep,
    Curation,
    Gap,
    ImportSource,
    Location,
    OpeningSlot,
    Organization,
    Origin,
    Postcode,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    Taxonomy,
    TaxonomyTerm,
)
from livingwell.community.postcodes import synthetic_postcodes_load
from livingwell.community.tests import conftest as oruk_fixtures
from livingwell.community.tests.conftest import errors_of
from livingwell.core.synthetic import SITE_SLUG, build_site, demo_sign_in
from livingwell.core.synthetic.data import LOCALITIES
from livingwell.core.synthetic.offers import (
    CATEGORIES,
    COUNCIL_FEED_NAME,
    IMPORTED_SHARE,
    MAX_OFFERS,
    MIN_OFFERS,
    WITHDRAWN_REASON,
    Place,
    _places,
    locality_of,
    offer_documents,
    offers_for,
    save_new_services,
    term_id,
    write_council_feed,
)
from livingwell.network.models import Site
from livingwell.people.models import Person

# The ORUK standards fixtures of the directory's tests (they read the standards from outside the repository).
oruk = oruk_fixtures.oruk
compiled_validator = oruk_fixtures.compiled_validator

TODAY = dt.date(2026, 3, 31)
# The borough's synthetic postcodes lie within this box (Lambeth, with a margin).
LAT = (51.40, 51.52)
LNG = (-0.16, -0.07)
LOCALITY_NAMES = [name for name, _ in LOCALITIES]


@pytest.fixture(scope="module")
def offers_site(django_db_setup: None, django_db_blocker: Any) -> Iterator[Site]:
    """A site of 400 people (so the minimum of 300 offers), built once and rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_site(people=400, seed=5, today=TODAY)
        yield Site.objects.get(slug=SITE_SLUG)
        transaction.set_rollback(True)


def _three_places() -> list[Place]:
    return [
        Place("SE1 6AA", 51.496116, -0.103291, 0),
        Place("SW9 0AB", 51.47, -0.12, 1),
        Place("SW16 1AA", 51.42, -0.13, 2),
    ]


def test_the_number_of_offers_follows_the_people_within_limits():
    assert offers_for(400) == MIN_OFFERS
    assert offers_for(10_000) == 1000
    assert offers_for(100_000) == 10_000
    assert offers_for(5_000_000) == MAX_OFFERS


def test_postcodes_fall_in_the_localities_of_the_borough():
    assert locality_of("SE1 6AA") == 0
    assert locality_of("SW9 0AB") == 1
    assert locality_of("SW16 1AA") == 2
    assert locality_of("N1 1AA") is None


def test_the_same_seed_makes_the_same_documents_and_another_seed_others():
    first = offer_documents(count=200, seed=3, places=_three_places(), today=TODAY)
    again = offer_documents(count=200, seed=3, places=_three_places(), today=TODAY)
    other = offer_documents(count=200, seed=4, places=_three_places(), today=TODAY)
    assert [document_hash(clean(d)) for d, _, _ in first] == [document_hash(clean(d)) for d, _, _ in again]
    assert json.dumps([d for d, _, _ in first]) == json.dumps([d for d, _, _ in again])
    assert {d["id"] for d, _, _ in first}.isdisjoint({d["id"] for d, _, _ in other})


def test_every_document_passes_the_checks_and_the_mix_is_realistic():
    documents = offer_documents(count=1500, seed=9, places=_three_places(), today=TODAY)
    ids = [d["id"] for d, _, _ in documents]
    assert len(set(ids)) == len(ids)
    for document, _, _ in documents:
        assert check_service(document) == [], document["name"]
    categories = Counter(a["taxonomy_term"]["name"] for document, _, _ in documents for a in document["attributes"])
    assert set(categories) == set(CATEGORIES)
    assert min(categories.values()) > 20
    kinds = [
        loc["location"]["location_type"] for document, _, _ in documents for loc in document["service_at_locations"]
    ]
    assert 0.01 < kinds.count("virtual") / len(documents) < 0.1
    physical = [
        sal["location"] for d, _, _ in documents for sal in d["service_at_locations"] if "addresses" in sal["location"]
    ]
    without = [loc for loc in physical if "latitude" not in loc]
    assert 0 < len(without) < len(physical) * 0.1
    free = [d for d, _, _ in documents if d["cost_options"][0]["amount"] == 0]
    assert 0.6 < len(free) / len(documents) < 0.95
    monthly = [d for d, _, _ in documents if _schedules(d)[0]["freq"] == "MONTHLY"]
    assert 0.05 < len(monthly) / len(documents) < 0.3
    informal = [d for d, _, _ in documents if "(informal group)" in d["organization"]["name"]]
    assert 0.05 < len(informal) / len(documents) < 0.4
    organisations = Counter(d["organization"]["id"] for d, _, _ in documents)
    assert max(organisations.values()) > 5  # some organisations run several offers
    names = " ".join(d["name"] for d, _, _ in documents)
    for word in ("hearing voices", "Walking football", "Parkrun", "food bank", "library", "IPS", "Carers",
                 "LGBTQ+", "Somali", "Portuguese", "Polish", "Latin American", "Ghanaian"):  # fmt: skip
        assert word.lower() in names.lower(), word
    languages = {lang["name"] for d, _, _ in documents for lang in d["languages"]}
    assert {"English", "Somali", "Portuguese", "Polish", "Spanish", "Twi"} <= languages
    assert sum(1 for _, _, capacity in documents if capacity) > 100


def _schedules(document: dict[str, Any]) -> list[dict[str, Any]]:
    return document.get("schedules") or document["service_at_locations"][0]["schedules"]


@pytest.mark.django_db
class TestTheSiteHoldsOffers:
    def test_offers_are_saved_with_their_projections(self, offers_site: Site):
        services = Service.objects.filter(site=offers_site).exclude(origin=Origin.SUGGESTION)
        assert services.count() == MIN_OFFERS
        assert Postcode.objects.count() > 10_000
        for service in services[:50]:
            assert service.hash == document_hash(service.document)
            assert check_service(service.document) == []
            assert service.terms.exists()
            assert service.opening_slots.exists() or _schedules(service.document)[0]["freq"] == "MONTHLY"
        assert services.filter(is_free=True).count() > MIN_OFFERS / 2
        assert services.filter(is_free=False).exists()
        assert services.filter(terms__id=term_id("Peer support")).exists()
        assert ServiceCapacity.objects.filter(service__site=offers_site).count() > 30

    def test_the_directory_is_kept_as_a_site_keeps_it(self, offers_site: Site, tmp_path: Path):
        """Half the offers came from the council's feed (with its refreshes), people suggested some (waiting,
        published, or declined with a note they read), and an imported offer was taken out for a while;
        the feed written for the demo imports back unchanged."""
        source = ImportSource.objects.get(site=offers_site, name=COUNCIL_FEED_NAME)
        imported = Service.objects.filter(site=offers_site, origin=Origin.IMPORTED)
        assert imported.count() == MIN_OFFERS * IMPORTED_SHARE
        assert set(imported.values_list("source_id", flat=True)) == {source.pk}
        assert [run.unchanged for run in source.runs.order_by("-started_at")] == [imported.count(), 0]
        assert source.runs.order_by("started_at").first().created == imported.count()  # type: ignore[union-attr]
        withdrawn = Service.objects.get(site=offers_site, curation=Curation.WITHDRAWN)
        assert withdrawn.origin == Origin.IMPORTED and withdrawn.curator_note == WITHDRAWN_REASON
        suggestions = Service.objects.filter(site=offers_site, origin=Origin.SUGGESTION)
        assert Counter(suggestions.values_list("curation", flat=True)) == {
            Curation.SUGGESTED: 3,
            Curation.PUBLISHED: 1,
            Curation.DECLINED: 1,
        }
        assert all(s.suggested_by_id for s in suggestions)
        declined = suggestions.get(curation=Curation.DECLINED)
        assert declined.curator_note and declined.curated_by_id
        assert suggestions.filter(organization__informal=True).count() == 4
        assert Service.objects.filter(site=offers_site, curation=Curation.PUBLISHED).count() == MIN_OFFERS
        held = write_council_feed(site=offers_site, folder=tmp_path / "feed")
        assert held == imported.count()
        run = oruk_import(location=str(tmp_path / "feed"), site=offers_site)
        assert (run.created, run.updated, run.unchanged, run.rejected) == (0, 0, held, 0)

    def test_offers_have_positions_in_the_borough(self, offers_site: Site):
        physical = Location.objects.filter(services_here__service__site=offers_site, location_type="physical")
        assert physical.count() >= MIN_OFFERS * 0.9
        placed = physical.exclude(lat=None)
        assert placed.count() == physical.count()  # those without coordinates are placed by their postcode
        assert physical.filter(placed_by="postcode").exists()
        for lat, lng in placed.values_list("lat", "lng"):
            assert lat is not None and lng is not None
            assert LAT[0] < lat < LAT[1] and LNG[0] < lng < LNG[1]
        assert Location.objects.filter(location_type="virtual").exists()

    def test_a_sample_served_through_the_api_is_valid(self, offers_site: Site, client: Client, compiled_validator: Any):
        validator = compiled_validator("service")
        for service in Service.objects.filter(site=offers_site, curation=Curation.PUBLISHED).order_by("id")[:25]:
            response = client.get(f"/oruk/services/{service.pk}")
            assert response.status_code == 200
            assert errors_of(validator, response.json()) == []

    def test_connections_are_consistent(self, offers_site: Site):
        connections = list(
            Connection.objects.filter(service__site=offers_site)
            .select_related("person__locality")
            .prefetch_related("steps")
        )
        assert len(connections) > 20
        stages = Counter(c.stage for c in connections)
        assert set(stages) == set(ConnectionStage.values)
        flow = [
            ConnectionStage.SUGGESTED,
            ConnectionStage.INTRODUCED,
            ConnectionStage.WENT,
            ConnectionStage.STILL_GOING,
        ]
        for connection in connections:
            steps = list(connection.steps.all())
            assert [s.at for s in steps] == sorted(s.at for s in steps)
            assert len({s.at for s in steps}) == len(steps)
            assert steps[0].stage == ConnectionStage.SUGGESTED
            assert steps[-1].stage == connection.stage
            assert steps[-1].at.date() < TODAY
            assert connection.created_at == steps[0].at
            if connection.stage == ConnectionStage.DID_NOT_SUIT:
                assert connection.why_not
                assert connection.follow_up_on is None
                assert [s.stage for s in steps[:-1]] == flow[: len(steps) - 1]
            else:
                assert not connection.why_not
                assert [s.stage for s in steps] == flow[: len(steps)]
                assert connection.follow_up_on is not None and connection.follow_up_on > steps[-1].at.date()
        # Follow-ups: most are coming up, some are due or overdue (the worker's list of what to chase).
        followed = [c for c in connections if c.follow_up_on is not None]
        due = [c for c in followed if c.follow_up_on is not None and c.follow_up_on <= TODAY]
        assert 0 < len(due) < len(followed) * 0.4
        # Connections are to offers near the person: in their own locality, but for the few online ones.
        near = [
            locality_of(display_postcode(postcode)) == LOCALITY_NAMES.index(c.person.locality.name)
            for c in connections
            if c.person.locality_id
            for postcode in c.service.at_locations.filter(location__location_type="physical").values_list(
                "location__postcode", flat=True
            )[:1]
        ]
        assert len(near) > len(connections) * 0.8
        assert sum(near) > len(near) * 0.9
        assert ConnectionStep.objects.filter(connection__service__site=offers_site).count() > len(connections)

    def test_the_demo_person_has_connections_and_gaps_are_recorded(self, offers_site: Site):
        person = Person.objects.get(site=offers_site, user__email=demo_sign_in(None).email)
        theirs = Connection.objects.filter(person=person)
        assert {c.stage for c in theirs} == {
            ConnectionStage.STILL_GOING,
            ConnectionStage.INTRODUCED,
            ConnectionStage.DID_NOT_SUIT,
        }
        gaps = Gap.objects.filter(site=offers_site)
        assert gaps.count() >= 5
        assert all(g.need and g.term_id and g.locality_id for g in gaps)


def _directory_rows() -> dict[str, object]:
    """Every row the directory holds, without the times of writing and the slots' serial ids."""

    def rows(model: Any, *order: str, leave_out: tuple[str, ...] = ("created_at", "updated_at")) -> list[Any]:
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in leave_out]
        return list(model.objects.order_by(*order).values_list(*names))

    return {
        "services": rows(Service, "id"),
        "organizations": rows(Organization, "id"),
        "locations": rows(Location, "id"),
        "at locations": rows(ServiceAtLocation, "id"),
        "taxonomies": rows(Taxonomy, "id"),
        "terms": rows(TaxonomyTerm, "id"),
        "slots": rows(OpeningSlot, "service_id", "service_at_location_id", "weekday", "opens", leave_out=("id",)),
        "links": rows(Service.terms.through, "service_id", "taxonomyterm_id", leave_out=("id",)),
    }


@pytest.mark.django_db
def test_the_bulk_save_writes_the_same_rows_as_save_service(cast: Any):
    synthetic_postcodes_load()
    places = _places(list(Postcode.objects.values_list("code", "lat", "lng").order_by("code")))
    documents = [d for d, _, _ in offer_documents(count=120, seed=13, places=places, today=TODAY)]
    site = cast.site
    before = Service.objects.count()  # the module's site may be there too: its rows are compared as well
    assert any("latitude" not in sal["location"] for d in documents for sal in d["service_at_locations"])
    with transaction.atomic():
        for document in documents:
            save_service(document=document, site=site, origin=Origin.STAFF, curation=Curation.PUBLISHED)
        one_by_one = _directory_rows()
        transaction.set_rollback(True)
    with transaction.atomic():
        save_new_services(documents=documents, site=site)
        in_bulk = _directory_rows()
        transaction.set_rollback(True)
    for table, expected in one_by_one.items():
        assert in_bulk[table] == expected, table
    assert len(one_by_one["services"]) == before + 120  # type: ignore[arg-type]
    assert len(one_by_one["slots"]) > 100  # type: ignore[arg-type]
