"""Directory feeds: the ORUK feeds a site imports its community offers from, and their refreshes.

Hub coordinators and site administrators of a site manage its feeds; anyone else is refused and the
refusal is audited. A feed is the base URL of an ORUK API (http or https); a site administrator may
also give a file or folder on the server. Each change writes a `change` audit event (about no person)
in the same transaction. Refreshes are queued through `tasks.request_refresh` (ADR 9).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from livingwell.audit import services as audit
from livingwell.audit.models import Action
from livingwell.audit.policy import current_memberships
from livingwell.core.errors import DomainError
from livingwell.network.models import Role, Site

from . import tasks
from .models import ImportRun, ImportSource

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from livingwell.accounts.models import User

FEED_ROLES = frozenset({Role.HUB_COORDINATOR, Role.SITE_ADMINISTRATOR})
MAX_REFRESH_HOURS = 24 * 30
NAME_LENGTH = 200
LOCATION_LENGTH = 500
URL_VALIDATOR = URLValidator(schemes=["http", "https"])
URL_MESSAGE = (
    "Enter the address of the ORUK API, starting with https:// or http://, like https://directory.example.gov.uk/api"
)


class FeedError(DomainError):
    pass


# --------------------------------------------------------------------------------------------------
# Who may manage feeds
# --------------------------------------------------------------------------------------------------


def managed_site_ids(user: User | AnonymousUser) -> frozenset[uuid.UUID]:
    """The sites whose feeds `user` manages: where they are a Hub coordinator or site administrator."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    return frozenset(m.site_id for m in current_memberships(user) if m.role in FEED_ROLES)  # type: ignore[misc]


def administers(user: User | AnonymousUser, site_id: object) -> bool:
    """Whether `user` is a site administrator of the site (who may also import files on the server)."""
    if not user.is_authenticated:
        return False
    return any(m.role == Role.SITE_ADMINISTRATOR and m.site_id == site_id for m in current_memberships(user))


def managed_sites(user: User | AnonymousUser) -> list[Site]:
    ids = managed_site_ids(user)
    return list(Site.objects.filter(pk__in=ids).order_by("name")) if ids else []


def refuse(
    *, actor: User | AnonymousUser, request: HttpRequest | None, change: bool = False, reason: str = ""
) -> audit.AccessRefused:
    """Audit a refusal and return the 403 to raise."""
    return audit.refuse(
        actor=actor,
        action=Action.CHANGE if change else Action.VIEW,
        reason=reason or "Directory feeds are for Hub coordinators and site administrators",
        request=request,
        message="Only Hub coordinators and site administrators of this site can manage its directory feeds.",
    )


def _require_manager(actor: User | AnonymousUser, site_id: object, request: HttpRequest | None) -> None:
    if site_id not in managed_site_ids(actor):
        raise refuse(actor=actor, request=request, change=True, reason="Not a feed manager of this site")


# --------------------------------------------------------------------------------------------------
# Reads
# --------------------------------------------------------------------------------------------------


def sources_for(*, site_ids: frozenset[uuid.UUID]) -> QuerySet[ImportSource]:
    return ImportSource.objects.filter(site_id__in=site_ids).select_related("site").order_by("site__name", "name")


def source_for(*, user: User | AnonymousUser, source_id: uuid.UUID, request: HttpRequest | None) -> ImportSource:
    """The feed asked for: `ImportSource.DoesNotExist` when there is none, refused when it is another
    site's."""
    source = ImportSource.objects.select_related("site").get(pk=source_id)
    if source.site_id not in managed_site_ids(user):
        raise refuse(actor=user, request=request, reason="A directory feed of a site the user does not manage")
    return source


def run_for(*, user: User | AnonymousUser, run_id: int, request: HttpRequest | None) -> ImportRun:
    """One run of a feed the user manages (`ImportRun.DoesNotExist` for runs without a feed)."""
    run = ImportRun.objects.select_related("source", "source__site").get(pk=run_id, source__isnull=False)
    assert run.source is not None
    if run.source.site_id not in managed_site_ids(user):
        raise refuse(actor=user, request=request, reason="A directory feed of a site the user does not manage")
    return run


def with_latest_run(queryset: QuerySet[ImportSource]) -> QuerySet[ImportSource]:
    """Annotate each source with the id of its latest run (`latest_run_id`)."""
    newest = ImportRun.objects.filter(source=OuterRef("pk")).order_by("-started_at", "-id").values("pk")[:1]
    return queryset.annotate(latest_run_id=Subquery(newest))


def latest_runs(sources: list[ImportSource]) -> dict[uuid.UUID, ImportRun]:
    """The latest run of each source (annotated by `with_latest_run`), in one query."""
    ids = [getattr(s, "latest_run_id", None) for s in sources]
    runs = ImportRun.objects.filter(pk__in=[i for i in ids if i is not None])
    return {run.source_id: run for run in runs if run.source_id is not None}


# --------------------------------------------------------------------------------------------------
# Changes
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedAnswers:
    name: str
    location: str
    refresh_hours: int | None


