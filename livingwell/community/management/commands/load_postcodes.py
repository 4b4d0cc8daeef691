"""`manage.py load_postcodes FILE [--local-authority E09000022]`: load where postcodes are.

FILE is the ONS Postcode Directory CSV (the multi-CSV "Data/ONSPD_..._UK.csv" file) or a CSV with the
header `postcode,latitude,longitude[,local_authority,ward]`. Loading again updates what changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from livingwell.community.postcodes import PostcodeFileError, postcodes_load


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


class Command(BaseCommand):
    help = "Load postcode positions from the ONS Postcode Directory CSV or a postcode,latitude,longitude CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The ONSPD CSV, or a CSV with postcode,latitude,longitude")
        parser.add_argument(
            "--local-authority",
            dest="local_authority",
            default=None,
            help="Load only this local authority's postcodes, by its GSS code (Lambeth is E09000022)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        try:
            summary = postcodes_load(path=path, local_authority=options["local_authority"])
        except PostcodeFileError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Read {path.name} as {summary.format}.")
        self.stdout.write(f"Loaded {_plural(summary.loaded, 'postcode')}.")
        skipped = [
            (summary.skipped_terminated, "terminated"),
            (summary.skipped_no_position, "without a position"),
        ]
        if options["local_authority"]:
            skipped.append((summary.skipped_elsewhere, f"outside {options['local_authority'].strip().upper()}"))
        for count, why in skipped:
            if count:
                self.stdout.write(f"Skipped {_plural(count, 'postcode')} {why}.")
        if summary.rejected:
            self.stdout.write(f"Could not read {_plural(summary.rejected, 'row')}:")
            for line, reason in summary.rejected_rows:
                self.stdout.write(f"  line {line}: {reason}")
            if summary.rejected > len(summary.rejected_rows):
                self.stdout.write(f"  and {summary.rejected - len(summary.rejected_rows):,} more")
