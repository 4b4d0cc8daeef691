"""`manage.py import_oruk SOURCE [--site SLUG] [--modified-after 2026-01-01T00:00:00Z] [--timeout 20]`,
or `manage.py import_oruk --source NAME-OR-ID` to refresh a saved directory feed now (as the task
worker does: recorded against the feed, and not while another refresh of it is under way).

SOURCE is a JSON file, a folder of JSON files, or the base URL of an Open Referral UK 3.0 API
(for example https://directory.example.gov.uk/api/oruk). Importing again updates what changed and
leaves the rest. The exit status is non-zero only when the source could not be read at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from livingwell.community.imports import oruk_import
from livingwell.community.models import ImportRun, ImportSource
from livingwell.community.tasks import refresh
from livingwell.network.models import Site


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("z", "Z"))
    except ValueError:
        raise CommandError(f"--modified-after '{text}' is not a date and time like 2026-01-01T00:00:00Z.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class Command(BaseCommand):
    help = "Import services, taxonomies and terms from an ORUK 3.0 JSON file, folder or API."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "source", nargs="?", help="A JSON file, a folder of JSON files, or the base URL of an ORUK API"
        )
        parser.add_argument(
            "--source",
            dest="saved_source",
            default=None,
            help="Refresh a saved directory feed instead, by its name or id",
        )
        parser.add_argument("--site", default=None, help="The site's slug (needed when there is more than one site)")
        parser.add_argument(
            "--modified-after",
            dest="modified_after",
            default=None,
            help="Only services changed after this moment (ISO 8601, for example 2026-01-01T00:00:00Z)",
        )
        parser.add_argument("--timeout", type=float, default=20, help="Seconds to wait for each answer (default 20)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["saved_source"]:
            if options["source"] or options["modified_after"]:
                raise CommandError("Give either SOURCE or --source, and --modified-after only with SOURCE.")
            run = self._refresh_saved(options["saved_source"], options["site"])
        elif not options["source"]:
            raise CommandError("Say what to import: a file, folder or URL, or --source with a saved feed's name.")
        else:
            site = self._site(options["site"])
            modified_after = _moment(options["modified_after"]) if options["modified_after"] else None
            location: str = options["source"]
            source = ImportSource.objects.filter(site=site, location=location).first()
            run = oruk_import(
                site=site,
                location=location,
                modified_after=modified_after,
                source=source,
                timeout=options["timeout"],
            )
        self._report(run)

    def _refresh_saved(self, wanted: str, slug: str | None) -> ImportRun:
        sources = ImportSource.objects.all()
        if slug:
            sources = sources.filter(site__slug=slug)
        try:
            matches = list(sources.filter(pk=uuid.UUID(wanted)))
        except ValueError:
            matches = list(sources.filter(name__iexact=wanted.strip())[:2])
        if not matches:
            raise CommandError(f"There is no saved directory feed called '{wanted}'.")
        if len(matches) > 1:
            raise CommandError(f"More than one site has a feed called '{wanted}': say which with --site SLUG.")
        run = refresh(source_id=str(matches[0].pk))
        if run is None:
            raise CommandError(f"A refresh of {matches[0].name} is already under way.")
        return run

    def _report(self, run: ImportRun) -> None:
        self.stdout.write(
            f"Created {run.created}, updated {run.updated}, unchanged {run.unchanged}, rejected {run.rejected}"
        )
        for problem in run.problems:
            shown_id = f" ({problem['id']})" if problem.get("id") else ""
            self.stdout.write(f"{problem['where']}{shown_id}: {problem['reason']}")
        if run.failed:
            raise CommandError(run.failed)

    def _site(self, slug: str | None) -> Site:
        if slug:
            site = Site.objects.filter(slug=slug).first()
            if site is None:
                raise CommandError(f"There is no site with the slug '{slug}'.")
            return site
        sites = list(Site.objects.order_by("slug")[:2])
        if not sites:
            raise CommandError("There is no site yet: create one first.")
        if len(sites) > 1:
            raise CommandError("There is more than one site: say which with --site SLUG.")
        return sites[0]
