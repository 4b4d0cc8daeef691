"""Scheduled refreshes of directory feeds through the task worker (ADR 9): a refresh queued in the
database is run by the worker's own code (`run_worker`, `db_worker --batch`), the due logic with
explicit times, no second refresh queued or run while one waits or runs, a failing feed recorded and
tried again at its next due time, and a worker that stopped mid-refresh putting it back."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from livingwell.community import tasks
from livingwell.community.models import ImportRun, ImportSource, Service
from livingwell.community.tests.test_imports import SERVICE_ID, FakeFeed, feed, fresh_ids  # noqa: F401
from livingwell.network.models import Site

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
# The worker checks its database connection between tasks, as a long-running process must, and closes
# one left inside a transaction; so tests that run it commit for real rather than in a test transaction.
WORKER = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(db: None) -> Site:
    return Site.objects.create(name="Lambeth", slug="lambeth")


@pytest.fixture
def example_file(oruk: Path) -> str:
    return str(oruk / "examples" / "service_full.json")


def source_at(site: Site, location: str, hours: int | None = 24, name: str = "Council directory") -> ImportSource:
    return ImportSource.objects.create(site=site, name=name, location=location, refresh_hours=hours)


def queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=tasks.refresh_source.module_path).order_by("enqueued_at"))


def run_worker(*args: str) -> str:
    out = StringIO()
    call_command("run_worker", "--once", "--worker-id", "test-worker", *args, stdout=out)
    return out.getvalue()


# ---- The worker runs what was queued ---------------------------------------------------------------


@WORKER
def test_a_queued_refresh_waits_in_the_database_until_the_worker_runs_it(site: Site, example_file: str) -> None:
    source = source_at(site, example_file)
    assert tasks.uses_queue()
    assert tasks.request_refresh(source=source) is True

    [waiting] = queued()
    assert waiting.status == TaskResultStatus.READY
    assert waiting.args_kwargs == {"args": [], "kwargs": {"source_id": str(source.pk)}}
    assert not ImportRun.objects.exists() and not Service.objects.exists()

    output = run_worker("--no-schedule")

    waiting.refresh_from_db()
    assert waiting.status == TaskResultStatus.SUCCESSFUL, waiting.traceback
    assert waiting.worker_ids == ["test-worker"]
    run = ImportRun.objects.get()
    assert run.source == source and run.location == example_file
    assert (run.created, run.updated, run.unchanged, run.rejected, run.failed) == (1, 0, 0, 0, "")
    assert waiting.return_value == {
        "source": str(source.pk),
        "run": run.pk,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "failed": "",
    }
    source.refresh_from_db()
    assert source.last_refreshed_at == run.finished_at
    assert Service.objects.get(pk=SERVICE_ID).source == source
    assert "Queued" not in output  # --no-schedule: nothing was looked for


@WORKER
def test_the_plain_db_worker_runs_a_refresh_too(site: Site, example_file: str) -> None:
    source = source_at(site, example_file)
    tasks.request_refresh(source=source)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    [result] = queued()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert ImportRun.objects.get().created == 1


@WORKER
def test_the_worker_refreshes_an_oruk_api_over_http(site: Site, feed: tuple[FakeFeed, str], oruk_example: Any) -> None:  # noqa: F811
    fake, base = feed
    documents = [fresh_ids(oruk_example("service_full")) for _ in range(3)]
    for number, document in enumerate(documents):
        document["name"] = f"Offer {number}"
    fake.services = documents
    source = source_at(site, base)

    run_worker()  # looks for due feeds (this one was never refreshed) and runs the refresh

    run = ImportRun.objects.get(source=source)
    assert (run.created, run.rejected, run.failed) == (3, 0, "")
    assert sorted(Service.objects.filter(source=source).values_list("name", flat=True)) == [
        "Offer 0",
        "Offer 1",
        "Offer 2",
    ]
    # Run again at once: not due, nothing queued, nothing read.
    asked = len(fake.requests)
    assert "Queued" not in run_worker()
    assert len(fake.requests) == asked and ImportRun.objects.count() == 1


# ---- When a feed is due ------------------------------------------------------------------------------


def test_due_sources_with_explicit_times(site: Site) -> None:
    source_at(site, "https://a.example.org/api", 24, name="Never refreshed")
    recent = source_at(site, "https://b.example.org/api", 24, name="Refreshed two hours ago")
    recent.last_refreshed_at = NOW - dt.timedelta(hours=2)
    recent.save()
    old = source_at(site, "https://c.example.org/api", 24, name="Refreshed a day ago")
    old.last_refreshed_at = NOW - dt.timedelta(hours=24)
    old.save()
    asked_only = source_at(site, "https://d.example.org/api", None, name="Only when asked")
    asked_only.last_refreshed_at = NOW - dt.timedelta(days=400)
    asked_only.save()
    hourly_failed = source_at(site, "https://e.example.org/api", 1, name="Hourly, failed ten minutes ago")
    ImportRun.objects.create(
        source=hourly_failed,
        location=hourly_failed.location,
        started_at=NOW - dt.timedelta(minutes=10),
        finished_at=NOW - dt.timedelta(minutes=9),
        failed="The feed could not be reached.",
    )

    def due(at: dt.datetime) -> list[str]:
        return [s.name for s in tasks.due_sources(now=at)]

    assert due(NOW) == ["Never refreshed", "Refreshed a day ago"]
    assert due(NOW + dt.timedelta(minutes=50)) == [
        "Hourly, failed ten minutes ago",
        "Never refreshed",
        "Refreshed a day ago",
    ]
    assert "Refreshed two hours ago" in due(NOW + dt.timedelta(hours=22))
    assert "Refreshed two hours ago" not in due(NOW + dt.timedelta(hours=21, minutes=59))
    assert "Only when asked" not in due(NOW + dt.timedelta(days=1000))


def test_a_due_feed_is_queued_once_however_often_the_scheduler_looks(site: Site) -> None:
    source = source_at(site, "https://a.example.org/api")
    assert [s.pk for s in tasks.refresh_due_sources(now=NOW)] == [source.pk]
    assert tasks.refresh_due_sources(now=NOW + dt.timedelta(minutes=1)) == []
    assert tasks.request_refresh(source=source, now=NOW) is False
    assert len(queued()) == 1
    assert tasks.waiting_source_ids(now=NOW) == {str(source.pk)}


def test_a_running_refresh_also_stops_a_second_one_being_queued_until_it_is_stale(site: Site) -> None:
    source = source_at(site, "https://a.example.org/api")
    tasks.request_refresh(source=source)
    [task] = queued()
    task.claim("worker-1")
    assert tasks.request_refresh(source=source) is False
    later = timezone.now() + tasks.stale_after() + dt.timedelta(minutes=1)
    assert tasks.waiting_refresh(source_id=source.pk, now=later) is None
    assert tasks.request_refresh(source=source, now=later) is True
    assert len(queued()) == 2


# ---- Failures ----------------------------------------------------------------------------------------


@WORKER
def test_a_failing_feed_is_recorded_and_tried_again_only_when_next_due(site: Site, tmp_path: Path) -> None:
    source = source_at(site, str(tmp_path / "missing.json"), hours=6)

    run_worker()

    run = ImportRun.objects.get(source=source)
    assert "There is no file or folder" in run.failed and run.finished_at is not None
    source.refresh_from_db()
    assert source.last_refreshed_at is None  # never read successfully
    [task] = queued()
    assert task.status == TaskResultStatus.SUCCESSFUL  # the task did its job: it recorded the failure

    # The worker looks again every minute: the failed feed is not queued again until six hours on.
    assert tasks.refresh_due_sources(now=run.started_at + dt.timedelta(minutes=1)) == []
    assert tasks.refresh_due_sources(now=run.started_at + dt.timedelta(hours=5, minutes=59)) == []
    assert [s.pk for s in tasks.refresh_due_sources(now=run.started_at + dt.timedelta(hours=6))] == [source.pk]


@WORKER
def test_a_feed_that_breaks_on_the_way_recovers_on_the_next_due_refresh(
    site: Site, tmp_path: Path, oruk_example: Any
) -> None:
    path = tmp_path / "feed.json"
    path.write_text("{not json", encoding="utf-8")
    source = source_at(site, str(path), hours=1)
    run_worker()
    first = ImportRun.objects.get()
    assert first.problems and "is not valid JSON" in first.problems[0]["reason"]

    path.write_text(json.dumps(oruk_example("service_full")), encoding="utf-8")
    assert first.finished_at is not None
    assert tasks.refresh_due_sources(now=first.finished_at + dt.timedelta(minutes=59)) == []
    assert len(tasks.refresh_due_sources(now=first.finished_at + dt.timedelta(hours=1))) == 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    second = ImportRun.objects.order_by("-started_at", "-id").first()
    assert second is not None and second != first
    assert (second.created, second.problems) == (1, [])
    source.refresh_from_db()
    assert source.last_refreshed_at == second.finished_at


# ---- Never two refreshes of one feed at once ---------------------------------------------------------


def test_a_refresh_does_not_start_while_another_run_of_the_feed_is_unfinished(site: Site, example_file: str) -> None:
    source = source_at(site, example_file)
    ImportRun.objects.create(source=source, location=example_file, started_at=timezone.now())
    assert tasks.refresh(source_id=str(source.pk)) is None
    assert ImportRun.objects.count() == 1 and not Service.objects.exists()


def test_an_unfinished_run_long_past_is_recorded_as_failed_and_the_feed_refreshed(
    site: Site, example_file: str
) -> None:
    source = source_at(site, example_file)
    stale = ImportRun.objects.create(
        source=source, location=example_file, started_at=timezone.now() - tasks.stale_after() - dt.timedelta(minutes=5)
    )
    run = tasks.refresh(source_id=str(source.pk))
    assert run is not None and run.created == 1
    stale.refresh_from_db()
    assert stale.finished_at is not None and "stopped before it finished" in stale.failed


def test_of_two_workers_running_the_same_feed_only_the_first_to_start_imports(site: Site, example_file: str) -> None:
    source = source_at(site, example_file)
    tasks.refresh_source.enqueue(source_id=str(source.pk))  # two queued behind the scheduler's back
    tasks.refresh_source.enqueue(source_id=str(source.pk))
    first, second = queued()
    first.claim("worker-1")
    second.claim("worker-2")
    assert first.started_at is not None and second.started_at is not None
    if second.started_at < first.started_at:
        first, second = second, first

    assert tasks.refresh(source_id=str(source.pk), task_id=str(second.pk)) is None
    run = tasks.refresh(source_id=str(source.pk), task_id=str(first.pk))
    assert run is not None and ImportRun.objects.count() == 1


def test_a_refresh_of_a_removed_feed_does_nothing(site: Site) -> None:
    assert tasks.refresh(source_id=str(uuid.uuid4())) is None
    assert tasks.refresh(source_id="not a uuid") is None


# ---- A worker that stopped mid-refresh ---------------------------------------------------------------


@WORKER
def test_a_restarted_worker_puts_back_the_refresh_it_was_running(site: Site, example_file: str) -> None:
    source = source_at(site, example_file)
    other = source_at(site, example_file + ".other", name="Other feed")
    tasks.request_refresh(source=source)
    tasks.request_refresh(source=other)
    mine, theirs = queued()
    mine.claim("test-worker")
    theirs.claim("another-worker")
    unfinished = ImportRun.objects.create(source=source, location=example_file, started_at=timezone.now())

    output = run_worker("--no-schedule")  # the same worker id, started again

    assert "Put back 1 refresh" in output
    unfinished.refresh_from_db()
    assert unfinished.failed == tasks.STOPPED_WITH_WORKER and unfinished.finished_at is not None
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == TaskResultStatus.SUCCESSFUL  # put back, then run to the end
    assert theirs.status == TaskResultStatus.RUNNING  # another worker's: left alone
    finished = ImportRun.objects.filter(source=source).exclude(pk=unfinished.pk).get()
    assert finished.created == 1 and finished.failed == ""


# ---- Without a queue, and for cron ------------------------------------------------------------------


def test_with_the_immediate_backend_a_refresh_runs_at_once(site: Site, example_file: str) -> None:
    source = source_at(site, example_file)
    with override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}):
        assert not tasks.uses_queue()
        assert tasks.request_refresh(source=source) is True
    assert ImportRun.objects.get(source=source).created == 1
    assert not DBTaskResult.objects.exists()


def test_refresh_directory_queues_what_is_due_or_runs_it_now(site: Site, example_file: str) -> None:
    source = source_at(site, example_file)
    out = StringIO()
    call_command("refresh_directory", stdout=out)
    assert "Queued a refresh of Council directory" in out.getvalue()
    assert len(queued()) == 1

    DBTaskResult.objects.all().delete()
    out = StringIO()
    call_command("refresh_directory", "--now", stdout=out)
    assert "Council directory: created 1, updated 0, unchanged 0, rejected 0" in out.getvalue()
    source.refresh_from_db()
    assert source.last_refreshed_at is not None

    out = StringIO()
    call_command("refresh_directory", stdout=out)
    assert "No directory feed is due" in out.getvalue()


def test_import_oruk_refreshes_a_saved_feed_by_name_or_id(site: Site, example_file: str) -> None:
    from django.core.management.base import CommandError

    source = source_at(site, example_file)
    out = StringIO()
    call_command("import_oruk", "--source", "council DIRECTORY", stdout=out)
    assert "Created 1, updated 0, unchanged 0, rejected 0" in out.getvalue()
    out = StringIO()
    call_command("import_oruk", "--source", str(source.pk), "--site", "lambeth", stdout=out)
    assert "Created 0, updated 0, unchanged 1, rejected 0" in out.getvalue()
    assert ImportRun.objects.filter(source=source).count() == 2
    source.refresh_from_db()
    assert source.last_refreshed_at is not None

    with pytest.raises(CommandError, match="no saved directory feed called 'Nowhere'"):
        call_command("import_oruk", "--source", "Nowhere")
    with pytest.raises(CommandError, match="either SOURCE or --source"):
        call_command("import_oruk", example_file, "--source", "Council directory")
    with pytest.raises(CommandError, match="Say what to import"):
        call_command("import_oruk")
    ImportRun.objects.create(source=source, location=example_file, started_at=timezone.now())
    with pytest.raises(CommandError, match="already under way"):
        call_command("import_oruk", "--source", "Council directory")


class StopWorker(Exception):
    pass


def test_the_worker_looks_for_due_feeds_every_minute_and_runs_the_queue_in_between(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    from livingwell.community.management.commands import run_worker as command

    clock = [1000.0]
    looks: list[float] = []
    passes: list[float] = []

    def sleep(seconds: float) -> None:
        clock[0] += seconds
        if clock[0] >= 1000 + 150:
            raise StopWorker

    def look() -> list[ImportSource]:
        looks.append(clock[0] - 1000)
        return []

    monkeypatch.setattr(command.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(command.time, "sleep", sleep)
    monkeypatch.setattr(command.tasks, "refresh_due_sources", look)
    monkeypatch.setattr(Worker, "run", lambda self: passes.append(clock[0] - 1000))
    monkeypatch.setattr(Worker, "configure_signals", lambda self: None)
    with pytest.raises(StopWorker):
        call_command("run_worker", "--interval", "10", "--schedule-every", "60", verbosity=0)
    assert looks == [0, 60, 120]  # once a minute, not once a pass
    assert passes == [float(n) for n in range(0, 150, 10)]  # the queue is run every ten seconds
