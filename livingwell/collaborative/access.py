"""Who may do what in the Collaborative, and the audit of it.

- Anyone, signed in or not, reads the public pages: what the Collaborative is, open events, the public
  decisions log, public stories, funded ideas and how to join.
- A signed-in person joins and becomes a **member** of the site's Collaborative.
- Current members read the workspace: groups, sessions, decisions (also those kept out of the public
  log), prototypes, stories shared with the Collaborative, reflections and the ideas fund; they reply to
  sessions, take part in decisions, rate the principles, pitch and vote.
- A group's **leads** (chair, co-chair, coordinator) run it: sessions, attendance, notes, actions,
  decisions, prototypes and their cycles, and stories gathered by the group.
- **Stewards** of the Collaborative (the leads of the site's whole Collaborative, and the site's
  administrators) create groups and reflection and fund rounds, give roles, and welcome people who
  asked to join.

Nothing here reads a person's support record (ADR 10): the Collaborative knows a member by the name
they chose. Every change and every refusal is written to the audit trail with `area="collaborative"`
in its detail; reads of a member's own details are recorded too, since perspectives such as lived
experience are sensitive.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest

from livingwell.audit import services as audit
from livingwell.audit.models import Action
from livingwell.audit.policy import current_memberships
from livingwell.collaborative.models import LEAD_ROLES, Group, GroupKind, GroupMembership, Member
from livingwell.network.models import Role, Site

if TYPE_CHECKING:
    from livingwell.accounts.models import User

AREA = "collaborative"


def site_for(user: User | AnonymousUser) -> Site | None:
    """The site whose Collaborative `user` sees: where they are a member, else where they work, else the
    public site (the one the public pages serve)."""
    from livingwell.access.selectors import public_site

    if user.is_authenticated:
        member = Member.objects.current().filter(user=user).select_related("site").order_by("joined_on").first()
        if member is not None:
            return member.site
        memberships = current_memberships(user)
        if memberships:
            return memberships[0].site
    return public_site()


def site_or_404(user: User | AnonymousUser) -> Site:
    """`site_for(user)`, or a 404 when no site has a Collaborative to show."""
    site = site_for(user)
    if site is None:
        raise Http404("The Collaborative has not been set up yet")
    return site


def member_of(user: User | AnonymousUser, site: Site) -> Member | None:
    """`user`'s current membership of `site`'s Collaborative, if any."""
    if not user.is_authenticated:
        return None
    return Member.objects.current().filter(user=user, site=site).first()


def is_site_admin(user: User | AnonymousUser, site: Site) -> bool:
    if not user.is_authenticated:
        return False
    return any(m.site_id == site.pk and m.role == Role.SITE_ADMINISTRATOR for m in current_memberships(user))


def whole_collaborative(site: Site) -> Group | None:
    """The site's Collaborative itself (the one group of kind COLLABORATIVE)."""
    return Group.objects.filter(site=site, kind=GroupKind.COLLABORATIVE).first()


def leads(member: Member | None, group: Group) -> bool:
    """Whether `member` is a current chair, co-chair or coordinator of `group`."""
    if member is None:
        return False
    return GroupMembership.objects.current().filter(group=group, member=member, role__in=LEAD_ROLES).exists()


def in_group(member: Member | None, group: Group) -> bool:
    if member is None:
        return False
    return GroupMembership.objects.current().filter(group=group, member=member).exists()


def is_steward(user: User | AnonymousUser, site: Site) -> bool:
    """Leads of the whole Collaborative and the site's administrators."""
    if is_site_admin(user, site):
        return True
    whole = whole_collaborative(site)
    return whole is not None and leads(member_of(user, site), whole)


def can_run(user: User | AnonymousUser, group: Group) -> bool:
    """Whether `user` may run `group`: its leads, and the Collaborative's stewards."""
    return leads(member_of(user, group.site), group) or is_steward(user, group.site)


# ---- audit ---------------------------------------------------------------------------------------


def _detail(what: str, obj_id: uuid.UUID | str | None, extra: dict[str, Any] | None) -> dict[str, Any]:
    detail: dict[str, Any] = {"area": AREA, "what": what}
    if obj_id is not None:
        detail["id"] = str(obj_id)
    if extra:
        detail.update(extra)
    return detail


def record(
    *,
    actor: User | AnonymousUser | None,
    action: Action,
    what: str,
    obj_id: uuid.UUID | str | None = None,
    extra: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Write an allowed Collaborative event (call it inside the service's transaction)."""
    audit.record(actor=actor, action=action, detail=_detail(what, obj_id, extra), request=request)


def refuse(
    *,
    actor: User | AnonymousUser | None,
    action: Action,
    what: str,
    reason: str,
    obj_id: uuid.UUID | str | None = None,
    request: HttpRequest | None = None,
    message: str = "You do not have access to this.",
) -> audit.AccessRefused:
    """Record a refusal (committed even if the caller's transaction rolls back) and return the 403 to raise.
    Call it before opening the service's transaction."""
    return audit.refuse(
        actor=actor, action=action, reason=reason, request=request, message=message, detail=_detail(what, obj_id, None)
    )


def require_member(
    user: User | AnonymousUser,
    site: Site,
    *,
    what: str,
    request: HttpRequest | None = None,
    action: Action = Action.VIEW,
) -> Member:
    """The current member, or a recorded refusal (403)."""
    member = member_of(user, site)
    if member is None:
        raise refuse(
            actor=user,
            action=action,
            what=what,
            reason="Not a member of the Collaborative",
            request=request,
            message="Only members of the Collaborative can do this. You can join from the Collaborative's pages.",
        )
    return member


def require_run(
    user: User | AnonymousUser, group: Group, *, what: str, request: HttpRequest | None = None
) -> Member | None:
    """The member running `group` (None for a site administrator who is not a member), or a refusal."""
    if not can_run(user, group):
        raise refuse(
            actor=user,
            action=Action.CHANGE,
            what=what,
            obj_id=group.pk,
            reason="Does not run this group",
            request=request,
            message="Only the group's chair, co-chair or coordinator can do this.",
        )
    return member_of(user, group.site)


def require_steward(
    user: User | AnonymousUser, site: Site, *, what: str, request: HttpRequest | None = None
) -> Member | None:
    if not is_steward(user, site):
        raise refuse(
            actor=user,
            action=Action.CHANGE,
            what=what,
            reason="Not a steward of the Collaborative",
            request=request,
            message="Only the Collaborative's chairs, coordinators and the site's administrators can do this.",
        )
    return member_of(user, site)
