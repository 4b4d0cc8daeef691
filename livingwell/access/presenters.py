"""Display of the front door: state tags, what the person asked for, the clock and the history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone

from livingwell.access.models import (
    OPEN_STATES,
    REOPENABLE_STATES,
    ConversationOutcome,
    Handover,
    Introduction,
    IntroductionState,
    PersonAware,
    Place,
    WorkerPreference,
)
from livingwell.access.selectors import Clock, IntroductionView
from livingwell.audit.models import Part
from livingwell.audit.policy import access_to
from livingwell.core import presenters as fmt
from livingwell.people.services import STORY_FIELDS
from livingwell.support.models import WorkerKind

if TYPE_CHECKING:
    from livingwell.accounts.models import User

__all__ = ["STORY_FIELDS", "asked_for", "handover_rows", "introduction_context", "state_tag", "wanted_initial"]

_TAG_COLOURS = {
    IntroductionState.NEW: "blue",
    IntroductionState.CONTACTING: "yellow",
    IntroductionState.BOOKED: "purple",
    IntroductionState.MET: "green",
    IntroductionState.WITHDRAWN: "grey",
    IntroductionState.UNREACHABLE: "orange",
    IntroductionState.RETURNED: "aqua-green",
}


def state_tag(state: str) -> dict[str, str]:
    """NHS.UK tag parameters for a state."""
    return {"text": IntroductionState(state).label, "classes": f"nhsuk-tag--{_TAG_COLOURS[IntroductionState(state)]}"}


def asked_for(introduction: Introduction) -> list[tuple[str, str]]:
    """What the person asked for about meeting, as summary rows."""
    person = introduction.person
    places = ", ".join(Place(p).label for p in introduction.preferred_places if p in Place.values)
    workers = "; ".join(
        WorkerPreference(w).label for w in introduction.worker_preferences if w in WorkerPreference.values
    )
    language = person.first_language or "Not given"
    if person.interpreter_needed:
        language += " (needs an interpreter)"
    return [
        ("Places they would like to meet", places or "No preference given"),
        ("Kind of worker", workers or "No preference given"),
        ("First language", language),
        ("Access needs", person.access_needs or "None given"),
        ("Anything else about meeting", introduction.meeting_note or "Nothing"),
    ]


def wanted_initial(introduction: Introduction) -> dict[str, str]:
    """The worker the person asked for when they were introduced, to start the first conversation's answers.

    A peer worker is a kind of worker; a woman, a man or someone who speaks their language goes in
    the words about the worker.
    """
    wanted = set(introduction.worker_preferences)
    notes = []
    if WorkerPreference.WOMAN in wanted:
        notes.append("A woman")
    if WorkerPreference.MAN in wanted:
        notes.append("A man")
    if WorkerPreference.SAME_LANGUAGE in wanted:
        language = introduction.person.first_language.strip()
        notes.append(f"Someone who speaks {language}" if language else "Someone who speaks their language")
    return {
        "wanted_kind": WorkerKind.PEER.value if WorkerPreference.PEER in wanted else WorkerKind.NO_PREFERENCE.value,
        "wanted_note": "; ".join(notes),
    }


def clock_text(clock: Clock) -> str:
    if clock.days_to_first_conversation is not None:
        text = f"Met after {fmt.days(clock.days_to_first_conversation)}"
        if clock.days_to_second_contact is not None:
            text += f"; second contact after {fmt.days(clock.days_to_second_contact)}"
        return text
    if clock.days_waiting_so_far is not None:
        return f"Waiting {fmt.days(clock.days_waiting_so_far)} (target {fmt.days(clock.target_days)})"
    return "Not waiting"


def _contact_ways(introduction: Introduction) -> str:
    person = introduction.person
    ways = [
        label
        for allowed, label in (
            (person.may_phone, "phone call"),
            (person.may_text, "text message"),
            (person.may_email, "email"),
            (person.may_write, "letter"),
            (person.may_leave_message, "leave a message"),
        )
        if allowed
    ]
    return ", ".join(ways) or "Not said"


def _introduced_by(introduction: Introduction) -> str:
    if introduction.source == "self":
        return "Themself"
    who = [introduction.get_source_display()]
    if introduction.introducer_name:
        who.append(introduction.introducer_name)
    if introduction.introducer_relationship:
        who.append(introduction.introducer_relationship)
    if introduction.introducing_organisation:
        who.append(introduction.introducing_organisation.name)
    return ", ".join(who)


def introduction_context(view: IntroductionView, *, user: User | None = None) -> dict[str, Any]:
    """The introduction page. With `user`, it links to completing measures with the person once the
    first conversation started their Living Well support and `user` may complete measures with them."""
    i = view.introduction
    person = view.person
    contact = [
        ("Phone", person.phone or "Not given"),
        ("Email", person.email or "Not given"),
        ("Address", ", ".join(x for x in (person.address_line_1, person.town, person.postcode) if x) or "Not given"),
        ("Ways we may contact them", _contact_ways(i)),
        ("Good times", person.contact_times or "Not said"),
    ]
    introducer = []
    if i.source != "self":
        introducer = [
            ("Introduced by", _introduced_by(i)),
            ("Introducer's phone", i.introducer_phone or "Not given"),
            ("Introducer's email", i.introducer_email or "Not given"),
            ("Does the person know?", PersonAware(i.person_aware).label if i.person_aware else "Not said"),
        ]
    can = view.can_coordinate
    actions: list[dict[str, str]] = []
    if can and i.state in OPEN_STATES:
        actions.append(
            {"text": "Record an attempt to get in touch", "href": reverse("front_door:attempt", args=[i.pk])}
        )
        label = "Move the first conversation" if view.current_booking else "Book the first conversation"
        actions.append({"text": label, "href": reverse("front_door:book", args=[i.pk])})
        if view.current_booking:
            actions.append(
                {
                    "text": "Cancel the booking, or record that it did not happen",
                    "href": reverse("front_door:cancel_booking", args=[i.pk, view.current_booking.pk]),
                }
            )
    if (can or view.is_booked_worker) and i.state in OPEN_STATES:
        actions.append(
            {"text": "Record the first conversation", "href": reverse("front_door:first_conversation", args=[i.pk])}
        )
    if can and i.state in OPEN_STATES:
        actions.append(
            {"text": "The person does not want support now", "href": reverse("front_door:withdraw", args=[i.pk])}
        )
        actions.append(
            {"text": "We have not been able to reach them", "href": reverse("front_door:unreachable", args=[i.pk])}
        )
    if can and i.state in REOPENABLE_STATES:
        actions.append({"text": "Reopen the introduction", "href": reverse("front_door:reopen", args=[i.pk])})
    if i.state == IntroductionState.MET and i.second_contact_at is None:
        actions.append({"text": "Record the second contact", "href": reverse("front_door:second_contact", args=[i.pk])})
    conversation = view.first_conversation
    if (
        user is not None
        and conversation is not None
        and conversation.outcome == ConversationOutcome.SUPPORT
        and access_to(user, person).can_change(Part.MEASURES)
    ):
        start = reverse("measures:start", args=[person.pk])
        actions.append(
            {"text": f"Complete measures with {person.display_name}", "href": f"{start}?occasion=first_conversation"}
        )
    story = getattr(person, "story", None)
    return {
        "view": view,
        "introduction": i,
        "person": person,
        "tag": state_tag(i.state),
        "clock_text": clock_text(view.clock),
        "beyond_target": view.clock.beyond_target and i.state in OPEN_STATES,
        "contact_rows": contact,
        "introducer_rows": introducer,
        "asked": asked_for(i),
        "story_rows": [
            (str(story._meta.get_field(f).verbose_name) if story else f, getattr(story, f, "") or "Not told yet")
            for f in STORY_FIELDS
        ],
        "actions": actions,
        "attempt_rows": [
            (fmt.datetime(a.attempted_at), a.get_method_display(), a.get_outcome_display(), a.note)
            for a in view.attempts
        ],
        "booking_rows": [
            (
                fmt.datetime(b.starts_at),
                b.get_place_display() + (f": {b.place_detail}" if b.place_detail else ""),
                b.worker.name,
                b.get_status_display(),
            )
            for b in view.bookings
        ],
        "event_rows": [
            (fmt.datetime(e.occurred_at), e.get_kind_display(), e.actor_name or "Living Well", e.note)
            for e in view.events
        ],
        "match_rows": [
            {
                "name": m.name,
                "date_of_birth": fmt.date(m.date_of_birth),
                "postcode": m.postcode or "Not known",
                "last": fmt.date(m.last_introduced_at, "Never"),
                "supported_before": "Yes" if m.supported_before else "No",
                "reasons": ", ".join(m.match.reasons),
                "href": reverse("front_door:match", args=[i.pk, m.match.pk]),
            }
            for m in view.matches
        ],
        "earlier": [(fmt.date(e.introduced_at), e.get_state_display()) for e in view.earlier_introductions],
    }


@dataclass(frozen=True)
class HandoverRow:
    name: str
    to: str
    handed_over: str
    due: str
    overdue: bool
    href: str


def handover_rows(rows: list[Handover]) -> list[HandoverRow]:
    today = timezone.localdate()
    return [
        HandoverRow(
            h.person.display_name,
            h.to_service,
            fmt.date(h.handed_over_at),
            fmt.date(h.follow_up_due),
            h.follow_up_due < today,
            reverse("front_door:handover_follow_up", args=[h.pk]),
        )
        for h in rows
    ]
