"""Properties of POST /api/v1/introductions, for any body a partner system might send.

- No body, however wrong (wrong types, missing or unknown fields, any unicode, huge strings), gives a 5xx.
- Every 422 names the fields that were wrong.
- A valid body is stored exactly as sent (after the documented tidying of postcodes and NHS numbers).
- The same Idempotency-Key sent N times makes exactly one introduction, and every answer has its id.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from livingwell.access.models import Introduction, Place, WorkerPreference
from livingwell.api import services
from livingwell.conftest import Cast
from livingwell.network.models import Organisation, Sector
from livingwell.people.models import Person
from livingwell.people.nhs_number import check_digit
from livingwell.people.services import normalise_postcode

URL = "/api/v1/introductions"
API = Client()  # one client: each new one loads the middleware again

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture
def practice(cast: Cast) -> Organisation:
    return Organisation.objects.create(site=cast.site, name="Brixton Hill Group Practice", sector=Sector.PRIMARY_CARE)


@pytest.fixture
def token(cast: Cast, practice: Organisation) -> str:
    return services.api_token_create(actor=cast.site_admin, organisation=practice, name="EMIS").secret


def send(token: str, payload: Any, key: str | None = None, *, raw: str | None = None) -> Any:
    return API.post(
        URL,
        raw if raw is not None else json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key or str(uuid.uuid4())},
    )


# ---- strategies ---------------------------------------------------------------------------------------

# Text people type: any character but surrogates, control characters and line or paragraph separators.
_typed = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
line = st.text(_typed, max_size=60)
free_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=400).filter(
    lambda s: not any((ord(c) < 32 and c not in "\t\n\r") or c == "\x7f" for c in s)
)
name = st.text(_typed, min_size=1, max_size=100).filter(lambda s: s.strip() and s == s.strip())

POSTCODES = ["SW2 5SG", "sw98ab", "E1 6AN", "ec1a 1bb", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT"]
EMAILS = ["amara@example.com", "a.b-c+d@sub.example.org", "x@example.co.uk"]


@st.composite
def nhs_numbers(draw: st.DrawFn) -> str:
    first = draw(st.integers(min_value=100_000_000, max_value=999_999_999).map(str))
    digit = check_digit(first)
    assume(digit is not None)
    number = f"{first}{digit}"
    return draw(
        st.sampled_from(
            [number, f"{number[:3]} {number[3:6]} {number[6:]}", f"{number[:3]}-{number[3:6]}-{number[6:]}"]
        )
    )


phones = st.builds(
    lambda digits, spaced: " ".join([digits[:5], digits[5:]]) if spaced else digits,
    st.text("0123456789", min_size=10, max_size=13),
    st.booleans(),
)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def valid_bodies(draw: st.DrawFn) -> dict[str, Any]:
    person: dict[str, Any] = {"given_name": draw(name)}
    for field, strategy in (
        ("family_name", line),
        ("preferred_name", line),
        ("pronouns", st.text(_typed, max_size=40)),
        ("date_of_birth", st.dates(dt.date(1900, 1, 1), dt.date.today() - dt.timedelta(days=1)).map(str)),
        ("nhs_number", nhs_numbers()),
        ("email", st.sampled_from(EMAILS)),
        ("phone", phones),
        ("address_line_1", line),
        ("town", st.text(_typed, max_size=80)),
        ("postcode", st.sampled_from(POSTCODES)),
        ("first_language", st.text(_typed, max_size=60)),
        ("interpreter_needed", st.booleans()),
        ("access_needs", free_text),
        ("may_phone", st.booleans()),
        ("may_text", st.booleans()),
        ("may_email", st.booleans()),
        ("may_write", st.booleans()),
        ("may_leave_message", st.booleans()),
        ("contact_times", line),
    ):
        if draw(st.booleans()):
            person[field] = draw(strategy)
    body: dict[str, Any] = {
        "person": person,
        "person_aware": draw(st.sampled_from(["agrees", "knows", "does_not_know"])),
    }
    for field, strategy in (
        (
            "source",
            st.sampled_from(["gp", "housing", "police", "voluntary", "nhs_service", "local_authority", "other"]),
        ),
        ("in_their_words", free_text),
        ("unsafe_now", optional(st.sampled_from(["yes", "no", "not_sure"]))),
        ("urgent", st.booleans()),
        ("agrees_to_share", st.booleans()),
        ("preferred_places", st.lists(st.sampled_from(Place.values), max_size=8)),
        ("worker_preferences", st.lists(st.sampled_from(WorkerPreference.values), max_size=5)),
        ("meeting_note", st.text(_typed, max_size=300)),
        ("locality", optional(st.sampled_from(["North", "north", " NORTH "]))),
        (
            "introducer",
            st.fixed_dictionaries(
                {},
                optional={"name": line, "role": line, "phone": phones, "email": st.sampled_from(EMAILS)},
            ),
        ),
        (
            "introduced_at",
            st.datetimes(
                min_value=dt.datetime(2000, 1, 2),
                max_value=dt.datetime(2026, 1, 1),
                timezones=st.sampled_from(
                    [dt.UTC, dt.timezone(dt.timedelta(hours=1)), dt.timezone(-dt.timedelta(hours=5))]
                ),
            ).map(lambda d: d.isoformat()),
        ),
    ):
        if draw(st.booleans()):
            body[field] = draw(strategy)
    if not (
        person.get("phone")
        or person.get("email")
        or (person.get("address_line_1", "").strip() and person.get("postcode"))
    ):
        person["phone"] = draw(phones)  # the Hub needs some way to reach them (tested on its own elsewhere)
    return body


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)
hostile_text = st.one_of(
    st.text(max_size=50),  # any code point, surrogates and NUL included
    st.text(min_size=5001, max_size=6000),  # longer than any field allows
    st.sampled_from(["", " ", "\x00", "\ud800", "<script>alert(1)</script>", "Robert'); DROP TABLE people;--"]),
)


@st.composite
def mutated_bodies(draw: st.DrawFn) -> Any:
    """A valid body with a few things broken: a wrong value, a missing field or an unknown one."""
    body = draw(valid_bodies())
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        target = body if draw(st.booleans()) or not isinstance(body.get("person"), dict) else body["person"]
        how = draw(st.sampled_from(["wrong", "text", "delete", "extra"]))
        keys = sorted(target)
        if how == "extra":
            target[draw(st.text(min_size=1, max_size=20))] = draw(json_values)
        elif keys:
            key = draw(st.sampled_from(keys))
            if how == "delete":
                del target[key]
            else:
                target[key] = draw(json_values if how == "wrong" else hostile_text)
    return body


# ---- properties ---------------------------------------------------------------------------------------


def check_answer(response: Any) -> None:
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/problem+json")
    if response.status_code == 422:
        problem = response.json()
        assert problem["errors"], problem
        for error in problem["errors"]:
            assert isinstance(error["field"], str) and error["field"], problem
            assert isinstance(error["message"], str) and error["message"], problem
    if response.status_code == 201:
        assert Introduction.objects.filter(pk=response.json()["id"]).exists()


@PROPERTY_SETTINGS
@given(payload=st.one_of(mutated_bodies(), json_values))
def test_no_body_gives_a_server_error(token: str, payload: Any) -> None:
    before = Introduction.objects.count()
    response = send(token, payload)
    check_answer(response)
    assert Introduction.objects.count() == before + (response.status_code == 201)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_no_text_gives_a_server_error(token: str, raw: str) -> None:
    check_answer(send(token, None, raw=raw))


def _stored_person(sent: dict[str, Any], person: Person) -> None:
    assert person.given_name == sent["given_name"]
    for field in (
        "family_name",
        "preferred_name",
        "pronouns",
        "address_line_1",
        "town",
        "first_language",
        "contact_times",
    ):
        value = sent.get(field) or ""
        assert getattr(person, field) == (value if value.strip() else ""), field
    assert person.access_needs == (sent.get("access_needs") or "" if (sent.get("access_needs") or "").strip() else "")
    assert person.email == sent.get("email", "")
    assert person.phone == sent.get("phone", "")
    assert person.postcode == (normalise_postcode(sent["postcode"]) if "postcode" in sent else "")
    sent_nhs = sent.get("nhs_number")
    assert person.nhs_number == ("".join(c for c in sent_nhs if c.isdigit()) if sent_nhs else None)
    assert person.date_of_birth == (dt.date.fromisoformat(sent["date_of_birth"]) if "date_of_birth" in sent else None)
    for field in ("interpreter_needed", "may_phone", "may_text", "may_email", "may_write", "may_leave_message"):
        assert getattr(person, field) is sent.get(field, False), field


@PROPERTY_SETTINGS
@given(body=valid_bodies())
def test_a_valid_body_is_stored_exactly(token: str, practice: Organisation, body: dict[str, Any]) -> None:
    nhs = body["person"].get("nhs_number")
    assume(not nhs or not Person.objects.filter(nhs_number="".join(c for c in nhs if c.isdigit())).exists())
    response = send(token, body)
    assert response.status_code == 201, response.content
    answer = response.json()
    introduction = Introduction.objects.select_related("person", "locality").get(pk=answer["id"])
    assert answer["reference"] == introduction.reference and answer["state"] == "new"
    assert introduction.introducing_organisation == practice
    assert introduction.source == body.get("source", "gp")
    assert introduction.in_their_words == (body.get("in_their_words") or "")
    assert introduction.meeting_note == (body.get("meeting_note") or "")
    assert introduction.unsafe_now == (body.get("unsafe_now") or "")
    assert introduction.urgent is (body.get("urgent", False) or body.get("unsafe_now") == "yes")
    assert answer["urgent"] is introduction.urgent
    assert introduction.person_aware == body["person_aware"]
    assert introduction.agrees_to_contact is (body["person_aware"] == "agrees")
    assert introduction.agrees_to_share is body.get("agrees_to_share", False)
    assert introduction.preferred_places == list(dict.fromkeys(body.get("preferred_places", [])))
    assert introduction.worker_preferences == list(dict.fromkeys(body.get("worker_preferences", [])))
    introducer = body.get("introducer", {})
    assert introduction.introducer_name == (introducer.get("name") or "")
    assert introduction.introducer_relationship == (introducer.get("role") or "")
    assert introduction.introducer_phone == (introducer.get("phone") or "")
    assert introduction.introducer_email == (introducer.get("email") or "")
    locality = body.get("locality")
    assert (introduction.locality.name if introduction.locality else None) == ("North" if locality else None)
    if "introduced_at" in body:
        assert introduction.introduced_at == dt.datetime.fromisoformat(body["introduced_at"])
    else:
        assert abs(introduction.introduced_at - timezone.now()) < dt.timedelta(minutes=1)
    # JSON times carry milliseconds.
    assert abs(dt.datetime.fromisoformat(answer["introduced_at"]) - introduction.introduced_at) < dt.timedelta(
        milliseconds=1
    )
    _stored_person(body["person"], introduction.person)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=valid_bodies(), times=st.integers(min_value=2, max_value=5), indent=st.sampled_from([None, 2]))
def test_the_same_key_makes_one_introduction(
    token: str, practice: Organisation, body: dict[str, Any], times: int, indent: int | None
) -> None:
    key = str(uuid.uuid4())
    before = Introduction.objects.count()
    answers = [send(token, None, key, raw=json.dumps(body, indent=indent if n % 2 else None)) for n in range(times)]
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert [a.get("Idempotent-Replayed") for a in answers] == [None] + ["true"] * (times - 1)
    assert Introduction.objects.count() == before + 1
    assert Introduction.objects.filter(submission_key__endswith=key).count() == 1
