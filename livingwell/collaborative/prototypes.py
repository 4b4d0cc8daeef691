"""Prototypes and their plan-do-study-act cycles: the writes (services).

A group (usually a Prototyping Team) tests an idea in small cycles. Each cycle moves through four
stages, in order and without skipping: **plan** (what we will try and what we predict), **do** (what
happened), **study** (what we learnt compared with the prediction, shared at a Lab session) and
**act** (adopt, adapt or abandon, and what next), and is then closed. Only one cycle is open at a time.
When no cycle is open the group concludes the prototype (adopted, adapted into a new prototype, or
stopped) with why, the decision that settled it, and the stories and figures that are its evidence.

Only those who run the prototype's group change it (`access.require_run`); every change and every
refusal is audited. Texts two people may change at once (the prototype, a cycle) are saved with
`save_if_unchanged`, so nobody's words are lost.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from livingwell.audit.models import Action
from livingwell.collaborative import access
from livingwell.collaborative import selectors_prototypes as select
from livingwell.collaborative.models import (
    Cycle,
    CycleAct,
    CycleStage,
    Decision,
    Figure,
    Group,
    Insight,
    Member,
    Prototype,
    PrototypeStatus,
    Session,
    Story,
)
from livingwell.core.concurrency import save_if_unchanged
from livingwell.core.errors import DomainError

if TYPE_CHECKING:
    from livingwell.accounts.models import User

    Actor = User | AnonymousUser

PROTOTYPE_LABELS = {
    "title": "Title",
    "idea": "The idea",
    "hypothesis": "What we think will happen",
    "measures": "What we will measure",
    "insights": "Figures it should move",
}
CYCLE_LABELS = {
    "stage": "Stage",
    "plan": "Plan",
    "prediction": "Prediction",
    "do": "What happened",
    "study": "What we learnt",
    "lab_session": "Lab session where the learning was shared",
    "act": "Adopt, adapt or abandon",
    "act_note": "What we will do next",
}
OUTCOME_LABELS = {"status": "Outcome", "outcome_why": "Why", "outcome_decision": "Decision"}

# The order of a cycle's stages, and what may be written at each.
STAGE_ORDER = [CycleStage.PLAN, CycleStage.DO, CycleStage.STUDY, CycleStage.ACT, CycleStage.CLOSED]
STAGE_FIELDS: dict[CycleStage, tuple[str, ...]] = {
    CycleStage.PLAN: ("plan", "prediction"),
    CycleStage.DO: ("do",),
    CycleStage.STUDY: ("study", "lab_session"),
    CycleStage.ACT: ("act", "act_note"),
}
ENDINGS = (PrototypeStatus.ADOPTED, PrototypeStatus.ADAPTED, PrototypeStatus.STOPPED)


def next_stage(stage: str) -> CycleStage | None:
    """The stage after `stage` (None after closed)."""
    index = STAGE_ORDER.index(CycleStage(stage))
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


@dataclass(frozen=True)
class PrototypeAnswers:
    title: str
    idea: str
    hypothesis: str
    measures: str
    insights: tuple[str, ...] = ()


@dataclass(frozen=True)
class FigureAnswers:
    label: str
    value: Decimal
    measured_on: dt.date
    unit: str = ""
    baseline: Decimal | None = None
    cycle_id: uuid.UUID | None = None
    insight: str = ""
    source: str = ""


@dataclass(frozen=True)
class OutcomeAnswers:
    status: str
    why: str
    decision_id: uuid.UUID | None = None
    story_ids: tuple[uuid.UUID, ...] = field(default_factory=tuple)
    adapted_title: str = ""


# ---- checks ---------------------------------------------------------------------------------------


def _required(value: str, name: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError("required", message, field=name)
    return text


def _clean_insights(values: Iterable[str]) -> list[str]:
    known = {i.value for i in Insight}
    given = list(dict.fromkeys(values))
    unknown = [v for v in given if v not in known]
    if unknown:
        raise DomainError("unknown_insight", "Choose figures from the list", field="insights")
    return [i.value for i in Insight if i.value in given]


def _clean_prototype(answers: PrototypeAnswers) -> dict[str, Any]:
    return {
        "title": _required(answers.title, "title", "Enter a title for the prototype"),
        "idea": _required(answers.idea, "idea", "Describe the idea"),
        "hypothesis": _required(answers.hypothesis, "hypothesis", "Say what you think will happen"),
        "measures": _required(answers.measures, "measures", "Say what you will measure"),
        "insights": _clean_insights(answers.insights),
    }


def _require_testing(prototype: Prototype, message: str) -> None:
    if prototype.status != PrototypeStatus.TESTING:
        raise DomainError("not_testing", message)


def _run(actor: Actor, group: Group, *, what: str, request: HttpRequest | None) -> Member | None:
    return access.require_run(actor, group, what=what, request=request)


# ---- prototypes -----------------------------------------------------------------------------------


def prototype_start(
    *, actor: Actor, group: Group, answers: PrototypeAnswers, request: HttpRequest | None = None
) -> Prototype:
    """A group starts testing an idea."""
    member = _run(actor, group, what="prototype", request=request)
    values = _clean_prototype(answers)
    if group.ended_on is not None:
        raise DomainError("group_ended", "This group has ended, so it cannot start a prototype")
    with transaction.atomic():
        prototype = Prototype.objects.create(
            site=group.site, group=group, created_by=member, updated_by=member, **values
        )
        access.record(
            actor=actor,
            action=Action.CREATE,
            what="prototype",
            obj_id=prototype.pk,
            extra={"group": str(group.pk)},
            request=request,
        )
    return prototype


def prototype_change(
    *,
    actor: Actor,
    prototype: Prototype,
    answers: PrototypeAnswers,
    expected_version: int,
    request: HttpRequest | None = None,
) -> list[str]:
    """Change the idea, hypothesis, measures or figures of a prototype being tested; returns what changed."""
    member = _run(actor, prototype.group, what="prototype", request=request)
    values = _clean_prototype(answers)
    _require_testing(prototype, "This prototype has ended, so it cannot be changed")
    changed = [name for name, value in values.items() if getattr(prototype, name) != value]
    if not changed:
        return []
    with transaction.atomic():
        save_if_unchanged(
            prototype,
            expected_version=expected_version,
            values={**values, "updated_by": member},
            what="the prototype",
            labels=PROTOTYPE_LABELS,
        )
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="prototype",
            obj_id=prototype.pk,
            extra={"fields": changed, "version": prototype.version},
            request=request,
        )
    return changed


# ---- cycles ---------------------------------------------------------------------------------------


def cycle_start(
    *,
    actor: Actor,
    prototype: Prototype,
    plan: str,
    prediction: str = "",
    started_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Cycle:
    """Start the next plan-do-study-act cycle: only while testing and once the last cycle is closed."""
    member = _run(actor, prototype.group, what="cycle", request=request)
    plan_text = _required(plan, "plan", "Say what you will try, with whom, where and when")
    _require_testing(prototype, "This prototype has ended, so it cannot have another cycle")
    started_on = started_on or timezone.localdate()
    with transaction.atomic():
        locked = Prototype.objects.select_for_update().get(pk=prototype.pk)
        _require_testing(locked, "This prototype has ended, so it cannot have another cycle")
        open_cycle = locked.cycles.exclude(stage=CycleStage.CLOSED).first()
        if open_cycle is not None:
            raise DomainError(
                "cycle_open",
                f"Cycle {open_cycle.number} is still open: close it before starting the next one",
            )
        last = locked.cycles.aggregate(last=Max("number"), started=Max("started_on"))
        if last["started"] is not None and started_on < last["started"]:
            raise DomainError(
                "too_early",
                "The cycle must start on or after the day the last cycle started",
                field="started_on",
            )
        try:
            with transaction.atomic():
                cycle = Cycle.objects.create(
                    prototype=locked,
                    number=(last["last"] or 0) + 1,
                    plan=plan_text,
                    prediction=(prediction or "").strip(),
                    started_on=started_on,
                    updated_by=member,
                )
        except IntegrityError:
            raise DomainError("cycle_open", "Someone else started a cycle just now: open the prototype again") from None
        access.record(
            actor=actor,
            action=Action.CREATE,
            what="cycle",
            obj_id=cycle.pk,
            extra={"prototype": str(prototype.pk), "number": cycle.number},
            request=request,
        )
    return cycle


def _check_lab_session(cycle: Cycle, session: Session | None) -> None:
    if session is None:
        return
    allowed = {s.pk for s in select.lab_session_choices(cycle.prototype)}
    if session.pk not in allowed:
        raise DomainError(
            "lab_session",
            "Choose a session of a Prototyping Lab, or of the prototype's own group",
            field="lab_session",
        )


def _check_stage(cycle: Cycle, to_stage: CycleStage, values: Mapping[str, Any]) -> None:
    """The rules of moving on: a stage is not skipped, and each is written before the next."""
    merged = {name: getattr(cycle, name) for name in ("plan", "do", "study", "act")} | dict(values)
    if to_stage in (CycleStage.DO, CycleStage.STUDY, CycleStage.ACT, CycleStage.CLOSED):
        _required(merged["plan"], "plan", "Say what you will try before you start")
    if to_stage in (CycleStage.STUDY, CycleStage.ACT, CycleStage.CLOSED):
        _required(merged["do"], "do", "Write what happened before you study it")
    if to_stage in (CycleStage.ACT, CycleStage.CLOSED):
        _required(
            merged["study"],
            "study",
            "Write what you learnt, compared with what you predicted, before you decide what to do next",
        )
    if to_stage == CycleStage.CLOSED:
        act = merged["act"]
        if act not in CycleAct.values:
            raise DomainError("act_required", "Choose whether to adopt, adapt or abandon it", field="act")


def cycle_advance(
    *,
    actor: Actor,
    cycle: Cycle,
    to_stage: str,
    values: Mapping[str, Any],
    expected_version: int,
    request: HttpRequest | None = None,
) -> Cycle:
    """Save what was written at the cycle's stage and move it on to `to_stage` (the same stage saves
    without moving). Stages go in order, plan, do, study, act, closed, and cannot be skipped; closing
    needs what was learnt (study) and the choice to adopt, adapt or abandon. `values` holds only the
    fields of the current stage (`STAGE_FIELDS`); `lab_session` is a Session or None."""
    prototype = cycle.prototype
    member = _run(actor, prototype.group, what="cycle", request=request)
    if cycle.stage == CycleStage.CLOSED:
        raise DomainError("closed", "This cycle is closed. Start a new cycle to test again")
    try:
        target = CycleStage(to_stage)
    except ValueError:
        raise DomainError("stage", "Choose what to do next") from None
    if target not in (CycleStage(cycle.stage), next_stage(cycle.stage)):
        raise DomainError(
            "skip",
            f"A cycle moves one stage at a time: it is at {CycleStage(cycle.stage).label.lower()}, "
            f"so it cannot move to {target.label.lower()}",
        )
    allowed = STAGE_FIELDS[CycleStage(cycle.stage)]
    unexpected = set(values) - set(allowed)
    if unexpected:
        raise DomainError("fields", f"These cannot be changed at this stage: {', '.join(sorted(unexpected))}")
    cleaned: dict[str, Any] = {}
    for name in allowed:
        if name not in values:
            continue
        value = values[name]
        cleaned[name] = value.strip() if isinstance(value, str) else value
    if "act" in cleaned and cleaned["act"] and cleaned["act"] not in CycleAct.values:
        raise DomainError("act", "Choose whether to adopt, adapt or abandon it", field="act")
    if "lab_session" in cleaned:
        _check_lab_session(cycle, cleaned["lab_session"])
    if target != cycle.stage:
        _check_stage(cycle, target, cleaned)
    elif "plan" in cleaned:
        _required(cleaned["plan"], "plan", "Say what you will try, with whom, where and when")
    moved = target != cycle.stage
    changes = dict(cleaned)
    if moved:
        changes["stage"] = target
        if target == CycleStage.CLOSED:
            changes["closed_on"] = timezone.localdate()
    changed = [name for name, value in changes.items() if getattr(cycle, name) != value]
    if not changed:
        return cycle
    with transaction.atomic():
        if _prototype_status(prototype) != PrototypeStatus.TESTING:
            raise DomainError("not_testing", "This prototype has ended, so its cycles cannot change")
        save_if_unchanged(
            cycle,
            expected_version=expected_version,
            values={**changes, "updated_by": member},
            what=f"cycle {cycle.number}",
            labels=CYCLE_LABELS,
        )
        extra: dict[str, Any] = {"fields": [c for c in changed if c != "stage"], "version": cycle.version}
        if moved:
            extra["stage"] = str(target)
        if target == CycleStage.CLOSED and moved:
            extra["act"] = cycle.act
        access.record(actor=actor, action=Action.CHANGE, what="cycle", obj_id=cycle.pk, extra=extra, request=request)
    return cycle


def _prototype_status(prototype: Prototype) -> str:
    return Prototype.objects.filter(pk=prototype.pk).values_list("status", flat=True).get()


# ---- figures --------------------------------------------------------------------------------------


def figure_add(
    *, actor: Actor, prototype: Prototype, answers: FigureAnswers, request: HttpRequest | None = None
) -> Figure:
    """Record a number the team measured, as evidence (with the figure before the test, if known)."""
    _run(actor, prototype.group, what="figure", request=request)
    label = _required(answers.label, "label", "Say what was measured")
    if answers.insight and answers.insight not in Insight.values:
        raise DomainError("unknown_insight", "Choose a figure from the list", field="insight")
    cycle = None
    if answers.cycle_id is not None:
        cycle = prototype.cycles.filter(pk=answers.cycle_id).first()
        if cycle is None:
            raise DomainError("cycle", "Choose one of this prototype's cycles", field="cycle")
    if answers.measured_on > timezone.localdate():
        raise DomainError("future", "The date it was measured must be today or in the past", field="measured_on")
    with transaction.atomic():
        figure = Figure.objects.create(
            prototype=prototype,
            cycle=cycle,
            label=label,
            value=answers.value,
            unit=answers.unit.strip(),
            baseline=answers.baseline,
            insight=answers.insight,
            measured_on=answers.measured_on,
            source=answers.source.strip(),
        )
        access.record(
            actor=actor,
            action=Action.CREATE,
            what="figure",
            obj_id=figure.pk,
            extra={"prototype": str(prototype.pk)},
            request=request,
        )
    return figure


# ---- the outcome ----------------------------------------------------------------------------------


def prototype_conclude(
    *,
    actor: Actor,
    prototype: Prototype,
    answers: OutcomeAnswers,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Prototype:
    """Adopt, adapt or stop a prototype, with why, the decision and the evidence. Adapting it may start a
    new prototype in the same group with the same idea (`adapted_into`). Not while a cycle is open."""
    member = _run(actor, prototype.group, what="prototype", request=request)
    if answers.status not in [s.value for s in ENDINGS]:
        raise DomainError("status", "Choose whether to adopt, adapt or stop it", field="status")
    status = PrototypeStatus(answers.status)
    why = _required(answers.why, "why", "Say why, so that others can learn from it")
    _require_testing(prototype, "This prototype has already ended")
    open_cycle = prototype.cycles.exclude(stage=CycleStage.CLOSED).first()
    if open_cycle is not None:
        raise DomainError(
            "cycle_open", f"Cycle {open_cycle.number} is still open: close it before deciding what happens next"
        )
    decision: Decision | None = None
    if answers.decision_id is not None:
        decision = select.decision_choices(prototype.site).filter(pk=answers.decision_id).first()
        if decision is None:
            raise DomainError("decision", "Choose a decision that has been made", field="decision")
    stories: list[Story] = []
    if answers.story_ids:
        allowed = {s.pk: s for s in select.story_choices(prototype)}
        missing = [pk for pk in answers.story_ids if pk not in allowed]
        if missing:
            raise DomainError("stories", "Choose stories from the list", field="stories")
        stories = [allowed[pk] for pk in dict.fromkeys(answers.story_ids)]
    adapted_title = (answers.adapted_title or "").strip()
    if adapted_title and status != PrototypeStatus.ADAPTED:
        raise DomainError(
            "adapted_title", "Only name a new prototype when it is adapted into something new", field="adapted_title"
        )
    with transaction.atomic():
        adapted: Prototype | None = None
        if adapted_title:
            adapted = Prototype.objects.create(
                site=prototype.site,
                group=prototype.group,
                title=adapted_title,
                idea=prototype.idea,
                hypothesis=prototype.hypothesis,
                measures=prototype.measures,
                insights=list(prototype.insights),
                created_by=member,
                updated_by=member,
            )
        save_if_unchanged(
            prototype,
            expected_version=expected_version,
            values={
                "status": status,
                "outcome_why": why,
                "outcome_decision": decision,
                "adapted_into": adapted,
                "ended_on": timezone.localdate(),
                "updated_by": member,
            },
            what="the prototype",
            labels=OUTCOME_LABELS,
        )
        if stories:
            prototype.stories.add(*stories)
        if adapted is not None:
            access.record(
                actor=actor,
                action=Action.CREATE,
                what="prototype",
                obj_id=adapted.pk,
                extra={"group": str(prototype.group_id), "adapted_from": str(prototype.pk)},
                request=request,
            )
        access.record(
            actor=actor,
            action=Action.CHANGE,
            what="prototype",
            obj_id=prototype.pk,
            extra={
                "outcome": str(status),
                "decision": str(decision.pk) if decision else None,
                "stories": [str(s.pk) for s in stories],
                "adapted_into": str(adapted.pk) if adapted else None,
            },
            request=request,
        )
    return prototype
