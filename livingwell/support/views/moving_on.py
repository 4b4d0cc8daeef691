"""Pages of moving on and coming back: /people/<person_id>/moving-on/…

- `<period_id>/`: a worker of the team ends the support with the person and writes the farewell summary;
- `<period_id>/farewell/`: the farewell summary, for the person (and whoever may read their support);
- `come-back/`: the person, signed in, picks up where they left off or asks for a first conversation;
- `pick-up/<introduction_id>/`: a Hub coordinator picks someone up from their open introduction.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from livingwell.access import services as front_door
from livingwell.access.models import Introduction, UnsafeNow
from livingwell.audit.models import Part
from livingwell.audit.policy import access_to
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.people.models import Person
from livingwell.support.forms import moving_on as forms
from livingwell.support.models import MovingOn, SupportPeriod, WorkerKind
from livingwell.support.presenters import moving_on as presenters
from livingwell.support.selectors import moving_on as selectors
from livingwell.support.services import moving_on as services


@login_required
@require_http_methods(["GET", "POST"])
def move_on(request: AuthenticatedRequest, person_id: uuid.UUID, period_id: uuid.UUID) -> HttpResponse:
    if MovingOn.objects.filter(
        support_period_id=period_id, support_period__person_id=person_id, recorded_by=request.user
    ).exists():
        # A second click on "save", or the back button after saving: this worker already ended it.
        messages.success(request, "Support had already ended, and the farewell summary is saved")
        return redirect("core:home")
    try:
        page = selectors.move_on_page(
            user=request.user,
            person_id=person_id,
            period_id=period_id,
            shown=request.method == "GET",
            request=request,
        )
    except (Person.DoesNotExist, SupportPeriod.DoesNotExist):
        raise Http404("No such support") from None
    person = page.person
    form = forms.MoveOnForm(
        request.POST if request.method == "POST" else None,
        initial=presenters.move_on_initial(page),
        may_email=bool(person.email and person.may_email),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.support_move_on(
                actor=request.user,
                period=page.period,
                reason=data["reason"],
                what_helped=data["what_helped"],
                if_things_get_hard=data["if_things_get_hard"],
                how_to_come_back=data["how_to_come_back"],
                person_words=data["person_words"],
                written_with_person=data["written_with_person"] == "yes",
                at=data["at"],
                email_copy=data["email_copy"],
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            team = page.period.team.name
            emailed = " We have emailed them a copy." if data["email_copy"] else ""
            if access_to(request.user, person).can_read(Part.SUPPORT):
                messages.success(request, f"{person.display_name} has moved on from {team}.{emailed}")
                return redirect("moving_on:farewell", person.pk, page.period.pk)
            messages.success(
                request,
                f"{person.display_name} has moved on from {team}. They can read the farewell summary in their "
                f"record.{emailed} You no longer see their record, unless they come back.",
            )
            return redirect("core:home")
    return render(request, "moving_on/move_on.jinja", {"form": form, **presenters.move_on_context(page)})


@login_required
@require_http_methods(["GET"])
def farewell(request: AuthenticatedRequest, person_id: uuid.UUID, period_id: uuid.UUID) -> HttpResponse:
    try:
        view = selectors.farewell(user=request.user, person_id=person_id, period_id=period_id, request=request)
    except (Person.DoesNotExist, MovingOn.DoesNotExist):
        raise Http404("No such farewell summary") from None
    own = view.person.user_id is not None and view.person.user_id == request.user.pk
    return render(request, "moving_on/farewell.jinja", presenters.farewell_context(view, own=own))


@login_required
@require_http_methods(["GET", "POST"])
def come_back(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        page = selectors.come_back_page(
            user=request.user, person_id=person_id, shown=request.method == "GET", request=request
        )
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    person = page.person
    form = forms.ComeBackForm(
        request.POST if request.method == "POST" else None,
        team_name=page.offer.team.name if page.offer else None,
    )
    if request.method == "POST" and not page.supported_now and form.is_valid():
        data = form.cleaned_data
        unsafe = data["unsafe_now"] == UnsafeNow.YES
        help_now = f" {presenters.HELP_NOW_WORDS}" if unsafe else ""
        try:
            if data["choice"] == forms.PICK_UP:
                period = services.support_resume(
                    actor=request.user,
                    person=person,
                    in_their_words=data["in_their_words"],
                    unsafe_now=unsafe,
                    request=request,
                )
                worker = period.allocations.select_related("worker").first()
                with_whom = f" {worker.worker.name} will be in touch." if worker else " They will find you a worker."
                messages.success(request, f"Welcome back. You are with {period.team.name} again.{with_whom}{help_now}")
                return redirect("person_support:overview", person.pk)
            last = page.last
            wanted_peer = last is not None and last.wanted_kind == WorkerKind.PEER
            introduced = front_door.introduction_come_back(
                actor=request.user,
                person=person,
                in_their_words=data["in_their_words"],
                unsafe_now=data["unsafe_now"],
                worker_preferences=["peer"] if wanted_peer else [],
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            reference = introduced.introduction.reference
            if introduced.created:
                text = (
                    f"Thank you. The Living Well Hub will contact you to arrange a first conversation. "
                    f"Your reference is {reference}.{help_now}"
                )
            else:
                text = f"You have already asked to come back. The Living Well Hub will contact you. Your reference is {reference}."
            messages.success(request, text)
            return redirect("moving_on:come_back", person.pk)
    return render(request, "moving_on/come_back.jinja", {"form": form, **presenters.come_back_context(page)})


@login_required
@require_http_methods(["GET", "POST"])
def pick_up(request: AuthenticatedRequest, person_id: uuid.UUID, introduction_id: uuid.UUID) -> HttpResponse:
    try:
        page = selectors.pick_up_page(
            user=request.user,
            person_id=person_id,
            introduction_id=introduction_id,
            shown=request.method == "GET",
            request=request,
        )
    except Introduction.DoesNotExist:
        raise Http404("No such introduction") from None
    form = forms.PickUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.support_resume(
                actor=request.user, person=page.person, introduction=page.introduction, request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            worker = period.allocations.select_related("worker").first()
            with_whom = (
                f", with {worker.worker.name}" if worker else ", waiting for the team leader to allocate a worker"
            )
            messages.success(
                request,
                f"{page.person.display_name} is back with {period.team.name}{with_whom}. "
                "Their plan is due for review at the team's next huddle",
            )
            return redirect(reverse("front_door:queue"))
    return render(request, "moving_on/pick_up.jinja", {"form": form, **presenters.pick_up_context(page)})
