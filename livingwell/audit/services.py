"""Writing the audit trail, refusing access, and break-glass access.

Services call `record` inside the same transaction as their work, so that either both the change
and its audit event are saved, or neither. Refusals are written by `refuse`, which commits the
event on its own (there is no work to roll back) and then raises AccessRefused.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from livingwell.audit import policy
from livingwell.audit.models import Action, AuditEvent, Basis, BreakGlass, Outcome, Part, ReviewOutcome
from livingwell.core.errors import DomainError
from livingwell.network.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from livingwell.accounts.models import User
    from livingwell.people.models import Person


class AccessRefused(PermissionDenied):
    """The caller has no legitimate relationship for what they asked; the refusal is audited."""

    def __init__(self, message: str = "You do not have access to this.") -> None:
        super().__init__(message)
        self.message = message


def _actor_fields(actor: User | AnonymousUser | None) -> dict[str, Any]:
    if actor is None or not actor.is_authenticated:
        return {"actor": None, "actor_name": "Someone not signed in", "actor_roles": "", "actor_organisation": ""}
    memberships = policy.current_memberships(actor)
    roles = sorted({m.get_role_display() for m in memberships})
    organisations = sorted({m.organisation.name for m in memberships})
    if not memberships and hasattr(actor, "person"):
        roles = ["Person"]
    return {
        "actor": actor,
        "actor_name": actor.name[:200],
        "actor_roles": ", ".join(roles)[:300],
        "actor_organisation": ", ".join(organisations)[:300],
    }


def record(
    *,
    actor: User | AnonymousUser | None,
    action: Action,
    outcome: Outcome = Outcome.ALLOWED,
    person_id: uuid.UUID | None = None,
    parts: Iterable[Part] = (),
    basis: Basis | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    actor_name: str = "",
) -> AuditEvent:
    """Write one event. `actor_name` names an actor who is not a signed-in user (a partner's API token)."""
    actor_fields = _actor_fields(actor)
    if actor_name and actor_fields["actor"] is None:
        actor_fields["actor_name"] = actor_name[:200]
    event = AuditEvent(
        occurred_at=timezone.now(),
        person_id=person_id,
        action=action,
        outcome=outcome,
        parts=sorted(p.value for p in parts),
        basis=basis.value if basis else "",
        reason=reason,
        detail=detail or {},
        path=(request.path[:300] if request is not None else ""),
        **actor_fields,
    )
    event.save()
    return event


def record_many(
    *,
    actor: User | AnonymousUser,
    action: Action,
    people: Sequence[tuple[uuid.UUID, Basis | None]],
    parts: Iterable[Part],
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> None:
    """One event per person shown in a list or search, written in a single statement."""
    if not people:
        return
    now = timezone.now()
    common = _actor_fields(actor)
    part_values = sorted(p.value for p in parts)
    path = request.path[:300] if request is not None else ""
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                occurred_at=now,
                person_id=person_id,
                action=action,
                outcome=Outcome.ALLOWED,
                parts=part_values,
                basis=basis.value if basis else "",
                detail=detail or {},
                path=path,
                **common,
            )
            for person_id, basis in people
        ]
    )


def refuse(
    *,
    actor: User | AnonymousUser | None,
    action: Action,
    person_id: uuid.UUID | None = None,
    parts: Iterable[Part] = (),
    reason: str,
    request: HttpRequest | None = None,
    message: str = "You do not have access to this.",
    detail: dict[str, Any] | None = None,
) -> AccessRefused:
    """Write the refusal to the trail (committed even if the caller's transaction rolls back)."""
    with transaction.atomic():
        record(
            actor=actor,
            action=action,
            outcome=Outcome.REFUSED,
            person_id=person_id,
            parts=parts,
            reason=reason,
            detail=detail,
            request=request,
        )
    return AccessRefused(message)


class BreakGlassError(DomainError):
    pass


MIN_REASON_LENGTH = 20


def break_glass_open(*, user: User, person: Person, reason: str, request: HttpRequest | None = None) -> BreakGlass:
    """Open emergency access for `user` to `person`, for LIVINGWELL_BREAK_GLASS_MINUTES."""
    reason = reason.strip()
    if not policy.may_break_glass(user):
        raise refuse(
            actor=user,
            action=Action.BREAK_GLASS,
            person_id=person.pk,
            reason="Role may not use emergency access",
            request=request,
            message="Your role cannot use emergency access.",
        )
    if len(reason) < MIN_REASON_LENGTH:
        raise BreakGlassError(
            "reason_too_short",
            f"Say why you need emergency access, in at least {MIN_REASON_LENGTH} characters",
            field="reason",
        )
    now = timezone.now()
    with transaction.atomic():
        grant = BreakGlass.objects.create(
            user=user,
            person=person,
            reason=reason,
            started_at=now,
            expires_at=now + timedelta(minutes=settings.LIVINGWELL_BREAK_GLASS_MINUTES),
        )
        record(
            actor=user,
            action=Action.BREAK_GLASS,
            person_id=person.pk,
            basis=Basis.BREAK_GLASS,
            reason=reason,
            detail={"expires_at": grant.expires_at.isoformat()},
            request=request,
        )
    return grant


def break_glass_review(
    *, reviewer: User, grant: BreakGlass, outcome: ReviewOutcome | str, note: str, request: HttpRequest | None = None
) -> BreakGlass:
    outcome = ReviewOutcome(outcome)
    if Role.PRIVACY_OFFICER not in policy.roles_of(reviewer):
        raise refuse(
            actor=reviewer,
            action=Action.REVIEW,
            person_id=grant.person_id,
            reason="Only a privacy officer may review emergency access",
            request=request,
        )
    if grant.user_id == reviewer.pk:
        raise BreakGlassError("own_review", "You cannot review your own emergency access", field="outcome")
    if grant.reviewed_at is not None:
        raise BreakGlassError("already_reviewed", "This emergency access has already been reviewed", field="outcome")
    if outcome == ReviewOutcome.NOT_JUSTIFIED and not note.strip():
        raise BreakGlassError("note_needed", "Say why the access was not justified", field="note")
    with transaction.atomic():
        grant.reviewed_by = reviewer
        grant.reviewed_at = timezone.now()
        grant.review_outcome = outcome
        grant.review_note = note.strip()
        grant.save(update_fields=["reviewed_by", "reviewed_at", "review_outcome", "review_note", "updated_at"])
        record(
            actor=reviewer,
            action=Action.REVIEW,
            person_id=grant.person_id,
            basis=Basis.PRIVACY,
            reason=note.strip(),
            detail={"break_glass": str(grant.pk), "outcome": outcome.value},
            request=request,
        )
    return grant
