"""Display of one person's support: worded for the person ("you") on their own page, by name for staff."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from livingwell.core import presenters as fmt
from livingwell.people.presenters import record_header
from livingwell.support.models import (
    Allocation,
    ChangeRequestStatus,
    HuddleTopic,
    SupportPeriod,
    WorkerChangeRequest,
    WorkerKind,
)
from livingwell.support.selectors.periods import AskingFor, PeriodDetail, SupportOverview


@dataclass(frozen=True)
class WorkerLine:
    worker: str
    since: str
    until: str
    why: str  # why it ended, and why it was not who the person asked for
    chosen_by: str
    as_asked: bool


@dataclass(frozen=True)
class RequestLine:
    asked: str
    what: str
    reason: str
    status: str
    answer: str
    waiting: bool
    answer_href: str | None = None


@dataclass(frozen=True)
class FlagLine:
    raised: str
    reason: str
    cleared: str
    cleared_note: str
    clear_href: str | None = None


@dataclass(frozen=True)
class DecisionView:
    when: str
    topic: str
    decision: str
    by: str


@dataclass
class PeriodView:
    id: str
    team: str
    is_open: bool
    rows: list[tuple[str, str]]
    workers: list[WorkerLine]
    requests: list[RequestLine]
    open_flags: list[FlagLine]
    past_flags: list[FlagLine]
    decisions: list[DecisionView]
    waiting_request: str = ""
    links: list[dict[str, str]] = field(default_factory=list)
    ended: str = ""


def kind_text(kind: str) -> str:
    """'a peer worker, who has…' from the WorkerKind label, for use inside a sentence."""
    label = str(WorkerKind(kind).label)
    return "no preference" if kind == WorkerKind.NO_PREFERENCE else label[0].lower() + label[1:]


def asked_for_text(kind: str, named: str | None, note: str = "") -> str:
    parts = [kind_text(kind).capitalize()]
    if named:
        parts.append(f"by name: {named}")
    text = ", ".join(parts)
    return f"{text}. {note}" if note else text


def _worker_lines(allocations: list[Allocation], *, own: bool, name: str) -> list[WorkerLine]:
    lines = []
    for a in allocations:
        why = []
        if a.end_reason:
            why.append(f"Changed: {a.end_reason}")
        if not a.honours_choice:
            asked = "you" if own else name
            why.append(f"Not who {asked} asked for, because: {a.why_not_as_chosen}")
        lines.append(
            WorkerLine(
                worker=a.worker.name,
                since=fmt.date(a.started_at),
                until=fmt.date(a.ended_at, empty="Now"),
                why="\n".join(why) or ("As you asked" if own else "As they asked"),
                chosen_by=a.allocated_by.name if a.allocated_by else "Not recorded",
                as_asked=a.honours_choice,
            )
        )
    return lines


def _request_line(r: WorkerChangeRequest, *, own: bool, can_answer: bool) -> RequestLine:
    if r.status == ChangeRequestStatus.DONE:
        worker = r.allocation.worker.name if r.allocation else "a new worker"
        answer = f"{worker} became {'your' if own else 'their'} worker on {fmt.date(r.answered_at)}"
    elif r.status == ChangeRequestStatus.NOT_POSSIBLE:
        by = f" ({r.answered_by.name})" if r.answered_by else ""
        answer = f"Not possible yet, answered on {fmt.date(r.answered_at)}{by}: {r.answer}"
    else:
        answer = "The team has not answered yet"
    asked_by = r.asked_by.name if r.asked_by else "Not recorded"
    on_behalf = r.asked_by_id is not None and r.asked_by_id != r.support_period.person.user_id
    return RequestLine(
        asked=fmt.date(r.asked_at) + (f", asked by {asked_by}" if on_behalf else ""),
        what=asked_for_text(r.wanted_kind, r.wanted_worker.name if r.wanted_worker else None),
        reason=r.reason,
        status=r.get_status_display(),
        answer=answer,
        waiting=r.status == ChangeRequestStatus.OPEN,
        answer_href=reverse("support:change_request_answer", args=[r.pk])
        if can_answer and r.status == ChangeRequestStatus.OPEN
        else None,
    )


def _period_view(detail: PeriodDetail, *, own: bool, name: str, person_id: object) -> PeriodView:
    period: SupportPeriod = detail.period
    current = detail.current
    asked = "What you asked for" if own else f"What {name} asked for"
    rows = [("Team", period.team.name), ("Since", fmt.date(period.started_at))]
    if period.resumed_from_id is not None and period.resumed_from is not None:
        rows.append(
            (
                "Came back",
                f"Picked up from the support that ended on {fmt.date(period.resumed_from.ended_at)}",
            )
        )
    if not period.is_open:
        rows.append(("Until", fmt.date(period.ended_at)))
        moving_on = getattr(period, "moving_on", None)
        if moving_on is not None:
            rows.append(("Moving on", moving_on.get_reason_display()))
    if period.is_open:
        rows.append(
            (
                "Worker now",
                f"{current.worker.name}, since {fmt.date(current.started_at)}"
                if current
                else "Waiting for a worker. The team leader will choose one",
            )
        )
    rows.append(
        (
            asked,
            asked_for_text(
                period.wanted_kind, period.wanted_worker.name if period.wanted_worker else None, period.wanted_note
            ),
        )
    )
    flags = [
        FlagLine(
            raised=f"{fmt.datetime(f.raised_at)}, by {f.raised_by.name if f.raised_by else 'Not recorded'}",
            reason=f.reason,
            cleared=(
                f"{fmt.datetime(f.cleared_at)}, by {f.cleared_by.name if f.cleared_by else 'Not recorded'}"
                if f.cleared_at
                else ""
            ),
            cleared_note=f.cleared_note,
            clear_href=reverse("support:flag_clear", args=[f.pk]) if detail.can_flag and f.cleared_at is None else None,
        )
        for f in detail.flags
    ]
    open_request = detail.open_request
    links: list[dict[str, str]] = []
    if detail.can_allocate:
        links.append(
            {
                "text": "Change the worker" if current else "Choose the worker",
                "href": reverse("support:allocate", args=[period.pk]),
            }
        )
    if detail.can_ask and current and open_request is None and not detail.can_allocate:
        links.append(
            {
                "text": "Ask for a different worker" if own else f"Ask for a different worker for {name}",
                "href": reverse("person_support:ask_for_change", args=[person_id]) + f"?period={period.pk}",
            }
        )
    if detail.can_ask:
        links.append(
            {
                "text": "Change what you asked for in a worker" if own else f"Change what {name} asked for in a worker",
                "href": reverse("person_support:wanted", args=[person_id]) + f"?period={period.pk}",
            }
        )
    if detail.can_flag:
        links.append({"text": "Raise an urgent flag", "href": reverse("support:flag", args=[period.pk])})
    waiting_request = ""
    if open_request is not None:
        who = "You" if own else name
        waiting_request = (
            f"{who} asked for a different worker on {fmt.date(open_request.asked_at)}. The team has not answered yet."
        )
    return PeriodView(
        id=str(period.pk),
        team=period.team.name,
        is_open=period.is_open,
        rows=rows,
        workers=_worker_lines(detail.allocations, own=own, name=name),
        requests=[_request_line(r, own=own, can_answer=detail.can_allocate) for r in detail.change_requests],
        open_flags=[f for f in flags if not f.cleared],
        past_flags=[f for f in flags if f.cleared],
        decisions=[
            DecisionView(
                when=fmt.date(d.recorded_at),
                topic=str(HuddleTopic(d.topic).label),
                decision=d.decision,
                by=d.recorded_by.name if d.recorded_by else "Not recorded",
            )
            for d in detail.decisions
        ],
        waiting_request=waiting_request,
        links=links,
        ended=fmt.date(period.ended_at) if period.ended_at else "",
    )


def overview_context(overview: SupportOverview) -> dict[str, Any]:
    person, own = overview.person, overview.own
    name = person.display_name
    views = [_period_view(d, own=own, name=name, person_id=person.pk) for d in overview.periods]
    head = record_header(person, overview.access, own=own, current="support")
    return {
        "person": person,
        "own": own,
        "name": name,
        "title": head.title if own else f"{head.title}: {name}",
        "record_head": head,
        "current": [v for v in views if v.is_open],
        "past": [v for v in views if not v.is_open],
    }


def current_workers_text(asking: AskingFor, *, own: bool) -> list[str]:
    """'Your worker now is Sam Lee, in the North Living Well team.', one for each open period with a worker."""
    name = asking.person.display_name
    lines = []
    for period in asking.periods:
        allocation = asking.current_workers.get(period.pk)
        if allocation is None:
            continue
        whose = "Your" if own else f"{name}'s"
        lines.append(f"{whose} worker now is {allocation.worker.name} ({period.team.name}).")
    return lines
