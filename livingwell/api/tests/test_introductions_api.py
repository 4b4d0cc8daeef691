"""POST /api/v1/introductions and GET /api/v1/introductions/{id}, as a partner system uses them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from livingwell.access.models import Introduction, IntroductionState, Source
from livingwell.api import services
from livingwell.audit.models import Action, AuditEvent, Basis
from livingwell.conftest import Cast
from livingwell.network.models import Organisation, Sector
from livingwell.people.models import Person
from livingwell.people.nhs_number import check_digit

URL = "/api/v1/introductions"
# One client for the module: each new client loads the middleware again (WhiteNoise scans every static file).
API = Client()


def nhs_number(start: int) -> str:
    """The first valid NHS number from nine digits upwards (so that tests never collide with the cast's)."""
    while True:
        first = f"{start:09d}"
        digit = check_digit(first)
        if digit is not None:
            return f"{first}{digit}"
        start += 1


def body(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "source": "gp",
        "person": {
            "given_name": "Amara",
            "family_name": "Okafor",
            "date_of_birth": "1984-03-15",
            "nhs_number": nhs_number(401023456),
            "phone": "07700 900982",
            "email": "amara@example.com",
            "address_line_1": "12 Acre Lane",
            "town": "London",
            "postcode": "sw2 5sg",
            "first_language": "Yoruba",
            "interpreter_needed": True,
            "may_phone": True,
            "may_text": True,
            "contact_times": "Weekday mornings",
        },
        "in_their_words": "I haven't slept since I lost my job.\n<b>Not</b> bold & not safe? No: just tired.",
        "unsafe_now": "no",
        "urgent": False,
        "person_aware": "agrees",
        "agrees_to_share": True,
        "preferred_places": ["cafe", "phone"],
        "worker_preferences": ["peer", "woman"],
        "introducer": {"name": "Dr Priya Shah", "role": "GP", "phone": "020 7946 0991", "email": "priya@nhs.net"},
        "locality": "north",
    }
    for path, value in changes.items():
        target = base
        *parents, last = path.split("__")
        for parent in parents:
            target = target[parent]
        if value is ...:
            target.pop(last, None)
        else:
            target[last] = value
    return base


@pytest.fixture
def practice(cast: Cast) -> Organisation:
    return Organisation.objects.create(site=cast.site, name="Brixton Hill Group Practice", sector=Sector.PRIMARY_CARE)


@pytest.fixture
def token(cast: Cast, practice: Organisation) -> str:
    return services.api_token_create(actor=cast.site_admin, organisation=practice, name="EMIS").secret


@pytest.fixture
def other_token(cast: Cast) -> str:
    return services.api_token_create(actor=cast.site_admin, organisation=cast.housing, name="Housing CRM").secret


Post = Callable[..., Any]


@pytest.fixture
def post(token: str) -> Post:
    def _post(data: Any, *, key: str | None = "key-1", as_token: str | None = None, raw: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {as_token or token}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        content = raw if raw is not None else json.dumps(data)
        return API.post(URL, content, content_type="application/json", headers=headers)

    return _post


def fields_named(response: Any) -> set[str]:
    assert response.status_code == 422, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 422 and problem["title"]
    return {e["field"] for e in problem["errors"]}


# Signing in ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", [None, "Bearer lw_deadbeef_wrong", "Token abc"])
def test_no_token_or_a_bad_one_is_401_problem_json(cast: Cast, header: str | None) -> None:
    headers = {"Idempotency-Key": "k"} | ({"Authorization": header} if header else {})
    response = API.post(URL, json.dumps(body()), content_type="application/json", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 401
    assert not Introduction.objects.filter(introducing_organisation__isnull=False).exists()


def test_a_revoked_token_is_401(cast: Cast, practice: Organisation, post: Post, token: str) -> None:
    services.api_token_revoke(actor=cast.site_admin, token=practice.api_tokens.get())
    response = post(body())
    assert response.status_code == 401
    assert not Introduction.objects.filter(introducing_organisation=practice).exists()


# The Idempotency-Key header --------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "", "   ", "x" * 201, "caf\u00e9"])
def test_an_idempotency_key_is_needed(practice: Organisation, post: Post, key: str | None) -> None:
    response = post(body(), key=key)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert "Idempotency-Key" in problem["title"]
    assert problem["errors"] == [{"field": "Idempotency-Key", "message": problem["title"]}]
    assert not Introduction.objects.filter(introducing_organisation=practice).exists()


# Making an introduction ----------------------------------------------------------------------------


def test_an_introduction_is_made_with_everything_sent(cast: Cast, practice: Organisation, post: Post) -> None:
    sent = body()
    response = post(sent)
    assert response.status_code == 201, response.content
    introduction = Introduction.objects.get(introducing_organisation=practice)
    assert response.json() == {
        "id": str(introduction.pk),
        "reference": introduction.reference,
        "state": "new",
        "urgent": False,
        "introduced_at": response.json()["introduced_at"],
    }
    assert response["Location"] == f"/api/v1/introductions/{introduction.pk}"
    assert "Idempotent-Replayed" not in response
    assert introduction.source == Source.GP
    assert introduction.site == cast.site
    assert introduction.introduced_by is None
    assert introduction.locality is not None and introduction.locality.name == "North"
    assert introduction.in_their_words == sent["in_their_words"]
    assert introduction.unsafe_now == "no" and introduction.person_aware == "agrees"
    assert introduction.agrees_to_contact and introduction.agrees_to_share
    assert introduction.preferred_places == ["cafe", "phone"]
    assert introduction.worker_preferences == ["peer", "woman"]
    assert (introduction.introducer_name, introduction.introducer_relationship) == ("Dr Priya Shah", "GP")
    assert (introduction.introducer_phone, introduction.introducer_email) == ("020 7946 0991", "priya@nhs.net")
    assert abs(introduction.introduced_at - timezone.now()) < dt.timedelta(minutes=1)
    person = introduction.person
    assert (person.given_name, person.family_name) == ("Amara", "Okafor")
    assert person.date_of_birth == dt.date(1984, 3, 15)
    assert person.nhs_number == sent["person"]["nhs_number"]
    assert person.postcode == "SW2 5SG"
    assert (person.phone, person.email, person.town) == ("07700 900982", "amara@example.com", "London")
    assert person.first_language == "Yoruba" and person.interpreter_needed
    assert person.may_phone and person.may_text and not person.may_email
    created = AuditEvent.objects.get(action=Action.CREATE, person_id=person.pk, detail__introduction__isnull=False)
    assert created.detail["organisation"] == "Brixton Hill Group Practice"
    assert created.actor is None


def test_a_historical_introduction_keeps_its_date(practice: Organisation, post: Post) -> None:
    response = post(body(introduced_at="2024-05-01T09:30:00+01:00"))
    assert response.status_code == 201, response.content
    introduction = Introduction.objects.get(introducing_organisation=practice)
    assert introduction.introduced_at == dt.datetime(2024, 5, 1, 8, 30, tzinfo=dt.UTC)
    assert response.json()["introduced_at"].startswith("2024-05-01T08:30:00")
    assert introduction.events.get().occurred_at == introduction.introduced_at


def test_unsafe_now_makes_it_urgent(practice: Organisation, post: Post) -> None:
    response = post(body(unsafe_now="yes"))
    assert response.status_code == 201 and response.json()["urgent"] is True


def test_the_source_defaults_from_the_kind_of_organisation(cast: Cast, post: Post, other_token: str) -> None:
    response = post(body(source=...), as_token=other_token)
    assert response.status_code == 201, response.content
    assert Introduction.objects.get(introducing_organisation=cast.housing).source == Source.HOUSING


def test_someone_we_know_by_nhs_number_joins_their_record(cast: Cast, practice: Organisation, post: Post) -> None:
    people = Person.objects.count()
    response = post(body(person__nhs_number="943 476 5919"))
    assert response.status_code == 201, response.content
    assert Introduction.objects.get(introducing_organisation=practice).person == cast.person
    assert Person.objects.count() == people


# Retries -----------------------------------------------------------------------------------------------


def test_a_retry_gives_back_the_same_introduction_and_makes_nothing(practice: Organisation, post: Post) -> None:
    first = post(body(), key="retry-1")
    counts = (Introduction.objects.count(), Person.objects.count())
    # The same JSON in another layout and key order is the same body.
    again = post(None, key="retry-1", raw=json.dumps(body(), indent=2, sort_keys=True))
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert (Introduction.objects.count(), Person.objects.count()) == counts
    replayed = AuditEvent.objects.get(action=Action.VIEW, detail__replayed=True)
    assert replayed.basis == Basis.INTRODUCER


def test_a_retry_shows_where_the_introduction_is_now(practice: Organisation, post: Post) -> None:
    first = post(body(), key="retry-2")
    Introduction.objects.filter(pk=first.json()["id"]).update(state=IntroductionState.CONTACTING)
    again = post(body(), key="retry-2")
    assert again.json()["id"] == first.json()["id"] and again.json()["state"] == "contacting"


def test_the_same_key_with_a_different_body_is_refused(practice: Organisation, post: Post) -> None:
    post(body(), key="retry-3")
    response = post(body(person__given_name="Someone else"), key="retry-3")
    assert fields_named(response) == {"Idempotency-Key"}
    assert response.json()["type"].endswith("/idempotency-key-reused")
    assert Introduction.objects.filter(introducing_organisation=practice).count() == 1


def test_keys_belong_to_each_organisation(cast: Cast, practice: Organisation, post: Post, other_token: str) -> None:
    assert post(body(), key="shared").status_code == 201
    assert post(body(), key="shared", as_token=other_token).status_code == 201
    assert Introduction.objects.filter(introducing_organisation__in=[practice, cast.housing]).count() == 2


def test_a_long_key_is_kept_safely(practice: Organisation, post: Post) -> None:
    key = "k" * 200
    assert post(body(), key=key).status_code == 201
    again = post(body(), key=key)
    assert again["Idempotent-Replayed"] == "true"
    introduction = Introduction.objects.get(introducing_organisation=practice)
    assert introduction.submission_key is not None and len(introduction.submission_key) <= 200


# Invalid input: problem JSON naming each field ------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"person__postcode": "SW1"}, "person.postcode"),
        ({"person__nhs_number": "943 476 5918"}, "person.nhs_number"),
        ({"person__nhs_number": "12345"}, "person.nhs_number"),
        ({"person__date_of_birth": "1984-02-30"}, "person.date_of_birth"),
        ({"person__date_of_birth": "15/03/1984"}, "person.date_of_birth"),
        ({"person__date_of_birth": "2999-01-01"}, "person.date_of_birth"),
        ({"person__date_of_birth": 446083200}, "person.date_of_birth"),
        ({"person__email": "not an email"}, "person.email"),
        ({"person__phone": "call me"}, "person.phone"),
        ({"person__given_name": "   "}, "person.given_name"),
        ({"person__given_name": ...}, "person.given_name"),
        ({"person__given_name": "A" * 101}, "person.given_name"),
        ({"person__family_name": "Nul\u0000"}, "person.family_name"),
        ({"person__nickname": "Ami"}, "person.nickname"),
        ({"person": ...}, "person"),
        ({"person_aware": ...}, "person_aware"),
        ({"person_aware": "maybe"}, "person_aware"),
        ({"source": "self"}, "source"),
        ({"source": "family_friend"}, "source"),
        ({"urgent": "yes"}, "urgent"),
        ({"preferred_places": ["the moon"]}, "preferred_places.0"),
        ({"in_their_words": "x" * 5001}, "in_their_words"),
        ({"introducer__email": "nope"}, "introducer.email"),
        ({"locality": "Atlantis"}, "locality"),
        ({"introduced_at": "2999-01-01T00:00:00+00:00"}, "introduced_at"),
        ({"introduced_at": "2024-05-01T09:30:00"}, "introduced_at"),
        ({"introduced_at": "1999-12-31T23:00:00+00:00"}, "introduced_at"),
        ({"introduced_at": 1714552200}, "introduced_at"),
        ({"referral_reason": "low mood"}, "referral_reason"),
    ],
)
def test_invalid_fields_are_named(practice: Organisation, post: Post, changes: dict[str, Any], field: str) -> None:
    response = post(body(**changes))
    assert fields_named(response) == {field}
    assert all(e["message"] for e in response.json()["errors"])
    assert not Introduction.objects.filter(introducing_organisation=practice).exists()


def test_every_invalid_field_is_named_at_once(practice: Organisation, post: Post) -> None:
    response = post(
        body(person__postcode="nowhere", person__nhs_number="1", person__date_of_birth="yesterday", urgent=1, extra=2)
    )
    assert fields_named(response) == {
        "person.postcode",
        "person.nhs_number",
        "person.date_of_birth",
        "urgent",
        "extra",
    }


@pytest.mark.parametrize("raw", ["", "not json", "[]", '"text"', "null", "{"])
def test_a_body_that_is_not_an_object_is_refused(practice: Organisation, post: Post, raw: str) -> None:
    response = post(None, raw=raw)
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Introduction.objects.filter(introducing_organisation=practice).exists()


# Reading what happened ------------------------------------------------------------------------------


def test_the_organisation_sees_what_happened_and_nothing_more(practice: Organisation, post: Post, token: str) -> None:
    made = post(body()).json()
    introduction = Introduction.objects.get(pk=made["id"])
    met = timezone.now() - dt.timedelta(hours=1)
    Introduction.objects.filter(pk=introduction.pk).update(
        introduced_at=met - dt.timedelta(days=5), state=IntroductionState.MET, first_conversation_at=met
    )
    response = API.get(made and f"{URL}/{made['id']}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    status = response.json()
    assert set(status) == {"id", "reference", "state", "introduced_at", "first_conversation_at"}
    assert status["reference"] == introduction.reference and status["state"] == "met"
    assert status["first_conversation_at"] == timezone.localtime(met).date().isoformat()
    assert "Amara" not in response.content.decode()
    event = AuditEvent.objects.get(action=Action.VIEW, person_id=introduction.person_id, detail__replayed__isnull=True)
    assert event.basis == Basis.INTRODUCER
    assert event.detail == {"api_token": token.split("_")[1], "organisation": "Brixton Hill Group Practice"}


def test_another_organisation_gets_404(practice: Organisation, post: Post, other_token: str, cast: Cast) -> None:
    made = post(body()).json()
    for url in (f"{URL}/{made['id']}", f"{URL}/{cast.newcomer.introductions.get().pk}"):
        response = API.get(url, headers={"Authorization": f"Bearer {other_token}"})
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/problem+json")
    assert not AuditEvent.objects.filter(action=Action.VIEW, basis=Basis.INTRODUCER).exists()


def test_an_unknown_or_malformed_id_is_404(token: str) -> None:
    for url in (f"{URL}/00000000-0000-0000-0000-000000000000", f"{URL}/not-an-id"):
        response = API.get(url, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/problem+json")


def test_reading_needs_a_token(practice: Organisation, post: Post) -> None:
    made = post(body()).json()
    assert API.get(f"{URL}/{made['id']}").status_code == 401


# The OpenAPI document ---------------------------------------------------------------------------------


def test_the_openapi_document_describes_both_operations(db: None) -> None:
    document = API.get("/api/v1/openapi.json").json()
    create = document["paths"]["/api/v1/introductions"]["post"]
    read = document["paths"]["/api/v1/introductions/{introduction_id}"]["get"]
    header = [p for p in create["parameters"] if p["in"] == "header"]
    assert [(p["name"], p["required"]) for p in header] == [("Idempotency-Key", True)]
    schemes = document["components"]["securitySchemes"]
    for operation in (create, read):
        (requirement,) = operation["security"]
        (scheme,) = requirement
        assert schemes[scheme] | {"type": "http", "scheme": "bearer"} == schemes[scheme]
    assert {"201", "400", "401", "422"} <= set(create["responses"])
    assert {"200", "404"} <= set(read["responses"])
    schema = document["components"]["schemas"]["IntroductionIn"]
    assert schema["additionalProperties"] is False
    assert "person_aware" in schema["required"] and "person" in schema["required"]
    assert "introduced_at" in schema["properties"] and schema["examples"]
    person = document["components"]["schemas"]["PersonIn"]
    assert person["required"] == ["given_name"] and person["properties"]["postcode"]["description"]
    status = document["components"]["schemas"]["IntroductionStatusOut"]
    assert set(status["properties"]) == {"id", "reference", "state", "introduced_at", "first_conversation_at"}
