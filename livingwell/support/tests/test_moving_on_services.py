"""Moving on and coming back: the services, and a returning person within and after the site's months."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from livingwell.access import services as front_door
from livingwell.access.models import (
    ConversationOutcome,
    EventKind,
    Introduction,
    IntroductionState,
    Place,
    Source,
)
from livingwell.access.services import FrontDoorError, IntroductionInput
from livingwell.accounts.models import User
from livingwell.audit.models import Action, AuditEvent, Basis, Outcome, Part
from livingwell.audit.policy import access_to
from livingwell.audit.services import AccessRefused
from livingwell.core.errors import DomainError
from livingwell.messaging.models import Message
from livingwell.network.models import Membership, Role
from livingwell.people.models import Person, Story
from livingwell.support.models import (
    Allocation,
    BigThree,
    ChangeRequestStatus,
    Flag,
    Goal,
    MovingOn,
    MovingOnReason,
    Plan,
    SafetyPlan,
    SupportPeriod,
    WorkerChangeRequest,
    WorkerKind,
)
from livingwell.support.selectors.moving_on import add_months, come_back_offer, whole_months_between
from livingwell.support.services import moving_on as services
from livingwell.testing import Cast, make_member, refresh_user

pytestmark = pytest.mark.django_db


# Helpers shared with the page tests ---------------------------------------------------------------------


def open_period(cast: Cast) -> SupportPeriod:
    """The cast's support by team A, while it is open."""
    return SupportPeriod.objects.select_related("person", "team").get(
        person=cast.person, team=cast.team_a, ended_at__isnull=True
    )


def make_plan(person: Person) -> Plan:
    plan = Plan.objects.create(person=person, review_due=dt.date(2030, 1, 1))
    SafetyPlan.objects.create(
        plan=plan,
        warning_signs="Not sleeping, <b>staying in</b>",
        what_helps="Walking by the river",
        crisis_contacts="My sister Jo",
    )
    Goal.objects.create(plan=plan, words="Get back to work", outcome=BigThree.PARTICIPATE)
    return plan


def move_on(cast: Cast, *, months_ago: int = 0, actor: User | None = None, **overrides: Any) -> MovingOn:
    """End the cast's open support `months_ago` months ago (the period and worker started long before)."""
    period = open_period(cast)
    now = timezone.now()
    at = add_months(now, -months_ago) if months_ago else now
    SupportPeriod.objects.filter(pk=period.pk).update(started_at=at - dt.timedelta(days=200))
    Allocation.objects.filter(support_period=period).update(started_at=at - dt.timedelta(days=199))
    period.refresh_from_db()
    words: dict[str, Any] = {
        "reason": MovingOnReason.GOALS_REACHED,
        "what_helped": "The running club, and <i>talking</i> to Sam",
        "if_things_get_hard": "Call my sister Jo",
        "how_to_come_back": "Get in touch with the team",
        "person_words": "Thank you",
        "at": at,
    }
    words.update(overrides)
    return services.support_move_on(actor=refresh_user(actor or cast.team_worker), period=period, **words)


# Moving on ----------------------------------------------------------------------------------------------


def test_moving_on_ends_the_support_the_worker_flags_and_requests_and_is_audited(cast: Cast) -> None:
    period = open_period(cast)
    Flag.objects.create(support_period=period, reason="Missed two meetings", raised_at=timezone.now())
    WorkerChangeRequest.objects.create(support_period=period, asked_at=timezone.now(), asked_by=cast.person_user)

    moving_on = move_on(cast)

    period.refresh_from_db()
    assert period.ended_at == moving_on.moved_on_at
    allocation = Allocation.objects.get(support_period=period)
    assert allocation.ended_at == moving_on.moved_on_at and allocation.end_reason == "Moved on"
    flag = Flag.objects.get(support_period=period)
    assert flag.cleared_at is not None and flag.cleared_by == cast.team_worker and flag.cleared_note == "Moved on"
    request = WorkerChangeRequest.objects.get(support_period=period)
    assert request.status == ChangeRequestStatus.NOT_POSSIBLE
    assert request.answer.startswith("You moved on from North Living Well team")
    assert moving_on.what_helped == "The running club, and <i>talking</i> to Sam"  # kept as typed
    assert moving_on.recorded_by == cast.team_worker and moving_on.written_with_person
    event = AuditEvent.objects.get(person_id=cast.person.pk, action=Action.CHANGE, parts=[Part.SUPPORT])
    assert event.basis == Basis.TEAM and event.outcome == Outcome.ALLOWED
    assert event.detail["moved_on"] == "goals_reached" and event.detail["flags_cleared"] == 1


