"""Pages of the Living Well plan: the plan, its goals, actions, safety plan, reviews, agreement and versions.

The person and staff use the same addresses; the words change with who is reading. Every page checks
the access policy through the selectors, and every save goes through livingwell.support.services.plans.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from livingwell.audit.models import Part
from livingwell.core.concurrency import EditConflict, attempt_save
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.people.models import Person
from livingwell.people.selectors import PersonPart
from livingwell.support.forms import plans as forms
from livingwell.support.models import ActionOwner, ActionStatus, AgreedHow, Goal, PlanAction, PlanVersion
from livingwell.support.presenters import plans as presenters
from livingwell.support.selectors import plans as selectors
from livingwell.support.services import plans as services


def _part(
    request: AuthenticatedRequest,
    person_id: uuid.UUID,
    *,
    change: bool = False,
    workers_only: bool = False,
    also: tuple[Part, ...] = (),
) -> PersonPart:
    try:
        return selectors.plan_part(
            user=request.user,
            person_id=person_id,
            change=change,
            shown=request.method == "GET",
            workers_only=workers_only,
            also=also,
            request=request,
        )
    except Person.DoesNotExist:
        raise Http404("No such person") from None


def _own(request: AuthenticatedRequest, person: Person) -> bool:
    return services.is_own(request.user, person)


def _data(request: AuthenticatedRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _form_context(person: Person, own: bool, **extra: Any) -> dict[str, Any]:
    return {
        "person": person,
        "own": own,
        "name": person.display_name,
        "caption": "Your Living Well plan" if own else person.display_name,
        "back_href": presenters.plan_url(person),
        **extra,
    }


@login_required
@require_http_methods(["GET"])
def plan_view(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        page = selectors.plan_page(user=request.user, person_id=person_id, request=request)
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    return render(request, "plans/plan.jinja", presenters.plan_context(page, viewer_id=request.user.pk))


# Goals --------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def goal_add(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    person = _part(request, person_id, change=True).person
    own = _own(request, person)
    form = forms.GoalForm(_data(request), own=own, name=person.display_name)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_add(
                actor=request.user,
                person=person,
                words=form.cleaned_data["words"],
                outcome=form.cleaned_data["outcome"],
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Goal added to your plan" if own else "Goal added to the plan")
            return redirect(presenters.plan_url(person))
    title = "Add a goal"
    return render(request, "plans/goal_form.jinja", _form_context(person, own, form=form, title=title, adding=True))


@login_required
@require_http_methods(["GET", "POST"])
def goal_change(request: AuthenticatedRequest, person_id: uuid.UUID, goal_id: uuid.UUID) -> HttpResponse:
    person = _part(request, person_id, change=True).person
    try:
        goal = selectors.goal_of(person, goal_id)
    except Goal.DoesNotExist:
        raise Http404("No such goal") from None
    own = _own(request, person)
    initial = {"words": goal.words, "outcome": goal.outcome, "status": goal.status, "version": goal.version}
    form = forms.GoalChangeForm(_data(request), initial=initial, own=own, name=person.display_name)
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saving = attempt_save(
            form,
            lambda: services.goal_change(
                actor=request.user,
                goal=goal,
                expected_version=data["version"],
                words=data["words"],
                outcome=data["outcome"],
                status=data["status"],
                request=request,
            ),
        )
        conflict = saving.conflict
        if saving.saved:
            messages.success(request, "Goal saved" if saving.result else "Nothing was changed")
            return redirect(presenters.plan_url(person))
    written_by = goal.created_by.name if goal.created_by else ""
    others_words = own and goal.created_by_id != request.user.pk
    return render(
        request,
        "plans/goal_form.jinja",
        _form_context(
            person,
            own,
            form=form,
            title="Change a goal",
            adding=False,
            conflict=conflict,
            others_words=others_words,
            written_by=written_by,
        ),
    )


# Actions ------------------------------------------------------------------------------------------------


def _action_form(
    request: AuthenticatedRequest, person: Person, form_class: type[forms.ActionForm], **kwargs: Any
) -> forms.ActionForm:
    keep_goal = kwargs.pop("keep_goal", None)
    workers, relationships = selectors.owner_choices(person, keep_worker=kwargs.pop("keep_worker", None))
    return form_class(
        _data(request),
        own=_own(request, person),
        name=person.display_name,
        workers=workers,
        relationships=relationships,
        goals=selectors.goals_to_link(person, keep=keep_goal),
        **kwargs,
    )


def _action_context(
    request: AuthenticatedRequest, person: Person, form: forms.ActionForm, **extra: Any
) -> dict[str, Any]:
    return _form_context(person, _own(request, person), form=form, **extra)


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    person = _part(request, person_id, change=True, also=(Part.NETWORK,)).person
    initial: dict[str, Any] = {}
    goal_id = request.GET.get("goal")
    if goal_id:
        initial["goal"] = goal_id
    form = _action_form(request, person, forms.ActionForm, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_add(
                actor=request.user,
                person=person,
                what=data["what"],
                due=data["due"],
                goal=data["goal"],
                request=request,
                **form.owner_data(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            own = _own(request, person)
            messages.success(request, "Action added to your plan" if own else "Action added to the plan")
            return redirect(presenters.plan_url(person))
    return render(
        request, "plans/action_form.jinja", _action_context(request, person, form, title="Add an action", adding=True)
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_change(request: AuthenticatedRequest, person_id: uuid.UUID, action_id: uuid.UUID) -> HttpResponse:
    person = _part(request, person_id, change=True, also=(Part.NETWORK,)).person
    try:
        action = selectors.action_of(person, action_id)
    except PlanAction.DoesNotExist:
        raise Http404("No such action") from None
    initial = {
        "what": action.what,
        "goal": action.goal_id,
        "owner": action.owner,
        "owner_worker": action.owner_worker_id,
        "owner_relationship": action.owner_relationship_id,
        "owner_name": action.owner_name if action.owner == ActionOwner.COMMUNITY else "",
        "due": action.due,
        "status": action.status,
        "version": action.version,
    }
    form = _action_form(
        request,
        person,
        forms.ActionChangeForm,
        initial=initial,
        keep_goal=action.goal_id,
        keep_worker=action.owner_worker_id,
    )
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saving = attempt_save(
            form,
            lambda: services.action_change(
                actor=request.user,
                action=action,
                expected_version=data["version"],
                what=data["what"],
                due=data["due"],
                goal=data["goal"],
                status=data["status"],
                request=request,
                **form.owner_data(),
            ),
        )
        conflict = saving.conflict
        if saving.saved:
            messages.success(request, "Action saved" if saving.result else "Nothing was changed")
            return redirect(presenters.plan_url(person))
    return render(
        request,
        "plans/action_form.jinja",
        _action_context(request, person, form, title="Change an action", adding=False, conflict=conflict),
    )


@login_required
@require_POST
def action_done(request: AuthenticatedRequest, person_id: uuid.UUID, action_id: uuid.UUID) -> HttpResponse:
    person = _part(request, person_id, change=True).person
    try:
        action = selectors.action_of(person, action_id)
    except PlanAction.DoesNotExist:
        raise Http404("No such action") from None
    try:
        services.action_mark(actor=request.user, action=action, status=ActionStatus.DONE, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Marked as done: {services.quote(action.what)}")
    return redirect(presenters.plan_url(person))


# The safety plan ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def safety_plan(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    person = _part(request, person_id, change=True).person
    own = _own(request, person)
    current = selectors.safety_plan_of(person)
    initial: dict[str, Any] = {f: getattr(current, f, "") for f in services.SAFETY_FIELDS}
    initial["version"] = current.version if current else 1
    form = forms.SafetyPlanForm(_data(request), initial=initial, own=own, name=person.display_name)
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        saving = attempt_save(
            form,
            lambda: services.safety_plan_change(
                actor=request.user, person=person, expected_version=expected, data=data, request=request
            ),
        )
        conflict = saving.conflict
        if saving.saved:
            messages.success(request, "Safety plan saved" if saving.result else "Nothing was changed")
            return redirect(presenters.plan_url(person) + "#safety-plan")
    return render(
        request,
        "plans/safety_plan.jinja",
        _form_context(
            person,
            own,
            form=form,
            title="Your safety plan" if own else "Safety plan",
            conflict=conflict,
            crisis_contacts=presenters.CRISIS_CONTACTS,
        ),
    )


# Reviews ------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review_add(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    person = _part(request, person_id, change=True, workers_only=True).person
    today = timezone.localdate()
    initial = {
        "held_on": today,
        "next_review_due": today + dt.timedelta(weeks=person.site.weeks_between_plan_reviews),
    }
    form = forms.ReviewForm(_data(request), initial=initial, name=person.display_name)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_record(
                actor=request.user,
                person=person,
                held_on=data["held_on"],
                with_person=data["with_person"] == "yes",
                how_it_is_going=data["how_it_is_going"],
                what_changes=data["what_changes"],
                next_review_due=data["next_review_due"],
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Review recorded")
            return redirect(presenters.plan_url(person) + "#reviews")
    return render(request, "plans/review_form.jinja", _form_context(person, False, form=form, title="Record a review"))


# Agreement ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agree(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    person = _part(request, person_id, change=True).person
    own = _own(request, person)
    latest = selectors.latest_version(person)
    number = latest.number if latest else 0
    agreed = selectors.agreement_to(person, number) if number else None
    form = forms.AgreeForm(_data(request), initial={"version": number}, own=own, name=person.display_name)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_agree(
                actor=request.user,
                person=person,
                how=AgreedHow.SIGNED_IN if own else AgreedHow.IN_CONVERSATION,
                comment=form.cleaned_data["comment"],
                version=form.cleaned_data["version"],
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                "Thank you. Your agreement is recorded" if own else f"Recorded that {person.display_name} agreed",
            )
            return redirect(presenters.plan_url(person))
    return render(
        request,
        "plans/agree.jinja",
        _form_context(
            person,
            own,
            form=form,
            title="Agree to your plan" if own else f"Record that {person.display_name} agreed to the plan",
            number=number,
            agreed=presenters.agreed_already(agreed, own=own, name=person.display_name) if agreed else "",
            body=presenters.plan_body(
                latest.snapshot,
                own=own,
                name=person.display_name,
                viewer_id=str(request.user.pk),
                person_user_id=str(person.user_id) if person.user_id else None,
            )
            if latest
            else None,
            version_href=reverse("plans:version", args=[person.pk, number]) if number else None,
        ),
    )


# Versions -----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def versions(request: AuthenticatedRequest, person_id: uuid.UUID) -> HttpResponse:
    try:
        found = selectors.plan_versions(user=request.user, person_id=person_id, request=request)
    except Person.DoesNotExist:
        raise Http404("No such person") from None
    return render(request, "plans/versions.jinja", presenters.versions_context(found, viewer_id=request.user.pk))


@login_required
@require_http_methods(["GET"])
def version(request: AuthenticatedRequest, person_id: uuid.UUID, number: int) -> HttpResponse:
    try:
        found = selectors.plan_version(user=request.user, person_id=person_id, number=number, request=request)
    except (Person.DoesNotExist, PlanVersion.DoesNotExist):
        raise Http404("No such version") from None
    return render(request, "plans/version.jinja", presenters.version_context(found, viewer_id=request.user.pk))
