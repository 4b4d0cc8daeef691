"""Refreshing directory feeds in the background (ADR 9).

A refresh is the task `refresh_source(source_id=...)`: it imports the source's ORUK feed with
`imports.oruk_import`, which records an `ImportRun` linked to the source (with every record turned
away, or why the feed could not be read) and sets `last_refreshed_at` when the feed was read.

With the database backend (django-tasks-db) a refresh waits in the `DBTaskResult` table until a
worker (`manage.py run_worker`) claims it. `request_refresh` adds one only when none is waiting or
running for that source, under a lock on the source's row, so pressing "Refresh now" twice, or two
schedulers, never queue two. `refresh` itself also refuses to start while another refresh of the
source is under way (an unfinished run, or an earlier running task), so two workers never import the
same feed at once.

`refresh_due_sources(now=...)` asks for a refresh of every source whose `refresh_hours` have passed
since its last attempt: the later of its last successful refresh and the start of its last run, so
a feed that failed is tried again at its next due time, not in a tight loop.

A worker that stops in the middle of a refresh leaves a running task and an unfinished run. When a
worker starts again with the same id, `recover_interrupted` puts its interrupted refreshes back in
the queue (an import is idempotent, so running it again is safe) and records the unfinished run as
failed. A refresh still unfinished after `LIVINGWELL_REFRESH_STALE_MINUTES` (a worker that never came
back) is recorded as failed, and the source can be refreshed again.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.tasks import TaskContext, task
from django.tasks.base import TaskResultStatus
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .imports import oruk_import
from .models import ImportRun, ImportSource

logger = logging.getLogger(__name__)

STOPPED_WITH_WORKER = "The refresh stopped before it finished because the task worker stopped. It was started again."
STOPPED_UNFINISHED = "The refresh stopped before it finished (it was still unfinished after {minutes} minutes)."


def stale_after() -> dt.timedelta:
    """How long a refresh may run before it is taken to have stopped with its worker."""
    return dt.timedelta(minutes=settings.LIVINGWELL_REFRESH_STALE_MINUTES)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now if now is not None else timezone.now()


# --------------------------------------------------------------------------------------------------
# The task
# --------------------------------------------------------------------------------------------------


@task(takes_context=True)
def refresh_source(context: TaskContext, source_id: str) -> dict[str, Any]:
    """Refresh one directory feed. Returns what happened, for the task's result."""
    # Only a task waiting in the database can be compared with other workers' tasks.
    task_id = str(context.task_result.id) if uses_queue() else None
    run = refresh(source_id=source_id, task_id=task_id)
    if run is None:
        return {"source": source_id, "skipped": "already under way, or the feed was removed"}
    return {
        "source": source_id,
        "run": run.pk,
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "rejected": run.rejected,
        "failed": run.failed,
    }


def _refresh_tasks() -> Any:
    return DBTaskResult.objects.filter(task_path=refresh_source.module_path)


def _for_source(source_id: object) -> Q:
    return Q(args_kwargs__kwargs__source_id=str(source_id))


def _earlier_running_task(*, source_id: str, task_id: str, now: dt.datetime) -> bool:
    """Whether another worker started a refresh of this source before this task (and is not stale)."""
    own = _refresh_tasks().filter(pk=task_id).values_list("started_at", flat=True).first()
    others = (
        _refresh_tasks()
        .running()
        .filter(_for_source(source_id), started_at__gte=now - stale_after())
        .exclude(pk=task_id)
        .values_list("pk", "started_at")
    )
    return any(own is None or (started_at, str(other_id)) < (own, task_id) for other_id, started_at in others)


def _close_stale_runs(*, source: ImportSource, now: dt.datetime) -> None:
    """Record as failed the runs of `source` that are still unfinished long after they started."""
    minutes = settings.LIVINGWELL_REFRESH_STALE_MINUTES
    source.runs.filter(finished_at__isnull=True, started_at__lt=now - stale_after()).update(
        finished_at=now, failed=STOPPED_UNFINISHED.format(minutes=minutes)
    )


def refresh(*, source_id: str, task_id: str | None = None, now: dt.datetime | None = None) -> ImportRun | None:
    """Import the source's feed now and return the run; None when the source is gone or another
    refresh of it is under way (an unfinished run, or an earlier running task)."""
    moment = _now(now)
    try:
        pk = uuid.UUID(str(source_id))
    except ValueError:
        return None
    with transaction.atomic():
        source = ImportSource.objects.select_for_update().select_related("site").filter(pk=pk).first()
        if source is None:
            return None
        _close_stale_runs(source=source, now=moment)
        if source.runs.filter(finished_at__isnull=True).exists():
            logger.info("A refresh of %s is already under way", source.name)
            return None
        if task_id is not None and _earlier_running_task(source_id=str(pk), task_id=task_id, now=moment):
            logger.info("Another worker is already refreshing %s", source.name)
            return None
    return oruk_import(site=source.site, location=source.location, source=source)


