"""Display of a team's work: the huddle board, and choosing a worker."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.forms import BaseForm
from django.urls import reverse
from django.utils import timezone

from livingwell.core import presenters as fmt
from livingwell.support.models import ChangeRequestStatus, Flag, HuddleTopic, WorkerChangeRequest
from livingwell.support.presenters.person import asked_for_text
from livingwell.support.selectors.huddle import (
    NEW_WITHOUT_HUDDLE_DAYS,
    PLAN_EXPECTED_AFTER_DAYS,
    BoardRow,
    DecisionLine,
    HuddleBoard,
)
from livingwell.support.selectors.periods import AllocationOptions


@dataclass
class RowView:
    name: str
    record_href: str
    support_href: str
    lines: list[str]
    tags: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    words: str = ""  # the person's or a worker's own words, shown as typed


def _days(since: Any) -> str:
    days = (timezone.localdate() - timezone.localtime(since).date()).days
    return fmt.days(days)


def decision_text(line: DecisionLine) -> str:
    by = f" ({line.by}, {fmt.time(line.at)})" if line.by else ""
    return f"{line.topic.label}: {line.decision}{by}"


def _worker_line(row: BoardRow) -> str:
    return f"Worker: {row.worker}" if row.worker else "Waiting for a worker"


def _row_view(section: str, row: BoardRow, board: HuddleBoard) -> RowView:
    view = RowView(
        name=row.name,
        record_href=reverse("people:record", args=[row.person_id]),
        support_href=reverse("person_support:overview", args=[row.person_id]),
        lines=[],
        decisions=[decision_text(d) for d in row.decisions],
    )
    leader = board.is_team_leader
    if section == HuddleTopic.NEW:
        view.lines = [f"Support started on {fmt.date(row.started_at)}", _worker_line(row)]
        if row.came_back:
            view.tags.append("Came back")
    elif section == HuddleTopic.WAITING:
        view.lines = [
            f"Waiting since {fmt.date(row.started_at)} ({_days(row.started_at)})",
            f"Asked for: {asked_for_text(row.wanted_kind, row.wanted_worker)}",
        ]
        view.words = row.wanted_note
        if leader:
            view.links.append({"text": "Choose the worker", "href": reverse("support:allocate", args=[row.period_id])})
    elif section == HuddleTopic.REVIEW:
        view.lines = [
            f"Review due on {fmt.date(row.review_due)}"
            if row.review_due
            else f"No Living Well plan yet, after {PLAN_EXPECTED_AFTER_DAYS // 7} weeks of support",
            _worker_line(row),
        ]
        view.links.append({"text": "Open the plan", "href": reverse("plans:view", args=[row.person_id])})
    elif section == HuddleTopic.NOT_SEEN:
        view.lines = [
            f"Last seen on {fmt.date(row.last_seen)} ({_days(row.last_seen)} ago)"
            if row.last_seen
            else f"Not seen since support started on {fmt.date(row.started_at)}",
            _worker_line(row),
        ]
    elif section == HuddleTopic.URGENT:
        view.lines = [f"Raised by {row.raised_by or 'someone'} on {fmt.datetime(row.raised_at)}", _worker_line(row)]
        view.words = row.flag_reason
        if row.flag_id:
            view.links.append({"text": "Clear the flag", "href": reverse("support:flag_clear", args=[row.flag_id])})
    elif section == HuddleTopic.CHANGE:
        view.lines = [
            f"Asked on {fmt.date(row.asked_at)}" + ("" if row.asked_by_person else ", by a worker on their behalf"),
            f"Would like: {asked_for_text(row.wanted_kind, row.wanted_worker)}",
            _worker_line(row),
        ]
        view.words = row.reason
        if leader and row.request_id:
            view.links += [
                {"text": "Choose a new worker", "href": reverse("support:allocate", args=[row.period_id])},
                {
                    "text": "Say a change is not possible yet",
                    "href": reverse("support:change_request_answer", args=[row.request_id]),
                },
            ]
    if board.huddle is not None:
        view.links.append(
            {
                "text": "Record a decision",
                "href": reverse("support:decision", args=[board.huddle.pk, row.period_id]) + f"?topic={section}",
            }
        )
    return view


def board_context(board: HuddleBoard) -> dict[str, Any]:
    team = board.team
    huddle = board.huddle
    if board.since_last_huddle:
        since = f"Since the last huddle, on {fmt.datetime(board.since)}"
    else:
        since = f"In the last {NEW_WITHOUT_HUDDLE_DAYS} days: the team has not held a huddle before"
    sections = []
    for s in board.sections:
        rows = [_row_view(s.key, r, board) for r in s.rows]
        sections.append(
            {
                "id": s.key.replace("_", "-"),
                "title": s.title,
                "total": s.total,
                "count": "Nobody" if not s.total else ("1 person" if s.total == 1 else f"{s.total} people"),
                "more": s.total - len(rows),
                "rows": rows,
                "hint": since if s.key == HuddleTopic.NEW else "",
            }
        )
    return {
        "team": team,
        "title": f"Team huddle: {team.name}",
        "huddle": huddle,
        "started": (
            f"Today's huddle started at {fmt.time(huddle.started_at)}"
            + (f", by {huddle.started_by.name}" if huddle.started_by else "")
            if huddle
            else ""
        ),
        "today": fmt.date(board.today),
        "sections": sections,
        "decisions": [
            {"name": d.person_name, "topic": d.topic.label, "decision": d.decision, "by": d.by, "at": fmt.time(d.at)}
            for d in board.decisions
        ],
    }


def allocation_items(options: AllocationOptions, form: BaseForm) -> list[dict[str, Any]]:
    """The radios for the workers, each with their role, how many people they support now and their fit."""
    chosen = str(form["worker"].value() or "")
    name = options.person.display_name
    items = []
    for c in options.candidates:
        facts = [", ".join(str(r.label) for r in c.roles)]
        facts.append(f"Worker of {'1 person' if c.load == 1 else f'{c.load} people'} now")
        if c.named:
            facts.append(f"{name} asked for them by name")
        elif c.fits:
            facts.append(f"Fits what {name} asked for")
        else:
            facts.append(f"Not what {name} asked for")
        if not c.in_team:
            facts.append("Works in another team")
        if options.current and options.current.worker_id == c.user.pk:
            facts.append("Their worker now")
        items.append(
            {
                "value": str(c.user.pk),
                "text": c.user.name,
                "hint": {"text": ". ".join(facts) + "."},
                "checked": chosen == str(c.user.pk),
                "attributes": {"data-fits": "true" if c.fits else "false"},
            }
        )
    return items


def allocation_context(options: AllocationOptions, form: BaseForm) -> dict[str, Any]:
    period, person = options.period, options.person
    name = person.display_name
    rows = [
        (
            f"What {name} asked for",
            asked_for_text(period.wanted_kind, period.wanted_worker.name if period.wanted_worker else None),
        )
    ]
    if period.wanted_note:
        rows.append(("Anything else", period.wanted_note))
    if options.current:
        rows.append(("Worker now", f"{options.current.worker.name}, since {fmt.date(options.current.started_at)}"))
    else:
        rows.append(("Waiting for a worker since", f"{fmt.date(period.started_at)} ({_days(period.started_at)})"))
    request = options.open_request
    asked = ""
    if request is not None:
        asked = f"{name} asked for a different worker on {fmt.date(request.asked_at)}. " + (
            f"They would like {asked_for_text(request.wanted_kind, None).lower()}"
            + (f", by name: {request.wanted_worker.name}" if request.wanted_worker else "")
            + "."
        )
    return {
        "title": f"Change the worker for {name}" if options.current else f"Choose a worker for {name}",
        "name": name,
        "team": period.team.name,
        "asked": rows,
        "open_request": asked,
        "request_reason": request.reason if request else "",
        "answer_href": reverse("support:change_request_answer", args=[request.pk]) if request else None,
        "items": allocation_items(options, form),
        "worker_hint": (
            f"Workers who are who, or what, {name} asked for come first, then those who are the worker of fewest people."
        ),
        "why_not_label": f"Why is this not who {name} asked for?",
        "why_not_hint": (
            f"Only needed when the worker is not who, or not the kind of worker, {name} asked for. "
            f"Say why, in words {name} will understand: {name} can read this."
        ),
        "back_href": reverse("person_support:overview", args=[person.pk]),
    }


def flag_summary(flag: Flag) -> list[tuple[str, str]]:
    rows = [
        ("Raised", f"{fmt.datetime(flag.raised_at)}, by {flag.raised_by.name if flag.raised_by else 'Not recorded'}"),
        ("What is urgent", flag.reason),
    ]
    if flag.cleared_at:
        rows.append(("Cleared", fmt.datetime(flag.cleared_at)))
    return rows


def answer_context(change_request: WorkerChangeRequest) -> dict[str, Any]:
    period = change_request.support_period
    name = period.person.display_name
    rows = [
        ("Asked on", fmt.date(change_request.asked_at)),
        (
            "They would like",
            asked_for_text(
                change_request.wanted_kind, change_request.wanted_worker.name if change_request.wanted_worker else None
            ),
        ),
    ]
    if change_request.reason:
        rows.append(("What they said", change_request.reason))
    return {
        "name": name,
        "title": f"Say a change of worker is not possible yet for {name}",
        "team": period.team.name,
        "asked": rows,
        "answered": change_request.status != ChangeRequestStatus.OPEN,
        "status": change_request.get_status_display(),
        "answer_hint": (
            f"{name} will read this. Say when you expect to be able to make the change, and what happens until then."
        ),
        "allocate_href": reverse("support:allocate", args=[period.pk]),
        "back_href": reverse("person_support:overview", args=[period.person_id]),
    }
