"""`manage.py run_worker [--worker-id ID] [--interval 1] [--schedule-every 60] [--once]`.

The task worker (ADR 9): it runs the tasks waiting in the database queue (django-tasks-db) and, every
`--schedule-every` seconds, queues a refresh of each directory feed that is due. Run one per machine,
kept running by the service manager (systemd, a container's restart policy); give each worker on the
same machine its own `--worker-id`. When it starts, it puts back in the queue any refresh that it was
running when it last stopped. Ctrl+C (or SIGTERM) lets the current task finish, then stops; a second
Ctrl+C stops at once. `--once` queues what is due, runs every waiting task, and exits (for cron).
"""

from __future__ import annotations

import socket
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker

from livingwell.community import tasks


def default_worker_id() -> str:
    return f"livingwell-{socket.gethostname()}"[:64]


class Command(BaseCommand):
    help = "Run the task worker: waiting tasks, and a refresh of each directory feed when it is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--worker-id",
            default=default_worker_id(),
            help="This worker's id, the same each time it starts (default: livingwell-<host name>)",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to wait when there is nothing to do (default 1)"
        )
        parser.add_argument(
            "--schedule-every",
            dest="schedule_every",
            type=float,
            default=60.0,
            help="Seconds between looks for directory feeds that are due (default 60)",
        )
        parser.add_argument("--no-schedule", dest="schedule", action="store_false", help="Only run waiting tasks")
        parser.add_argument("--once", action="store_true", help="Queue what is due, run every waiting task, then stop")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id: str = options["worker_id"][:64]
        worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        put_back = tasks.recover_interrupted(worker_id=worker_id)
        talk = options["verbosity"] > 0
        if put_back and talk:
            self.stdout.write(f"Put back {put_back} refresh(es) that stopped when this worker last stopped.")
        if not options["once"]:
            worker.configure_signals()
        if not options["once"] and talk:
            self.stdout.write(f"Task worker {worker_id} is running. Press Ctrl+C to stop.")
        next_look = 0.0
        while worker.running:
            if options["schedule"] and time.monotonic() >= next_look:
                close_old_connections()
                for source in tasks.refresh_due_sources():
                    if talk:
                        self.stdout.write(f"Queued a refresh of {source.name}.")
                next_look = time.monotonic() + options["schedule_every"]
            worker.run()  # every waiting task, then back here
            if options["once"]:
                break
            time.sleep(options["interval"])
