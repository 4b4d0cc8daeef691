"""`manage.py bench`: time each page against two floors, and write docs/benchmarks.md.

For every page that exists, signed in as the demo account of the role that uses it, this takes the
median and 95th percentile of the full Django request (middleware, view, selectors, audit writes,
Jinja rendering) through the test client, and counts the queries. Some selectors are also timed on
their own, called directly (the Hub queue and the public waiting figures), so that the cost of the
page around them shows; a page whose URL does not exist yet is left out and listed as not built.
Beside each page are two floors:

- raw SQL: the same rows fetched with one hand-written query through `connection.cursor()`, the
  least any implementation would pay the database;
- empty view: a view that returns an empty response, through the same middleware and signed in as
  the same user, the least any page pays the framework.

Run it on a site built by `seed_demo` (scripts/bench does both). Every page view writes audit events,
as in real use, so the database grows a little with each run.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import re
import sqlite3
import statistics
import time
import tracemalloc
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.access.models import OPEN_STATES, Introduction, MatchStatus
from livingwell.access.selectors import QueueFilters, front_door_queue, waiting_figures
from livingwell.accounts.models import User
from livingwell.collaborative.balcony import BY_KEY
from livingwell.collaborative.models import (
    ApprovalVote,
    Attendance,
    BalconyPlacement,
    ConsentLevel,
    Decision,
    DecisionMethod,
    DecisionOption,
    DecisionParticipant,
    DecisionResult,
    DecisionStatus,
    FundRound,
    FundStage,
    Group,
    GroupKind,
    GroupMembership,
    GroupRole,
    Insight,
    Member,
    ParticipantRole,
    Perspective,
    Pitch,
    PitchStatus,
    Principle,
    PrincipleRating,
    PrincipleView,
    Prototype,
    ReflectionRound,
    Reply,
    Session,
    SessionStatus,
    Stance,
    Story,
    StoryStatus,
    Theme,
)
from livingwell.collaborative.stories import words_hash
from livingwell.community.geo import bounding_box
from livingwell.community.mapping import MAX_FEATURES
from livingwell.community.models import Curation, Location, Service
from livingwell.community.search import OfferFilters, offer_search
from livingwell.core.synthetic import DEMO_SIGN_INS, SITE_SLUG, demo_sign_in
from livingwell.core.synthetic.collaborative import COLLABORATIVE_CHAIR, COLLABORATIVE_MEMBER, COLLABORATIVE_SIGN_INS
from livingwell.core.synthetic.data import HERITAGES, LOCALITIES
from livingwell.core.synthetic.demo import DEMO_DOMAIN, DEMO_LOCALITY
from livingwell.core.synthetic.offers import MAX_OFFERS, build_offers
from livingwell.network.models import SUPPORT_ROLES, Locality, Membership, Role, Site, Team
from livingwell.outcomes.change import Direction, change_lines
from livingwell.outcomes.instruments import CODES, get_instrument
from livingwell.outcomes.models import Measure, MeasureStatus
from livingwell.people.models import Person
from livingwell.support.models import Goal, SupportPeriod
from livingwell.support.selectors import CASELOAD_PAGE_SIZE
from livingwell.support.services.plans import goal_change


def _empty_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"")


EMPTY_PATH = "/__bench__/empty/"
# This module doubles as the URLconf for the empty-view floor: the real URLs plus the empty view.
urlpatterns = [path(EMPTY_PATH.strip("/") + "/", _empty_view), path("", include(settings.ROOT_URLCONF))]

Query = tuple[str, Sequence[Any]]

# The Collaborative at a big borough network after several years, whatever the number of people: the
# synthetic site has one year of it, so bench tops it up to this (see `Command._add_collaborative`).
COLLABORATIVE_SCALE = {"members": 300, "sessions": 500, "decisions": 2000, "stories": 1000, "reflection rounds": 5}


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # for a selector, what is called (shown in the notes)
    signin: str | None  # a demo email, or None for someone not signed in
    raw: Callable[[], Query] | None
    raw_note: str = ""
    call: Callable[[], object] | None = None  # a selector timed on its own, instead of a request

    @property
    def is_selector(self) -> bool:
        return self.call is not None


@dataclass
class Result:
    page: Page
    status: int
    median_ms: float = 0.0
    p95_ms: float = 0.0
    queries: int = 0
    raw_ms: float | None = None
    raw_rows: int | None = None
    empty_ms: float = 0.0
    kb: float = 0.0
    error: str = ""


@dataclass
class Work:
    """Work over the whole site, done once (not per request): how long, how fast, how much memory."""

    name: str
    code: str  # what is called (shown in the notes)
    items: int = 0
    unit: str = "measures"
    seconds: float = 0.0
    peak_mb: float = 0.0
    queries: int = 0
    findings: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.items / self.seconds if self.seconds else 0.0


# ---- whole-site work on measures ---------------------------------------------------------------------------

_FINISHED_CHUNK = 2000  # rows fetched at a time: memory stays flat however large the site


def _finished(site: Site, *fields: str) -> Iterator[Measure]:
    """Every finished measure of the site, a person and instrument at a time, oldest first (streamed)."""
    return (
        Measure.objects.filter(person__site=site, status=MeasureStatus.COMPLETE)
        .order_by("person_id", "instrument", "completed_at", "id")
        .only("person_id", "instrument", "instrument_version", "completed_at", *fields)
        .iterator(chunk_size=_FINISHED_CHUNK)
    )


def score_every_measure(site: Site) -> tuple[int, Counter[str]]:
    """Score every finished measure of the site with the scoring engine, as insights will; how many of each."""
    scored: Counter[str] = Counter()
    for measure in _finished(site, "answers"):
        get_instrument(measure.instrument, measure.instrument_version).score_by_key(measure.answers)
        scored[measure.instrument] += 1
    return sum(scored.values()), scored


# What each instrument's headline change is judged on: DIALOG's quality of life, each goal, the totals.
_HEADLINE = {"dialog": "quality_of_life", "swemwbs": "metric", "reqol10": "total"}


def reliable_change_shares(site: Site) -> tuple[int, dict[str, Counter[Direction]]]:
    """First against latest for everyone, in one pass over the site's finished measures (`change_lines` for
    each person and instrument, with the site's figures for reliable change): how many lines of each instrument's headline
    were a reliable improvement, no reliable change or a reliable deterioration. Returns the people seen."""
    directions: dict[str, Counter[Direction]] = defaultdict(Counter)
    people: set[uuid.UUID] = set()
    group: list[Measure] = []

    def judge() -> None:
        code = group[0].instrument
        for line in change_lines(group, site=site):
            if line.direction is not None and (code == "gbo" or line.key == _HEADLINE.get(code)):
                directions[code][line.direction] += 1

    for measure in _finished(site, "answers", "goals"):
        if group and (measure.person_id, measure.instrument) != (group[0].person_id, group[0].instrument):
            judge()
            group = []
        group.append(measure)
        people.add(measure.person_id)
    if group:
        judge()
    return len(people), directions


def _uuid_param(value: uuid.UUID | str) -> Any:
    return models.UUIDField().get_db_prep_value(value, connection)


def _dt_param(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


# Role values are constants from our own code, never input.
_SUPPORT_ROLES_SQL = ", ".join(f"'{role.value}'" for role in sorted(SUPPORT_ROLES))


# The people a support worker may see (the access policy's `people_visible_q`), written by hand as
# a UNION of person ids so that each branch can use its index (params: the user's id, four times).
_VISIBLE = """WITH visible AS (
        SELECT id AS person_id FROM people_person WHERE user_id = %s
        UNION
        SELECT sp.person_id FROM support_supportperiod sp
        WHERE sp.ended_at IS NULL AND sp.team_id IN (
            SELECT m.team_id FROM network_membership m
            WHERE m.user_id = %s AND m.ended_on IS NULL AND m.role IN (ROLES))
        UNION
        SELECT sp.person_id FROM support_allocation a JOIN support_supportperiod sp ON sp.id = a.support_period_id
        WHERE a.worker_id = %s AND a.ended_at IS NULL AND sp.ended_at IS NULL
        UNION
        SELECT c.person_id FROM people_sharingconsent c
        WHERE c.withdrawn_at IS NULL AND c.organisation_id IN (
            SELECT m.organisation_id FROM network_membership m
            WHERE m.user_id = %s AND m.ended_on IS NULL AND m.role IN (ROLES))
    )""".replace("ROLES", _SUPPORT_ROLES_SQL)
_VISIBLE_NOTE = (
    "the first page of the people the worker may see, found as a UNION of person ids (team, allocation,"
    " consent, self) with each branch on its own index, and their count"
)
PEOPLE_LIST_SQL = """<visible>
    SELECT p.id, p.given_name, p.family_name, p.preferred_name, p.date_of_birth, p.nhs_number, p.postcode,
           (SELECT COUNT(*) FROM visible) AS total
    FROM people_person p WHERE p.id IN (SELECT person_id FROM visible)
    ORDER BY p.family_name, p.given_name, p.id LIMIT 25""".replace("<visible>", _VISIBLE)
PEOPLE_SEARCH_SQL = """<visible>, matching AS (
        SELECT p.id FROM people_person p
        WHERE p.id IN (SELECT person_id FROM visible)
          AND (p.given_name LIKE %s OR p.family_name LIKE %s OR p.preferred_name LIKE %s))
    SELECT p.id, p.given_name, p.family_name, p.preferred_name, p.date_of_birth, p.nhs_number, p.postcode,
           (SELECT COUNT(*) FROM matching) AS total
    FROM people_person p WHERE p.id IN (SELECT id FROM matching)
    ORDER BY p.family_name, p.given_name, p.id LIMIT 25""".replace("<visible>", _VISIBLE)


_OPEN_SQL = ", ".join(f"'{state.value}'" for state in OPEN_STATES)  # constants from our own code
# The first page of the Hub queue (urgent first, then longest waiting) with what each row shows, and the
# count (params: site id twice, then any filter values; FILTER is replaced by the filter's conditions).
QUEUE_SQL = """WITH waiting AS (
        SELECT i.id FROM front_door_introduction i WHERE i.site_id = %s AND i.state IN (OPEN) FILTER)
    SELECT i.id, i.reference, p.given_name, p.family_name, p.preferred_name, p.first_language, p.interpreter_needed,
           l.name, i.source, i.introduced_at, i.urgent, i.state,
           (SELECT COUNT(*) FROM front_door_contactattempt a WHERE a.introduction_id = i.id),
           (SELECT COUNT(*) FROM front_door_possiblematch m WHERE m.introduction_id = i.id AND m.status = 'pending'),
           (SELECT b.starts_at FROM front_door_booking b WHERE b.introduction_id = i.id AND b.status = 'booked'),
           (SELECT COUNT(*) FROM waiting)
    FROM front_door_introduction i
    JOIN people_person p ON p.id = i.person_id
    LEFT JOIN network_locality l ON l.id = i.locality_id
    WHERE i.site_id = %s AND i.state IN (OPEN) FILTER
    ORDER BY i.urgent DESC, i.introduced_at, i.id LIMIT 50""".replace("OPEN", _OPEN_SQL)
_QUEUE_NOTE = (
    "the first 50 of the queue with the person, area, attempts, possible matches and next booking of each,"
    " and the count, in one query"
)
# The waits behind the public figures: 90 days of first conversations and second contacts, and who is waiting now.
WAITING_SQL = """SELECT 'met', introduced_at, first_conversation_at, CAST(NULL AS BOOLEAN) FROM front_door_introduction
        WHERE site_id = %s AND first_conversation_at >= %s AND first_conversation_at <= %s
    UNION ALL
    SELECT 'second', introduced_at, second_contact_at, NULL FROM front_door_introduction
        WHERE site_id = %s AND second_contact_at >= %s AND second_contact_at <= %s
    UNION ALL
    SELECT 'waiting', introduced_at, NULL, urgent FROM front_door_introduction
        WHERE site_id = %s AND state IN (OPEN) AND introduced_at <= %s""".replace("OPEN", _OPEN_SQL)
_WAITING_NOTE = "the waits behind the figures (90 days of first conversations and second contacts, and who waits now)"


OFFERS_SQL = """SELECT s.id, s.document, o.document,
  (SELECT COUNT(*) FROM community_service s WHERE s.site_id = %s AND s.curation = %s<search>)
