"""Reflection pages: the rounds, the co-production self-assessment, the balcony exercise, their results
and the trend. Members read and answer; stewards open rounds. Access is checked by `access` (refusals
are audited there) and writes go through `reflection`."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from livingwell.collaborative import access, balcony, reflection
from livingwell.collaborative import presenters_reflection as show
from livingwell.collaborative import selectors_reflection as selectors
from livingwell.collaborative.forms_reflection import BalconyForm, PrinciplesForm, RoundForm
from livingwell.collaborative.models import Member, ReflectionRound
from livingwell.collaborative.presenters import crumbs
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import Site


def _member(request: AuthenticatedRequest, what: str) -> tuple[Site, Member]:
    site = access.site_or_404(request.user)
    return site, access.require_member(request.user, site, what=what, request=request)


def _round(site: Site, round_id: uuid.UUID) -> ReflectionRound:
    found = selectors.round_for(site, round_id)
    if found is None:
        raise Http404("No such round")
    return found


def _list_crumbs(*more: tuple[str, str]) -> list[dict[str, Any]]:
    return crumbs(("Reflection", reverse("collaborative:reflection")), *more)


def _round_crumbs(found: ReflectionRound) -> list[dict[str, Any]]:
    return _list_crumbs((found.title, reverse("collaborative:round", args=[found.pk])))


@login_required
@require_http_methods(["GET"])
def reflection_list(request: AuthenticatedRequest) -> HttpResponse:
    site, _me = _member(request, "reflection rounds")
    today = timezone.localdate()
    return render(
        request,
        "collaborative/reflection/list.jinja",
        {
            "crumbs": crumbs(),
            "rows": show.round_rows(selectors.rounds(site, today=today), today),
            "can_add": access.is_steward(request.user, site),
            "principles_explained": show.PRINCIPLES_EXPLAINED,
            "self_assessment": show.SELF_ASSESSMENT,
            "balcony_intro": balcony.INTRO,
            "balcony_short": show.BALCONY_SHORT,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_add(request: AuthenticatedRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    access.require_steward(request.user, site, what="reflection round", request=request)
    form = RoundForm(request.POST if request.method == "POST" else None, sessions=selectors.session_choices(site))
    if request.method == "POST" and form.is_valid():
        try:
            created = reflection.round_open(
                actor=request.user,
                site=site,
                title=form.cleaned_data["title"],
                opens_on=form.cleaned_data["opens_on"],
                closes_on=form.cleaned_data["closes_on"],
                session=form.chosen_session(),
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{created.title} is set up")
            return redirect("collaborative:round", round_id=created.pk)
    return render(
        request,
        "collaborative/reflection/add.jinja",
        {"form": form, "crumbs": _list_crumbs()},
    )


@login_required
@require_http_methods(["GET"])
def round_detail(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    site, me = _member(request, "reflection round")
    found = _round(site, round_id)
    today = timezone.localdate()
    return render(
        request,
        "collaborative/reflection/round.jinja",
        {
            "round": found,
            "crumbs": _list_crumbs(),
            "dates": show.dates_text(found),
            "status": show.status_text(found, today),
            "tag": show.status_tag(found, today),
            "is_open": reflection.is_open(found, today),
            "rated": len(selectors.my_ratings(found, me)),
            "placed": len(selectors.my_placements(found, me)),
            "principles_explained": show.PRINCIPLES_EXPLAINED,
            "self_assessment": show.SELF_ASSESSMENT,
            "balcony_intro": balcony.INTRO,
            "balcony_short": show.BALCONY_SHORT,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def principles_rate(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    site, me = _member(request, "principle ratings")
    found = _round(site, round_id)
    saved = selectors.my_ratings(found, me)
    form = PrinciplesForm(request.POST if request.method == "POST" else None, saved=saved)
    if request.method == "POST" and form.is_valid():
        try:
            reflection.principles_save(
                actor=request.user, reflection_round=found, answers=form.answers(), request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Your answers are saved. You can change them until the round closes.")
            return redirect("collaborative:principles_rate", round_id=found.pk)
    today = timezone.localdate()
    return render(
        request,
        "collaborative/reflection/principles.jinja",
        {
            "round": found,
            "form": form,
            "crumbs": _round_crumbs(found),
            "is_open": reflection.is_open(found, today),
            "status": show.status_text(found, today),
            "saved_rows": show.my_ratings_rows(saved) if saved else [],
            "principles_explained": show.PRINCIPLES_EXPLAINED,
            "self_assessment": show.SELF_ASSESSMENT,
            "hints": show.PRINCIPLE_HINTS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def balcony_place(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    site, me = _member(request, "balcony placements")
    found = _round(site, round_id)
    saved = selectors.my_placements(found, me)
    form = BalconyForm(request.POST if request.method == "POST" else None, saved=saved)
    if request.method == "POST" and form.is_valid():
        try:
            reflection.balcony_save(
                actor=request.user, reflection_round=found, placements=form.placements(), request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Your places are saved. You can change them until the round closes.")
            return redirect("collaborative:balcony", round_id=found.pk)
    today = timezone.localdate()
    return render(
        request,
        "collaborative/reflection/balcony.jinja",
        {
            "round": found,
            "form": form,
            "crumbs": _round_crumbs(found),
            "is_open": reflection.is_open(found, today),
            "status": show.status_text(found, today),
            "saved_rows": show.my_placement_rows(saved) if saved else [],
            "intro": balcony.INTRO,
            "how_to": balcony.HOW_TO,
            "forces": balcony.FORCES,
        },
    )


@login_required
@require_http_methods(["GET"])
def principles_results(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    site, _me = _member(request, "principles results")
    found = _round(site, round_id)
    results = selectors.principles_results(found)
    title = f"{found.title}: great at and challenged by"
    today = timezone.localdate()
    return render(
        request,
        "collaborative/reflection/principles_results.jinja",
        {
            "round": found,
            "crumbs": _round_crumbs(found),
            "is_open": reflection.is_open(found, today),
            "status": show.status_text(found, today),
            "results": results,
            "answered": show.members_answered(results.respondents),
            "findings": show.findings(results),
            "chart": show.principles_results_chart(results, title),
            "table": show.principles_table(results, title),
            "quote_groups": show.quote_groups(results),
            "mix": show.mix_rows(selectors.respondents_mix(found, exercise="principles")),
            "quotes_rule": show.quotes_rule(),
            "principles_explained": show.PRINCIPLES_EXPLAINED,
        },
    )


@login_required
@require_http_methods(["GET"])
def balcony_results(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    site, _me = _member(request, "balcony results")
    found = _round(site, round_id)
    results = selectors.balcony_results(found)
    today = timezone.localdate()
    return render(
        request,
        "collaborative/reflection/balcony_results.jinja",
        {
            "round": found,
            "crumbs": _round_crumbs(found),
            "is_open": reflection.is_open(found, today),
            "status": show.status_text(found, today),
            "results": results,
            "answered": show.members_answered(results.respondents),
            "summary": show.balcony_summary_table(results),
            "statements": show.statement_views(results),
            "mix": show.mix_rows(selectors.respondents_mix(found, exercise="balcony")),
            "quotes_rule": show.quotes_rule(),
        },
    )


@login_required
@require_http_methods(["GET"])
def reflection_trend(request: AuthenticatedRequest) -> HttpResponse:
    site, _me = _member(request, "reflection trend")
    trend = selectors.trend(site)
    principles_chart, principles_table = show.principles_trend(trend)
    balcony_chart, balcony_table = show.balcony_trend(trend)
    return render(
        request,
        "collaborative/reflection/trend.jinja",
        {
            "crumbs": _list_crumbs(),
            "has_principles": bool(trend.principle_rounds),
            "has_balcony": bool(trend.balcony_rounds),
            "principles_chart": principles_chart,
            "principles_table": principles_table,
            "balcony_chart": balcony_chart,
            "balcony_table": balcony_table,
        },
    )
