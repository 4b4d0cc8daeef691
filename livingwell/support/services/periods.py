"""Writes to support periods: the chosen worker, asking for a change, what the person asked for, urgent flags.

Who may do what:

| service                              | who                                                                  |
|--------------------------------------|----------------------------------------------------------------------|
| `allocate`                           | a team leader of the period's team                                   |
| `change_request_make`                | the person themself, or a worker of the team (or their own worker) on their behalf |
| `change_request_answer_not_possible` | a team leader of the period's team                                   |
| `wanted_worker_change`               | the person themself, a worker of the team, or their own worker       |
| `flag_raise`, `flag_clear`           | a worker of the team, or the person's own worker                     |

Each checks first, refuses with an audited refusal, validates, then writes and audits (`Part.SUPPORT`)
in one transaction. What the person asked for in a worker (`SupportPeriod.wanted_*`) is their latest
wish: set at the first conversation, changed by `wanted_worker_change` and by asking for a change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from livingwell.audit import services as audit
from livingwell.audit.models import Action, Basis, Part
from livingwell.audit.policy import RecordAccess, access_to
from livingwell.core.errors import DomainError
from livingwell.network.models import SUPPORT_ROLES, Membership, Role
from livingwell.support.models import (
    KIND_ROLES,
    Allocation,
    ChangeRequestStatus,
    Flag,
    SupportPeriod,
    WorkerChangeRequest,
    WorkerKind,
)
from livingwell.support.selectors import is_team_leader, is_team_member

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User

WANTED_NOTE_MAX = 300
END_REASON_MAX = 200


class SupportError(DomainError):
    pass


# Who is who ---------------------------------------------------------------------------------------------


def current_allocation(period: SupportPeriod) -> Allocation | None:
    return Allocation.objects.filter(support_period=period, ended_at__isnull=True).select_related("worker").first()


def is_allocated(user: User, period: SupportPeriod) -> bool:
    """`user` is the period's current worker."""
    return Allocation.objects.filter(support_period=period, ended_at__isnull=True, worker_id=user.pk).exists()


def worker_site_roles(worker: User, period: SupportPeriod) -> tuple[frozenset[Role], frozenset[Role]]:
    """The worker's current support roles in the period's team, and anywhere at the team's site."""
    rows = list(
        Membership.objects.current()
        .filter(user=worker, site_id=period.team.site_id, role__in=SUPPORT_ROLES)
        .values_list("team_id", "role")
    )
    return (
        frozenset(Role(role) for team_id, role in rows if team_id == period.team_id),
        frozenset(Role(role) for _team_id, role in rows),
    )


def honours_choice(period: SupportPeriod, worker_id: object, roles: Iterable[Role]) -> bool:
    """Whether a worker with `roles` is who, or what, the person asked for.

    A worker the person named by name is their choice; otherwise the kind they asked for counts, and
    "no preference" is honoured by anyone.
    """
    if period.wanted_worker_id is not None:
        return worker_id == period.wanted_worker_id
    kind = WorkerKind(period.wanted_kind)
    if kind == WorkerKind.NO_PREFERENCE:
        return True
    return bool(KIND_ROLES[kind] & set(roles))


def may_ask_for_change(user: User, period: SupportPeriod, access: RecordAccess) -> bool:
    """The person themself, a worker of the team or the person's own worker (on the person's behalf)."""
    return Basis.SELF in access.bases or is_team_member(user, period.team_id) or is_allocated(user, period)


def may_flag(user: User, period: SupportPeriod) -> bool:
    return is_team_member(user, period.team_id) or is_allocated(user, period)


def _refuse(
    actor: User, period: SupportPeriod, action: Action, reason: str, message: str, request: HttpRequest | None
) -> audit.AccessRefused:
    return audit.refuse(
        actor=actor,
        action=action,
        person_id=period.person_id,
        parts=[Part.SUPPORT],
        reason=reason,
        request=request,
        message=message,
    )


def _require_open(period: SupportPeriod) -> None:
    if not period.is_open:
        raise SupportError("period_ended", "This support has ended, so it cannot be changed", field=None)


def _locked(period: SupportPeriod) -> SupportPeriod:
    locked = SupportPeriod.objects.select_for_update().select_related("team", "person").get(pk=period.pk)
    _require_open(locked)
    return locked


