"""The Hub's pages: the front-door queue, one introduction, and each thing a coordinator does with it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from livingwell.access import forms, presenters, selectors, services
from livingwell.access.models import Booking, BookingStatus, ConversationOutcome, Handover, Introduction
from livingwell.accounts.models import User
from livingwell.audit.policy import current_memberships
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import Organisation, Team
from livingwell.support.models import WorkerKind
from livingwell.support.presenters.moving_on import come_back_panel
from livingwell.support.selectors.moving_on import come_back_for_introduction


def _posted(request: AuthenticatedRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _view(request: AuthenticatedRequest, introduction_id: uuid.UUID) -> selectors.IntroductionView:
    try:
        return selectors.introduction_view(user=request.user, introduction_id=introduction_id, request=request)
    except Introduction.DoesNotExist:
        raise Http404("No such introduction") from None


def _introduction_url(introduction: Introduction) -> str:
    return reverse("front_door:introduction", args=[introduction.pk])


@login_required
@require_http_methods(["GET"])
def queue(request: AuthenticatedRequest) -> HttpResponse:
    site_ids = selectors.coordinator_site_ids(request.user)
    form = forms.QueueFilterForm(request.GET or None, localities=forms.localities_for(site_ids))
    filters = selectors.QueueFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.QueueFilters(
            locality=data["locality"],
            source=data["source"],
            language=data["language"],
            state=data["state"],
            urgent_only=data["urgent"],
        )
    page, total = selectors.front_door_queue(
        user=request.user, filters=filters, page=request.GET.get("page", 1), request=request
    )
    site = next(m.site for m in current_memberships(request.user) if m.site_id in site_ids)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "front_door/queue.jinja",
        {
            "form": form,
            "page": page,
            "total": total,
            "filtered": filters != selectors.QueueFilters(),
            "query": query.urlencode(),
            "waiting": selectors.waiting_figures(site=site),
        },
    )


@login_required
@require_http_methods(["GET"])
def introduction(request: AuthenticatedRequest, introduction_id: uuid.UUID) -> HttpResponse:
    view = _view(request, introduction_id)
    past = come_back_for_introduction(user=request.user, view=view, request=request)
    return render(
        request,
        "front_door/introduction.jinja",
        {
            **presenters.introduction_context(view, user=request.user),
            "back_href": reverse("front_door:queue") if view.can_coordinate else reverse("core:home"),
            "come_back": come_back_panel(past, view.introduction) if past else None,
        },
    )


def _action_page(
    request: AuthenticatedRequest,
    introduction_id: uuid.UUID,
    *,
    form_class: Callable[..., Any],
    title: str,
    act: Callable[[Introduction, dict[str, Any]], str],
    template: str = "front_door/action.jinja",
    initial: dict[str, Any] | None = None,
    form_kwargs: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
    coordinator_only: bool = True,
    view: selectors.IntroductionView | None = None,
) -> HttpResponse:
    """A page with one form that does one thing to an introduction, then returns to it."""
    view = view or _view(request, introduction_id)
    if coordinator_only and not view.can_coordinate:
        from livingwell.audit import services as audit
        from livingwell.audit.models import Action

        raise audit.refuse(
            actor=request.user,
            action=Action.CHANGE,
            person_id=view.person.pk,
            reason="Only a Hub coordinator of the site may do this",
            request=request,
            message="Only a Hub coordinator can do this.",
        )
    form = form_class(_posted(request), initial=initial or {}, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        try:
            done = act(view.introduction, form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect(_introduction_url(view.introduction))
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "view": view,
            "name": view.person.display_name,
            "back_href": _introduction_url(view.introduction),
            **(extra or {}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def attempt(request: AuthenticatedRequest, introduction_id: uuid.UUID) -> HttpResponse:
    def act(introduction: Introduction, data: dict[str, Any]) -> str:
        services.contact_attempt_record(
            actor=request.user,
            introduction=introduction,
            attempted_at=data["at"],
            method=data["method"],
            outcome=data["outcome"],
            note=data["note"],
            request=request,
        )
        return "Attempt recorded"

    return _action_page(
        request,
        introduction_id,
        form_class=forms.AttemptForm,
        title="Record an attempt to get in touch",
        act=act,
        initial=forms.now_initial(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def book(request: AuthenticatedRequest, introduction_id: uuid.UUID) -> HttpResponse:
    view = _view(request, introduction_id)
    workers = selectors.worker_suggestions(view.introduction)

    def act(introduction: Introduction, data: dict[str, Any]) -> str:
        worker = User.objects.get(pk=data["worker"])
        booking = services.booking_create(
            actor=request.user,
            introduction=introduction,
            starts_at=data["at"],
            place=data["place"],
            place_detail=data["place_detail"],
            worker=worker,
            notify_by=data["notify_by"],
            request=request,
        )
        told = {"email": " and emailed them", "sms": " and sent them a text message"}.get(booking.notify_by, "")
        return f"First conversation booked{told}"

    places = view.introduction.preferred_places
    return _action_page(
        request,
        introduction_id,
        form_class=forms.BookingForm,
        title="Book the first conversation",
        act=act,
        template="front_door/book.jinja",
        initial={"place": places[0] if len(places) == 1 else None},
        form_kwargs={"workers": workers},
        extra={"asked": presenters.asked_for(view.introduction), "workers": workers},
        view=view,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel_booking(request: AuthenticatedRequest, introduction_id: uuid.UUID, booking_id: uuid.UUID) -> HttpResponse:
    try:
        booking = Booking.objects.select_related("introduction").get(
            pk=booking_id, introduction_id=introduction_id, status=BookingStatus.BOOKED
        )
    except Booking.DoesNotExist:
        raise Http404("No such booking") from None

    def act(introduction: Introduction, data: dict[str, Any]) -> str:
        services.booking_cancel(
            actor=request.user,
            booking=booking,
            not_attended=data["what"] == "not_attended",
            note=data["note"],
            request=request,
        )
        return "Booking changed. The introduction is back with the Hub to arrange a new time"

    return _action_page(
        request, introduction_id, form_class=forms.CancelBookingForm, title="Change the booking", act=act
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedRequest, introduction_id: uuid.UUID) -> HttpResponse:
    def act(introduction: Introduction, data: dict[str, Any]) -> str:
        services.introduction_withdraw(
            actor=request.user, introduction=introduction, reason=data["reason"], request=request
        )
        return "Withdrawn. The person can come back at any time, and you can reopen this"

    return _action_page(
        request, introduction_id, form_class=forms.WithdrawForm, title="The person does not want support now", act=act
    )


@login_required
@require_http_methods(["GET", "POST"])
def unreachable(request: AuthenticatedRequest, introduction_id: uuid.UUID) -> HttpResponse:
    view = _view(request, introduction_id)

    def act(introduction: Introduction, data: dict[str, Any]) -> str:
        services.introduction_mark_unreachable(
            actor=request.user, introduction=introduction, note=data["note"], request=request
        )
        return "Marked as not reached yet. You can reopen it at any time"

    return _action_page(
        request,
        introduction_id,
        form_class=forms.NoteForm,
        title="We have not been able to reach the person yet",
        act=act,
        extra={"attempts_not_reached": services.attempts_not_reached(view.introduction)},
        view=view,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reopen(request: AuthenticatedRequest, introduction_id: uuid.UUID) -> HttpResponse:
    def act(introduction: Introduction, data: dict[str, Any]) -> str:
        services.introduction_reopen(actor=request.user, introduction=introduction, note=data["note"], request=request)
        return "Reopened"

    return _action_page(request, introduction_id, form_class=forms.NoteForm, title="Reopen the introduction", act=act)


@login_required
@require_http_methods(["GET", "POST"])
def first_conversation(request: AuthenticatedRequest, introduction_id: uuid.UUID) -> HttpResponse:
    view = _view(request, introduction_id)
    story = getattr(view.person, "story", None)
    initial: dict[str, Any] = {
        **forms.now_initial(),
        **{f: getattr(story, f, "") for f in presenters.STORY_FIELDS},
        "place": view.current_booking.place if view.current_booking else None,
        **presenters.wanted_initial(view.introduction),
    }
    site_id = view.introduction.site_id
    teams = list(Team.objects.filter(site_id=site_id, is_active=True).order_by("name"))
    organisations = list(Organisation.objects.filter(site_id=site_id, is_active=True).order_by("name"))
    workers = selectors.support_workers(site_id)

    def act(introduction: Introduction, data: dict[str, Any]) -> str:
        team = next((t for t in teams if str(t.pk) == data["team"]), None)
        organisation = next((o for o in organisations if str(o.pk) == data["handover_organisation"]), None)
        support = data["outcome"] == ConversationOutcome.SUPPORT
        wanted_worker = (
            User.objects.filter(pk=data["wanted_worker"]).first() if support and data["wanted_worker"] else None
        )
        conversation = services.first_conversation_record(
            actor=request.user,
            introduction=introduction,
            held_at=data["at"],
            place=data["place"],
            story={f: data[f] for f in presenters.STORY_FIELDS},
            outcome=data["outcome"],
            team=team,
            community_offers=data["community_offers"],
            handover_to=data["handover_to"],
            handover_organisation=organisation,
            handover_reason=data["handover_reason"],
            note=data["note"],
            wanted_kind=data["wanted_kind"] if support else WorkerKind.NO_PREFERENCE,
            wanted_worker=wanted_worker,
            wanted_note=data["wanted_note"] if support else "",
            request=request,
        )
        if conversation.outcome == ConversationOutcome.SUPPORT and team is not None:
            return f"First conversation recorded. {team.name} will support them"
        return "First conversation recorded"

    return _action_page(
        request,
        introduction_id,
        form_class=forms.FirstConversationForm,
        title="The first conversation",
        act=act,
        template="front_door/first_conversation.jinja",
        initial=initial,
        form_kwargs={"teams": teams, "organisations": organisations, "workers": workers},
        extra={"asked": presenters.asked_for(view.introduction)},
        coordinator_only=not view.is_booked_worker,
        view=view,
    )


@login_required
@require_http_methods(["GET", "POST"])
def second_contact(request: AuthenticatedRequest, introduction_id: uuid.UUID) -> HttpResponse:
    def act(introduction: Introduction, data: dict[str, Any]) -> str:
        services.second_contact_record(actor=request.user, introduction=introduction, at=data["at"], request=request)
        return "Second contact recorded"

    return _action_page(
        request,
        introduction_id,
        form_class=forms.SecondContactForm,
        title="Record the second contact",
        act=act,
        initial=forms.now_initial(),
        coordinator_only=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def match(request: AuthenticatedRequest, introduction_id: uuid.UUID, match_id: uuid.UUID) -> HttpResponse:
    view = _view(request, introduction_id)
    shown = next((m for m in view.matches if m.match.pk == match_id), None)
    if shown is None:
        raise Http404("No such possible match")

    def act(introduction: Introduction, data: dict[str, Any]) -> str:
        same = data["same_person"] == "yes"
        services.match_decide(actor=request.user, match=shown.match, same_person=same, request=request)
        if same:
            return "Records joined. Their story, network and history carry over"
        return "Noted: not the same person"

    return _action_page(
        request,
        introduction_id,
        form_class=forms.MatchForm,
        title="Is this someone we know?",
        act=act,
        template="front_door/match.jinja",
        extra={"candidate": shown, "introduction_person": view.person},
        view=view,
    )


@login_required
@require_http_methods(["GET"])
def handovers(request: AuthenticatedRequest) -> HttpResponse:
    rows = selectors.handovers_due(user=request.user, request=request)
    return render(request, "front_door/handovers.jinja", {"rows": presenters.handover_rows(rows)})


@login_required
@require_http_methods(["GET", "POST"])
def handover_follow_up(request: AuthenticatedRequest, handover_id: uuid.UUID) -> HttpResponse:
    site_ids = selectors.coordinator_site_ids(request.user)
    try:
        handover = Handover.objects.select_related("person").get(pk=handover_id, site_id__in=site_ids)
    except Handover.DoesNotExist:
        raise Http404("No such handover") from None
    form = forms.FollowUpForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.handover_follow_up(
                actor=request.user, handover=handover, note=form.cleaned_data["note"], request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Follow-up recorded")
            return redirect("front_door:handovers")
    return render(
        request,
        "front_door/action.jinja",
        {
            "form": form,
            "title": f"Follow up the handover to {handover.to_service}",
            "name": handover.person.display_name,
            "back_href": reverse("front_door:handovers"),
        },
    )


@login_required
@require_http_methods(["GET"])
def outbox(request: AuthenticatedRequest) -> HttpResponse:
    page = selectors.outbox(user=request.user, page=request.GET.get("page", 1), request=request)
    return render(request, "front_door/outbox.jinja", {"page": page})
