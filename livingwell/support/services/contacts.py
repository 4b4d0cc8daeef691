"""Writes of contacts and notes. Each checks the access policy and audits in the same transaction.

Notes are never changed once written: a correction is a new note that `corrects` the old one, and
both stay. A note is kept from the person only on one of the grounds in `WithheldBecause`, with
words saying why and a date to look at it again; the person still sees that it exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from livingwell.audit import services as audit
from livingwell.audit.models import Action, Part
from livingwell.audit.policy import RecordAccess, access_to, current_memberships
from livingwell.core.errors import DomainError
from livingwell.network.models import SUPPORT_ROLES, Membership
from livingwell.support.models import (
    Contact,
    ContactMode,
    ContactStatus,
    Note,
    SupportPeriod,
    WithheldBecause,
)
from livingwell.support.selectors.contacts import leads_a_team_supporting, may_manage_withholding

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User
    from livingwell.people.models import Person

MAX_DURATION_MINUTES = 1440
MAX_NOTE_LENGTH = 20000
# How far ahead the date to look again at a withheld note may be.
MAX_WITHHOLD_REVIEW_DAYS = 366
# A few minutes' grace for clocks that differ between the worker's device and the server.
FUTURE_GRACE = dt.timedelta(minutes=5)


def _require_change(actor: User, person: Person, request: HttpRequest | None, what: str) -> RecordAccess:
    access = access_to(actor, person)
    if not access.can_change(Part.NOTES):
        raise audit.refuse(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[Part.NOTES],
            reason="No legitimate relationship to change contacts and notes",
            request=request,
            message=f"You cannot {what} for this person.",
        )
    return access


def withholding_problems(*, because: str, reason: str, review_on: dt.date | None) -> list[DomainError]:
    """Everything wrong with the grounds, words and date for keeping a note from the person (forms show them all).

    Errors name the fields `withhold_because`, `withheld_reason` and `withheld_review_on`.
    """
    reason = (reason or "").strip()
    if not because:
        if reason or review_on:
            return [
                DomainError(
                    "withheld_without_grounds",
                    "Select why the person must not see this note, or clear the words and date",
                    field="withhold_because",
                )
            ]
        return []
    problems = []
    if because not in WithheldBecause.values:
        problems.append(
            DomainError(
                "withheld_grounds_unknown", "Select why the person must not see this note", field="withhold_because"
            )
        )
    if not reason:
        problems.append(
            DomainError(
                "withheld_reason_missing",
                "Say why the person must not see this note, in your own words",
                field="withheld_reason",
            )
        )
    today = timezone.localdate()
    if review_on is None:
        problems.append(
            DomainError(
                "withheld_review_missing",
                "Enter a date to look again at keeping this note from them",
                field="withheld_review_on",
            )
        )
    elif review_on <= today:
        problems.append(
            DomainError(
                "withheld_review_past", "The date to look again must be in the future", field="withheld_review_on"
            )
        )
    elif review_on > today + dt.timedelta(days=MAX_WITHHOLD_REVIEW_DAYS):
        problems.append(
            DomainError(
                "withheld_review_too_far",
                "The date to look again must be within the next 12 months",
                field="withheld_review_on",
            )
        )
    return problems


def _withholding(*, because: str, reason: str, review_on: dt.date | None) -> tuple[str, str, dt.date | None]:
    """The checked grounds, words and date; ('', '', None) when the note is not withheld."""
    if problems := withholding_problems(because=because, reason=reason, review_on=review_on):
        raise problems[0]
    if not because:
        return "", "", None
    return because, reason.strip(), review_on


def _note_text(text: str, *, field: str) -> str:
    if not text or not text.strip():
        raise DomainError("note_empty", "Enter the note", field=field)
    if len(text) > MAX_NOTE_LENGTH:
        raise DomainError("note_too_long", f"The note must be {MAX_NOTE_LENGTH:,} characters or fewer", field=field)
    return text.strip("\n").rstrip()


def _withhold_detail(note: Note) -> dict[str, Any]:
    if not note.withheld_because:
        return {}
    return {
        "withheld_because": note.withheld_because,
        "withheld_review_on": note.withheld_review_on.isoformat() if note.withheld_review_on else None,
    }


def contact_record(
    *,
    actor: User,
    person: Person,
    occurred_at: dt.datetime,
    mode: str,
    status: str,
    duration_minutes: int | None = None,
    place: str = "",
    workers: Sequence[User] = (),
    others: str = "",
    note: str = "",
    withhold_because: str = "",
    withheld_reason: str = "",
    withheld_review_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Contact:
    """Record a time the person and the network were in touch, and the note about it if one is given.

    Only the team supporting the person or their allocated worker may record. With no workers named,
    the one recording took part. A contact that did not take place has no duration. The contact is
    linked to the person's open support period (the actor's own team's, when there is more than one).
    """
    access = _require_change(actor, person, request, "record contacts")
    if mode not in ContactMode.values:
        raise DomainError("mode_unknown", "Select how you were in touch", field="mode")
    if status not in ContactStatus.values:
        raise DomainError("status_unknown", "Select whether it took place", field="status")
    if occurred_at > timezone.now() + FUTURE_GRACE:
        raise DomainError("contact_in_future", "The date and time must be in the past", field="occurred_at")
    if status == ContactStatus.NOT_HELD:
        duration_minutes = None
    if duration_minutes is not None and not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise DomainError(
            "duration_out_of_range",
            f"How long must be between 1 and {MAX_DURATION_MINUTES:,} minutes (24 hours)",
            field="duration_minutes",
        )
    place, others = place.strip(), others.strip()
    if len(place) > 200:
        raise DomainError("place_too_long", "Where must be 200 characters or fewer", field="place")
    if len(others) > 300:
        raise DomainError("others_too_long", "Others who took part must be 300 characters or fewer", field="others")
    taking_part = list({w.pk: w for w in (workers or [actor])}.values())
    staff_ids = set(
        Membership.objects.current()
        .filter(user__in=taking_part, site_id=person.site_id, role__in=SUPPORT_ROLES)
        .values_list("user_id", flat=True)
    )
    if not_staff := [w.name for w in taking_part if w.pk not in staff_ids]:
        raise DomainError(
            "worker_not_in_network",
            f"Only workers of this Living Well network can be recorded as taking part: {', '.join(not_staff)}",
            field="workers",
        )
    note_words = _note_text(note, field="note") if note.strip() else ""
    because, reason, review_on = _withholding(
        because=withhold_because, reason=withheld_reason, review_on=withheld_review_on
    )
    if because and not note_words:
        raise DomainError("withheld_without_note", "Write the note you want to keep from them", field="note")
    periods = list(SupportPeriod.objects.filter(person=person, ended_at__isnull=True).order_by("-started_at"))
    own_teams = {m.team_id for m in current_memberships(actor) if m.team_id}
    period = next((p for p in periods if p.team_id in own_teams), periods[0] if periods else None)
    now = timezone.now()
    with transaction.atomic():
        contact = Contact.objects.create(
            person=person,
            support_period=period,
            occurred_at=occurred_at,
            mode=mode,
            status=status,
            place=place,
            duration_minutes=duration_minutes,
            others=others,
            recorded_by=actor,
        )
        contact.workers.set(taking_part)
        written = None
        if note_words:
            written = Note.objects.create(
                person=person,
                contact=contact,
                written_at=now,
                author=actor,
                author_name=actor.name[:200],
                text=note_words,
                withheld_because=because,
                withheld_reason=reason,
                withheld_by=actor if because else None,
                withheld_review_on=review_on,
            )
        audit.record(
            actor=actor,
            action=Action.CREATE,
            person_id=person.pk,
            parts=[Part.NOTES],
            basis=access.basis_for(Part.NOTES, change=True),
            detail={
                "contact": str(contact.pk),
                "mode": mode,
                "status": status,
                "workers": len(taking_part),
                **({"note": str(written.pk), **_withhold_detail(written)} if written else {}),
            },
            request=request,
        )
    return contact


def note_write(
    *,
    actor: User,
    person: Person,
    text: str,
    contact: Contact | None = None,
    corrects: Note | None = None,
    withhold_because: str = "",
    withheld_reason: str = "",
    withheld_review_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Note:
    """Write a note about the person (about a contact, or on its own), or a correction of an earlier note.

    The earlier note stays as it was; both are shown. The person reads the note unless it is
    withheld here, with grounds, words and a date to look again.
    """
    access = _require_change(actor, person, request, "write notes")
    words = _note_text(text, field="text")
    if contact is not None and contact.person_id != person.pk:
        raise DomainError("contact_of_someone_else", "This contact is not with this person", field="contact")
    if corrects is not None and corrects.person_id != person.pk:
        raise DomainError("corrects_someone_else", "This note is not about this person", field="corrects")
    because, reason, review_on = _withholding(
        because=withhold_because, reason=withheld_reason, review_on=withheld_review_on
    )
    with transaction.atomic():
        note = Note.objects.create(
            person=person,
            contact=contact,
            written_at=timezone.now(),
            author=actor,
            author_name=actor.name[:200],
            text=words,
            corrects=corrects,
            withheld_because=because,
            withheld_reason=reason,
            withheld_by=actor if because else None,
            withheld_review_on=review_on,
        )
        audit.record(
            actor=actor,
            action=Action.CREATE,
            person_id=person.pk,
            parts=[Part.NOTES],
            basis=access.basis_for(Part.NOTES, change=True),
            reason=reason,
            detail={
                "note": str(note.pk),
                **({"contact": str(contact.pk)} if contact else {}),
                **({"corrects": str(corrects.pk)} if corrects else {}),
                **_withhold_detail(note),
            },
            request=request,
        )
    return note


def _require_manage_withholding(actor: User, note: Note, request: HttpRequest | None, what: str) -> RecordAccess:
    person = note.person
    access = _require_change(actor, person, request, what)
    if not may_manage_withholding(actor, note, leads_team=leads_a_team_supporting(actor, person)):
        raise audit.refuse(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[Part.NOTES],
            reason="Only the author of a note or a team leader may withhold or show it",
            request=request,
            message=f"Only the person who wrote this note, or a team leader, can {what}.",
        )
    return access


def note_withhold(
    *,
    actor: User,
    note: Note,
    because: str,
    reason: str,
    review_on: dt.date | None,
    request: HttpRequest | None = None,
) -> Note:
    """Keep a note from the person, on one of the allowed grounds, with words saying why and a date to look again.

    Only the note's author or a team leader of the person's team may. A note already withheld gets
    the new grounds, words and date. The person still sees that the note exists, and why.
    """
    access = _require_manage_withholding(actor, note, request, "keep this note from the person")
    if not because:
        raise DomainError(
            "withheld_grounds_missing", "Select why the person must not see this note", field="withhold_because"
        )
    because, reason, review_on = _withholding(because=because, reason=reason, review_on=review_on)
    was = note.withheld_because
    with transaction.atomic():
        note.withheld_because = because
        note.withheld_reason = reason
        note.withheld_by = actor
        note.withheld_review_on = review_on
        note.save(
            update_fields=["withheld_because", "withheld_reason", "withheld_by", "withheld_review_on", "updated_at"]
        )
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=note.person_id,
            parts=[Part.NOTES],
            basis=access.basis_for(Part.NOTES, change=True),
            reason=reason,
            detail={
                "note": str(note.pk),
                "withheld": True,
                **({"was_withheld_because": was} if was else {}),
                **_withhold_detail(note),
            },
            request=request,
        )
    return note


def note_release(*, actor: User, note: Note, request: HttpRequest | None = None) -> Note:
    """Show a withheld note to the person from now on. Only its author, whoever withheld it, or a team leader may."""
    access = _require_manage_withholding(actor, note, request, "show this note to the person")
    if not note.withheld_because:
        raise DomainError("not_withheld", "This note is already shown to the person", field=None)
    detail = {
        "note": str(note.pk),
        "released": True,
        "was_withheld_because": note.withheld_because,
        "was_withheld_by": note.withheld_by.name if note.withheld_by else "",
    }
    reason = note.withheld_reason
    with transaction.atomic():
        note.withheld_because = ""
        note.withheld_reason = ""
        note.withheld_by = None
        note.withheld_review_on = None
        note.save(
            update_fields=["withheld_because", "withheld_reason", "withheld_by", "withheld_review_on", "updated_at"]
        )
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=note.person_id,
            parts=[Part.NOTES],
            basis=access.basis_for(Part.NOTES, change=True),
            reason=reason,
            detail=detail,
            request=request,
        )
    return note
