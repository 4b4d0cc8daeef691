"""The instruments, scoring and a person's measures through the API, as a partner system uses them."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from livingwell.api import services
from livingwell.api.measures import organisation_access
from livingwell.audit.models import AuditEvent, Basis, Outcome, Part
from livingwell.conftest import Cast
from livingwell.network.models import Organisation, Role, Sector
from livingwell.outcomes.change import change_lines
from livingwell.outcomes.instruments import CODES, Instrument, get_instrument
from livingwell.outcomes.models import CompletedHow, Measure, MeasureSettings, MeasureStatus, Occasion
from livingwell.outcomes.wording import wording_load
from livingwell.support.models import SupportPeriod
from livingwell.testing import make_member, make_person

pytestmark = pytest.mark.django_db

API = Client()  # one client for the module: each new client loads the middleware again


def get(url: str, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return API.get(url, headers=headers)


def post(url: str, body: Any, token: str) -> Any:
    content = body if isinstance(body, str) else json.dumps(body)
    return API.post(url, content, content_type="application/json", headers={"Authorization": f"Bearer {token}"})


def is_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"]
    return body


@pytest.fixture
def practice(cast: Cast) -> Organisation:
    return Organisation.objects.create(site=cast.site, name="Brixton Hill Group Practice", sector=Sector.PRIMARY_CARE)


def token_for(cast: Cast, organisation: Organisation, name: str = "Their system") -> str:
    return services.api_token_create(actor=cast.site_admin, organisation=organisation, name=name).secret


@pytest.fixture
def token(cast: Cast, practice: Organisation) -> str:
    return token_for(cast, practice, "EMIS")


# The instruments -------------------------------------------------------------------------------------------


def test_the_instruments_are_listed_in_the_order_people_meet_them(token: str) -> None:
    response = get("/api/v1/instruments", token)
    assert response.status_code == 200
    listed = response.json()
    assert [i["code"] for i in listed] == list(CODES)
    assert {i["code"]: (i["licensed"], i["measures_change"]) for i in listed} == {
        "dialog": (False, True),
        "gbo": (False, True),
        "swemwbs": (True, True),
        "reqol10": (True, True),
        "experience": (False, False),
    }


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/instruments",
        "/api/v1/instruments/dialog",
        "/api/v1/people/6f1c0e52-0000-4000-8000-000000000000/measures",
    ],
)
def test_every_operation_needs_a_token(url: str) -> None:
    is_problem(get(url, None), 401)
    is_problem(get(url, "lw_deadbeef_nope"), 401)


def test_a_revoked_token_cannot_score(cast: Cast, practice: Organisation) -> None:
    made = services.api_token_create(actor=cast.site_admin, organisation=practice, name="Old")
    services.api_token_revoke(actor=cast.site_admin, token=made.token)
    is_problem(post("/api/v1/instruments/dialog/score", {"answers": {"1": 4}}, made.secret), 401)


def test_dialog_is_given_as_data_with_its_words(cast: Cast, token: str) -> None:
    MeasureSettings.objects.create(site=cast.site, dialog_reliable_change=Decimal("1.5"))
    body = get("/api/v1/instruments/dialog", token).json()
    assert (body["code"], body["version"], body["licensed"]) == ("dialog", "1", False)
    assert body["scale"] == {"min": 1, "max": 7}
    assert [o["value"] for o in body["options"]] == list(range(1, 8))
    assert body["options"][3] == {"value": 4, "label": "In the middle"}
    friendships = body["items"][5]
    assert friendships == {
        "position": 6,
        "key": "friendships",
        "short": "friendships",
        "group": "life",
        "required": False,
        "reverse": False,
        "min": 1,
        "max": 7,
        "snomed": "1037701000000108",
        "snomed_term": friendships["snomed_term"],
        "text": "How satisfied are you with your friendships?",
        "options": None,
    }
    assert body["scoring"]["total_items"] is None and body["scoring"]["metric_table"] is False
    assert [s["key"] for s in body["scoring"]["subscales"]] == ["quality_of_life", "treatment_satisfaction"]
    assert body["scoring"]["subscales"][1]["items"] == ["medication", "practical_help", "meetings"]
    assert body["change"] == {
        "on": "items",
        "also": ["quality_of_life", "treatment_satisfaction"],
        "reliable_change_default": 1.0,
        "reliable_change": 1.5,  # this site's
    }
    assert body["follow_up"] == "Do you need more help in this area?"
    assert body["cutoff_default"] is None


def test_reqol10_carries_its_cut_off_and_reversed_items(cast: Cast, token: str) -> None:
    body = get("/api/v1/instruments/reqol10", token).json()
    assert [i["position"] for i in body["items"] if i["reverse"]] == [1, 3, 6, 9]
    assert body["scoring"]["total_range"] == [0, 40]
    assert (body["cutoff_default"], body["cutoff"]) == (25, 25)
    assert body["snomed"]["total"] == "1091071000000100"
    MeasureSettings.objects.create(site=cast.site, reqol10_cutoff=22)
    assert get("/api/v1/instruments/reqol10", token).json()["cutoff"] == 22


@pytest.mark.parametrize("code", ["swemwbs", "reqol10"])
def test_licensed_wording_is_never_given_out_even_when_the_site_has_loaded_it(token: str, code: str) -> None:
    instrument = get_instrument(code)
    low, high = instrument.items[0].minimum, instrument.items[0].maximum
    wording_load(
        data={
            "instrument": code,
            "title": "Licensed title WORDS",
            "items": {str(i.position): f"Licensed statement WORDS {i.position}" for i in instrument.items},
            "options": {str(v): f"Licensed response WORDS {v}" for v in range(low, high + 1)},
        }
    )
    response = get(f"/api/v1/instruments/{code}", token)
    assert response.status_code == 200
    assert b"WORDS" not in response.content
    body = response.json()
    assert body["licensed"] is True and body["question"] is None and body["options"] is None
    assert all(item["text"] is None and item["options"] is None for item in body["items"])
    assert [item["key"] for item in body["items"]] == list(instrument.keys)


def test_swemwbs_says_it_converts_its_total(token: str) -> None:
    body = get("/api/v1/instruments/swemwbs", token).json()
    assert body["scoring"]["metric_table"] is True and body["scoring"]["total_range"] == [7, 35]
    assert body["change"]["on"] == "metric" and body["change"]["reliable_change_default"] == 3.0
    assert body["snomed"]["also_accepted"] == ["960481000000107"]


def test_an_unknown_instrument_or_version_is_a_404_problem(token: str) -> None:
    body = is_problem(get("/api/v1/instruments/phq9", token), 404)
    assert "phq9" in body["detail"] and body["type"].endswith("/instrument-unknown")
    is_problem(get("/api/v1/instruments/dialog?version=9", token), 404)
    assert get("/api/v1/instruments/dialog?version=1", token).status_code == 200
    is_problem(post("/api/v1/instruments/phq9/score", {"answers": {"1": 1}}, token), 404)


# Scoring ---------------------------------------------------------------------------------------------------


def test_scoring_swemwbs_gives_the_total_and_the_metric_score(token: str) -> None:
    response = post("/api/v1/instruments/swemwbs/score", {"answers": {str(p): 3 for p in range(1, 8)}}, token)
    assert response.status_code == 200
    assert response.json() == {
        "instrument": "swemwbs",
        "version": "1",
        "total": 21,
        "metric": 19.25,
        "subscales": {},
        "items": dict.fromkeys(get_instrument("swemwbs").keys, 3),
        "answered": 7,
    }


def test_scoring_a_partly_answered_dialog_gives_the_means_of_what_was_answered(token: str) -> None:
    body = post("/api/v1/instruments/dialog/score", {"answers": {"1": 5, "6": 6, "7": 6, "9": None}}, token).json()
    assert body["subscales"]["quality_of_life"] == pytest.approx(17 / 3)
    assert body["subscales"]["treatment_satisfaction"] is None
    assert body["items"] == {"mental_health": 5, "friendships": 6, "partner_family": 6}
    assert body["answered"] == 3 and body["total"] is None and body["metric"] is None


def test_scoring_reqol10_reverses_the_negatively_worded_items(token: str) -> None:
    body = post("/api/v1/instruments/reqol10/score", {"answers": {str(p): 0 for p in range(1, 11)}}, token).json()
    assert body["total"] == 16 and body["items"]["everyday_tasks"] == 4


def test_answers_that_cannot_be_scored_are_a_422_naming_each_item(cast: Cast, token: str) -> None:
    answers = {"1": 0, "2": "three", "3": True, "4": 2.5, "5": 6, "9": 3, "x": 1, "6": None}
    measures_before, events_before = Measure.objects.count(), AuditEvent.objects.count()
    body = is_problem(post("/api/v1/instruments/swemwbs/score", {"answers": answers}, token), 422)
    assert body["type"].endswith("/invalid-answers")
    assert [(e["field"], e["item"], e["code"]) for e in body["errors"]] == [
        ("answers.1", 1, "out_of_range"),
        ("answers.2", 2, "not_a_number"),
        ("answers.3", 3, "not_a_number"),
        ("answers.4", 4, "not_a_number"),
        ("answers.5", 5, "out_of_range"),
        ("answers.6", 6, "missing"),
        ("answers.7", 7, "missing"),
        ("answers.9", "9", "extra"),
        ("answers.x", "x", "extra"),
    ]
    assert body["errors"][0]["message"] == "Item 1 (feeling optimistic) must be from 1 to 5, not 0"
    assert body["errors"][2]["message"] == "Item 3 (feeling relaxed) must be a whole number from 1 to 5, not True"
    # Scoring stores nothing and is about nobody.
    assert (Measure.objects.count(), AuditEvent.objects.count()) == (measures_before, events_before)


def test_no_answers_at_all_is_too_few(token: str) -> None:
    body = is_problem(post("/api/v1/instruments/gbo/score", {"answers": {}}, token), 422)
    assert body["errors"] == [
        {
            "field": "answers",
            "item": None,
            "code": "too_few",
            "message": "Answer at least one item of Goal Based Outcomes",
        }
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": {"1": 4}, "person": "Alex"}, "person"),
        ({}, "answers"),
        ({"answers": [4, 5]}, "answers"),
    ],
)
def test_a_body_of_the_wrong_shape_is_a_422_naming_the_field(token: str, body: Any, field: str) -> None:
    problem = is_problem(post("/api/v1/instruments/dialog/score", body, token), 422)
    assert field in {e["field"] for e in problem["errors"]}


def test_a_body_that_is_not_json_is_refused(token: str) -> None:
    response = post("/api/v1/instruments/dialog/score", "{not json", token)
    assert response.status_code in (400, 422)
    assert response["Content-Type"].startswith("application/problem+json")


@st.composite
def answers_for(draw: st.DrawFn, instrument: Instrument) -> dict[str, int | None]:
    answers: dict[str, int | None] = {}
    for item in instrument.items:
        value = draw(st.integers(item.minimum, item.maximum))
        if item.required or draw(st.booleans()):
            answers[str(item.position)] = value
        elif draw(st.booleans()):
            answers[str(item.position)] = None
    if sum(v is not None for v in answers.values()) < instrument.min_answered:
        answers[str(instrument.items[0].position)] = instrument.items[0].minimum
    return answers


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_valid_answers_score_the_same_through_the_api_as_in_python(token: str, data: st.DataObject) -> None:
    instrument = get_instrument(data.draw(st.sampled_from(CODES)))
    answers = data.draw(answers_for(instrument))
    response = post(f"/api/v1/instruments/{instrument.code}/score", {"answers": answers}, token)
    assert response.status_code == 200, response.content
    body = response.json()
    score = instrument.score(answers)
    assert body == {
        "instrument": score.instrument,
        "version": score.version,
        "total": score.total,
        "metric": score.metric,
        "subscales": score.subscales,
        "items": score.items,
        "answered": score.answered,
    }
    if instrument.total_range is not None:
        low, high = instrument.total_range
        assert low <= body["total"] <= high


# A person's measures ---------------------------------------------------------------------------------------


def _measure(
    cast: Cast, code: str, answers: dict[str, Any], days_ago: int, *, status: str = MeasureStatus.COMPLETE, **more: Any
) -> Measure:
    at = timezone.now() - dt.timedelta(days=days_ago)
    score = get_instrument(code).score_by_key(answers)
    return Measure.objects.create(
        person=cast.person,
        instrument=code,
        instrument_version="1",
        occasion=more.pop("occasion", Occasion.REVIEW),
        how=more.pop("how", CompletedHow.TOGETHER),
        status=status,
        started_at=at - dt.timedelta(minutes=20),
        completed_at=at if status == MeasureStatus.COMPLETE else None,
        answers=answers,
        total=score.total,
        metric=score.metric_decimal,
        subscales=score.subscales,
        **more,
    )


@pytest.fixture
def measures(cast: Cast) -> list[Measure]:
    life = ("mental_health", "physical_health", "job_situation", "accommodation")
    first = _measure(
        cast,
        "dialog",
        {**dict.fromkeys(life, 3), "friendships": 2, "medication": 4},
        30,
        occasion=Occasion.FIRST_CONVERSATION,
        more_help={"friendships": True, "mental_health": False},
    )
    latest = _measure(cast, "dialog", {**dict.fromkeys(life, 4), "friendships": 5, "medication": None}, 2)
    goal = {"words": "Sleep through the night", "goal_id": None}
    gbo = [
        _measure(cast, "gbo", {"goal_1": 2}, 29, goals={"goal_1": goal}),
        _measure(cast, "gbo", {"goal_1": 6}, 1, goals={"goal_1": goal}),
    ]
    swemwbs = _measure(cast, "swemwbs", dict.fromkeys(get_instrument("swemwbs").keys, 3), 3)
    _measure(cast, "dialog", {"mental_health": 7}, 0, status=MeasureStatus.DRAFT)  # drafts are not given
    return [first, latest, *gbo, swemwbs]


def url_for(cast: Cast) -> str:
    return f"/api/v1/people/{cast.person.pk}/measures"


def test_a_supporting_organisation_gets_the_finished_measures_and_their_change(
    cast: Cast, measures: list[Measure], django_assert_max_num_queries: Any
) -> None:
    token = token_for(cast, cast.trust)  # the team leader of the person's team works for the trust
    with django_assert_max_num_queries(8):
        response = get(url_for(cast), token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["person_id"] == str(cast.person.pk)
    oldest_first = sorted(measures, key=lambda m: m.completed_at or m.started_at)
    assert [m["id"] for m in body["measures"]] == [str(m.pk) for m in oldest_first]
    first = body["measures"][0]
    assert first["instrument"] == "dialog" and first["occasion"] == "first_conversation" and first["how"] == "together"
    assert first["answers"]["friendships"] == 2 and first["more_help"] == {"friendships": True, "mental_health": False}
    assert first["subscales"] == {"quality_of_life": 2.8, "treatment_satisfaction": 4.0}  # (4 x 3 + 2) / 5
    swemwbs = next(m for m in body["measures"] if m["instrument"] == "swemwbs")
    assert (swemwbs["total"], swemwbs["metric"]) == (21, 19.25)
    gbo = next(m for m in body["measures"] if m["instrument"] == "gbo")
    assert gbo["goals"] == {"goal_1": {"words": "Sleep through the night", "goal_id": None}}

    change = {c["instrument"]: {line["key"]: line for line in c["lines"]} for c in body["change"]}
    assert list(change) == ["dialog", "gbo", "swemwbs"]
    friendships = change["dialog"]["item:friendships"]
    assert (friendships["first"]["value"], friendships["latest"]["value"], friendships["difference"]) == (2, 5, 3)
    assert friendships["direction"] == "reliable_improvement" and friendships["label"] == "friendships"
    medication = change["dialog"]["item:medication"]
    assert medication["measures"] == 1 and medication["direction"] is None  # not answered the second time
    quality = change["dialog"]["quality_of_life"]
    assert (quality["first"]["value"], quality["latest"]["value"]) == (2.8, 4.2)
    assert quality["direction"] == "reliable_improvement" and quality["reliable_change"] == 1.0
    goal = change["gbo"]["words:sleep through the night"]
    assert goal["difference"] == 4 and goal["direction"] == "reliable_improvement"
    assert change["swemwbs"]["metric"]["direction"] is None
    # The API's change is change_lines' own.
    dialog = [m for m in measures if m.instrument == "dialog"]
    assert [line.key for line in change_lines(dialog)] == list(change["dialog"])

    event = AuditEvent.objects.get(person_id=cast.person.pk, parts=[Part.MEASURES.value])
    assert (event.actor, event.outcome, event.basis, event.action) == (None, Outcome.ALLOWED, Basis.TEAM, "view")
    assert "South London Trust" in event.actor_name and "API token" in event.actor_name
    assert event.detail["measures"] == 5 and event.path == url_for(cast)


def test_the_organisation_of_the_allocated_worker_reads_as_allocated(cast: Cast, measures: list[Measure]) -> None:
    token = token_for(cast, cast.charity)  # the allocated peer worker works for the charity
    assert get(url_for(cast), token).status_code == 200
    assert AuditEvent.objects.get(person_id=cast.person.pk).basis == Basis.ALLOCATED


@pytest.mark.parametrize(
    ("organisation", "why"),
    [
        ("housing", "the person shares with them, which does not open measures"),
        ("council", "an analyst and a site administrator: no support role"),
        ("practice", "the GP practice that introduced them"),
    ],
)
def test_organisations_that_do_not_support_the_person_are_refused_and_audited(
    cast: Cast, measures: list[Measure], practice: Organisation, organisation: str, why: str
) -> None:
    owner = practice if organisation == "practice" else getattr(cast, organisation)
    body = is_problem(get(url_for(cast), token_for(cast, owner)), 403)
    assert body["type"].endswith("/access-refused"), why
    assert "measures" in body["detail"] and "Sleep" not in json.dumps(body)
    event = AuditEvent.objects.get(person_id=cast.person.pk)
    assert (event.outcome, event.parts, event.basis) == (Outcome.REFUSED, [Part.MEASURES.value], "")
    assert owner.name in event.actor_name and event.reason


def test_support_that_has_ended_no_longer_opens_the_measures(cast: Cast, measures: list[Measure]) -> None:
    SupportPeriod.objects.filter(person=cast.person).update(ended_at=timezone.now())
    is_problem(get(url_for(cast), token_for(cast, cast.trust)), 403)
    assert AuditEvent.objects.get(person_id=cast.person.pk).outcome == Outcome.REFUSED


def test_staff_who_have_left_do_not_open_the_measures(cast: Cast, measures: list[Measure]) -> None:
    # The trust's only member in the person's team leaves; its psychiatrist is in another team.
    cast.team_leader.memberships.update(ended_on=timezone.localdate())
    is_problem(get(url_for(cast), token_for(cast, cast.trust)), 403)


def test_only_members_in_a_support_role_open_the_measures(cast: Cast) -> None:
    make_member(cast.site, cast.council, Role.HUB_COORDINATOR, team=cast.team_a, name="Hub in the team")
    made = services.api_token_create(actor=cast.site_admin, organisation=cast.council, name="Council CRM")
    assert not organisation_access(made.token, cast.person).bases
    make_member(cast.site, cast.council, Role.SOCIAL_WORKER, team=cast.team_a, name="Social worker in the team")
    assert organisation_access(made.token, cast.person).bases == {Basis.TEAM}


def test_someone_with_no_measures_gets_empty_lists(cast: Cast) -> None:
    body = get(url_for(cast), token_for(cast, cast.trust)).json()
    assert body["measures"] == [] and body["change"] == []


def test_an_unknown_person_is_a_404_and_another_sites_person_is_refused(cast: Cast) -> None:
    token = token_for(cast, cast.trust)
    is_problem(get("/api/v1/people/6f1c0e52-0000-4000-8000-000000000000/measures", token), 404)
    from livingwell.network.models import Site

    elsewhere = make_person(Site.objects.create(name="Elsewhere", slug="elsewhere"), "Jo", "Bloggs")
    SupportPeriod.objects.create(person=elsewhere, team=cast.team_a, started_at=timezone.now())
    is_problem(get(f"/api/v1/people/{elsewhere.pk}/measures", token), 403)


# The OpenAPI document --------------------------------------------------------------------------------------


def test_the_openapi_document_describes_the_new_operations() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths) >= {
        "/api/v1/instruments",
        "/api/v1/instruments/{code}",
        "/api/v1/instruments/{code}/score",
        "/api/v1/people/{person_id}/measures",
    }
    score = paths["/api/v1/instruments/{code}/score"]["post"]
    assert set(score["responses"]) >= {"200", "401", "404", "422"}
    assert score["security"] and paths["/api/v1/people/{person_id}/measures"]["get"]["security"]
