"""`manage.py import_oruk SOURCE [--site SLUG] [--modified-after 2026-01-01T00:00:00Z] [--timeout 20]`.

SOURCE is a JSON file, a folder of JSON files, or the base URL of an Open Referral UK 3.0 API
(for example https://directory.example.gov.uk/api/oruk). Importing again updates what changed and
leaves the rest. The exit status is non-zero only when the source could not be read at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from livingwell.community.imports import oruk_import
from livingwell.community.models import ImportSource
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
        parser.add_argument("source", help="A JSON file, a folder of JSON files, or the base URL of an ORUK API")
        parser.add_argument("--site", default=None, help="The site's slug (needed when there is more than one site)")
        parser.add_argument(
            "--modified-after",
            dest="modified_after",
            default=None,
            help="Only services changed after this moment (ISO 8601, for example 2026-01-01T00:00:00Z)",
        )
        parser.add_argument("--timeout", type=float, default=20, help="Seconds to wait for each answer (default 20)")

    def handle(self, *args: Any, **options: Any) -> None:
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
