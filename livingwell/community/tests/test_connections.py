"""Connections and gaps, the services and selectors: every move allowed and refused, why it did not
suit, one open connection per offer, no lost updates, gaps with and without a person, follow-ups due,
and the access cast (self, team, allocated, consent, front door, stranger, analyst), each audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.community import connections as svc
from livingwell.community.models import Connection, ConnectionStage, ConnectionStep, Curation, Gap, Service
from livingwell.community.tests.test_search import ARTS, add, document
from livingwell.core.concurrency import EditConflict
from livingwell.core.errors import DomainError
from livingwell.network.models import Locality, Role, Site
from livingwell.people.models import Person
from livingwell.support.models import Allocation, SupportPeriod
from livingwell.testing import Cast, make_member, make_person

pytestmark = pytest.mark.django_db
S = ConnectionStage
TODAY = timezone.localdate


@pytest.fixture
def offer(cast: Cast) -> Service:
    return add(cast.site, document("Brixton walking football", place=(51.4620, -0.1150)))


def connect(cast: Cast, offer: Service, actor: Any = None, **kwargs: Any) -> Connection:
    kwargs.setdefault("stage", S.SUGGESTED)
    return svc.connect(actor=actor or cast.team_worker, person_id=cast.person.pk, service_id=offer.pk, **kwargs)


def move(connection: Connection, stage: str, actor: Any, **kwargs: Any) -> Connection:
    connection.refresh_from_db()
    kwargs.setdefault("expected_version", connection.version)
    return svc.connection_move(actor=actor, connection_id=connection.pk, stage=stage, **kwargs)


def events(**filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("occurred_at", "pk"))


# --- Connecting ----------------------------------------------------------------------------------


def test_a_worker_connects_a_person_and_the_first_step_is_recorded_with_a_follow_up_in_two_weeks(
    cast: Cast, offer: Service
) -> None:
    connection = connect(cast, offer, stage=S.INTRODUCED, note="Phoned ahead so they are expected")
    assert connection.stage == S.INTRODUCED and connection.made_by == cast.team_worker
    assert connection.follow_up_on == TODAY() + dt.timedelta(weeks=2)
    [step] = ConnectionStep.objects.filter(connection=connection)
    assert (step.stage, step.by, step.note) == (S.INTRODUCED, cast.team_worker, "Phoned ahead so they are expected")
    [event] = events(person_id=cast.person.pk, action="create")
    assert event.parts == ["network"] and event.basis == "team" and event.outcome == Outcome.ALLOWED
    assert event.detail == {"connection": str(connection.pk), "offer": offer.pk, "stage": "introduced"}


def test_the_follow_up_date_can_be_chosen_or_left_out(cast: Cast, offer: Service) -> None:
    other = add(cast.site, document("Art club"))
    chosen = connect(cast, offer, follow_up_on=TODAY() + dt.timedelta(days=3))
    assert chosen.follow_up_on == TODAY() + dt.timedelta(days=3)
    none = connect(cast, other, follow_up_on=None)
    assert none.follow_up_on is None


@pytest.mark.parametrize(("days", "message"), [(-1, "today or in the future"), (400, "within a year")])
def test_a_follow_up_in_the_past_or_too_far_ahead_is_an_error_by_the_field(
    cast: Cast, offer: Service, days: int, message: str
) -> None:
    with pytest.raises(DomainError) as error:
        connect(cast, offer, follow_up_on=TODAY() + dt.timedelta(days=days))
    assert error.value.field == "follow_up_on" and message in error.value.message
    assert not Connection.objects.exists()


def test_staff_start_with_suggested_or_introduced_only(cast: Cast, offer: Service) -> None:
    for stage in (S.WENT, S.STILL_GOING, S.DID_NOT_SUIT, "nonsense"):
        with pytest.raises(DomainError) as error:
            connect(cast, offer, stage=stage)
        assert error.value.field == "stage"
    assert not Connection.objects.exists()


def test_the_person_says_they_would_like_to_try_it_or_that_they_have_been(cast: Cast, offer: Service) -> None:
    other = add(cast.site, document("Art club"))
    tried = connect(cast, offer, actor=cast.person_user, stage=S.SUGGESTED, note="Looks friendly")
    been = connect(cast, other, actor=cast.person_user, stage=S.WENT)
    assert tried.follow_up_on is None and been.follow_up_on is None  # reminders are for workers
    assert tried.steps.get().note == "Looks friendly"
    with pytest.raises(DomainError):
        connect(cast, add(cast.site, document("Choir")), actor=cast.person_user, stage=S.INTRODUCED)
    assert {e.basis for e in events(person_id=cast.person.pk, action="create")} == {"self"}


def test_one_open_connection_per_offer(cast: Cast, offer: Service) -> None:
    first = connect(cast, offer)
    with pytest.raises(svc.AlreadyConnected) as error:
        connect(cast, offer, actor=cast.allocated_worker, stage=S.INTRODUCED)
    assert error.value.connection.pk == first.pk
    assert "Alex Morgan is already connected to Brixton walking football (suggested)" in error.value.message
    with pytest.raises(svc.AlreadyConnected) as own:
        connect(cast, offer, actor=cast.person_user)
    assert own.value.message.startswith("You are already connected")
    move(first, S.DID_NOT_SUIT, cast.team_worker, why_not="Too far")
    again = connect(cast, offer)  # once it did not suit, it can be tried afresh
    assert again.pk != first.pk
    assert Connection.objects.filter(person=cast.person, service=offer).count() == 2


@pytest.mark.parametrize("curation", [Curation.SUGGESTED, Curation.WITHDRAWN])
def test_only_offers_in_the_directory(cast: Cast, curation: str) -> None:
    hidden = add(cast.site, document("Not listed"), curation=curation)
    with pytest.raises(DomainError) as error:
        connect(cast, hidden)
    assert error.value.code == "offer_not_listed"


def test_an_offer_of_another_site_is_not_in_the_persons_directory(cast: Cast) -> None:
    elsewhere = add(Site.objects.create(name="Southwark", slug="southwark"), document("Elsewhere"))
    with pytest.raises(DomainError):
        connect(cast, elsewhere)


def test_an_unknown_person_is_not_found(cast: Cast, offer: Service) -> None:
    import uuid

    with pytest.raises(Person.DoesNotExist):
        svc.connect(actor=cast.team_worker, person_id=uuid.uuid4(), service_id=offer.pk, stage=S.SUGGESTED)


# --- Moving on -----------------------------------------------------------------------------------

ALLOWED = [
    (S.SUGGESTED, S.INTRODUCED),
    (S.SUGGESTED, S.WENT),
    (S.SUGGESTED, S.DID_NOT_SUIT),
    (S.INTRODUCED, S.WENT),
    (S.INTRODUCED, S.DID_NOT_SUIT),
    (S.WENT, S.STILL_GOING),
    (S.WENT, S.DID_NOT_SUIT),
    (S.STILL_GOING, S.DID_NOT_SUIT),
    (S.DID_NOT_SUIT, S.SUGGESTED),
    (S.DID_NOT_SUIT, S.INTRODUCED),
]
REFUSED = [(a, b) for a in S for b in S if (a, b) not in ALLOWED]
PATHS = {
    S.SUGGESTED: [],
    S.INTRODUCED: [S.INTRODUCED],
    S.WENT: [S.WENT],
    S.STILL_GOING: [S.WENT, S.STILL_GOING],
    S.DID_NOT_SUIT: [S.DID_NOT_SUIT],
}


def at_stage(cast: Cast, offer: Service, stage: str) -> Connection:
    connection = connect(cast, offer)
    for step in PATHS[S(stage)]:
        move(connection, step, cast.team_worker, why_not="Too far" if step == S.DID_NOT_SUIT else "")
    connection.refresh_from_db()
    assert connection.stage == stage
    return connection


@pytest.mark.parametrize(("start", "to"), ALLOWED)
def test_every_allowed_move_adds_a_step_and_is_audited(cast: Cast, offer: Service, start: str, to: str) -> None:
    connection = at_stage(cast, offer, start)
    steps_before = connection.steps.count()
    moved = move(connection, to, cast.allocated_worker, note="Talked today", why_not="The wrong time")
    assert moved.stage == to
    assert connection.steps.count() == steps_before + 1
    last = connection.steps.order_by("-at", "-pk").first()
    assert last is not None and (last.stage, last.by, last.note) == (to, cast.allocated_worker, "Talked today")
    assert moved.why_not == ("The wrong time" if to == S.DID_NOT_SUIT else "")
    event = events(person_id=cast.person.pk, action="change", actor=cast.allocated_worker)[-1]
    assert event.parts == ["network"] and event.basis == "allocated"
    assert event.detail["from"] == start and event.detail["stage"] == to


@pytest.mark.parametrize(("start", "to"), REFUSED)
def test_every_other_move_is_refused_by_the_stage(cast: Cast, offer: Service, start: str, to: str) -> None:
    connection = at_stage(cast, offer, start)
    steps_before = connection.steps.count()
    with pytest.raises(DomainError) as error:
        move(connection, to, cast.team_worker, why_not="Too far")
    assert error.value.field == "stage"
    connection.refresh_from_db()
    assert connection.stage == start and connection.steps.count() == steps_before


def test_did_not_suit_needs_to_say_why(cast: Cast, offer: Service) -> None:
    connection = connect(cast, offer)
    for why in ("", "   "):
        with pytest.raises(DomainError) as error:
            move(connection, S.DID_NOT_SUIT, cast.team_worker, why_not=why)
        assert (error.value.field, error.value.message) == ("why_not", "Say why it did not suit")
    connection.refresh_from_db()
    assert connection.stage == S.SUGGESTED


def test_the_database_also_insists_on_why(cast: Cast, offer: Service) -> None:
    connection = connect(cast, offer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Connection.objects.filter(pk=connection.pk).update(stage=S.DID_NOT_SUIT, why_not="")


def test_the_why_is_kept_on_the_step_when_there_is_no_note(cast: Cast, offer: Service) -> None:
    connection = move(connect(cast, offer), S.DID_NOT_SUIT, cast.team_worker, why_not="Too far on the bus")
    assert connection.steps.order_by("at", "pk").last().note == "Too far on the bus"  # type: ignore[union-attr]


def test_follow_up_is_cleared_when_settled_unless_a_new_one_is_given(cast: Cast, offer: Service) -> None:
    connection = connect(cast, offer)
    went = move(connection, S.WENT, cast.team_worker)
    assert went.follow_up_on == TODAY() + dt.timedelta(weeks=2)  # still open: follow it up
    going = move(connection, S.STILL_GOING, cast.team_worker)
    assert going.follow_up_on is None
    connection2 = connect(cast, add(cast.site, document("Choir")))
    in_a_month = TODAY() + dt.timedelta(days=30)
    kept = move(connection2, S.WENT, cast.team_worker)
    kept = move(connection2, S.STILL_GOING, cast.team_worker, follow_up_on=in_a_month)
    assert kept.follow_up_on == in_a_month
    stopped = move(connection2, S.DID_NOT_SUIT, cast.team_worker, why_not="Stopped going")
    assert stopped.follow_up_on is None


def test_trying_again_clears_the_why_and_is_refused_while_another_is_open(cast: Cast, offer: Service) -> None:
    first = move(connect(cast, offer), S.DID_NOT_SUIT, cast.team_worker, why_not="Too far")
    second = connect(cast, offer)
    with pytest.raises(svc.AlreadyConnected):
        move(first, S.SUGGESTED, cast.team_worker)
    move(second, S.DID_NOT_SUIT, cast.team_worker, why_not="Not this time")
    again = move(first, S.INTRODUCED, cast.team_worker)
    assert again.stage == S.INTRODUCED and again.why_not == ""


def test_two_people_moving_the_same_connection_at_once_see_a_conflict(cast: Cast, offer: Service) -> None:
    connection = connect(cast, offer)
    opened_at = connection.version
    move(connection, S.INTRODUCED, cast.team_worker, expected_version=opened_at)
    with pytest.raises(EditConflict) as error:
        move(connection, S.DID_NOT_SUIT, cast.allocated_worker, why_not="Too far", expected_version=opened_at)
    assert error.value.current_version == opened_at + 1
    fields = {f.label: (f.theirs, f.mine) for f in error.value.fields}
    assert fields["Stage"] == ("Introduced", "Did not suit")
    connection.refresh_from_db()
    assert connection.stage == S.INTRODUCED and connection.steps.count() == 2  # nothing of the second saved


def test_the_person_moves_their_own_connections_but_does_not_introduce_themself(cast: Cast, offer: Service) -> None:
    connection = connect(cast, offer)
    assert svc.moves_from(S.SUGGESTED, own=True) == (S.WENT, S.DID_NOT_SUIT)
    with pytest.raises(DomainError):
        move(connection, S.INTRODUCED, cast.person_user)
    went = move(connection, S.WENT, cast.person_user, note="It was friendly")
    assert went.stage == S.WENT
    step = went.steps.order_by("at", "pk").last()
    assert step is not None and step.by == cast.person_user and step.note == "It was friendly"  # their words
    assert events(person_id=cast.person.pk, action="change")[-1].basis == "self"


def test_an_unknown_connection_is_not_found(cast: Cast) -> None:
    import uuid

    with pytest.raises(Connection.DoesNotExist):
        svc.connection_move(actor=cast.team_worker, connection_id=uuid.uuid4(), stage=S.WENT, expected_version=1)


# --- The access cast -----------------------------------------------------------------------------

CHANGERS = [
    ("person_user", "self"),
    ("team_worker", "team"),
    ("team_leader", "team"),
    ("allocated_worker", "allocated"),
]
REFUSED_CAST = ["consent_worker", "coordinator", "other_team_worker", "stranger", "analyst", "site_admin"]


@pytest.mark.parametrize(("who", "basis"), CHANGERS)
def test_self_team_and_allocated_connect_and_move(cast: Cast, offer: Service, who: str, basis: str) -> None:
    actor = getattr(cast, who)
    connection = connect(cast, offer, actor=actor, stage=S.SUGGESTED)
    move(connection, S.WENT, actor)
    found = events(person_id=cast.person.pk, actor=actor, outcome=Outcome.ALLOWED)
    assert [(e.action, e.basis, e.parts) for e in found] == [
        ("create", basis, ["network"]),
        ("change", basis, ["network"]),
    ]


@pytest.mark.parametrize("who", REFUSED_CAST)
def test_everyone_else_is_refused_to_connect_move_or_record_a_gap_and_the_refusal_is_audited(
    cast: Cast, offer: Service, who: str
) -> None:
    actor = getattr(cast, who)
    connection = connect(cast, offer)
    with pytest.raises(AccessRefused):
        connect(cast, add(cast.site, document("Choir")), actor=actor)
    with pytest.raises(AccessRefused):
        move(connection, S.WENT, actor)
    with pytest.raises(AccessRefused):
        svc.gap_record(actor=actor, site=cast.site, need="Swimming", person_id=cast.person.pk)
    refused = events(person_id=cast.person.pk, actor=actor, outcome=Outcome.REFUSED)
    assert [(e.action, e.parts) for e in refused] == [
        ("create", ["network"]),
        ("change", ["network"]),
        ("create", ["network"]),
    ]
    assert Connection.objects.count() == 1 and not Gap.objects.exists()


def test_the_front_door_cannot_connect_a_newcomer(cast: Cast, offer: Service) -> None:
    with pytest.raises(AccessRefused):
        svc.connect(actor=cast.coordinator, person_id=cast.newcomer.pk, service_id=offer.pk, stage=S.SUGGESTED)
    [event] = events(person_id=cast.newcomer.pk)
    assert event.outcome == Outcome.REFUSED and event.parts == ["network"]


@pytest.mark.parametrize(("who", "basis"), [*CHANGERS, ("consent_worker", "consent")])
def test_who_reads_a_persons_connections(cast: Cast, offer: Service, who: str, basis: str) -> None:
    connect(cast, offer)
    actor = getattr(cast, who)
    found = svc.person_connections(user=actor, person_id=cast.person.pk)
    assert [c.service.name for c in found.connections] == ["Brixton walking football"]
    assert found.access.can_change(svc.Part.NETWORK) == (basis != "consent")
    event = events(person_id=cast.person.pk, actor=actor, action="view")[-1]
    assert event.parts == ["network"] and event.basis == basis


@pytest.mark.parametrize("who", ["coordinator", "other_team_worker", "stranger", "analyst"])
def test_who_may_not_read_a_persons_connections(cast: Cast, offer: Service, who: str) -> None:
    actor = getattr(cast, who)
    with pytest.raises(AccessRefused):
        svc.person_connections(user=actor, person_id=cast.person.pk)
    [event] = events(person_id=cast.person.pk, actor=actor)
    assert event.outcome == Outcome.REFUSED and event.parts == ["network"]


# --- Gaps ----------------------------------------------------------------------------------------


def test_a_gap_about_a_person_takes_their_locality_and_is_audited(cast: Cast) -> None:
    north = Locality.objects.get(site=cast.site, name="North")
    Person.objects.filter(pk=cast.person.pk).update(locality=north)
    add(cast.site, document("Art club", terms=(ARTS,)))
    gap = svc.gap_record(
        actor=cast.allocated_worker,
        site=cast.site,
        need="  Evening swimming for women  ",
        term=ARTS,
        person_id=cast.person.pk,
    )
    assert (gap.need, gap.locality, gap.term_id, gap.person, gap.recorded_by) == (
        "Evening swimming for women",
        north,
        ARTS,
        cast.person,
        cast.allocated_worker,
    )
    [event] = events(person_id=cast.person.pk, action="create")
    assert event.basis == "allocated" and event.parts == ["network"] and event.detail["gap"] == str(gap.pk)


def test_a_gap_without_a_person_by_any_staff_member_of_the_site(cast: Cast) -> None:
    south = Locality.objects.create(site=cast.site, name="South")
    gap = svc.gap_record(actor=cast.analyst, site=cast.site, need="Debt advice in Portuguese", locality=south.pk)
    assert gap.person is None and gap.locality == south and gap.site == cast.site
    elsewhere = Site.objects.create(name="Southwark", slug="southwark")
    with pytest.raises(AccessRefused):
        svc.gap_record(actor=cast.analyst, site=elsewhere, need="Something")
    with pytest.raises(AccessRefused):
        svc.gap_record(actor=cast.stranger, site=cast.site, need="Something")
    assert Gap.objects.count() == 1
    assert AuditEvent.objects.filter(outcome=Outcome.REFUSED, person_id__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"need": "  "}, "need"),
        ({"need": "x" * 2001}, "need"),
        ({"need": "Swimming", "term": "no-such-term"}, "term"),
        ({"need": "Swimming", "locality": "not-a-uuid"}, "locality"),
    ],
)
def test_a_gap_must_say_what_was_needed_and_name_known_categories_and_places(
    cast: Cast, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as error:
        svc.gap_record(actor=cast.team_worker, site=cast.site, person_id=cast.person.pk, **kwargs)
    assert error.value.field == field
    assert not Gap.objects.exists()


def test_a_locality_of_another_site_is_refused(cast: Cast) -> None:
    other = Locality.objects.create(site=Site.objects.create(name="Southwark", slug="southwark"), name="Peckham")
    with pytest.raises(DomainError):
        svc.gap_record(actor=cast.team_worker, site=cast.site, need="Swimming", locality=other.pk)


# --- Follow-ups due ------------------------------------------------------------------------------


def due_in(
    cast: Cast, offer: Service, days: int, *, stage: str = S.SUGGESTED, person: Person | None = None
) -> Connection:
    connection = Connection.objects.create(
        person=person or cast.person,
        service=offer,
        stage=stage,
        made_by=cast.team_worker,
        why_not="Too far" if stage == S.DID_NOT_SUIT else "",
        follow_up_on=TODAY() + dt.timedelta(days=days),
    )
    return connection


def test_follow_ups_due_within_a_week_overdue_first_for_the_people_a_worker_supports(cast: Cast) -> None:
    offers = [add(cast.site, document(f"Offer {n}")) for n in range(5)]
    overdue = due_in(cast, offers[0], -3)
    today = due_in(cast, offers[1], 0)
    soon = due_in(cast, offers[2], 7)
    due_in(cast, offers[3], 8)  # not yet
    due_in(cast, offers[4], -10, stage=S.DID_NOT_SUIT)  # settled
    stranger_person = make_person(cast.site, "Jo", "Bloggs")
    due_in(cast, offers[0], -1, person=stranger_person)  # not supported by these workers
    for worker, basis in ((cast.allocated_worker, "allocated"), (cast.team_worker, "team")):
        found = svc.follow_ups_due(user=worker, today=TODAY())
        assert [i.connection.pk for i in found.items] == [overdue.pk, today.pk, soon.pk]
        assert (found.total, found.overdue) == (3, 1)
        assert [i.overdue for i in found.items] == [True, False, False]
        [event] = events(actor=worker, action="list")
        assert event.person_id == cast.person.pk and event.parts == ["identity", "network"] and event.basis == basis
        assert event.detail == {"list": "follow-ups due"}


def test_a_worker_follows_up_their_own_people_and_connections_and_a_team_leader_the_whole_team(cast: Cast) -> None:
    """A worker's list holds the people allocated to them and the connections they made; another worker
    of the team sees neither unless they made it; the team leader sees everyone the team supports."""
    offers = [add(cast.site, document(f"Offer {n}")) for n in range(2)]
    by_leader = due_in(cast, offers[0], 1)
    Connection.objects.filter(pk=by_leader.pk).update(made_by=cast.team_leader)
    by_worker = due_in(cast, offers[1], 2)  # made by the team worker
    colleague = make_member(cast.site, cast.charity, Role.RECOVERY_WORKER, team=cast.team_a, name="Colleague")
    seen = {
        "allocated": svc.follow_ups_due(user=cast.allocated_worker, today=TODAY()),
        "maker": svc.follow_ups_due(user=cast.team_worker, today=TODAY()),
        "colleague": svc.follow_ups_due(user=colleague, today=TODAY()),
        "leader's own": svc.follow_ups_due(user=cast.team_leader, today=TODAY()),
        "leader, whole team": svc.follow_ups_due(user=cast.team_leader, today=TODAY(), whole_team=True),
    }
    assert {who: [i.connection.pk for i in found.items] for who, found in seen.items()} == {
        "allocated": [by_leader.pk, by_worker.pk],
        "maker": [by_worker.pk],
        "colleague": [],
        "leader's own": [by_leader.pk],
        "leader, whole team": [by_leader.pk, by_worker.pk],
    }


@pytest.mark.parametrize("who", ["consent_worker", "coordinator", "other_team_worker", "stranger", "analyst"])
def test_no_follow_ups_for_those_who_do_not_support_the_person(cast: Cast, who: str) -> None:
    due_in(cast, add(cast.site, document("Offer")), -1)
    found = svc.follow_ups_due(user=getattr(cast, who), today=TODAY())
    assert found.items == [] and found.total == 0
    assert not AuditEvent.objects.filter(action="list").exists()


def test_a_person_who_has_moved_on_is_not_followed_up(cast: Cast) -> None:
    due_in(cast, add(cast.site, document("Offer")), -1)
    SupportPeriod.objects.filter(person=cast.person).update(ended_at=timezone.now())
    Allocation.objects.update(ended_at=timezone.now())
    assert svc.follow_ups_due(user=cast.allocated_worker, today=TODAY()).total == 0


def test_many_follow_ups_are_counted_and_the_list_is_capped(cast: Cast) -> None:
    offers = [add(cast.site, document(f"Offer {n}")) for n in range(svc.FOLLOW_UPS_SHOWN + 2)]
    for n, offer in enumerate(offers):
        due_in(cast, offer, -1 if n < 3 else 2)
    found = svc.follow_ups_due(user=cast.team_worker, today=TODAY())
    assert len(found.items) == svc.FOLLOW_UPS_SHOWN and found.total == svc.FOLLOW_UPS_SHOWN + 2
    assert found.overdue == 3
