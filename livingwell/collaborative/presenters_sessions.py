"""How sessions, replies, the mix in the room, actions and the rota read on the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from livingwell.collaborative import presenters
from livingwell.collaborative.mix import Mix, share_text
from livingwell.collaborative.models import ActionPoint, ActionStatus, Reply, Session, SessionStatus
from livingwell.core import presenters as fmt

HOW_TO_COME = (
    "You do not need to book. Just come along; if you would like to tell us you are coming or need "
    "something to take part, such as a hearing loop, step-free access or someone to meet you at the door, "
    "tell the host organisation or ask at any Living Well Hub."
)


def when(session: Session) -> str:
    """ "Tuesday 10 March 2026, 8am to 9:30am"."""
    start = timezone.localtime(session.starts_at)
    return f"{start:%A} {fmt.date(start)}, {fmt.time(session.starts_at)} to {fmt.time(session.ends_at)}"


def where(session: Session) -> str:
    parts = [p for p in (session.place, session.postcode) if p]
    if parts:
        text = ", ".join(parts)
        return f"{text} (or online)" if session.online_link else text
    return "Online" if session.online_link else "To be confirmed"


def reply_text(reply: str | None) -> str:
    if reply == Reply.COMING:
        return "You are coming"
    if reply == Reply.NOT_COMING:
        return "You sent apologies"
    return "You have not replied"


def status_tag(session: Session) -> dict[str, str] | None:
    """The tag by a session: cancelled or held (planned sessions need none)."""
    if session.status == SessionStatus.CANCELLED:
        return {"text": "Cancelled", "classes": "nhsuk-tag--red"}
    if session.status == SessionStatus.HELD:
        return {"text": "Held", "classes": "nhsuk-tag--grey"}
    return None


def session_row(session: Session) -> dict[str, Any]:
    """One session in the members' list (expects `my_reply` annotated)."""
    return {
        "href": reverse("collaborative:session", args=[session.pk]),
        "title": session.title,
        "group": session.group.name,
        "when": when(session),
        "where": where(session),
        "host": session.host_organisation.name if session.host_organisation else "",
        "open": session.is_open_event,
        "tag": status_tag(session),
        "reply": reply_text(getattr(session, "my_reply", "")) if session.status == SessionStatus.PLANNED else "",
    }


def mix_lines(mix: Mix) -> dict[str, Any]:
    """The mix for the page: totals, the share of lived experience, perspectives and sectors."""
    total_people = mix.total + mix.guests
    guests = ""
    if mix.guests:
        guests = "1 guest who is not a member" if mix.guests == 1 else f"{mix.guests} guests who are not members"
    return {
        "members": "1 member" if mix.total == 1 else f"{mix.total} members",
        "guests": guests,
        "total": total_people,
        "lived_experience": f"{share_text(mix.lived_experience, mix.total)} had lived experience"
        if mix.total
        else "No members yet",
        "rows": mix.rows(),
        "sector_rows": mix.sector_rows(),
    }


def overdue_text(count: int) -> str:
    if count == 0:
        return "None overdue"
    return "1 action overdue" if count == 1 else f"{count} actions overdue"


def is_overdue(action: ActionPoint, today: dt.date) -> bool:
    return action.status == ActionStatus.OPEN and action.due_on < today


def action_tag(action: ActionPoint, today: dt.date) -> dict[str, str]:
    if is_overdue(action, today):
        return {"text": "Overdue", "classes": "nhsuk-tag--red"}
    if action.status == ActionStatus.DONE:
        return {"text": "Done", "classes": "nhsuk-tag--green"}
    if action.status == ActionStatus.DROPPED:
        return {"text": "Dropped", "classes": "nhsuk-tag--grey"}
    return {"text": "To do", "classes": "nhsuk-tag--blue"}


def action_row(action: ActionPoint, today: dt.date) -> dict[str, Any]:
    return {
        "href": reverse("collaborative:action", args=[action.pk]),
        "description": action.description,
        "owner": action.owner.known_as,
        "due": fmt.date(action.due_on),
        "tag": action_tag(action, today),
        "group": action.group.name if "group" in action._state.fields_cache else "",
    }


def host_text(session: Session) -> str:
    """ "Hosted by Certitude, welcomed by A member with lived experience" (public: names only by consent)."""
    parts = []
    if session.host_organisation:
        parts.append(f"Hosted by {session.host_organisation.name}")
    if session.host_member:
        name = presenters.public_name(session.host_member)
        if not session.host_member.public_name:
            name = name[:1].lower() + name[1:]
        parts.append(f"welcomed by {name}")
    text = ", ".join(parts)
    return text[:1].upper() + text[1:]


def public_event(session: Session) -> dict[str, Any]:
    """An open event as anyone reads it: no member names except the host's, as they agreed."""
    return {
        "href": reverse("collaborative:event", args=[session.pk]),
        "title": session.title,
        "when": when(session),
        "date": fmt.date(session.starts_at),
        "times": f"{fmt.time(session.starts_at)} to {fmt.time(session.ends_at)}",
        "where": where(session),
        "place": session.place,
        "postcode": session.postcode,
        "online_link": session.online_link,
        "host": host_text(session),
        "how_to_get_there": session.how_to_get_there,
        "cancelled": session.status == SessionStatus.CANCELLED,
        "over": session.ends_at < timezone.now(),
    }
