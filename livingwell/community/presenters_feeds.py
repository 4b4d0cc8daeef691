"""Directory feeds and their runs in words, for the coordinator's feeds pages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from livingwell.core import presenters as core

from .models import ImportRun, ImportSource


def feeds_link(user: Any) -> str:
    """The link to the directory feeds, for those who manage them (else empty)."""
    from .feeds import managed_site_ids  # feeds imports the importer; only load it when asked

    return reverse("community:feeds") if managed_site_ids(user) else ""


def how_often(hours: int | None) -> str:
    if not hours:
        return "Only when asked"
    if hours % 24 == 0:
        days = hours // 24
        return "Every day" if days == 1 else f"Every {days} days"
    return "Every hour" if hours == 1 else f"Every {hours} hours"


def where_from(location: str) -> str:
    return location if "://" in location else f"File on the server: {location}"


def counts(run: ImportRun) -> str:
    """'3 new, 1 changed, 40 unchanged, 2 turned away'."""
    return f"{run.created} new, {run.updated} changed, {run.unchanged} unchanged, {run.rejected} turned away"


def run_outcome(run: ImportRun) -> str:
    if run.finished_at is None:
        return "Under way"
    if run.failed:
        return "Failed"
    if run.rejected or run.problems:
        return "Finished, with problems"
    return "Finished"


def run_summary(run: ImportRun) -> str:
    if run.finished_at is None:
        return f"Started {core.datetime(run.started_at)}, still under way"
    if run.failed:
        return f"Failed: {run.failed}"
    return counts(run)


@dataclass(frozen=True)
class FeedRow:
    id: uuid.UUID
    name: str
    site: str
    where_from: str
    how_often: str
    last_refreshed: str
    last_run: str
    last_run_failed: bool
    last_run_href: str
    waiting: bool
    href: str
    change_href: str
    refresh_href: str


def feed_row(source: ImportSource, run: ImportRun | None, waiting: bool) -> FeedRow:
    return FeedRow(
        id=source.pk,
        name=source.name,
        site=source.site.name,
        where_from=where_from(source.location),
        how_often=how_often(source.refresh_hours),
        last_refreshed=core.datetime(source.last_refreshed_at) if source.last_refreshed_at else "Not yet",
        last_run=run_summary(run) if run is not None else "Not refreshed yet",
        last_run_failed=bool(run is not None and run.failed),
        last_run_href=reverse("community:feed_run", args=[run.pk]) if run is not None else "",
        waiting=waiting,
        href=reverse("community:feed", args=[source.pk]),
        change_href=reverse("community:feed_change", args=[source.pk]),
        refresh_href=reverse("community:feed_refresh", args=[source.pk]),
    )


@dataclass(frozen=True)
class RunRow:
    id: int
    started: str
    finished: str
    outcome: str
    summary: str
    href: str


def run_row(run: ImportRun) -> RunRow:
    return RunRow(
        id=run.pk,
        started=core.datetime(run.started_at),
        finished=core.datetime(run.finished_at) if run.finished_at else "",
        outcome=run_outcome(run),
        summary=run_summary(run),
        href=reverse("community:feed_run", args=[run.pk]),
    )


@dataclass(frozen=True)
class ProblemRow:
    where: str
    id: str
    reason: str


def problem_rows(problems: Any) -> list[ProblemRow]:
    rows = []
    for problem in problems if isinstance(problems, list) else []:
        if not isinstance(problem, dict):
            continue
        rows.append(
            ProblemRow(
                where=str(problem.get("where") or ""),
                id=str(problem.get("id") or ""),
                reason=str(problem.get("reason") or ""),
            )
        )
    return rows