def _check(
    *, actor: User | AnonymousUser, site: Site, answers: FeedAnswers, source: ImportSource | None
) -> FeedAnswers:
    name = " ".join(answers.name.split())
    if not name:
        raise FeedError("name_missing", "Enter a name for the feed", field="name")
    if len(name) > NAME_LENGTH:
        raise FeedError("name_long", f"Name must be {NAME_LENGTH} characters or fewer", field="name")
    location = answers.location.strip()
    if not location:
        raise FeedError("location_missing", "Enter the address of the ORUK API", field="location")
    if len(location) > LOCATION_LENGTH:
        raise FeedError("location_long", f"Address must be {LOCATION_LENGTH} characters or fewer", field="location")
    unchanged_location = source is not None and source.location == location
    # A file on the server is for site administrators; a coordinator may keep one that is already set.
    if "://" in location or not (unchanged_location or administers(actor, site.pk)):
        try:
            URL_VALIDATOR(location)
        except ValidationError:
            raise FeedError("location_invalid", URL_MESSAGE, field="location") from None
        location = location.rstrip("/")
    elif not unchanged_location and not Path(location).exists():
        raise FeedError(
            "location_missing_file",
            "There is no file or folder at this path on the server. Enter the full path, like /srv/feeds/oruk.json",
            field="location",
        )
    hours = answers.refresh_hours
    if hours is not None and not 1 <= hours <= MAX_REFRESH_HOURS:
        raise FeedError(
            "hours_range",
            f"Hours between refreshes must be between 1 and {MAX_REFRESH_HOURS}, or left empty",
            field="refresh_hours",
        )
    others = ImportSource.objects.filter(site=site, location=location)
    if source is not None:
        others = others.exclude(pk=source.pk)
    clash = others.first()
    if clash is not None:
        raise FeedError(
            "location_taken", f"This feed is already in the directory feeds as {clash.name}", field="location"
        )
    return FeedAnswers(name=name, location=location, refresh_hours=hours)


def _record(
    *, actor: User | AnonymousUser, action: Action, source: ImportSource, request: HttpRequest | None, **what: Any
) -> None:
    audit.record(
        actor=actor,
        action=action,
        detail={"object": "directory_feed", "id": str(source.pk), "site": str(source.site_id), **what},
        request=request,
    )


def source_add(
    *,
    actor: User | AnonymousUser,
    site: Site,
    name: str,
    location: str,
    refresh_hours: int | None,
    request: HttpRequest | None = None,
) -> ImportSource:
    """Add a directory feed to `site`. Raises FeedError, or AccessRefused for anyone who does not
    manage the site's feeds (and a location that is not a URL for anyone but a site administrator)."""
    _require_manager(actor, site.pk, request)
    answers = _check(
        actor=actor,
        site=site,
        answers=FeedAnswers(name=name, location=location, refresh_hours=refresh_hours),
        source=None,
    )
    with transaction.atomic():
        source = ImportSource.objects.create(
            site=site, name=answers.name, location=answers.location, refresh_hours=answers.refresh_hours
        )
        _record(
            actor=actor,
            action=Action.CREATE,
            source=source,
            request=request,
            name=source.name,
            location=source.location,
            refresh_hours=source.refresh_hours,
        )
    return source


def source_change(
    *,
    actor: User | AnonymousUser,
    source: ImportSource,
    name: str,
    location: str,
    refresh_hours: int | None,
    request: HttpRequest | None = None,
) -> ImportSource:
    """Change a feed's name, address or refresh schedule. Raises FeedError or AccessRefused."""
    _require_manager(actor, source.site_id, request)
    answers = _check(
        actor=actor,
        site=source.site,
        answers=FeedAnswers(name=name, location=location, refresh_hours=refresh_hours),
        source=source,
    )
    with transaction.atomic():
        current = ImportSource.objects.select_for_update().get(pk=source.pk)
        changed = {
            key: value
            for key, value in (
                ("name", answers.name),
                ("location", answers.location),
                ("refresh_hours", answers.refresh_hours),
            )
            if getattr(current, key) != value
        }
        if changed:
            for key, value in changed.items():
                setattr(current, key, value)
            current.save(update_fields=[*changed, "updated_at"])
            _record(actor=actor, action=Action.CHANGE, source=current, request=request, changed=changed)
    return current


def refresh_now(*, actor: User | AnonymousUser, source: ImportSource, request: HttpRequest | None = None) -> bool:
    """Ask the task worker to refresh `source` now. Returns False when a refresh was already waiting
    or under way (nothing more is queued)."""
    _require_manager(actor, source.site_id, request)
    if not tasks.uses_queue():
        # Without a queue the refresh runs here and now, outside any transaction of ours.
        _record(actor=actor, action=Action.CHANGE, source=source, request=request, refresh="started")
        return tasks.request_refresh(source=source)
    with transaction.atomic():
        queued = tasks.request_refresh(source=source)
        _record(
            actor=actor,
            action=Action.CHANGE,
            source=source,
            request=request,
            refresh="queued" if queued else "already waiting",
            at=timezone.now().isoformat(),
        )
    return queued
