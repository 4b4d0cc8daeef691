"""How the groups pages show groups, roles over time and the resilience notes: by `known_as` only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.urls import reverse

from livingwell.collaborative import resilience
from livingwell.collaborative.mix import Mix
from livingwell.collaborative.models import DESIGN_TEAM_SIZE, LEAD_ROLES, Group, GroupKind, GroupMembership, Member
from livingwell.collaborative.presenters import member_href
from livingwell.collaborative.selectors_groups import EndedLead, sorted_rows
from livingwell.core.presenters import date

KIND_SENTENCES: dict[str, str] = {
    GroupKind.COLLABORATIVE: (
        "The Collaborative is everyone who co-produces the network: people with lived experience, carers, "
        "people who work in it, commissioners and neighbours, leading it together."
    ),
    GroupKind.DESIGN_TEAM: (
        f"A Design Team is {DESIGN_TEAM_SIZE[0]} to {DESIGN_TEAM_SIZE[1]} people who co-design part of the "
        "network together, starting from the stories of people who use it."
    ),
    GroupKind.PROTOTYPING_TEAM: (
        "A Prototyping Team tries out an idea on a small scale, measures what happens and learns from it "
        "before anything is rolled out."
    ),
    GroupKind.PROTOTYPING_LAB: (
        "A Prototyping Lab is where teams bring what they learnt from their tests, to make sense of it "
        "together and decide what to try next."
    ),
    GroupKind.GOVERNANCE: (
        "A governance group makes sure decisions are made openly and fairly, and that money is spent on what "
        "the Collaborative agreed."
    ),
    GroupKind.COMMUNITY_OF_PRACTICE: (
        "A community of practice is people doing similar work who meet to share what works and support each other."
    ),
    GroupKind.NEIGHBOURHOOD: (
        "A neighbourhood collaborative brings the Collaborative's way of working to one part of the borough, "
        "with the people who live and work there."
    ),
}

KIND_ORDER = list(GroupKind.values)


def link(name: str, *args: Any, query: str = "") -> str:
    """The address of another part's page, with an optional query string."""
    href = reverse(f"collaborative:{name}", args=args)
    return f"{href}?{query}" if query else href


def tenure(start: dt.date, end: dt.date) -> str:
    return resilience.tenure_text(start, end)


def role_label(role: str) -> str:
    return {"chair": "Chair", "co_chair": "Co-chair", "coordinator": "Coordinator", "member": "Member"}.get(role, role)