FROM community_service s LEFT JOIN community_organization o ON o.id = s.organization_id
WHERE s.site_id = %s AND s.curation = %s<search> ORDER BY s.name, s.id LIMIT 50"""
_OFFERS_SEARCH = " AND s.search_text LIKE %s"

NEARBY_SQL = """SELECT sal.id, s.document, l.document FROM community_serviceatlocation sal
JOIN community_service s ON s.id = sal.service_id JOIN community_location l ON l.id = sal.location_id
WHERE s.site_id = %s AND s.curation = %s AND l.lat BETWEEN %s AND %s AND l.lng BETWEEN %s AND %s
ORDER BY (l.lat - %s) * (l.lat - %s) + (l.lng - %s) * (l.lng - %s) LIMIT 50"""


def _url(name: str, *args: object) -> str | None:
    """The page's address, or None while it is not built."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


class Command(BaseCommand):
    help = "Benchmark each page against raw SQL and an empty view; write the results to docs/benchmarks.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", type=int, default=30, help="Timed requests per page (default 30).")
        parser.add_argument("--warm-up", type=int, default=5, help="Untimed requests first (default 5).")
        parser.add_argument("--output", default="docs/benchmarks.md", help="Markdown file to update ('-' for none).")
        parser.add_argument("--build-seconds", type=float, default=None, help="How long seed_demo took, if known.")
        parser.add_argument("--build-note", default="", help="How the build time was measured.")
        parser.add_argument(
            "--offers",
            type=int,
            default=None,
            help="Add community offers to the site until it holds this many (for search at scale, such as 100000),"
            " before measuring. They stay in the database: scripts/bench works on a copy when OFFERS is set.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.objects.filter(slug=SITE_SLUG).first()
        if site is None:
            raise CommandError("No demo site here: run `manage.py seed_demo` first.")
        self.requests, self.warm_up = options["requests"], options["warm_up"]
        scale = Person.objects.filter(site=site).count()
        if options["offers"] is not None:
            self._add_offers(site, options["offers"])
        offers = Service.objects.filter(site=site).count()
        self.clients: dict[str | None, Client] = {}
        self.empty_floor: dict[str | None, float] = {}
        self.not_built: list[str] = []
        self._add_collaborative(site)
        results = [self._measure(page) for page in self._pages(site)]
        work = self._site_work(site)
        section = _section(
            scale=scale,
            results=results,
            requests=self.requests,
            build_seconds=options["build_seconds"],
            build_note=options["build_note"],
            not_built=self.not_built,
            work=work,
            offers=offers,
        )
        self.stdout.write(section)
        if options["output"] != "-":
            _update_report(Path(options["output"]), scale, section, options["build_seconds"])
            self.stdout.write(self.style.SUCCESS(f"Wrote {options['output']}"))

    # ---- what is measured -----------------------------------------------------------------------

    def _pages(self, site: Site) -> list[Page]:
        worker_signin = demo_sign_in(Role.RECOVERY_WORKER)
        worker = User.objects.get(email=worker_signin.email)
        leader = User.objects.get(email=demo_sign_in(Role.TEAM_LEADER).email)
        team_id = Membership.objects.current().get(user=leader, role=Role.TEAM_LEADER).team_id
        assert team_id is not None, "the demo team leader leads a team"
        person = Person.objects.get(user__email=demo_sign_in(None).email)
        site_id = _uuid_param(site.pk)
        visible_params = [_uuid_param(worker.pk)] * 4

        def worker_home() -> Query:
            return (
                """SELECT p.id, p.given_name, p.family_name, p.preferred_name, a.started_at
                FROM support_allocation a
                JOIN support_supportperiod sp ON sp.id = a.support_period_id
                JOIN people_person p ON p.id = sp.person_id
                WHERE a.worker_id = %s AND a.ended_at IS NULL AND sp.ended_at IS NULL
                ORDER BY p.family_name, p.given_name""",
                [_uuid_param(worker.pk)],
            )

        def team_leader_home() -> Query:
            return (
                """WITH page AS (
                    SELECT sp.id, sp.started_at, p.id AS person_id, p.given_name, p.family_name, p.preferred_name
                    FROM support_supportperiod sp JOIN people_person p ON p.id = sp.person_id
                    WHERE sp.team_id = %s AND sp.ended_at IS NULL
                    ORDER BY p.family_name, p.given_name, sp.id LIMIT %s)
                SELECT page.*, u.display_name,
                    (SELECT COUNT(*) FROM support_supportperiod WHERE team_id = %s AND ended_at IS NULL),
                    (SELECT COUNT(*) FROM support_supportperiod s3 WHERE s3.team_id = %s AND s3.ended_at IS NULL
                        AND NOT EXISTS (SELECT 1 FROM support_allocation a3
                                        WHERE a3.support_period_id = s3.id AND a3.ended_at IS NULL))
                FROM page
                LEFT JOIN support_allocation a ON a.support_period_id = page.id AND a.ended_at IS NULL
                LEFT JOIN accounts_user u ON u.id = a.worker_id
                ORDER BY page.family_name, page.given_name, page.id""",
                [_uuid_param(team_id), CASELOAD_PAGE_SIZE, _uuid_param(team_id), _uuid_param(team_id)],
            )

        def coordinator_home() -> Query:
            now = timezone.now()
            return (
                """SELECT * FROM (
                    SELECT 'queue' AS kind, i.id, p.given_name, p.family_name, p.preferred_name, i.source,
                           i.introduced_at, i.urgent, i.state, i.first_conversation_at
                    FROM front_door_introduction i JOIN people_person p ON p.id = i.person_id
                    WHERE i.site_id = %s AND i.state IN ('new', 'contacting', 'booked')
                    ORDER BY i.urgent DESC, i.introduced_at LIMIT 50) queue
                UNION ALL
                SELECT 'waited', NULL, NULL, NULL, NULL, NULL, w.introduced_at, NULL, NULL, w.first_conversation_at
                FROM front_door_introduction w
                WHERE w.site_id = %s AND w.first_conversation_at >= %s AND w.first_conversation_at <= %s
                UNION ALL
                SELECT 'waiting', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
                FROM front_door_introduction o WHERE o.site_id = %s AND o.state IN ('new', 'contacting', 'booked')""",
                [
                    site_id,
                    site_id,
                    _dt_param(now - dt.timedelta(days=90)),
                    _dt_param(now),
                    site_id,
                ],
            )

        def analyst_home() -> Query:
            now = timezone.now()
            return (
                """SELECT t.name, COUNT(sp.id),
                    (SELECT COUNT(*) FROM people_person WHERE site_id = %s),
                    (SELECT COUNT(DISTINCT s2.person_id) FROM support_supportperiod s2
                        JOIN network_team t2 ON t2.id = s2.team_id WHERE t2.site_id = %s AND s2.ended_at IS NULL),
                    (SELECT COUNT(*) FROM support_supportperiod s3 JOIN network_team t3 ON t3.id = s3.team_id
                        WHERE t3.site_id = %s AND s3.ended_at IS NULL AND NOT EXISTS (
                            SELECT 1 FROM support_allocation a WHERE a.support_period_id = s3.id AND a.ended_at IS NULL)),
                    (SELECT COUNT(*) FROM front_door_introduction WHERE site_id = %s AND state IN ('new', 'contacting', 'booked')),
                    (SELECT COUNT(*) FROM front_door_introduction WHERE site_id = %s
                        AND first_conversation_at >= %s AND first_conversation_at <= %s)
                FROM network_team t JOIN support_supportperiod sp ON sp.team_id = t.id AND sp.ended_at IS NULL
                WHERE t.site_id = %s GROUP BY t.name ORDER BY t.name""",
                [
                    site_id,
                    site_id,
                    site_id,
                    site_id,
                    site_id,
                    _dt_param(now - dt.timedelta(days=90)),
                    _dt_param(now),
                    site_id,
                ],
            )

        def people_list() -> Query:
            return PEOPLE_LIST_SQL, visible_params

        def people_search() -> Query:
            return PEOPLE_SEARCH_SQL, [*visible_params, "Smith%", "Smith%", "Smith%"]

        def person_record() -> Query:
            return (
                """SELECT p.*, s.what_brought_me_here, s.going_well, s.hard, s.would_like_to_achieve, s.who_can_help,
                       r.name, r.kind, r.part_they_play, r.contact, o.name
                FROM people_person p
                LEFT JOIN people_story s ON s.person_id = p.id
                LEFT JOIN people_relationship r ON r.person_id = p.id
                LEFT JOIN people_sharingconsent c ON c.person_id = p.id AND c.withdrawn_at IS NULL
                LEFT JOIN network_organisation o ON o.id = c.organisation_id
                WHERE p.id = %s AND EXISTS (
                    SELECT 1 FROM support_allocation a JOIN support_supportperiod sp ON sp.id = a.support_period_id
                    WHERE sp.person_id = p.id AND sp.ended_at IS NULL AND a.ended_at IS NULL AND a.worker_id = %s)""",
                [_uuid_param(person.pk), _uuid_param(worker.pk)],
            )

        def own_access_log() -> Query:
            return (
                """SELECT e.occurred_at, e.actor_name, e.actor_roles, e.actor_organisation, e.action, e.parts,
                       e.basis, e.outcome
                FROM audit_auditevent e
                WHERE e.person_id = (SELECT id FROM people_person WHERE user_id = %s)
                ORDER BY e.occurred_at DESC, e.id DESC LIMIT 200""",
                [_uuid_param(person.user_id or person.pk)],
            )

        def privacy_log() -> Query:
            return (
                """SELECT e.occurred_at, e.actor_name, e.actor_roles, e.action, e.parts, e.basis, e.outcome,
                       e.person_id, (SELECT COUNT(*) FROM audit_auditevent) AS total
                FROM audit_auditevent e ORDER BY e.occurred_at DESC, e.id DESC LIMIT 50""",
                [],
            )

        def network_overview() -> Query:
            return (
                """SELECT
                    (SELECT COUNT(*) FROM network_organisation WHERE site_id = %s AND is_active),
                    (SELECT COUNT(*) FROM network_team WHERE site_id = %s AND is_active),
                    (SELECT COUNT(DISTINCT user_id) FROM network_membership WHERE site_id = %s AND ended_on IS NULL),
                    (SELECT COUNT(*) FROM network_locality WHERE site_id = %s)""",
                [site_id, site_id, site_id, site_id],
            )

        def privacy_overview() -> Query:
            week = _dt_param(timezone.now() - dt.timedelta(days=7))
            return (
                """SELECT
                    (SELECT COUNT(*) FROM audit_breakglass WHERE reviewed_at IS NULL),
                    (SELECT COUNT(*) FROM audit_auditevent WHERE outcome = 'refused' AND occurred_at >= %s),
                    (SELECT COUNT(*) FROM audit_auditevent WHERE occurred_at >= %s)""",
                [week, week],
            )

        def email(role: Role | None) -> str:
            return demo_sign_in(role).email

        pages = [
            Page("Landing page", "/", None, None, "static page: no data"),
            Page("Health check", "/healthz", None, lambda: ("SELECT 1", [])),
            Page("Worker home (people I support)", "/home/", worker_signin.email, worker_home),
            Page(
                "Team leader home (team caseload)",
                "/home/",
                email(Role.TEAM_LEADER),
                team_leader_home,
                "the first page of the caseload with each person's worker, the caseload count and the count"
                " waiting for a worker",
            ),
            Page(
                "Coordinator home (front door queue)",
                "/home/",
                email(Role.HUB_COORDINATOR),
                coordinator_home,
                "queue, 90 days of waits and the waiting count in one UNION",
            ),
            Page(
                "Analyst home (site aggregates)",
                "/home/",
                email(Role.ANALYST),
                analyst_home,
                "counts only; the page also lists 90 days of waits for the median",
            ),
            Page("Site administrator home", "/home/", email(Role.SITE_ADMINISTRATOR), network_overview),
            Page("Privacy officer home", "/home/", email(Role.PRIVACY_OFFICER), privacy_overview),
            Page("People list (team worker)", "/people/", worker_signin.email, people_list, _VISIBLE_NOTE),
            Page("People search 'Smith'", "/people/?q=Smith", worker_signin.email, people_search, _VISIBLE_NOTE),
            Page(
                "Person record",
                f"/people/{person.pk}/",
                worker_signin.email,
                person_record,
                "person, story, network and sharing in one join",
            ),
            Page("My access log (the person)", "/people/me/access-log/", email(None), own_access_log),
            Page("Audit trail (privacy officer)", "/privacy/access-log/", email(Role.PRIVACY_OFFICER), privacy_log),
        ]
        return (
            pages
            + self._front_door_pages(site)
            + self._support_pages(site)
            + self._measures_pages(site)
            + self._community_pages(site)
            + self._collaborative_pages(site)
        )

    def _add_offers(self, site: Site, wanted: int) -> None:
        """Top the directory up to `wanted` offers, drawn from their own stream (new ids, same mix)."""
        if not 1 <= wanted <= MAX_OFFERS:
            raise CommandError(f"--offers must be between 1 and {MAX_OFFERS:,}")
        have = Service.objects.filter(site=site).count()
        if have >= wanted:
            return
        started = time.perf_counter()
        build_offers(
            site=site,
            count=wanted - have,
            seed=have,
            today=timezone.localdate(),
            stream="bench-offers",
            progress=self.stdout.write,
        )
        self.stdout.write(f"Added {wanted - have:,} offers in {time.perf_counter() - started:.1f} s")

    # ---- the Collaborative ----------------------------------------------------------------------

    def _add_collaborative(self, site: Site) -> None:
        """Top the Collaborative up to a big borough network's several years (`COLLABORATIVE_SCALE`), in
        bulk: members (who join the whole Collaborative, some groups, and vote in the awarded fund round),
        held sessions with attendance, decided decisions with who took part, shared stories with themes,
        and reflection rounds with every respondent's ratings and placements. Each part is topped up only
        while it is short, so a rerun on the same database adds nothing."""
        whole = Group.objects.filter(site=site, kind=GroupKind.COLLABORATIVE).first()
        if whole is None:
            self.not_built.append("the Collaborative (the site has no Collaborative)")
            return
        started = time.perf_counter()
        rng = random.Random(f"bench-collaborative:{site.pk}")  # noqa: S311 (synthetic rows, no secret)
        today = timezone.localdate()
        added = Counter[str]()
        groups = list(Group.objects.filter(site=site).order_by("name"))
        working = [g for g in groups if g.ended_on is None]
        # Members, with a sign-in each, in the whole Collaborative and in one or two other groups.
        wanted = COLLABORATIVE_SCALE["members"] - Member.objects.current().filter(site=site).count()
        if wanted > 0:
            password = make_password(None)
            stamp = timezone.now()
            heritages = list(HERITAGES.values())
            kinds = ("lived_experience",) * 5 + ("carer",) * 2 + ("citizen", "staff", "commissioner")
            users, members = [], []
            for n in range(wanted):
                heritage = rng.choice(heritages)
                given = rng.choice(heritage.women if rng.random() < 0.55 else heritage.men)
                family = rng.choice(heritage.family)
                user = User(
                    email=f"bench-member{n:04d}@collaborative.{DEMO_DOMAIN}",
                    display_name=f"{given} {family}",
                    password=password,
                    date_joined=stamp,
                )
                users.append(user)
                kind = rng.choice(kinds)
                joined = today - dt.timedelta(days=rng.randint(20, 5 * 365))
                members.append(
                    Member(
                        site=site, user=user, known_as=f"{given} {family[:1]}.", joined_on=joined,
                        listed=rng.random() < 0.9, public_name=rng.random() < 0.4,
                        **{kind: True}, **({"carer": True} if kind == "lived_experience" and rng.random() < 0.1 else {}),
                    )
                )  # fmt: skip
            User.objects.bulk_create(users, batch_size=500)
            Member.objects.bulk_create(members, batch_size=500)
            places = [
                GroupMembership(
                    group=whole, member=m, role=GroupRole.MEMBER, started_on=max(m.joined_on, whole.started_on)
                )
                for m in members
            ]
            others = [g for g in working if g.pk != whole.pk]
            for member in members:
                for group in rng.sample(others, k=min(len(others), rng.choice((0, 1, 1, 2)))):
                    places.append(
                        GroupMembership(
                            group=group, member=member, role=GroupRole.MEMBER,
                            started_on=max(member.joined_on, group.started_on),
                        )
                    )  # fmt: skip
            GroupMembership.objects.bulk_create(places, batch_size=1000)
            awarded = FundRound.objects.filter(site=site, stage=FundStage.AWARDED).order_by("-pitches_close_on").first()
            if awarded is not None:
                ballot = list(
                    Pitch.objects.filter(round=awarded, status__in=(PitchStatus.FUNDED, PitchStatus.NOT_FUNDED))
                )
                ApprovalVote.objects.bulk_create(
                    [
                        ApprovalVote(round=awarded, pitch=pitch, member=m)
                        for m in members
                        if m.joined_on <= awarded.pitches_close_on and rng.random() < 0.7
                        for pitch in ballot
                        if rng.random() < (0.55 if pitch.peer_led else 0.4)
                    ],
                    batch_size=1000,
                )
            added["members"] = wanted
        everyone = list(Member.objects.filter(site=site).order_by("joined_on", "id"))
        lived = {m.pk for m in everyone if m.lived_experience}

        def present(on: dt.date, k: int) -> list[Member]:
            able = [m for m in everyone if m.joined_on <= on and (m.left_on is None or m.left_on >= on)]
            return rng.sample(able, k=min(k, len(able)))

        def past_day(years: int) -> dt.date:
            return today - dt.timedelta(days=rng.randint(2, 365 * years))

        # Held sessions with attendance, over four years.
        wanted = COLLABORATIVE_SCALE["sessions"] - Session.objects.filter(group__site=site).count()
        if wanted > 0:
            sessions, attendance = [], []
            for _ in range(wanted):
                group = rng.choice(working)
                day = max(past_day(4), group.started_on)
                starts = dt.datetime(day.year, day.month, day.day, rng.choice((10, 14, 18)), tzinfo=dt.UTC)
                open_event = group.pk == whole.pk and rng.random() < 0.5
                session = Session(
                    group=group, title="Open breakfast" if open_event else f"{group.name} meeting", starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=2), place="Brixton Library, Brixton Oval",
                    is_open_event=open_event, status=SessionStatus.HELD, notes="We went round the room.",
                    guests=rng.randint(0, 20) if open_event else 0,
                )  # fmt: skip
                sessions.append(session)
                for member in present(day, rng.randint(6, 45 if group.pk == whole.pk else 15)):
                    came = rng.random() < 0.8
                    attendance.append(
                        Attendance(session=session, member=member, reply=Reply.COMING if came else "", attended=came)
                    )
            Session.objects.bulk_create(sessions, batch_size=500)
            Attendance.objects.bulk_create(attendance, batch_size=1000)
            added["sessions"] = wanted
        # Decided decisions with who took part, over five years; one in ten kept out of the public log.
        wanted = COLLABORATIVE_SCALE["decisions"] - Decision.objects.filter(group__site=site).count()
        if wanted > 0:
            decisions, options, participants = [], [], []
            methods = list(DecisionMethod)
            results = [DecisionResult.AGREED] * 6 + [DecisionResult.AGREED_WITH_CHANGES, DecisionResult.NOT_AGREED,
                                                     DecisionResult.DEFERRED]  # fmt: skip
            for n in range(wanted):
                group = rng.choice(groups)
                day = max(past_day(5), group.started_on)
                method = rng.choice(methods)
                people = present(day, rng.randint(4, 30))
                public = rng.random() < 0.9
                decision = Decision(
                    group=group, title=f"Decision {n + 1} of {group.name}", proposal="What the group proposed, in plain words.",
                    method=method, status=DecisionStatus.DECIDED, result=rng.choice(results), decided_on=day,
                    why="What the group heard, and why it decided as it did.", is_public=public,
                    not_public_why="" if public else "It names a partner's staffing changes.",
                    money=Decimal(rng.choice((0, 0, 300, 1500, 6000))) or None,
                    participant_count=len(people), lived_experience_count=sum(1 for m in people if m.pk in lived),
                    proposed_by=people[0] if people else None,
                )  # fmt: skip
                choices = []
                if method == DecisionMethod.VOTE:
                    choices = [DecisionOption(decision=decision, text=f"Option {k + 1}", position=k) for k in range(3)]
                    options += choices
                    decision.chosen_option = choices[0]
                decisions.append(decision)
                stance = {DecisionMethod.CONSENT: Stance.CONSENT, DecisionMethod.CONSENSUS: Stance.AGREE}.get(method)
                for k, member in enumerate(people):
                    participants.append(
                        DecisionParticipant(
                            decision=decision, member=member, stance=stance or Stance.VOTE,
                            role=ParticipantRole.PROPOSER if k == 0 else ParticipantRole.PARTICIPANT,
                            option=rng.choice(choices) if choices else None,
                        )
                    )  # fmt: skip
            with transaction.atomic():
                chosen = {d.pk: d.chosen_option for d in decisions}
                for d in decisions:
                    d.chosen_option = None  # the options are written after their decisions
                Decision.objects.bulk_create(decisions, batch_size=500)
                DecisionOption.objects.bulk_create(options, batch_size=1000)
                for d in decisions:
                    d.chosen_option = chosen[d.pk]
                Decision.objects.bulk_update(
                    [d for d in decisions if d.chosen_option], ["chosen_option"], batch_size=500
                )
                DecisionParticipant.objects.bulk_create(participants, batch_size=1000)
            added["decisions"] = wanted
        # Shared stories with one to three themes; some linked to a decision.
        wanted = COLLABORATIVE_SCALE["stories"] - Story.objects.filter(site=site).count()
        if wanted > 0:
            themes = list(Theme.objects.filter(site=site)) or [Theme.objects.create(site=site, name="Community")]
            some_decisions = list(Decision.objects.filter(group__site=site).values_list("pk", flat=True)[:200])
            levels = [ConsentLevel.PUBLIC] * 4 + [ConsentLevel.COLLABORATIVE] * 5 + [ConsentLevel.TEAM]
            stories, tagged, linked = [], [], []
            for n in range(wanted):
                group = rng.choice(groups)
                title = f"A story from {group.name}, {n + 1}"
                body = "What happened, in the teller's words, checked before it was shared. " * rng.randint(2, 8)
                level = rng.choice(levels)
                gathered = past_day(5)
                shared = dt.datetime(gathered.year, gathered.month, gathered.day, 12, tzinfo=dt.UTC)
                gatherer = rng.choice(everyone)
                story = Story(
                    site=site, group=group, title=title, body=body, gathered_by=gatherer, gathered_on=gathered,
                    teller_perspective=rng.choice(list(Perspective)), consent_level=level,
                    consent_note="Said yes on the consent form.", status=StoryStatus.SHARED, shared_at=shared,
                    checked_hash=words_hash(title, body) if level != ConsentLevel.TEAM else "",
                    checked_at=shared if level != ConsentLevel.TEAM else None,
                    checked_by=gatherer if level != ConsentLevel.TEAM else None,
                )  # fmt: skip
                stories.append(story)
                tagged += [
                    Story.themes.through(story_id=story.pk, theme_id=theme.pk)
                    for theme in rng.sample(themes, k=min(len(themes), rng.randint(1, 3)))
                ]
                if some_decisions and rng.random() < 0.2:
                    linked.append(Story.decisions.through(story_id=story.pk, decision_id=rng.choice(some_decisions)))
            Story.objects.bulk_create(stories, batch_size=500)
            Story.themes.through.objects.bulk_create(tagged, batch_size=1000)
            Story.decisions.through.objects.bulk_create(linked, batch_size=1000)
            added["stories"] = wanted
        # Yearly reflection rounds: earlier years added, and every round answered by about half the members.
        rounds = list(ReflectionRound.objects.filter(site=site).order_by("opens_on"))
        have_rounds = len(rounds)
        if rounds and have_rounds < COLLABORATIVE_SCALE["reflection rounds"]:
            first = rounds[0].opens_on.year
            for year in range(first - (COLLABORATIVE_SCALE["reflection rounds"] - len(rounds)), first):
                rounds.append(
                    ReflectionRound.objects.create(
                        site=site,
                        title=f"{year} review",
                        opens_on=dt.date(year, 12, 1),
                        closes_on=dt.date(year, 12, 19),
                    )
                )
            answered = set(
                PrincipleRating.objects.filter(round__in=rounds).values_list("round_id", "member_id").distinct()
            )
            ratings, placements = [], []
            for step, reflection in enumerate(sorted(rounds, key=lambda r: r.opens_on)):
                for member in everyone:
                    if (reflection.pk, member.pk) in answered or member.joined_on > reflection.closes_on:
                        continue
                    if rng.random() >= 0.5:
                        continue
                    for principle in rng.sample(list(Principle), rng.randint(2, 4)):
                        great = rng.random() < 0.35 + 0.08 * step
                        ratings.append(
                            PrincipleRating(
                                round=reflection, member=member, principle=principle,
                                view=PrincipleView.GREAT if great else PrincipleView.CHALLENGED,
                                why=rng.choice(("", "", "Good in places, not everywhere yet.", "Silo working continues.")),
                            )
                        )  # fmt: skip
                    for key in BY_KEY:
                        if rng.random() < 0.8:
                            position = max(0, min(10, round(rng.gauss(3 + 0.7 * step, 1.8))))
                            placements.append(
                                BalconyPlacement(round=reflection, member=member, statement=key, position=position)
                            )
            PrincipleRating.objects.bulk_create(ratings, batch_size=1000)
            BalconyPlacement.objects.bulk_create(placements, batch_size=1000)
            added["reflection rounds"] = len(rounds) - have_rounds
        if added:
            what = ", ".join(f"{n:,} {name}" for name, n in added.items())
            self.stdout.write(f"Topped up the Collaborative ({what}) in {time.perf_counter() - started:.1f} s")

    def _collaborative_pages(self, site: Site) -> list[Page]:
        """The Collaborative: the member's home, the public log (page and CSV) and open events, a group with
        who holds which role, a session's attendance, decisions, a prototype's live figures, the story
        bank, the reflection results and trend, and a fund round's approval counts."""
        if not Group.objects.filter(site=site, kind=GroupKind.COLLABORATIVE).exists():
            return []
        chair_email, member_email = COLLABORATIVE_CHAIR.email, COLLABORATIVE_MEMBER.email
        member = Member.objects.current().get(site=site, user__email=member_email)
        site_id, member_id = _uuid_param(site.pk), _uuid_param(member.pk)
        today = timezone.localdate()
        now = timezone.now()
        whole = Group.objects.get(site=site, kind=GroupKind.COLLABORATIVE)
        # The busiest of each: the session most people came to, the decision most took part in (of those the
        # member reads), the prototype with live figures, the round most answered that has closed.
        session = (
            Session.objects.filter(group__site=site)
            .annotate(n=Count("attendance", filter=models.Q(attendance__attended=True)))
            .order_by("-n", "id")
            .first()
        )
        decision = (
            Decision.objects.filter(group__site=site, status=DecisionStatus.DECIDED)
            .filter(models.Q(is_public=True) | models.Q(group=whole))
            .order_by("-participant_count", "id")
            .first()
        )
        prototypes = list(Prototype.objects.filter(site=site).order_by("created_at", "id"))
        prototype = next(
            (p for p in prototypes if Insight.WAIT_TO_FIRST_CONVERSATION.value in p.insights), None
        ) or next(iter(prototypes), None)
        reflection = (
            ReflectionRound.objects.filter(site=site, closes_on__lt=today)
            .annotate(n=Count("principle_ratings"))
            .order_by("-n", "id")
            .first()
        )
        fund_round = FundRound.objects.filter(site=site, stage=FundStage.AWARDED).order_by("-pitches_close_on").first()

        def home() -> Query:
            return (
                """WITH mine AS (SELECT gm.group_id FROM collaborative_groupmembership gm
                        WHERE gm.member_id = %s AND gm.ended_on IS NULL)
                SELECT 'place', g.name, g.kind, NULL FROM mine JOIN collaborative_group g ON g.id = mine.group_id
                UNION ALL SELECT 'session', s.title, CAST(s.starts_at AS TEXT),
                    (SELECT a.reply FROM collaborative_attendance a WHERE a.session_id = s.id AND a.member_id = %s)
                    FROM collaborative_session s JOIN collaborative_group g ON g.id = s.group_id
                    WHERE g.site_id = %s AND s.status = 'planned' AND s.starts_at >= %s AND s.starts_at <= %s
                      AND (s.group_id IN (SELECT group_id FROM mine) OR s.is_open_event)
                UNION ALL SELECT 'action', a.description, CAST(a.due_on AS TEXT), NULL FROM collaborative_actionpoint a
                    WHERE a.owner_id = %s AND a.status = 'open'
                UNION ALL SELECT 'decision', d.title, NULL, NULL FROM collaborative_decision d
                    WHERE d.group_id IN (SELECT group_id FROM mine) AND d.status = 'open'
                      AND d.id NOT IN (SELECT p.decision_id FROM collaborative_decisionparticipant p
                                       WHERE p.member_id = %s AND p.stance <> '')""",
                [member_id, member_id, site_id, _dt_param(now), _dt_param(now + dt.timedelta(days=60)), member_id,
                 member_id],
            )  # fmt: skip

        def log_page() -> Query:
            return (
                """SELECT d.id, d.title, d.method, d.result, d.decided_on, d.participant_count,
                       d.lived_experience_count, d.money, g.name,
                       (SELECT COUNT(*) FROM collaborative_decision d2 JOIN collaborative_group g2 ON g2.id = d2.group_id
                        WHERE g2.site_id = %s AND d2.is_public AND d2.status = 'decided')
                FROM collaborative_decision d JOIN collaborative_group g ON g.id = d.group_id
                WHERE g.site_id = %s AND d.is_public AND d.status = 'decided'
                ORDER BY d.decided_on DESC, d.created_at DESC, d.id LIMIT 25""",
                [site_id, site_id],
            )

        def log_csv() -> Query:
            return (
                """SELECT d.id, d.title, d.proposal, d.method, d.result, d.why, d.decided_on, d.participant_count,
                       d.lived_experience_count, d.money, d.money_note, g.name
                FROM collaborative_decision d JOIN collaborative_group g ON g.id = d.group_id
                WHERE g.site_id = %s AND d.is_public AND d.status = 'decided'
                ORDER BY d.decided_on DESC, d.created_at DESC, d.id""",
                [site_id],
            )

        def events() -> Query:
            return (
                """SELECT s.id, s.title, s.starts_at, s.ends_at, s.place, s.status, o.name, m.known_as
                FROM collaborative_session s JOIN collaborative_group g ON g.id = s.group_id
                LEFT JOIN network_organisation o ON o.id = s.host_organisation_id
                LEFT JOIN collaborative_member m ON m.id = s.host_member_id
                WHERE g.site_id = %s AND s.is_open_event AND s.ends_at >= %s AND s.status <> 'held'
                ORDER BY s.starts_at, s.id""",
                [site_id, _dt_param(now)],
            )

        def group_roles() -> Query:
            return (
                """SELECT gm.role, gm.started_on, gm.ended_on, m.known_as, m.lived_experience, m.carer, m.staff,
                       m.commissioner, m.citizen, m.sector
                FROM collaborative_groupmembership gm JOIN collaborative_member m ON m.id = gm.member_id
                WHERE gm.group_id = %s""",
                [_uuid_param(whole.pk)],
            )

        def who_holds() -> Query:
            return (
                """SELECT g.name, gm.role, gm.started_on, m.known_as, m.lived_experience
                FROM collaborative_groupmembership gm JOIN collaborative_group g ON g.id = gm.group_id
                JOIN collaborative_member m ON m.id = gm.member_id
                WHERE g.site_id = %s AND g.ended_on IS NULL AND gm.ended_on IS NULL AND gm.role <> 'member'
                ORDER BY g.name, gm.role""",
                [site_id],
            )

        def attendance() -> Query:
            assert session is not None
            return (
                """SELECT m.known_as, a.reply, a.attended, m.lived_experience, m.carer, m.staff, m.commissioner,
                       m.citizen, m.sector
                FROM collaborative_attendance a JOIN collaborative_member m ON m.id = a.member_id
                WHERE a.session_id = %s ORDER BY m.known_as, a.id""",
                [_uuid_param(session.pk)],
            )

        _readable = """(d.is_public OR g.kind = 'collaborative' OR d.group_id IN (
            SELECT gm.group_id FROM collaborative_groupmembership gm WHERE gm.member_id = %s AND gm.ended_on IS NULL))"""

        def decisions_list() -> Query:
            return (
                """WITH readable AS (SELECT d.id FROM collaborative_decision d
                        JOIN collaborative_group g ON g.id = d.group_id
                        WHERE g.site_id = %s AND d.status <> 'open' AND READABLE)
                SELECT d.id, d.title, d.status, d.result, d.decided_on, g.name,
                    (SELECT COUNT(*) FROM collaborative_decisionparticipant p WHERE p.decision_id = d.id AND p.stance <> ''),
                    (SELECT p.stance FROM collaborative_decisionparticipant p WHERE p.decision_id = d.id AND p.member_id = %s),
                    (SELECT COUNT(*) FROM readable)
                FROM collaborative_decision d JOIN collaborative_group g ON g.id = d.group_id
                WHERE d.id IN (SELECT id FROM readable)
                ORDER BY d.decided_on DESC, d.updated_at DESC, d.id LIMIT 25""".replace("READABLE", _readable),
                [site_id, member_id, member_id],
            )  # fmt: skip

        def one_decision() -> Query:
            assert decision is not None
            decision_id = _uuid_param(decision.pk)
            return (
                """SELECT 'decision', d.title, d.proposal, d.why, g.name FROM collaborative_decision d
                    JOIN collaborative_group g ON g.id = d.group_id WHERE d.id = %s
                UNION ALL SELECT 'option', o.text, CAST(o.position AS TEXT), NULL, NULL FROM collaborative_decisionoption o
                    WHERE o.decision_id = %s
                UNION ALL SELECT 'participant', m.known_as, p.role, p.stance, p.comment
                    FROM collaborative_decisionparticipant p JOIN collaborative_member m ON m.id = p.member_id
                    WHERE p.decision_id = %s""",
                [decision_id] * 3,
            )  # fmt: skip

        def prototype_page() -> Query:
            assert prototype is not None
            prototype_id = _uuid_param(prototype.pk)
            return (
                """SELECT 'cycle', CAST(c.number AS TEXT), c.stage, c.plan, CAST(NULL AS TEXT) FROM collaborative_cycle c
                    WHERE c.prototype_id = %s
                UNION ALL SELECT 'figure', f.label, CAST(f.value AS TEXT), CAST(f.baseline AS TEXT),
                    CAST(f.measured_on AS TEXT) FROM collaborative_figure f WHERE f.prototype_id = %s
                UNION ALL SELECT 'met', NULL, NULL, CAST(introduced_at AS TEXT), CAST(first_conversation_at AS TEXT)
                    FROM front_door_introduction
                    WHERE site_id = %s AND first_conversation_at >= %s AND first_conversation_at <= %s""",
                [prototype_id, prototype_id, site_id, _dt_param(now - dt.timedelta(days=90)), _dt_param(now)],
            )  # fmt: skip

        def story_bank() -> Query:
            names = "GROUP_CONCAT(t.name)" if connection.vendor == "sqlite" else "STRING_AGG(t.name, ',')"
            return (
                """SELECT s.id, s.title, s.kind, s.status, s.consent_level, s.gathered_on, g.name, m.known_as,
                       (SELECT AGG FROM collaborative_story_themes st
                        JOIN collaborative_theme t ON t.id = st.theme_id WHERE st.story_id = s.id)
                FROM collaborative_story s JOIN collaborative_group g ON g.id = s.group_id
                JOIN collaborative_member m ON m.id = s.gathered_by_id
                WHERE s.site_id = %s AND (s.gathered_by_id = %s OR (s.status = 'shared' AND (
                    s.consent_level IN ('collaborative', 'public') OR (s.consent_level = 'team' AND s.group_id IN (
                        SELECT gm.group_id FROM collaborative_groupmembership gm
                        WHERE gm.member_id = %s AND gm.ended_on IS NULL)))))
                ORDER BY s.gathered_on DESC, s.created_at DESC, s.id LIMIT 20""".replace("AGG", names),
                [site_id, member_id, member_id],
            )

        def principles() -> Query:
            assert reflection is not None
            return (
                """SELECT r.principle, r.view, COUNT(*), COUNT(DISTINCT r.member_id),
                       (SELECT COUNT(DISTINCT member_id) FROM collaborative_principlerating WHERE round_id = %s)
                FROM collaborative_principlerating r WHERE r.round_id = %s GROUP BY r.principle, r.view""",
                [_uuid_param(reflection.pk)] * 2,
            )

        def balcony() -> Query:
            assert reflection is not None
            return (
                """SELECT b.statement, b.position, COUNT(*),
                       (SELECT COUNT(DISTINCT member_id) FROM collaborative_balconyplacement WHERE round_id = %s)
                FROM collaborative_balconyplacement b WHERE b.round_id = %s GROUP BY b.statement, b.position""",
                [_uuid_param(reflection.pk)] * 2,
            )

        def trend() -> Query:
            day = connection.ops.adapt_datefield_value(today)
            return (
                """SELECT 'principle', r.round_id, r.principle, r.view, COUNT(*) FROM collaborative_principlerating r
                    JOIN collaborative_reflectionround rr ON rr.id = r.round_id WHERE rr.site_id = %s AND rr.opens_on <= %s
                    GROUP BY r.round_id, r.principle, r.view
                UNION ALL SELECT 'balcony', b.round_id, b.statement, CAST(b.position AS TEXT), COUNT(*)
                    FROM collaborative_balconyplacement b JOIN collaborative_reflectionround rr ON rr.id = b.round_id
                    WHERE rr.site_id = %s AND rr.opens_on <= %s GROUP BY b.round_id, b.statement, b.position""",
                [site_id, day, site_id, day],
            )  # fmt: skip

        def approvals() -> Query:
            assert fund_round is not None
            return (
                """SELECT p.id, p.title, p.amount, p.peer_led, p.submitted_at, m.known_as,
                       (SELECT COUNT(*) FROM collaborative_approvalvote v WHERE v.pitch_id = p.id),
                       (SELECT COUNT(DISTINCT v.member_id) FROM collaborative_approvalvote v WHERE v.round_id = %s)
                FROM collaborative_pitch p JOIN collaborative_member m ON m.id = p.pitched_by_id
                WHERE p.round_id = %s AND p.status IN ('shortlisted', 'funded', 'not_funded')
                ORDER BY p.submitted_at, p.created_at""",
                [_uuid_param(fund_round.pk)] * 2,
            )

        wanted: list[tuple[str, str | None, str | None, Callable[[], Query] | None, str]] = [
            ("Collaborative home (member)", _url("collaborative:home"), member_email, home,
             "the member's places, sessions in the next 60 days with their reply, open actions and decisions"
             " waiting for them"),
            ("Decisions log (public)", _url("collaborative:decisions_log"), None, log_page,
             "the first 25 public decisions with their group, and the count"),
            ("Decisions log CSV (public)", _url("collaborative:decisions_log_csv"), None, log_csv,
             "every public decision with its group"),
            ("Open events (public)", _url("collaborative:events"), None, events,
             "open events not over yet, with their host"),
            ("The whole Collaborative: who holds which role (chair)", _url("collaborative:group", whole.pk),
             chair_email, group_roles, "every place in the group, current and past, with the member's perspectives"),
            ("Who holds which role, every group (chair)", _url("collaborative:who_holds"), chair_email, who_holds,
             "the current leads of every current group"),
            ("Busiest session: attendance and its mix (chair)",
             _url("collaborative:session", session.pk) if session else None, chair_email, attendance,
             "the session's attendance with each member's perspectives"),
            ("Decisions (member)", _url("collaborative:decisions"), member_email, decisions_list,
             "the first 25 closed decisions the member reads, with how many said and the member's own stance,"
             " and the count"),
            ("A decision with most participants (member)",
             _url("collaborative:decision", decision.pk) if decision else None, member_email, one_decision,
             "the decision, its options and every participant in one UNION"),
            ("A prototype with live figures (member)",
             _url("collaborative:prototype", prototype.pk) if prototype else None, member_email, prototype_page,
             "cycles, figures, and 90 days of first conversations for the live wait"),
            ("Story bank (member)", _url("collaborative:stories"), member_email, story_bank,
             "the first 20 stories the member may read, with their group, gatherer and themes"),
            ("Reflection: principles results (member)",
             _url("collaborative:principles_results", reflection.pk) if reflection else None, member_email,
             principles, "the round's ratings counted by principle and view, and the respondents"),
            ("Reflection: balcony results (member)",
             _url("collaborative:balcony_results", reflection.pk) if reflection else None, member_email, balcony,
             "the round's placements counted by statement and position, and the respondents"),
            ("Reflection trend, every round (member)", _url("collaborative:reflection_trend"), member_email, trend,
             "ratings and placements of every round, counted"),
            ("Ideas fund results: approval counts (member)",
             _url("collaborative:fund_results", fund_round.pk) if fund_round else None, member_email, approvals,
             "the round's pitches on the ballot with their approvals, and the voters"),
        ]  # fmt: skip
        pages = []
        for name, url, signin, raw, note in wanted:
            if url is None:
                self.not_built.append(name)
            else:
                pages.append(Page(name, url, signin, raw, note))
        return pages

    def _community_pages(self, site: Site) -> list[Page]:
        """The ORUK API (anonymous) and the offer search page, each against raw SQL of the same rows."""
        site_id = _uuid_param(site.pk)
        published = Curation.PUBLISHED.value
        word = "peer"

        def services_page() -> Query:
            return OFFERS_SQL.replace("<search>", ""), [site_id, published, site_id, published]

        def services_search() -> Query:
            like = f"%{word}%"
            return OFFERS_SQL.replace("<search>", _OFFERS_SEARCH), [site_id, published, like, site_id, published, like]

        placed = (
            Location.objects.filter(services_here__service__site=site, location_type="physical")
            .exclude(postcode="")
            .order_by("postcode")
            .values_list("postcode", "lat", "lng")
            .first()
        )
        pages = [
            Page("ORUK services, first page", "/oruk/services", None, services_page, "50 documents and the count"),
            Page(
                f"ORUK services search '{word}'",
                f"/oruk/services?search={word}",
                None,
                services_search,
                "substring of the lower-case search text, 50 documents and the count",
            ),
        ]
        if placed is not None and placed[1] is not None and placed[2] is not None:
            code, lat, lng = placed[0], placed[1], placed[2]
            south, north, west, east = bounding_box(lat, lng, 2000)

            def nearby() -> Query:
                return (
                    NEARBY_SQL,
                    [site_id, published, south, north, west, east, lat, lat, lng, lng],
                )

            pages.append(
                Page(
                    "ORUK service at locations within 2 km of a postcode",
                    f"/oruk/service_at_locations?postcode={code}&proximity=2000",
                    None,
                    nearby,
                    "bounding box on the position index, nearest 50",
                )
            )
        else:
            self.not_built.append("ORUK near a postcode (no offer has a postcode)")
        worker_email = demo_sign_in(Role.RECOVERY_WORKER).email
        search_url = _url("community:search")
        if search_url is not None:
            pages.append(
                Page(
                    f"Offer search '{word}' (worker)",
                    f"{search_url}?q={word}",
                    worker_email,
                    None,
                    "the search page: first 20 offers with their opening times",
                )
            )
        else:
            self.not_built.append("offer search page (community:search)")
        geojson_url = _url("community:offers_geojson")
        if geojson_url is not None:
            pages.append(
                Page(
                    "Map of offers (GeoJSON), everything",
                    geojson_url,
                    worker_email,
                    None,
                    f"every published offer's places with coordinates, at most {MAX_FEATURES:,} features",
                )
            )
            if placed is not None:
                pages.append(
                    Page(
                        "Map of offers (GeoJSON) within 1 mile of a postcode",
                        f"{geojson_url}?postcode={placed[0]}&within=1",
                        worker_email,
                        None,
                        "bounding box on the position index, then the exact distance",
                    )
                )
        person = Person.objects.filter(user__email=demo_sign_in(None).email).first()
        connections_url = _url("connections:list", person.pk) if person is not None else None
        if connections_url is not None:
            pages.append(
                Page(
                    "A person's community offers (worker)",
                    connections_url,
                    worker_email,
                    None,
                    "the person's connections with every step",
                )
            )
        coordinator_email = demo_sign_in(Role.HUB_COORDINATOR).email
        for name, title in (("community:queue", "Suggestions waiting (coordinator)"),
                            ("community:feeds", "Directory feeds (coordinator)")):  # fmt: skip
            if (url := _url(name)) is not None:
                pages.append(Page(title, url, coordinator_email, None, ""))
        if (url := _url("community:picture")) is not None:
            pages.append(
                Page(
                    "The picture of the network (analyst)",
                    url,
                    demo_sign_in(Role.ANALYST).email,
                    None,
                    "connections and needs no offer met over 12 months, by locality and kind, with small numbers hidden",
                )
            )
        pages.append(
            Page(
                f"offer_search() selector, '{word}'",
                f"offer_search(site, OfferFilters(text='{word}'))",
                None,
                None,
                call=lambda: offer_search(site=site, filters=OfferFilters(text=word)),
            )
        )
        return pages

    def _measures_pages(self, site: Site) -> list[Page]:
        """How things are going: one person's measures and their change, for their worker and for themself."""
        person_email = demo_sign_in(None).email
        person = Person.objects.get(user__email=person_email)
        worker_email = demo_sign_in(Role.RECOVERY_WORKER).email  # the demo person's allocated worker
        person_id = _uuid_param(person.pk)

        def measures_rows() -> Query:
            return (
                """SELECT m.instrument, m.instrument_version, m.occasion, m.completed_at, m.answers, m.goals,
                       m.total, m.metric, m.subscales
                FROM outcomes_measure m WHERE m.person_id = %s AND m.status = 'complete'
                ORDER BY m.instrument, m.completed_at""",
                [person_id],
            )

        url = _url("measures:overview", person.pk)
        if url is None:
            self.not_built.append("measures overview (measures:overview)")
            return []
        note = "the person's finished measures, every answer and score, oldest first"
        return [
            Page("Measures and change (worker)", url, worker_email, measures_rows, note),
            Page("Your measures (the person)", url, person_email, measures_rows, note),
        ]

    def _site_work(self, site: Site) -> list[Work]:
        """Scoring every finished measure of the site, and everyone's change."""
        scoring = Work(
            "Score every finished measure",
            "get_instrument(code, version).score_by_key(answers) for every finished measure, streamed",
        )
        counts = self._once(scoring, lambda: score_every_measure(site))
        scoring.findings = [f"{get_instrument(code).name} {counts[code]:,}" for code in CODES if counts[code]]
        change = Work(
            "Change for everyone: reliable improvement share per instrument",
            "change_lines(...) for each person and instrument, with the site's figures for reliable change, in one streamed pass",
            unit="people",
        )
        shares = self._once(change, lambda: reliable_change_shares(site))
        change.findings = [_shares(code, shares[code]) for code in CODES if shares.get(code)]
        return [scoring, change]

    def _once[T](self, work: Work, call: Callable[[], tuple[int, T]]) -> T:
        """Time the work once, then run it again under tracemalloc for its peak memory."""
        self.stdout.write(f"  {work.name}…")
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            work.items, found = call()
            work.seconds = time.perf_counter() - started
        work.queries = len(queries)
        tracemalloc.start()
        try:
            call()
            work.peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()
        return found

    def _support_pages(self, site: Site) -> list[Page]:
        """The person's own record, their plan, contacts and support, the team huddle, and saving a goal."""
        leader = User.objects.get(email=demo_sign_in(Role.TEAM_LEADER).email)
        team_id = Membership.objects.current().get(user=leader, role=Role.TEAM_LEADER).team_id
        assert team_id is not None, "the demo team leader leads a team"
        team = Team.objects.select_related("site").get(pk=team_id)
        person_email = demo_sign_in(None).email
        person = Person.objects.get(user__email=person_email)
        # The busiest record of the leader's team: the open period whose person has the most contacts.
        busiest = (
            SupportPeriod.objects.filter(team=team, ended_at__isnull=True)
            .annotate(n=Count("person__contacts"))
            .order_by("-n", "id")
            .values_list("person_id", flat=True)
            .first()
        )
        supported = Person.objects.get(pk=busiest) if busiest else person
        supported_id = _uuid_param(supported.pk)
        goal = Goal.objects.filter(plan__person=supported).order_by("position", "created_at").first()

        def plan_rows() -> Query:
            return (
                """SELECT 'goal', g.words, g.outcome, g.status, NULL FROM support_goal g
                    JOIN support_plan p ON p.id = g.plan_id WHERE p.person_id = %s
                UNION ALL SELECT 'action', a.what, a.owner, a.status, CAST(a.due AS TEXT) FROM support_planaction a
                    JOIN support_plan p ON p.id = a.plan_id WHERE p.person_id = %s
                UNION ALL SELECT 'safety', s.warning_signs, s.what_helps, s.people_and_places, s.crisis_contacts
                    FROM support_safetyplan s JOIN support_plan p ON p.id = s.plan_id WHERE p.person_id = %s
                UNION ALL SELECT 'review', r.how_it_is_going, r.what_changes, CAST(r.held_on AS TEXT), NULL
                    FROM support_review r JOIN support_plan p ON p.id = r.plan_id WHERE p.person_id = %s""",
                [supported_id] * 4,
            )

        def contact_rows() -> Query:
            return (
                """SELECT c.occurred_at, c.mode, c.status, c.duration_minutes, n.text, n.withheld_because
                FROM support_contact c LEFT JOIN support_note n ON n.contact_id = c.id
                WHERE c.person_id = %s ORDER BY c.occurred_at DESC LIMIT 25""",
                [supported_id],
            )

        def huddle_rows() -> Query:
            return (
                """SELECT sp.id, p.given_name, p.family_name, sp.started_at,
                    (SELECT MAX(c.occurred_at) FROM support_contact c
                        WHERE c.support_period_id = sp.id AND c.status = 'held'),
                    (SELECT pl.review_due FROM support_plan pl WHERE pl.person_id = sp.person_id),
                    (SELECT COUNT(*) FROM support_allocation a WHERE a.support_period_id = sp.id AND a.ended_at IS NULL),
                    (SELECT COUNT(*) FROM support_flag f WHERE f.support_period_id = sp.id AND f.cleared_at IS NULL)
                FROM support_supportperiod sp JOIN people_person p ON p.id = sp.person_id
                WHERE sp.team_id = %s AND sp.ended_at IS NULL""",
                [_uuid_param(team.pk)],
            )

        def save_goal() -> object:
            assert goal is not None
            current = Goal.objects.get(pk=goal.pk)
            words = current.words[:-1] if current.words.endswith(" ") else current.words + " "
            return goal_change(
                actor=leader,
                goal=current,
                expected_version=current.version,
                words=words,
                outcome=current.outcome,
                status=current.status,
            )

        pages = [
            Page("Your record (the person)", "/people/me/", person_email, None, "the person's own start page"),
            Page(
                "Living Well plan (team leader)",
                f"/people/{supported.pk}/plan/",
                leader.email,
                plan_rows,
                "goals, actions, safety plan and reviews of one person",
            ),
            Page(
                "Contacts and notes (team leader)",
                f"/people/{supported.pk}/contacts/",
                leader.email,
                contact_rows,
                "the first 25 contacts with their notes",
            ),
            Page("Support (team leader)", f"/people/{supported.pk}/support/", leader.email, None),
            Page(
                "Team huddle",
                f"/support/teams/{team.pk}/huddle/",
                leader.email,
                huddle_rows,
                "every open period of the team with its last contact, review date, worker and flags",
            ),
        ]
        if goal is not None:
            pages.append(
                Page(
                    "Plan save: goal_change() service",
                    "goal_change(...): check access, conditional UPDATE, version snapshot, audit",
                    None,
                    None,
                    call=save_goal,
                )
            )
        else:
            self.not_built.append("plan save (the busiest person has no goal)")
        return pages

    def _front_door_pages(self, site: Site) -> list[Page]:
        """The Hub queue (whole and filtered), one introduction, the introducer's list and the public figures."""
        coordinator_email = demo_sign_in(Role.HUB_COORDINATOR).email
        coordinator = User.objects.get(email=coordinator_email)
        introducer_email = demo_sign_in(Role.INTRODUCER).email
        introducer = User.objects.get(email=introducer_email)
        site_id = _uuid_param(site.pk)
        demo_area = LOCALITIES[DEMO_LOCALITY][0]
        locality = Locality.objects.filter(site=site, name=demo_area).first() or Locality.objects.filter(site=site)[0]
        state = "contacting"
        filters = QueueFilters(locality=str(locality.pk), state=state)
        # An open introduction with a possible match to decide (the busiest introduction page), else the oldest.
        open_introductions = Introduction.objects.filter(site=site, state__in=OPEN_STATES)
        introduction = (
            open_introductions.filter(possible_matches__status=MatchStatus.PENDING).order_by("introduced_at").first()
            or open_introductions.order_by("introduced_at").first()
        )

        def queue(filtered: bool) -> Callable[[], Query]:
            def query() -> Query:
                condition, params = ("", [])
                if filtered:
                    condition, params = "AND i.locality_id = %s AND i.state = %s", [_uuid_param(locality.pk), state]
                sql = QUEUE_SQL.replace("FILTER", condition)
                return sql, [site_id, *params, site_id, *params]

            return query

        def waiting() -> Query:
            now = timezone.now()
            since, until = _dt_param(now - dt.timedelta(days=90)), _dt_param(now)
            return WAITING_SQL, [site_id, since, until, site_id, since, until, site_id, until]

        def one_introduction() -> Query:
            assert introduction is not None
            intro_id = _uuid_param(introduction.pk)
            return (
                """SELECT 'introduction', i.reference, p.given_name, p.family_name, s.what_brought_me_here
                    FROM front_door_introduction i JOIN people_person p ON p.id = i.person_id
                    LEFT JOIN people_story s ON s.person_id = p.id WHERE i.id = %s
                UNION ALL SELECT 'attempt', a.method, a.outcome, CAST(a.attempted_at AS TEXT), a.note
                    FROM front_door_contactattempt a WHERE a.introduction_id = %s
                UNION ALL SELECT 'booking', b.place, b.status, CAST(b.starts_at AS TEXT), u.display_name
                    FROM front_door_booking b JOIN accounts_user u ON u.id = b.worker_id WHERE b.introduction_id = %s
                UNION ALL SELECT 'event', e.kind, e.to_state, CAST(e.occurred_at AS TEXT), e.note
                    FROM front_door_introductionevent e WHERE e.introduction_id = %s
                UNION ALL SELECT 'match', c.given_name, c.family_name, CAST(c.date_of_birth AS TEXT), c.postcode
                    FROM front_door_possiblematch m JOIN people_person c ON c.id = m.candidate_id
                    WHERE m.introduction_id = %s AND m.status = 'pending'""",
                [intro_id] * 5,
            )

        def made_introductions() -> Query:
            return (
                """SELECT i.reference, p.given_name, p.family_name, p.preferred_name, i.introduced_at, i.state,
                       i.first_conversation_at
                FROM front_door_introduction i JOIN people_person p ON p.id = i.person_id
                WHERE i.introduced_by_id = %s ORDER BY i.introduced_at DESC, i.id LIMIT 50""",
                [_uuid_param(introducer.pk)],
            )

        pages: list[Page] = []
        queue_url = _url("front_door:queue")
        filter_note = f"area {locality.name}, state {state}"
        if queue_url:
            pages += [
                Page("Hub queue", queue_url, coordinator_email, queue(filtered=False), _QUEUE_NOTE),
                Page(
                    f"Hub queue filtered ({filter_note})",
                    f"{queue_url}?locality={locality.pk}&state={state}",
                    coordinator_email,
                    queue(filtered=True),
                    _QUEUE_NOTE,
                ),
            ]
        else:
            self.not_built.append("Hub queue page (front_door:queue)")
        pages += [
            Page(
                "front_door_queue() selector",
                "front_door_queue(user=coordinator)",
                coordinator_email,
                queue(filtered=False),
                _QUEUE_NOTE,
                call=lambda: front_door_queue(user=coordinator),
            ),
            Page(
                "front_door_queue() selector, filtered",
                f"front_door_queue(user=coordinator, filters=QueueFilters({filter_note}))",
                coordinator_email,
                queue(filtered=True),
                _QUEUE_NOTE,
                call=lambda: front_door_queue(user=coordinator, filters=filters),
            ),
        ]
        detail_url = _url("front_door:introduction", introduction.pk) if introduction is not None else None
        if detail_url:
            pages.append(
                Page(
                    "An introduction (coordinator)",
                    detail_url,
                    coordinator_email,
                    one_introduction,
                    "the introduction, story, attempts, bookings, events and possible matches in one UNION",
                )
            )
        else:
            self.not_built.append("introduction page (front_door:introduction)")
        mine_url = _url("introductions:mine")
        if mine_url:
            pages.append(Page("Introductions I made (GP)", mine_url, introducer_email, made_introductions))
        else:
            self.not_built.append("introducer's list (introductions:mine)")
        waiting_url = _url("waiting:page")
        if waiting_url:
            pages.append(Page("How long are people waiting? (public)", waiting_url, None, waiting, _WAITING_NOTE))
        else:
            self.not_built.append("public waiting page (waiting:page)")
        pages.append(
            Page(
                "waiting_figures() selector",
                "waiting_figures(site=site)",
                None,
                waiting,
                _WAITING_NOTE,
                call=lambda: waiting_figures(site=site),
            )
        )
        return pages

    # ---- how it is measured ---------------------------------------------------------------------

    def _client(self, signin: str | None) -> Client:
        if signin not in self.clients:
            client = Client()
            if signin is not None:
                user = User.objects.get(email=signin)
                client.force_login(user)
                device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
                if device is not None:
                    # The second factor, as if the code had just been typed.
                    session = client.session
                    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                    session.save()
            self.clients[signin] = client
        return self.clients[signin]

    def _time_requests(self, client: Client, url: str) -> tuple[list[float], Any]:
        for _ in range(self.warm_up):
            response = client.get(url)
        timings = []
        for _ in range(self.requests):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        return timings, response

    def _empty(self, signin: str | None) -> float:
        if signin not in self.empty_floor:
            with override_settings(ROOT_URLCONF=__name__):
                timings, _ = self._time_requests(self._client(signin), EMPTY_PATH)
            self.empty_floor[signin] = statistics.median(timings)
        return self.empty_floor[signin]

    def _raw(self, query: Callable[[], Query]) -> tuple[float, int]:
        sql, params = query()
        timings = []
        rows = 0
        with connection.cursor() as cursor:
            for n in range(self.warm_up + self.requests):
                started = time.perf_counter()
                cursor.execute(sql, params)
                rows = len(cursor.fetchall())
                if n >= self.warm_up:
                    timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings), rows

    def _measure(self, page: Page) -> Result:
        self.stdout.write(f"  {page.name}…")
        if page.call is not None:
            return self._measure_call(page, page.call)
        client = self._client(page.signin)
        response = client.get(page.path)
        if response.status_code != 200:
            return Result(page, response.status_code, error=f"HTTP {response.status_code}: skipped")
        timings, response = self._time_requests(client, page.path)
        with CaptureQueriesContext(connection) as queries:
            client.get(page.path)
        result = Result(
            page,
            response.status_code,
            median_ms=statistics.median(timings),
            p95_ms=_p95(timings),
            queries=len(queries),
            empty_ms=self._empty(page.signin),
            kb=len(response.content) / 1024,
        )
        if page.raw is not None:
            result.raw_ms, result.raw_rows = self._raw(page.raw)
        return result

    def _measure_call(self, page: Page, call: Callable[[], object]) -> Result:
        """A selector called directly, as its page calls it: no request, no rendering, no empty-view floor."""
        for _ in range(self.warm_up):
            call()
        timings = []
        for _ in range(self.requests):
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            call()
        result = Result(page, 200, median_ms=statistics.median(timings), p95_ms=_p95(timings), queries=len(queries))
        if page.raw is not None:
            result.raw_ms, result.raw_rows = self._raw(page.raw)
        return result


