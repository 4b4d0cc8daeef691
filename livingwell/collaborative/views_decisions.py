"""Decisions: runners propose them and record the result, members say where they stand, and anyone
reads the public decisions log. Access is decided in `access` and `decisions`; refusals are audited."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from livingwell.audit.models import Action
from livingwell.collaborative import access, decisions
from livingwell.collaborative import presenters_decisions as present
from livingwell.collaborative import selectors_decisions as selectors
from livingwell.collaborative.forms_decisions import (
    GroupFilterForm,
    LogFilterForm,
    ParticipantForm,
    ProposeForm,
    RecordForm,
    SayForm,
    WithdrawForm,
    select_items,
    stance_value,
)
from livingwell.collaborative.models import Decision, DecisionStatus, Group, Member
from livingwell.core.concurrency import EditConflict, attempt_save
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import Site


def _viewer(request: HttpRequest, site: Site, what: str) -> tuple[Member | None, bool]:
    """The member reading a members' page (None for a steward who is not a member) and whether they are a
    steward, or a recorded 403."""
    member = access.member_of(request.user, site)
    steward = access.is_steward(request.user, site)
    if member is None and not steward:
        access.require_member(request.user, site, what=what, request=request)
    return member, steward


def _decision(request: HttpRequest, decision_id: uuid.UUID) -> tuple[Decision, Member | None]:
    """The decision, for someone who may read it (else 404 or a recorded 403)."""
    decision = selectors.decision(decision_id)
    if decision is None:
        raise Http404("No such decision")
    member, _steward = _viewer(request, decision.group.site, "decision")
    if not decisions.may_read(request.user, member, decision):
        raise access.refuse(
            actor=request.user,
            action=Action.VIEW,
            what="decision",
            obj_id=decision.pk,
            reason="Decision kept to its group",
            request=request,
            message=f"This decision is kept to the members of {decision.group.name}.",
        )
    return decision, member


def _page(page_number: str | None, items: Any, size: int) -> tuple[Any, dict[str, Any] | None, dict[str, Any] | None]:
    page = Paginator(items, size).get_page(page_number)
    previous = next_ = None
    total = page.paginator.num_pages
    if page.has_previous():
        previous = {
            "number": page.previous_page_number(),
            "labelText": f"Page {page.previous_page_number()} of {total}",
        }
    if page.has_next():
        next_ = {"number": page.next_page_number(), "labelText": f"Page {page.next_page_number()} of {total}"}
    return page, previous, next_


def _with_page(query: dict[str, str], link: dict[str, Any] | None) -> dict[str, Any] | None:
    if link is None:
        return None
    params = "&".join(f"{k}={v}" for k, v in {**query, "page": link["number"]}.items() if v)
    return {"href": f"?{params}", "labelText": link["labelText"]}


# ---- members' pages -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def decision_list(request: AuthenticatedRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    member, steward = _viewer(request, site, "decisions")
    groups = selectors.filter_groups(member, site, steward=steward)
    form = GroupFilterForm(request.GET or None, groups=groups)
    group = None
    if form.is_valid():
        group = next((g for g in groups if str(g.pk) == form.cleaned_data.get("group")), None)
    open_rows = [present.list_row(d) for d in selectors.open_for(member, site, group=group)] if member else []
    page, previous, next_ = _page(
        request.GET.get("page"),
        selectors.closed_for(member, site, steward=steward, group=group),
        selectors.LIST_PAGE_SIZE,
    )
    query = {"group": str(group.pk) if group else ""}
    return render(
        request,
        "collaborative/decisions/list.jinja",
        {
            "crumbs": present.crumbs(),
            "filter": form,
            "group_items": select_items(form["group"]),
            "group": group,
            "open_rows": open_rows,
            "closed_rows": [present.list_row(d) for d in page.object_list],
            "closed_total": page.paginator.count,
            "previous": _with_page(query, previous),
            "next": _with_page(query, next_),
            "log_href": reverse("collaborative:decisions_log"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_add(request: AuthenticatedRequest, group_id: uuid.UUID) -> HttpResponse:
    group = Group.objects.filter(pk=group_id).select_related("site").first()
    if group is None:
        raise Http404("No such group")
    access.require_run(request.user, group, what="decision", request=request)
    form = ProposeForm(request.POST if request.method == "POST" else None, sessions=selectors.sessions_of(group))
    if request.method == "POST" and form.is_valid():
        try:
            decision = decisions.decision_propose(
                actor=request.user, group=group, proposal=form.answers(), request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{decision.title} is open for members of {group.name} to say where they stand")
            return redirect("collaborative:decision", decision_id=decision.pk)
    group_href = present.link("group", group.pk)
    return render(
        request,
        "collaborative/decisions/add.jinja",
        {
            "form": form,
            "group": group,
            "session_items": select_items(form["session"]),
            "crumbs": present.crumbs(*([(group.name, group_href)] if group_href else [])),
        },
    )


@login_required
@require_http_methods(["GET"])
def decision_detail(request: AuthenticatedRequest, decision_id: uuid.UUID) -> HttpResponse:
    decision, member = _decision(request, decision_id)
    parts = selectors.parts_of(decision, member)
    mine = next((p for p in parts.participants if member is not None and p.member_id == member.pk), None)
    runs = access.can_run(request.user, decision.group)
    is_open = decision.status == DecisionStatus.OPEN
    action_add = present.link("action_add", decision.group_id)
    return render(
        request,
        "collaborative/decisions/detail.jinja",
        {
            "d": present.decision_page(
                decision,
                parts,
                public=False,
                reader=member,
                opens_group=runs or (member is not None and access.in_group(member, decision.group)),
            ),
            "decision": decision,
            "crumbs": present.crumbs(("Decisions", reverse("collaborative:decisions"))),
            "mine": present.stance_text(mine, open_=is_open) if mine and mine.stance else "",
            "my_comment": mine.comment if mine else "",
            "say_href": reverse("collaborative:decision_say", args=[decision.pk])
            if decisions.may_say(member, decision)
            else "",
            "runs": runs,
            "participants_href": reverse("collaborative:decision_participants", args=[decision.pk])
            if runs and is_open
            else "",
            "record_href": reverse("collaborative:decision_record", args=[decision.pk]) if runs and is_open else "",
            "withdraw_href": reverse("collaborative:decision_withdraw", args=[decision.pk]) if runs and is_open else "",
            "action_add_href": f"{action_add}?decision={decision.pk}"
            if runs and action_add and decision.status != DecisionStatus.WITHDRAWN
            else "",
            "public_href": reverse("collaborative:public_decision", args=[decision.pk])
            if decision.is_public and decision.status == DecisionStatus.DECIDED
            else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_say(request: AuthenticatedRequest, decision_id: uuid.UUID) -> HttpResponse:
    decision, member = _decision(request, decision_id)
    back = reverse("collaborative:decision", args=[decision.pk])
    if decision.status != DecisionStatus.OPEN:
        messages.info(request, f"{decision.title} is closed: {decision.get_status_display().lower()}")
        return redirect(back)
    if not decisions.may_say(member, decision):
        raise access.refuse(
            actor=request.user,
            action=Action.CHANGE,
            what="decision_say",
            obj_id=decision.pk,
            reason="Not a member of the decision's group",
            request=request,
            message=f"Only members of {decision.group.name} can say where they stand on its decisions.",
        )
    options = selectors.options_of(decision)
    mine = decision.participants.filter(member=member).select_related("option").first()
    initial = (
        {"stance": stance_value(mine.stance, mine.option), "comment": mine.comment} if mine and mine.stance else None
    )
    form = SayForm(
        request.POST if request.method == "POST" else None, decision=decision, options=options, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        stance, option, comment = form.say()
        try:
            decisions.decision_say(
                actor=request.user, decision=decision, stance=stance, option=option, comment=comment, request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Thank you. You said where you stand, and the group can see it")
            return redirect(back)
    return render(
        request,
        "collaborative/decisions/say.jinja",
        {
            "form": form,
            "decision": decision,
            "method_help": present.METHOD_HELP[decision.method],
            "changing": bool(mine and mine.stance),
            "back_href": back,
        },
    )


def _decided_on_guess(decision: Decision) -> dt.date:
    """The day of the decision's session if it has happened, else today."""
    today = timezone.localdate()
    if decision.session is not None:
        day = timezone.localtime(decision.session.starts_at).date()
        if day <= today:
            return day
    return today


