"""The site administrator's pages: organisations, teams, localities, staff and local settings.

Every page needs a current site administrator role and works on the sites that role is for.
Anyone else is refused, and the refusal is written to the audit trail.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from livingwell.audit import services as audit
from livingwell.audit.models import Action
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.network import forms, presenters, selectors, services
from livingwell.network.selectors import Administration

SITE_SESSION_KEY = "lw_network_site"
STAFF_PER_PAGE = 50

AdminView = Callable[..., HttpResponse]


def _action(request: HttpRequest) -> Action:
    return Action.VIEW if request.method in ("GET", "HEAD") else Action.NETWORK_CHANGE


def site_administrator_required(view: AdminView) -> Callable[..., HttpResponse]:
    """Call `view(request, admin, ...)` for a site administrator; refuse (and audit) anyone else."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        admin = selectors.administration(user=request.user, site_id=request.session.get(SITE_SESSION_KEY))
        if admin is None:
            raise audit.refuse(
                actor=request.user,
                action=_action(request),
                reason="Network pages are for site administrators",
                request=request,
                message="Only site administrators can manage the network.",
            )
        return view(request, admin, *args, **kwargs)

    return login_required(wrapped)


def _find[T](request: HttpRequest, find: Callable[..., T], **lookup: Any) -> T:
    """The thing asked for: 404 if there is no such thing, refused if it is another site's."""
    try:
        return find(**lookup)
    except ObjectDoesNotExist:
        raise Http404("Not found") from None
    except selectors.OutsideYourSites:
        raise audit.refuse(
            actor=request.user,
            action=_action(request),
            reason="Belongs to a site the user does not administer",
            request=request,
            message="This is part of another site's network. You can only manage the sites you administer.",
        ) from None


def _posted(request: HttpRequest) -> QueryDict | None:
    """The submitted answers on a POST (even if there are none), so that the form is bound."""
    return request.POST if request.method == "POST" else None


def _saved(form: BaseForm, change: Callable[[], object]) -> bool:
    """Run a service; on a rule failure show its message by the field and return False."""
    try:
        change()
    except DomainError as error:
        add_domain_error(form, error)
        return False
    return True


# Overview and site settings ------------------------------------------------------------------


@site_administrator_required
@require_GET
def index(request: HttpRequest, admin: Administration) -> HttpResponse:
    site_form = (
        forms.SiteChoiceForm(sites=admin.sites, initial={"site": str(admin.site.pk)}) if len(admin.sites) > 1 else None
    )
    return render(
        request,
        "network/index.jinja",
        {"overview": selectors.network_overview(site=admin.site), "site_form": site_form},
    )


@site_administrator_required
@require_POST
def choose_site(request: HttpRequest, admin: Administration) -> HttpResponse:
    form = forms.SiteChoiceForm(request.POST, sites=admin.sites)
    if form.is_valid():
        request.session[SITE_SESSION_KEY] = form.cleaned_data["site"]
        chosen = next(s for s in admin.sites if str(s.pk) == form.cleaned_data["site"])
        messages.success(request, f"You are now managing the {chosen.name} network")
    return redirect("network:index")


@site_administrator_required
@require_http_methods(["GET", "POST"])
def site_settings(request: HttpRequest, admin: Administration) -> HttpResponse:
    site = admin.site
    form = forms.SiteSettingsForm(
        _posted(request),
        initial={
            "target_days_to_first_conversation": site.target_days_to_first_conversation,
            "weeks_before_not_seen_flag": site.weeks_before_not_seen_flag,
            "weeks_between_plan_reviews": site.weeks_between_plan_reviews,
            "months_to_come_back": site.months_to_come_back,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            lambda: services.site_settings_update(actor=admin.user, site=site, request=request, **form.cleaned_data),
        )
    ):
        messages.success(request, "Local settings saved")
        return redirect("network:index")
    return render(
        request,
        "network/form.jinja",
        {
            "form": form,
            "site": site,
            "title": "Local settings",
            "lede": "These settings are for this site only. Each site sets its own.",
            "button_text": "Save settings",
            "back_href": reverse("network:index"),
        },
    )


# Organisations -------------------------------------------------------------------------------


@site_administrator_required
@require_GET
def organisations(request: HttpRequest, admin: Administration) -> HttpResponse:
    rows = presenters.organisation_rows(selectors.organisations(site=admin.site))
    return render(
        request,
        "network/organisations.jinja",
        {"site": admin.site, "rows": rows, "back_href": reverse("network:index")},
    )