# --------------------------------------------------------------------------------------------------
# Asking for refreshes
# --------------------------------------------------------------------------------------------------


def uses_queue() -> bool:
    """Whether tasks wait for a worker (the database backend) rather than run at once."""
    return isinstance(refresh_source.get_backend(), DatabaseBackend)


def waiting_refresh(*, source_id: object, now: dt.datetime | None = None) -> DBTaskResult | None:
    """The refresh of this source that is waiting for a worker or running (not stale), if any."""
    moment = _now(now)
    return (
        _refresh_tasks()
        .filter(_for_source(source_id))
        .filter(
            Q(status=TaskResultStatus.READY)
            | Q(status=TaskResultStatus.RUNNING, started_at__gte=moment - stale_after())
        )
        .order_by("enqueued_at")
        .first()
    )


def waiting_source_ids(*, now: dt.datetime | None = None) -> set[str]:
    """The ids of the sources with a refresh waiting for a worker or running (not stale), in one query."""
    moment = _now(now)
    rows = _refresh_tasks().filter(
        Q(status=TaskResultStatus.READY) | Q(status=TaskResultStatus.RUNNING, started_at__gte=moment - stale_after())
    )
    ids = set()
    for args_kwargs in rows.values_list("args_kwargs", flat=True):
        source_id = (args_kwargs.get("kwargs") or {}).get("source_id") if isinstance(args_kwargs, dict) else None
        if isinstance(source_id, str):
            ids.add(source_id)
    return ids


def request_refresh(*, source: ImportSource, now: dt.datetime | None = None) -> bool:
    """Queue a refresh of `source` unless one is already waiting or running. Returns whether one was
    queued. Without a queue (the immediate backend) the refresh runs now."""
    if not uses_queue():
        refresh_source.enqueue(source_id=str(source.pk))
        return True
    with transaction.atomic():
        # The lock on the source's row makes the check and the insert one step for every asker.
        ImportSource.objects.select_for_update().filter(pk=source.pk).exists()
        if waiting_refresh(source_id=source.pk, now=now) is not None:
            return False
        refresh_source.enqueue(source_id=str(source.pk))
    return True


@dataclass(frozen=True)
class Due:
    source: ImportSource
    last_attempt: dt.datetime | None

    @property
    def next_at(self) -> dt.datetime | None:
        if self.source.refresh_hours is None:
            return None
        if self.last_attempt is None:
            return None  # never tried: due at once
        return self.last_attempt + dt.timedelta(hours=self.source.refresh_hours)


def last_attempt(source: ImportSource, last_run_started: dt.datetime | None) -> dt.datetime | None:
    """The later of the last successful refresh and the start of the last run (which may have failed)."""
    moments = [m for m in (source.last_refreshed_at, last_run_started) if m is not None]
    return max(moments) if moments else None


def due_sources(*, now: dt.datetime | None = None) -> list[ImportSource]:
    """Sources refreshed on a schedule whose hours have passed since their last attempt."""
    moment = _now(now)
    due: list[ImportSource] = []
    sources = (
        ImportSource.objects.filter(refresh_hours__gt=0)
        .annotate(last_run_started=Max("runs__started_at"))
        .order_by("site_id", "name")
    )
    for source in sources:
        next_at = Due(source, last_attempt(source, source.last_run_started)).next_at  # type: ignore[attr-defined]
        if next_at is None or next_at <= moment:
            due.append(source)
    return due


def refresh_due_sources(*, now: dt.datetime | None = None) -> list[ImportSource]:
    """Queue a refresh of every source that is due and has none waiting; returns those queued."""
    queued = []
    for source in due_sources(now=now):
        if request_refresh(source=source, now=now):
            queued.append(source)
    return queued


# --------------------------------------------------------------------------------------------------
# After a worker stops
# --------------------------------------------------------------------------------------------------


def recover_interrupted(*, worker_id: str, now: dt.datetime | None = None) -> int:
    """Put back in the queue the refreshes that the worker `worker_id` was running when it stopped
    (it has just started again, so it is running none), recording their unfinished runs as failed.
    Returns how many were put back."""
    moment = _now(now)
    put_back = 0
    with transaction.atomic():
        running = _refresh_tasks().running().select_for_update()
        for result in running:
            if not result.worker_ids or result.worker_ids[-1] != worker_id:
                continue
            source_id = (result.args_kwargs.get("kwargs") or {}).get("source_id")
            if source_id:
                ImportRun.objects.filter(
                    source_id=source_id, finished_at__isnull=True, started_at__gte=result.started_at or moment
                ).update(finished_at=moment, failed=STOPPED_WITH_WORKER)
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            put_back += 1
    return put_back