def _runner_decision(request: AuthenticatedRequest, decision_id: uuid.UUID, what: str) -> Decision:
    decision = selectors.decision(decision_id)
    if decision is None:
        raise Http404("No such decision")
    access.require_run(request.user, decision.group, what=what, request=request)
    return decision


@login_required
@require_http_methods(["GET", "POST"])
def decision_participants(request: AuthenticatedRequest, decision_id: uuid.UUID) -> HttpResponse:
    decision = _runner_decision(request, decision_id, "decision_participants")
    back = reverse("collaborative:decision", args=[decision.pk])
    if decision.status != DecisionStatus.OPEN:
        messages.info(request, "The decision is closed, so who took part can no longer change")
        return redirect(back)
    if request.method == "POST" and request.POST.get("action") == "remove":
        member = next(
            (m for m in selectors.participants_of(decision) if str(m.pk) == request.POST.get("member", "")), None
        )
        if member is None:
            raise Http404("Not taking part")
        try:
            decisions.participant_remove(actor=request.user, decision=decision, member=member, request=request)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{member.known_as} is no longer recorded as taking part")
        return redirect("collaborative:decision_participants", decision_id=decision.pk)
    options = selectors.options_of(decision)
    form = ParticipantForm(
        request.POST if request.method == "POST" else None,
        decision=decision,
        options=options,
        members=selectors.current_members(decision.group.site),
    )
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        try:
            decisions.participant_add(actor=request.user, decision=decision, request=request, **answers)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{answers['member'].known_as} is recorded as taking part")
            return redirect("collaborative:decision_participants", decision_id=decision.pk)
    parts = selectors.parts_of(decision)
    return render(
        request,
        "collaborative/decisions/participants.jinja",
        {
            "form": form,
            "member_items": select_items(form["member"]),
            "decision": decision,
            "method_help": present.METHOD_HELP[decision.method],
            "participants": present.participant_rows(parts, public=False, open_=True),
            "back_href": back,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_record(request: AuthenticatedRequest, decision_id: uuid.UUID) -> HttpResponse:
    decision = _runner_decision(request, decision_id, "decision_record")
    back = reverse("collaborative:decision", args=[decision.pk])
    if decision.status != DecisionStatus.OPEN:
        messages.info(request, f"{decision.title} is already {decision.get_status_display().lower()}")
        return redirect(back)
    options = selectors.options_of(decision)
    form = RecordForm(
        request.POST if request.method == "POST" else None,
        decision=decision,
        options=options,
        initial={
            "version": decision.version,
            "money": decision.money,
            "money_note": decision.money_note,
            "decided_on": _decided_on_guess(decision),
        },
    )
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        attempt = attempt_save(
            form,
            lambda: decisions.decision_record(
                actor=request.user,
                decision=decision,
                outcome=form.outcome(),
                expected_version=form.cleaned_data["version"],
                request=request,
            ),
        )
        conflict = attempt.conflict
        if attempt.saved:
            messages.success(request, f"The result of {decision.title} is recorded")
            return redirect(back)
    parts = selectors.parts_of(decision)
    return render(
        request,
        "collaborative/decisions/record.jinja",
        {
            "form": form,
            "conflict": conflict,
            "decision": decision,
            "d": present.decision_page(decision, parts, public=False, opens_group=True),
            "back_href": back,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_withdraw(request: AuthenticatedRequest, decision_id: uuid.UUID) -> HttpResponse:
    decision = _runner_decision(request, decision_id, "decision_withdraw")
    back = reverse("collaborative:decision", args=[decision.pk])
    if decision.status != DecisionStatus.OPEN:
        messages.info(request, f"{decision.title} is already {decision.get_status_display().lower()}")
        return redirect(back)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            decisions.decision_withdraw(
                actor=request.user, decision=decision, reason=form.cleaned_data["reason"], request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{decision.title} is withdrawn")
            return redirect(back)
    return render(
        request, "collaborative/decisions/withdraw.jinja", {"form": form, "decision": decision, "back_href": back}
    )


# ---- the public decisions log ----------------------------------------------------------------------


def _log_filters(request: HttpRequest, site: Site) -> tuple[LogFilterForm, Group | None, int | None]:
    groups = selectors.log_groups(site)
    years = selectors.log_years(site)
    form = LogFilterForm(request.GET or None, groups=groups, years=years)
    group, year = None, None
    if form.is_valid():
        group = next((g for g in groups if str(g.pk) == form.cleaned_data.get("group")), None)
        year = int(form.cleaned_data["year"]) if form.cleaned_data.get("year") else None
    return form, group, year


@require_http_methods(["GET"])
def decisions_log(request: HttpRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    form, group, year = _log_filters(request, site)
    page, previous, next_ = _page(
        request.GET.get("page"), selectors.public_log(site, group=group, year=year), selectors.LOG_PAGE_SIZE
    )
    query = {"group": str(group.pk) if group else "", "year": str(year) if year else ""}
    csv_query = "&".join(f"{k}={v}" for k, v in query.items() if v)
    return render(
        request,
        "collaborative/decisions/log.jinja",
        {
            "crumbs": present.public_crumbs(),
            "filter": form,
            "group_items": select_items(form["group"]),
            "year_items": select_items(form["year"]),
            "filtered": bool(group or year),
            "totals": present.totals(selectors.log_totals(site, timezone.localdate())),
            "rows": [present.log_row(d) for d in page.object_list],
            "total": page.paginator.count,
            "previous": _with_page(query, previous),
            "next": _with_page(query, next_),
            "csv_href": reverse("collaborative:decisions_log_csv") + (f"?{csv_query}" if csv_query else ""),
        },
    )


@require_http_methods(["GET"])
def decisions_log_csv(request: HttpRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    _form, group, year = _log_filters(request, site)
    response = HttpResponse(
        present.log_csv(selectors.public_log(site, group=group, year=year)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="decisions-log-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


@require_http_methods(["GET"])
def public_decision(request: HttpRequest, decision_id: uuid.UUID) -> HttpResponse:
    decision = selectors.public_decision(access.site_for(request.user), decision_id)
    if decision is None:
        raise Http404("No such decision in the public log")
    parts = selectors.parts_of(decision, public=True)
    return render(
        request,
        "collaborative/decisions/public.jinja",
        {
            "d": present.decision_page(decision, parts, public=True),
            "crumbs": present.public_crumbs(("Decisions log", reverse("collaborative:decisions_log"))),
        },
    )