@site_administrator_required
@require_http_methods(["GET", "POST"])
def organisation_add(request: HttpRequest, admin: Administration) -> HttpResponse:
    form = forms.OrganisationForm(_posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            lambda: services.organisation_create(
                actor=admin.user, site=admin.site, request=request, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, f"{form.cleaned_data['name'].strip()} added")
        return redirect("network:organisations")
    return render(
        request,
        "network/form.jinja",
        {
            "form": form,
            "site": admin.site,
            "title": "Add a partner organisation",
            "button_text": "Add organisation",
            "back_href": reverse("network:organisations"),
        },
    )


@site_administrator_required
@require_http_methods(["GET", "POST"])
def organisation_change(request: HttpRequest, admin: Administration, organisation_id: uuid.UUID) -> HttpResponse:
    organisation = _find(request, selectors.organisation_for, admin=admin, organisation_id=organisation_id)
    form = forms.OrganisationChangeForm(
        _posted(request),
        initial={
            "name": organisation.name,
            "sector": organisation.sector,
            "ods_code": organisation.ods_code,
            "website": organisation.website,
            "is_active": organisation.is_active,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            lambda: services.organisation_update(
                actor=admin.user, organisation=organisation, request=request, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, f"{organisation.name} saved")
        return redirect("network:organisations")
    return render(
        request,
        "network/form.jinja",
        {
            "form": form,
            "site": organisation.site,
            "title": f"Change {organisation.name}",
            "button_text": "Save",
            "back_href": reverse("network:organisations"),
        },
    )


# Teams ---------------------------------------------------------------------------------------


@site_administrator_required
@require_GET
def teams(request: HttpRequest, admin: Administration) -> HttpResponse:
    rows = presenters.team_rows(selectors.teams(site=admin.site))
    return render(
        request, "network/teams.jinja", {"site": admin.site, "rows": rows, "back_href": reverse("network:index")}
    )


@site_administrator_required
@require_http_methods(["GET", "POST"])
def team_add(request: HttpRequest, admin: Administration) -> HttpResponse:
    form = forms.TeamForm(_posted(request), site=admin.site)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            lambda: services.team_create(actor=admin.user, site=admin.site, request=request, **form.cleaned_data),
        )
    ):
        messages.success(request, f"{form.cleaned_data['name'].strip()} added")
        return redirect("network:teams")
    return render(
        request,
        "network/form.jinja",
        {
            "form": form,
            "site": admin.site,
            "title": "Add a team",
            "button_text": "Add team",
            "back_href": reverse("network:teams"),
        },
    )


@site_administrator_required
@require_http_methods(["GET", "POST"])
def team_change(request: HttpRequest, admin: Administration, team_id: uuid.UUID) -> HttpResponse:
    team = _find(request, selectors.team_for, admin=admin, team_id=team_id)
    form = forms.TeamChangeForm(
        _posted(request),
        site=team.site,
        initial={
            "name": team.name,
            "locality": team.locality_id,
            "description": team.description,
            "is_active": team.is_active,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            lambda: services.team_update(actor=admin.user, team=team, request=request, **form.cleaned_data),
        )
    ):
        messages.success(request, f"{team.name} saved")
        return redirect("network:teams")
    return render(
        request,
        "network/team_change.jinja",
        {
            "form": form,
            "site": team.site,
            "team": team,
            "title": f"Change {team.name}",
            "button_text": "Save",
            "members": presenters.member_rows(selectors.team_members(team=team)),
            "back_href": reverse("network:teams"),
        },
    )


# Localities ----------------------------------------------------------------------------------


@site_administrator_required
@require_GET
def localities(request: HttpRequest, admin: Administration) -> HttpResponse:
    rows = presenters.locality_rows(selectors.localities(site=admin.site))
    return render(
        request, "network/localities.jinja", {"site": admin.site, "rows": rows, "back_href": reverse("network:index")}
    )


@site_administrator_required
@require_http_methods(["GET", "POST"])
def locality_add(request: HttpRequest, admin: Administration) -> HttpResponse:
    form = forms.LocalityForm(_posted(request))
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            lambda: services.locality_create(
                actor=admin.user,
                site=admin.site,
                name=form.cleaned_data["name"],
                postcode_areas=form.cleaned_data["postcode_areas"],
                request=request,
            ),
        )
    ):
        messages.success(request, f"{form.cleaned_data['name'].strip()} added")
        return redirect("network:localities")
    return render(
        request,
        "network/form.jinja",
        {
            "form": form,
            "site": admin.site,
            "title": "Add a locality",
            "button_text": "Add locality",
            "back_href": reverse("network:localities"),
        },
    )