def _kind(value: WorkerKind | str) -> WorkerKind:
    try:
        return WorkerKind(value)
    except ValueError:
        raise SupportError("kind_unknown", "Select the kind of worker", field="wanted_kind") from None


def _named_worker(period: SupportPeriod, worker: User | None, field: str) -> None:
    """A worker named by the person must work in this Living Well network now, in a support role."""
    if worker is None:
        return
    _team, anywhere = worker_site_roles(worker, period)
    if not anywhere:
        raise SupportError(
            "worker_not_in_network", f"{worker.name} does not work in this Living Well network now", field=field
        )


def _support_basis(actor: User, period: SupportPeriod) -> Basis | None:
    access = access_to(actor, period.person)
    if Basis.SELF in access.bases:
        return Basis.SELF
    return access.basis_for(Part.SUPPORT, change=True)


# Allocation ---------------------------------------------------------------------------------------------


def allocate(
    *,
    actor: User,
    period: SupportPeriod,
    worker: User,
    why_not_as_chosen: str = "",
    end_reason: str = "",
    request: HttpRequest | None = None,
) -> Allocation:
    """Make `worker` the person's worker in this period; the worker before (if any) is kept as history.

    Only a team leader of the period's team allocates. The worker must work in the team now in a support
    role, or, when the person named them, anywhere in the site's network. When the worker is not who
    (or what kind of worker) the person asked for, `why_not_as_chosen` must say why: the person reads it.
    Any open request for a change of worker is answered by this allocation.
    """
    if not is_team_leader(actor, period.team_id):
        raise _refuse(
            actor,
            period,
            Action.CHANGE,
            "Only a team leader of the team allocates a worker",
            f"Only a team leader of {period.team.name} can choose the worker.",
            request,
        )
    _require_open(period)
    end_reason = end_reason.strip()
    if len(end_reason) > END_REASON_MAX:
        raise SupportError(
            "end_reason_too_long",
            f"Why the worker is changing must be {END_REASON_MAX} characters or fewer",
            field="end_reason",
        )
    now = timezone.now()
    with transaction.atomic():
        period = _locked(period)  # what the person asked for, as it stands now
        in_team, anywhere = worker_site_roles(worker, period)
        named = worker.pk == period.wanted_worker_id
        if not (in_team or (named and anywhere)):
            raise SupportError(
                "worker_not_in_team", f"Choose a worker who works in {period.team.name} now", field="worker"
            )
        honours = honours_choice(period, worker.pk, anywhere)
        why_not = why_not_as_chosen.strip()
        if not honours and not why_not:
            raise SupportError(
                "why_not_missing",
                f"Say why the worker is not who {period.person.display_name} asked for",
                field="why_not_as_chosen",
            )
        before = current_allocation(period)
        if before is not None and before.worker_id == worker.pk:
            raise SupportError(
                "already_allocated",
                f"{worker.name} is already {period.person.display_name}'s worker",
                field="worker",
            )
        open_requests = list(
            WorkerChangeRequest.objects.select_for_update().filter(
                support_period=period, status=ChangeRequestStatus.OPEN
            )
        )
        if before is not None:
            before.ended_at = max(now, before.started_at)
            before.end_reason = end_reason or (
                "The person asked for a change of worker" if open_requests else "The team changed the worker"
            )
            before.save(update_fields=["ended_at", "end_reason", "updated_at"])
        allocation = Allocation.objects.create(
            support_period=period,
            worker=worker,
            started_at=now,
            allocated_by=actor,
            honours_choice=honours,
            why_not_as_chosen="" if honours else why_not,
        )
        for change_request in open_requests:
            change_request.status = ChangeRequestStatus.DONE
            change_request.answered_at = now
            change_request.answered_by = actor
            change_request.allocation = allocation
            change_request.save(update_fields=["status", "answered_at", "answered_by", "allocation", "updated_at"])
        audit.record(
            actor=actor,
            action=Action.CHANGE if before else Action.CREATE,
            person_id=period.person_id,
            parts=[Part.SUPPORT],
            basis=_support_basis(actor, period),
            detail={
                "allocation": str(allocation.pk),
                "worker": worker.name,
                "worker_before": before.worker.name if before else "",
                "honours_choice": honours,
                "change_requests_answered": [str(r.pk) for r in open_requests],
            },
            request=request,
        )
    return allocation


