"""Rows for the public pages, the member's home and the list of members: by the names members chose."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from livingwell.core import presenters as core

from .mix import Mix, percent, share_text
from .models import (
    ActionPoint,
    Decision,
    FundRound,
    Group,
    GroupKind,
    GroupMembership,
    JoinRequest,
    Member,
    Perspective,
    Principle,
    Reply,
    Session,
)
from .presenters import money, perspectives_text
from .selectors_members import ReflectionStatus

# What each kind of group is, in a sentence anyone can follow (the public page explains them all).
KIND_EXPLAINED = {
    "collaborative": "Everyone who takes part. It meets as a whole, holds the open events and keeps the "
    "network true to its purpose.",
    "design_team": "12 to 15 people who design a part of the network together, starting from what people "
    "who use it say matters.",
    "prototyping_team": "People who try out a new idea quickly on a small scale, to learn what works before "
    "anything is built for good.",
    "prototyping_lab": "Regular meetings where teams testing ideas share what they learnt, so it is not lost.",
    "governance": "Groups that make the decisions about money and direction, with people with lived "
    "experience at the table as equals.",
    "community_of_practice": "People who do similar work, such as peer workers, who meet to learn from each other.",
    "neighbourhood": "Groups for one part of the borough, close to where people live.",
}


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# ---- public ---------------------------------------------------------------------------------------


def kinds_explained() -> list[dict[str, str]]:
    return [{"name": str(kind.label), "text": KIND_EXPLAINED[kind.value]} for kind in GroupKind]


def public_group_row(group: Group) -> dict[str, Any]:
    return {"name": group.name, "kind": group.get_kind_display(), "purpose": group.purpose}


def event_row(session: Session) -> dict[str, Any]:
    host = session.host_organisation.name if session.host_organisation else ""
    return {
        "title": session.title,
        "href": reverse("collaborative:event", args=[session.pk]),
        "when": core.datetime(session.starts_at),
        "until": core.time(session.ends_at),
        "place": session.place or "Online",
        "online": bool(session.online_link),
        "host": host,
        "group": session.group.name,
    }


def public_decision_row(decision: Decision) -> dict[str, Any]:
    return {
        "title": decision.title,
        "href": reverse("collaborative:public_decision", args=[decision.pk]),
        "group": decision.group.name,
        "decided_on": core.date(decision.decided_on),
        "result": decision.get_result_display(),
        "people": _plural(decision.participant_count, "person", "people"),
        "lived_experience": share_text(decision.lived_experience_count, decision.participant_count),
        "money": money(decision.money),
    }


def mix_rows(mix: Mix) -> list[dict[str, Any]]:
    """Each perspective with its count and share of all members (a member may bring several)."""
    return [{"label": label, "count": count, "share": f"{percent(count, mix.total)}%"} for label, count in mix.rows()]


def mix_summary(mix: Mix) -> str:
    if mix.total == 0:
        return "There are no members yet."
    return (
        f"{_plural(mix.total, 'member', 'members')}. People with lived experience of mental health: "
        f"{mix.lived_experience_text}."
    )


# ---- the member's home ----------------------------------------------------------------------------


def place_row(place: GroupMembership) -> dict[str, Any]:
    return {
        "group": place.group.name,
        "href": reverse("collaborative:group", args=[place.group_id]),
        "kind": place.group.get_kind_display(),
        "role": place.get_role_display(),
        "since": core.date(place.started_on),
    }


_REPLY_TEXT = {Reply.COMING.value: "You are coming", Reply.NOT_COMING.value: "You sent apologies"}


def session_row(session: Session) -> dict[str, Any]:
    reply = getattr(session, "my_reply", "") or ""
    return {
        "title": session.title,
        "href": reverse("collaborative:session", args=[session.pk]),
        "reply_href": reverse("collaborative:session", args=[session.pk]) + "#reply",
        "when": core.datetime(session.starts_at),
        "group": session.group.name,
        "open_event": session.is_open_event,
        "reply": _REPLY_TEXT.get(reply, "You have not replied"),
        "replied": bool(reply),
    }


def action_row(action: ActionPoint, today: dt.date) -> dict[str, Any]:
    overdue = action.due_on < today
    return {
        "description": action.description,
        "href": reverse("collaborative:action", args=[action.pk]),
        "group": action.group.name,
        "due": core.date(action.due_on),
        "overdue": overdue,
    }


def decision_row(decision: Decision) -> dict[str, Any]:
    return {
        "title": decision.title,
        "href": reverse("collaborative:decision", args=[decision.pk]),
        "say_href": reverse("collaborative:decision_say", args=[decision.pk]),
        "group": decision.group.name,
        "method": decision.get_method_display(),
    }


def reflection_row(status: ReflectionStatus) -> dict[str, Any]:
    principles = len(Principle)
    rated = status.ratings
    if rated == 0:
        rated_text = "You have not rated the principles yet"
    elif rated >= principles:
        rated_text = "You have rated all 6 principles"
    else:
        rated_text = f"You have rated {rated} of {principles} principles"
    return {
        "title": status.round.title,
        "href": reverse("collaborative:round", args=[status.round.pk]),
        "rate_href": reverse("collaborative:principles_rate", args=[status.round.pk]),
        "balcony_href": reverse("collaborative:balcony", args=[status.round.pk]),
        "closes_on": core.date(status.round.closes_on),
        "rated": rated_text,
        "rated_all": rated >= principles,
        "placed": (
            "You have not placed the system on the balcony yet"
            if status.placements == 0
            else f"You have placed the system on {_plural(status.placements, 'row', 'rows')} of the balcony exercise"
        ),
    }


def fund_row(fund_round: FundRound) -> dict[str, Any]:
    return {
        "name": fund_round.name,
        "href": reverse("collaborative:fund_round", args=[fund_round.pk]),
        "stage": fund_round.get_stage_display(),
        "budget": money(fund_round.budget),
        "pitches_close_on": core.date(fund_round.pitches_close_on),
        "voting_closes_on": core.date(fund_round.voting_closes_on),
    }


def waiting_text(count: int | None) -> str:
    """For stewards: how many requests to join are waiting (empty for everyone else)."""
    if count is None:
        return ""
    if count == 0:
        return "No requests to join are waiting."
    return f"{_plural(count, 'request', 'requests')} to join {'is' if count == 1 else 'are'} waiting for a welcome."


def workspace_links() -> list[dict[str, str]]:
    """Every part of the Collaborative's workspace, with what it is for."""
    parts = [
        (
            "Groups",
            "collaborative:groups",
            "Design Teams, Prototyping Teams, Labs and the other groups, and how to join one.",
        ),
        ("Sessions", "collaborative:sessions", "Meetings and open events, with who is coming."),
        ("Actions", "collaborative:actions", "What people agreed to do, followed to done."),
        ("Decisions", "collaborative:decisions", "What is being decided, who took part and how."),
        ("Prototypes", "collaborative:prototypes", "Ideas being tested, and what each test taught us."),
        ("Stories", "collaborative:stories", "Stories and feedback, shared only as far as the teller agreed."),
        ("Reflection", "collaborative:reflection", "How well we co-produce, and how relational the system is."),
        ("Ideas fund", "collaborative:fund", "Pitch an idea, and vote on which ideas get money."),
        ("Members", "collaborative:members", "Who is in the Collaborative and the mix of people."),
        ("Who holds which role", "collaborative:who_holds", "Chairs, co-chairs and coordinators, and for how long."),
        ("Open events rota", "collaborative:rota", "Which organisation hosts the open event each month."),
        ("Decisions log", "collaborative:decisions_log", "The public record of what was decided, with whom."),
        ("The picture of the network", "community:picture", "The community offers and the links between them."),
    ]
    return [{"text": text, "href": reverse(name), "about": about} for text, name, about in parts]


