"""manage.py load_instrument_text FILE: load a site's licensed wording of SWEMWBS or ReQoL-10."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from livingwell.outcomes.wording import WordingError, wording_load_file


class Command(BaseCommand):
    help = "Load the licensed wording of an instrument (SWEMWBS, ReQoL-10) from the site's own JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="JSON file with the licensed wording (see the README)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            loaded = wording_load_file(options["file"])
        except WordingError as error:
            raise CommandError(error.message) from None
        for wording in loaded:
            self.stdout.write(
                f"Loaded the wording of {wording.instrument} version {wording.instrument_version}: "
                f"{len(wording.items)} items, {len(wording.options)} responses."
            )