# Asking for a change ------------------------------------------------------------------------------------


def change_request_make(
    *,
    actor: User,
    period: SupportPeriod,
    wanted_kind: WorkerKind | str,
    wanted_worker: User | None = None,
    reason: str = "",
    request: HttpRequest | None = None,
) -> WorkerChangeRequest:
    """The person asks for a different worker (or a worker of the team asks on their behalf).

    Nobody has to give a reason. One request is open at a time. What they now ask for becomes what the
    period records the person wants, so that the allocation is measured against it.
    """
    access = access_to(actor, period.person)
    if not may_ask_for_change(actor, period, access):
        raise _refuse(
            actor,
            period,
            Action.CREATE,
            "Not the person, nor a worker of their team",
            "Only the person, or a worker of the team that supports them, can ask for a change of worker.",
            request,
        )
    _require_open(period)
    kind = _kind(wanted_kind)
    _named_worker(period, wanted_worker, "wanted_worker")
    now = timezone.now()
    with transaction.atomic():
        period = _locked(period)
        now_worker = current_allocation(period)
        if now_worker is None:
            raise SupportError(
                "no_worker_yet",
                "There is no worker yet, so change what was asked for instead of asking for a change",
                field=None,
            )
        if wanted_worker is not None and wanted_worker.pk == now_worker.worker_id:
            raise SupportError(
                "same_worker", f"{wanted_worker.name} is the worker now: choose someone else", field="wanted_worker"
            )
        if WorkerChangeRequest.objects.filter(support_period=period, status=ChangeRequestStatus.OPEN).exists():
            raise SupportError(
                "already_asked",
                "A change of worker has already been asked for and is waiting for the team's answer",
                field=None,
            )
        change_request = WorkerChangeRequest.objects.create(
            support_period=period,
            asked_at=now,
            asked_by=actor,
            wanted_kind=kind,
            wanted_worker=wanted_worker,
            reason=reason.strip(),
        )
        period.wanted_kind = kind
        period.wanted_worker = wanted_worker
        period.save(update_fields=["wanted_kind", "wanted_worker", "updated_at"])
        audit.record(
            actor=actor,
            action=Action.CREATE,
            person_id=period.person_id,
            parts=[Part.SUPPORT],
            basis=Basis.SELF if Basis.SELF in access.bases else access.basis_for(Part.SUPPORT, change=True),
            detail={
                "change_request": str(change_request.pk),
                "wanted_kind": kind.value,
                "wanted_worker": wanted_worker.name if wanted_worker else "",
                "on_behalf": Basis.SELF not in access.bases,
            },
            request=request,
        )
    return change_request


def change_request_answer_not_possible(
    *, actor: User, request_obj: WorkerChangeRequest, answer: str, request: HttpRequest | None = None
) -> WorkerChangeRequest:
    """The team leader says a change of worker is not possible yet, and why: the person reads the answer."""
    period = request_obj.support_period
    if not is_team_leader(actor, period.team_id):
        raise _refuse(
            actor,
            period,
            Action.CHANGE,
            "Only a team leader of the team answers a request for a change of worker",
            f"Only a team leader of {period.team.name} can answer a request for a change of worker.",
            request,
        )
    answer = answer.strip()
    if not answer:
        raise SupportError(
            "answer_missing",
            f"Say why a change is not possible yet: {period.person.display_name} will read this",
            field="answer",
        )
    now = timezone.now()
    with transaction.atomic():
        locked = WorkerChangeRequest.objects.select_for_update().get(pk=request_obj.pk)
        if locked.status != ChangeRequestStatus.OPEN:
            raise SupportError("already_answered", "This request has already been answered", field="answer")
        locked.status = ChangeRequestStatus.NOT_POSSIBLE
        locked.answer = answer
        locked.answered_at = now
        locked.answered_by = actor
        locked.save(update_fields=["status", "answer", "answered_at", "answered_by", "updated_at"])
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=period.person_id,
            parts=[Part.SUPPORT],
            basis=_support_basis(actor, period),
            detail={"change_request": str(locked.pk), "status": ChangeRequestStatus.NOT_POSSIBLE.value},
            request=request,
        )
    return locked


