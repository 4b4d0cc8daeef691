"""Support periods and the chosen worker: allocation, asking for a change, what the person asked for, urgent flags."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from livingwell.accounts.models import User
from livingwell.audit.models import AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.core.errors import DomainError
from livingwell.network.models import Role
from livingwell.support.models import (
    Allocation,
    ChangeRequestStatus,
    Flag,
    SupportPeriod,
    WorkerChangeRequest,
    WorkerKind,
)
from livingwell.support.services import periods as services
from livingwell.testing import Cast, make_member, refresh_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(cast: Cast) -> SupportPeriod:
    return SupportPeriod.objects.select_related("person", "team").get(person=cast.person)


@pytest.fixture
def peer_in_team(cast: Cast) -> User:
    return make_member(cast.site, cast.charity, Role.PEER_WORKER, team=cast.team_a, name="Priya Peer")


def _current(period: SupportPeriod) -> Allocation:
    return Allocation.objects.get(support_period=period, ended_at__isnull=True)


def _refusals(user: User) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED))


# Allocation -------------------------------------------------------------------------------------------


def test_team_leader_allocates_who_the_person_asked_for_and_the_worker_before_stays_in_the_history(
    cast: Cast, period: SupportPeriod, peer_in_team: User
) -> None:
    before = _current(period)
    SupportPeriod.objects.filter(pk=period.pk).update(wanted_kind=WorkerKind.PEER)
    period.refresh_from_db()

    allocation = services.allocate(actor=cast.team_leader, period=period, worker=peer_in_team)

    assert (allocation.worker, allocation.honours_choice, allocation.why_not_as_chosen) == (peer_in_team, True, "")
    assert allocation.allocated_by == cast.team_leader
    before.refresh_from_db()
    assert before.ended_at is not None
    assert before.end_reason == "The team changed the worker"
    assert _current(period) == allocation
    assert Allocation.objects.filter(support_period=period).count() == 2  # kept as history
    event = AuditEvent.objects.get(actor=cast.team_leader, action="change")
    assert (event.person_id, event.parts, event.basis) == (cast.person.pk, ["support"], "team")
    assert event.detail["worker"] == "Priya Peer"
    assert event.detail["worker_before"] == "Allocated Peer"


def test_a_worker_who_is_not_what_the_person_asked_for_needs_a_reason_they_can_read(
    cast: Cast, period: SupportPeriod
) -> None:
    SupportPeriod.objects.filter(pk=period.pk).update(wanted_kind=WorkerKind.PEER)
    period.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.allocate(actor=cast.team_leader, period=period, worker=cast.team_worker, why_not_as_chosen="  ")
    assert (error.value.code, error.value.field) == ("why_not_missing", "why_not_as_chosen")
    assert _current(period).worker == cast.allocated_worker  # nothing changed

    allocation = services.allocate(
        actor=cast.team_leader,
        period=period,
        worker=cast.team_worker,
        why_not_as_chosen="Our peer workers are full until March; Sam knows the housing team well.",
        end_reason="Alex moved to the north of the borough",
    )
    assert allocation.honours_choice is False
    assert allocation.why_not_as_chosen.startswith("Our peer workers are full")
    assert Allocation.objects.get(support_period=period, worker=cast.allocated_worker).end_reason == (
        "Alex moved to the north of the borough"
    )


def test_the_worker_the_person_named_is_their_choice_even_from_another_team(
    cast: Cast, period: SupportPeriod, peer_in_team: User
) -> None:
    SupportPeriod.objects.filter(pk=period.pk).update(wanted_kind=WorkerKind.PEER, wanted_worker=cast.other_team_worker)
    period.refresh_from_db()
    # A peer worker is the kind they asked for, but not the person they named: say why.
    with pytest.raises(DomainError) as error:
        services.allocate(actor=cast.team_leader, period=period, worker=peer_in_team)
    assert error.value.field == "why_not_as_chosen"

    allocation = services.allocate(actor=cast.team_leader, period=period, worker=cast.other_team_worker)
    assert allocation.honours_choice is True


def test_no_preference_is_honoured_by_anyone_in_the_team(cast: Cast, period: SupportPeriod) -> None:
    assert period.wanted_kind == WorkerKind.NO_PREFERENCE
    assert services.allocate(actor=cast.team_leader, period=period, worker=cast.team_worker).honours_choice


def test_the_worker_must_work_in_the_team_unless_the_person_named_them(cast: Cast, period: SupportPeriod) -> None:
    for worker in (cast.other_team_worker, cast.stranger, cast.analyst):
        with pytest.raises(DomainError) as error:
            services.allocate(actor=cast.team_leader, period=period, worker=worker, why_not_as_chosen="Because")
        assert (error.value.code, error.value.field) == ("worker_not_in_team", "worker")
    # Named, but not working in the network in a support role: still not possible.
    SupportPeriod.objects.filter(pk=period.pk).update(wanted_worker=cast.analyst)
    period.refresh_from_db()
    with pytest.raises(DomainError):
        services.allocate(actor=cast.team_leader, period=period, worker=cast.analyst)


def test_allocating_the_worker_they_already_have_changes_nothing(cast: Cast, period: SupportPeriod) -> None:
    services.allocate(actor=cast.team_leader, period=period, worker=cast.team_worker)
    with pytest.raises(DomainError) as error:
        services.allocate(actor=refresh_user(cast.team_leader), period=period, worker=cast.team_worker)
    assert error.value.code == "already_allocated"
    assert Allocation.objects.filter(support_period=period).count() == 2


@pytest.mark.parametrize(
    "who",
    [
        "team_worker",
        "allocated_worker",
        "other_team_worker",
        "person_user",
        "consent_worker",
        "coordinator",
        "analyst",
        "stranger",
        "leader_of_another_team",
    ],
)
def test_only_a_team_leader_of_the_team_allocates(cast: Cast, period: SupportPeriod, who: str) -> None:
    actor = (
        make_member(cast.site, cast.trust, Role.TEAM_LEADER, team=cast.team_b)
        if who == "leader_of_another_team"
        else getattr(cast, who)
    )
    with pytest.raises(AccessRefused):
        services.allocate(actor=actor, period=period, worker=cast.team_worker)
    assert _current(period).worker == cast.allocated_worker
    (refusal,) = _refusals(actor)
    assert (refusal.person_id, refusal.parts, refusal.action) == (cast.person.pk, ["support"], "change")


def test_an_ended_period_cannot_be_allocated(cast: Cast, period: SupportPeriod) -> None:
    SupportPeriod.objects.filter(pk=period.pk).update(ended_at=timezone.now())
    period.refresh_from_db()
    with pytest.raises(DomainError) as error:
        services.allocate(actor=cast.team_leader, period=period, worker=cast.team_worker)
    assert error.value.code == "period_ended"


# Asking for a change ----------------------------------------------------------------------------------


def test_the_person_asks_for_a_change_and_the_allocation_answers_it(
    cast: Cast, period: SupportPeriod, peer_in_team: User
) -> None:
    change = services.change_request_make(
        actor=cast.person_user, period=period, wanted_kind=WorkerKind.PEER, reason="I would like someone who gets it"
    )
    assert change.status == ChangeRequestStatus.OPEN
    period.refresh_from_db()
    assert period.wanted_kind == WorkerKind.PEER  # what they now ask for is what the allocation is measured against
    event = AuditEvent.objects.get(actor=cast.person_user, action="create")
    assert (event.basis, event.parts, event.detail["on_behalf"]) == ("self", ["support"], False)

    with pytest.raises(DomainError) as error:
        services.change_request_make(actor=cast.person_user, period=period, wanted_kind=WorkerKind.RECOVERY)
    assert error.value.code == "already_asked"

    allocation = services.allocate(actor=cast.team_leader, period=period, worker=peer_in_team)
    change.refresh_from_db()
    assert (change.status, change.allocation, change.answered_by) == (
        ChangeRequestStatus.DONE,
        allocation,
        cast.team_leader,
    )
    assert allocation.honours_choice
    assert Allocation.objects.get(worker=cast.allocated_worker, support_period=period).end_reason == (
        "The person asked for a change of worker"
    )


@pytest.mark.parametrize(("who", "basis"), [("team_worker", "team"), ("allocated_worker", "allocated")])
def test_a_worker_of_the_team_asks_on_the_persons_behalf(
    cast: Cast, period: SupportPeriod, who: str, basis: str
) -> None:
    actor = getattr(cast, who)
    services.change_request_make(actor=actor, period=period, wanted_kind=WorkerKind.NO_PREFERENCE)
    event = AuditEvent.objects.get(actor=actor, action="create")
    assert (event.basis, event.detail["on_behalf"]) == (basis, True)


@pytest.mark.parametrize("who", ["other_team_worker", "consent_worker", "coordinator", "analyst", "stranger"])
def test_nobody_else_asks_for_a_change(cast: Cast, period: SupportPeriod, who: str) -> None:
    actor = getattr(cast, who)
    with pytest.raises(AccessRefused):
        services.change_request_make(actor=actor, period=period, wanted_kind=WorkerKind.PEER)
    assert not WorkerChangeRequest.objects.exists()
    assert _refusals(actor)[0].parts == ["support"]


def test_asking_for_a_change_needs_a_worker_and_someone_else(cast: Cast, period: SupportPeriod) -> None:
    with pytest.raises(DomainError) as error:
        services.change_request_make(
            actor=cast.person_user, period=period, wanted_kind=WorkerKind.PEER, wanted_worker=cast.allocated_worker
        )
    assert (error.value.code, error.value.field) == ("same_worker", "wanted_worker")
    with pytest.raises(DomainError) as error:
        services.change_request_make(
            actor=cast.person_user, period=period, wanted_kind=WorkerKind.PEER, wanted_worker=cast.stranger
        )
    assert error.value.field == "wanted_worker"
    with pytest.raises(DomainError) as error:
        services.change_request_make(actor=cast.person_user, period=period, wanted_kind="astrologer")
    assert error.value.field == "wanted_kind"
    Allocation.objects.filter(support_period=period).update(ended_at=timezone.now(), end_reason="Left")
    with pytest.raises(DomainError) as error:
        services.change_request_make(actor=cast.person_user, period=period, wanted_kind=WorkerKind.PEER)
    assert error.value.code == "no_worker_yet"


def test_the_team_leader_says_a_change_is_not_possible_yet_and_why(cast: Cast, period: SupportPeriod) -> None:
    change = services.change_request_make(actor=cast.person_user, period=period, wanted_kind=WorkerKind.PSYCHOLOGY)
    with pytest.raises(AccessRefused):
        services.change_request_answer_not_possible(actor=cast.team_worker, request_obj=change, answer="No")
    with pytest.raises(DomainError) as error:
        services.change_request_answer_not_possible(actor=cast.team_leader, request_obj=change, answer=" ")
    assert error.value.field == "answer"

    services.change_request_answer_not_possible(
        actor=cast.team_leader, request_obj=change, answer="Our psychologist is back in May; we will ask you then."
    )
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.NOT_POSSIBLE
    assert change.answer.startswith("Our psychologist")
    assert AuditEvent.objects.get(actor=cast.team_leader, action="change").detail["status"] == "not_possible"
    with pytest.raises(DomainError) as error:
        services.change_request_answer_not_possible(actor=cast.team_leader, request_obj=change, answer="Again")
    assert error.value.code == "already_answered"
    # The person may ask again once answered.
    services.change_request_make(actor=cast.person_user, period=period, wanted_kind=WorkerKind.RECOVERY)


def test_what_the_person_asks_for_is_changed_by_them_or_their_team(
    cast: Cast, period: SupportPeriod, peer_in_team: User
) -> None:
    services.wanted_worker_change(
        actor=cast.person_user,
        period=period,
        wanted_kind=WorkerKind.PEER,
        wanted_worker=peer_in_team,
        wanted_note="Someone who speaks Portuguese",
    )
    period.refresh_from_db()
    assert (period.wanted_kind, period.wanted_worker, period.wanted_note) == (
        WorkerKind.PEER,
        peer_in_team,
        "Someone who speaks Portuguese",
    )
    assert AuditEvent.objects.get(actor=cast.person_user, action="change").basis == "self"
    services.wanted_worker_change(
        actor=cast.team_worker, period=period, wanted_kind=WorkerKind.RECOVERY, wanted_worker=None
    )
    assert AuditEvent.objects.get(actor=cast.team_worker, action="change").basis == "team"
    with pytest.raises(AccessRefused):
        services.wanted_worker_change(
            actor=cast.consent_worker, period=period, wanted_kind=WorkerKind.PEER, wanted_worker=None
        )
    with pytest.raises(DomainError) as error:
        services.wanted_worker_change(
            actor=cast.person_user,
            period=period,
            wanted_kind=WorkerKind.PEER,
            wanted_worker=None,
            wanted_note="x" * 301,
        )
    assert error.value.field == "wanted_note"


# Urgent flags -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["team_worker", "team_leader", "allocated_worker"])
def test_a_worker_of_the_team_raises_and_clears_an_urgent_flag(cast: Cast, period: SupportPeriod, who: str) -> None:
    actor = getattr(cast, who)
    with pytest.raises(DomainError) as error:
        services.flag_raise(actor=actor, period=period, reason="   ")
    assert error.value.field == "reason"
    flag = services.flag_raise(actor=actor, period=period, reason="Alex said the landlord is evicting them on Friday")
    assert flag.cleared_at is None
    with pytest.raises(DomainError) as error:
        services.flag_clear(actor=actor, flag=flag, note="")
    assert error.value.field == "note"
    services.flag_clear(actor=actor, flag=flag, note="Housing officer called the landlord; eviction paused.")
    flag.refresh_from_db()
    assert flag.cleared_by == actor
    assert flag.cleared_at is not None
    with pytest.raises(DomainError) as error:
        services.flag_clear(actor=actor, flag=flag, note="Again")
    assert error.value.code == "already_cleared"
    actions = sorted(AuditEvent.objects.filter(actor=actor, person_id=cast.person.pk).values_list("action", flat=True))
    assert actions == ["change", "create"]


@pytest.mark.parametrize("who", ["other_team_worker", "person_user", "consent_worker", "analyst", "stranger"])
def test_nobody_else_raises_or_clears_a_flag(cast: Cast, period: SupportPeriod, who: str) -> None:
    actor = getattr(cast, who)
    with pytest.raises(AccessRefused):
        services.flag_raise(actor=actor, period=period, reason="Urgent")
    flag = Flag.objects.create(support_period=period, reason="Urgent", raised_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(AccessRefused):
        services.flag_clear(actor=actor, flag=flag, note="Done")
    flag.refresh_from_db()
    assert flag.cleared_at is None
    assert len(_refusals(actor)) == 2


def test_the_allocation_is_measured_against_what_the_person_asks_for_now(cast: Cast, period: SupportPeriod) -> None:
    opened_before = SupportPeriod.objects.get(pk=period.pk)  # a page opened before the person asked
    services.change_request_make(actor=cast.person_user, period=period, wanted_kind=WorkerKind.PEER)
    with pytest.raises(DomainError) as error:
        services.allocate(actor=cast.team_leader, period=opened_before, worker=cast.team_worker)
    assert error.value.field == "why_not_as_chosen"
