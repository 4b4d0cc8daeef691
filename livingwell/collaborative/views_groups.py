"""The groups pages: the site's groups, a group's page, starting and changing groups, joining and
leaving, roles over time, and "who holds which role" with the resilience checks.

Members of the Collaborative (and its stewards, who may be site administrators without a membership)
read them; anyone else is refused with a recorded 403. Writes go through `groups`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from livingwell.collaborative import access, groups, resilience
from livingwell.collaborative import presenters_groups as present
from livingwell.collaborative import selectors_groups as select
from livingwell.collaborative.forms_groups import EndForm, GroupForm, RoleForm
from livingwell.collaborative.mix import mix_of
from livingwell.collaborative.models import LEAD_ROLES, Group, Member
from livingwell.collaborative.presenters import crumbs
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import Site


def _reader(request: AuthenticatedRequest, site: Site, what: str) -> Member | None:
    """The member reading (None for a steward who is not a member), or a recorded refusal."""
    if access.is_steward(request.user, site):
        return access.member_of(request.user, site)
    return access.require_member(request.user, site, what=what, request=request)


def _group(site: Site, group_id: Any) -> Group:
    group = select.group_in(site, group_id)
    if group is None:
        raise Http404("No such group")
    return group


def _group_crumbs(group: Group) -> list[dict[str, Any]]:
    return crumbs(
        ("Groups", reverse("collaborative:groups")), (group.name, reverse("collaborative:group", args=[group.pk]))
    )


@login_required
@require_http_methods(["GET"])
def group_list(request: AuthenticatedRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    me = _reader(request, site, "groups")
    all_groups = select.site_groups(site)
    ended = [present.group_card(g, me) for g in all_groups if g.ended_on is not None]
    return render(
        request,
        "collaborative/groups/list.jinja",
        {
            "sections": present.groups_by_kind(all_groups, me),
            "ended": ended,
            "add_href": reverse("collaborative:group_add") if access.is_steward(request.user, site) else "",
            "who_holds_href": reverse("collaborative:who_holds"),
            "crumbs": crumbs(),
        },
    )


@login_required
@require_http_methods(["GET"])
def group_detail(request: AuthenticatedRequest, group_id: Any) -> HttpResponse:
    site = access.site_or_404(request.user)
    me = _reader(request, site, "group")
    group = _group(site, group_id)
    today = timezone.localdate()
    rows: list[Any] = group.current_rows  # type: ignore[attr-defined]
    members = [r.member for r in rows]
    mix = mix_of(members)
    runs = access.can_run(request.user, group)
    mine = next((r for r in rows if me is not None and r.member_id == me.pk), None)
    concerns: list[dict[str, Any]] = []
    if group.ended_on is None:
        facts = select.group_facts([group], today)[0]
        counts = select.lead_counts(site, [s.person.id for s in facts.lead_seats])
        concerns = [
            present.concern_item(c, with_group_link=False)
            for c in resilience.concerns_for_group(facts, today, lead_counts=counts)
        ]
    gid = group.pk
    links = {
        "sessions": present.link("sessions", query=f"group={gid}"),
        "decisions": present.link("decisions", query=f"group={gid}"),
        "prototypes": present.link("prototypes", query=f"group={gid}"),
        "stories": present.link("stories", query=f"group={gid}"),
        "actions": present.link("actions", query=f"group={gid}"),
    }
    add_links = (
        {
            "session_add": present.link("session_add", gid),
            "decision_add": present.link("decision_add", gid),
            "prototype_add": present.link("prototype_add", gid),
            "story_add": present.link("story_add", gid),
            "action_add": present.link("action_add", gid),
        }
        if runs and group.ended_on is None
        else {}
    )
    if me is None:
        # A site administrator who is not a member runs groups but has no sessions, actions or stories
        # of their own to list, and gathers no stories.
        links.update(sessions="", actions="", stories="")
        add_links.pop("story_add", None)
    open_group = group.ended_on is None
    return render(
        request,
        "collaborative/groups/detail.jinja",
        {
            "group": group,
            "kind_sentence": present.KIND_SENTENCES.get(group.kind, ""),
            "locality": group.locality.name if group.locality else "",
            "ended": present.date(group.ended_on) if group.ended_on else "",
            "started": present.date(group.started_on),
            "members": present.member_rows(rows, today),
            "size": present.people_text(len(rows)),
            "size_note": present.size_note(group, len(rows)) if open_group else "",
            "mix": present.mix_rows(mix),
            "lived_share": mix.lived_experience_text,
            "concerns": concerns,
            "links": links,
            "add_links": add_links,
            "mine": present.role_label(mine.role).lower() if mine else "",
            "join_href": reverse("collaborative:group_join", args=[gid]) if open_group and me and not mine else "",
            "can_join": group.anyone_can_join,
            "leave_href": reverse("collaborative:group_leave", args=[gid]) if mine else "",
            "roles_href": reverse("collaborative:group_roles", args=[gid]) if runs else "",
            "change_href": reverse("collaborative:group_change", args=[gid])
            if access.is_steward(request.user, site)
            else "",
            "crumbs": crumbs(("Groups", reverse("collaborative:groups"))),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_add(request: AuthenticatedRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    access.require_steward(request.user, site, what="group", request=request)
    form = GroupForm(
        request.POST if request.method == "POST" else None,
        localities=select.localities(site),
        members=select.current_members(site),
        starting=True,
        initial={"anyone_can_join": True, "started_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = groups.group_start(
                actor=request.user,
                site=site,
                answers=form.answers(),
                chair=form.chair_member(),
                co_chair=form.co_chair_member(),
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{group.name} started")
            return redirect("collaborative:group", group_id=group.pk)
    return render(
        request,
        "collaborative/groups/form.jinja",
        {
            "form": form,
            "title": "Start a group",
            "intro": "Say what the group is for, and who will chair it. You can add members once it has started.",
            "button": "Start the group",
            "crumbs": crumbs(("Groups", reverse("collaborative:groups"))),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_change(request: AuthenticatedRequest, group_id: Any) -> HttpResponse:
    site = access.site_or_404(request.user)
    access.require_steward(request.user, site, what="group", request=request)
    group = _group(site, group_id)
    form = GroupForm(
        request.POST if request.method == "POST" else None,
        localities=select.localities(site),
        starting=False,
        initial={
            "kind": group.kind,
            "name": group.name,
            "purpose": group.purpose,
            "locality": str(group.locality_id) if group.locality_id else "",
            "anyone_can_join": group.anyone_can_join,
            "started_on": group.started_on,
            "ended_on": group.ended_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = groups.group_change(
                actor=request.user,
                group=group,
                answers=form.answers(),
                ended_on=form.cleaned_data.get("ended_on"),
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{group.name} ended" if group.ended_on else f"{group.name} saved")
            return redirect("collaborative:group", group_id=group.pk)
    return render(
        request,
        "collaborative/groups/form.jinja",
        {
            "form": form,
            "title": f"Change {group.name}",
            "intro": "",
            "button": "Save changes",
            "crumbs": _group_crumbs(group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_join(request: AuthenticatedRequest, group_id: Any) -> HttpResponse:
    site = access.site_or_404(request.user)
    me = access.require_member(request.user, site, what="group_membership", request=request)
    group = _group(site, group_id)
    if request.method == "GET" and any(r.member_id == me.pk for r in group.current_rows):  # type: ignore[attr-defined]
        messages.info(request, f"You are already in {group.name}")
        return redirect("collaborative:group", group_id=group.pk)
    if request.method == "POST":
        try:
            groups.group_join(actor=request.user, group=group, request=request)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"You have joined {group.name}")
        return redirect("collaborative:group", group_id=group.pk)
    leads = present.leads_text(group.current_rows)  # type: ignore[attr-defined]
    return render(
        request,
        "collaborative/groups/join.jinja",
        {
            "group": group,
            "open": group.ended_on is None,
            "can_join": group.anyone_can_join,
            "leads": leads,
            "group_href": reverse("collaborative:group", args=[group.pk]),
            "crumbs": _group_crumbs(group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_leave(request: AuthenticatedRequest, group_id: Any) -> HttpResponse:
    site = access.site_or_404(request.user)
    me = access.require_member(request.user, site, what="group_membership", request=request)
    group = _group(site, group_id)
    rows: list[Any] = group.current_rows  # type: ignore[attr-defined]
    mine = next((r for r in rows if r.member_id == me.pk), None)
    if mine is None:
        messages.info(request, f"You are not in {group.name}")
        return redirect("collaborative:group", group_id=group.pk)
    error_message = ""
    if request.method == "POST":
        try:
            groups.group_leave(actor=request.user, group=group, request=request)
        except DomainError as error:
            error_message = error.message
        else:
            messages.success(request, f"You have left {group.name}")
            return redirect("collaborative:groups")
    last_lead = mine.role in LEAD_ROLES and not any(r.role in LEAD_ROLES and r.pk != mine.pk for r in rows)
    return render(
        request,
        "collaborative/groups/leave.jinja",
        {
            "group": group,
            "role": present.role_label(mine.role).lower(),
            "error_message": error_message,
            "last_lead": last_lead,
            "roles_href": reverse("collaborative:group_roles", args=[group.pk])
            if access.can_run(request.user, group)
            else "",
            "group_href": reverse("collaborative:group", args=[group.pk]),
            "crumbs": _group_crumbs(group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_roles(request: AuthenticatedRequest, group_id: Any) -> HttpResponse:
    site = access.site_or_404(request.user)
    group = _group(site, group_id)
    access.require_run(request.user, group, what="group_membership", request=request)
    today = timezone.localdate()
    rows: list[Any] = group.current_rows  # type: ignore[attr-defined]
    roles_now = {str(r.member_id): present.role_label(r.role) for r in rows}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    role_form = RoleForm(
        request.POST if action == "give" else None, members=select.current_members(site), roles_now=roles_now
    )
    end_form = EndForm(request.POST if action == "end" else None)
    if action == "give" and role_form.is_valid():
        try:
            row = groups.role_give(
                actor=request.user,
                group=group,
                member=role_form.chosen(),
                role=role_form.cleaned_data["role"],
                request=request,
            )
        except DomainError as error:
            add_domain_error(role_form, error)
        else:
            messages.success(
                request, f"{row.member.known_as} is now {present.role_label(row.role).lower()} of {group.name}"
            )
            return redirect("collaborative:group_roles", group_id=group.pk)
    elif action == "end" and end_form.is_valid():
        membership = select.membership_in(group, end_form.cleaned_data["membership"])
        if membership is None:
            raise Http404("No such membership")
        try:
            groups.membership_end(actor=request.user, membership=membership, request=request)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{membership.member.known_as} is no longer in {group.name}")
        return redirect("collaborative:group_roles", group_id=group.pk)
    elif request.method == "POST" and action not in ("give", "end"):
        role_form.add_error(None, "Choose whether to give a role or end a membership")
    confirm = None
    end_id = request.GET.get("end", "")
    if end_id:
        confirm = next((r for r in rows if str(r.pk) == end_id), None)
    current = [
        {**row, "end_href": f"{reverse('collaborative:group_roles', args=[group.pk])}?end={r.pk}#end"}
        for row, r in zip(present.member_rows(rows, today), select.sorted_rows(rows), strict=True)
    ]
    return render(
        request,
        "collaborative/groups/roles.jinja",
        {
            "group": group,
            "form": role_form,
            "current": current,
            "history": present.history_rows(select.history(group), today),
            "confirm": {
                "id": str(confirm.pk),
                "name": confirm.member.known_as,
                "role": present.role_label(confirm.role).lower(),
            }
            if confirm
            else None,
            "open": group.ended_on is None,
            "group_href": reverse("collaborative:group", args=[group.pk]),
            "crumbs": _group_crumbs(group),
        },
    )


@login_required
@require_http_methods(["GET"])
def who_holds(request: AuthenticatedRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    _reader(request, site, "roles")
    today = timezone.localdate()
    current = select.current_groups(site)
    facts = select.group_facts(current, today)
    found = resilience.concerns(facts, today)
    left, ended = select.moved_on(site, today)
    return render(
        request,
        "collaborative/groups/who_holds.jinja",
        {
            "leads": present.lead_rows(facts, today),
            "sections": present.concern_sections(found),
            "concern_count": sum(len(items) for items in found.values()),
            "left": present.left_rows(left),
            "ended": present.ended_lead_rows(ended),
            "limits": {
                "tenure_years": resilience.LONG_TENURE_MONTHS // 12,
                "many": resilience.MANY_LEAD_ROLES,
                "quiet": resilience.QUIET_MONTHS,
                "hosting": resilience.HOSTING_MONTHS,
                "moved_on": resilience.MOVED_ON_MONTHS,
                "min_leads": resilience.MIN_LEADS,
                "actions_min": resilience.ACTIONS_MIN_OPEN,
                "hosting_min": resilience.HOSTING_MIN_SESSIONS,
            },
            "groups_href": reverse("collaborative:groups"),
            "crumbs": crumbs(("Groups", reverse("collaborative:groups"))),
        },
    )
