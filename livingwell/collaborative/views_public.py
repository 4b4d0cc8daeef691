"""The Collaborative's public pages: what it is, and how to join (anyone, signed in or not).

Only what is public is read here (`selectors_members.public_overview`): open events, decisions in the
public log, the groups and their purpose, and the mix of members as counts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error

from . import access, members
from . import presenters_members as show
from . import selectors_members as selectors
from .forms_members import JoinRequestForm, ProfileForm
from .presenters import public_crumbs
from .selectors_reflection import latest_closed_round_summary


@require_http_methods(["GET"])
def about(request: HttpRequest) -> HttpResponse:
    site = access.site_for(request.user)
    if site is None:
        return render(request, "collaborative/public/not_set_up.jinja", {}, status=404)
    overview = selectors.public_overview(site)
    member = access.member_of(request.user, site)
    return render(
        request,
        "collaborative/public/about.jinja",
        {
            "site": site,
            "groups": [show.public_group_row(g) for g in overview.groups],
            "kinds": show.kinds_explained(),
            "events": [show.event_row(s) for s in overview.events],
            "decisions": [show.public_decision_row(d) for d in overview.decisions],
            "mix_summary": show.mix_summary(overview.mix),
            "mix_rows": show.mix_rows(overview.mix),
            "is_member": member is not None,
            "reflection_summary": latest_closed_round_summary(site),
        },
    )


@require_http_methods(["GET", "POST"])
def how_to_join(request: HttpRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    user = request.user
    crumbs = public_crumbs()
    if not user.is_authenticated:
        request_form = JoinRequestForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and request_form.is_valid():
            try:
                outcome = members.join_request_add(site=site, answers=request_form.answers(), request=request)
            except DomainError as error:
                add_domain_error(request_form, error)
            else:
                if not outcome.created:
                    messages.info(
                        request,
                        "We already have a request to join from this email address, waiting for a welcome. "
                        "We have not made another one: we will be in touch soon.",
                    )
                return redirect("collaborative:join_request_sent")
        return render(
            request,
            "collaborative/public/join.jinja",
            {
                "site": site,
                "form": request_form,
                "signed_in": False,
                "sign_in_href": f"{reverse('accounts:sign_in')}?next={reverse('collaborative:how_to_join')}",
                "crumbs": crumbs,
            },
        )
    if access.member_of(user, site) is not None:
        messages.info(request, "You are already a member of the Collaborative")
        return redirect("collaborative:home")
    past = selectors.past_membership(user, site)
    # Never the sign-in's own name: the name here is the member's to choose (separate identity).
    initial = ProfileForm.initial_from(past) if past is not None else None
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            member = members.member_join(actor=user, site=site, profile=form.profile(), request=request)  # type: ignore[arg-type]
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Welcome to the Collaborative, {member.known_as}")
            return redirect("collaborative:home")
    return render(
        request,
        "collaborative/public/join.jinja",
        {
            "site": site,
            "form": form,
            "signed_in": True,
            "coming_back": past is not None,
            "steward": access.is_steward(user, site),
            "crumbs": crumbs,
        },
    )


@require_http_methods(["GET"])
def join_request_sent(request: HttpRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    return render(
        request,
        "collaborative/public/join_request_sent.jinja",
        {"site": site, "crumbs": public_crumbs(("How to join", reverse("collaborative:how_to_join")))},
    )
