"""Properties of the public introduction journey, for any input a browser (or anyone) could send.

- No input gives a server error.
- A page either takes the answers (and keeps exactly what was typed) or shows what is wrong: an
  error summary entry for each problem, linking to its field, with the same message by the field.
- Some inputs are always wrong, and the page must name the field: too long, not one of the
  choices, a required answer missing, a null character.
- Valid answers walked to the end and sent are stored exactly as typed, and sending any number
  of times (double clicks, back and send again) makes one introduction.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
from django import forms
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from livingwell.access import public_views
from livingwell.access.journey import Answers
from livingwell.access.models import Introduction, Place, WorkerPreference
from livingwell.access.public_forms import IN_THEIR_WORDS_MAX
from livingwell.core.forms import NHSDateField
from livingwell.people.models import Relationship, Story
from livingwell.people.services import normalise_postcode
from livingwell.testing import Cast

pytestmark = pytest.mark.django_db

CHECK = "/introduce/check-your-answers/"
PROPERTY = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# A whole journey per example: fewer, so that the file stays within a minute.
JOURNEYS = settings(PROPERTY, max_examples=8)

# Any character a browser can send (UTF-8 has no lone surrogates), including control characters.
CHARACTERS = st.characters(codec="utf-8")
TYPED = st.characters(codec="utf-8", exclude_characters="\x00")
AWKWARD = st.sampled_from(
    [
        "",
        " ",
        "\t\r\n",
        "\x00",
        "a\x00b",
        "<script>alert(1)</script>",
        "Zoë 山田 😀",
        "‮evil",
        "'; DROP TABLE x;--",
        "%s{0}",
    ]
)


# ---- getting to a page ----------------------------------------------------------------------------------

SELF: dict[str, dict[str, Any]] = {
    "/introduce/": {"who": "myself"},
    "/introduce/name/": {"given_name": "Amara"},
    "/introduce/contact/": {"phone": "07700 900982", "email": "amara@example.test"},
    "/introduce/contact-preferences/": {"ways": ["phone", "email"]},
    "/introduce/what-brought-you-here/": {"in_their_words": "Finding things hard"},
    "/introduce/feeling-unsafe/": {"unsafe_now": "no"},
    "/introduce/anything-we-should-know/": {},
    "/introduce/who-else/": {},
    "/introduce/agreement/": {"agrees_to_contact": "on", "agrees_to_share": "yes"},
}
SOMEONE_ELSE: dict[str, dict[str, Any]] = {
    "/introduce/": {"who": "someone_else"},
    "/introduce/about-you/": {"introducer_name": "Grace", "introducer_phone": "07700 900123"},
    "/introduce/person-aware/": {"person_aware": "agrees"},
    "/introduce/name/": {"given_name": "Kwame"},
    "/introduce/contact/": {"phone": "07700 900982"},
    "/introduce/contact-preferences/": {"ways": ["phone"]},
    "/introduce/what-brought-you-here/": {},
    "/introduce/feeling-unsafe/": {"unsafe_now": "no"},
    "/introduce/anything-we-should-know/": {},
    "/introduce/who-else/": {},
    "/introduce/agreement/": {"agrees_to_share": "no"},
}


def answered(journey: dict[str, dict[str, Any]]) -> Client:
    """A client that has answered every page of `journey` with valid answers."""
    client = Client()
    for path, data in journey.items():
        response = client.post(path, data)
        assert response.status_code == 302, f"{path}: {response.content.decode()[:2000]}"
    assert client.get(CHECK).status_code == 200
    return client


def restore(client: Client, snapshot: dict[str, Any]) -> None:
    session = client.session
    session["introduce"] = snapshot
    session.save()


# ---- reading the answer -------------------------------------------------------------------------------


def summary_entries(html: str) -> list[tuple[str, str]]:
    box = re.search(r'class="nhsuk-error-summary".*?</ul>', html, re.DOTALL)
    if box is None:
        return []
    return [
        (href, " ".join(unescape(message).split()))
        for href, message in re.findall(r'<a href="([^"]*)"\s*>(.*?)</a>', box.group(0), re.DOTALL)
    ]


def field_messages(html: str) -> dict[str, str]:
    """{field id: message} for each error message shown by a field."""
    return {
        field_id: " ".join(unescape(message).split())
        for field_id, message in re.findall(
            r'<span class="nhsuk-error-message" id="([^"]+)-error"\s*>\s*'
            r'<span class="nhsuk-u-visually-hidden">Error: </span>(.*?)\s*</span>',
            html,
            re.DOTALL,
        )
    }


def named_fields(html: str) -> set[str]:
    """The fields the page says are wrong, after checking that summary and fields agree."""
    summary = summary_entries(html)
    by_field = field_messages(html)
    assert summary, "a page that did not take the answers must say why"
    named = set()
    for href, message in summary:
        assert href.startswith("#id_"), f"summary entry {message!r} does not link to a field ({href})"
        target = href[1:]
        field_id = target[:-2] if target not in by_field and target.endswith("_0") else target
        assert field_id in by_field, f"summary entry {message!r} has no message by its field"
        assert by_field[field_id] == message, f"{field_id}: {by_field[field_id]!r} != {message!r}"
        assert f'id="{target}"' in html, f"the summary links to #{target}, which is not on the page"
        named.add(field_id.removeprefix("id_"))
    assert named == {f.removeprefix("id_") for f in by_field}, "every message by a field is in the summary"
    return named


# ---- what to send -------------------------------------------------------------------------------------


def choices(form_field: forms.Field) -> list[str]:
    return [str(v) for v, _ in getattr(form_field, "choices", []) if v != ""]


def oversized(limit: int) -> st.SearchStrategy[str]:
    return st.tuples(st.text(TYPED, min_size=1, max_size=3), st.integers(1, 30)).map(
        lambda t: (t[0] * (limit + 1 + t[1]))[: limit + t[1]]
    )


def text_values(limit: int) -> st.SearchStrategy[str]:
    return st.one_of(st.text(CHARACTERS, max_size=min(limit + 5, 200)), oversized(limit), AWKWARD)


def value_for(form_field: forms.Field) -> st.SearchStrategy[Any]:
    if isinstance(form_field, NHSDateField):
        part = st.one_of(st.text(CHARACTERS, max_size=5), st.integers(-5, 3000).map(str), st.just(""))
        return st.tuples(part, part, part)
    if isinstance(form_field, forms.MultipleChoiceField):
        valid = choices(form_field)
        return st.lists(st.one_of(st.sampled_from(valid), st.text(CHARACTERS, max_size=12)), max_size=4)
    if isinstance(form_field, forms.ChoiceField):
        valid = choices(form_field)
        return st.one_of(st.sampled_from(valid), st.just(""), st.text(CHARACTERS, max_size=40))
    if isinstance(form_field, forms.BooleanField):
        return st.sampled_from([None, "on"])
    limit = form_field.max_length or IN_THEIR_WORDS_MAX  # type: ignore[attr-defined]
    return text_values(int(limit))


def post_data(values: dict[str, Any], fields: dict[str, forms.Field]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(fields[name], NHSDateField):
            data.update({f"{name}_{i}": part for i, part in enumerate(value)})
        elif value is not None and value != []:
            data[name] = value
    return data


def must_be_refused(name: str, form_field: forms.Field, value: Any) -> bool:
    """Inputs that no page may take, whatever else was sent."""
    if isinstance(form_field, forms.MultipleChoiceField):
        valid = set(choices(form_field))
        return any(v not in valid for v in value) or (form_field.required and not value)
    if isinstance(form_field, forms.ChoiceField):
        valid = set(choices(form_field))
        return (value != "" and value not in valid) or (form_field.required and value == "")
    if isinstance(form_field, forms.BooleanField):
        return form_field.required and value != "on"
    if isinstance(form_field, forms.CharField):
        kept = value.strip() if form_field.strip else value
        limit = form_field.max_length or IN_THEIR_WORDS_MAX
        return len(kept) > limit or ("\x00" in kept) or (form_field.required and not kept)
    return False


def expected_stored(form_field: forms.Field, value: Any) -> Any:
    """What the page must keep for a value it took: exactly what was typed (less surrounding spaces)."""
    if isinstance(form_field, NHSDateField):
        day, month, year = (part.strip() for part in value)
        return dt.date(int(year), int(month), int(day)).isoformat() if day or month or year else None
    if isinstance(form_field, forms.MultipleChoiceField):
        return list(value)
    if isinstance(form_field, forms.BooleanField):
        return value == "on"
    if isinstance(form_field, forms.CharField) and not form_field.strip:
        return value if value.strip() else ""  # free text: as typed; only spaces is nothing
    return value.strip() if isinstance(value, str) else value


PAGES = [
    ("self", "/introduce/"),
    ("self", "/introduce/name/"),
    ("self", "/introduce/contact/"),
    ("self", "/introduce/contact-preferences/"),
    ("self", "/introduce/what-brought-you-here/"),
    ("self", "/introduce/feeling-unsafe/"),
    ("self", "/introduce/anything-we-should-know/"),
    ("self", "/introduce/who-else/"),
    ("self", "/introduce/agreement/"),
    ("someone_else", "/introduce/about-you/"),
    ("someone_else", "/introduce/person-aware/"),
    ("someone_else", "/introduce/contact/"),
    ("someone_else", "/introduce/agreement/"),
]


@pytest.mark.parametrize(("who", "path"), PAGES)
def test_any_answer_is_taken_exactly_or_refused_by_name(cast: Cast, who: str, path: str) -> None:
    client = answered(SELF if who == "self" else SOMEONE_ELSE)
    snapshot = client.session["introduce"]
    slug = "who" if path == "/introduce/" else path.strip("/").split("/")[-1]
    step = next(s for s in public_views.STEPS if s.slug == slug)
    answers = Answers(snapshot["answers"], {"site": cast.site})
    fields = dict(step.form_class(answers=answers, stored=snapshot["answers"][slug]).fields)

    @PROPERTY
    @given(st.fixed_dictionaries({name: value_for(f) for name, f in fields.items()}))
    def check(values: dict[str, Any]) -> None:
        restore(client, snapshot)
        response = client.post(path, post_data(values, fields))
        assert response.status_code in (200, 302), response.status_code
        refused = {name for name, value in values.items() if must_be_refused(name, fields[name], value)}
        if response.status_code == 302:
            assert not refused, f"took {refused} that should have been refused"
            stored = client.session["introduce"]["answers"][slug]
            for name, value in values.items():
                if name == "postcode" and value.strip():
                    assert stored[name] == normalise_postcode(value)
                else:
                    assert stored[name] == expected_stored(fields[name], value), name
        else:
            html = response.content.decode()
            assert "<title>Error: " in html
            named = named_fields(html)
            missing = refused - named
            assert not missing, f"{missing} were wrong but not named"
            for name in (n for n, f in fields.items() if isinstance(f, forms.CharField)):
                # What was typed is shown again as it was (escaped), to be put right.
                assert str(escape(values[name])) in html, name

    check()


def test_any_address_under_introduce_answers_without_a_server_error(cast: Cast) -> None:
    client = Client()

    @PROPERTY
    @given(st.from_regex(r"[-a-zA-Z0-9_]{1,40}", fullmatch=True), st.sampled_from(["get", "post"]))
    def check(slug: str, method: str) -> None:
        response = getattr(client, method)(f"/introduce/{slug}/")
        assert response.status_code in (200, 302, 404, 405)

    check()


# ---- sending ----------------------------------------------------------------------------------------------


def kept(limit: int) -> st.SearchStrategy[str]:
    """Text a page takes: any characters but null, within the limit once surrounding spaces go."""
    return st.text(TYPED, max_size=limit)


@JOURNEYS
@given(
    given_name=st.text(TYPED, min_size=1, max_size=100).filter(str.strip),
    family_name=kept(100),
    preferred_name=kept(100),
    in_their_words=st.one_of(kept(400), st.text(TYPED, min_size=1, max_size=4).map(lambda s: (s * 5000)[:5000])),
    contact_times=kept(200),
    first_language=kept(60),
    access_needs=kept(400),
    meeting_note=kept(300),
    places=st.lists(st.sampled_from(Place.values), unique=True),
    workers=st.lists(st.sampled_from(WorkerPreference.values), unique=True),
    other=st.tuples(st.text(TYPED, min_size=1, max_size=150).filter(str.strip), kept(300), kept(200)),
    unsafe=st.sampled_from(["yes", "no", "not_sure"]),
    sends=st.integers(1, 3),
)
def test_valid_answers_are_stored_exactly_and_sent_once(
    cast: Cast,
    given_name: str,
    family_name: str,
    preferred_name: str,
    in_their_words: str,
    contact_times: str,
    first_language: str,
    access_needs: str,
    meeting_note: str,
    places: list[str],
    workers: list[str],
    other: tuple[str, str, str],
    unsafe: str,
    sends: int,
) -> None:
    client = Client()
    pages: list[tuple[str, dict[str, Any]]] = [
        ("/introduce/", {"who": "myself"}),
        ("/introduce/name/", {"given_name": given_name, "family_name": family_name, "preferred_name": preferred_name}),
        ("/introduce/contact/", {"phone": "07700 900982"}),
        ("/introduce/contact-preferences/", {"ways": ["phone", "leave_message"], "contact_times": contact_times}),
        ("/introduce/what-brought-you-here/", {"in_their_words": in_their_words}),
        ("/introduce/feeling-unsafe/", {"unsafe_now": unsafe}),
        *([("/introduce/help-now/", {})] if unsafe == "yes" else []),
        (
            "/introduce/anything-we-should-know/",
            {
                "first_language": first_language,
                "access_needs": access_needs,
                "meeting_note": meeting_note,
                "preferred_places": places,
                "worker_preferences": workers,
            },
        ),
        ("/introduce/who-else/", {"other_name": other[0], "other_relationship": other[1], "other_contact": other[2]}),
        ("/introduce/agreement/", {"agrees_to_contact": "on", "agrees_to_share": "yes"}),
    ]
    for path, data in pages:
        response = client.post(path, {k: v for k, v in data.items() if v != []})
        assert response.status_code == 302, (
            f"{path} refused valid answers: {summary_entries(response.content.decode())}"
        )
    snapshot = client.session["introduce"]
    key = f"web:{snapshot['key']}"
    before = Introduction.objects.count()

    for _ in range(sends):
        assert client.post(CHECK)["Location"] == "/introduce/confirmation/"
    restore(client, snapshot)  # a second request that read the answers before the first finished
    assert client.post(CHECK)["Location"] == "/introduce/confirmation/"

    assert Introduction.objects.count() == before + 1
    introduction = Introduction.objects.select_related("person").get(submission_key=key)
    assert introduction.reference in client.get("/introduce/confirmation/").content.decode()
    person = introduction.person
    words = in_their_words if in_their_words.strip() else ""
    assert introduction.in_their_words == words
    assert Story.objects.get(person=person).what_brought_me_here == words
    assert (person.given_name, person.family_name, person.preferred_name) == (
        given_name.strip(),
        family_name.strip(),
        preferred_name.strip(),
    )
    assert person.contact_times == contact_times.strip()
    assert person.first_language == first_language.strip()
    assert person.access_needs == (access_needs if access_needs.strip() else "")
    assert introduction.meeting_note == meeting_note.strip()
    assert introduction.preferred_places == places
    assert introduction.worker_preferences == workers
    assert introduction.unsafe_now == unsafe and introduction.urgent == (unsafe == "yes")
    relationship = Relationship.objects.get(person=person)
    assert (relationship.name, relationship.part_they_play, relationship.contact) == (
        other[0].strip(),
        other[1].strip(),
        other[2].strip(),
    )
