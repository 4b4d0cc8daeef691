"""The header of every page: the service name, account links and the menu for the user's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from livingwell.audit.policy import current_memberships, roles_of
from livingwell.network.models import SUPPORT_ROLES, Role


def menu_items(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not user.is_authenticated:
        return []
    roles = roles_of(user)
    items: list[tuple[str, str]] = [("Home", reverse("core:home"))]
    if hasattr(user, "person"):  # their own record, also for a member of staff who has one
        items.append(("Your record", reverse("people:me")))
        if not roles:
            items.append(("Who has looked at your record", reverse("people:my_access_log")))
    if Role.HUB_COORDINATOR in roles:
        items.append(("Front door", reverse("front_door:queue")))
    if roles & (SUPPORT_ROLES | {Role.HUB_COORDINATOR}):
        items.append(("People", reverse("people:list")))
    if huddle_team := next(
        (m.team_id for m in current_memberships(user) if m.team_id and m.role in SUPPORT_ROLES), None
    ):
        items.append(("Team huddle", reverse("support:huddle", args=[huddle_team])))
    items.append(("Community offers", reverse("community:search")))
    items.append(("Collaborative", reverse("collaborative:home")))
    if roles:
        items.append(("Introduce someone", reverse("introductions:mine")))
    if Role.SITE_ADMINISTRATOR in roles:
        items.append(("Network", reverse("network:index")))
    if Role.PRIVACY_OFFICER in roles:
        items.append(("Access log", reverse("audit:log")))
        items.append(("Emergency access", reverse("audit:break_glass_list")))
    return [{"text": text, "href": href, "current": request.path == href} for text, href in items]


def header_params(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if user.is_authenticated:
        account = [
            {"text": user.name, "href": reverse("accounts:account"), "icon": True},  # type: ignore[union-attr]
            {"text": "Sign out", "href": reverse("accounts:sign_out")},
        ]
    else:
        account = [{"text": "Sign in", "href": reverse("accounts:sign_in")}]
    return {
        "service": {"text": "Living Well", "href": reverse("core:home") if user.is_authenticated else "/"},
        "logo": {"ariaLabel": "Living Well homepage"},
        "account": {"items": account},
        "navigation": {"items": menu_items(request)},
    }