def people_text(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def names_text(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def leads_text(rows: Iterable[GroupMembership]) -> str:
    """ "Dee (chair) and Kim (co-chair)", or "" if no one leads."""
    leads = [r for r in sorted_rows(list(rows)) if r.role in LEAD_ROLES]
    return names_text([f"{r.member.known_as} ({role_label(r.role).lower()})" for r in leads])


def group_card(group: Group, me: Member | None) -> dict[str, Any]:
    rows: list[GroupMembership] = getattr(group, "current_rows", [])
    mine = next((r for r in rows if me is not None and r.member_id == me.pk), None)
    return {
        "name": group.name,
        "href": reverse("collaborative:group", args=[group.pk]),
        "kind": group.get_kind_display(),
        "purpose": group.purpose,
        "locality": group.locality.name if group.locality else "",
        "size": people_text(len(rows)),
        "leads": leads_text(rows) or "No one yet",
        "yours": f"You are in it ({role_label(mine.role).lower()})" if mine else "",
        "ended": date(group.ended_on) if group.ended_on else "",
    }


def groups_by_kind(groups: list[Group], me: Member | None) -> list[dict[str, Any]]:
    """Current groups in sections by kind, in the order of `GroupKind`."""
    sections = []
    for kind in KIND_ORDER:
        cards = [group_card(g, me) for g in groups if g.kind == kind and g.ended_on is None]
        if cards:
            plural = {
                GroupKind.COLLABORATIVE: "The Collaborative",
                GroupKind.DESIGN_TEAM: "Design Teams",
                GroupKind.PROTOTYPING_TEAM: "Prototyping Teams",
                GroupKind.PROTOTYPING_LAB: "Prototyping Labs",
                GroupKind.GOVERNANCE: "Governance groups",
                GroupKind.COMMUNITY_OF_PRACTICE: "Communities of practice",
                GroupKind.NEIGHBOURHOOD: "Neighbourhood collaboratives",
            }[GroupKind(kind)]
            sections.append({"title": plural, "about": KIND_SENTENCES[kind], "groups": cards})
    return sections


def member_rows(rows: list[GroupMembership], today: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "name": r.member.known_as,
            "href": member_href(r.member),
            "role": role_label(r.role),
            "since": date(r.started_on),
            "for": tenure(r.started_on, today),
        }
        for r in sorted_rows(rows)
    ]


def size_note(group: Group, size: int) -> str:
    low, high = DESIGN_TEAM_SIZE
    if group.kind != GroupKind.DESIGN_TEAM or low <= size <= high:
        return ""
    return f"Design Teams work best with {low} to {high} people; this one has {size}."


def mix_rows(mix: Mix) -> list[dict[str, Any]]:
    return [{"label": label, "count": count} for label, count in mix.rows()]


def concern_item(concern: resilience.Concern, *, with_group_link: bool = True) -> dict[str, Any]:
    return {
        "what": concern.what,
        "why": concern.why,
        "step": concern.step,
        "group_href": reverse("collaborative:group", args=[concern.group_id])
        if with_group_link and concern.group_id
        else "",
        "group_name": concern.group_name,
    }


def concern_sections(found: dict[str, list[resilience.Concern]]) -> list[dict[str, Any]]:
    return [
        {"title": resilience.CHECK_TITLES[check], "concerns": [concern_item(c) for c in found[check]]}
        for check in resilience.CHECK_ORDER
    ]


def history_rows(rows: list[GroupMembership], today: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "name": r.member.known_as,
            "role": role_label(r.role),
            "from": date(r.started_on),
            "to": date(r.ended_on) if r.ended_on else "Now",
            "length": tenure(r.started_on, r.ended_on or today),
            "current": r.ended_on is None,
        }
        for r in rows
    ]


def lead_rows(facts: list[resilience.GroupFacts], today: dt.date) -> list[dict[str, Any]]:
    """Every current lead role: group, role, who holds it, since when and for how long."""
    rows = []
    for group in sorted(facts, key=lambda g: g.name.lower()):
        for seat in group.lead_seats:
            spell = ""
            if seat.led_from < seat.started_on:
                spell = f"In lead roles since {date(seat.led_from)} ({tenure(seat.led_from, today)})"
            rows.append(
                {
                    "group": group.name,
                    "group_href": reverse("collaborative:group", args=[group.id]),
                    "role": role_label(seat.role),
                    "holder": seat.person.known_as,
                    "since": date(seat.started_on),
                    "for": tenure(seat.started_on, today),
                    "spell": spell,
                }
            )
    return rows


def left_rows(members: list[Member]) -> list[dict[str, Any]]:
    return [{"name": m.known_as, "left": date(m.left_on)} for m in members]


def ended_lead_rows(ended: list[EndedLead]) -> list[dict[str, Any]]:
    rows = []
    for item in ended:
        row = item.row
        now = f"Now {role_label(item.now_role).lower()}" if item.now_role else "No longer in the group"
        rows.append(
            {
                "name": row.member.known_as,
                "role": role_label(row.role),
                "group": row.group.name,
                "group_href": reverse("collaborative:group", args=[row.group_id]),
                "ended": date(row.ended_on),
                "held_for": tenure(row.started_on, row.ended_on or row.started_on),
                "now": now,
                "taken_over_by": names_text(item.successors) or "No one yet",
            }
        )
    return rows
