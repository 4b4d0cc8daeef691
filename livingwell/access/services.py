"""Writes at the front door. Each checks who may act, moves the introduction on, and audits.

No service here turns anyone away. An introduction is only ever moved towards a first
conversation, withdrawn by the person with their reason, or marked not reached yet after several
recorded attempts; the last two can always be reopened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from livingwell.access import matching
from livingwell.access.models import (
    OPEN_STATES,
    REOPENABLE_STATES,
    AttemptOutcome,
    Booking,
    BookingStatus,
    ContactAttempt,
    ContactMethod,
    ConversationOutcome,
    EventKind,
    FirstConversation,
    Handover,
    Introduction,
    IntroductionEvent,
    IntroductionState,
    MatchStatus,
    NotifyBy,
    Place,
    PossibleMatch,
    Source,
    UnsafeNow,
    WorkerPreference,
    new_reference,
)
from livingwell.audit import services as audit
from livingwell.audit.models import Action, Basis, Part
from livingwell.audit.policy import access_to, current_memberships
from livingwell.core.errors import DomainError
from livingwell.messaging.models import Channel, Message
from livingwell.messaging.services import message_send
from livingwell.network.models import SUPPORT_ROLES, Locality, Organisation, Role, Site, Team
from livingwell.people import services as people
from livingwell.people.models import Person
from livingwell.support.models import SupportPeriod, WorkerKind

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User

# A clock a few minutes fast on a partner's system is not an error.
CLOCK_SKEW = dt.timedelta(minutes=5)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class FrontDoorError(DomainError):
    pass


@dataclass(frozen=True)
class IntroductionInput:
    """Everything an introduction can carry, from the public journey, the staff form or the API."""

    site: Site
    source: Source | str
    person: Mapping[str, Any]
    in_their_words: str = ""
    unsafe_now: UnsafeNow | str = ""
    urgent: bool = False
    preferred_places: Sequence[str] = ()
    worker_preferences: Sequence[str] = ()
    meeting_note: str = ""
    agrees_to_contact: bool = False
    agrees_to_share: bool = False
    person_aware: str = ""
    introducer_name: str = ""
    introducer_relationship: str = ""
    introducer_phone: str = ""
    introducer_email: str = ""
    locality: Locality | None = None
    organisation: Organisation | None = None
    others: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    introduced_at: dt.datetime | None = None


@dataclass(frozen=True)
class Introduced:
    introduction: Introduction
    created: bool  # False when this was a retry of a submission we already have


def _event(
    introduction: Introduction,
    kind: EventKind,
    actor: User | None,
    *,
    from_state: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> None:
    IntroductionEvent.objects.create(
        introduction=introduction,
        occurred_at=at or timezone.now(),
        kind=kind,
        actor=actor,
        actor_name=actor.name[:200] if actor is not None else "",
        from_state=from_state,
        to_state=introduction.state,
        note=note,
    )


def _reachable(data: IntroductionInput) -> bool:
    person = data.person
    return bool(
        person.get("phone")
        or person.get("email")
        or (person.get("address_line_1") and person.get("postcode"))
        or (data.source != Source.SELF and (data.introducer_phone or data.introducer_email))
    )


def _validate(data: IntroductionInput, now: dt.datetime) -> None:
    if data.source not in Source.values:
        raise FrontDoorError("source_unknown", "Choose who is making the introduction", field="source")
    if not str(data.person.get("given_name", "")).strip():
        raise FrontDoorError("name_missing", "Enter a first name", field="given_name")
    if not _reachable(data):
        raise FrontDoorError(
            "no_way_to_reach",
            "Enter a phone number, an email address or a postal address, so that we can get in touch",
            field="phone",
        )
    if data.source == Source.SELF and not data.agrees_to_contact:
        raise FrontDoorError(
            "contact_not_agreed",
            "Tell us that it is OK for us to contact you, so that we can arrange to meet",
            field="agrees_to_contact",
        )
    if data.source != Source.SELF and data.person_aware not in {"agrees", "knows", "does_not_know"}:
        raise FrontDoorError(
            "person_aware_missing", "Say whether the person knows about this introduction", field="person_aware"
        )
    if data.unsafe_now and data.unsafe_now not in UnsafeNow.values:
        raise FrontDoorError("unsafe_unknown", "Say whether anything is making them feel unsafe", field="unsafe_now")
    if bad := [p for p in data.preferred_places if p not in Place.values]:
        raise FrontDoorError("place_unknown", f"Choose places from the list (not {bad[0]})", field="preferred_places")
    if data.introduced_at is not None:
        if timezone.is_naive(data.introduced_at):
            raise FrontDoorError("time_zone_missing", "Give the time with its time zone", field="introduced_at")
        if data.introduced_at > now + CLOCK_SKEW:
            raise FrontDoorError(
                "introduced_in_future", "The introduction cannot be in the future", field="introduced_at"
            )
        if data.introduced_at < EARLIEST:
            raise FrontDoorError(
                "introduced_too_early", "The introduction must be after 1 January 2000", field="introduced_at"
            )
    for name in ("locality", "organisation"):
        value = getattr(data, name)
        if value is not None and value.site_id != data.site.pk:
            raise FrontDoorError(f"{name}_other_site", f"Choose a {name} in this Living Well network", field=name)


def introduction_create(
    *,
    data: IntroductionInput,
    actor: User | None = None,
    submission_key: str | None = None,
    submission_hash: str = "",
    request: HttpRequest | None = None,
    actor_name: str = "",
) -> Introduced:
    """Take an introduction. Anyone may introduce anyone; nothing here can refuse the person.

    `submission_key` makes a retry safe: the same key returns the introduction already made (and
    a different body under the same key is an error, so a reused key cannot hide a new introduction).
    """
    if submission_key:
        existing = Introduction.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return _replay(existing, submission_hash)
    now = timezone.now()
    _validate(data, now)
    try:
        with transaction.atomic():
            introduction = _create(data, actor, submission_key, submission_hash, now, request, actor_name)
    except IntegrityError:
        # Two copies of the same submission raced: the other one won, and this is its retry.
        existing = Introduction.objects.filter(submission_key=submission_key).first() if submission_key else None
        if existing is None:
            raise
        return _replay(existing, submission_hash)
    return Introduced(introduction, created=True)


def _replay(existing: Introduction, submission_hash: str) -> Introduced:
    if submission_hash and existing.submission_hash and existing.submission_hash != submission_hash:
        raise FrontDoorError(
            "idempotency_key_reused",
            "This Idempotency-Key was already used for a different introduction. Use a new key for a new introduction",
            field="Idempotency-Key",
        )
    return Introduced(existing, created=False)


def _person_fields(data: IntroductionInput) -> dict[str, Any]:
    """The person's details that were given: text as typed, but nothing that is only spaces."""
    return {
        k: v
        for k, v in data.person.items()
        if k != "given_name" and v is not None and not (isinstance(v, str) and not v.strip())
    }