# ---- members --------------------------------------------------------------------------------------


def member_row(member: Member) -> dict[str, Any]:
    places = getattr(member, "current_places", [])
    return {
        "known_as": member.known_as,
        "href": reverse("collaborative:member", args=[member.pk]),
        "perspectives": perspectives_text(member),
        "organisation": member.organisation_name,
        "groups": [
            f"{p.group.name} ({p.get_role_display().lower()})" if p.role != "member" else p.group.name for p in places
        ],
    }


def history_row(place: GroupMembership) -> dict[str, Any]:
    return {
        "group": place.group.name,
        "href": reverse("collaborative:group", args=[place.group_id]),
        "role": place.get_role_display(),
        "from": core.date(place.started_on),
        "to": core.date(place.ended_on) if place.ended_on else "Now",
        "current": place.ended_on is None,
    }


def perspective_filter_items(chosen: Perspective | None) -> list[dict[str, Any]]:
    return [{"value": "", "text": "Everyone", "selected": chosen is None}] + [
        {"value": p.value, "text": str(p.label), "selected": p == chosen} for p in Perspective
    ]


# ---- join requests --------------------------------------------------------------------------------


def request_row(join_request: JoinRequest) -> dict[str, Any]:
    return {
        "known_as": join_request.known_as,
        "href": reverse("collaborative:join_request", args=[join_request.pk]),
        "perspectives": "; ".join(str(p.label) for p in join_request.perspectives),
        "asked_on": core.date(join_request.created_at),
        "status": join_request.get_status_display(),
        "handled_by": join_request.handled_by.known_as if join_request.handled_by else "A site administrator",
        "handled_on": core.date(join_request.handled_at),
    }
