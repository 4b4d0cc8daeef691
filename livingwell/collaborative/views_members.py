"""The member's home, the list of members, a member's page, your own membership and leaving, and the
stewards' requests to join.

Access: the home and "my membership" need a current member (anyone else is sent to "How to join");
the list of members and a member's page need a member or a steward (else a recorded refusal); requests
to join need a steward (`access.require_steward`, recorded). Reads of a member's page are audited."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from livingwell.audit.models import Action
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import Site

from . import access, members
from . import presenters_members as show
from . import selectors_members as selectors
from .forms_members import DeclineForm, ProfileForm, chosen_perspective
from .models import JoinRequestStatus, Member
from .presenters import crumbs, perspectives_text


def _member_or_join(request: AuthenticatedRequest, site: Site) -> Member | None:
    member = access.member_of(request.user, site)
    if member is None:
        messages.info(
            request,
            "The Collaborative's workspace is for its members. Anyone can join: tell us a little about yourself below.",
        )
    return member


@login_required
@require_http_methods(["GET"])
def home(request: AuthenticatedRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    member = _member_or_join(request, site)
    if member is None:
        return redirect("collaborative:how_to_join")
    steward = access.is_steward(request.user, site)
    page = selectors.home(member, steward=steward)
    return render(
        request,
        "collaborative/members/home.jinja",
        {
            "site": site,
            "member": member,
            "perspectives": perspectives_text(member),
            "places": [show.place_row(p) for p in page.places],
            "sessions": [show.session_row(s) for s in page.sessions],
            "actions": [show.action_row(a, page.today) for a in page.actions],
            "overdue": sum(1 for a in page.actions if a.due_on < page.today),
            "decisions": [show.decision_row(d) for d in page.decisions],
            "reflection": show.reflection_row(page.reflection) if page.reflection else None,
            "fund": show.fund_row(page.fund_round) if page.fund_round else None,
            "waiting_text": show.waiting_text(page.waiting_requests),
            "steward": steward,
            "links": show.workspace_links(),
            "days": selectors.UPCOMING_DAYS,
        },
    )


def _require_viewer(request: AuthenticatedRequest, site: Site, what: str) -> selectors.Viewer:
    who = selectors.viewer(request.user, site)
    if not who.may_see_members:
        access.require_member(request.user, site, what=what, request=request)  # records and raises the refusal
    return who


@login_required
@require_http_methods(["GET"])
def members_list(request: AuthenticatedRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    who = _require_viewer(request, site, "members")
    perspective = chosen_perspective(request.GET.get("perspective"))
    listed = selectors.listed_members(site, perspective=perspective)
    mix = selectors.collaborative_mix(site)
    with transaction.atomic():
        access.record(
            actor=request.user,
            action=Action.LIST,
            what="members",
            extra={"shown": len(listed), "perspective": perspective.value if perspective else ""},
            request=request,
        )
    return render(
        request,
        "collaborative/members/members.jinja",
        {
            "site": site,
            "rows": [show.member_row(m) for m in listed],
            "mix_summary": show.mix_summary(mix),
            "mix_rows": show.mix_rows(mix),
            "sector_rows": mix.sector_rows(),
            "unlisted": mix.total - len(listed) if perspective is None else None,
            "filter_items": show.perspective_filter_items(perspective),
            "perspective": perspective.label if perspective else "",
            "me_href": reverse("collaborative:member", args=[who.member.pk]) if who.member else "",
            "crumbs": crumbs(),
        },
    )


@login_required
@require_http_methods(["GET"])
def member_page(request: AuthenticatedRequest, member_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    who = _require_viewer(request, site, "member")
    member = selectors.member_visible_to(site, member_id, who)
    if member is None:
        raise Http404("No such member")
    details = selectors.member_details(member)
    own = who.member is not None and who.member.pk == member.pk
    with transaction.atomic():
        access.record(actor=request.user, action=Action.VIEW, what="member", obj_id=member.pk, request=request)
    return render(
        request,
        "collaborative/members/member.jinja",
        {
            "member": member,
            "perspectives": perspectives_text(member),
            "history": [show.history_row(p) for p in details.places],
            "attended": details.sessions_attended,
            "joined_on": member.joined_on,
            "own": own,
            "show_access_needs": (own or who.steward) and bool(member.access_needs),
            "crumbs": crumbs(("Members", reverse("collaborative:members"))),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_membership(request: AuthenticatedRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    member = _member_or_join(request, site)
    if member is None:
        return redirect("collaborative:how_to_join")
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=ProfileForm.initial_from(member))
    if request.method == "POST" and form.is_valid():
        try:
            member = members.member_change(
                actor=request.user, member_id=member.pk, profile=form.profile(), request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Your membership has been saved")
            return redirect("collaborative:my_membership")
    return render(
        request,
        "collaborative/members/my_membership.jinja",
        {
            "form": form,
            "member": member,
            "member_href": reverse("collaborative:member", args=[member.pk]),
            "crumbs": crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: AuthenticatedRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    member = _member_or_join(request, site)
    if member is None:
        return redirect("collaborative:how_to_join")
    if request.method == "POST":
        try:
            members.member_leave(actor=request.user, member_id=member.pk, request=request)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("collaborative:my_membership")
        messages.success(
            request,
            "You have left the Collaborative. Thank you for everything you brought. You can join again at any time.",
        )
        return redirect("collaborative:about")
    places = selectors.leaving_places(member)
    actions = selectors.my_open_actions(member)
    return render(
        request,
        "collaborative/members/leave.jinja",
        {
            "places": [show.place_row(p) for p in places],
            "lead_places": [show.place_row(p) for p in places if p.role != "member"],
            "open_actions": len(actions),
            "crumbs": crumbs(("My membership", reverse("collaborative:my_membership"))),
        },
    )


@login_required
@require_http_methods(["GET"])
def join_requests(request: AuthenticatedRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    access.require_steward(request.user, site, what="join_requests", request=request)
    return render(
        request,
        "collaborative/members/join_requests.jinja",
        {
            "site": site,
            "waiting": [show.request_row(r) for r in selectors.waiting_requests(site)],
            "handled": [show.request_row(r) for r in selectors.recently_handled_requests(site)],
            "crumbs": crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def join_request(request: AuthenticatedRequest, request_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    access.require_steward(request.user, site, what="join_request", request=request)
    asked = selectors.join_request(site, request_id)
    if asked is None:
        raise Http404("No such request to join")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    decline_form = DeclineForm(request.POST if action == "decline" else None)
    if action == "welcome":
        try:
            member = members.join_request_welcome(
                actor=request.user,
                site=site,
                request_id=asked.pk,
                link_for=request.build_absolute_uri,
                request=request,
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("collaborative:join_request", request_id=asked.pk)
        messages.success(request, f"{member.known_as} is now a member. We have emailed them a welcome.")
        return redirect("collaborative:join_requests")
    if action == "decline" and decline_form.is_valid():
        try:
            members.join_request_decline(
                actor=request.user,
                site=site,
                request_id=asked.pk,
                note=decline_form.cleaned_data["note"],
                request=request,
            )
        except DomainError as error:
            add_domain_error(decline_form, error)
        else:
            messages.success(request, f"We have emailed {asked.known_as} to say their request is not going ahead")
            return redirect("collaborative:join_requests")
    if request.method == "GET":
        with transaction.atomic():
            access.record(actor=request.user, action=Action.VIEW, what="join_request", obj_id=asked.pk, request=request)
    return render(
        request,
        "collaborative/members/join_request.jinja",
        {
            "asked": asked,
            "row": show.request_row(asked),
            "waiting": asked.status == JoinRequestStatus.NEW,
            "form": decline_form,
            "member_href": reverse("collaborative:member", args=[asked.member_id]) if asked.member_id else "",
            "crumbs": crumbs(("Requests to join", reverse("collaborative:join_requests"))),
        },
    )
