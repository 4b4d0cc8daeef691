"""Local curation: staff add and change offers, people suggest them, curators publish, decline, take out
and put back. The offer form's document is valid ORUK 3.0 and survives a round trip through the form;
who may do what; no lost updates; and offers that are not published are never found, served or shown."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from jsonschema import Draft202012Validator

from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.community import curation
from livingwell.community.curation import OfferAnswers, Slot
from livingwell.community.documents import save_service
from livingwell.community.forms_curation import OfferForm
from livingwell.community.imports import oruk_import
from livingwell.community.models import (
    Curation,
    ImportSource,
    Location,
    OpeningSlot,
    Organization,
    Origin,
    Postcode,
    Service,
    TaxonomyTerm,
)
from livingwell.community.search import OfferFilters, category_choices, offer_search
from livingwell.community.tests.conftest import errors_of
from livingwell.community.tests.test_search import WALKING, add, document, uid, weekly
from livingwell.core.concurrency import EditConflict
from livingwell.core.errors import DomainError
from livingwell.network.models import Organisation, Role, Sector, Site
from livingwell.testing import Cast, make_member, refresh_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 10, 30, tzinfo=dt.UTC)


def walking_group(**changes: Any) -> OfferAnswers:
    answers = OfferAnswers(
        name="Brockwell Park walking group",
        organisation="Brockwell Walkers",
        informal=True,
        description="A gentle walk round the park, then tea. Everyone welcome.",
        venue="Brockwell Park",
        address_1="Dulwich Road gate",
        town="London",
        postcode="sw9 8ab",
        slots=(Slot(day=1, opens=dt.time(10), closes=dt.time(11, 30)),),
        other_times="A longer walk on the first Saturday of the month",
        cost=curation.COST_FREE,
        languages=("English", "Polish"),
        accessibility="Flat paths, benches every few minutes",
        minimum_age=18,
        phone="020 7946 0000",
        email="walk@example.org",
        website="https://walkers.example.org",
    )
    return OfferAnswers(**{**answers.__dict__, **changes})


@pytest.fixture
def brixton(cast: Cast) -> Postcode:
    return Postcode.objects.create(code="SW98AB", lat=51.4613, lng=-0.1156)


@pytest.fixture
def walking_term(cast: Cast) -> TaxonomyTerm:
    """A category that a listed offer uses, so that the form offers it."""
    add(cast.site, document("Walking football", terms=(WALKING,)))
    return TaxonomyTerm.objects.get(pk=WALKING)


def fresh(user: Any) -> Any:
    return refresh_user(user)


def visible_in_search(site: Site, name: str) -> bool:
    return name in [h.service.name for h in offer_search(site=site, filters=OfferFilters(), per_page=100).items]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def invisible_everywhere(service: Service, *, person: Any) -> None:
    """Not in the search, not on the offer page for someone who is not a curator, and not in /oruk/."""
    assert not visible_in_search(service.site, service.name)
    assert client_for(person).get(f"/community/offers/{service.pk}/").status_code == 404
    anonymous = Client()
    assert anonymous.get(f"/oruk/services/{service.pk}").status_code == 404
    listed = anonymous.get("/oruk/services", {"per_page": 100}).json()
    assert service.pk not in [s["id"] for s in listed["contents"]]
    sals = anonymous.get("/oruk/service_at_locations", {"per_page": 100}).json()
    assert service.pk not in [s["service_id"] for s in sals["contents"]]


# --------------------------------------------------------------------------------------------------
# The document and the form
# --------------------------------------------------------------------------------------------------


def test_the_form_makes_a_valid_oruk_document_that_round_trips_through_the_form(
    cast: Cast, walking_term: TaxonomyTerm, compiled_validator: Callable[[str], Draft202012Validator]
) -> None:
    answers = walking_group(categories=(WALKING,))
    doc = curation.document_from_form(answers, site=cast.site, now=NOW)

    assert errors_of(compiled_validator("service"), doc) == []
    assert doc["organization"]["name"] == "Brockwell Walkers"
    address = doc["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["postal_code"], address["city"], address["address_1"]) == ("SW9 8AB", "London", "Dulwich Road gate")
    assert doc["schedules"][0] == {
        "id": doc["schedules"][0]["id"],
        "freq": "WEEKLY",
        "byday": "TU",
        "opens_at": "10:00:00",
        "closes_at": "11:30:00",
    }
    assert doc["schedules"][1]["description"] == "A longer walk on the first Saturday of the month"
    assert doc["attributes"][0]["taxonomy_term"]["id"] == WALKING
    assert doc["last_modified"] == "2026-03-02T10:30:00.000Z"

    service, _ = save_service(document=doc, site=cast.site, origin=Origin.STAFF, curation=Curation.PUBLISHED)
    Organization.objects.filter(pk=service.organization_id).update(informal=True)
    initial = curation.form_initial_from_document(service.document)
    form = OfferForm(
        {k: v for k, v in initial.items() if v not in (None, False)}, categories=category_choices(cast.site)
    )
    assert form.is_valid(), form.errors
    assert form.answers().informal is True
    again = curation.document_from_form(form.answers(), site=cast.site, existing=service.document, now=NOW)
    assert again == service.document  # the same document: every id kept, nothing changed


def test_an_online_offer_with_a_charge_has_no_address_and_costs_money(
    cast: Cast, compiled_validator: Callable[[str], Draft202012Validator]
) -> None:
    answers = walking_group(
        online=True, address_1="", town="", postcode="", venue="", cost="charge", charge="£3 a call"
    )
    doc = curation.document_from_form(answers, site=cast.site, now=NOW)
    assert errors_of(compiled_validator("service"), doc) == []
    location = doc["service_at_locations"][0]["location"]
    assert location["location_type"] == "virtual" and "addresses" not in location
    assert doc["cost_options"][0]["amount"] == 3
    service, _ = save_service(document=doc, site=cast.site, origin=Origin.STAFF, curation=Curation.PUBLISHED)
    assert service.is_free is False
    initial = curation.form_initial_from_document(service.document)
    assert (initial["online"], initial["cost"], initial["charge"]) == (True, "charge", "£3 a call")


def test_an_edit_keeps_every_id_and_what_the_form_does_not_show(cast: Cast) -> None:
    doc = curation.document_from_form(walking_group(), site=cast.site, now=NOW)
    doc["service_areas"] = [{"id": uid(), "name": "Lambeth"}]
    doc["schedules"].append({"id": uid(), "freq": "MONTHLY", "byday": "1SA", "opens_at": "14:00", "closes_at": "16:00"})
    changed = curation.document_from_form(
        walking_group(name="Brockwell walkers"), site=cast.site, existing=doc, now=NOW
    )
    assert changed["name"] == "Brockwell walkers"
    assert {k: v for k, v in changed.items() if k != "name"} == {k: v for k, v in doc.items() if k != "name"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"address_1": ""}, "address_1"),
        ({"postcode": "not a postcode"}, "postcode"),
        ({"slots": (Slot(day=0, opens=dt.time(12), closes=dt.time(11)),)}, "slot_1_closes"),
        ({"cost": "charge", "charge": ""}, "charge"),
        ({"minimum_age": 30, "maximum_age": 20}, "maximum_age"),
    ],
)
def test_the_services_turn_away_bad_answers(cast: Cast, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(DomainError) as error:
        curation.offer_add(actor=fresh(cast.coordinator), site=cast.site, answers=walking_group(**changes))
    assert error.value.field == field
    assert not Service.objects.exists()


# --------------------------------------------------------------------------------------------------
# Adding, suggesting and reviewing
# --------------------------------------------------------------------------------------------------


def test_staff_add_an_offer_straight_into_the_directory_placed_by_its_postcode(cast: Cast, brixton: Postcode) -> None:
    service = curation.offer_add(actor=fresh(cast.team_worker), site=cast.site, answers=walking_group())

    service.refresh_from_db()
    assert (service.origin, service.curation, service.curated_by) == (
        Origin.STAFF,
        Curation.PUBLISHED,
        cast.team_worker,
    )
    assert service.is_free is True
    assert service.organization is not None and service.organization.informal
    location = Location.objects.get(services_here__service=service)
    assert (location.lat, location.lng, location.placed_by) == (brixton.lat, brixton.lng, "postcode")
    assert list(OpeningSlot.objects.filter(service=service).values_list("weekday", "opens")) == [(1, dt.time(10))]
    assert visible_in_search(cast.site, "Brockwell Park walking group")
    hits = offer_search(site=cast.site, filters=OfferFilters(text="tea", free_only=True, language="polish"))
    assert [h.service.pk for h in hits.items] == [service.pk]
    event = AuditEvent.objects.get(action=Action.NETWORK_CHANGE, outcome=Outcome.ALLOWED)
    assert event.person_id is None and event.actor == cast.team_worker
    assert event.detail["what"] == "added" and event.detail["id"] == service.pk


def test_an_organisation_of_the_same_name_is_reused(cast: Cast) -> None:
    first = curation.offer_add(actor=fresh(cast.coordinator), site=cast.site, answers=walking_group())
    second = curation.offer_add(
        actor=fresh(cast.coordinator),
        site=cast.site,
        answers=walking_group(name="Norwood walk", organisation="brockwell walkers"),
    )
    assert second.organization_id == first.organization_id
    assert Organization.objects.count() == 1


@pytest.mark.parametrize("who", ["person_user", "analyst", "stranger", "privacy_officer"])
def test_people_who_are_not_staff_cannot_add_directly(cast: Cast, who: str) -> None:
    actor = fresh(getattr(cast, who))
    with pytest.raises(AccessRefused):
        curation.offer_add(actor=actor, site=cast.site, answers=walking_group())
    assert not Service.objects.exists()
    refused = AuditEvent.objects.get(action=Action.NETWORK_CHANGE, outcome=Outcome.REFUSED)
    assert refused.actor == actor


def test_a_suggestion_waits_unseen_then_is_published(cast: Cast) -> None:
    service = curation.offer_suggest(actor=fresh(cast.person_user), site=cast.site, answers=walking_group())
    assert (service.origin, service.curation, service.suggested_by) == (
        Origin.SUGGESTION,
        Curation.SUGGESTED,
        cast.person_user,
    )
    invisible_everywhere(service, person=cast.person_user)
    assert client_for(cast.team_worker).get(f"/community/offers/{service.pk}/").status_code == 404  # not a curator
    assert [s.pk for s in curation.waiting(cast.site)] == [service.pk]

    curation.suggestion_publish(actor=fresh(cast.coordinator), service_id=service.pk, expected_version=service.version)

    service.refresh_from_db()
    assert (service.curation, service.curated_by) == (Curation.PUBLISHED, cast.coordinator)
    assert visible_in_search(cast.site, service.name)
    assert Client().get(f"/oruk/services/{service.pk}").status_code == 200
    assert [s.curation for s in curation.suggestions_of(cast.person_user)] == [Curation.PUBLISHED]


def test_a_declined_suggestion_says_why_to_the_person_who_suggested_it(cast: Cast) -> None:
    service = curation.offer_suggest(actor=fresh(cast.analyst), site=cast.site, answers=walking_group())
    with pytest.raises(DomainError) as error:
        curation.suggestion_decline(actor=fresh(cast.site_admin), service_id=service.pk, note="  ")
    assert error.value.field == "note"

    curation.suggestion_decline(
        actor=fresh(cast.site_admin), service_id=service.pk, note="It stopped meeting last year."
    )

    mine = curation.suggestions_of(cast.analyst)
    assert [(s.curation, s.curator_note) for s in mine] == [(Curation.DECLINED, "It stopped meeting last year.")]
    invisible_everywhere(service, person=cast.person_user)
    with pytest.raises(DomainError):  # it is no longer waiting
        curation.suggestion_decline(actor=fresh(cast.site_admin), service_id=service.pk, note="Again")


def test_publishing_what_changed_after_the_curator_opened_it_is_refused(cast: Cast) -> None:
    service = curation.offer_suggest(actor=fresh(cast.person_user), site=cast.site, answers=walking_group())
    opened = service.version
    curation.offer_change(
        actor=fresh(cast.team_worker),
        service_id=service.pk,
        answers=walking_group(description="Now with a picnic"),
        expected_version=opened,
    )
    with pytest.raises(DomainError) as error:
        curation.suggestion_publish(actor=fresh(cast.coordinator), service_id=service.pk, expected_version=opened)
    assert error.value.code == "offer_moved_on"
    assert Service.objects.get(pk=service.pk).curation == Curation.SUGGESTED


@pytest.mark.parametrize("who", ["person_user", "team_worker", "team_leader", "analyst"])
def test_only_curators_publish_decline_or_take_out(cast: Cast, who: str) -> None:
    service = curation.offer_suggest(actor=fresh(cast.person_user), site=cast.site, answers=walking_group())
    actor = fresh(getattr(cast, who))
    with pytest.raises(AccessRefused):
        curation.suggestion_publish(actor=actor, service_id=service.pk)
    with pytest.raises(AccessRefused):
        curation.suggestion_decline(actor=actor, service_id=service.pk, note="No")
    assert Service.objects.get(pk=service.pk).curation == Curation.SUGGESTED
    assert AuditEvent.objects.filter(actor=actor, outcome=Outcome.REFUSED, action=Action.NETWORK_CHANGE).count() == 2


def test_a_curator_of_another_site_cannot_curate_this_one(cast: Cast) -> None:
    other = Site.objects.create(name="Southwark", slug="southwark")
    council = Organisation.objects.create(site=other, name="Southwark Council", sector=Sector.LOCAL_AUTHORITY)
    coordinator = make_member(other, council, Role.HUB_COORDINATOR)
    service = curation.offer_suggest(actor=fresh(cast.person_user), site=cast.site, answers=walking_group())
    assert curation.can_curate(coordinator, other) and not curation.can_curate(coordinator, cast.site)
    with pytest.raises(AccessRefused):
        curation.suggestion_publish(actor=fresh(coordinator), service_id=service.pk)
    with pytest.raises(AccessRefused):
        curation.offer_change(
            actor=fresh(coordinator), service_id=service.pk, answers=walking_group(), expected_version=service.version
        )


def test_who_is_staff_and_who_curates(cast: Cast) -> None:
    staff = {"team_worker", "allocated_worker", "consent_worker", "coordinator", "site_admin", "psychiatrist"}
    for who in (*staff, "person_user", "analyst", "privacy_officer", "stranger"):
        user = fresh(getattr(cast, who))
        assert curation.is_staff(user, cast.site) == (who in staff), who
        assert curation.can_curate(user, cast.site) == (who in ("coordinator", "site_admin")), who


# --------------------------------------------------------------------------------------------------
# Changing, and no lost updates
# --------------------------------------------------------------------------------------------------


def test_two_staff_changing_an_offer_at_once_get_a_conflict_with_both_versions(cast: Cast) -> None:
    service = curation.offer_add(actor=fresh(cast.coordinator), site=cast.site, answers=walking_group())
    opened = service.version
    curation.offer_change(
        actor=fresh(cast.team_worker),
        service_id=service.pk,
        answers=walking_group(description="Now meets at the lido"),
        expected_version=opened,
    )
    with pytest.raises(EditConflict) as error:
        curation.offer_change(
            actor=fresh(cast.team_leader),
            service_id=service.pk,
            answers=walking_group(description="Now meets at the cafe"),
            expected_version=opened,
        )
    conflict = error.value
    field = next(f for f in conflict.fields if f.label == "What happens there")
    assert (field.theirs, field.mine) == ("Now meets at the lido", "Now meets at the cafe")
    assert conflict.changed_by == "Team Worker"
    assert conflict.current_version == opened + 1
    assert Service.objects.get(pk=service.pk).description == "Now meets at the lido"  # nothing lost


def test_imported_offers_are_not_changed_here(cast: Cast) -> None:
    doc = document("Council debt advice")
    imported, _ = save_service(document=doc, site=cast.site, origin=Origin.IMPORTED, curation=Curation.PUBLISHED)
    with pytest.raises(DomainError) as error:
        curation.offer_change(
            actor=fresh(cast.coordinator), service_id=imported.pk, answers=walking_group(), expected_version=1
        )
    assert error.value.code == "offer_imported"
    assert Service.objects.get(pk=imported.pk).name == "Council debt advice"
    assert not curation.can_change(fresh(cast.coordinator), imported)


# --------------------------------------------------------------------------------------------------
# Taking offers out of the directory
# --------------------------------------------------------------------------------------------------


def test_a_withdrawn_imported_offer_stays_out_when_its_feed_refreshes(cast: Cast, tmp_path: Path) -> None:
    source = ImportSource.objects.create(site=cast.site, name="Lambeth Council directory", location=str(tmp_path))
    doc = document("Council debt advice", place=(51.4620, -0.1150), schedules=(weekly("MO", "10:00", "12:00"),))
    (tmp_path / "services.json").write_text(json.dumps([doc]), encoding="utf-8")
    oruk_import(site=cast.site, location=str(tmp_path), source=source)
    service = Service.objects.get(pk=doc["id"])
    assert service.curation == Curation.PUBLISHED

    with pytest.raises(DomainError):
        curation.offer_withdraw(actor=fresh(cast.coordinator), service_id=service.pk, reason="")
    curation.offer_withdraw(actor=fresh(cast.coordinator), service_id=service.pk, reason="It has closed.")
    invisible_everywhere(service, person=cast.person_user)

    doc["description"] = "Free, confidential debt advice, now on Mondays"
    doc["last_modified"] = timezone.now().isoformat()
    (tmp_path / "services.json").write_text(json.dumps([doc]), encoding="utf-8")
    run = oruk_import(site=cast.site, location=str(tmp_path), source=source)
    assert run.updated == 1
    service.refresh_from_db()
    assert service.curation == Curation.WITHDRAWN  # the refresh changed the words, not the curator's decision
    assert service.description == "Free, confidential debt advice, now on Mondays"
    assert [s.pk for s in curation.recently_withdrawn(cast.site)] == [service.pk]

    curation.offer_restore(actor=fresh(cast.site_admin), service_id=service.pk)
    service.refresh_from_db()
    assert (service.curation, service.curated_by) == (Curation.PUBLISHED, cast.site_admin)
    assert visible_in_search(cast.site, "Council debt advice")
    whats = list(
        AuditEvent.objects.filter(action=Action.NETWORK_CHANGE, outcome=Outcome.ALLOWED).values_list(
            "detail__what", flat=True
        )
    )
    assert sorted(whats) == ["restored", "withdrawn"]


def test_workers_cannot_take_offers_out(cast: Cast) -> None:
    service = curation.offer_add(actor=fresh(cast.coordinator), site=cast.site, answers=walking_group())
    with pytest.raises(AccessRefused):
        curation.offer_withdraw(actor=fresh(cast.team_worker), service_id=service.pk, reason="Closed")
    assert Service.objects.get(pk=service.pk).curation == Curation.PUBLISHED