def wanted_worker_change(
    *,
    actor: User,
    period: SupportPeriod,
    wanted_kind: WorkerKind | str,
    wanted_worker: User | None,
    wanted_note: str = "",
    request: HttpRequest | None = None,
) -> SupportPeriod:
    """Change what the person asks for in a worker (the person, a worker of the team, or their own worker)."""
    access = access_to(actor, period.person)
    if not may_ask_for_change(actor, period, access):
        raise _refuse(
            actor,
            period,
            Action.CHANGE,
            "Not the person, nor a worker of their team",
            "Only the person, or a worker of the team that supports them, can change what they asked for.",
            request,
        )
    _require_open(period)
    kind = _kind(wanted_kind)
    _named_worker(period, wanted_worker, "wanted_worker")
    wanted_note = wanted_note.strip()
    if len(wanted_note) > WANTED_NOTE_MAX:
        raise SupportError(
            "note_too_long", f"Anything else must be {WANTED_NOTE_MAX} characters or fewer", field="wanted_note"
        )
    with transaction.atomic():
        period = _locked(period)
        before = (period.wanted_kind, period.wanted_worker_id, period.wanted_note)
        period.wanted_kind = kind
        period.wanted_worker = wanted_worker
        period.wanted_note = wanted_note
        if before == (kind.value, period.wanted_worker_id, wanted_note):
            return period
        period.save(update_fields=["wanted_kind", "wanted_worker", "wanted_note", "updated_at"])
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=period.person_id,
            parts=[Part.SUPPORT],
            basis=Basis.SELF if Basis.SELF in access.bases else access.basis_for(Part.SUPPORT, change=True),
            detail={
                "support_period": str(period.pk),
                "wanted_kind": kind.value,
                "wanted_worker": wanted_worker.name if wanted_worker else "",
            },
            request=request,
        )
    return period


# Urgent flags -------------------------------------------------------------------------------------------


def flag_raise(*, actor: User, period: SupportPeriod, reason: str, request: HttpRequest | None = None) -> Flag:
    """Something the team must talk about at the next huddle. The person reads it too."""
    if not may_flag(actor, period):
        raise _refuse(
            actor,
            period,
            Action.CREATE,
            "Not a worker of the team, nor the person's worker",
            "Only a worker of the team that supports the person can raise an urgent flag.",
            request,
        )
    _require_open(period)
    reason = reason.strip()
    if not reason:
        raise SupportError("reason_missing", "Say what is urgent", field="reason")
    with transaction.atomic():
        period = _locked(period)
        flag = Flag.objects.create(support_period=period, reason=reason, raised_at=timezone.now(), raised_by=actor)
        audit.record(
            actor=actor,
            action=Action.CREATE,
            person_id=period.person_id,
            parts=[Part.SUPPORT],
            basis=_support_basis(actor, period),
            detail={"flag": str(flag.pk)},
            request=request,
        )
    return flag


def flag_clear(*, actor: User, flag: Flag, note: str, request: HttpRequest | None = None) -> Flag:
    """The urgent flag is dealt with: say what was done. The flag stays in the history."""
    period = flag.support_period
    if not may_flag(actor, period):
        raise _refuse(
            actor,
            period,
            Action.CHANGE,
            "Not a worker of the team, nor the person's worker",
            "Only a worker of the team that supports the person can clear an urgent flag.",
            request,
        )
    note = note.strip()
    if not note:
        raise SupportError("note_missing", "Say what was done about it", field="note")
    with transaction.atomic():
        locked = Flag.objects.select_for_update().get(pk=flag.pk)
        if locked.cleared_at is not None:
            raise SupportError("already_cleared", "This flag has already been cleared", field="note")
        locked.cleared_at = max(timezone.now(), locked.raised_at)
        locked.cleared_by = actor
        locked.cleared_note = note
        locked.save(update_fields=["cleared_at", "cleared_by", "cleared_note", "updated_at"])
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=period.person_id,
            parts=[Part.SUPPORT],
            basis=_support_basis(actor, period),
            detail={"flag": str(locked.pk), "cleared": True},
            request=request,
        )
    return locked
