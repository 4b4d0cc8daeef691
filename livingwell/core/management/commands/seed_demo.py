"""`manage.py seed_demo`: build the synthetic Lambeth Living Well site (safe to run again)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from livingwell.core.synthetic import (
    DEMO_PASSWORD,
    DEMO_SIGN_INS,
    SITE_NAME,
    SITE_SLUG,
    IncompleteSiteError,
    build_site,
)
from livingwell.core.synthetic.collaborative import COLLABORATIVE_SIGN_INS
from livingwell.core.synthetic.demo import placeholder_wording
from livingwell.core.synthetic.offers import feed_folder, write_council_feed
from livingwell.network.models import Site
from livingwell.outcomes.models import InstrumentWording
from livingwell.outcomes.wording import wording_load


def load_placeholder_wording() -> list[str]:
    """Placeholder wording for each licensed instrument that has none loaded (real wording is never replaced)."""
    missing = [
        entry
        for entry in placeholder_wording()
        if not InstrumentWording.objects.filter(
            instrument=entry["instrument"], instrument_version=entry["version"]
        ).exists()
    ]
    return [wording.instrument for wording in wording_load(data=missing)] if missing else []


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date like 2026-03-31, not {value!r}") from None


class Command(BaseCommand):
    help = "Build a deterministic synthetic Living Well site with demo sign-ins for every role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=2000, help="How many people (default 2000).")
        parser.add_argument("--seed", type=int, default=2026, help="The random seed (default 2026).")
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="The day the data runs up to (YYYY-MM-DD; default today). Same seed and day, same site.",
        )
        parser.add_argument("--chunk-size", type=int, default=5000, help="People written per transaction.")
        parser.add_argument(
            "--offers",
            type=int,
            default=None,
            help="Community offers in the directory (default one per ten people, at least 300, at most 100,000).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] >= 1
        people = options["people"]
        if people < 1:
            raise CommandError("--people must be at least 1")
        if verbose and not Site.objects.filter(slug=SITE_SLUG).exists():
            self.stdout.write(f"Building {SITE_NAME} with {people:,} people (seed {options['seed']})…")
        try:
            result = build_site(
                people=people,
                seed=options["seed"],
                today=options["today"],
                chunk_size=options["chunk_size"],
                offers=options["offers"],
                progress=(lambda message: self.stdout.write(f"  {message}")) if options["verbosity"] >= 2 else None,
            )
        except (IncompleteSiteError, ValueError) as error:
            raise CommandError(str(error)) from error
        placeholders = load_placeholder_wording()
        # The council's feed that half the directory came from, as a folder of ORUK pages on this machine,
        # so that a coordinator can refresh it for real from /community/feeds/.
        feed = feed_folder(settings.VAR_DIR)
        fed = write_council_feed(site=result.site, folder=feed)
        if not verbose:
            return
        if result.created:
            self.stdout.write(self.style.SUCCESS(f"Built {result.site.name} in {result.seconds:.1f} s."))
        else:
            self.stdout.write(f"{result.site.name} is already built; nothing was added.")
        width = max(len(name) for name in result.counts)
        for name, count in result.counts.items():
            self.stdout.write(f"  {name:<{width}}  {count:>9,}")
        if placeholders:
            self.stdout.write(
                f"Loaded placeholder wording for {', '.join(placeholders)}, so that their forms can be tried on the"
                " demo. A real site loads its licensed wording with manage.py load_instrument_text."
            )
        self.stdout.write(
            f"The council's directory feed ({fed:,} offers) is in {feed}; refresh it from /community/feeds/."
        )
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        email_width = max(len(s.email) for s in DEMO_SIGN_INS)
        label_width = max([len(s.label) for s in DEMO_SIGN_INS] + [len(m.label) for m in COLLABORATIVE_SIGN_INS])
        for signin in DEMO_SIGN_INS:
            note = "  + code from: python manage.py demo_totp " + signin.email if signin.two_factor else ""
            who = signin.name if signin.role is not None else f"{result.demo_person_name or signin.name}"
            self.stdout.write(f"  {signin.email:<{email_width}}  {signin.label:<{label_width}}  {who}{note}")
        self.stdout.write('In the Collaborative (no staff role; the person above is a member there too, as "Jay"):')
        for member in COLLABORATIVE_SIGN_INS:
            self.stdout.write(f"  {member.email:<{email_width}}  {member.label:<{label_width}}  {member.known_as}")
