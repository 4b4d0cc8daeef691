"""Moving on and coming back.

- `support_move_on`: a worker of the team (or the person's own worker) ends a support period with the
  person and writes the farewell summary together: what helped, what to do if things get hard, how to
  come back, and the person's own words. The current worker's allocation ends ("Moved on"), open
  urgent flags are cleared and open requests for a change of worker are answered. Moving on ends the
  team's access to the record (the team basis needs an open period, ADR 6); the person keeps reading
  their farewell.
- `support_resume`: someone who moved on less than the site's `months_to_come_back` ago is picked up
  where they left off, without a new first conversation: the same team, the same worker when still
  here, the same plan (due for review at once, so the huddle looks at it with them). The person
  themself may do this from their record, or a Hub coordinator working an open introduction for them.
  After that time we start again with a first conversation, through the front door.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from livingwell.access import services as front_door
from livingwell.access.models import OPEN_STATES, Introduction
from livingwell.audit import services as audit
from livingwell.audit.models import Action, Basis, Part
from livingwell.audit.policy import access_to
from livingwell.core import presenters as fmt
from livingwell.core.errors import DomainError
from livingwell.messaging.models import Channel
from livingwell.messaging.services import message_send
from livingwell.people import services as people
from livingwell.people.models import Person, Story
from livingwell.support.models import (
    Allocation,
    ChangeRequestStatus,
    Flag,
    MovingOn,
    MovingOnReason,
    Plan,
    SupportPeriod,
    WorkerChangeRequest,
)
from livingwell.support.selectors.moving_on import (
    ComeBack,
    add_months,
    come_back_offer,
    is_coordinator_at,
    last_moved_on,
    still_here,
    works_with_period,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User

# A clock a few minutes fast is not an error.
CLOCK_SKEW = dt.timedelta(minutes=5)
MOVED_ON = "Moved on"


class MovingOnError(DomainError):
    pass


# Moving on ----------------------------------------------------------------------------------------------


def _validate_move_on(
    period: SupportPeriod,
    reason: MovingOnReason | str,
    what_helped: str,
    if_things_get_hard: str,
    how_to_come_back: str,
    at: dt.datetime,
    now: dt.datetime,
) -> None:
    if reason not in MovingOnReason.values:
        raise MovingOnError("reason_missing", "Select why support is ending", field="reason")
    if not what_helped.strip():
        raise MovingOnError("what_helped_missing", "Say what helped, in their words if you can", field="what_helped")
    if not if_things_get_hard.strip():
        raise MovingOnError("if_hard_missing", "Say what to do if things get hard", field="if_things_get_hard")
    if not how_to_come_back.strip():
        raise MovingOnError("how_to_come_back_missing", "Say how to come back", field="how_to_come_back")
    if timezone.is_naive(at):
        raise MovingOnError("time_zone_missing", "Give the time with its time zone", field="moved_on_on")
    if at > now + CLOCK_SKEW:
        raise MovingOnError("in_future", "The date support ended must be today or in the past", field="moved_on_on")
    if at < period.started_at:
        raise MovingOnError(
            "before_start",
            f"The date support ended must be on or after {fmt.date(period.started_at)}, when it started",
            field="moved_on_on",
        )


def support_move_on(
    *,
    actor: User,
    period: SupportPeriod,
    reason: MovingOnReason | str,
    what_helped: str,
    if_things_get_hard: str,
    how_to_come_back: str,
    person_words: str = "",
    written_with_person: bool = True,
    at: dt.datetime | None = None,
    email_copy: bool = False,
    request: HttpRequest | None = None,
) -> MovingOn:
    """End an open support period with the person and keep the farewell summary written together.

    Only a worker of the period's team, or the person's current worker, may do it. `at` is when
    support ended (now, unless it is recorded afterwards). With `email_copy`, the person is emailed
    the summary (they must have an email address and have agreed to email), since the team no
    longer sees the record afterwards.
    """
    person = period.person
    access = access_to(actor, person)
    if not (access.can_change(Part.SUPPORT) and works_with_period(actor, period)):
        raise audit.refuse(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[Part.SUPPORT],
            reason="Not a worker of the team, nor the person's worker, in an open support period",
            request=request,
            message=f"Only a worker of the team, or {person.display_name}'s own worker, can end this support.",
        )
    now = timezone.now()
    at = at or now
    _validate_move_on(period, reason, what_helped, if_things_get_hard, how_to_come_back, at, now)
    if email_copy and not (person.email and person.may_email):
        raise MovingOnError(
            "no_email",
            f"{person.display_name} has not given an email address that we may use. Give them a copy another way",
            field="email_copy",
        )
    basis = access.basis_for(Part.SUPPORT, change=True)
    with transaction.atomic():
        period = SupportPeriod.objects.select_for_update().select_related("team", "person").get(pk=period.pk)
        if period.ended_at is not None:
            raise MovingOnError("already_moved_on", f"{person.display_name} has already moved on", field=None)
        current = Allocation.objects.select_for_update().filter(support_period=period, ended_at__isnull=True).first()
        if current is not None and at < current.started_at:
            raise MovingOnError(
                "before_allocation",
                f"The date support ended must be on or after {fmt.date(current.started_at)}, "
                "when their current worker started",
                field="moved_on_on",
            )
        period.ended_at = at
        period.save(update_fields=["ended_at", "updated_at"])
        if current is not None:
            current.ended_at = at
            current.end_reason = MOVED_ON
            current.save(update_fields=["ended_at", "end_reason", "updated_at"])
        flags = Flag.objects.filter(support_period=period, cleared_at__isnull=True).update(
            cleared_at=now, cleared_by=actor, cleared_note=MOVED_ON, updated_at=now
        )
        requests = WorkerChangeRequest.objects.filter(support_period=period, status=ChangeRequestStatus.OPEN).update(
            status=ChangeRequestStatus.NOT_POSSIBLE,
            answered_at=now,
            answered_by=actor,
            answer=(
                f"You moved on from {period.team.name} on {fmt.date(at)}, so we did not change your worker. "
                "If you come back, tell us who you would like."
            ),
            updated_at=now,
        )
        moving_on = MovingOn.objects.create(
            support_period=period,
            moved_on_at=at,
            reason=MovingOnReason(reason),
            what_helped=what_helped.strip(),
            if_things_get_hard=if_things_get_hard.strip(),
            how_to_come_back=how_to_come_back.strip(),
            person_words=person_words.strip(),
            written_with_person=written_with_person,
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[Part.SUPPORT],
            basis=basis,
            detail={
                "moved_on": moving_on.reason,
                "team": period.team.name,
                "support_period": str(period.pk),
                "written_with_person": written_with_person,
                "flags_cleared": flags,
                "change_requests_answered": requests,
                "emailed": email_copy,
            },
            request=request,
        )
        if email_copy:
            message_send(
                site=person.site,
                person_id=person.pk,
                channel=Channel.EMAIL,
                to=person.email,
                subject="Your farewell summary from Living Well",
                body=farewell_text(moving_on, person),
                purpose="farewell summary",
                actor=actor,
            )
    return moving_on


def farewell_text(moving_on: MovingOn, person: Person) -> str:
    """The farewell summary as a message to the person."""
    period = moving_on.support_period
    sections = [
        f"Hello {person.preferred_name or person.given_name}.",
        f"This is the farewell summary from your support with {period.team.name}, "
        f"which ended on {fmt.date(moving_on.moved_on_at)}.",
        f"What helped:\n{moving_on.what_helped}",
        f"What to do if things get hard:\n{moving_on.if_things_get_hard}",
        f"How to come back:\n{moving_on.how_to_come_back}",
    ]
    if moving_on.person_words:
        sections.append(f"In your words:\n{moving_on.person_words}")
    sections.append("If you have a Living Well sign-in, you can read this in your record at any time.")
    return "\n\n".join(sections)


# Coming back --------------------------------------------------------------------------------------------


def why_not_come_back(person: Person, now: dt.datetime | None = None) -> MovingOnError:
    """Why `person` cannot pick up where they left off now, in words for the page."""
    now = now or timezone.now()
    name = person.display_name
    open_periods = list(SupportPeriod.objects.filter(person=person, ended_at__isnull=True).select_related("team"))
    if open_periods:
        teams = " and ".join(p.team.name for p in open_periods)
        return MovingOnError("supported_now", f"{name} is supported by {teams} now", field=None)
    last = last_moved_on(person)
    if last is None or last.ended_at is None:
        return MovingOnError(
            "never_supported", f"{name} has not had Living Well support before, so we start with a first conversation"
        )
    months = person.site.months_to_come_back
    if now >= add_months(last.ended_at, months):
        return MovingOnError(
            "too_long_ago",
            f"It is more than {months} months since {name} moved on, so we start with a first conversation",
        )
    return MovingOnError(
        "team_closed", f"{last.team.name} no longer works as a team, so we start with a first conversation"
    )


def _story_addition(person: Person, words: str, actor: User, request: HttpRequest | None) -> None:
    """What has brought them back, added to *what brought me here* with the date (never over their words)."""
    story = Story.objects.filter(person=person).first()
    current = story.what_brought_me_here.rstrip() if story else ""
    day = timezone.localdate()
    added = f"{day.day} {day:%B %Y}, coming back: {words}"
    people.story_change(
        actor=actor,
        person=person,
        data={"what_brought_me_here": f"{current}\n\n{added}" if current else added},
        request=request,
    )


def support_resume(
    *,
    actor: User,
    person: Person,
    introduction: Introduction | None = None,
    in_their_words: str = "",
    unsafe_now: bool = False,
    request: HttpRequest | None = None,
) -> SupportPeriod:
    """Pick up where the person left off: a new support period with the same team, worker and plan.

    - `actor` is the person themself, or a Hub coordinator working `introduction`, an open
      introduction for this person (which then closes as *back with their team*; any other open
      introduction of theirs closes too).
    - The new period is `resumed_from` the last one and keeps what the person asked for in a worker
      (a worker named by name only if still here). Their last worker is allocated again if still here
      (the allocation honours their choice); otherwise the period waits for the team leader.
    - The plan's review is due today, so the team's next huddle looks at it with them.
    - `in_their_words` (what has brought them back) is added to their story with the date;
      `unsafe_now` raises an urgent flag for the team's huddle.

    Refused (DomainError) when they moved on more than the site's months ago, are supported now, or
    were never supported: then we start with a first conversation, through the front door.
    """
    access = access_to(actor, person)
    is_self = Basis.SELF in access.bases
    if introduction is not None and introduction.person_id != person.pk:
        raise MovingOnError("other_person", "This introduction is for someone else", field=None)
    coordinating = (
        introduction is not None
        and introduction.state in OPEN_STATES
        and is_coordinator_at(actor, introduction.site_id)
    )
    if not (is_self or coordinating):
        raise audit.refuse(
            actor=actor,
            action=Action.CREATE,
            person_id=person.pk,
            parts=[Part.SUPPORT],
            reason="Only the person, or a Hub coordinator working an open introduction for them, may pick up support",
            request=request,
            message="Only the person, or a Hub coordinator working their introduction, can pick up where they left off.",
        )
    now = timezone.now()
    offer = come_back_offer(person, now)
    if offer is None:
        raise why_not_come_back(person, now)
    try:
        with transaction.atomic():
            period = _resume(actor, person, offer, now)
            if in_their_words.strip():
                _story_addition(person, in_their_words.strip(), actor, request)
            if unsafe_now:
                Flag.objects.create(
                    support_period=period,
                    reason=f"{person.display_name} came back and said something is making them feel unsafe right now",
                    raised_at=now,
                    raised_by=actor,
                )
            note = f"Back with {offer.team.name}" + (f", with {offer.worker.name}" if offer.worker else "")
            closing = [introduction] if introduction is not None else []
            closing += list(
                Introduction.objects.filter(person=person, state__in=OPEN_STATES).exclude(
                    pk__in=[i.pk for i in closing]
                )
            )
            for each in closing:
                front_door.introduction_return(actor=actor, introduction=each, note=note, request=request)
            audit.record(
                actor=actor,
                action=Action.CREATE,
                person_id=person.pk,
                parts=[Part.SUPPORT],
                basis=Basis.SELF if is_self else Basis.FRONT_DOOR,
                detail={
                    "picked_up": offer.team.name,
                    "resumed_from": str(offer.period.pk),
                    "worker": offer.worker.name if offer.worker else None,
                    "introductions_closed": [i.reference for i in closing],
                    "urgent": unsafe_now,
                },
                request=request,
            )
    except IntegrityError:
        # Picked up twice at once (the person and a coordinator): the other one opened the period.
        raise why_not_come_back(person) from None
    return period


def _resume(actor: User, person: Person, offer: ComeBack, now: dt.datetime) -> SupportPeriod:
    last = SupportPeriod.objects.select_for_update().get(pk=offer.period.pk)
    if SupportPeriod.objects.filter(person=person, ended_at__isnull=True).exists():
        raise why_not_come_back(person, now)
    named = last.wanted_worker
    period = SupportPeriod.objects.create(
        person=person,
        team=offer.team,
        started_at=now,
        opened_by=actor,
        wanted_kind=last.wanted_kind,
        wanted_worker=named if named is not None and still_here(named, person.site_id) else None,
        wanted_note=last.wanted_note,
        resumed_from=last,
    )
    if offer.worker is not None:
        Allocation.objects.create(
            support_period=period,
            worker=offer.worker,
            started_at=now,
            allocated_by=actor,
            honours_choice=True,
        )
    Plan.objects.filter(person=person).update(review_due=timezone.localtime(now).date(), updated_at=now)
    return period
