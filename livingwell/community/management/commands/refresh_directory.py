"""`manage.py refresh_directory [--now]`: queue a refresh of every directory feed that is due.

`manage.py run_worker` does this every minute by itself; this command is for a machine that runs the
plain `db_worker` and schedules with cron instead. With `--now`, each due feed is refreshed here and
now, without a worker.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from livingwell.community import tasks


class Command(BaseCommand):
    help = "Queue (or with --now, run) a refresh of every directory feed that is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Refresh here and now instead of queueing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            for source in tasks.due_sources():
                run = tasks.refresh(source_id=str(source.pk))
                if run is None:
                    self.stdout.write(f"{source.name}: a refresh is already under way.")
                elif run.failed:
                    self.stdout.write(f"{source.name}: {run.failed}")
                else:
                    self.stdout.write(
                        f"{source.name}: created {run.created}, updated {run.updated}, "
                        f"unchanged {run.unchanged}, rejected {run.rejected}"
                    )
            return
        queued = tasks.refresh_due_sources()
        for source in queued:
            self.stdout.write(f"Queued a refresh of {source.name}.")
        if not queued:
            self.stdout.write("No directory feed is due for a refresh.")