def test_after_moving_on_the_team_loses_access_and_the_person_keeps_it(cast: Cast) -> None:
    assert access_to(refresh_user(cast.team_worker), cast.person).can_read(Part.SUPPORT)
    move_on(cast)
    for worker in (cast.team_worker, cast.team_leader, cast.allocated_worker):
        assert not access_to(refresh_user(worker), cast.person).bases & {Basis.TEAM, Basis.ALLOCATED}
    own = access_to(refresh_user(cast.person_user), cast.person)
    assert own.can_read(Part.SUPPORT) and own.can_read(Part.PLAN)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reason", "sacked", "Select why support is ending"),
        ("what_helped", "   ", "Say what helped, in their words if you can"),
        ("if_things_get_hard", "", "Say what to do if things get hard"),
        ("how_to_come_back", "", "Say how to come back"),
    ],
)
def test_moving_on_needs_a_reason_and_the_three_parts_of_the_summary(
    cast: Cast, field: str, value: str, message: str
) -> None:
    with pytest.raises(DomainError) as error:
        move_on(cast, **{field: value})
    assert error.value.field == field and error.value.message == message
    assert open_period(cast).is_open and not MovingOn.objects.exists()


def test_moving_on_cannot_be_in_the_future_or_before_support_started(cast: Cast) -> None:
    period = open_period(cast)
    common: dict[str, Any] = {
        "actor": refresh_user(cast.team_worker),
        "period": period,
        "reason": MovingOnReason.PERSON_CHOSE,
        "what_helped": "Walking",
        "if_things_get_hard": "Call Jo",
        "how_to_come_back": "Call us",
    }
    with pytest.raises(DomainError, match="today or in the past"):
        services.support_move_on(**common, at=timezone.now() + dt.timedelta(days=2))
    with pytest.raises(DomainError, match="when it started"):
        services.support_move_on(**common, at=period.started_at - dt.timedelta(days=1))
    assert open_period(cast).is_open


@pytest.mark.parametrize(
    "who",
    ["person_user", "other_team_worker", "consent_worker", "coordinator", "psychiatrist", "analyst", "stranger"],
)
def test_only_the_team_or_their_worker_may_end_support_and_refusals_are_audited(cast: Cast, who: str) -> None:
    with pytest.raises(AccessRefused):
        move_on(cast, actor=getattr(cast, who))
    assert open_period(cast).is_open
    refusal = AuditEvent.objects.get(person_id=cast.person.pk, outcome=Outcome.REFUSED)
    assert refusal.actor == getattr(cast, who) and refusal.parts == [Part.SUPPORT]


def test_the_person_s_worker_may_end_support_even_from_another_team(cast: Cast) -> None:
    move_on(cast, actor=cast.allocated_worker)
    event = AuditEvent.objects.get(person_id=cast.person.pk, action=Action.CHANGE, parts=[Part.SUPPORT])
    assert event.basis == Basis.ALLOCATED


def test_a_worker_of_another_team_that_also_supports_them_cannot_end_this_support(cast: Cast) -> None:
    SupportPeriod.objects.create(person=cast.person, team=cast.team_b, started_at=timezone.now())
    with pytest.raises(AccessRefused):
        move_on(cast, actor=cast.other_team_worker)  # has a team basis, through team B's support
    assert SupportPeriod.objects.filter(person=cast.person, ended_at__isnull=True).count() == 2


