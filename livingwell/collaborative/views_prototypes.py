"""Prototypes pages: the list, a prototype with its cycles, figures, evidence and outcome, and the forms
that start, change, test (plan, do, study, act), measure and conclude it.

Members of the Collaborative (and the site's administrators) read; those who run the prototype's group
change (`access.require_run`, checked again in every service). Refusals are recorded by the guards."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from livingwell.collaborative import access, decisions, insights
from livingwell.collaborative import presenters_prototypes as show
from livingwell.collaborative import prototypes as services
from livingwell.collaborative import selectors_prototypes as select
from livingwell.collaborative import selectors_sessions as sessions_select
from livingwell.collaborative.forms_prototypes import (
    CycleStageForm,
    CycleStartForm,
    FigureForm,
    OutcomeForm,
    PrototypeForm,
)
from livingwell.collaborative.models import (
    ConsentLevel,
    Cycle,
    CycleStage,
    Group,
    GroupKind,
    Member,
    Prototype,
    PrototypeStatus,
)
from livingwell.collaborative.presenters import crumbs
from livingwell.core.concurrency import EditConflict, attempt_save
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import Site


def _reader(request: AuthenticatedRequest, site: Site, what: str) -> Member | None:
    """The member reading (None for a site administrator who is not a member), or a recorded 403."""
    member = access.member_of(request.user, site)
    if member is None and not access.is_site_admin(request.user, site):
        access.require_member(request.user, site, what=what, request=request)
    return member


def _prototype(site: Site, prototype_id: Any) -> Prototype:
    prototype = select.prototype_of(site, prototype_id)
    if prototype is None:
        raise Http404("No such prototype")
    return prototype


def _prototype_crumbs(prototype: Prototype | None = None) -> list[dict[str, Any]]:
    items = [("Prototypes", reverse("collaborative:prototypes"))]
    if prototype is not None:
        items.append((prototype.title, reverse("collaborative:prototype", args=[prototype.pk])))
    return crumbs(*items)


def _form_page(request: AuthenticatedRequest, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("conflict", None)
    context.setdefault("intro", "")
    return render(request, "collaborative/prototypes/form.jinja", context)


# ---- the list -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def prototype_list(request: AuthenticatedRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    member = _reader(request, site, "prototypes")
    rows = [show.prototype_row(p) for p in select.prototypes_of(site)]
    groups = select.groups_run_by(request.user, site, member)
    return render(
        request,
        "collaborative/prototypes/list.jinja",
        {
            "testing": [r for r in rows if r.status == PrototypeStatus.TESTING.label],
            "ended": [r for r in rows if r.status != PrototypeStatus.TESTING.label],
            "start_in": [
                {
                    "name": g.name,
                    "kind": g.get_kind_display(),
                    "href": reverse("collaborative:prototype_add", args=[g.pk]),
                }
                for g in groups
            ],
            "pdsa": show.PDSA,
            "crumbs": crumbs(),
        },
    )


# ---- starting and changing a prototype ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def prototype_add(request: AuthenticatedRequest, group_id: str) -> HttpResponse:
    site = access.site_or_404(request.user)
    group: Group | None = select.group_of(site, group_id)
    if group is None:
        raise Http404("No such group")
    access.require_run(request.user, group, what="prototype", request=request)
    form = PrototypeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            prototype = services.prototype_start(
                actor=request.user, group=group, answers=form.answers(), request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{prototype.title} started. Plan its first test cycle when you are ready.")
            return redirect("collaborative:prototype", prototype_id=prototype.pk)
    lead = "" if group.kind == GroupKind.PROTOTYPING_TEAM else " Prototypes are usually run by a Prototyping Team."
    return _form_page(
        request,
        {
            "title": "Start a prototype",
            "caption": group.name,
            "intro": (
                "A prototype is an idea the network tests in small steps before deciding whether to keep it. "
                f"Say what you will try and what you think will happen.{lead}"
            ),
            "form": form,
            "button": "Start the prototype",
            "crumbs": _prototype_crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def prototype_change(request: AuthenticatedRequest, prototype_id: str) -> HttpResponse:
    site = access.site_or_404(request.user)
    prototype = _prototype(site, prototype_id)
    access.require_run(request.user, prototype.group, what="prototype", request=request)
    if prototype.status != PrototypeStatus.TESTING:
        messages.info(request, "This prototype has ended, so it cannot be changed.")
        return redirect("collaborative:prototype", prototype_id=prototype.pk)
    initial = {
        "title": prototype.title,
        "idea": prototype.idea,
        "hypothesis": prototype.hypothesis,
        "measures": prototype.measures,
        "insights": list(prototype.insights),
        "version": prototype.version,
    }
    form = PrototypeForm(request.POST if request.method == "POST" else None, initial=initial, versioned=True)
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        attempt = attempt_save(
            form,
            lambda: services.prototype_change(
                actor=request.user,
                prototype=prototype,
                answers=form.answers(),
                expected_version=form.cleaned_data["version"],
                request=request,
            ),
        )
        conflict = attempt.conflict
        if attempt.saved:
            changed = attempt.result
            messages.success(request, f"{prototype.title} saved" if changed else "Nothing was changed")
            return redirect("collaborative:prototype", prototype_id=prototype.pk)
    return _form_page(
        request,
        {
            "title": f"Change {prototype.title}",
            "caption": prototype.group.name,
            "form": form,
            "button": "Save changes",
            "conflict": conflict,
            "crumbs": _prototype_crumbs(prototype),
        },
    )


# ---- the prototype page -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def prototype_page(request: AuthenticatedRequest, prototype_id: str) -> HttpResponse:
    site = access.site_or_404(request.user)
    member = _reader(request, site, "prototype")
    prototype = _prototype(site, prototype_id)
    can_run = access.can_run(request.user, prototype.group)
    cycles = select.cycles_of(prototype)
    current = select.open_cycle(cycles)
    testing = prototype.status == PrototypeStatus.TESTING
    stories = select.evidence_stories(prototype, member)
    figures = select.figures_of(prototype)
    opens = sessions_select.session_opener(request.user, member, site)
    latest = {f.insight: show.figure_row(f) for f in figures if f.insight}  # in date order: the last one stays
    return render(
        request,
        "collaborative/prototypes/prototype.jinja",
        {
            "prototype": prototype,
            "status_tag": show.STATUS_TAG[PrototypeStatus(prototype.status)],
            "testing": testing,
            "insights": [
                {"row": r, "ours": latest.get(r.about.insight.value)} for r in insights.rows(site, prototype.insights)
            ],
            "cycles": [show.cycle_row(c, opens) for c in cycles],
            "current": show.cycle_row(current, opens) if current else None,
            "figures": [show.figure_row(f) for f in figures],
            "stories": [
                {
                    "title": s.title,
                    "href": reverse("collaborative:story", args=[s.pk]),
                    "kind": s.get_kind_display(),
                    "group": s.group.name,
                    "team_only": s.consent_level == ConsentLevel.TEAM,
                }
                for s in stories
            ],
            "decision_href": show.decision_href(prototype)
            if prototype.outcome_decision and decisions.may_read(request.user, member, prototype.outcome_decision)
            else "",
            "adapted_into_href": (
                reverse("collaborative:prototype", args=[prototype.adapted_into_id])
                if prototype.adapted_into_id
                else ""
            ),
            "adapted_from": [
                {"title": p.title, "href": reverse("collaborative:prototype", args=[p.pk])}
                for p in select.adapted_from(prototype)
            ],
            "can_run": can_run,
            "can_add_cycle": can_run and testing and current is None,
            "can_conclude": can_run and testing and current is None,
            "pdsa": show.PDSA,
            "crumbs": _prototype_crumbs(),
        },
    )


# ---- cycles -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cycle_add(request: AuthenticatedRequest, prototype_id: str) -> HttpResponse:
    site = access.site_or_404(request.user)
    prototype = _prototype(site, prototype_id)
    access.require_run(request.user, prototype.group, what="cycle", request=request)
    cycles = select.cycles_of(prototype)
    current = select.open_cycle(cycles)
    blocked = ""
    if prototype.status != PrototypeStatus.TESTING:
        blocked = "This prototype has ended, so it cannot have another cycle."
    elif current is not None:
        blocked = f"Cycle {current.number} is still open. Close it before you start the next one."
    if blocked and request.method == "GET":
        messages.info(request, blocked)
        return (
            redirect("collaborative:cycle", cycle_id=current.pk)
            if current
            else redirect("collaborative:prototype", prototype_id=prototype.pk)
        )
    number = len(cycles) + 1
    form = CycleStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_start(
                actor=request.user,
                prototype=prototype,
                plan=form.cleaned_data["plan"],
                prediction=form.cleaned_data.get("prediction") or "",
                started_on=form.cleaned_data["started_on"],
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Cycle {cycle.number} planned")
            return redirect("collaborative:cycle", cycle_id=cycle.pk)
    last = cycles[-1] if cycles else None
    intro = show.PDSA
    if last is not None and last.act_note:
        intro += f" Last time you said you would: {last.act_note}"
    return _form_page(
        request,
        {
            "title": f"Plan cycle {number}",
            "caption": prototype.title,
            "intro": intro,
            "form": form,
            "button": "Plan the cycle",
            "crumbs": _prototype_crumbs(prototype),
        },
    )


def _cycle(site: Site, cycle_id: str) -> Cycle:
    cycle = select.cycle_of(site, cycle_id)
    if cycle is None:
        raise Http404("No such cycle")
    return cycle


def _moved_on_meanwhile(request: AuthenticatedRequest, cycle: Cycle) -> list[tuple[str, str]]:
    """What someone typed for a stage the cycle has left since they opened the page (someone else moved
    it on): nothing of it is saved, and the page gives it back so that it is not lost."""
    if request.method != "POST":
        return []
    opened = request.POST.get("opened_stage", "")
    if opened == cycle.stage or opened not in services.STAGE_FIELDS:
        return []
    return [
        (services.CYCLE_LABELS[name], request.POST.get(name, "").strip())
        for name in services.STAGE_FIELDS[CycleStage(opened)]
        if name not in ("lab_session", "act") and request.POST.get(name, "").strip()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def cycle_page(request: AuthenticatedRequest, cycle_id: str) -> HttpResponse:
    site = access.site_or_404(request.user)
    cycle = _cycle(site, cycle_id)
    prototype = cycle.prototype
    if request.method == "POST":
        access.require_run(request.user, prototype.group, what="cycle", request=request)
    else:
        _reader(request, site, "cycle")
    can_run = access.can_run(request.user, prototype.group)
    stage = CycleStage(cycle.stage)
    form: CycleStageForm | None = None
    conflict: EditConflict | None = None
    editable = can_run and stage != CycleStage.CLOSED and prototype.status == PrototypeStatus.TESTING
    unsaved = _moved_on_meanwhile(request, cycle)
    posted = request.POST if request.method == "POST" and not unsaved else None
    if editable:
        sessions = list(select.lab_session_choices(prototype)) if stage == CycleStage.STUDY else []
        form = CycleStageForm(posted, cycle=cycle, sessions=sessions)
        if posted is not None and form.is_valid():
            to_stage = request.POST.get("to_stage", cycle.stage)
            before = cycle.stage
            attempt = attempt_save(
                form,
                lambda: services.cycle_advance(
                    actor=request.user,
                    cycle=cycle,
                    to_stage=to_stage,
                    values=form.values(),
                    expected_version=form.cleaned_data["version"],
                    request=request,
                ),
            )
            conflict = attempt.conflict
            if attempt.saved:
                if cycle.stage == CycleStage.CLOSED:
                    messages.success(request, f"Cycle {cycle.number} closed: {cycle.get_act_display()}")
                    return redirect("collaborative:prototype", prototype_id=prototype.pk)
                if cycle.stage != before:
                    messages.success(request, f"Cycle {cycle.number} moved on to {cycle.get_stage_display().lower()}")
                else:
                    messages.success(request, f"Cycle {cycle.number} saved")
                return redirect("collaborative:cycle", cycle_id=cycle.pk)
    elif request.method == "POST" and not unsaved:
        messages.info(request, "This cycle can no longer be changed.")
        return redirect("collaborative:cycle", cycle_id=cycle.pk)
    return render(
        request,
        "collaborative/prototypes/cycle.jinja",
        {
            "cycle": show.cycle_row(
                cycle, sessions_select.session_opener(request.user, access.member_of(request.user, site), site)
            ),
            "prototype": prototype,
            "form": form,
            "conflict": conflict,
            "unsaved": unsaved,
            "stage": stage.value,
            "task": show.STAGE_TASK.get(stage, ""),
            "next_stage": (services.next_stage(stage) or stage).value,
            "next_button": show.STAGE_NEXT_BUTTON.get(stage, ""),
            "stages": [
                {
                    "label": s.label,
                    "current": s == stage,
                    "done": services.STAGE_ORDER.index(s) < services.STAGE_ORDER.index(stage),
                }
                for s in services.STAGE_ORDER[:-1]
            ],
            "pdsa": show.PDSA,
            "crumbs": _prototype_crumbs(prototype),
        },
    )


# ---- figures ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def figure_add(request: AuthenticatedRequest, prototype_id: str) -> HttpResponse:
    site = access.site_or_404(request.user)
    prototype = _prototype(site, prototype_id)
    access.require_run(request.user, prototype.group, what="figure", request=request)
    form = FigureForm(request.POST if request.method == "POST" else None, cycles=select.cycles_of(prototype))
    if request.method == "POST" and form.is_valid():
        try:
            figure = services.figure_add(
                actor=request.user, prototype=prototype, answers=form.answers(), request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{figure.label} added")
            return redirect(reverse("collaborative:prototype", args=[prototype.pk]) + "#figures")
    return _form_page(
        request,
        {
            "title": "Add a figure",
            "caption": prototype.title,
            "intro": (
                "A figure is a number you measured, such as how many people came or how many days they waited. "
                "Give the figure from before the test too, if you have it, so that everyone can see what changed."
            ),
            "form": form,
            "button": "Add the figure",
            "crumbs": _prototype_crumbs(prototype),
        },
    )


# ---- the outcome --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def prototype_outcome(request: AuthenticatedRequest, prototype_id: str) -> HttpResponse:
    site = access.site_or_404(request.user)
    prototype = _prototype(site, prototype_id)
    access.require_run(request.user, prototype.group, what="prototype", request=request)
    cycles = select.cycles_of(prototype)
    current = select.open_cycle(cycles)
    opens = sessions_select.session_opener(request.user, access.member_of(request.user, site), site)
    if prototype.status != PrototypeStatus.TESTING:
        messages.info(request, "This prototype has already ended.")
        return redirect("collaborative:prototype", prototype_id=prototype.pk)
    if current is not None and request.method == "GET":
        messages.info(request, f"Cycle {current.number} is still open. Close it before deciding what happens next.")
        return redirect("collaborative:cycle", cycle_id=current.pk)
    story_choices = list(select.story_choices(prototype))
    form = OutcomeForm(
        request.POST if request.method == "POST" else None,
        version=prototype.version,
        decisions=select.decision_choices(site),
        stories=story_choices,
        linked=select.linked_story_ids(prototype),
    )
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        attempt = attempt_save(
            form,
            lambda: services.prototype_conclude(
                actor=request.user,
                prototype=prototype,
                answers=form.answers(),
                expected_version=form.cleaned_data["version"],
                request=request,
            ),
        )
        conflict = attempt.conflict
        if attempt.saved:
            messages.success(request, f"{prototype.title}: {prototype.get_status_display().lower()}")
            return redirect("collaborative:prototype", prototype_id=prototype.pk)
    return render(
        request,
        "collaborative/prototypes/outcome.jinja",
        {
            "prototype": prototype,
            "form": form,
            "conflict": conflict,
            "cycles": [show.cycle_row(c, opens) for c in cycles],
            "figures": [show.figure_row(f) for f in select.figures_of(prototype)],
            "crumbs": _prototype_crumbs(prototype),
        },
    )