@site_administrator_required
@require_http_methods(["GET", "POST"])
def locality_change(request: HttpRequest, admin: Administration, locality_id: uuid.UUID) -> HttpResponse:
    locality = _find(request, selectors.locality_for, admin=admin, locality_id=locality_id)
    form = forms.LocalityForm(
        _posted(request), initial={"name": locality.name, "postcode_areas": "\n".join(locality.postcode_areas or [])}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            lambda: services.locality_update(
                actor=admin.user,
                locality=locality,
                name=form.cleaned_data["name"],
                postcode_areas=form.cleaned_data["postcode_areas"],
                request=request,
            ),
        )
    ):
        messages.success(request, f"{locality.name} saved")
        return redirect("network:localities")
    return render(
        request,
        "network/form.jinja",
        {
            "form": form,
            "site": locality.site,
            "title": f"Change {locality.name}",
            "button_text": "Save",
            "back_href": reverse("network:localities"),
        },
    )


# Staff ---------------------------------------------------------------------------------------


def _page_href(query: QueryDict, page: int) -> str:
    params = query.copy()
    params["page"] = str(page)
    return f"?{params.urlencode()}"


@site_administrator_required
@require_GET
def staff(request: HttpRequest, admin: Administration) -> HttpResponse:
    form = forms.StaffFilterForm(request.GET or None, site=admin.site)
    role, team = "", None
    if form.is_valid():
        role, team = form.cleaned_data["role"], form.cleaned_data["team"]
    page = Paginator(selectors.staff(site=admin.site, role=role, team=team), STAFF_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "network/staff.jinja",
        {
            "form": form,
            "site": admin.site,
            "page": page,
            "rows": presenters.staff_rows(page.object_list),
            "filtered": bool(role or team),
            "previous_href": _page_href(request.GET, page.previous_page_number()) if page.has_previous() else None,
            "next_href": _page_href(request.GET, page.next_page_number()) if page.has_next() else None,
            "back_href": reverse("network:index"),
        },
    )


@site_administrator_required
@require_http_methods(["GET", "POST"])
def staff_add(request: HttpRequest, admin: Administration) -> HttpResponse:
    form = forms.StaffForm(_posted(request), site=admin.site, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            added = services.staff_add(actor=admin.user, site=admin.site, request=request, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            role = added.membership.get_role_display()
            if added.needs_invitation:
                messages.success(request, f"{added.user.name} added as {role}")
                return redirect("network:invitation", membership_id=added.membership.pk)
            messages.success(request, f"{role} role added to the account of {added.user.name}")
            return redirect("network:staff")
    return render(
        request,
        "network/form.jinja",
        {
            "form": form,
            "site": admin.site,
            "title": "Add a member of staff",
            "button_text": "Add member of staff",
            "back_href": reverse("network:staff"),
        },
    )


@never_cache  # the page holds a link that sets someone's password
@site_administrator_required
@require_GET
def invitation(request: HttpRequest, admin: Administration, membership_id: uuid.UUID) -> HttpResponse:
    membership = _find(request, selectors.membership_for, admin=admin, membership_id=membership_id)
    context: dict[str, Any] = {"membership": membership, "back_href": reverse("network:staff")}
    try:
        made = services.invitation_create(actor=admin.user, membership=membership, request=request)
    except DomainError as error:
        context["problem"] = error.message
    else:
        context["link"] = request.build_absolute_uri(made.path)
        context["valid_for_days"] = max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60))
    return render(request, "network/invitation.jinja", context)


@site_administrator_required
@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, admin: Administration, membership_id: uuid.UUID) -> HttpResponse:
    membership = _find(request, selectors.membership_for, admin=admin, membership_id=membership_id)
    form = forms.EndMembershipForm(_posted(request), initial={"ended_on": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            form,
            lambda: services.membership_end(
                actor=admin.user, membership=membership, ended_on=form.cleaned_data["ended_on"], request=request
            ),
        )
    ):
        messages.success(
            request,
            f"{membership.user.name} no longer has the role {membership.get_role_display()}"
            f" at {membership.organisation.name}",
        )
        return redirect("network:staff")
    return render(
        request,
        "network/membership_end.jinja",
        {"form": form, "membership": membership, "site": membership.site, "back_href": reverse("network:staff")},
    )