def test_a_copy_is_emailed_only_to_someone_who_agreed_to_email(cast: Cast) -> None:
    with pytest.raises(DomainError, match="email address that we may use") as error:
        move_on(cast, email_copy=True)
    assert error.value.field == "email_copy"
    Person.objects.filter(pk=cast.person.pk).update(email="alex@example.test", may_email=True)
    cast.person.refresh_from_db()
    move_on(cast, email_copy=True)
    message = Message.objects.get(person_id=cast.person.pk, purpose="farewell summary")
    assert message.to == "alex@example.test"
    assert "What helped:\nThe running club" in message.body and "How to come back:" in message.body


# What coming back would pick up -------------------------------------------------------------------------


def test_add_months_keeps_the_day_or_takes_the_last_day_of_a_shorter_month() -> None:
    moment = timezone.make_aware(dt.datetime(2025, 1, 31, 15, 0))
    assert add_months(moment, 1).date() == dt.date(2025, 2, 28)
    assert add_months(moment, 12).date() == dt.date(2026, 1, 31)
    assert add_months(moment, -2).date() == dt.date(2024, 11, 30)
    assert whole_months_between(dt.date(2025, 1, 31), dt.date(2025, 12, 30)) == 10
    assert whole_months_between(dt.date(2025, 1, 31), dt.date(2025, 12, 31)) == 11
    assert whole_months_between(dt.date(2025, 1, 31), dt.date(2025, 2, 5)) == 0


def test_no_offer_while_supported_or_for_someone_never_supported(cast: Cast) -> None:
    assert come_back_offer(cast.person) is None  # supported now
    assert come_back_offer(cast.newcomer) is None  # never supported


def test_the_offer_lasts_the_site_s_months_from_moving_on(cast: Cast) -> None:
    moving_on = move_on(cast)
    moved = moving_on.moved_on_at
    offer = come_back_offer(cast.person, now=add_months(moved, 11))
    assert offer is not None
    assert offer.team == cast.team_a and offer.worker == cast.allocated_worker and offer.months_ago == 11
    assert come_back_offer(cast.person, now=add_months(moved, 12) - dt.timedelta(minutes=1)) is not None
    assert come_back_offer(cast.person, now=add_months(moved, 12)) is None
    cast.site.months_to_come_back = 6
    cast.site.save()
    person = Person.objects.select_related("site").get(pk=cast.person.pk)
    assert come_back_offer(person, now=add_months(moved, 7)) is None


def test_the_offer_says_when_their_worker_has_left(cast: Cast) -> None:
    move_on(cast)
    Membership.objects.filter(user=cast.allocated_worker).update(ended_on=timezone.localdate())
    offer = come_back_offer(cast.person)
    assert offer is not None and offer.worker is None and offer.last_worker == cast.allocated_worker
    assert offer.worker_left


def test_no_offer_when_the_team_has_closed(cast: Cast) -> None:
    move_on(cast)
    cast.team_a.is_active = False
    cast.team_a.save()
    assert come_back_offer(cast.person) is None
    with pytest.raises(DomainError, match="no longer works as a team"):
        services.support_resume(actor=refresh_user(cast.person_user), person=cast.person)


# A returning person, within and after 12 months ----------------------------------------------------------