def _create(
    data: IntroductionInput,
    actor: User | None,
    submission_key: str | None,
    submission_hash: str,
    now: dt.datetime,
    request: HttpRequest | None,
    actor_name: str,
) -> Introduction:
    fields = _person_fields(data)
    known: Person | None = None
    if fields.get("nhs_number"):
        from livingwell.people.nhs_number import normalise_nhs_number

        try:
            fields["nhs_number"] = normalise_nhs_number(str(fields["nhs_number"]))
        except ValidationError as error:
            raise FrontDoorError("nhs_number_invalid", error.messages[0], field="nhs_number") from None
        known = Person.objects.filter(nhs_number=fields["nhs_number"], site=data.site).first()
        if known is None and Person.objects.filter(nhs_number=fields["nhs_number"]).exists():
            fields.pop("nhs_number")  # known at another site: the coordinator links records by hand
    self_introduced = data.source == Source.SELF
    story = {"what_brought_me_here": data.in_their_words} if self_introduced and data.in_their_words else None
    relationships = [
        {
            "name": str(other.get("name", "")).strip(),
            "kind": other.get("kind") or "other",
            "part_they_play": str(other.get("relationship", "")).strip(),
            "contact": str(other.get("contact", "")).strip(),
            "wants_involved": True,
        }
        for other in data.others
        if str(other.get("name", "")).strip()
    ]
    if known is None:
        try:
            person = people.person_create(
                actor=actor,
                site=data.site,
                given_name=str(data.person["given_name"]),
                story=story,
                relationships=relationships,
                request=request,
                locality=data.locality,
                **fields,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                name, messages = next(iter(error.message_dict.items()))
            else:  # a single-field check, such as the postcode's, names its field by its code
                name, messages = str(error.error_list[0].code or ""), error.messages
            raise FrontDoorError("invalid", messages[0], field=name or None) from None
    else:
        person = known
    introduction = Introduction.objects.create(
        reference=_unique_reference(),
        person=person,
        site=data.site,
        locality=data.locality or person.locality,
        source=data.source,
        introducing_organisation=data.organisation,
        introduced_by=actor,
        introduced_at=data.introduced_at or now,
        state=IntroductionState.NEW,
        state_changed_at=now,
        urgent=data.urgent or data.unsafe_now == UnsafeNow.YES,
        in_their_words=data.in_their_words,
        unsafe_now=data.unsafe_now,
        preferred_places=list(dict.fromkeys(data.preferred_places)),
        worker_preferences=list(dict.fromkeys(data.worker_preferences)),
        meeting_note=data.meeting_note,
        agrees_to_contact=data.agrees_to_contact,
        agrees_to_share=data.agrees_to_share,
        person_aware="" if self_introduced else data.person_aware,
        introducer_name=data.introducer_name,
        introducer_relationship=data.introducer_relationship,
        introducer_phone=data.introducer_phone,
        introducer_email=data.introducer_email,
        submission_key=submission_key,
        submission_hash=submission_hash,
    )
    _event(introduction, EventKind.INTRODUCED, actor, at=introduction.introduced_at)
    if known is not None:
        _event(introduction, EventKind.MATCHED, None, note="Same NHS number as someone we know")
    audit.record(
        actor=actor,
        action=Action.CREATE,
        person_id=person.pk,
        parts=[Part.IDENTITY, Part.ABOUT, Part.CONTACT, Part.STORY],
        detail={
            "introduction": introduction.reference,
            "source": introduction.source,
            **({"organisation": data.organisation.name} if data.organisation else {}),
            **({"recognised_by": "nhs_number"} if known else {}),
        },
        request=request,
        actor_name=actor_name,
    )
    if known is None:
        PossibleMatch.objects.bulk_create(
            PossibleMatch(introduction=introduction, candidate=c.person, score=c.score, reasons=list(c.reasons))
            for c in matching.find_candidates(person)
        )
    if self_introduced:
        _acknowledge(introduction, person)
    return introduction


def _unique_reference() -> str:
    for _ in range(10):
        reference = new_reference()
        if not Introduction.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("Could not find a free introduction reference")  # 31^8 of them: not in practice


def acknowledgement_text(*, first_name: str, reference: str) -> str:
    """What a person who introduced themselves is told straight away (also used by the synthetic site)."""
    return (
        f"Hello {first_name}. Thank you for getting in touch with Living Well. "
        f"Your reference is {reference}. "
        "Someone from the Living Well Hub will contact you to arrange a first conversation. "
        "If you need help now, call NHS 111 and choose the mental health option, or Samaritans on 116 123."
    )


def booking_text(*, first_name: str, starts_at: dt.datetime, where: str, worker_first_name: str, reference: str) -> str:
    """What a person is told about their first conversation (also used by the synthetic site)."""
    when = timezone.localtime(starts_at)
    return (
        f"Hello {first_name}. Your first conversation with Living Well is on "
        f"{when:%A} {when.day} {when:%B} at {when:%H:%M}, {where}, with {worker_first_name}. "
        "If this time does not suit you, reply or call the Living Well Hub and we will change it. "
        f"Your reference is {reference}."
    )


def _acknowledge(introduction: Introduction, person: Person) -> None:
    """Tell the person we have their introduction, by the route they chose (if they chose one we can send)."""
    body = acknowledgement_text(first_name=person.preferred_name or person.given_name, reference=introduction.reference)
    if person.email and person.may_email:
        message_send(
            site=introduction.site,
            person_id=person.pk,
            channel=Channel.EMAIL,
            to=person.email,
            subject="We have your introduction",
            body=body,
            purpose="introduction received",
        )
    elif person.phone and person.may_text:
        message_send(
            site=introduction.site,
            person_id=person.pk,
            channel=Channel.SMS,
            to=person.phone,
            body=body,
            purpose="introduction received",
        )


# ---- working an introduction at the Hub ---------------------------------------------------------


def _is_coordinator(actor: User, site_id: object) -> bool:
    return any(m.role == Role.HUB_COORDINATOR and m.site_id == site_id for m in current_memberships(actor))


def _require_coordinator(actor: User, introduction: Introduction, action: str, request: HttpRequest | None) -> None:
    if not _is_coordinator(actor, introduction.site_id):
        raise audit.refuse(
            actor=actor,
            action=Action.CHANGE,
            person_id=introduction.person_id,
            reason=f"Only a Hub coordinator of the site may {action}",
            request=request,
            message=f"Only a Hub coordinator can {action}.",
        )


def _locked(introduction: Introduction) -> Introduction:
    """The introduction, re-read under a row lock so that two coordinators cannot both move it on."""
    return Introduction.objects.select_for_update().select_related("person", "site").get(pk=introduction.pk)


def _not_future(at: dt.datetime, field: str, now: dt.datetime) -> None:
    if at > now + CLOCK_SKEW:
        raise FrontDoorError("in_future", "The time cannot be in the future", field=field)


def _record_change(
    actor: User, introduction: Introduction, detail: dict[str, Any], request: HttpRequest | None
) -> None:
    audit.record(
        actor=actor,
        action=Action.CHANGE,
        person_id=introduction.person_id,
        basis=Basis.FRONT_DOOR,
        detail={"introduction": introduction.reference, **detail},
        request=request,
    )


def _move(introduction: Introduction, to_state: IntroductionState, now: dt.datetime) -> str:
    from_state = introduction.state
    introduction.state = to_state
    introduction.state_changed_at = now
    return from_state


def contact_attempt_record(
    *,
    actor: User,
    introduction: Introduction,
    attempted_at: dt.datetime,
    method: ContactMethod | str,
    outcome: AttemptOutcome | str,
    note: str = "",
    request: HttpRequest | None = None,
) -> ContactAttempt:
    _require_coordinator(actor, introduction, "record attempts to get in touch", request)
    now = timezone.now()
    _not_future(attempted_at, "attempted_at", now)
    if attempted_at < introduction.introduced_at:
        raise FrontDoorError(
            "before_introduction", "The attempt cannot be before the introduction", field="attempted_at"
        )
    with transaction.atomic():
        introduction = _locked(introduction)
        if introduction.state not in OPEN_STATES:
            raise FrontDoorError(
                "not_open", "Reopen the introduction before recording another attempt", field="outcome"
            )
        attempt = ContactAttempt.objects.create(
            introduction=introduction,
            attempted_at=attempted_at,
            method=ContactMethod(method),
            outcome=AttemptOutcome(outcome),
            note=note.strip(),
            recorded_by=actor,
        )
        from_state = introduction.state
        if introduction.state == IntroductionState.NEW:
            _move(introduction, IntroductionState.CONTACTING, now)
            introduction.save(update_fields=["state", "state_changed_at", "updated_at"])
        _event(
            introduction,
            EventKind.ATTEMPT,
            actor,
            from_state=from_state,
            note=f"{attempt.get_method_display()}: {attempt.get_outcome_display()}",
            at=attempted_at,
        )
        _record_change(actor, introduction, {"attempt": attempt.outcome}, request)
    return attempt


def attempts_not_reached(introduction: Introduction) -> int:
    """Unanswered attempts since the introduction was last opened or reopened."""
    since = (
        IntroductionEvent.objects.filter(introduction=introduction, kind=EventKind.REOPENED)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    attempts = ContactAttempt.objects.filter(introduction=introduction).exclude(outcome=AttemptOutcome.SPOKE)
    if since is not None:
        attempts = attempts.filter(attempted_at__gte=since)
    return attempts.count()


def _booking_message(booking: Booking, person: Person) -> str:
    where = booking.get_place_display()
    if booking.place_detail:
        where = f"{where}: {booking.place_detail}"
    return booking_text(
        first_name=person.preferred_name or person.given_name,
        starts_at=booking.starts_at,
        where=where,
        worker_first_name=booking.worker.first_name or booking.worker.name,
        reference=booking.introduction.reference,
    )


def booking_create(
    *,
    actor: User,
    introduction: Introduction,
    starts_at: dt.datetime,
    place: Place | str,
    place_detail: str,
    worker: User,
    notify_by: NotifyBy | str,
    request: HttpRequest | None = None,
) -> Booking:
    """Book the first conversation (or move it: the earlier booking is kept, marked changed)."""
    _require_coordinator(actor, introduction, "book first conversations", request)
    now = timezone.now()
    if starts_at < introduction.introduced_at:
        raise FrontDoorError(
            "before_introduction", "The first conversation cannot be before the introduction", field="starts_at"
        )
    if not any(m.role in SUPPORT_ROLES and m.site_id == introduction.site_id for m in current_memberships(worker)):
        raise FrontDoorError("worker_not_at_site", "Choose a worker in this Living Well network", field="worker")
    notify = NotifyBy(notify_by)
    person = introduction.person
    if notify == NotifyBy.EMAIL and not person.email:
        raise FrontDoorError(
            "no_email", "There is no email address for this person. Choose another way to tell them", field="notify_by"
        )
    if notify == NotifyBy.SMS and not person.phone:
        raise FrontDoorError(
            "no_phone", "There is no phone number for this person. Choose another way to tell them", field="notify_by"
        )
    with transaction.atomic():
        introduction = _locked(introduction)
        if introduction.state not in OPEN_STATES:
            raise FrontDoorError(
                "not_open", "Reopen the introduction before booking a first conversation", field="starts_at"
            )
        moved = Booking.objects.filter(introduction=introduction, status=BookingStatus.BOOKED).update(
            status=BookingStatus.CANCELLED, status_note="Moved to another time", updated_at=now
        )
        booking = Booking.objects.create(
            introduction=introduction,
            starts_at=starts_at,
            place=Place(place),
            place_detail=place_detail.strip(),
            worker=worker,
            booked_by=actor,
            notify_by=notify,
        )
        from_state = _move(introduction, IntroductionState.BOOKED, now)
        introduction.save(update_fields=["state", "state_changed_at", "updated_at"])
        when = timezone.localtime(starts_at)
        _event(
            introduction,
            EventKind.BOOKED,
            actor,
            from_state=from_state,
            note=f"{when:%d %B %Y %H:%M}, {booking.get_place_display()}, with {worker.name}"
            + (" (moved from an earlier booking)" if moved else ""),
        )
        if notify in (NotifyBy.EMAIL, NotifyBy.SMS):
            message_send(
                site=introduction.site,
                person_id=person.pk,
                channel=Channel.EMAIL if notify == NotifyBy.EMAIL else Channel.SMS,
                to=person.email if notify == NotifyBy.EMAIL else person.phone,
                subject="Your first conversation with Living Well",
                body=_booking_message(booking, person),
                purpose="first conversation booked",
                actor=actor,
            )
        _record_change(actor, introduction, {"booked": booking.starts_at.isoformat()}, request)
    return booking


def booking_cancel(
    *,
    actor: User,
    booking: Booking,
    not_attended: bool,
    note: str,
    request: HttpRequest | None = None,
) -> Booking:
    """The booking is off (or did not happen): the introduction goes back to contacting, never closed."""
    introduction = booking.introduction
    _require_coordinator(actor, introduction, "change bookings", request)
    now = timezone.now()
    with transaction.atomic():
        introduction = _locked(introduction)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status != BookingStatus.BOOKED:
            raise FrontDoorError("not_booked", "This booking has already been changed", field="note")
        booking.status = BookingStatus.NOT_ATTENDED if not_attended else BookingStatus.CANCELLED
        booking.status_note = note.strip()
        booking.save(update_fields=["status", "status_note", "updated_at"])
        from_state = _move(introduction, IntroductionState.CONTACTING, now)
        introduction.save(update_fields=["state", "state_changed_at", "updated_at"])
        _event(
            introduction,
            EventKind.NOT_ATTENDED if not_attended else EventKind.BOOKING_CANCELLED,
            actor,
            from_state=from_state,
            note=note.strip(),
        )
        _record_change(actor, introduction, {"booking": booking.status}, request)
    return booking


def introduction_withdraw(
    *, actor: User, introduction: Introduction, reason: str, request: HttpRequest | None = None
) -> Introduction:
    """The person no longer wants support. Their reason is kept, and they can come back at any time."""
    _require_coordinator(actor, introduction, "withdraw introductions", request)
    if not reason.strip():
        raise FrontDoorError("reason_missing", "Say why, in the person's words if you can", field="reason")
    return _close(actor, introduction, IntroductionState.WITHDRAWN, EventKind.WITHDRAWN, reason.strip(), request)


def introduction_mark_unreachable(
    *, actor: User, introduction: Introduction, note: str = "", request: HttpRequest | None = None
) -> Introduction:
    """After several recorded attempts that did not reach the person. It can be reopened at any time."""
    _require_coordinator(actor, introduction, "mark introductions as not reached", request)
    needed = settings.LIVINGWELL_UNREACHABLE_AFTER_ATTEMPTS
    if (made := attempts_not_reached(introduction)) < needed:
        raise FrontDoorError(
            "too_few_attempts",
            f"Record at least {needed} attempts to get in touch first ({made} so far)",
            field="note",
        )
    return _close(actor, introduction, IntroductionState.UNREACHABLE, EventKind.UNREACHABLE, note.strip(), request)


def _close(
    actor: User,
    introduction: Introduction,
    state: IntroductionState,
    kind: EventKind,
    note: str,
    request: HttpRequest | None,
) -> Introduction:
    now = timezone.now()
    with transaction.atomic():
        introduction = _locked(introduction)
        if introduction.state not in OPEN_STATES:
            raise FrontDoorError("not_open", "This introduction is already closed", field="reason")
        Booking.objects.filter(introduction=introduction, status=BookingStatus.BOOKED).update(
            status=BookingStatus.CANCELLED, status_note=introduction.get_state_display(), updated_at=now
        )
        from_state = _move(introduction, state, now)
        introduction.closed_reason = note
        introduction.save(update_fields=["state", "state_changed_at", "closed_reason", "updated_at"])
        _event(introduction, kind, actor, from_state=from_state, note=note)
        _record_change(actor, introduction, {"state": state.value}, request)
    return introduction


def introduction_reopen(
    *, actor: User, introduction: Introduction, note: str = "", request: HttpRequest | None = None
) -> Introduction:
    """The door is open again: back to contacting, with the waiting clock still counting from the introduction."""
    _require_coordinator(actor, introduction, "reopen introductions", request)
    now = timezone.now()
    with transaction.atomic():
        introduction = _locked(introduction)
        if introduction.state not in REOPENABLE_STATES:
            raise FrontDoorError(
                "not_closed", "Only a withdrawn or not-reached introduction can be reopened", field="note"
            )
        from_state = _move(introduction, IntroductionState.CONTACTING, now)
        introduction.save(update_fields=["state", "state_changed_at", "updated_at"])
        _event(introduction, EventKind.REOPENED, actor, from_state=from_state, note=note.strip())
        _record_change(actor, introduction, {"state": "reopened"}, request)
    return introduction


# ---- the first conversation -----------------------------------------------------------------------


def _works_in_support_at(user: User, site_id: object) -> bool:
    """Whether `user` is active and works in a support role in the network of `site_id` now."""
    return user.is_active and any(m.role in SUPPORT_ROLES and m.site_id == site_id for m in current_memberships(user))


def _may_hold_first_conversation(actor: User, introduction: Introduction) -> bool:
    if _is_coordinator(actor, introduction.site_id):
        return True
    return Booking.objects.filter(introduction=introduction, worker=actor, status=BookingStatus.BOOKED).exists()


def first_conversation_record(
    *,
    actor: User,
    introduction: Introduction,
    held_at: dt.datetime,
    place: Place | str,
    story: Mapping[str, str],
    outcome: ConversationOutcome | str,
    team: Team | None = None,
    community_offers: str = "",
    handover_to: str = "",
    handover_organisation: Organisation | None = None,
    handover_reason: str = "",
    note: str = "",
    wanted_kind: WorkerKind | str = WorkerKind.NO_PREFERENCE,
    wanted_worker: User | None = None,
    wanted_note: str = "",
    request: HttpRequest | None = None,
) -> FirstConversation:
    """Record the first conversation: *my story* as told with the person, and what happens next.

    With Living Well support, the new support period keeps the worker the person would like: the
    kind (`wanted_kind`), someone by name (`wanted_worker`, who must work in a support role in this
    network) and anything else in their words (`wanted_note`), for the team leader's allocation.
    """
    if not _may_hold_first_conversation(actor, introduction):
        raise audit.refuse(
            actor=actor,
            action=Action.CHANGE,
            person_id=introduction.person_id,
            reason="Not the worker booked for this first conversation, nor a Hub coordinator",
            request=request,
            message="Only the worker booked for this first conversation, or a Hub coordinator, can record it.",
        )
    now = timezone.now()
    outcome = ConversationOutcome(outcome)
    _not_future(held_at, "held_at", now)
    if held_at < introduction.introduced_at.replace(second=0, microsecond=0):
        raise FrontDoorError(
            "before_introduction", "The first conversation cannot be before the introduction", field="held_at"
        )
    held_at = max(held_at, introduction.introduced_at)  # typed to the minute: met straight after coming in
    if outcome == ConversationOutcome.SUPPORT and team is None:
        raise FrontDoorError("team_missing", "Choose the team that will support the person", field="team")
    if team is not None and team.site_id != introduction.site_id:
        raise FrontDoorError("team_other_site", "Choose a team in this Living Well network", field="team")
    if wanted_kind not in WorkerKind.values:
        raise FrontDoorError("wanted_kind_unknown", "Choose a kind of worker from the list", field="wanted_kind")
    if wanted_worker is not None and not _works_in_support_at(wanted_worker, introduction.site_id):
        raise FrontDoorError(
            "wanted_worker_not_at_site", "Choose someone who works in this Living Well network", field="wanted_worker"
        )
    if len(wanted_note.strip()) > 300:
        raise FrontDoorError(
            "wanted_note_too_long",
            "Anything else about the worker must be 300 characters or fewer",
            field="wanted_note",
        )
    if outcome == ConversationOutcome.HANDOVER:
        if not handover_to.strip():
            raise FrontDoorError(
                "handover_to_missing", "Enter who the person is being handed over to", field="handover_to"
            )
        if not handover_reason.strip():
            raise FrontDoorError(
                "handover_reason_missing", "Say why, and what the person wants from it", field="handover_reason"
            )
    with transaction.atomic():
        introduction = _locked(introduction)
        if introduction.state not in OPEN_STATES:
            raise FrontDoorError(
                "not_open", "This introduction is not waiting for a first conversation", field="held_at"
            )
        person = introduction.person
        people.story_change(actor=actor, person=person, data=dict(story), request=request)
        period = None
        if outcome == ConversationOutcome.SUPPORT and team is not None:
            period = SupportPeriod.objects.filter(person=person, team=team, ended_at__isnull=True).first()
            if period is None:
                period = SupportPeriod.objects.create(
                    person=person,
                    team=team,
                    started_at=held_at,
                    opened_by=actor,
                    wanted_kind=WorkerKind(wanted_kind),
                    wanted_worker=wanted_worker,
                    wanted_note=wanted_note.strip(),
                )
        conversation = FirstConversation.objects.create(
            introduction=introduction,
            held_at=held_at,
            place=Place(place),
            worker=actor,
            outcome=outcome,
            team=team if outcome == ConversationOutcome.SUPPORT else None,
            support_period=period,
            community_offers=community_offers.strip(),
            note=note.strip(),
        )
        if outcome == ConversationOutcome.HANDOVER:
            Handover.objects.create(
                person=person,
                site=introduction.site,
                first_conversation=conversation,
                to_service=handover_to.strip(),
                organisation=handover_organisation,
                reason=handover_reason.strip(),
                handed_over_at=held_at,
                follow_up_due=timezone.localtime(held_at).date()
                + dt.timedelta(days=settings.LIVINGWELL_HANDOVER_FOLLOW_UP_DAYS),
                handed_over_by=actor,
            )
        Booking.objects.filter(introduction=introduction, status=BookingStatus.BOOKED).update(
            status=BookingStatus.HELD, updated_at=now
        )
        from_state = _move(introduction, IntroductionState.MET, now)
        introduction.first_conversation_at = held_at
        introduction.save(update_fields=["state", "state_changed_at", "first_conversation_at", "updated_at"])
        _event(
            introduction,
            EventKind.MET,
            actor,
            from_state=from_state,
            note=conversation.get_outcome_display(),
            at=held_at,
        )
        _record_change(actor, introduction, {"first_conversation": outcome.value}, request)
    return conversation


def second_contact_record(
    *, actor: User, introduction: Introduction, at: dt.datetime, request: HttpRequest | None = None
) -> Introduction:
    """The next contact after the first conversation: the second clock (NHS England's measure) stops."""
    access = access_to(actor, introduction.person)
    conversation = FirstConversation.objects.filter(introduction=introduction).first()
    allowed = (
        _is_coordinator(actor, introduction.site_id)
        or bool(access.bases & {Basis.TEAM, Basis.ALLOCATED})
        or (conversation is not None and conversation.worker_id == actor.pk)
    )
    if not allowed:
        raise audit.refuse(
            actor=actor,
            action=Action.CHANGE,
            person_id=introduction.person_id,
            reason="No legitimate relationship to record contacts",
            request=request,
        )
    now = timezone.now()
    _not_future(at, "at", now)
    with transaction.atomic():
        introduction = _locked(introduction)
        if introduction.first_conversation_at is None:
            raise FrontDoorError("no_first_conversation", "Record the first conversation first", field="at")
        if introduction.second_contact_at is not None:
            raise FrontDoorError("already_recorded", "The second contact is already recorded", field="at")
        if at < introduction.first_conversation_at:
            raise FrontDoorError("before_first", "The second contact must be after the first conversation", field="at")
        introduction.second_contact_at = at
        introduction.save(update_fields=["second_contact_at", "updated_at"])
        _event(introduction, EventKind.SECOND_CONTACT, actor, from_state=introduction.state, at=at)
        _record_change(actor, introduction, {"second_contact": at.isoformat()}, request)
    return introduction


def handover_follow_up(*, actor: User, handover: Handover, note: str, request: HttpRequest | None = None) -> Handover:
    """The network checked in on a handover: is the person getting what they went for?"""
    if not _is_coordinator(actor, handover.site_id):
        raise audit.refuse(
            actor=actor,
            action=Action.CHANGE,
            person_id=handover.person_id,
            reason="Only a Hub coordinator of the site may follow up handovers",
            request=request,
        )
    if not note.strip():
        raise FrontDoorError("note_missing", "Say what you found out", field="note")
    with transaction.atomic():
        handover = Handover.objects.select_for_update().get(pk=handover.pk)
        if handover.followed_up_at is not None:
            raise FrontDoorError("already_followed_up", "This handover has already been followed up", field="note")
        handover.followed_up_at = timezone.now()
        handover.follow_up_note = note.strip()
        handover.save(update_fields=["followed_up_at", "follow_up_note", "updated_at"])
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=handover.person_id,
            detail={"handover_followed_up": handover.to_service},
            request=request,
        )
    return handover


# ---- returning people ----------------------------------------------------------------------------


def match_decide(
    *, actor: User, match: PossibleMatch, same_person: bool, request: HttpRequest | None = None
) -> PossibleMatch:
    """The coordinator says whether a new introduction is someone we know.

    If it is, the introduction joins their record: their story, network and history carry over,
    and the record made at the front door is folded in and removed.
    """
    introduction = match.introduction
    _require_coordinator(actor, introduction, "recognise returning people", request)
    now = timezone.now()
    with transaction.atomic():
        match = PossibleMatch.objects.select_for_update().select_related("candidate").get(pk=match.pk)
        if match.status != MatchStatus.PENDING:
            raise FrontDoorError("already_decided", "This has already been decided", field="same_person")
        introduction = _locked(introduction)
        match.status = MatchStatus.CONFIRMED if same_person else MatchStatus.NOT_SAME
        match.decided_by = actor
        match.decided_at = now
        match.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        if not same_person:
            _record_change(actor, introduction, {"possible_match": "not the same person"}, request)
            return match
        duplicate = introduction.person
        known = match.candidate
        if duplicate.pk == known.pk:
            return match
        Introduction.objects.filter(person=duplicate).update(person=known, updated_at=now)
        people.person_absorb(actor=actor, duplicate=duplicate, into=known, request=request)
        PossibleMatch.objects.filter(introduction=introduction).exclude(pk=match.pk).filter(
            status=MatchStatus.PENDING
        ).update(status=MatchStatus.NOT_SAME, decided_by=actor, decided_at=now, updated_at=now)
        PossibleMatch.objects.filter(candidate=duplicate).delete()
        Message.objects.filter(person_id=duplicate.pk).update(person_id=known.pk)
        Person.objects.filter(pk=duplicate.pk).delete()
        introduction.person = known
        _event(introduction, EventKind.MATCHED, actor, from_state=introduction.state, note="Confirmed by a coordinator")
        _record_change(actor, introduction, {"joined_record": str(duplicate.pk)}, request)
    return match


def _is_the_person(actor: User, person: Person) -> bool:
    return person.user_id is not None and person.user_id == actor.pk


def introduction_return(
    *, actor: User, introduction: Introduction, note: str = "", request: HttpRequest | None = None
) -> Introduction:
    """The person came back within the site's time and was picked up by their team, without a new
    first conversation: the introduction leaves the queue as *back with their team*.

    Called by `livingwell.support.services.moving_on.support_resume`, which opens the support again.
    The person themself, or a Hub coordinator of the site, may do this.
    """
    if not (_is_coordinator(actor, introduction.site_id) or _is_the_person(actor, introduction.person)):
        raise audit.refuse(
            actor=actor,
            action=Action.CHANGE,
            person_id=introduction.person_id,
            reason="Only the person, or a Hub coordinator of the site, may close an introduction as back with their team",
            request=request,
            message="Only the person, or a Hub coordinator, can do this.",
        )
    now = timezone.now()
    with transaction.atomic():
        introduction = _locked(introduction)
        if introduction.state not in OPEN_STATES:
            raise FrontDoorError("not_open", "This introduction is already closed", field=None)
        Booking.objects.filter(introduction=introduction, status=BookingStatus.BOOKED).update(
            status=BookingStatus.CANCELLED, status_note="Back with their team", updated_at=now
        )
        from_state = _move(introduction, IntroductionState.RETURNED, now)
        introduction.closed_reason = note.strip()
        introduction.save(update_fields=["state", "state_changed_at", "closed_reason", "updated_at"])
        _event(introduction, EventKind.RETURNED, actor, from_state=from_state, note=note.strip())
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=introduction.person_id,
            basis=Basis.SELF if _is_the_person(actor, introduction.person) else Basis.FRONT_DOOR,
            detail={"introduction": introduction.reference, "state": IntroductionState.RETURNED.value},
            request=request,
        )
    return introduction


