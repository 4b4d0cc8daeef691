"""The Hub's pages: the queue, an introduction, and each action, asserted on the HTML."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from livingwell.access import services
from livingwell.access.models import (
    Booking,
    BookingStatus,
    Handover,
    Introduction,
    IntroductionState,
    PossibleMatch,
    Source,
)
from livingwell.access.services import IntroductionInput
from livingwell.audit.models import Action, AuditEvent, Basis, Outcome
from livingwell.messaging.models import Message
from livingwell.network.models import Locality
from livingwell.people.models import Person
from livingwell.support.models import SupportPeriod
from livingwell.testing import Cast, make_person

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _introduce(cast: Cast, given: str = "Jo", **overrides: Any) -> Introduction:
    data: dict[str, Any] = {
        "site": cast.site,
        "source": Source.SELF,
        "person": {"given_name": given, "family_name": "Okafor", "phone": "07700 900123", "may_text": True},
        "in_their_words": "Not <b>sleeping</b>",
        "agrees_to_contact": True,
        "preferred_places": ["cafe"],
        "worker_preferences": ["peer"],
    }
    data.update(overrides)
    return services.introduction_create(data=IntroductionInput(**data)).introduction


def test_queue_shows_urgent_first_then_longest_waiting(cast: Cast) -> None:
    old = _introduce(cast, "Old")
    Introduction.objects.filter(pk=old.pk).update(introduced_at=timezone.now() - dt.timedelta(days=20))
    _introduce(cast, "Urgent", unsafe_now="yes")
    html = client_for(cast.coordinator).get(reverse("front_door:queue")).content.decode()
    assert "<h1>Front door queue</h1>" in html
    assert html.index("Urgent Okafor") < html.index("Old Okafor") < html.index("Sam Taylor")
    assert "20 days" in html
    assert "Alex Morgan" not in html  # met: no longer at the front door
    assert AuditEvent.objects.filter(actor=cast.coordinator, action=Action.LIST, basis=Basis.FRONT_DOOR).count() == 3


def test_queue_filters_by_state_source_language_and_area(cast: Cast) -> None:
    east = Locality.objects.create(site=cast.site, name="East")
    _introduce(
        cast,
        "Polish",
        person={"given_name": "Polish", "family_name": "Okafor", "first_language": "Polish", "phone": "1"},
    )
    gp = _introduce(cast, "Gp", source=Source.GP, person_aware="agrees", locality=east)
    client = client_for(cast.coordinator)
    by_language = client.get(reverse("front_door:queue"), {"language": "polish"}).content.decode()
    assert "Polish Okafor" in by_language and "Sam Taylor" not in by_language
    by_source = client.get(reverse("front_door:queue"), {"source": "gp"}).content.decode()
    assert "Gp Okafor" in by_source and "Polish Okafor" not in by_source
    by_area = client.get(reverse("front_door:queue"), {"locality": str(east.pk)}).content.decode()
    assert "Gp Okafor" in by_area and "Sam Taylor" not in by_area
    services.introduction_withdraw(actor=cast.coordinator, introduction=gp, reason="Moved away")
    withdrawn = client.get(reverse("front_door:queue"), {"state": "withdrawn"}).content.decode()
    assert "Gp Okafor" in withdrawn and "Polish Okafor" not in withdrawn
    assert "1 introduction matching the filters" in withdrawn


def test_queue_query_count_does_not_grow_with_the_page(cast: Cast) -> None:
    client = client_for(cast.coordinator)
    client.get(reverse("front_door:queue"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("front_door:queue"))
    for n in range(12):
        _introduce(cast, f"Person{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("front_door:queue"))
    assert len(many) == len(few)


@pytest.mark.parametrize("who", ["team_worker", "analyst", "stranger", "person_user"])
def test_only_coordinators_see_the_queue(cast: Cast, who: str) -> None:
    response = client_for(getattr(cast, who)).get(reverse("front_door:queue"))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor=getattr(cast, who), outcome=Outcome.REFUSED).exists()


def test_introduction_page_shows_what_they_told_us_escaped_and_the_clock(cast: Cast) -> None:
    introduction = _introduce(cast)
    html = client_for(cast.coordinator).get(reverse("front_door:introduction", args=[introduction.pk])).content.decode()
    assert "<h1>Jo Okafor</h1>" in html
    assert introduction.reference in html
    assert "Not &lt;b&gt;sleeping&lt;/b&gt;" in html
    assert "Waiting 0 days (target 28 days)" in html
    assert "A café" in html and "A peer worker" in html
    assert "Book the first conversation" in html


@pytest.mark.parametrize("who", ["team_worker", "analyst", "stranger"])
def test_others_cannot_open_an_introduction(cast: Cast, who: str) -> None:
    introduction = _introduce(cast)
    response = client_for(getattr(cast, who)).get(reverse("front_door:introduction", args=[introduction.pk]))
    assert response.status_code == 403


def test_recording_an_attempt_with_bad_input_keeps_the_answers(cast: Cast) -> None:
    introduction = _introduce(cast)
    url = reverse("front_door:attempt", args=[introduction.pk])
    response = client_for(cast.coordinator).post(
        url, {"date_0": "31", "date_1": "2", "date_2": "2026", "time": "25:00", "note": "Tried twice"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Record an attempt" in html
    assert "Date of the attempt must be a real date" in html
    assert "Enter a real time, like 14:30" in html
    assert "Select how you tried to get in touch" in html
    assert "Tried twice" in html
    assert not introduction.attempts.exists()


def test_coordinator_books_and_the_worker_records_the_first_conversation(cast: Cast) -> None:
    introduction = _introduce(cast)
    coordinator = client_for(cast.coordinator)
    book_url = reverse("front_door:book", args=[introduction.pk])
    page = coordinator.get(book_url).content.decode()
    assert "Who will meet them" in page and "Allocated Peer" in page and "fits: peer worker" in page
    when = timezone.localtime() + dt.timedelta(days=2)
    response = coordinator.post(
        book_url,
        {
            "date_0": when.day,
            "date_1": when.month,
            "date_2": when.year,
            "time": "10:30",
            "place": "cafe",
            "place_detail": "Brixton Library café",
            "worker": str(cast.allocated_worker.pk),
            "notify_by": "sms",
        },
    )
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.BOOKED
    assert Message.objects.filter(person_id=introduction.person_id, purpose="first conversation booked").exists()

    Introduction.objects.filter(pk=introduction.pk).update(introduced_at=timezone.now() - dt.timedelta(days=1))
    worker = client_for(cast.allocated_worker)
    page = worker.get(reverse("front_door:first_conversation", args=[introduction.pk])).content.decode()
    assert "Not &lt;b&gt;sleeping&lt;/b&gt;" in page  # the story arrives filled with what they told us
    today = timezone.localdate()
    response = worker.post(
        reverse("front_door:first_conversation", args=[introduction.pk]),
        {
            "date_0": today.day,
            "date_1": today.month,
            "date_2": today.year,
            "time": "00:01",
            "place": "cafe",
            "what_brought_me_here": "Not sleeping",
            "going_well": "Running",
            "hard": "",
            "would_like_to_achieve": "",
            "who_can_help": "",
            "outcome": "support",
            "team": str(cast.team_b.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.MET
    assert SupportPeriod.objects.filter(person=introduction.person, team=cast.team_b).exists()
    assert Booking.objects.get(introduction=introduction).status == BookingStatus.HELD


def test_first_conversation_support_needs_a_team(cast: Cast) -> None:
    introduction = _introduce(cast)
    today = timezone.localdate()
    response = client_for(cast.coordinator).post(
        reverse("front_door:first_conversation", args=[introduction.pk]),
        {
            "date_0": today.day,
            "date_1": today.month,
            "date_2": today.year,
            "time": "00:01",
            "place": "phone",
            "outcome": "support",
        },
    )
    assert "Choose the team that will support the person" in response.content.decode()
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.NEW


def test_withdraw_and_reopen_pages(cast: Cast) -> None:
    introduction = cast.newcomer.introductions.get()
    client = client_for(cast.coordinator)
    response = client.post(reverse("front_door:withdraw", args=[introduction.pk]), {"reason": ""})
    assert "Say why, in the person&#39;s words if you can" in response.content.decode()
    client.post(reverse("front_door:withdraw", args=[introduction.pk]), {"reason": "Doing better"})
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.WITHDRAWN
    page = client.get(reverse("front_door:introduction", args=[introduction.pk])).content.decode()
    assert "Reopen the introduction" in page and "Doing better" in page
    client.post(reverse("front_door:reopen", args=[introduction.pk]), {"note": ""})
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.CONTACTING


def test_unreachable_page_explains_attempts_needed(cast: Cast) -> None:
    introduction = cast.newcomer.introductions.get()
    response = client_for(cast.coordinator).post(
        reverse("front_door:unreachable", args=[introduction.pk]), {"note": ""}
    )
    html = response.content.decode()
    assert "Record at least 3 attempts to get in touch first (0 so far)" in html
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.NEW


def test_coordinator_confirms_a_returning_person(cast: Cast) -> None:
    known = make_person(cast.site, "Jo", "Okafor", date_of_birth=dt.date(1990, 5, 17), postcode="SE11 4AA")
    introduction = _introduce(
        cast, person={"given_name": "Jo", "family_name": "Okafor", "date_of_birth": dt.date(1990, 5, 17), "phone": "1"}
    )
    match = PossibleMatch.objects.get(introduction=introduction)
    client = client_for(cast.coordinator)
    page = client.get(reverse("front_door:introduction", args=[introduction.pk])).content.decode()
    assert "They may be someone we know" in page and "SE11 4AA" in page
    assert AuditEvent.objects.filter(
        person_id=known.pk, actor=cast.coordinator, detail__possible_match_for=introduction.reference
    ).exists()
    response = client.post(reverse("front_door:match", args=[introduction.pk, match.pk]), {"same_person": "yes"})
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.person_id == known.pk
    assert Person.objects.filter(given_name="Jo", family_name="Okafor").count() == 1


def test_handovers_and_outbox_pages(cast: Cast) -> None:
    introduction = _introduce(cast)
    services.first_conversation_record(
        actor=cast.coordinator,
        introduction=introduction,
        held_at=timezone.now(),
        place="phone",
        story={},
        outcome="handover",
        handover_to="Perinatal team",
        handover_reason="Wants specialist help",
    )
    client = client_for(cast.coordinator)
    html = client.get(reverse("front_door:handovers")).content.decode()
    assert "Perinatal team" in html and "Jo Okafor" in html
    handover = Handover.objects.get()
    client.post(reverse("front_door:handover_follow_up", args=[handover.pk]), {"note": "Seen, going well"})
    handover.refresh_from_db()
    assert handover.follow_up_note == "Seen, going well"
    services.booking_create(
        actor=cast.coordinator,
        introduction=_introduce(cast, "Kim"),
        starts_at=timezone.now() + dt.timedelta(days=1),
        place="video",
        place_detail="",
        worker=cast.team_worker,
        notify_by="sms",
    )
    outbox = client.get(reverse("front_door:outbox")).content.decode()
    assert "Your first conversation with Living Well" in outbox or "first conversation booked" in outbox
    assert client_for(cast.team_worker).get(reverse("front_door:outbox")).status_code == 403


def test_the_person_s_record_shows_their_introductions_and_waiting_times(cast: Cast) -> None:
    html = client_for(cast.team_worker).get(reverse("people:record", args=[cast.person.pk])).content.decode()
    assert "Introductions and waiting times" in html
    assert "Met. Met after 20 days" in html
    own = client_for(cast.person_user).get(reverse("people:me")).content.decode()
    assert "Met after 20 days" in own