def test_back_after_11_months_they_are_picked_up_with_their_history_plan_and_worker(cast: Cast) -> None:
    plan = make_plan(cast.person)
    first = open_period(cast)
    SupportPeriod.objects.filter(pk=first.pk).update(
        wanted_kind=WorkerKind.PEER, wanted_worker=cast.allocated_worker, wanted_note="Someone who speaks Somali"
    )
    moving_on = move_on(cast, months_ago=11)

    period = services.support_resume(actor=refresh_user(cast.person_user), person=cast.person)

    assert period.team == cast.team_a and period.is_open and period.resumed_from == first
    assert period.opened_by == cast.person_user
    assert (period.wanted_kind, period.wanted_worker, period.wanted_note) == (
        WorkerKind.PEER,
        cast.allocated_worker,
        "Someone who speaks Somali",
    )
    allocation = Allocation.objects.get(support_period=period)
    assert allocation.worker == cast.allocated_worker and allocation.honours_choice
    assert allocation.allocated_by == cast.person_user and allocation.ended_at is None
    plan.refresh_from_db()
    assert plan.review_due == timezone.localdate()  # the huddle looks at it with them
    assert Goal.objects.filter(plan=plan).count() == 1  # the same plan, not a new one
    # History: the earlier support and its farewell are kept.
    assert MovingOn.objects.get(pk=moving_on.pk).support_period == first
    assert SupportPeriod.objects.filter(person=cast.person).count() == 2
    # The team and the worker can work with them again.
    assert access_to(refresh_user(cast.team_worker), cast.person).can_change(Part.PLAN)
    assert Basis.ALLOCATED in access_to(refresh_user(cast.allocated_worker), cast.person).bases
    event = AuditEvent.objects.get(person_id=cast.person.pk, action=Action.CREATE, parts=[Part.SUPPORT])
    assert event.basis == Basis.SELF and event.detail["picked_up"] == "North Living Well team"
    assert event.detail["worker"] == "Allocated Peer"


def test_back_within_the_months_after_their_worker_left_they_wait_for_a_worker(cast: Cast) -> None:
    SupportPeriod.objects.filter(pk=open_period(cast).pk).update(wanted_worker=cast.allocated_worker)
    move_on(cast, months_ago=5)
    Membership.objects.filter(user=cast.allocated_worker).update(ended_on=timezone.localdate())

    period = services.support_resume(actor=refresh_user(cast.person_user), person=cast.person)

    assert period.is_open and period.team == cast.team_a
    assert not Allocation.objects.filter(support_period=period).exists()  # waiting for the team leader
    assert period.wanted_worker is None  # who left is not asked for again
    assert access_to(refresh_user(cast.team_worker), cast.person).can_read(Part.SUPPORT)
    assert not access_to(refresh_user(cast.allocated_worker), cast.person).bases


def test_a_deactivated_worker_is_not_picked_up_either(cast: Cast) -> None:
    move_on(cast, months_ago=2)
    User.objects.filter(pk=cast.allocated_worker.pk).update(is_active=False)
    period = services.support_resume(actor=refresh_user(cast.person_user), person=cast.person)
    assert not Allocation.objects.filter(support_period=period).exists()


def test_back_after_13_months_it_is_refused_and_they_go_through_a_first_conversation(cast: Cast) -> None:
    make_plan(cast.person)
    move_on(cast, months_ago=13)

    with pytest.raises(DomainError) as error:
        services.support_resume(actor=refresh_user(cast.person_user), person=cast.person)
    assert error.value.code == "too_long_ago"
    assert error.value.message == (
        "It is more than 12 months since Alex Morgan moved on, so we start with a first conversation"
    )
    assert not SupportPeriod.objects.filter(person=cast.person, ended_at__isnull=True).exists()

    # The front door as usual: an introduction, then the first conversation opens support again.
    introduced = front_door.introduction_come_back(actor=refresh_user(cast.person_user), person=cast.person)
    introduction = introduced.introduction
    assert introduced.created and introduction.person == cast.person and introduction.state == IntroductionState.NEW
    coordinator = refresh_user(cast.coordinator)
    with pytest.raises(DomainError):  # a coordinator cannot pick them up either
        services.support_resume(actor=coordinator, person=cast.person, introduction=introduction)
    front_door.first_conversation_record(
        actor=coordinator,
        introduction=introduction,
        held_at=timezone.now(),
        place=Place.CAFE,
        story={"what_brought_me_here": "Low again"},
        outcome=ConversationOutcome.SUPPORT,
        team=cast.team_b,
        wanted_kind=WorkerKind.RECOVERY,
    )
    period = SupportPeriod.objects.get(person=cast.person, ended_at__isnull=True)
    assert period.team == cast.team_b and period.resumed_from is None and period.wanted_kind == WorkerKind.RECOVERY
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.MET


