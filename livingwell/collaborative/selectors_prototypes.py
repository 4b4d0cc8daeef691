"""Reads for prototypes and their cycles, scoped to one site's Collaborative.

Every current member of the site reads its prototypes, cycles and figures. Stories are shown only as
far as the teller agreed: shared with the Collaborative or the public, or to the group that gathered
them (never when withdrawn).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When

from livingwell.collaborative import access
from livingwell.collaborative.models import (
    LEAD_ROLES,
    ConsentLevel,
    Cycle,
    Decision,
    DecisionStatus,
    Figure,
    Group,
    GroupKind,
    GroupMembership,
    Member,
    Prototype,
    PrototypeStatus,
    Session,
    SessionStatus,
    Story,
    StoryStatus,
)
from livingwell.network.models import Site

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from livingwell.accounts.models import User

SHARED_WIDELY = (ConsentLevel.COLLABORATIVE, ConsentLevel.PUBLIC)


def _uuid(value: uuid.UUID | str) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def prototypes_of(site: Site) -> list[Prototype]:
    """The site's prototypes, those being tested first (newest first within each), with their group and
    cycles (two queries)."""
    testing_first = Case(
        When(status=PrototypeStatus.TESTING, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return list(
        Prototype.objects.filter(site=site)
        .select_related("group")
        .prefetch_related(Prefetch("cycles", queryset=Cycle.objects.order_by("number")))
        .annotate(testing_first=testing_first)
        .order_by("testing_first", "-created_at", "id")
    )


def prototype_of(site: Site, prototype_id: uuid.UUID | str) -> Prototype | None:
    pk = _uuid(prototype_id)
    if pk is None:
        return None
    return (
        Prototype.objects.filter(site=site, pk=pk)
        .select_related("group", "site", "outcome_decision", "adapted_into", "updated_by", "created_by")
        .first()
    )


def group_of(site: Site, group_id: uuid.UUID | str) -> Group | None:
    pk = _uuid(group_id)
    if pk is None:
        return None
    return Group.objects.filter(site=site, pk=pk).select_related("site").first()


def cycle_of(site: Site, cycle_id: uuid.UUID | str) -> Cycle | None:
    pk = _uuid(cycle_id)
    if pk is None:
        return None
    return (
        Cycle.objects.filter(prototype__site=site, pk=pk)
        .select_related("prototype__group", "prototype__site", "lab_session__group", "updated_by")
        .first()
    )


def cycles_of(prototype: Prototype) -> list[Cycle]:
    return list(prototype.cycles.select_related("lab_session__group").order_by("number"))


def open_cycle(cycles: list[Cycle]) -> Cycle | None:
    """The cycle being worked on (at most one is open)."""
    return next((c for c in cycles if c.stage != "closed"), None)


def figures_of(prototype: Prototype) -> list[Figure]:
    return list(prototype.figures.select_related("cycle").order_by("measured_on", "created_at", "id"))


def adapted_from(prototype: Prototype) -> list[Prototype]:
    """Prototypes that were adapted into this one."""
    return list(Prototype.objects.filter(adapted_into=prototype).order_by("created_at"))


def lab_session_choices(prototype: Prototype) -> QuerySet[Session]:
    """Where a cycle's learning can be shared: sessions of the site's Prototyping Labs, or of the
    prototype's own group (not cancelled), newest first."""
    return (
        Session.objects.filter(
            Q(group__site_id=prototype.site_id, group__kind=GroupKind.PROTOTYPING_LAB) | Q(group_id=prototype.group_id)
        )
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("group")
        .order_by("-starts_at", "id")
    )


def decision_choices(site: Site) -> QuerySet[Decision]:
    """Decisions of the site that have been made, newest first."""
    return (
        Decision.objects.filter(group__site=site, status=DecisionStatus.DECIDED)
        .select_related("group")
        .order_by("-decided_on", "-created_at")
    )


def story_choices(prototype: Prototype) -> QuerySet[Story]:
    """Stories that can be evidence for a prototype: shared with the Collaborative or the public, or
    gathered by the prototype's own group (not withdrawn)."""
    return (
        Story.objects.filter(site_id=prototype.site_id)
        .filter(Q(status=StoryStatus.SHARED, consent_level__in=SHARED_WIDELY) | Q(group_id=prototype.group_id))
        .exclude(status=StoryStatus.WITHDRAWN)
        .select_related("group")
        .order_by("-gathered_on", "-created_at")
    )


def evidence_stories(prototype: Prototype, member: Member | None) -> list[Story]:
    """The prototype's stories that `member` may read: shared widely, or gathered by a group they are in."""
    visible = Q(status=StoryStatus.SHARED, consent_level__in=SHARED_WIDELY)
    if member is not None:
        groups = GroupMembership.objects.current().filter(member=member).values("group_id")
        visible |= Q(group_id__in=groups)
    return list(
        prototype.stories.filter(visible)
        .exclude(status=StoryStatus.WITHDRAWN)
        .select_related("group")
        .order_by("-gathered_on", "-created_at")
    )


def linked_story_ids(prototype: Prototype) -> list[uuid.UUID]:
    return list(prototype.stories.values_list("pk", flat=True))


def groups_run_by(user: User | AnonymousUser, site: Site, member: Member | None) -> list[Group]:
    """The groups of `site` that have not ended and that `user` runs (every group, for a steward),
    Prototyping Teams first."""
    groups = Group.objects.filter(site=site, ended_on__isnull=True)
    if not access.is_steward(user, site):
        if member is None:
            return []
        led = GroupMembership.objects.current().filter(member=member, role__in=LEAD_ROLES).values("group_id")
        groups = groups.filter(pk__in=led)
    team_first = Case(
        When(kind=GroupKind.PROTOTYPING_TEAM, then=Value(0)),
        When(kind=GroupKind.PROTOTYPING_LAB, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(groups.annotate(team_first=team_first).order_by("team_first", "name"))
