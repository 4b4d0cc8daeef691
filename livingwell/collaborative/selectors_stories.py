"""The story bank: the reads, scoped to what the caller may see.

- A member sees the stories they gathered (at any stage), stories shared with their group
  (consent at the group's level), stories shared with the Collaborative or the public, and, when they
  lead a group, that group's stories that are not shared yet.
- A steward (a lead of the whole Collaborative or a site administrator) sees every story of the site.
- A withdrawn story is seen only by the member who gathered it and the stewards.
- The public pages show only stories shared at the public level whose check is of the words as they
  are now.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from livingwell.audit.models import Action
from livingwell.collaborative import access
from livingwell.collaborative.models import (
    LEAD_ROLES,
    ConsentLevel,
    Decision,
    Group,
    GroupMembership,
    Member,
    Prototype,
    Story,
    StoryKind,
    StoryStatus,
    Theme,
)
from livingwell.collaborative.stories import words_hash
from livingwell.network.models import Site

if TYPE_CHECKING:
    from livingwell.accounts.models import User

    Actor = User | AnonymousUser

STORY_PAGE_SIZE = 20

LINKED_CHOICES = [
    ("prototype", "Linked to a prototype"),
    ("decision", "Linked to a decision"),
    ("either", "Linked to a prototype or a decision"),
]


@dataclass(frozen=True)
class Viewer:
    """Who is reading the story bank, and the groups that decide what they see."""

    member: Member | None
    steward: bool
    group_ids: frozenset[uuid.UUID]
    led_group_ids: frozenset[uuid.UUID]


def viewer(user: Actor, site: Site, *, request: HttpRequest | None = None) -> Viewer:
    """The reader, or a recorded refusal for someone who is neither a member nor a steward."""
    steward = access.is_steward(user, site)
    member = (
        access.member_of(user, site) if steward else access.require_member(user, site, what="stories", request=request)
    )
    rows = (
        list(GroupMembership.objects.current().filter(member=member).values_list("group_id", "role"))
        if member is not None
        else []
    )
    return Viewer(
        member=member,
        steward=steward,
        group_ids=frozenset(group_id for group_id, _ in rows),
        led_group_ids=frozenset(group_id for group_id, role in rows if role in LEAD_ROLES),
    )


def _visible(who: Viewer) -> Q:
    if who.steward:
        return Q()
    mine = Q(gathered_by=who.member) if who.member is not None else Q(pk__in=[])
    shared = Q(status=StoryStatus.SHARED) & (
        Q(consent_level__in=[ConsentLevel.COLLABORATIVE, ConsentLevel.PUBLIC])
        | Q(consent_level=ConsentLevel.TEAM, group_id__in=who.group_ids)
    )
    led = Q(group_id__in=who.led_group_ids) & ~Q(status=StoryStatus.WITHDRAWN)
    return mine | shared | led


def visible_stories(who: Viewer, site: Site) -> QuerySet[Story]:
    return Story.objects.filter(site=site).filter(_visible(who))


@dataclass(frozen=True)
class StoryFilters:
    theme: uuid.UUID | None = None
    group: uuid.UUID | None = None
    kind: str = ""
    linked: str = ""


def _filtered(qs: QuerySet[Story], filters: StoryFilters, *, with_theme: bool = True) -> QuerySet[Story]:
    if filters.group is not None:
        qs = qs.filter(group_id=filters.group)
    if filters.kind in StoryKind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.linked == "prototype":
        qs = qs.filter(Q(pk__in=Story.prototypes.through.objects.values("story_id")))
    elif filters.linked == "decision":
        qs = qs.filter(Q(pk__in=Story.decisions.through.objects.values("story_id")))
    elif filters.linked == "either":
        qs = qs.filter(
            Q(pk__in=Story.prototypes.through.objects.values("story_id"))
            | Q(pk__in=Story.decisions.through.objects.values("story_id"))
        )
    if with_theme and filters.theme is not None:
        qs = qs.filter(pk__in=Story.themes.through.objects.filter(theme_id=filters.theme).values("story_id"))
    return qs


def stories_for(who: Viewer, site: Site, filters: StoryFilters) -> QuerySet[Story]:
    """The stories `who` may read, filtered, newest gathered first, ready to list (a page at a time:
    `STORY_PAGE_SIZE`)."""
    qs = _filtered(visible_stories(who, site), filters)
    return (
        qs.select_related("group", "gathered_by")
        .prefetch_related("themes")
        .annotate(prototype_count=Count("prototypes", distinct=True), decision_count=Count("decisions", distinct=True))
        .order_by("-gathered_on", "-created_at", "id")
    )


def theme_counts(who: Viewer, site: Site, filters: StoryFilters) -> list[tuple[Theme, int]]:
    """How many of the stories `who` may read (with the other filters) carry each theme, most first."""
    story_ids = _filtered(visible_stories(who, site), filters, with_theme=False).values("pk")
    themes = (
        Theme.objects.filter(site=site, stories__in=story_ids)
        .annotate(n=Count("stories", filter=Q(stories__in=story_ids), distinct=True))
        .order_by("-n", "name")
    )
    return [(theme, theme.n) for theme in themes]  # type: ignore[attr-defined]


def filter_groups(who: Viewer, site: Site) -> list[Group]:
    """The groups whose stories `who` may read."""
    group_ids = visible_stories(who, site).values("group_id")
    return list(Group.objects.filter(pk__in=group_ids).order_by("name"))


def groups_to_gather_for(who: Viewer) -> list[Group]:
    """The groups `who` is in (or runs) that are still going: where they may add a story."""
    ids = who.group_ids | who.led_group_ids
    return list(Group.objects.filter(pk__in=ids, ended_on__isnull=True).order_by("name"))


def story_for(user: Actor, site: Site, story_id: uuid.UUID, *, request: HttpRequest | None = None) -> Story | None:
    """The story if `user` may read it; None when there is no such story; a recorded 403 otherwise."""
    story = (
        Story.objects.filter(site=site, pk=story_id)
        .select_related("group", "gathered_by", "checked_by", "updated_by", "site")
        .prefetch_related("themes", "prototypes", "decisions")
        .first()
    )
    if story is None:
        return None
    who = viewer(user, site, request=request)
    if not visible_stories(who, site).filter(pk=story.pk).exists():
        raise access.refuse(
            actor=user,
            action=Action.VIEW,
            what="story",
            obj_id=story.pk,
            reason="Story not shared with this member",
            request=request,
            message="This story has not been shared with you. The teller decided how far it may be shared.",
        )
    return story


def story_to_change(site: Site, story_id: uuid.UUID) -> Story | None:
    """A story to change, check, share or withdraw (the service decides whether the caller may)."""
    return (
        Story.objects.filter(site=site, pk=story_id)
        .select_related("group", "gathered_by", "checked_by", "updated_by", "site")
        .prefetch_related("themes", "prototypes", "decisions")
        .first()
    )


def group_of(site: Site, group_id: uuid.UUID) -> Group | None:
    return Group.objects.filter(site=site, pk=group_id).first()


def prototype_choices(site: Site) -> list[tuple[str, str]]:
    return [
        (str(pk), title)
        for pk, title in Prototype.objects.filter(site=site).order_by("title").values_list("pk", "title")
    ]


def decision_choices(site: Site) -> list[tuple[str, str]]:
    return [
        (str(pk), title)
        for pk, title in Decision.objects.filter(group__site=site)
        .order_by("-decided_on", "title")
        .values_list("pk", "title")
    ]


def site_themes(site: Site) -> list[str]:
    return list(Theme.objects.filter(site=site).order_by("name").values_list("name", flat=True))


# ---- the public pages -----------------------------------------------------------------------------


def _public(site: Site) -> QuerySet[Story]:
    return Story.objects.filter(site=site, status=StoryStatus.SHARED, consent_level=ConsentLevel.PUBLIC).exclude(
        checked_hash=""
    )


def _check_passes(story: Story) -> bool:
    findings = story.check_findings or []
    return (
        story.checked_at is not None
        and story.checked_hash == words_hash(story.title, story.body)
        and all(f.get("reason") for f in findings)
    )


def public_stories(site: Site, *, theme: uuid.UUID | None = None) -> list[Story]:
    """Stories anyone may read: shared at the public level, checked for the words as they are now."""
    qs = _public(site)
    if theme is not None:
        qs = qs.filter(pk__in=Story.themes.through.objects.filter(theme_id=theme).values("story_id"))
    return [s for s in qs.prefetch_related("themes").order_by("-shared_at", "-created_at") if _check_passes(s)]


def public_themes(site: Site) -> list[tuple[Theme, int]]:
    stories = public_stories(site)
    counts: dict[uuid.UUID, int] = {}
    themes: dict[uuid.UUID, Theme] = {}
    for story in stories:
        for theme in story.themes.all():
            themes[theme.pk] = theme
            counts[theme.pk] = counts.get(theme.pk, 0) + 1
    return sorted(((themes[pk], n) for pk, n in counts.items()), key=lambda row: (-row[1], row[0].name))


def public_story(site: Site, story_id: uuid.UUID) -> Story | None:
    story = _public(site).filter(pk=story_id).prefetch_related("themes").first()
    return story if story is not None and _check_passes(story) else None