def test_the_months_are_counted_on_the_clock(cast: Cast) -> None:
    move_on(cast)
    person_user = refresh_user(cast.person_user)
    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=400)),
        pytest.raises(DomainError, match="more than 12 months"),
    ):
        services.support_resume(actor=person_user, person=cast.person)
    with time_machine.travel(timezone.now() + dt.timedelta(days=330)):
        period = services.support_resume(actor=person_user, person=cast.person)
        assert period.started_at.date() == timezone.now().date()


def test_a_coordinator_picks_them_up_from_an_open_introduction_which_closes(cast: Cast) -> None:
    move_on(cast, months_ago=3)
    introduction = front_door.introduction_create(
        data=IntroductionInput(
            site=cast.site,
            source=Source.GP,
            person={"given_name": "Alex", "family_name": "Morgan", "nhs_number": "9434765919"},
            person_aware="agrees",
            introducer_phone="020 7926 1000",
        )
    ).introduction
    assert introduction.person == cast.person  # the same NHS number joins the record we know
    other = Introduction.objects.create(
        person=cast.person, site=cast.site, source=Source.SELF, introduced_at=timezone.now()
    )

    period = services.support_resume(
        actor=refresh_user(cast.coordinator), person=cast.person, introduction=introduction
    )

    assert period.resumed_from is not None and period.opened_by == cast.coordinator
    for each in (introduction, other):
        each.refresh_from_db()
        assert each.state == IntroductionState.RETURNED
        event = each.events.get(kind=EventKind.RETURNED)
        assert event.note == "Back with North Living Well team, with Allocated Peer" and event.actor == cast.coordinator
    created = AuditEvent.objects.get(person_id=cast.person.pk, action=Action.CREATE, parts=[Part.SUPPORT])
    assert created.basis == Basis.FRONT_DOOR
    # The coordinator's front-door basis ends with the introduction; the team's begins.
    assert Basis.FRONT_DOOR not in access_to(refresh_user(cast.coordinator), cast.person).bases


@pytest.mark.parametrize("who", ["team_worker", "other_team_worker", "consent_worker", "stranger", "coordinator"])
def test_only_the_person_or_a_coordinator_working_their_introduction_may_pick_up(cast: Cast, who: str) -> None:
    move_on(cast, months_ago=1)
    with pytest.raises(AccessRefused):
        services.support_resume(actor=refresh_user(getattr(cast, who)), person=cast.person)
    refusal = AuditEvent.objects.get(person_id=cast.person.pk, outcome=Outcome.REFUSED)
    assert refusal.action == Action.CREATE and refusal.parts == [Part.SUPPORT]
    assert not SupportPeriod.objects.filter(person=cast.person, ended_at__isnull=True).exists()


def test_a_coordinator_cannot_use_someone_else_s_introduction(cast: Cast) -> None:
    move_on(cast, months_ago=1)
    newcomer_introduction = Introduction.objects.get(person=cast.newcomer)
    with pytest.raises(DomainError, match="someone else"):
        services.support_resume(
            actor=refresh_user(cast.coordinator), person=cast.person, introduction=newcomer_introduction
        )


def test_picking_up_twice_is_refused_the_second_time(cast: Cast) -> None:
    move_on(cast, months_ago=1)
    services.support_resume(actor=refresh_user(cast.person_user), person=cast.person)
    with pytest.raises(DomainError, match="is supported by North Living Well team now"):
        services.support_resume(actor=refresh_user(cast.person_user), person=cast.person)


