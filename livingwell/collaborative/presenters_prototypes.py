"""How prototypes, cycles and figures are shown: tags, the cycle timeline, and change from baseline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.urls import reverse

from livingwell.collaborative.insights import chosen
from livingwell.collaborative.models import Cycle, CycleStage, Figure, Prototype, PrototypeStatus, Session
from livingwell.core.presenters import date as date_text

PDSA = (
    "Plan, do, study, act (PDSA) is a way of testing an idea in small steps: plan a small test and predict "
    "what will happen, do it, study what happened against the prediction, then act on what you learnt."
)

STATUS_TAG = {
    PrototypeStatus.TESTING: "nhsuk-tag--blue",
    PrototypeStatus.ADOPTED: "nhsuk-tag--green",
    PrototypeStatus.ADAPTED: "nhsuk-tag--purple",
    PrototypeStatus.STOPPED: "nhsuk-tag--grey",
}
STAGE_TAG = {
    CycleStage.PLAN: "nhsuk-tag--white",
    CycleStage.DO: "nhsuk-tag--aqua-green",
    CycleStage.STUDY: "nhsuk-tag--yellow",
    CycleStage.ACT: "nhsuk-tag--orange",
    CycleStage.CLOSED: "nhsuk-tag--grey",
}
# What the people running a cycle do at each stage (the heading of the stage's form).
STAGE_TASK = {
    CycleStage.PLAN: "Plan the test",
    CycleStage.DO: "Do: write what happened",
    CycleStage.STUDY: "Study: what did you learn?",
    CycleStage.ACT: "Act: adopt, adapt or abandon",
}
STAGE_NEXT_BUTTON = {
    CycleStage.PLAN: "Start the test",
    CycleStage.DO: "Save and move on to study",
    CycleStage.STUDY: "Save and move on to act",
    CycleStage.ACT: "Close the cycle",
}


def number(value: Decimal) -> str:
    """12, 3.5 or 1,250.25: no trailing zeros."""
    text = f"{value:,.2f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def with_unit(value: Decimal, unit: str) -> str:
    if not unit:
        return number(value)
    if unit == "%":
        return f"{number(value)}%"
    return f"{number(value)} {unit}"


def percent_change(value: Decimal, baseline: Decimal) -> int | None:
    """The change from `baseline` to `value` as a whole percentage of the baseline (halves away from
    zero); None when the baseline is 0."""
    if baseline == 0:
        return None
    return int(((value - baseline) * 100 / abs(baseline)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def change_from_baseline(value: Decimal, baseline: Decimal | None, unit: str = "") -> str:
    """ "Down 3.5 days (25% less)", "Up 4 (40% more)", "No change", or "" without a baseline."""
    if baseline is None:
        return ""
    difference = value - baseline
    if difference == 0:
        return "No change"
    share = percent_change(value, baseline)
    direction = "Up" if difference > 0 else "Down"
    text = f"{direction} {with_unit(abs(difference), unit)}"
    if share is not None:
        text += f" ({abs(share)}% {'more' if share > 0 else 'less'})"
    return text


@dataclass(frozen=True)
class FigureRow:
    label: str
    baseline: str
    value: str
    change: str
    measured_on: str
    cycle: str
    insight: str
    source: str
    has_baseline: bool


def figure_row(figure: Figure) -> FigureRow:
    return FigureRow(
        label=figure.label,
        baseline=with_unit(figure.baseline, figure.unit) if figure.baseline is not None else "Not recorded",
        value=with_unit(figure.value, figure.unit),
        change=change_from_baseline(figure.value, figure.baseline, figure.unit) or "No figure before the test",
        measured_on=date_text(figure.measured_on),
        cycle=f"Cycle {figure.cycle.number}" if figure.cycle else "",
        insight=figure.get_insight_display() if figure.insight else "",
        source=figure.source,
        has_baseline=figure.baseline is not None,
    )


def stage_text(cycle: Cycle) -> str:
    if cycle.stage == CycleStage.CLOSED:
        return f"Cycle {cycle.number}: closed"
    return f"Cycle {cycle.number}: {cycle.get_stage_display().lower()}"


@dataclass(frozen=True)
class PrototypeRow:
    title: str
    href: str
    group: str
    group_kind: str
    status: str
    status_tag: str
    cycle: str
    insights: list[str]
    ended_on: str


def prototype_row(prototype: Prototype) -> PrototypeRow:
    """A line of the prototypes list (cycles prefetched)."""
    cycles = list(prototype.cycles.all())
    current = next((c for c in cycles if c.stage != CycleStage.CLOSED), None)
    if current is not None:
        cycle = stage_text(current)
    elif cycles:
        cycle = f"{len(cycles)} cycle{'s' if len(cycles) != 1 else ''}, all closed"
    else:
        cycle = "No cycles yet"
    return PrototypeRow(
        title=prototype.title,
        href=reverse("collaborative:prototype", args=[prototype.pk]),
        group=prototype.group.name,
        group_kind=prototype.group.get_kind_display(),
        status=prototype.get_status_display(),
        status_tag=STATUS_TAG[PrototypeStatus(prototype.status)],
        cycle=cycle,
        insights=[str(i.label) for i in chosen(prototype.insights)],
        ended_on=date_text(prototype.ended_on, empty=""),
    )


@dataclass(frozen=True)
class CycleRow:
    """A cycle on the prototype's timeline."""

    number: int
    href: str
    stage: str
    stage_tag: str
    is_open: bool
    plan: str
    prediction: str
    do: str
    study: str
    act: str
    act_note: str
    lab_session: str
    lab_session_href: str
    started_on: str
    closed_on: str


def cycle_row(cycle: Cycle, opens: Callable[[Session], bool]) -> CycleRow:
    """A cycle as its pages show it; the Lab session links to its page only if the reader `opens` it."""
    session = cycle.lab_session
    return CycleRow(
        number=cycle.number,
        href=reverse("collaborative:cycle", args=[cycle.pk]),
        stage=cycle.get_stage_display(),
        stage_tag=STAGE_TAG[CycleStage(cycle.stage)],
        is_open=cycle.stage != CycleStage.CLOSED,
        plan=cycle.plan,
        prediction=cycle.prediction,
        do=cycle.do,
        study=cycle.study,
        act=cycle.get_act_display() if cycle.act else "",
        act_note=cycle.act_note,
        lab_session=f"{session.title} ({session.group.name}, {date_text(session.starts_at)})" if session else "",
        lab_session_href=reverse("collaborative:session", args=[session.pk]) if session and opens(session) else "",
        started_on=date_text(cycle.started_on),
        closed_on=date_text(cycle.closed_on, empty=""),
    )


def decision_href(prototype: Prototype) -> str:
    """The members' page of the decision that settled the prototype."""
    if prototype.outcome_decision_id is None:
        return ""
    return reverse("collaborative:decision", args=[prototype.outcome_decision_id])
