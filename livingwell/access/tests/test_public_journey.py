"""The public introduction journey at /introduce/, walked page by page without JavaScript.

Each page is asserted on its HTML: the question, the back link, the error summary and the message
by the field, and the answers kept on error. Then what was made: the introduction, the person, their
story as typed, the people they said we may talk to, and the audit trail.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from livingwell.access import public_views
from livingwell.access.models import EventKind, Introduction, IntroductionState, Source
from livingwell.access.services import FrontDoorError
from livingwell.audit.models import Action, AuditEvent
from livingwell.network.models import Locality, Site
from livingwell.people.models import Person, Relationship, Story
from livingwell.testing import Cast

pytestmark = pytest.mark.django_db

DASH = "\u2013"  # the en dash in page titles, "Question (en dash) Living Well"

SCRIPT = "<script>alert(1)</script>"
IN_THEIR_WORDS = f"I have not been sleeping.\r\nMy sister says {SCRIPT} & that I should talk to someone.  "
CHECK = "/introduce/check-your-answers/"


# ---- reading pages --------------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def text(html: str) -> str:
    """What a person reads on the page, whitespace collapsed."""
    reader = _Text()
    reader.feed(html)
    return " ".join(" ".join(reader.parts).split())


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return response.content.decode()


def back_href(html: str) -> str:
    match = re.search(r'<a class="nhsuk-back-link"[^>]*href="([^"]*)"', html) or re.search(
        r'class="nhsuk-back-link"[^>]*>\s*<a[^>]*href="([^"]*)"', html
    )
    if match is None:
        match = re.search(r'href="([^"]*)"[^>]*>\s*Back\s*</a>', html)
    assert match, "the page should have a back link"
    return match.group(1)


def error_summary(html: str) -> list[tuple[str, str]]:
    """(href, message) for each entry of the error summary."""
    box = re.search(r'class="nhsuk-error-summary".*?</ul>', html, re.DOTALL)
    if box is None:
        return []
    return [
        (href, " ".join(unescape(message).split()))
        for href, message in re.findall(r'<a href="([^"]*)"\s*>(.*?)</a>', box.group(0), re.DOTALL)
    ]


def field_error(html: str, field_id: str) -> str:
    match = re.search(
        rf'<span class="nhsuk-error-message" id="{re.escape(field_id)}-error"\s*>(.*?)</span>\s*(.*?)\s*</span>',
        html,
        re.DOTALL,
    )
    assert match, f"no error message by {field_id}"
    return " ".join(unescape(match.group(2)).split())


def assert_no_inline_code(html: str) -> None:
    """The CSP refuses inline scripts (but the layout's own, with the nonce) and inline styles."""
    assert not re.search(r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>", html), "inline script"
    assert not re.search(r"\sstyle=", html), "inline style"
    assert "<style" not in html


def post(client: Client, path: str, data: dict[str, Any], *, to: str | None = None) -> str:
    """POST a page; when `to` is given, it must redirect there. Returns the redirect or the page."""
    response = client.post(path, data)
    if to is not None:
        assert response.status_code == 302, f"{path} did not accept {data}: {error_summary(response.content.decode())}"
        assert response["Location"] == to, f"{path} went to {response['Location']}, not {to}"
        return response["Location"]
    assert response.status_code == 200
    return response.content.decode()


# ---- valid answers ----------------------------------------------------------------------------------


def self_answers(locality: Locality | None = None) -> dict[str, dict[str, Any]]:
    return {
        "who": {"who": "myself"},
        "name": {
            "given_name": "Amara",
            "family_name": "Okafor",
            "preferred_name": "Mara",
            "date_of_birth_0": "7",
            "date_of_birth_1": "11",
            "date_of_birth_2": "1989",
        },
        "contact": {
            "phone": "07700 900982",
            "email": "amara@example.test",
            "address_line_1": "12 Acre Lane",
            "town": "London",
            "postcode": "sw2 5sg",
            "locality": str(locality.pk) if locality else "not_sure",
        },
        "contact-preferences": {"ways": ["text", "email"], "contact_times": "Weekday mornings"},
        "what-brought-you-here": {"in_their_words": IN_THEIR_WORDS},
        "feeling-unsafe": {"unsafe_now": "no"},
        "anything-we-should-know": {
            "first_language": "Yoruba",
            "interpreter_needed": "on",
            "access_needs": "Step-free access, please",
            "preferred_places": ["cafe", "phone"],
            "worker_preferences": ["peer", "woman"],
            "meeting_note": "Not before 10am",
        },
        "who-else": {
            "other_name": "Ngozi Okafor",
            "other_relationship": "My sister",
            "other_contact": "07700 900123",
        },
        "agreement": {"agrees_to_contact": "on", "agrees_to_share": "yes"},
    }


SELF_ORDER = [
    "who",
    "name",
    "contact",
    "contact-preferences",
    "what-brought-you-here",
    "feeling-unsafe",
    "anything-we-should-know",
    "who-else",
    "agreement",
]


def url(slug: str) -> str:
    return "/introduce/" if slug == "who" else f"/introduce/{slug}/"


def walk(client: Client, answers: dict[str, dict[str, Any]], pages: list[str], order: list[str] = SELF_ORDER) -> None:
    """Answer `pages` in turn, each going on to the next page of `order` (the last to the check page)."""
    for here in pages:
        position = order.index(here)
        there = order[position + 1] if position + 1 < len(order) else None
        post(client, url(here), answers[here], to=url(there) if there else CHECK)


def send(client: Client) -> Introduction:
    response = client.post(CHECK)
    assert response.status_code == 302, error_summary(response.content.decode())
    assert response["Location"] == "/introduce/confirmation/"
    return Introduction.objects.latest("created_at")


# ---- the start page ---------------------------------------------------------------------------------


def test_start_page_says_what_happens_and_asks_who(cast: Cast) -> None:
    html = page(Client(), "/introduce/")
    words = text(html)
    assert f"<title>Who are you introducing? {DASH} Living Well</title>" in html
    assert "Introduce yourself or someone else to Living Well" in words
    assert "There are no criteria to meet and nobody is turned away" in words
    assert "NHS 111 and choose option 2" in words and "116 123" in words and "999" in words
    assert "Who are you introducing?" in words
    assert 'value="myself"' in html and 'value="someone_else"' in html
    assert "Someone else: a family member, friend or someone I know" in words
    assert 'href="/sign-in/?next=/introductions/new/"' in html  # partner staff and GPs sign in
    assert back_href(html) == "/"
    assert "novalidate" in html
    assert_no_inline_code(html)


def test_start_page_without_an_answer_names_the_field(cast: Cast) -> None:
    html = post(Client(), "/introduce/", {})
    assert f"<title>Error: Who are you introducing? {DASH} Living Well</title>" in html
    assert error_summary(html) == [("#id_who", "Choose whether you are introducing yourself or someone else")]
    assert field_error(html, "id_who") == "Choose whether you are introducing yourself or someone else"


def test_landing_page_links_to_the_journey_and_the_waiting_figures(cast: Cast) -> None:
    html = page(Client(), "/")
    assert re.search(
        r'<a href="/introduce/"[^>]*class="nhsuk-button"|class="nhsuk-button"[^>]*href="/introduce/"', html
    )
    assert "Introduce yourself or someone else" in text(html)
    assert '<a href="/waiting/">How long are people waiting?</a>' in html


# ---- introducing yourself, page by page ---------------------------------------------------------------


def test_introducing_yourself_page_by_page(cast: Cast) -> None:
    north = Locality.objects.get(site=cast.site, name="North")
    answers = self_answers(north)
    client = Client()

    post(client, "/introduce/", answers["who"], to="/introduce/name/")

    # Name: the question, the back link, a missing first name, answers kept.
    html = page(client, "/introduce/name/")
    assert "<h1>What is your name?</h1>" in html
    assert "Introduce yourself" in text(html)
    assert back_href(html) == "/introduce/"
    html = post(client, "/introduce/name/", {**answers["name"], "given_name": "  "})
    assert error_summary(html) == [("#id_given_name", "Enter your first name")]
    assert field_error(html, "id_given_name") == "Enter your first name"
    assert 'value="Okafor"' in html and 'value="Mara"' in html and 'value="1989"' in html
    html = post(client, "/introduce/name/", {**answers["name"], "date_of_birth_2": "89"})
    assert error_summary(html) == [("#id_date_of_birth_0", "Year must include 4 numbers")]
    future = timezone.localdate() + dt.timedelta(days=40)
    html = post(
        client,
        "/introduce/name/",
        {
            **answers["name"],
            "date_of_birth_0": future.day,
            "date_of_birth_1": future.month,
            "date_of_birth_2": future.year,
        },
    )
    assert error_summary(html) == [("#id_date_of_birth_0", "Date of birth must be in the past")]
    post(client, "/introduce/name/", answers["name"], to="/introduce/contact/")

    # How to reach you: nothing given, a postcode that is not one, an address without a postcode.
    html = page(client, "/introduce/contact/")
    assert "<h1>How can we get in touch with you?</h1>" in html
    assert back_href(html) == "/introduce/name/"
    assert "Which area do you live in? (optional)" in text(html)
    assert ">North</option>" in html and "I&#39;m not sure" in html
    html = post(client, "/introduce/contact/", {"town": "London"})
    message = "Enter a phone number, an email address or a postal address, so that we can get in touch"
    assert error_summary(html) == [("#id_phone", message)]
    assert field_error(html, "id_phone") == message
    assert 'value="London"' in html
    html = post(client, "/introduce/contact/", {**answers["contact"], "postcode": "NOT A CODE"})
    assert error_summary(html) == [("#id_postcode", "Enter a full UK postcode, like SW9 8AB")]
    assert 'value="NOT A CODE"' in html and 'value="amara@example.test"' in html
    html = post(client, "/introduce/contact/", {"address_line_1": "12 Acre Lane"})
    assert error_summary(html) == [("#id_postcode", "Enter the postcode, so that a letter can reach us")]
    html = post(client, "/introduce/contact/", {**answers["contact"], "email": "amara at example"})
    assert error_summary(html) == [("#id_email", "Enter an email address in the right format, like name@example.com")]
    html = post(client, "/introduce/contact/", {**answers["contact"], "phone": "call me"})
    assert error_summary(html) == [("#id_phone", "Enter a phone number, like 07700 900 982 or 020 7946 0991")]
    post(client, "/introduce/contact/", answers["contact"], to="/introduce/contact-preferences/")

    # How and when: none chosen; then a way that needs a detail we do not have.
    html = page(client, "/introduce/contact-preferences/")
    assert "<h1>How and when is it OK to contact you?</h1>" in html
    assert 'type="checkbox" value="text"' in html
    html = post(client, "/introduce/contact-preferences/", {"contact_times": "Evenings"})
    assert error_summary(html) == [("#id_ways", "Choose at least one way we can contact you")]
    assert 'value="Evenings"' in html
    post(
        client,
        "/introduce/contact-preferences/",
        answers["contact-preferences"],
        to="/introduce/what-brought-you-here/",
    )

    # In your own words: optional, kept exactly, no more than 5000 characters.
    html = page(client, "/introduce/what-brought-you-here/")
    assert "What has brought you here?" in text(html)
    assert back_href(html) == "/introduce/contact-preferences/"
    html = post(client, "/introduce/what-brought-you-here/", {"in_their_words": "x" * 5001})
    assert error_summary(html) == [
        (
            "#id_in_their_words",
            "What has brought you here must be 5000 characters or fewer. You have written 5001. "
            "You can tell us the rest when we talk",
        )
    ]
    assert "x" * 5001 in html  # kept, so that nothing typed is lost
    post(client, "/introduce/what-brought-you-here/", answers["what-brought-you-here"], to="/introduce/feeling-unsafe/")
    html = page(client, "/introduce/what-brought-you-here/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; that" in html
    assert SCRIPT not in html

    # Feeling unsafe: required.
    html = page(client, "/introduce/feeling-unsafe/")
    assert "Is anything making you feel unsafe right now?" in text(html)
    html = post(client, "/introduce/feeling-unsafe/", {})
    assert error_summary(html) == [("#id_unsafe_now", "Choose yes, no, or I'm not sure")]
    html = post(client, "/introduce/feeling-unsafe/", {"unsafe_now": "perhaps"})
    assert error_summary(html) == [("#id_unsafe_now", "Choose yes, no, or I'm not sure")]
    post(client, "/introduce/feeling-unsafe/", answers["feeling-unsafe"], to="/introduce/anything-we-should-know/")

    # Anything we should know: all optional; a place that is not on the list is named.
    html = page(client, "/introduce/anything-we-should-know/")
    assert "<h1>Is there anything we should know?</h1>" in html
    assert back_href(html) == "/introduce/feeling-unsafe/"
    assert "Your GP practice" in text(html) and "Someone who speaks my language" in text(html)
    html = post(client, "/introduce/anything-we-should-know/", {"preferred_places": ["moon"], "first_language": "Twi"})
    assert error_summary(html) == [("#id_preferred_places", "Choose places to meet from the list")]
    assert 'value="Twi"' in html
    post(client, "/introduce/anything-we-should-know/", answers["anything-we-should-know"], to="/introduce/who-else/")

    # Who else: optional, but a relationship with no name is asked about.
    html = page(client, "/introduce/who-else/")
    assert "<h1>Is there anyone else we may talk to?</h1>" in html
    html = post(client, "/introduce/who-else/", {"other_relationship": "My sister"})
    assert error_summary(html) == [("#id_other_name", "Enter their name, or leave this page blank")]
    post(client, "/introduce/who-else/", answers["who-else"], to="/introduce/agreement/")

    # Agreement: contact is needed for a self-introduction; sharing may be no.
    html = page(client, "/introduce/agreement/")
    assert 'href="/how-we-use-your-information/"' in html
    html = post(client, "/introduce/agreement/", {"agrees_to_share": "no"})
    assert error_summary(html) == [
        ("#id_agrees_to_contact", "Tell us that it is OK for us to contact you, so that we can arrange to meet")
    ]
    assert 'value="no" checked' in html
    post(client, "/introduce/agreement/", answers["agreement"], to=CHECK)

    # Check your answers: every answer, with a change link back to its page.
    html = page(client, CHECK)
    words = text(html)
    assert "<h1>Check your answers before sending your introduction</h1>" in html
    assert back_href(html) == "/introduce/agreement/"
    for shown in (
        "Myself",
        "Amara",
        "Okafor",
        "Mara",
        "7 November 1989",
        "07700 900982",
        "amara@example.test",
        "12 Acre Lane",
        "SW2 5SG",
        "North",
        "Text message",
        "Email",
        "Weekday mornings",
        "No",
        "Yoruba",
        "A café",
        "A peer worker",
        "Not before 10am",
        "Ngozi Okafor",
        "My sister",
        "07700 900123",
    ):
        assert shown in words, shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and SCRIPT not in html
    changes = set(re.findall(r'href="(/introduce/[^"]*\?change=1)"', html))
    assert changes == {url(slug) + "?change=1" for slug in SELF_ORDER}
    assert_no_inline_code(html)

    introduction = send(client)

    # What was made.
    assert introduction.source == Source.SELF
    assert introduction.site == cast.site
    assert introduction.state == IntroductionState.NEW
    assert introduction.locality == north
    assert introduction.urgent is False
    assert introduction.unsafe_now == "no"
    assert introduction.in_their_words == IN_THEIR_WORDS  # exactly as typed
    assert introduction.preferred_places == ["cafe", "phone"]
    assert introduction.worker_preferences == ["peer", "woman"]
    assert introduction.meeting_note == "Not before 10am"
    assert introduction.agrees_to_contact is True
    assert introduction.agrees_to_share is True
    assert introduction.person_aware == ""
    assert introduction.introduced_by is None
    assert introduction.submission_key and introduction.submission_key.startswith("web:")
    person = introduction.person
    assert (person.given_name, person.family_name, person.preferred_name) == ("Amara", "Okafor", "Mara")
    assert person.date_of_birth == dt.date(1989, 11, 7)
    assert (person.phone, person.email, person.postcode) == ("07700 900982", "amara@example.test", "SW2 5SG")
    assert (person.address_line_1, person.town) == ("12 Acre Lane", "London")
    assert (person.may_text, person.may_email, person.may_phone, person.may_write, person.may_leave_message) == (
        True,
        True,
        False,
        False,
        False,
    )
    assert person.contact_times == "Weekday mornings"
    assert (person.first_language, person.interpreter_needed) == ("Yoruba", True)
    assert person.access_needs == "Step-free access, please"
    assert Story.objects.get(person=person).what_brought_me_here == IN_THEIR_WORDS
    relationship = Relationship.objects.get(person=person)
    assert (relationship.name, relationship.part_they_play, relationship.contact) == (
        "Ngozi Okafor",
        "My sister",
        "07700 900123",
    )
    assert introduction.events.filter(kind=EventKind.INTRODUCED).count() == 1
    created = AuditEvent.objects.filter(person_id=person.pk, action=Action.CREATE)
    assert created.exists()
    assert any(e.detail.get("introduction") == introduction.reference for e in created)
    assert all(e.actor_id is None for e in created)

    # The confirmation: the reference, what happens next, the waiting figure, help now.
    html = page(client, "/introduce/confirmation/")
    words = text(html)
    assert "Introduction sent" in words
    assert introduction.reference in words
    assert "by text message, email, as you chose" in words
    assert "116 123" in words
    assert "We will contact you today" not in words
    assert_no_inline_code(html)


def test_answers_are_shown_again_when_going_back(cast: Cast) -> None:
    client = Client()
    answers = self_answers()
    walk(client, answers, SELF_ORDER[:4])
    html = page(client, "/introduce/contact-preferences/")
    assert 'value="text" checked' in html and 'value="email" checked' in html
    assert 'value="phone" checked' not in html
    html = page(client, "/introduce/name/")
    assert 'value="Amara"' in html and 'value="7"' in html and 'value="11"' in html and 'value="1989"' in html
    html = page(client, "/introduce/")
    assert 'value="myself" checked' in html


# ---- feeling unsafe ---------------------------------------------------------------------------------


def test_feeling_unsafe_shows_help_at_once_and_the_introduction_is_urgent(cast: Cast) -> None:
    client = Client()
    answers = self_answers()
    walk(client, answers, SELF_ORDER[:5])
    post(client, "/introduce/feeling-unsafe/", {"unsafe_now": "yes"}, to="/introduce/help-now/")

    html = page(client, "/introduce/help-now/")
    words = text(html)
    assert "<h1>Help is available now</h1>" in html
    assert "NHS 111 and choose option 2 for mental health" in words
    assert "Samaritans free on 116 123" in words
    assert "Call 999 , or go to A&E now" in words or "Call 999, or go to A&E now" in words
    assert "We will contact you today" in words
    assert "marked urgent" in words
    assert back_href(html) == "/introduce/feeling-unsafe/"
    assert_no_inline_code(html)
    # The help page cannot be skipped.
    response = client.get("/introduce/anything-we-should-know/")
    assert response["Location"] == "/introduce/help-now/"

    post(client, "/introduce/help-now/", {}, to="/introduce/anything-we-should-know/")
    assert back_href(page(client, "/introduce/anything-we-should-know/")) == "/introduce/help-now/"
    walk(client, answers, SELF_ORDER[6:])
    introduction = send(client)

    assert introduction.unsafe_now == "yes"
    assert introduction.urgent is True
    words = text(page(client, "/introduce/confirmation/"))
    assert "We will contact you today" in words
    assert introduction.reference in words


def test_changing_to_unsafe_from_the_check_page_shows_the_help_page(cast: Cast) -> None:
    client = Client()
    walk(client, self_answers(), SELF_ORDER)
    post(client, "/introduce/feeling-unsafe/?change=1", {"unsafe_now": "yes"}, to="/introduce/help-now/?change=1")
    assert back_href(page(client, "/introduce/help-now/?change=1")) == CHECK
    post(client, "/introduce/help-now/?change=1", {}, to=CHECK)
    # No, then yes again: the help page is shown again.
    post(client, "/introduce/feeling-unsafe/?change=1", {"unsafe_now": "no"}, to=CHECK)
    post(client, "/introduce/feeling-unsafe/?change=1", {"unsafe_now": "yes"}, to="/introduce/help-now/?change=1")
    assert client.get(CHECK)["Location"] == "/introduce/help-now/"


# ---- introducing someone else ---------------------------------------------------------------------------


def test_introducing_someone_else_who_does_not_know_yet(cast: Cast) -> None:
    client = Client()
    post(client, "/introduce/", {"who": "someone_else"}, to="/introduce/about-you/")

    html = page(client, "/introduce/about-you/")
    assert "<h1>About you</h1>" in html and "Introduce someone else" in text(html)
    assert back_href(html) == "/introduce/"
    html = post(client, "/introduce/about-you/", {"introducer_name": "Grace Mensah"})
    message = "Enter your phone number or email address, so that we can get in touch with you"
    assert error_summary(html) == [("#id_introducer_phone", message)]
    assert 'value="Grace Mensah"' in html
    about_you = {
        "introducer_name": "Grace Mensah",
        "introducer_relationship": "His aunt",
        "introducer_email": "grace@example.test",
    }
    post(client, "/introduce/about-you/", about_you, to="/introduce/person-aware/")

    html = page(client, "/introduce/person-aware/")
    words = text(html)
    assert "Do they know about this introduction, and agree to it?" in words
    assert "we will talk with you first" in words
    assert "It is usually best to tell them" in words
    html = post(client, "/introduce/person-aware/", {})
    assert error_summary(html) == [("#id_person_aware", "Choose whether they know about this introduction")]
    post(client, "/introduce/person-aware/", {"person_aware": "does_not_know"}, to="/introduce/name/")

    html = page(client, "/introduce/name/")
    assert "<h1>What is their name?</h1>" in html
    assert back_href(html) == "/introduce/person-aware/"
    assert "What do they like to be called? (optional)" in text(html)
    html = post(client, "/introduce/name/", {})
    assert error_summary(html) == [("#id_given_name", "Enter their first name")]
    post(client, "/introduce/name/", {"given_name": "Kwame"}, to="/introduce/contact/")

    # The introducer may not have their details: we then get in touch with the introducer first.
    html = page(client, "/introduce/contact/")
    assert "<h1>How can we get in touch with them?</h1>" in html
    assert "we will get in touch with you first" in text(html)
    post(client, "/introduce/contact/", {}, to="/introduce/what-brought-you-here/")
    html = page(client, "/introduce/what-brought-you-here/")
    assert "What has brought them here?" in text(html)
    assert back_href(html) == "/introduce/contact/"
    post(
        client,
        "/introduce/what-brought-you-here/",
        {"in_their_words": "He has stopped going out."},
        to="/introduce/feeling-unsafe/",
    )
    assert "Is anything making them feel unsafe right now?" in text(page(client, "/introduce/feeling-unsafe/"))
    post(client, "/introduce/feeling-unsafe/", {"unsafe_now": "not_sure"}, to="/introduce/anything-we-should-know/")
    html = page(client, "/introduce/anything-we-should-know/")
    assert "Someone who speaks their language" in text(html) and "Their GP practice" in text(html)
    post(client, "/introduce/anything-we-should-know/", {}, to="/introduce/who-else/")
    post(client, "/introduce/who-else/", {}, to="/introduce/agreement/")
    html = page(client, "/introduce/agreement/")
    assert "It is OK for Living Well to contact them" in text(html)
    assert "who support them?" in text(html)
    post(client, "/introduce/agreement/", {"agrees_to_share": "no"}, to=CHECK)

    words = text(page(client, CHECK))
    assert "Someone else: a family member, friend or someone I know" in words
    assert "Grace Mensah" in words and "His aunt" in words and "No, they do not know yet" in words
    introduction = send(client)

    assert introduction.source == Source.FAMILY_FRIEND
    assert introduction.person_aware == "does_not_know"
    assert (introduction.introducer_name, introduction.introducer_relationship) == ("Grace Mensah", "His aunt")
    assert introduction.introducer_email == "grace@example.test"
    assert introduction.in_their_words == "He has stopped going out."
    assert introduction.unsafe_now == "not_sure" and introduction.urgent is False
    assert introduction.agrees_to_contact is False and introduction.agrees_to_share is False
    assert introduction.person.given_name == "Kwame"
    assert introduction.person.phone == "" and introduction.person.email == ""

    words = text(page(client, "/introduce/confirmation/"))
    assert introduction.reference in words
    assert (
        "They do not know about this introduction yet, so someone from the Living Well Hub will talk with you first"
        in words
    )


# ---- change links ------------------------------------------------------------------------------------


def test_change_links_go_back_to_the_check_page(cast: Cast) -> None:
    client = Client()
    walk(client, self_answers(), SELF_ORDER)

    html = page(client, "/introduce/name/?change=1")
    assert back_href(html) == CHECK
    assert 'action="/introduce/name/?change=1"' in html
    post(client, "/introduce/name/?change=1", {**self_answers()["name"], "given_name": "Ama"}, to=CHECK)
    assert "Ama" in text(page(client, CHECK))

    # Errors on a change page keep the person there, with the change still going back to the check page.
    html = post(client, "/introduce/name/?change=1", {"given_name": ""})
    assert error_summary(html) == [("#id_given_name", "Enter your first name")]

    # Becoming an introduction of someone else asks the new questions, then returns to the check page.
    post(client, "/introduce/?change=1", {"who": "someone_else"}, to="/introduce/about-you/?change=1")
    post(
        client,
        "/introduce/about-you/?change=1",
        {"introducer_name": "Ife", "introducer_phone": "07700 900456"},
        to="/introduce/person-aware/?change=1",
    )
    post(client, "/introduce/person-aware/?change=1", {"person_aware": "agrees"}, to=CHECK)
    introduction = send(client)
    assert introduction.source == Source.FAMILY_FRIEND
    assert introduction.person.given_name == "Ama"
    assert introduction.introducer_name == "Ife"


def test_taking_away_the_phone_number_asks_again_how_to_contact(cast: Cast) -> None:
    client = Client()
    answers = self_answers()
    walk(client, answers, SELF_ORDER)
    post(
        client,
        "/introduce/contact/?change=1",
        {**answers["contact"], "phone": ""},
        to="/introduce/contact-preferences/?change=1",
    )
    html = page(client, "/introduce/contact-preferences/?change=1")
    assert field_error(html, "id_ways").startswith("You chose text message, but there is no phone number")
    assert 'value="text" checked' in html
    # The check page will not send what no longer fits.
    assert client.get(CHECK)["Location"] == "/introduce/contact-preferences/?change=1"
    assert client.post(CHECK)["Location"] == "/introduce/contact-preferences/?change=1"
    assert not Introduction.objects.filter(person__given_name="Amara").exists()
    post(client, "/introduce/contact-preferences/?change=1", {"ways": ["email"]}, to=CHECK)
    introduction = send(client)
    assert introduction.person.may_email and not introduction.person.may_text


# ---- sending once -------------------------------------------------------------------------------------


def test_sending_twice_makes_one_introduction(cast: Cast) -> None:
    client = Client()
    walk(client, self_answers(), SELF_ORDER)
    before = Introduction.objects.count()
    snapshot = dict(client.session["introduce"])

    first = client.post(CHECK)
    second = client.post(CHECK)  # a double click
    assert first["Location"] == second["Location"] == "/introduce/confirmation/"
    assert client.get(CHECK)["Location"] == "/introduce/confirmation/"  # back to the check page
    assert Introduction.objects.count() == before + 1
    reference = Introduction.objects.latest("created_at").reference

    # Two requests that both read the answers before either finished: the submission key holds.
    session = client.session
    session["introduce"] = snapshot
    session.save()
    assert client.post(CHECK)["Location"] == "/introduce/confirmation/"
    assert Introduction.objects.count() == before + 1
    assert reference in text(page(client, "/introduce/confirmation/"))
    assert Person.objects.filter(given_name="Amara").count() == 1


def test_a_new_journey_after_sending_is_a_new_introduction(cast: Cast) -> None:
    client = Client()
    walk(client, self_answers(), SELF_ORDER)
    first = send(client)
    walk(client, self_answers(), SELF_ORDER)
    second = send(client)
    assert first.pk != second.pk and first.submission_key != second.submission_key
    assert second.reference in text(page(client, "/introduce/confirmation/"))


def test_a_problem_the_service_finds_is_shown_on_the_check_page(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**kwargs: Any) -> Any:
        raise FrontDoorError("no_way_to_reach", "Enter a phone number you can be reached on", field="phone")

    monkeypatch.setattr(public_views, "introduction_create", refuse)
    client = Client()
    walk(client, self_answers(), SELF_ORDER)
    response = client.post(CHECK)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<title>Error: Check your answers {DASH} Living Well</title>" in html
    assert error_summary(html) == [("/introduce/contact/?change=1", "Enter a phone number you can be reached on")]
    assert "Amara" in text(html)  # the answers are kept


# ---- order of the pages -------------------------------------------------------------------------------


def test_skipping_ahead_goes_to_the_first_unanswered_question(cast: Cast) -> None:
    client = Client()
    assert client.get("/introduce/agreement/")["Location"] == "/introduce/"
    assert client.get(CHECK)["Location"] == "/introduce/"
    assert client.get("/introduce/confirmation/")["Location"] == "/introduce/"
    assert client.post("/introduce/agreement/", self_answers()["agreement"])["Location"] == "/introduce/"
    post(client, "/introduce/", {"who": "myself"}, to="/introduce/name/")
    assert client.get("/introduce/agreement/")["Location"] == "/introduce/name/"
    assert client.get(CHECK)["Location"] == "/introduce/name/"
    # Pages that are not part of this journey send the person on.
    assert client.get("/introduce/about-you/")["Location"] == "/introduce/name/"
    assert client.get("/introduce/help-now/")["Location"] == "/introduce/name/"
    assert client.get("/introduce/who/")["Location"] == "/introduce/"
    assert client.get("/introduce/no-such-question/").status_code == 404
    assert Introduction.objects.filter(source=Source.SELF, person__given_name="Amara").count() == 0


def test_several_networks_ask_which_first(cast: Cast) -> None:
    other = Site.objects.create(name="Bristol", slug="bristol")
    Locality.objects.create(site=other, name="Easton")
    client = Client()
    html = page(client, "/introduce/")
    assert "Which Living Well network?" in text(html)
    assert "There are no criteria to meet" in text(html)
    html = post(client, "/introduce/", {})
    assert error_summary(html) == [("#id_site", "Choose the Living Well network where the person lives")]
    post(client, "/introduce/", {"site": str(other.pk)}, to="/introduce/who/")
    html = page(client, "/introduce/who/")
    assert back_href(html) == "/introduce/"
    answers = self_answers()
    answers["contact"]["locality"] = str(Locality.objects.get(name="Easton").pk)
    post(client, "/introduce/who/", answers["who"], to="/introduce/name/")
    walk(client, answers, SELF_ORDER[1:])
    assert ">Easton<" in page(client, "/introduce/contact/")
    introduction = send(client)
    assert introduction.site == other
    assert introduction.locality is not None and introduction.locality.name == "Easton"


def test_confirmation_when_nobody_has_been_met_yet(cast: Cast) -> None:
    Introduction.objects.filter(first_conversation_at__isnull=False).update(
        first_conversation_at=None, state=IntroductionState.NEW
    )
    client = Client()
    walk(client, self_answers(), SELF_ORDER)
    send(client)
    words = text(page(client, "/introduce/confirmation/"))
    assert "We do not have enough first conversations yet to say how long people wait" in words
    assert "We aim to meet everyone within 28 days" in words


def test_confirmation_shows_the_live_waiting_figure(cast: Cast) -> None:
    # The cast has one person met 20 days after their introduction, 40 days ago.
    client = Client()
    walk(client, self_answers(), SELF_ORDER)
    send(client)
    words = text(page(client, "/introduce/confirmation/"))
    assert "half of the people introduced had their first conversation within 20 days" in words
    assert "9 in 10 were met within 20 days" in words


def test_before_any_network_is_set_up_the_page_says_so(db: None) -> None:
    html = page(Client(), "/introduce/")
    assert "This Living Well network is not taking introductions online yet" in text(html)
    assert "116 123" in text(html)
    assert "not taking introductions online yet" in text(page(Client(), CHECK))
