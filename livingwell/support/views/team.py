"""Pages of a team's work: the huddle and its decisions, choosing a worker, urgent flags, answering requests."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import Team
from livingwell.support.forms.team import AllocateForm, AnswerForm, DecisionForm, FlagClearForm, FlagForm
from livingwell.support.models import Flag, Huddle, HuddleTopic, SupportPeriod, WorkerChangeRequest
from livingwell.support.presenters import team as presenters
from livingwell.support.selectors import huddle as huddle_selectors
from livingwell.support.selectors import periods as selectors
from livingwell.support.services import huddle as huddle_services
from livingwell.support.services import periods as services


def _overview(period: SupportPeriod) -> str:
    return reverse("person_support:overview", args=[period.person_id])


@login_required
@require_http_methods(["GET", "POST"])
def huddle(request: AuthenticatedRequest, team_id: uuid.UUID) -> HttpResponse:
    team = get_object_or_404(Team.objects.select_related("site"), pk=team_id)
    if request.method == "POST":
        huddle_services.huddle_start(actor=request.user, team=team, request=request)
        messages.success(request, "Today's huddle has started. Record the decisions against each person")
        return redirect("support:huddle", team_id=team.pk)
    board = huddle_selectors.huddle_board(user=request.user, team=team, request=request)
    return render(request, "support/huddle.jinja", presenters.board_context(board))


@login_required
@require_http_methods(["GET", "POST"])
def decision(request: AuthenticatedRequest, huddle_id: uuid.UUID, period_id: uuid.UUID) -> HttpResponse:
    try:
        page = huddle_selectors.decision_page(
            user=request.user,
            huddle_id=huddle_id,
            period_id=period_id,
            shown=request.method == "GET",
            request=request,
        )
    except (Huddle.DoesNotExist, SupportPeriod.DoesNotExist):
        raise Http404("No such huddle or person") from None
    topic = request.GET.get("topic", "")
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        initial={"topic": topic if topic in HuddleTopic.values else None},
    )
    board_href = reverse("support:huddle", args=[page.huddle.team_id])
    if request.method == "POST" and form.is_valid():
        try:
            huddle_services.decision_record(
                actor=request.user,
                huddle=page.huddle,
                period=page.period,
                topic=form.cleaned_data["topic"],
                decision=form.cleaned_data["decision"],
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Decision about {page.person.display_name} recorded")
            return redirect(board_href)
    return render(
        request,
        "support/decision.jinja",
        {
            "form": form,
            "name": page.person.display_name,
            "title": f"Record a decision about {page.person.display_name}",
            "team": page.huddle.team.name,
            "decisions": [presenters.decision_text(d) for d in page.decisions],
            "back_href": board_href,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def allocate(request: AuthenticatedRequest, period_id: uuid.UUID) -> HttpResponse:
    try:
        options = selectors.allocation_options(
            user=request.user, period_id=period_id, shown=request.method == "GET", request=request
        )
    except SupportPeriod.DoesNotExist:
        raise Http404("No such support") from None
    period = options.period
    form = AllocateForm(
        request.POST if request.method == "POST" else None,
        workers=[(str(c.user.pk), c.user.name) for c in options.candidates],
        changing=options.current is not None,
    )
    if request.method == "POST" and form.is_valid():
        worker = next(c.user for c in options.candidates if str(c.user.pk) == form.cleaned_data["worker"])
        try:
            services.allocate(
                actor=request.user,
                period=period,
                worker=worker,
                why_not_as_chosen=form.cleaned_data["why_not_as_chosen"],
                end_reason=form.cleaned_data.get("end_reason", ""),
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{worker.name} is now {options.person.display_name}'s worker")
            return redirect(_overview(period))
    return render(
        request,
        "support/allocate.jinja",
        {"form": form, "ended": not period.is_open, **presenters.allocation_context(options, form)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def flag(request: AuthenticatedRequest, period_id: uuid.UUID) -> HttpResponse:
    try:
        period = selectors.period_to_flag(
            user=request.user, period_id=period_id, shown=request.method == "GET", request=request
        )
    except SupportPeriod.DoesNotExist:
        raise Http404("No such support") from None
    form = FlagForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_raise(actor=request.user, period=period, reason=form.cleaned_data["reason"], request=request)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Urgent flag raised. The team will see it at the top of the huddle")
            return redirect(_overview(period))
    name = period.person.display_name
    return render(
        request,
        "support/flag.jinja",
        {
            "form": form,
            "name": name,
            "title": f"Raise an urgent flag about {name}",
            "team": period.team.name,
            "button": "Raise the flag",
            "back_href": _overview(period),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def flag_clear(request: AuthenticatedRequest, flag_id: uuid.UUID) -> HttpResponse:
    try:
        found = selectors.flag_to_clear(
            user=request.user, flag_id=flag_id, shown=request.method == "GET", request=request
        )
    except Flag.DoesNotExist:
        raise Http404("No such flag") from None
    period = found.support_period
    form = FlagClearForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_clear(actor=request.user, flag=found, note=form.cleaned_data["note"], request=request)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Urgent flag cleared. It stays in the history")
            return redirect(_overview(period))
    name = period.person.display_name
    return render(
        request,
        "support/flag.jinja",
        {
            "form": form,
            "name": name,
            "title": f"Clear the urgent flag about {name}",
            "team": period.team.name,
            "flag": presenters.flag_summary(found),
            "cleared": found.cleared_at is not None,
            "button": "Clear the flag",
            "back_href": _overview(period),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_request_answer(request: AuthenticatedRequest, request_id: uuid.UUID) -> HttpResponse:
    try:
        change_request = selectors.change_request_to_answer(
            user=request.user, request_id=request_id, shown=request.method == "GET", request=request
        )
    except WorkerChangeRequest.DoesNotExist:
        raise Http404("No such request") from None
    period = change_request.support_period
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_request_answer_not_possible(
                actor=request.user, request_obj=change_request, answer=form.cleaned_data["answer"], request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Answer saved. {period.person.display_name} can read it")
            return redirect(_overview(period))
    return render(
        request,
        "support/answer.jinja",
        {"form": form, **presenters.answer_context(change_request)},
    )