def test_what_brought_them_back_joins_their_story_and_feeling_unsafe_raises_a_flag(cast: Cast) -> None:
    move_on(cast, months_ago=1)
    period = services.support_resume(
        actor=refresh_user(cast.person_user),
        person=cast.person,
        in_their_words="Lost my flat",
        unsafe_now=True,
    )
    story = Story.objects.get(person=cast.person)
    assert story.what_brought_me_here.startswith("Feeling low since losing my job.\n\n")
    assert story.what_brought_me_here.endswith("coming back: Lost my flat")
    flag = Flag.objects.get(support_period=period)
    assert flag.cleared_at is None and "unsafe" in flag.reason


def test_starting_again_makes_one_self_introduction_for_the_record_we_know(cast: Cast) -> None:
    move_on(cast, months_ago=14)
    Person.objects.filter(pk=cast.person.pk).update(phone="07700 900456", may_text=True)
    cast.person.refresh_from_db()
    people_before = Person.objects.count()
    introduced = front_door.introduction_come_back(
        actor=refresh_user(cast.person_user),
        person=cast.person,
        in_their_words="Things are hard again",
        unsafe_now="yes",
        worker_preferences=["peer"],
    )
    introduction = introduced.introduction
    assert Person.objects.count() == people_before
    assert introduction.source == Source.SELF and introduction.urgent and introduction.worker_preferences == ["peer"]
    assert introduction.in_their_words == "Things are hard again"
    assert Message.objects.filter(person_id=cast.person.pk, purpose="introduction received").exists()
    again = front_door.introduction_come_back(actor=refresh_user(cast.person_user), person=cast.person)
    assert not again.created and again.introduction == introduction
    with pytest.raises(AccessRefused):
        front_door.introduction_come_back(actor=refresh_user(cast.coordinator), person=cast.person)
    with pytest.raises(FrontDoorError):
        front_door.introduction_come_back(actor=refresh_user(cast.person_user), person=cast.person, unsafe_now="maybe")


# The worker the person would like, chosen at the first conversation ---------------------------------------


def test_the_first_conversation_keeps_the_worker_they_would_like(cast: Cast) -> None:
    introduction = Introduction.objects.get(person=cast.newcomer)
    named = make_member(cast.site, cast.charity, Role.PEER_WORKER, team=cast.team_b, name="Named Peer")
    front_door.first_conversation_record(
        actor=refresh_user(cast.coordinator),
        introduction=introduction,
        held_at=timezone.now(),
        place=Place.PHONE,
        story={},
        outcome=ConversationOutcome.SUPPORT,
        team=cast.team_a,
        wanted_kind=WorkerKind.PEER,
        wanted_worker=named,
        wanted_note="  A woman, who speaks Somali ",
    )
    period = SupportPeriod.objects.get(person=cast.newcomer)
    assert period.wanted_kind == WorkerKind.PEER and period.wanted_worker == named
    assert period.wanted_note == "A woman, who speaks Somali" and period.opened_by == cast.coordinator


def test_the_worker_named_must_work_in_the_network(cast: Cast) -> None:
    introduction = Introduction.objects.get(person=cast.newcomer)
    for who in (cast.analyst, cast.stranger):
        with pytest.raises(FrontDoorError) as error:
            front_door.first_conversation_record(
                actor=refresh_user(cast.coordinator),
                introduction=introduction,
                held_at=timezone.now(),
                place=Place.PHONE,
                story={},
                outcome=ConversationOutcome.SUPPORT,
                team=cast.team_a,
                wanted_worker=who,
            )
        assert error.value.field == "wanted_worker"
    with pytest.raises(FrontDoorError, match="Choose a kind of worker"):
        front_door.first_conversation_record(
            actor=refresh_user(cast.coordinator),
            introduction=introduction,
            held_at=timezone.now(),
            place=Place.PHONE,
            story={},
            outcome=ConversationOutcome.SUPPORT,
            team=cast.team_a,
            wanted_kind="wizard",
        )
    assert not SupportPeriod.objects.filter(person=cast.newcomer).exists()
