"""Connections in words: each connection's stage as a tag, its history of steps, its follow-up; the
follow-ups due on a worker's home page; what an offer's page says about one person's connection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from livingwell.core import presenters as fmt
from livingwell.people.models import Person

from .connections import FollowUps, OfferForPerson, Stage
from .models import Connection, Curation, Gap, ServiceStatus

TAG_CLASSES = {
    Stage.SUGGESTED: "nhsuk-tag--grey",
    Stage.INTRODUCED: "nhsuk-tag--blue",
    Stage.WENT: "nhsuk-tag--aqua-green",
    Stage.STILL_GOING: "nhsuk-tag--green",
    Stage.DID_NOT_SUIT: "nhsuk-tag--orange",
}
OWN_STAGE_WORDS = {
    Stage.SUGGESTED: "You’d like to try this",  # noqa: RUF001
    Stage.INTRODUCED: "Introduced",
    Stage.WENT: "You’ve been",  # noqa: RUF001
    Stage.STILL_GOING: "You’re still going",  # noqa: RUF001
    Stage.DID_NOT_SUIT: "Did not suit you",
}


@dataclass(frozen=True)
class Tag:
    text: str
    classes: str


def stage_tag(stage: str, *, own: bool = False) -> Tag:
    value = Stage(stage)
    return Tag(text=OWN_STAGE_WORDS[value] if own else value.label, classes=TAG_CLASSES[value])


def offer_href(service_id: str, person: Person | None = None, *, own: bool = False) -> str:
    href = reverse("community:offer", args=[service_id])
    return f"{href}?{urlencode({'for': str(person.pk)})}" if person is not None and not own else href


@dataclass(frozen=True)
class StepLine:
    when: str
    stage: str
    who: str
    note: str


@dataclass
class ConnectionCard:
    id: str
    offer: str
    offer_href: str
    organisation: str
    tag: Tag
    rows: list[tuple[str, str]]
    steps: list[StepLine]
    update_href: str
    overdue: bool = False


def _who(user: Any, person: Person, *, own: bool) -> str:
    if user is None:
        return "Someone no longer here"
    if person.user_id is not None and user.pk == person.user_id:
        return "You" if own else person.display_name
    name: str = user.name
    return name


def _follow_up(value: dt.date | None, today: dt.date) -> tuple[str, bool]:
    if value is None:
        return "No follow-up set", False
    overdue = value < today
    words = fmt.date(value)
    if overdue:
        words += " (overdue)"
    elif value == today:
        words += " (today)"
    return words, overdue


def connection_cards(
    connections: Iterable[Connection], *, person: Person, own: bool, may_change: bool
) -> list[ConnectionCard]:
    today = timezone.localdate()
    cards = []
    for c in connections:
        service = c.service
        listed = service.curation == Curation.PUBLISHED and service.status != ServiceStatus.DEFUNCT
        rows: list[tuple[str, str]] = []
        if c.stage == Stage.DID_NOT_SUIT and c.why_not:
            rows.append(("Why it did not suit" if not own else "Why it did not suit you", c.why_not))
        follow_up, overdue = _follow_up(c.follow_up_on, today)
        if not own:
            rows.append(("Follow up on", follow_up))
        if c.note:
            rows.append(("Note", c.note))
        if not listed:
            rows.append(("In the directory", "No longer listed"))
        steps = [
            StepLine(
                when=fmt.date(timezone.localtime(s.at).date()),
                stage=Stage(s.stage).label,
                who=_who(s.by, person, own=own),
                note=s.note,
            )
            for s in c.steps.all()
        ]
        cards.append(
            ConnectionCard(
                id=f"connection-{c.pk}",
                offer=service.name,
                offer_href=offer_href(service.pk, person, own=own) if listed else "",
                organisation=service.organization.name if service.organization else "",
                tag=stage_tag(c.stage, own=own),
                rows=rows,
                steps=steps,
                update_href=reverse("connections:update", args=[person.pk, c.pk]) if may_change else "",
                overdue=overdue and not own,
            )
        )
    return cards


@dataclass(frozen=True)
class GapLine:
    need: str
    category: str
    when: str


def gap_lines(gaps: Iterable[Gap]) -> list[GapLine]:
    return [
        GapLine(
            need=g.need,
            category=g.term.name if g.term else "",
            when=fmt.date(timezone.localtime(g.created_at).date()),
        )
        for g in gaps
    ]


@dataclass(frozen=True)
class FollowUpRow:
    person: str
    person_href: str
    offer: str
    stage: Tag
    due: str
    overdue: bool
    update_href: str


@dataclass(frozen=True)
class FollowUpSection:
    rows: list[FollowUpRow]
    total: int
    overdue: int
    summary: str
    more: str


def follow_up_section(found: FollowUps) -> FollowUpSection:
    """The worker's follow-ups due: overdue first (they are in date order), each linking to its update page."""
    today = timezone.localdate()
    rows = [
        FollowUpRow(
            person=item.connection.person.display_name,
            person_href=reverse("connections:list", args=[item.connection.person_id]),
            offer=item.connection.service.name,
            stage=stage_tag(item.connection.stage),
            due=fmt.date(item.due) + (" (overdue)" if item.overdue else " (today)" if item.due == today else ""),
            overdue=item.overdue,
            update_href=reverse("connections:update", args=[item.connection.person_id, item.connection.pk]),
        )
        for item in found.items
    ]
    noun = "follow-up" if found.total == 1 else "follow-ups"
    summary = f"{found.total} {noun} due in the next week"
    if found.overdue:
        summary += f", {found.overdue} overdue"
    more = f"Showing the first {len(rows)}." if found.total > len(rows) else ""
    return FollowUpSection(rows=rows, total=found.total, overdue=found.overdue, summary=summary, more=more)


@dataclass(frozen=True)
class OfferPanel:
    """The box on an offer's page about one person: connect them, or their connection to it."""

    heading: str
    text: str
    tag: Tag | None
    button_text: str
    button_href: str
    link_text: str
    link_href: str


def offer_panel(found: OfferForPerson, service_id: str) -> OfferPanel:
    person, own, connection = found.person, found.own, found.connection
    name = person.display_name
    add_href = reverse("connections:add", args=[person.pk, service_id])
    list_href = reverse("connections:list", args=[person.pk])
    heading = "You and this offer" if own else f"{name} and this offer"
    if connection is not None and connection.stage != Stage.DID_NOT_SUIT:
        whose = "You are" if own else f"{name} is"
        return OfferPanel(
            heading=heading,
            text=f"{whose} already connected to this offer.",
            tag=stage_tag(connection.stage, own=own),
            button_text="",
            button_href="",
            link_text="Update the connection" if found.may_connect else "See the connection",
            link_href=reverse("connections:update", args=[person.pk, connection.pk])
            if found.may_connect
            else f"{list_href}#connection-{connection.pk}",
        )
    text = ""
    tag = None
    if connection is not None:
        text = "It did not suit you last time." if own else f"It did not suit {name} last time."
        tag = stage_tag(connection.stage, own=own)
    if not found.may_connect:
        return OfferPanel(heading, text or f"{name} is not connected to this offer.", tag, "", "", "", "")
    return OfferPanel(
        heading=heading,
        text=text,
        tag=tag,
        button_text="I’d like to try this" if own else f"Connect {name} to this offer",  # noqa: RUF001
        button_href=add_href,
        link_text="Your community offers" if own else f"{name}’s community offers",  # noqa: RUF001
        link_href=list_href,
    )