def introduction_come_back(
    *,
    actor: User,
    person: Person,
    in_their_words: str = "",
    unsafe_now: UnsafeNow | str = "",
    worker_preferences: Sequence[str] = (),
    request: HttpRequest | None = None,
) -> Introduced:
    """Someone who moved on asks, from their own record, to start again with a first conversation.

    It is a self-introduction for the record we already know (no new record, no possible match to
    check), and it goes to the Hub's queue like any other. When the person already has an open
    introduction, that one is returned (`created` is False) rather than a second one made.
    """
    if not _is_the_person(actor, person):
        raise audit.refuse(
            actor=actor,
            action=Action.CREATE,
            person_id=person.pk,
            reason="Only the person may ask to come back from their own record",
            request=request,
            message="Only the person can ask to come back from their own record.",
        )
    if unsafe_now and unsafe_now not in UnsafeNow.values:
        raise FrontDoorError("unsafe_unknown", "Say whether anything is making you feel unsafe", field="unsafe_now")
    if bad := [w for w in worker_preferences if w not in WorkerPreference.values]:
        raise FrontDoorError("preference_unknown", f"Choose from the list (not {bad[0]})", field="worker_preferences")
    existing = Introduction.objects.filter(person=person, state__in=OPEN_STATES).order_by("-introduced_at").first()
    if existing is not None:
        return Introduced(existing, created=False)
    now = timezone.now()
    with transaction.atomic():
        introduction = Introduction.objects.create(
            reference=_unique_reference(),
            person=person,
            site_id=person.site_id,
            locality_id=person.locality_id,
            source=Source.SELF,
            introduced_at=now,
            state=IntroductionState.NEW,
            state_changed_at=now,
            urgent=unsafe_now == UnsafeNow.YES,
            in_their_words=in_their_words.strip(),
            unsafe_now=unsafe_now,
            worker_preferences=list(dict.fromkeys(worker_preferences)),
            agrees_to_contact=True,
        )
        _event(introduction, EventKind.INTRODUCED, actor, note="Asked to come back, from their own record", at=now)
        audit.record(
            actor=actor,
            action=Action.CREATE,
            person_id=person.pk,
            parts=[Part.STORY],
            basis=Basis.SELF,
            detail={"introduction": introduction.reference, "source": Source.SELF.value, "came_back": True},
            request=request,
        )
        _acknowledge(introduction, person)
    return Introduced(introduction, created=True)