def _shares(code: str, directions: Counter[Direction]) -> str:
    total = sum(directions.values())
    what = {"dialog": "DIALOG quality of life", "gbo": "Goal Based Outcomes goals"}.get(code)
    shares = ", ".join(f"{directions[d] / total:.0%} {d.label.lower()}" for d in Direction)
    return f"{what or get_instrument(code).name} ({total:,} compared): {shares}"


def _p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def _machine() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    parts = [
        f"{os.cpu_count()} CPUs (nproc)",
        platform.machine(),
        f"{platform.system()} {platform.release()}",
        f"Python {platform.python_version()}",
        f"Django {django.get_version()}",
        f"{connection.vendor} {sqlite3.sqlite_version if connection.vendor == 'sqlite' else ''}".strip(),
    ]
    if load is not None:
        parts.append(f"load average {load[0]:.1f} while measuring")
    return ", ".join(parts)


def _ratio(value: float) -> str:
    return f"{value:,.1f}x" if value < 10 else f"{value:,.0f}x"


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _section(
    *,
    scale: int,
    results: list[Result],
    requests: int,
    build_seconds: float | None,
    build_note: str,
    not_built: Sequence[str] = (),
    work: Sequence[Work] = (),
    offers: int = 0,
) -> str:
    when = timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")
    lines = [
        f"### {scale:,} people",
        "",
        f"Measured {when} on {_machine()}. {requests} timed requests per page after warm-up; "
        f"database `{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}`.",
    ]
    if offers:
        lines += ["", f"The directory holds {offers:,} community offers."]
    if build_seconds is not None:
        rate = scale / build_seconds if build_seconds else 0
        lines.append(
            f"Building the site with `seed_demo --people {scale}` took **{build_seconds:,.0f} s** "
            f"({rate:,.0f} people a second){f'; {build_note}' if build_note else ''}."
        )
    lines += [
        "",
        "| page | signed in as | median ms | p95 ms | queries | KB | raw SQL ms (rows) | page ÷ raw SQL"
        " | empty view ms | page ÷ empty view |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    notes: dict[str, list[str]] = {}
    labels = {s.email: s.label for s in DEMO_SIGN_INS} | {s.email: s.label for s in COLLABORATIVE_SIGN_INS}
    for r in results:
        who = labels.get(r.page.signin or "", "not signed in")
        if r.error:
            lines.append(f"| {r.page.name} | {who} | {r.error} | | | | | | | |")
            continue
        raw = "-" if r.raw_ms is None else f"{r.raw_ms:,.2f} ({r.raw_rows:,})"
        ratio_raw = "-" if not r.raw_ms else _ratio(r.median_ms / r.raw_ms)
        ratio_empty = _ratio(r.median_ms / r.empty_ms) if r.empty_ms else "-"
        kb = "-" if r.page.is_selector else f"{r.kb:,.0f}"
        empty = "-" if r.page.is_selector else _fmt(r.empty_ms, 2)
        name = f"`{r.page.name}`" if r.page.is_selector else r.page.name
        lines.append(
            f"| {name} | {who} | {_fmt(r.median_ms)} | {_fmt(r.p95_ms)} | {r.queries} | {kb} | {raw}"
            f" | {ratio_raw} | {empty} | {ratio_empty} |"
        )
        if r.page.raw_note:
            notes.setdefault(r.page.raw_note, []).append(r.page.name)
    if notes:
        lines += ["", "What the raw SQL floors fetch:"]
        lines += [f"- {', '.join(names)}: {note}." for note, names in notes.items()]
    selectors = [r.page for r in results if r.page.is_selector]
    if selectors:
        lines += ["", "Selectors in `code` were called directly, as their page calls them (no request, no rendering):"]
        lines += [f"- `{page.name}`: `{page.path}`." for page in selectors]
    if not_built:
        lines += ["", f"Not benchmarked because the page is not built yet: {', '.join(not_built)}."]
    if work:
        lines += [
            "",
            "Whole-site work, done once (the time) and again under `tracemalloc` (its peak memory):",
            "",
            "| work | items | seconds | a second | peak memory MB | queries |",
            "|---|--:|--:|--:|--:|--:|",
        ]
        lines += [
            f"| {w.name} | {w.items:,} {w.unit} | {w.seconds:,.2f} | {w.rate:,.0f} | {w.peak_mb:,.1f} | {w.queries} |"
            for w in work
        ]
        lines += [""] + [f"- {w.name}: `{w.code}`; {'; '.join(w.findings) or 'no measures'}." for w in work]
    return "\n".join(lines) + "\n"


_HEADER = """# Benchmarks

How fast each page is, measured from the first day so that regressions show. `make bench` builds a
synthetic site with `seed_demo` into its own SQLite database (`var/bench-$SCALE.sqlite3`, kept and
reused), then runs `manage.py bench`, which requests each page as the demo account of the role that
uses it and writes the tables below. The site has a year of front-door life (introductions, contact
attempts, bookings, first conversations, returns) and an open queue on the day it was built.

For each page:

- **median / p95 ms**: the whole Django request through `django.test.Client` (middleware, session,
  two-factor check, view, access policy, audit writes, Jinja rendering), in process, without an
  HTTP server or network;
- **queries**: the number of SQL statements one request runs (`CaptureQueriesContext`);
- **raw SQL ms**: the same rows fetched with one hand-written query through `connection.cursor()`,
  the least the database can do for the page (rows fetched in brackets);
- **empty view ms**: a view that returns an empty response through the same middleware, signed in as
  the same user: what any page pays the framework before doing anything.

Rows named in `code` are selectors called directly, as their page calls them (no request, no
rendering), for the Hub queue and the public waiting figures: the page's time less the selector's is
what the page adds around it. A page whose URL is not built yet is listed under its table instead.

Below each table, **whole-site work** is timed once rather than per request: scoring every finished
measure of the site with the scoring engine (as insights will), and everyone's change (first against
latest, with the site's figures for reliable change) in one streamed pass, which gives the share of reliable
improvement for each instrument. Each is then run again under `tracemalloc` for its peak memory: the
measures are streamed a chunk at a time, so the peak should stay flat as the site grows.

Every page that shows people writes one audit event per person shown (that is intended: each
person's own access log is complete), so list pages pay for inserts as well as reads, and the
benchmark database grows a little with each run.

## How to run

```sh
make bench                 # 10,000 people (builds var/bench-10000.sqlite3 the first time)
SCALE=100000 make bench    # any scale; each has its own database
SCALE=500000 make bench    # half a million people: see the build times below
rm var/bench-10000.sqlite3*  # to rebuild from scratch
OFFERS=100000 OUTPUT=docs/benchmarks-offers.md make bench  # the directory at 100,000 offers
```

The community directory is measured through its ORUK API, anonymously (`/oruk/services`, its
`search`, and `/oruk/service_at_locations` within 2 km of a postcode), through the offer search page
and the map's GeoJSON (everything, and within a mile of a postcode) as a worker, and through the
`offer_search()` selector; with it, a person's community offers (their connections), the curator's
suggestions waiting, the directory feeds, and the picture of the network for an analyst (aggregates
of a year of connections and needs, with small numbers hidden). The synthetic site has one offer per ten
people (at least 300, at most 100,000; `seed_demo --offers N` sets another number). To measure
search at a scale of offers that the people do not reach, `OFFERS=100000` copies the built site to
`var/bench-$SCALE-offers-$OFFERS.sqlite3` and tops its directory up to that many offers
(`manage.py bench --offers 100000`, written in bulk with the same rows and projections as
`documents.save_service`; the copy is kept and reused while the generator and migrations are unchanged). The
section then says how many offers it measured; write it to its own `OUTPUT` so that it does not
replace the section of the same number of people.

The Collaborative (issue 7) is measured as its members and the public use it: the member's home, the
public decisions log and its CSV, the public open events, the whole Collaborative's page with who holds
which role and the resilience checks, and who leads every group (as its chair), the busiest session's
attendance and its mix, the members' decisions list and the decision with most participants, the
prototype whose live figure is the wait to a first conversation, the story bank, a reflection round's
principles and balcony results and the trend over every round, and the ideas fund's approval counts.
Its size does not grow with the number of people (the synthetic site has one year of it), so before
measuring, bench tops it up in bulk to a big borough network after several years (`COLLABORATIVE_SCALE`:
300 current members, 500 sessions with attendance, 2,000 decided decisions with who took part, 1,000
shared stories with their themes, and 5 yearly reflection rounds answered by about half the members,
whose new members also vote in the awarded fund round). Each part is topped up only while it is short,
so the cached site gets it once and a rerun adds nothing.
None of these pages runs a query per row: each runs as many queries on the synthetic year as on the
topped-up network. The story bank, the decisions log and the members' decisions list are paged; the CSV
is streamed from one query.

A cached site is rebuilt by itself when the generator (`livingwell/core/synthetic/`) or any
migration has changed since it was built (scripts/bench keeps a fingerprint of both in
`var/bench-$SCALE.fingerprint`), so the tables always describe the current schema and data.

`scripts/bench` can also be run directly (`SCALE=2000 scripts/bench`); `REQUESTS` (default 30)
and `WARM_UP` (default 5) set the requests per page, which large scales need fewer of (a page
that takes seconds at 500,000 people takes minutes to measure 35 times). Results for each scale
replace that scale's section of this file and leave the others.

Reading the numbers: the load average is printed with each run because absolute times move with
whatever else the machine is doing; query counts, rows and the ratios to the two floors move much
less, and are what to compare between runs. A page far above its raw-SQL floor is doing work in
Python (building rows, rendering, writing audit events); a page whose floor is itself slow needs a
better query or an index. A ratio below 1 means the hand-written query was no better than the ORM's.
"""


_SECTION = re.compile(r"<!-- bench:(\d+)(?: build=([0-9.]+))? -->\n(.*?)<!-- /bench:\1 -->\n", re.DOTALL)


def _update_report(target: Path, scale: int, section: str, build_seconds: float | None) -> None:
    sections: dict[int, tuple[float | None, str]] = {}
    if target.exists():
        for match in _SECTION.finditer(target.read_text()):
            sections[int(match.group(1))] = (float(match.group(2)) if match.group(2) else None, match.group(3))
    if build_seconds is None and scale in sections:
        build_seconds = sections[scale][0]  # a rerun on the same database keeps its build time
    sections[scale] = (build_seconds, section)
    builds = sorted((s, b) for s, (b, _) in sections.items() if b)
    body = [_HEADER, "## Build times", ""]
    if builds:
        body += [
            "Measured by scripts/bench around `manage.py seed_demo --people N --seed 1` (SQLite, one chunk of"
            " 5,000 people per transaction, foreign keys checked and non-unique indexes built once at the end,"
            " including Django start-up). Each person brings about 18 rows: their story and network, a year at the"
            " front door (introductions, events, contact attempts, bookings, first conversations, messages) and"
            " their support.",
            "",
            "| people | seed_demo seconds | people a second |",
            "|--:|--:|--:|",
        ]
        body += [f"| {s:,} | {b:,.0f} | {s / b:,.0f} |" for s, b in builds]
        largest, seconds = builds[-1]
        if largest < 500_000:
            estimate = seconds * 500_000 / largest
            body += [
                "",
                f"500,000 people, extrapolated linearly from the {largest:,} build: about **{estimate / 60:,.0f} minutes**"
                " (not measured; bulk inserts into indexed tables slow a little as they grow).",
            ]
    else:
        body.append("No build has been timed yet.")
    body += ["", "## Results", ""]
    for s in sorted(sections):
        built, text = sections[s]
        marker = f"<!-- bench:{s}{f' build={built:.1f}' if built else ''} -->"
        body += [marker, text.rstrip("\n"), f"<!-- /bench:{s} -->", ""]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(body).rstrip("\n") + "\n")
