"""The front door's services: taking introductions, moving them on, never turning anyone away."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from livingwell.access import services
from livingwell.access.models import (
    AttemptOutcome,
    Booking,
    BookingStatus,
    ContactMethod,
    ConversationOutcome,
    EventKind,
    FirstConversation,
    Handover,
    Introduction,
    IntroductionState,
    MatchStatus,
    PossibleMatch,
    Source,
)
from livingwell.access.services import FrontDoorError, IntroductionInput
from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.audit.selectors import access_log_for_person
from livingwell.audit.services import AccessRefused
from livingwell.conftest import Cast, make_person
from livingwell.messaging.models import Channel, Message, MessageStatus
from livingwell.people.models import JoinedRecord, Person, Relationship
from livingwell.support.models import SupportPeriod


def _input(cast: Cast, **overrides: Any) -> IntroductionInput:
    fields: dict[str, Any] = {
        "site": cast.site,
        "source": Source.SELF,
        "person": {"given_name": "Jo", "family_name": "Okafor", "phone": "07700 900123", "may_phone": True},
        "in_their_words": "I haven't been sleeping since I lost my job.",
        "agrees_to_contact": True,
        "agrees_to_share": True,
    }
    fields.update(overrides)
    return IntroductionInput(**fields)


def _introduce(cast: Cast, **overrides: Any) -> Introduction:
    return services.introduction_create(data=_input(cast, **overrides)).introduction


# ---- taking an introduction -----------------------------------------------------------------------


def test_a_self_introduction_keeps_their_words_as_their_story(cast: Cast) -> None:
    words = "I haven't been sleeping.\n<b>Not</b> bold & not <script>code</script>."
    introduction = _introduce(cast, in_their_words=words, others=[{"name": "Ama", "relationship": "sister"}])
    person = introduction.person
    assert introduction.state == IntroductionState.NEW
    assert introduction.reference.startswith("LW-") and len(introduction.reference) == 12
    assert person.story.what_brought_me_here == words
    assert introduction.in_their_words == words
    assert list(Relationship.objects.filter(person=person).values_list("name", "part_they_play")) == [("Ama", "sister")]
    assert introduction.events.get().kind == EventKind.INTRODUCED
    event = AuditEvent.objects.get(
        person_id=person.pk, action=Action.CREATE, detail__introduction=introduction.reference
    )
    assert event.actor_name == "Someone not signed in"


def test_someone_else_s_words_are_not_put_in_the_person_s_story(cast: Cast) -> None:
    introduction = _introduce(
        cast,
        source=Source.FAMILY_FRIEND,
        person_aware="agrees",
        introducer_name="Ama Okafor",
        in_their_words="My brother has stopped going out.",
        agrees_to_contact=False,
    )
    assert introduction.person.story.what_brought_me_here == ""
    assert introduction.in_their_words == "My brother has stopped going out."


def test_saying_they_are_unsafe_makes_it_urgent_and_never_turns_them_away(cast: Cast) -> None:
    introduction = _introduce(cast, unsafe_now="yes")
    assert introduction.urgent
    assert introduction.state == IntroductionState.NEW


def test_the_person_is_told_we_have_their_introduction_by_the_route_they_chose(cast: Cast) -> None:
    introduction = _introduce(
        cast, person={"given_name": "Jo", "email": "jo@example.test", "may_email": True, "phone": "07700900123"}
    )
    message = Message.objects.get(person_id=introduction.person_id)
    assert (message.channel, message.to, message.status) == (Channel.EMAIL, "jo@example.test", MessageStatus.IN_OUTBOX)
    assert introduction.reference in message.body


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"person": {"given_name": "  "}}, "given_name", "name_missing"),
        ({"person": {"given_name": "Jo"}}, "phone", "no_way_to_reach"),
        ({"agrees_to_contact": False}, "agrees_to_contact", "contact_not_agreed"),
        ({"source": Source.GP, "person_aware": ""}, "person_aware", "person_aware_missing"),
        ({"preferred_places": ["moon"]}, "preferred_places", "place_unknown"),
        ({"introduced_at": timezone.now() + dt.timedelta(days=1)}, "introduced_at", "introduced_in_future"),
        ({"introduced_at": dt.datetime(2026, 1, 1)}, "introduced_at", "time_zone_missing"),
        (
            {"person": {"given_name": "Jo", "phone": "0770", "postcode": "not a postcode"}},
            "postcode",
            "invalid",
        ),
    ],
)
def test_bad_input_is_named_by_its_field_and_nothing_is_saved(
    cast: Cast, overrides: dict[str, Any], field: str, code: str
) -> None:
    people, introductions = Person.objects.count(), Introduction.objects.count()
    with pytest.raises(FrontDoorError) as raised:
        _introduce(cast, **overrides)
    assert (raised.value.field, raised.value.code) == (field, code)
    assert (Person.objects.count(), Introduction.objects.count()) == (people, introductions)


def test_a_retry_with_the_same_key_returns_the_first_introduction(cast: Cast) -> None:
    first = services.introduction_create(data=_input(cast), submission_key="web:abc", submission_hash="h1")
    again = services.introduction_create(data=_input(cast), submission_key="web:abc", submission_hash="h1")
    assert first.created and not again.created
    assert again.introduction.pk == first.introduction.pk
    assert Introduction.objects.filter(submission_key="web:abc").count() == 1


def test_the_same_key_with_a_different_body_is_an_error(cast: Cast) -> None:
    services.introduction_create(data=_input(cast), submission_key="api:1:k", submission_hash="h1")
    with pytest.raises(FrontDoorError) as raised:
        services.introduction_create(data=_input(cast), submission_key="api:1:k", submission_hash="h2")
    assert raised.value.code == "idempotency_key_reused"


def test_a_historical_introduction_keeps_its_date(cast: Cast) -> None:
    when = timezone.now() - dt.timedelta(days=400)
    introduction = _introduce(cast, source=Source.GP, person_aware="agrees", introduced_at=when)
    assert introduction.introduced_at == when


def test_the_same_nhs_number_joins_the_person_we_know(cast: Cast) -> None:
    introduction = _introduce(
        cast,
        source=Source.GP,
        person_aware="agrees",
        person={"given_name": "Alexandra", "nhs_number": "943 476 5919", "phone": "0207 000 0000"},
    )
    assert introduction.person_id == cast.person.pk
    assert introduction.events.filter(kind=EventKind.MATCHED).exists()
    assert not PossibleMatch.objects.filter(introduction=introduction).exists()


def test_a_close_match_is_put_to_a_coordinator_not_merged(cast: Cast) -> None:
    known = make_person(cast.site, "Jo", "Okafor", date_of_birth=dt.date(1990, 5, 17), postcode="SE11 4AA")
    introduction = _introduce(
        cast,
        person={
            "given_name": "Joe",
            "family_name": "Okafor",
            "date_of_birth": dt.date(1990, 5, 17),
            "postcode": "SE11 4AA",
            "phone": "07700900123",
        },
    )
    assert introduction.person_id != known.pk
    match = PossibleMatch.objects.get(introduction=introduction)
    assert match.candidate_id == known.pk
    assert match.status == MatchStatus.PENDING
    assert "same date of birth" in match.reasons


def test_confirming_a_match_carries_the_story_and_network_over(cast: Cast) -> None:
    known = make_person(cast.site, "Jo", "Okafor", date_of_birth=dt.date(1990, 5, 17))
    known.story.hard = "Money worries"
    known.story.save()
    Relationship.objects.create(person=known, name="Ama", kind="family")
    introduction = _introduce(
        cast,
        person={
            "given_name": "Jo",
            "family_name": "Okafor",
            "date_of_birth": dt.date(1990, 5, 17),
            "email": "jo@example.test",
        },
        in_their_words="Things are hard again.",
        others=[{"name": "Kofi", "relationship": "friend"}],
    )
    duplicate_id = introduction.person_id
    match = PossibleMatch.objects.get(introduction=introduction)
    services.match_decide(actor=cast.coordinator, match=match, same_person=True)
    introduction.refresh_from_db()
    known.refresh_from_db()
    assert introduction.person_id == known.pk
    assert not Person.objects.filter(pk=duplicate_id).exists()
    assert known.email == "jo@example.test"
    assert known.story.hard == "Money worries"
    day = timezone.localdate()
    # What they said before stays; what they said now is added beside it, with the date.
    assert known.story.what_brought_me_here.endswith(f"\n\n{day.day} {day:%B %Y}: Things are hard again.")
    assert len(known.story.what_brought_me_here) > len(f"{day.day} {day:%B %Y}: Things are hard again.") + 2
    assert set(Relationship.objects.filter(person=known).values_list("name", flat=True)) == {"Ama", "Kofi"}
    # The trail of the record made at the front door stays readable in the person's own access log.
    joined = list(JoinedRecord.objects.filter(person=known).values_list("former_person_id", flat=True))
    assert joined == [duplicate_id]
    log = access_log_for_person(known.pk, joined=joined)
    assert log.filter(person_id=duplicate_id, action=Action.CREATE).exists()


def test_not_the_same_person_leaves_both_records(cast: Cast) -> None:
    known = make_person(cast.site, "Jo", "Okafor", date_of_birth=dt.date(1990, 5, 17))
    introduction = _introduce(
        cast, person={"given_name": "Jo", "family_name": "Okafor", "date_of_birth": dt.date(1990, 5, 17), "phone": "1"}
    )
    match = PossibleMatch.objects.get(introduction=introduction)
    services.match_decide(actor=cast.coordinator, match=match, same_person=False)
    match.refresh_from_db()
    assert match.status == MatchStatus.NOT_SAME
    assert Person.objects.filter(pk=introduction.person_id).exists() and Person.objects.filter(pk=known.pk).exists()


# ---- working the introduction -------------------------------------------------------------------


def _attempt(cast: Cast, introduction: Introduction, outcome: str = AttemptOutcome.NO_ANSWER) -> None:
    services.contact_attempt_record(
        actor=cast.coordinator,
        introduction=introduction,
        attempted_at=timezone.now(),
        method=ContactMethod.PHONE,
        outcome=outcome,
    )


def test_the_first_attempt_moves_a_new_introduction_to_contacting(cast: Cast) -> None:
    introduction = cast.newcomer.introductions.get()
    _attempt(cast, introduction)
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.CONTACTING
    assert introduction.attempts.count() == 1


def test_booking_tells_the_person_and_the_worker_can_then_read_the_record(cast: Cast) -> None:
    introduction = _introduce(cast, person={"given_name": "Jo", "phone": "07700900123", "may_text": True})
    from livingwell.audit.policy import access_to

    assert not access_to(cast.team_worker, introduction.person).bases
    booking = services.booking_create(
        actor=cast.coordinator,
        introduction=introduction,
        starts_at=timezone.now() + dt.timedelta(days=3),
        place="cafe",
        place_detail="Brixton Library café",
        worker=cast.team_worker,
        notify_by="sms",
    )
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.BOOKED
    message = Message.objects.filter(person_id=introduction.person_id, purpose="first conversation booked").get()
    assert message.channel == Channel.SMS and "Brixton Library café" in message.body
    assert access_to(cast.team_worker, introduction.person).bases
    # Moving the booking keeps one current booking.
    services.booking_create(
        actor=cast.coordinator,
        introduction=introduction,
        starts_at=timezone.now() + dt.timedelta(days=5),
        place="phone",
        place_detail="",
        worker=cast.team_worker,
        notify_by="already_told",
    )
    assert Booking.objects.filter(introduction=introduction, status=BookingStatus.BOOKED).count() == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_a_booking_needs_a_way_to_tell_them(cast: Cast) -> None:
    introduction = _introduce(cast)
    with pytest.raises(FrontDoorError) as raised:
        services.booking_create(
            actor=cast.coordinator,
            introduction=introduction,
            starts_at=timezone.now() + dt.timedelta(days=3),
            place="cafe",
            place_detail="",
            worker=cast.team_worker,
            notify_by="email",
        )
    assert raised.value.field == "notify_by"


def test_a_booking_that_did_not_happen_goes_back_to_contacting(cast: Cast) -> None:
    introduction = _introduce(cast)
    booking = services.booking_create(
        actor=cast.coordinator,
        introduction=introduction,
        starts_at=timezone.now() + dt.timedelta(days=1),
        place="park",
        place_detail="",
        worker=cast.team_worker,
        notify_by="already_told",
    )
    services.booking_cancel(actor=cast.coordinator, booking=booking, not_attended=True, note="Not there")
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.CONTACTING
    assert introduction.events.filter(kind=EventKind.NOT_ATTENDED).exists()


def test_withdrawing_needs_their_reason_and_can_be_reopened(cast: Cast) -> None:
    introduction = cast.newcomer.introductions.get()
    with pytest.raises(FrontDoorError):
        services.introduction_withdraw(actor=cast.coordinator, introduction=introduction, reason=" ")
    services.introduction_withdraw(actor=cast.coordinator, introduction=introduction, reason="Feeling better")
    introduction.refresh_from_db()
    assert (introduction.state, introduction.closed_reason) == (IntroductionState.WITHDRAWN, "Feeling better")
    services.introduction_reopen(actor=cast.coordinator, introduction=introduction, note="Called back")
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.CONTACTING


@override_settings(LIVINGWELL_UNREACHABLE_AFTER_ATTEMPTS=3)
def test_not_reached_only_after_several_attempts_counted_since_reopening(cast: Cast) -> None:
    introduction = cast.newcomer.introductions.get()
    _attempt(cast, introduction)
    _attempt(cast, introduction, AttemptOutcome.SPOKE)  # reaching them does not count
    _attempt(cast, introduction)
    with pytest.raises(FrontDoorError) as raised:
        services.introduction_mark_unreachable(actor=cast.coordinator, introduction=introduction)
    assert "3 attempts" in raised.value.message and "(2 so far)" in raised.value.message
    _attempt(cast, introduction, AttemptOutcome.LEFT_MESSAGE)
    services.introduction_mark_unreachable(actor=cast.coordinator, introduction=introduction)
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.UNREACHABLE
    with pytest.raises(FrontDoorError):
        _attempt(cast, introduction)
    services.introduction_reopen(actor=cast.coordinator, introduction=introduction)
    introduction.refresh_from_db()
    with pytest.raises(FrontDoorError):
        services.introduction_mark_unreachable(actor=cast.coordinator, introduction=introduction)


def _story() -> dict[str, str]:
    return {
        "what_brought_me_here": "Lost my job",
        "going_well": "My sister",
        "hard": "Sleep",
        "would_like_to_achieve": "Get back to running",
        "who_can_help": "Ama",
    }


def test_the_first_conversation_fills_the_story_and_opens_support(cast: Cast) -> None:
    introduction = _introduce(cast)
    services.booking_create(
        actor=cast.coordinator,
        introduction=introduction,
        starts_at=timezone.now(),
        place="cafe",
        place_detail="",
        worker=cast.team_worker,
        notify_by="already_told",
    )
    held = timezone.now()
    conversation = services.first_conversation_record(
        actor=cast.team_worker,
        introduction=introduction,
        held_at=held,
        place="cafe",
        story=_story(),
        outcome=ConversationOutcome.SUPPORT,
        team=cast.team_a,
    )
    introduction.refresh_from_db()
    assert (introduction.state, introduction.first_conversation_at) == (IntroductionState.MET, held)
    assert introduction.person.story.would_like_to_achieve == "Get back to running"
    period = SupportPeriod.objects.get(person=introduction.person)
    assert conversation.support_period_id == period.pk and period.team_id == cast.team_a.pk
    assert Booking.objects.get(introduction=introduction).status == BookingStatus.HELD


def test_a_warm_handover_is_followed_up(cast: Cast) -> None:
    introduction = _introduce(cast)
    with pytest.raises(FrontDoorError) as raised:
        services.first_conversation_record(
            actor=cast.coordinator,
            introduction=introduction,
            held_at=timezone.now(),
            place="phone",
            story=_story(),
            outcome=ConversationOutcome.HANDOVER,
        )
    assert raised.value.field == "handover_to"
    services.first_conversation_record(
        actor=cast.coordinator,
        introduction=introduction,
        held_at=timezone.now(),
        place="phone",
        story=_story(),
        outcome=ConversationOutcome.HANDOVER,
        handover_to="Early intervention in psychosis team",
        handover_reason="Hearing voices; wants specialist help",
    )
    handover = Handover.objects.get(person=introduction.person)
    assert handover.follow_up_due == timezone.localdate() + dt.timedelta(days=28)
    services.handover_follow_up(actor=cast.coordinator, handover=handover, note="Seen last week, settling in")
    handover.refresh_from_db()
    assert handover.followed_up_at is not None


def test_the_second_contact_comes_after_the_first_conversation(cast: Cast) -> None:
    introduction = _introduce(cast)
    with pytest.raises(FrontDoorError):
        services.second_contact_record(actor=cast.coordinator, introduction=introduction, at=timezone.now())
    held = timezone.now() - dt.timedelta(days=10)
    introduction.introduced_at = held - dt.timedelta(days=5)
    introduction.save()
    services.first_conversation_record(
        actor=cast.coordinator,
        introduction=introduction,
        held_at=held,
        place="home",
        story=_story(),
        outcome=ConversationOutcome.NOTHING_FURTHER,
    )
    with pytest.raises(FrontDoorError):
        services.second_contact_record(
            actor=cast.coordinator, introduction=introduction, at=held - dt.timedelta(days=1)
        )
    services.second_contact_record(actor=cast.coordinator, introduction=introduction, at=timezone.now())
    introduction.refresh_from_db()
    assert introduction.second_contact_at is not None
    assert FirstConversation.objects.get(introduction=introduction).outcome == ConversationOutcome.NOTHING_FURTHER


@pytest.mark.parametrize("who", ["team_worker", "analyst", "stranger", "site_admin"])
def test_only_coordinators_work_the_queue_and_refusals_are_audited(cast: Cast, who: str) -> None:
    introduction = cast.newcomer.introductions.get()
    actor = getattr(cast, who)
    with pytest.raises(AccessRefused):
        _attempt_as(actor, introduction)
    assert AuditEvent.objects.filter(actor=actor, outcome=Outcome.REFUSED, person_id=cast.newcomer.pk).exists()
    with pytest.raises(AccessRefused):
        services.first_conversation_record(
            actor=actor,
            introduction=introduction,
            held_at=timezone.now(),
            place="home",
            story=_story(),
            outcome=ConversationOutcome.NOTHING_FURTHER,
        )


def _attempt_as(actor: Any, introduction: Introduction) -> None:
    services.contact_attempt_record(
        actor=actor, introduction=introduction, attempted_at=timezone.now(), method="phone", outcome="no_answer"
    )


def test_no_state_or_outcome_means_not_eligible() -> None:
    words = " ".join(
        [*IntroductionState.labels, *ConversationOutcome.labels, *EventKind.labels, *AttemptOutcome.labels]
    ).lower()
    for refusal in ("eligib", "reject", "declin", "refus", "threshold", "inappropriate"):
        assert refusal not in words
