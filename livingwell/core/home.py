"""Each role's home page: what that person needs to start their day."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from livingwell.access.selectors import front_door_queue, my_first_conversations, waiting_figures
from livingwell.audit.policy import current_memberships, roles_of
from livingwell.audit.selectors import privacy_overview
from livingwell.collaborative.models import Member
from livingwell.community.connections import follow_ups_due
from livingwell.community.presenters_connections import follow_up_section
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import SUPPORT_ROLES, Role
from livingwell.network.selectors import network_overview
from livingwell.support.selectors import people_i_support, support_figures, support_teams, team_caseload


@dataclass
class HomePage:
    template: str = ""
    context: dict[str, Any] = field(default_factory=dict)
    redirect_to: str | None = None


# When someone holds several roles, the first of these decides their home page.
ROLE_ORDER = (
    Role.TEAM_LEADER,
    Role.HUB_COORDINATOR,
    *sorted(SUPPORT_ROLES - {Role.TEAM_LEADER}),
    Role.SITE_ADMINISTRATOR,
    Role.PRIVACY_OFFICER,
    Role.ANALYST,
    Role.INTRODUCER,
)


def primary_role(roles: frozenset[Role]) -> Role | None:
    return next((role for role in ROLE_ORDER if role in roles), None)


def home_for(request: AuthenticatedRequest) -> HomePage:
    user = request.user
    roles = roles_of(user)
    role = primary_role(roles)
    if role is None:
        if hasattr(user, "person"):
            return HomePage(redirect_to=reverse("people:me"))
        if Member.objects.current().filter(user=user).exists():
            return HomePage(redirect_to=reverse("collaborative:home"))
        return HomePage("core/home_no_role.jinja")
    if role == Role.INTRODUCER:
        return HomePage(redirect_to=reverse("introductions:mine"))
    memberships = current_memberships(user)
    membership = next(m for m in memberships if m.role == role)
    site = membership.site
    context: dict[str, Any] = {
        "role": role,
        "role_label": role.label,
        "membership": membership,
        "other_roles": sorted({m.get_role_display() for m in memberships} - {role.label}),
    }
    if role == Role.TEAM_LEADER and membership.team:
        context["team"] = membership.team
        context["huddle_href"] = reverse("support:huddle", args=[membership.team.pk])
        context["caseload"] = team_caseload(
            user=user, team=membership.team, page=request.GET.get("page", 1), request=request
        )
        context["follow_ups"] = follow_up_section(follow_ups_due(user=user, request=request, whole_team=True))
        return HomePage("core/home_team_leader.jinja", context)
    if role == Role.HUB_COORDINATOR:
        context["queue"], context["queue_total"] = front_door_queue(user=user, request=request)
        context["waiting"] = waiting_figures(site=site)
        return HomePage("core/home_coordinator.jinja", context)
    if role in SUPPORT_ROLES:
        context["people"] = people_i_support(user=user, request=request)
        context["huddles"] = [
            {"text": f"Huddle of {team.name}", "href": reverse("support:huddle", args=[team.pk])}
            for team in support_teams(user)
        ]
        context["first_conversations"] = my_first_conversations(user=user, request=request)
        context["follow_ups"] = follow_up_section(follow_ups_due(user=user, request=request))
        return HomePage("core/home_worker.jinja", context)
    if role == Role.SITE_ADMINISTRATOR:
        context["overview"] = network_overview(site=site)
        return HomePage("core/home_site_admin.jinja", context)
    if role == Role.PRIVACY_OFFICER:
        context["overview"] = privacy_overview()
        return HomePage("core/home_privacy_officer.jinja", context)
    context["support"] = support_figures(site=site)
    context["waiting"] = waiting_figures(site=site)
    return HomePage("core/home_analyst.jinja", context)
