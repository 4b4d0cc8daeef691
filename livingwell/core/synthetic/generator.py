"""A deterministic synthetic Living Well site, at any scale, for the demo, tests and benchmarks.

`build_site(people=N, seed=S, today=D)` always builds the same site for the same N, S and D: every
random choice comes from `random.Random` seeded from S, every UUID is drawn from it, and every
timestamp is fixed relative to the start of day D (nothing happens on or after D). The build is
idempotent: a complete site with the same slug is left alone.

Seeding is not user activity: people are generated and written in chunks of CHUNK_SIZE, one
transaction each (memory stays bounded at any scale), with `executemany` rather than `save()` (see
`_insert`), and no audit events are written except a few for the demo person, so that their own
access log has something to show. Timestamps (`created_at`/`updated_at`) are the moment each thing
happened in the story of the site, not the moment the generator ran.

The front door gets a year of realistic life (see `_Builder._front_door`). Every person came to the
front door once in the year before `today` (returning people also once before), so `people` is the
year's introductions: Lambeth's 6,000 to 7,500 a year for about 318,000 residents is `people=7000`.
Each introduction's whole journey is planned first (attempts to get in touch, bookings moved or
missed, the first conversation and its outcome, a second contact, or being withdrawn or not reached,
sometimes reopened) and then cut at the start of `today`, so that what is still ahead is the open
queue: introductions not yet contacted, being contacted, or booked for a first conversation in the
days to come. Sources, seasons, urgency, waits and outcomes are set in `data`.

Support follows (see `_Builder._support` and `_Builder._support_life`). At the first conversation the
person says what kind of worker they want (peer, recovery, clinical, housing, employment, or no
preference), sometimes by name or with a wish of their own; the team leader's allocation mostly honours
it and says why when it cannot, and changes of worker (some asked for by the person) are kept as history.
Most people supported for more than a few weeks have a Living Well plan: goals in their own words for
the Big Three, actions owned by them, their worker, someone in their own network or a community offer,
a safety plan for most, reviews every `weeks_between_plan_reviews` (some late, so the huddle has plans
due), agreement in conversation, and a `PlanVersion` for every change, worded and shaped by the plan
service itself. Workers are in touch weekly to monthly, in the ways people choose, and write notes
people read (a few withheld, with the reason); a few people have not been seen for longer than
`weeks_before_not_seen_flag`. Ending support writes the farewell summary; some people come back within
`months_to_come_back` through the Hub and are picked up where they left off, with the same team and
worker. A few urgent flags and requests for a change of worker are open, and each team's huddles of the
last three weeks have their decisions. Each person's support draws on its own random stream (seeded by
their id), so support never changes the front door; rows are flushed every FLUSH_ROWS or so.

Measures follow the same life (see `_Builder._measures`), from a stream of their own so that they change
nothing else: DIALOG+ at most first conversations (for some with SWEMWBS or ReQoL-10 as well), Goal Based
Outcomes on the plan's own goals from when the plan is made, most reviews, and moving on with the
experience questions; a few forms started and not finished. Each person's answers follow a random walk
with a drift of their own (most a little better, some reliably, some worse), DIALOG+ conversations at
some reviews become actions in the plan, and every score is the scoring engine's own
(`get_instrument(code).score_by_key`). The demo person's measures are written out in full, so that the
demo shows the same story every time.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import functools
import itertools
import json
import math
import operator
import random
import time
import unicodedata
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef
from django.db.models.base import ModelState
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.access import matching
from livingwell.access.models import (
    OPEN_STATES,
    AttemptOutcome,
    Booking,
    BookingStatus,
    ContactAttempt,
    ContactMethod,
    ConversationOutcome,
    EventKind,
    FirstConversation,
    Handover,
    Introduction,
    IntroductionEvent,
    IntroductionState,
    MatchStatus,
    NotifyBy,
    Place,
    PossibleMatch,
    Source,
    UnsafeNow,
    WorkerPreference,
)
from livingwell.access.services import acknowledgement_text, booking_text
from livingwell.accounts.models import User, WorkerGender
from livingwell.audit.models import Action, AuditEvent, Basis, Outcome, Part
from livingwell.community.models import Connection as OfferConnection
from livingwell.community.models import Gap, Service
from livingwell.core.synthetic import data
from livingwell.core.synthetic.collaborative import build_collaborative_life
from livingwell.core.synthetic.demo import DEMO_LOCALITY, DEMO_PASSWORD, DEMO_SIGN_INS, DemoSignIn, demo_sign_in
from livingwell.core.synthetic.offers import (
    MAX_OFFERS,
    build_connections,
    build_directory_life,
    build_offers,
    feed_folder,
    offers_for,
)
from livingwell.messaging.models import Channel, Message, MessageStatus
from livingwell.network.models import SUPPORT_ROLES, Locality, Membership, Organisation, Role, Site, Team
from livingwell.outcomes.instruments import CODES as INSTRUMENT_CODES
from livingwell.outcomes.instruments import Instrument, get_instrument
from livingwell.outcomes.models import CompletedHow, Measure, MeasureStatus, Occasion
from livingwell.people.models import (
    EthnicGroup,
    Gender,
    Person,
    Relationship,
    SexualOrientation,
    SharingConsent,
    Story,
    YesNoPreferNot,
)
from livingwell.people.nhs_number import check_digit
from livingwell.support.models import (
    KIND_ROLES,
    ActionOwner,
    ActionStatus,
    AgreedHow,
    Allocation,
    BigThree,
    ChangeRequestStatus,
    Contact,
    ContactStatus,
    Flag,
    Goal,
    GoalStatus,
    Huddle,
    HuddleDecision,
    MovingOn,
    MovingOnReason,
    Note,
    Plan,
    PlanAction,
    PlanAgreement,
    PlanVersion,
    Review,
    SafetyPlan,
    SupportPeriod,
    WorkerChangeRequest,
    WorkerKind,
)
from livingwell.support.services import plans as plan_services
from livingwell.support.services.plans import SAFETY_FIELDS as _SAFETY_FIELDS
from livingwell.support.services.plans import date_text, describe_changes

SITE_NAME = "Lambeth Living Well"
SITE_SLUG = "lambeth-living-well"
LONDON = ZoneInfo("Europe/London")
CHUNK_SIZE = 5000  # people generated and written per transaction
RNG_BLOCK = 1000  # people drawn from each seeded random stream
BATCH_SIZE = 2500  # rows per executemany (or bulk_create) call
FLUSH_ROWS = 40_000  # rows held (see `_Rows.size`) before they are written, within a chunk's transaction
MAX_PEOPLE = 1_000_000  # the 999 test range of NHS numbers holds about 909,000 valid numbers
# Roughly the share of people in an open support period on the day of the build; used to size
# the teams so that caseloads stay near data.CASELOAD at any scale.
OPEN_SUPPORT_SHARE = 0.36
# Introduction references: as access.models.new_reference makes them (LW-XXXX-XXXX from 31 characters).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_SPACE = len(REFERENCE_ALPHABET) ** 8
# Booking messages and acknowledgements are kept in the outbox for introductions this recent.
OUTBOX_DAYS = 30
# Of the people generated, these are a returning person's new record that the front door has not
# linked yet: each has a pending possible match for the Hub coordinator to decide.
UNLINKED_EVERY, UNLINKED_AT = 400, 137  # one person in every 400, from the 138th
# These people came in urgently in the last day and a half, so that the open queue shows urgent work at
# any scale (urgent introductions are met within days, so few are open at any moment).
URGENT_NOW = frozenset({251, 651, 1051})
# The demo person came to the front door this long ago: long enough for a plan that has had a review.
DEMO_INTRODUCED_DAYS_AGO = 190
DAY = dt.timedelta(days=1)


class IncompleteSiteError(Exception):
    """A site with the demo slug exists but an earlier build did not finish."""


@dataclass
class BuildResult:
    site: Site
    created: bool
    counts: dict[str, int]
    seconds: float
    demo_person_name: str = ""


class _Picker[T]:
    """Weighted choice by bisecting cumulative weights: far faster than rng.choices for one item."""

    def __init__(self, items: Sequence[tuple[T, float]]) -> None:
        self.values = [value for value, _ in items]
        self.cumulative = list(itertools.accumulate(weight for _, weight in items))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> T:
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.total)]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _ascii(text: str) -> str:
    """'Łukasz O'Brien-Gómez' -> 'lukaszobriengomez', for email addresses."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("\u0131", "i")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum()).lower()


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def _hub_time(rng: random.Random, day: dt.date) -> dt.datetime:
    """A time in the Hub's working day (9:00 to 16:50)."""
    return _at(day, rng.randint(9, 16), rng.randrange(0, 60, 10))


def _weekday(day: dt.date) -> dt.date:
    """The day itself, or the Monday after a weekend."""
    weekday = day.weekday()
    return day + dt.timedelta(days=7 - weekday) if weekday >= 5 else day


def _minutes(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(minutes=rng.randint(low, high))


def _int(rng: random.Random, low: int, high: int) -> int:
    """A whole number from low to high inclusive: as rng.randint, a few times faster (support is most of the rows)."""
    return low + int(rng.random() * (high - low + 1))


def _one[T](rng: random.Random, items: Sequence[T]) -> T:
    """One of the items, as rng.choice, a few times faster."""
    return items[int(rng.random() * len(items))]


def _a(words: str) -> str:
    """'A peer worker', 'An employment specialist'."""
    return f"{'An' if words[0] in 'aeiou' else 'A'} {words}"


def _mins(rng: random.Random, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(minutes=_int(rng, low, high))


def _what_changed(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """support.services.plans.describe_changes, the same sentences in the same order, for snapshots whose
    unchanged parts are the very same objects (see `_Builder._snapshot`): only what changed is compared."""
    if before is None:
        return describe_changes(None, after)
    old_goals = {item["id"]: item for item in before["goals"]}
    lines: list[str] = []
    for item in after["goals"]:
        old = old_goals.get(item["id"])
        if old is not item:
            lines += plan_services.goal_changes(old, item)
    goal_words = {g["id"]: g["words"] for g in after["goals"]}
    old_actions = {item["id"]: item for item in before["actions"]}
    for item in after["actions"]:
        old = old_actions.get(item["id"])
        if old is not item:
            lines += plan_services.action_changes(old, item, goal_words)
    if before["safety_plan"] is not after["safety_plan"]:
        lines += plan_services.safety_changes(before["safety_plan"], after["safety_plan"])
    lines += plan_services.review_date_changes(before["review_due"], after["review_due"])
    return lines


class _RawJSON(str):
    """JSON already written (a plan version's snapshot, put together from its parts' JSON): stored as it is."""


_PRONOUNS: dict[str, str] = {Gender.WOMAN: "she/her", Gender.MAN: "he/him", Gender.NON_BINARY: "they/them"}
_TIMESTAMPED = (
    User,
    Site,
    Locality,
    Organisation,
    Team,
    Membership,
    Person,
    Story,
    Relationship,
    SharingConsent,
    Introduction,
    SupportPeriod,
    Allocation,
    ContactAttempt,
    Booking,
    FirstConversation,
    Handover,
    PossibleMatch,
    Message,
    WorkerChangeRequest,
    Flag,
    Huddle,
    HuddleDecision,
    Plan,
    Goal,
    PlanAction,
    SafetyPlan,
    Review,
    PlanAgreement,
    Contact,
    Note,
    MovingOn,
    Measure,
)
# The people who took part in each contact: the many-to-many table, written as plain rows too.
ContactWorker: type[models.Model] = Contact.workers.through


@contextlib.contextmanager
def _story_timestamps() -> Iterator[None]:
    """Let `created_at`/`updated_at` carry the generator's values instead of the current time.

    Only for the duration of a build, in this process: the fields' auto_now flags are restored after.
    """
    saved: list[tuple[models.DateTimeField[Any, Any], bool, bool]] = []
    for model in _TIMESTAMPED:
        for name in ("created_at", "updated_at"):
            f = model._meta.get_field(name)
            assert isinstance(f, models.DateTimeField)
            saved.append((f, f.auto_now, f.auto_now_add))
            f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@contextlib.contextmanager
def _bulk_load() -> Iterator[None]:
    """Fill the tables as a bulk load: foreign keys checked, and secondary indexes built, once at the end.

    SQLite checks each row's foreign keys and updates every index of its table as each row goes in,
    which is most of the cost of a large build. Outside a transaction (so not in the tests, which run
    inside one), the build switches foreign key checks off and drops the non-unique indexes of the
    tables it fills; afterwards it recreates those indexes from their own SQL (one sort each, far
    cheaper than row by row) and runs one `PRAGMA foreign_key_check`, which raises IntegrityError if
    anything points nowhere. Unique indexes stay, so uniqueness is checked as the rows go in. If the
    build fails, the indexes are recreated before the error goes on; a build killed outright leaves
    an incomplete site, which `build_site` refuses to extend (start again with an empty database).
    """
    if connection.vendor != "sqlite" or not connection.disable_constraint_checking():
        yield  # inside a transaction, or not SQLite: rows are checked as they go in
        return
    tables = {Person._meta.db_table, *(model._meta.db_table for model in _TABLES)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        indexes = [(name, sql) for table, name, sql in cursor.fetchall() if table in tables and " UNIQUE " not in sql]
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _, sql in indexes:
                cursor.execute(sql)
        connection.enable_constraint_checking()
    connection.check_constraints()


def is_complete(site: Site) -> bool:
    """The last step of a build links the demo person to their sign-in; its presence marks completion."""
    return Person.objects.filter(site=site, user__email=demo_sign_in(None).email).exists()


def site_counts(site: Site, today: dt.date | None = None) -> dict[str, int]:
    """How much of everything the site holds; what is due or overdue is counted as of `today` (default today)."""
    today = today or timezone.localdate()
    introductions = Introduction.objects.filter(site=site)
    periods = SupportPeriod.objects.filter(team__site=site)
    open_periods = periods.filter(ended_at__isnull=True)
    bookings = Booking.objects.filter(introduction__site=site)
    allocations = Allocation.objects.filter(support_period__team__site=site)
    current = Allocation.objects.filter(support_period=OuterRef("pk"), ended_at__isnull=True)
    requests = WorkerChangeRequest.objects.filter(support_period__team__site=site)
    plans = Plan.objects.filter(person__site=site)
    contacts = Contact.objects.filter(person__site=site)
    notes = Note.objects.filter(person__site=site)
    not_seen_since = _at(today, 0) - dt.timedelta(weeks=site.weeks_before_not_seen_flag)
    return {
        "organisations": Organisation.objects.filter(site=site).count(),
        "teams": Team.objects.filter(site=site).count(),
        "staff": Membership.objects.filter(site=site).values("user_id").distinct().count(),
        "memberships": Membership.objects.filter(site=site).count(),
        "people": Person.objects.filter(site=site).count(),
        "stories": Story.objects.filter(person__site=site).count(),
        "relationships": Relationship.objects.filter(person__site=site).count(),
        "introductions": introductions.count(),
        "introductions open": introductions.filter(state__in=OPEN_STATES).count(),
        "introductions open and urgent": introductions.filter(state__in=OPEN_STATES, urgent=True).count(),
        "introductions met": introductions.filter(state=IntroductionState.MET).count(),
        "introductions withdrawn or not reached": introductions.filter(
            state__in=(IntroductionState.WITHDRAWN, IntroductionState.UNREACHABLE)
        ).count(),
        "introductions back with their team": introductions.filter(state=IntroductionState.RETURNED).count(),
        "introduction events": IntroductionEvent.objects.filter(introduction__site=site).count(),
        "contact attempts": ContactAttempt.objects.filter(introduction__site=site).count(),
        "bookings": bookings.count(),
        "bookings current": bookings.filter(status=BookingStatus.BOOKED).count(),
        "first conversations": FirstConversation.objects.filter(introduction__site=site).count(),
        "handovers": Handover.objects.filter(site=site).count(),
        "handovers to follow up": Handover.objects.filter(site=site, followed_up_at__isnull=True).count(),
        "possible matches to decide": PossibleMatch.objects.filter(
            introduction__site=site, status=MatchStatus.PENDING
        ).count(),
        "messages in the outbox": Message.objects.filter(site=site).count(),
        "support periods": periods.count(),
        "support periods open": periods.filter(ended_at__isnull=True).count(),
        "support periods open and waiting for a worker": open_periods.exclude(Exists(current)).count(),
        "support periods picked up again (came back)": periods.filter(resumed_from__isnull=False).count(),
        "allocations": allocations.count(),
        "allocations not as the person asked": allocations.filter(honours_choice=False).count(),
        "changes of worker asked for": requests.count(),
        "changes of worker waiting for an answer": requests.filter(status=ChangeRequestStatus.OPEN).count(),
        "urgent flags open": Flag.objects.filter(
            support_period__team__site=site, support_period__ended_at__isnull=True, cleared_at__isnull=True
        ).count(),
        "huddles": Huddle.objects.filter(team__site=site).count(),
        "huddle decisions": HuddleDecision.objects.filter(huddle__team__site=site).count(),
        "Living Well plans": plans.count(),
        "plans due for review now": plans.filter(
            person__support_periods__ended_at__isnull=True, review_due__lte=today
        ).count(),
        # Joins rather than `plan__in=<subquery>`, which PostgreSQL plans badly before tables are analysed.
        "plan goals": Goal.objects.filter(plan__person__site=site).count(),
        "plan actions": PlanAction.objects.filter(plan__person__site=site).count(),
        "plan reviews": Review.objects.filter(plan__person__site=site).count(),
        "plan versions": PlanVersion.objects.filter(plan__person__site=site).count(),
        "plan agreements": PlanAgreement.objects.filter(plan__person__site=site).count(),
        "safety plans": SafetyPlan.objects.filter(plan__person__site=site).count(),
        "contacts": contacts.count(),
        "contacts that did not take place": contacts.filter(status=ContactStatus.NOT_HELD).count(),
        "people not seen lately": open_periods.filter(started_at__lt=not_seen_since)
        .exclude(
            Exists(
                contacts.filter(
                    person_id=OuterRef("person_id"), occurred_at__gte=not_seen_since, status=ContactStatus.HELD
                )
            )
        )
        .count(),
        "notes": notes.count(),
        "notes withheld from the person": notes.exclude(withheld_because="").count(),
        "moving on summaries": MovingOn.objects.filter(support_period__team__site=site).count(),
        "sharing consents": SharingConsent.objects.filter(person__site=site).count(),
        "measures finished": Measure.objects.filter(person__site=site, status=MeasureStatus.COMPLETE).count(),
        "measures started, not finished": Measure.objects.filter(person__site=site, status=MeasureStatus.DRAFT).count(),
        "community offers": Service.objects.filter(site=site).count(),
        "connections to offers": OfferConnection.objects.filter(service__site=site).count(),
        "connections to follow up now": OfferConnection.objects.filter(
            service__site=site, follow_up_on__lte=today
        ).count(),
        "needs no offer met": Gap.objects.filter(site=site).count(),
    }


def build_site(
    *,
    people: int = 2000,
    seed: int = 2026,
    today: dt.date | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[str], None] | None = None,
    offers: int | None = None,
) -> BuildResult:
    """Build the demo site, or return the complete one that is already there (nothing is added).

    `offers` is how many community offers the directory holds (default: one per ten people, at least 300,
    at most 100,000; see `synthetic.offers`).

    Raises IncompleteSiteError when an interrupted build left part of a site behind.
    """
    if not 1 <= people <= MAX_PEOPLE:
        raise ValueError(f"people must be between 1 and {MAX_PEOPLE:,}")
    started = time.perf_counter()
    existing = Site.objects.filter(slug=SITE_SLUG).first()
    if existing is not None:
        if not is_complete(existing):
            raise IncompleteSiteError(
                f"{existing.name} exists but an earlier build did not finish. Start again with an empty database."
            )
        person = Person.objects.filter(site=existing, user__email=demo_sign_in(None).email).first()
        return BuildResult(
            existing, False, site_counts(existing), time.perf_counter() - started, person.display_name if person else ""
        )
    if today is None:
        today = timezone.localdate()
    offer_count = offers_for(people) if offers is None else offers
    if not 0 <= offer_count <= MAX_OFFERS:
        raise ValueError(f"offers must be between 0 and {MAX_OFFERS:,}")
    builder = _Builder(people=people, seed=seed, today=today, chunk_size=chunk_size, progress=progress)
    builder.offers = offer_count
    with _story_timestamps():
        site = builder.build()
    return BuildResult(site, True, site_counts(site, today), time.perf_counter() - started, builder.demo_person_name)


@dataclass
class _Worker:
    """A member of staff as the generator uses them: to allocate, book, introduce or record."""

    user_id: uuid.UUID
    name: str
    role: Role
    organisation: str
    weight: float
    first_name: str = ""
    email: str = ""
    title: str = ""
    gender: str = ""
    languages: frozenset[str] = frozenset()  # casefolded


Row = list[Any]


@dataclass
class _Rows:
    """One chunk's rows: Person instances (the generator reads them back), plain rows (see `_TABLES`) for the rest."""

    people: list[Person] = field(default_factory=list)
    stories: list[Row] = field(default_factory=list)
    relationships: list[Row] = field(default_factory=list)
    introductions: list[Row] = field(default_factory=list)
    periods: list[Row] = field(default_factory=list)
    allocations: list[Row] = field(default_factory=list)
    consents: list[Row] = field(default_factory=list)
    conversations: list[Row] = field(default_factory=list)
    handovers: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    attempts: list[Row] = field(default_factory=list)
    bookings: list[Row] = field(default_factory=list)
    matches: list[Row] = field(default_factory=list)
    messages: list[Row] = field(default_factory=list)
    change_requests: list[Row] = field(default_factory=list)
    flags: list[Row] = field(default_factory=list)
    plans: list[Row] = field(default_factory=list)
    goals: list[Row] = field(default_factory=list)
    actions: list[Row] = field(default_factory=list)
    safety_plans: list[Row] = field(default_factory=list)
    reviews: list[Row] = field(default_factory=list)
    plan_versions: list[Row] = field(default_factory=list)
    agreements: list[Row] = field(default_factory=list)
    contacts: list[Row] = field(default_factory=list)
    contact_workers: list[Row] = field(default_factory=list)
    notes: list[Row] = field(default_factory=list)
    moving_ons: list[Row] = field(default_factory=list)
    measures: list[Row] = field(default_factory=list)

    def size(self) -> int:
        """Rows held, roughly: the support rows outnumber the rest."""
        return (
            len(self.contacts) + len(self.notes) + len(self.events) + len(self.plan_versions) * 4 + len(self.measures)
        )

    def save(self) -> None:
        """Write every row held, table by table in the order of `_TABLES`, and let them go."""
        _insert(Person, self.people)
        self.people.clear()
        tables: tuple[tuple[type[models.Model], list[Row]], ...] = (
            (Story, self.stories),
            (Relationship, self.relationships),
            (SupportPeriod, self.periods),
            (Allocation, self.allocations),
            (SharingConsent, self.consents),
            (Introduction, self.introductions),
            (IntroductionEvent, self.events),
            (ContactAttempt, self.attempts),
            (Booking, self.bookings),
            (FirstConversation, self.conversations),
            (Handover, self.handovers),
            (PossibleMatch, self.matches),
            (Message, self.messages),
            (WorkerChangeRequest, self.change_requests),
            (Flag, self.flags),
            (Plan, self.plans),
            (Goal, self.goals),
            (PlanAction, self.actions),
            (SafetyPlan, self.safety_plans),
            (Review, self.reviews),
            (PlanVersion, self.plan_versions),
            (PlanAgreement, self.agreements),
            (Contact, self.contacts),
            (ContactWorker, self.contact_workers),
            (Note, self.notes),
            (MovingOn, self.moving_ons),
            (Measure, self.measures),
        )
        assert [model for model, _ in tables] == list(_TABLES)[: len(tables)], "insert in the order of _TABLES"
        for model, rows in tables:
            _insert_rows(model, rows)
            rows.clear()


# The columns of the tables written as plain rows, in the order the generator builds each row.
# Every concrete field is named (checked by `_insert_rows`) but an auto-incremented key, so that
# nothing is left to a default at save time.
_TABLES: dict[type[models.Model], tuple[str, ...]] = {
    Story: (
        "person_id", "created_at", "updated_at", "what_brought_me_here", "going_well", "hard",
        "would_like_to_achieve", "who_can_help", "updated_by_id", "version",
    ),
    Relationship: (
        "id", "created_at", "updated_at", "person_id", "name", "kind", "part_they_play", "contact", "wants_involved",
        "connection",
    ),
    SupportPeriod: (
        "id", "created_at", "updated_at", "person_id", "team_id", "started_at", "ended_at", "opened_by_id",
        "wanted_kind", "wanted_worker_id", "wanted_note", "resumed_from_id",
    ),
    Allocation: (
        "id", "created_at", "updated_at", "support_period_id", "worker_id", "started_at", "ended_at",
        "allocated_by_id", "honours_choice", "why_not_as_chosen", "end_reason",
    ),
    SharingConsent: (
        "id", "created_at", "updated_at", "person_id", "organisation_id", "given_at", "withdrawn_at", "recorded_by_id",
    ),
    Introduction: (
        "id", "created_at", "updated_at", "reference", "person_id", "site_id", "locality_id", "source",
        "introducing_organisation_id", "introduced_by_id", "introduced_at", "state", "state_changed_at", "urgent",
        "first_conversation_at", "second_contact_at", "in_their_words", "unsafe_now", "preferred_places",
        "worker_preferences", "meeting_note", "agrees_to_contact", "agrees_to_share", "person_aware",
        "introducer_name", "introducer_relationship", "introducer_phone", "introducer_email", "closed_reason",
        "submission_key", "submission_hash",
    ),
    IntroductionEvent: (
        "introduction_id", "occurred_at", "kind", "actor_id", "actor_name", "from_state", "to_state", "note",
    ),
    ContactAttempt: (
        "id", "created_at", "updated_at", "introduction_id", "attempted_at", "method", "outcome", "note",
        "recorded_by_id",
    ),
    Booking: (
        "id", "created_at", "updated_at", "introduction_id", "starts_at", "place", "place_detail", "worker_id",
        "booked_by_id", "notify_by", "status", "status_note",
    ),
    FirstConversation: (
        "id", "created_at", "updated_at", "introduction_id", "held_at", "place", "worker_id", "outcome", "team_id",
        "support_period_id", "community_offers", "note",
    ),
    Handover: (
        "id", "created_at", "updated_at", "person_id", "site_id", "first_conversation_id", "to_service",
        "organisation_id", "reason", "handed_over_at", "follow_up_due", "followed_up_at", "follow_up_note",
        "handed_over_by_id",
    ),
    PossibleMatch: (
        "id", "created_at", "updated_at", "introduction_id", "candidate_id", "score", "reasons", "status",
        "decided_by_id", "decided_at",
    ),
    Message: (
        "id", "created_at", "updated_at", "site_id", "person_id", "channel", "to", "subject", "body", "purpose",
        "status", "sender", "sent_at", "failure", "created_by_id",
    ),
    # Support, after the front door; each table after those it points at.
    WorkerChangeRequest: (
        "id", "created_at", "updated_at", "support_period_id", "asked_at", "asked_by_id", "wanted_kind",
        "wanted_worker_id", "reason", "status", "answered_at", "answered_by_id", "answer", "allocation_id",
    ),
    Flag: (
        "id", "created_at", "updated_at", "support_period_id", "reason", "raised_at", "raised_by_id", "cleared_at",
        "cleared_by_id", "cleared_note",
    ),
    Plan: ("id", "created_at", "updated_at", "person_id", "review_due", "version_number"),
    Goal: (
        "id", "created_at", "updated_at", "plan_id", "words", "outcome", "status", "position", "version",
        "created_by_id", "updated_by_id",
    ),
    PlanAction: (
        "id", "created_at", "updated_at", "plan_id", "goal_id", "what", "owner", "owner_worker_id",
        "owner_relationship_id", "owner_name", "due", "status", "done_at", "version", "created_by_id",
        "updated_by_id",
    ),
    SafetyPlan: (
        "plan_id", "created_at", "updated_at", "warning_signs", "what_helps", "people_and_places", "crisis_contacts",
        "version", "updated_by_id",
    ),
    Review: (
        "id", "created_at", "updated_at", "plan_id", "held_on", "with_person", "how_it_is_going", "what_changes",
        "next_review_due", "recorded_by_id",
    ),
    PlanVersion: ("plan_id", "number", "changed_at", "changed_by_id", "changed_by_name", "summary", "snapshot"),
    PlanAgreement: (
        "id", "created_at", "updated_at", "plan_id", "version_number", "agreed_at", "how", "recorded_by_id", "comment",
    ),
    Contact: (
        "id", "created_at", "updated_at", "person_id", "support_period_id", "occurred_at", "mode", "status", "place",
        "duration_minutes", "others", "recorded_by_id",
    ),
    ContactWorker: ("contact_id", "user_id"),
    Note: (
        "id", "created_at", "updated_at", "person_id", "contact_id", "written_at", "author_id", "author_name", "text",
        "corrects_id", "withheld_because", "withheld_reason", "withheld_by_id", "withheld_review_on",
    ),
    MovingOn: (
        "id", "created_at", "updated_at", "support_period_id", "moved_on_at", "reason", "what_helped",
        "if_things_get_hard", "how_to_come_back", "person_words", "written_with_person", "recorded_by_id",
    ),
    Measure: (
        "id", "created_at", "updated_at", "person_id", "support_period_id", "instrument", "instrument_version",
        "occasion", "how", "status", "started_at", "started_by_id", "completed_at", "completed_by_id", "answers",
        "more_help", "goals", "topics", "total", "metric", "subscales", "version",
    ),
    # Written at the end of the build, once every team's year is known (see `_Builder._huddles`).
    Huddle: ("id", "created_at", "updated_at", "team_id", "started_at", "started_by_id"),
    HuddleDecision: (
        "id", "created_at", "updated_at", "huddle_id", "support_period_id", "topic", "decision", "recorded_at",
        "recorded_by_id",
    ),
}  # fmt: skip


@functools.lru_cache(maxsize=65536)
def _datetime_text(value: dt.datetime) -> str:
    """As Django's SQLite backend stores an aware datetime: naive UTC text. Cached: the generator
    writes the same moment several times (an attempt's `attempted_at`, `created_at`, `updated_at`)."""
    return str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _converter(f: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How to turn a field's Python value into what the database driver takes (None: as it is)."""
    target = f.target_field if isinstance(f, models.ForeignKey) else f
    if connection.vendor != "sqlite":
        if isinstance(target, models.JSONField):
            return lambda value: f.get_db_prep_save(
                json.loads(value) if isinstance(value, _RawJSON) else value, connection
            )
        return lambda value: f.get_db_prep_save(value, connection)
    # SQLite by hand, as Django's SQLite backend stores them, at a fraction of the cost per value.
    if isinstance(target, models.UUIDField):
        return operator.attrgetter("hex")
    if isinstance(target, models.DateTimeField):
        return _datetime_text
    if isinstance(target, models.JSONField):
        return lambda value: value if isinstance(value, _RawJSON) else json.dumps(value)
    if isinstance(target, models.DateField):
        return dt.date.isoformat
    if isinstance(
        target, (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.FloatField)
    ):
        return None
    return lambda value: f.get_db_prep_save(value, connection)


def _bare[M: models.Model](model: type[M], **values: Any) -> M:
    """An instance made without `Model.__init__`: no defaults, no signals, a third of the cost.

    For rows that the generator writes itself with `_insert` and reads back as plain attributes
    (`person.phone`, `person.locality_id`): every concrete field must be given by its attname,
    or `_insert` fails loudly rather than writing a default.
    """
    obj = model.__new__(model)
    obj._state = ModelState()
    obj.__dict__.update(values)
    return obj


def _insert(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert unsaved instances with executemany: bulk_create without the per-value overhead.

    Seeding half a million people spends most of its time in bulk_create's SQL compiler; this writes
    the same rows (every concrete field, values prepared as Django prepares them) several times faster.
    No signals, no `save()`, no auto_now: the generator sets every value itself.
    """
    if not objects:
        return
    fields = list(model._meta.concrete_fields)
    get = operator.attrgetter(*(f.attname for f in fields))
    _execute(model, fields, [list(get(obj)) for obj in objects])


def _insert_rows(model: type[models.Model], rows: list[Row]) -> None:
    """Insert plain rows whose values are in the order of `_TABLES[model]`: no model instances at all.

    The columns must name every concrete field but an auto-incremented primary key, so that no
    field is silently left to the database (model defaults are not applied here).
    """
    if not rows:
        return
    columns = _TABLES[model]
    fields: list[models.Field[Any, Any]] = []
    for name in columns:
        f = model._meta.get_field(name)
        assert isinstance(f, models.Field)
        fields.append(f)
    expected = {
        f.attname
        for f in model._meta.concrete_fields
        if not (f.primary_key and isinstance(f, (models.AutoField, models.BigAutoField)))
    }
    assert {f.attname for f in fields} == expected, f"{model.__name__}: {sorted(expected ^ set(columns))}"
    _execute(model, fields, rows)


def _execute(model: type[models.Model], fields: Sequence[models.Field[Any, Any]], rows: list[Row]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - quoted identifiers from model metadata
    conversions = [(i, c) for i, f in enumerate(fields) if (c := _converter(f)) is not None]
    for row in rows:
        for i, convert in conversions:
            if row[i] is not None:
                row[i] = convert(row[i])
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])


_PLACE_LABELS: dict[str, str] = dict(Place.choices)
_METHOD_LABELS: dict[str, str] = dict(ContactMethod.choices)
_ATTEMPT_LABELS: dict[str, str] = dict(AttemptOutcome.choices)
_OUTCOME_LABELS: dict[str, str] = dict(ConversationOutcome.choices)
# Which partner's introducers make each kind of signed-in introduction (GPs: the locality's practice).
_INTRODUCER_ORGS: dict[str, str] = {Source.HOUSING: "housing", Source.LOCAL_AUTHORITY: "council"}


@dataclass
class _Intro:
    """An introduction being generated: who made it and what they asked for."""

    id: uuid.UUID
    reference: str
    heritage: data.Heritage
    person: Person
    locality_index: int
    source: str
    introduced_at: dt.datetime
    organisation_id: uuid.UUID | None
    urgent: bool
    introducer: _Worker | None = None
    in_their_words: str = ""
    unsafe_now: str = ""
    places: list[str] = field(default_factory=list)
    wishes: list[str] = field(default_factory=list)
    meeting_note: str = ""
    agrees_to_contact: bool = False
    agrees_to_share: bool = False
    person_aware: str = ""
    introducer_name: str = ""
    introducer_relationship: str = ""
    introducer_phone: str = ""
    introducer_email: str = ""
    wants_peer: bool = False
    wants_gender: str = ""
    wants_language: str = ""  # casefolded, when they asked for someone who speaks their language
    methods: tuple[str, ...] = ()


@dataclass
class _PlannedBooking:
    id: uuid.UUID
    made_at: dt.datetime
    starts_at: dt.datetime
    place: str
    detail: str
    worker: _Worker
    booked_by: _Worker
    notify_by: str
    status: str = BookingStatus.BOOKED  # what it became at `changed_at`
    note: str = ""
    changed_at: dt.datetime | None = None

    def change(self, status: str, note: str, at: dt.datetime) -> None:
        self.status, self.note, self.changed_at = status, note, at


Event = tuple[dt.datetime, str, str, _Worker | None, str]  # (when, kind, state after, actor, note)


@dataclass
class _Plan:
    """An introduction's whole journey, including what is still ahead of today (cut by `_write_door`)."""

    events: list[Event] = field(default_factory=list)
    attempts: list[tuple[uuid.UUID, dt.datetime, str, str, _Worker]] = field(default_factory=list)
    bookings: list[_PlannedBooking] = field(default_factory=list)
    matched_at: dt.datetime | None = None
    met_at: dt.datetime | None = None
    met_worker: _Worker | None = None
    met_place: str = ""
    outcome: ConversationOutcome = ConversationOutcome.SUPPORT
    second_contact_at: dt.datetime | None = None
    closed_reason: str = ""

    def event(self, at: dt.datetime, kind: str, state: str, actor: _Worker | None, note: str) -> None:
        self.events.append((at, kind, state, actor, note))


# ---- Living Well support: who is who, as the generator follows a person through their support --------

# The kind of worker each role is (the reverse of KIND_ROLES); a team leader is no kind in particular.
ROLE_KIND: dict[str, str] = {role: kind for kind, roles in KIND_ROLES.items() for role in roles}
# How long each kind of contact lasts, in minutes (when it took place).
_DURATIONS: dict[str, tuple[int, int]] = {
    "in_person": (40, 90),
    "home_visit": (45, 90),
    "phone": (10, 40),
    "video": (20, 60),
    "message": (10, 20),
    "group": (60, 90),
    "email": (10, 20),
}
# What the worker writes when a contact did not take place, by how it was meant to happen (see data.NOTE_NOT_HELD).
_NOT_HELD_NOTES: dict[str, tuple[str, ...]] = {
    mode: tuple(data.NOTE_NOT_HELD[i] for i in picks)
    for mode, picks in (
        ("in_person", (0, 2, 4)),
        ("group", (0, 2)),
        ("home_visit", (3, 2, 4)),
        ("phone", (1, 2)),
        ("video", (1, 2, 4)),
        ("message", (2,)),
        ("email", (2,)),
    )
}
# Someone from the person's own network who took part in a contact, as the contact names them.
_KIND_WORDS: dict[str, str] = {
    "family": "family",
    "partner": "partner",
    "friend": "friend",
    "carer": "carer",
    "neighbour": "neighbour",
    "peer": "peer",
    "faith_community": "faith community",
    "professional": "professional",
    "other": "someone close",
}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_COMPACT = (",", ":")  # a plan version's snapshot is stored as compact JSON: it is most of the site's bytes
_NO_SAFETY_PLAN: tuple[dict[str, str], str] = (
    dict.fromkeys(_SAFETY_FIELDS, ""),
    json.dumps(dict.fromkeys(_SAFETY_FIELDS, ""), separators=_COMPACT),
)
_RECORDED_WITH_NEXT = dt.timedelta(days=21)  # see `_Builder._write_plan`
# Measures: minutes a form takes; the chance of wanting more help in a DIALOG area by its rating; how
# people answer the experience questions at moving on (weights of each response, lowest first).
_MINUTES: dict[str, tuple[int, int]] = {
    "dialog": (8, 20),
    "gbo": (4, 12),
    "swemwbs": (3, 8),
    "reqol10": (3, 9),
    "experience": (2, 6),
}
_MORE_HELP = {1: 0.9, 2: 0.8, 3: 0.65, 4: 0.35, 5: 0.15, 6: 0.05, 7: 0.02}
_EXPERIENCE_WEIGHTS: tuple[tuple[float, ...], ...] = (
    (10, 40, 50),  # planned their own support: no, to some extent, definitely
    (5, 25, 70),  # listened to
    (5, 10, 20, 35, 30),  # how easy it was to get help: very hard to very easy
    (45, 30, 25),  # offered a chance to help others
    (25, 35, 40),  # only told their story once
)
# The demo person's DIALOG at the first conversation, their review and on their own (in item order; None:
# they are not on medication), and the areas they wanted more help with each time.
_DEMO_DIALOG: tuple[tuple[int | None, ...], ...] = (
    (2, 4, 2, 3, 2, 2, 5, 4, None, 4, 5),
    (3, 4, 2, 4, 4, 3, 5, 4, None, 5, 6),
    (4, 3, 3, 4, 5, 4, 5, 5, None, 6, 6),
)
_DEMO_MORE_HELP: tuple[frozenset[str], ...] = (
    frozenset({"mental_health", "job_situation", "leisure_activities", "friendships"}),
    frozenset({"job_situation", "friendships"}),
    frozenset({"physical_health"}),
)


@dataclass
class _Wanted:
    """What the person asked for in a worker (SupportPeriod.wanted_*)."""

    kind: str = WorkerKind.NO_PREFERENCE
    worker: _Worker | None = None
    note: str = ""
    gender: str = ""  # WorkerGender, when they asked for a woman or a man
    language: str = ""  # casefolded, when they asked for someone who speaks their language

    def honoured_by(self, worker: _Worker) -> bool:
        """As support.services.periods.honours_choice: a named worker, else the kind, else anyone."""
        if self.worker is not None:
            return worker.user_id == self.worker.user_id
        return self.kind == WorkerKind.NO_PREFERENCE or ROLE_KIND.get(worker.role) == self.kind


@dataclass
class _Alloc:
    id: uuid.UUID
    worker: _Worker
    started: dt.datetime
    ended: dt.datetime | None = None
    honours: bool = True
    why_not: str = ""
    end_reason: str = ""
    allocated_by: _Worker | None = None


@dataclass
class _Period:
    """A support period as generated: its rows are written from this once its story is complete."""

    id: uuid.UUID
    team_index: int
    started: dt.datetime
    ended: dt.datetime | None
    wanted: _Wanted
    opened_by: uuid.UUID | None
    allocations: list[_Alloc] = field(default_factory=list)
    resumed_from: _Period | None = None
    earlier: bool = False
    demo: bool = False
    quiet_from: dt.datetime | None = None  # not seen since (no contact that took place after this)
    met_at: dt.datetime | None = None  # the first conversation that opened it (None: picked up again)
    met_by: _Worker | None = None
    moved_on_reason: str = ""

    def end(self, anchor: dt.datetime) -> dt.datetime:
        """When the support stops for the purposes of what happened in it: moving on, or today."""
        return min(self.ended or anchor, anchor)

    def worker_at(self, at: dt.datetime) -> _Worker | None:
        for allocation in reversed(self.allocations):
            if allocation.started <= at:
                return allocation.worker
        return self.allocations[0].worker if self.allocations else None


@dataclass(frozen=True)
class _Tie:
    """Someone in the person's own network (a Relationship row)."""

    id: uuid.UUID
    name: str
    kind: str
    wants_involved: bool
    contact: str

    @property
    def first(self) -> str:
        return self.name if self.name.startswith("Dr ") else self.name.split()[0]


@dataclass
class _Life:
    """A person's life with Living Well: generated after their front door, from its own random stream."""

    person: Person
    name: str
    locality_index: int
    heritage: data.Heritage
    story: Row
    demo: bool = False
    introductions: int = 0
    network: list[_Tie] = field(default_factory=list)
    periods: list[_Period] = field(default_factory=list)
    ties: list[_Tie] | None = None  # who from their network does things with them (see `_Builder._tie`)


@dataclass
class _GoalState:
    id: uuid.UUID
    words: str
    outcome: str
    position: int
    created_at: dt.datetime
    by: tuple[uuid.UUID, str]
    idea: data.GoalIdea | None = None
    status: str = GoalStatus.WORKING_ON
    changed_at: dt.datetime | None = None  # when `status` took effect
    changed_by: tuple[uuid.UUID, str] | None = None
    items: dict[bool, tuple[dict[str, Any], str]] = field(default_factory=dict)  # (item, JSON), before/after


@dataclass
class _ActionState:
    id: uuid.UUID
    goal_id: uuid.UUID | None
    what: str
    owner: str
    who: str  # as support.services.plans.owner_who: the worker, the relationship or the offer; "" for the person
    owner_worker: uuid.UUID | None
    owner_relationship: uuid.UUID | None
    owner_name: str
    due: dt.date | None
    created_at: dt.datetime
    by: tuple[uuid.UUID, str]
    status: str = ActionStatus.TO_DO
    changed_at: dt.datetime | None = None
    changed_by: tuple[uuid.UUID, str] | None = None
    items: dict[bool, tuple[dict[str, Any], str]] = field(default_factory=dict)  # (item, JSON), before/after


@dataclass
class _PlanState:
    """The Living Well plan as it grows: every change is timed, so any version is the state at its time."""

    id: uuid.UUID
    created_at: dt.datetime
    goals: list[_GoalState] = field(default_factory=list)
    actions: list[_ActionState] = field(default_factory=list)
    safety: list[tuple[dt.datetime, dict[str, str], tuple[uuid.UUID, str]]] = field(default_factory=list)
    safety_json: list[str] = field(default_factory=list)  # each version of the safety plan, as JSON
    review_due: list[tuple[dt.datetime, dt.date]] = field(default_factory=list)
    # (when, who, summary, what kind of change): an empty summary says what changed since the version before,
    # in the words of support.services.plans
    changes: list[tuple[dt.datetime, tuple[uuid.UUID, str], str, str]] = field(default_factory=list)
    agreements: list[tuple[dt.datetime, str, uuid.UUID, str]] = field(default_factory=list)  # (when, how, by, comment)
    reviews: list[tuple[dt.datetime, bool, _Worker]] = field(default_factory=list)  # (held at, with the person, by)


# Measures draw on a random stream of their own (the person's id, mixed with this), so that adding them
# changed nothing else about the site.
_MEASURES_SALT = 0x6D656173757265


@dataclass
class _Trajectory:
    """How one person's life goes, as their measures see it: a random walk with a drift of their own.

    `level` starts at 0 at their first measure and moves by `drift` every 90 days, with some noise at
    each measure: most people's lives get a little better, some a lot, some worse. Each instrument reads
    `level` through the person's own starting point for each item (`start`, relative to others) and
    their own answers' scatter, so items move together but not in step.
    """

    rng: random.Random
    start: float  # how things are at the start, against other people (about -2 to 2)
    drift: float  # change of `level` every 90 days
    wellbeing: str  # "swemwbs", "reqol10" or "" (DIALOG and Goal Based Outcomes only)
    level: float = 0.0
    at: dt.datetime | None = None
    items: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)  # (base, weight) by item
    skipped: frozenset[str] = frozenset()  # DIALOG areas they never rate
    goals: dict[uuid.UUID, tuple[float, float, dt.datetime, str]] = field(
        default_factory=dict
    )  # base, rate, since, slot

    def step(self, at: dt.datetime) -> None:
        if self.at is not None and at > self.at:
            days = (at - self.at).total_seconds() / 86400
            self.level += self.drift * min(days, 240) / 90 + self.rng.gauss(0, 0.18)
            self.level = max(-2.5, min(3.0, self.level))
        self.at = at if self.at is None else max(at, self.at)

    def item(self, code: str, key: str, base: float, spread: float) -> tuple[float, float]:
        found = self.items.get((code, key))
        if found is None:
            found = self.items[(code, key)] = (base + self.rng.gauss(0, spread), self.rng.uniform(0.5, 1.5))
        return found


class _Builder:
    def __init__(
        self,
        *,
        people: int,
        seed: int,
        today: dt.date,
        chunk_size: int,
        progress: Callable[[str], None] | None,
    ) -> None:
        self.people = people
        self.seed = seed
        self.today = today
        self.chunk_size = chunk_size
        self.progress = progress or (lambda message: None)
        self.anchor = _at(today, 0)  # everything happened before the start of `today`
        self.rng = random.Random(f"living-well:{seed}:network")
        self.demo_person_name = ""
        self.offers = 0  # community offers in the directory, set by `build_site`
        self._prepare_pickers()
        # NHS numbers: an affine permutation of the 999 test range, so they are unique without a set.
        self._nhs_step = self._coprime_step(self.rng)
        self._nhs_offset = self.rng.randrange(10**6)
        self._nhs_counter = 0
        # Introduction references: an affine permutation of all 31^8 codes, unique in the build likewise.
        self._reference_step = self._coprime_to_31(self.rng)
        self._reference_offset = self.rng.randrange(REFERENCE_SPACE)
        self._reference_counter = 0
        # Recent people with a met introduction long enough ago to come back as an unlinked record.
        self._known: deque[Person] = deque(maxlen=64)
        # What the teams' huddles of the last weeks talked about, gathered as people are generated
        # (only what falls in those weeks is kept, so memory stays bounded at any scale).
        self.huddle_start = self.anchor - dt.timedelta(days=data.HUDDLE_DAYS)
        teams = len(data.LOCALITIES)
        self.huddle_items: list[list[tuple[dt.datetime, str, uuid.UUID, str, str, str, dict[str, Any]]]] = [
            [] for _ in range(teams)
        ]
        self.open_flag_teams: set[int] = set()
        self.open_request_teams: set[int] = set()
        self.open_sample: list[list[tuple[_Period, _Life]]] = [[] for _ in range(teams)]
        self._by_kind: dict[tuple[int, str], list[_Worker]] = {}

    # ---- set-up ---------------------------------------------------------------------------------

    @staticmethod
    def _coprime_step(rng: random.Random) -> int:
        while True:
            step = rng.randrange(100_003, 999_999)
            if math.gcd(step, 10**6) == 1:
                return step

    @staticmethod
    def _coprime_to_31(rng: random.Random) -> int:
        while True:
            step = rng.randrange(REFERENCE_SPACE // 7, REFERENCE_SPACE)
            if step % len(REFERENCE_ALPHABET):
                return step

    def _next_reference(self) -> str:
        k = self._reference_counter
        self._reference_counter += 1
        n = (self._reference_step * k + self._reference_offset) % REFERENCE_SPACE
        code = []
        for _ in range(8):
            n, r = divmod(n, len(REFERENCE_ALPHABET))
            code.append(REFERENCE_ALPHABET[r])
        return f"LW-{''.join(code[:4])}-{''.join(code[4:])}"

    def _prepare_pickers(self) -> None:
        self.locality_picker = _Picker(list(enumerate(data.LOCALITY_SHARES)))
        self.district_pickers = [
            _Picker([((district, sectors), weight) for district, sectors, weight in districts])
            for _, districts in data.LOCALITIES
        ]
        self.ethnic_picker = _Picker([(mix, mix.weight) for mix in data.ETHNIC_MIX])
        self.named_mix_picker = _Picker([(mix, mix.weight) for mix in data.ETHNIC_MIX if mix.profiles])
        self.profile_pickers = {
            mix.ethnicity: _Picker([((g, f, lang), w) for g, f, lang, w in mix.profiles])
            for mix in data.ETHNIC_MIX
            if mix.profiles
        }
        self.language_pickers = {key: _Picker(list(h.languages)) for key, h in data.HERITAGES.items()}
        self.religion_pickers = {key: _Picker(list(h.religions)) for key, h in data.HERITAGES.items()}
        self.gender_picker = _Picker(
            [
                (Gender.WOMAN, 52.0),
                (Gender.MAN, 44.5),
                (Gender.NON_BINARY, 1.3),
                (Gender.SELF_DESCRIBED, 0.3),
                (Gender.PREFER_NOT_TO_SAY, 0.6),
                ("", 1.3),
            ]
        )
        self.orientation_picker = _Picker(
            [
                (SexualOrientation.STRAIGHT, 80.0),
                (SexualOrientation.GAY_LESBIAN, 4.5),
                (SexualOrientation.BISEXUAL, 4.0),
                (SexualOrientation.OTHER, 1.0),
                (SexualOrientation.PREFER_NOT_TO_SAY, 4.5),
                ("", 6.0),
            ]
        )
        self.age_picker = _Picker([((low, high), weight) for low, high, weight in data.AGE_BANDS])
        self.source_picker = _Picker([((source, partner), weight) for source, weight, partner in data.SOURCES])
        self.relationship_picker = _Picker([((kind, part), weight) for kind, part, weight in data.RELATIONSHIPS])
        self.relationship_count_picker = _Picker([(0, 15.0), (1, 25.0), (2, 30.0), (3, 20.0), (4, 10.0)])
        # Days before today on which introductions arrive, by season and weekday: professionals on
        # working days and in working hours, people themselves also in the evening and at weekends.
        self.day_pickers: dict[bool, _Picker[int]] = {}
        for public, weekday_weights in (
            (True, data.PUBLIC_WEEKDAY_WEIGHTS),
            (False, data.PROFESSIONAL_WEEKDAY_WEIGHTS),
        ):
            days = []
            for back in range(1, 366):
                day = self.today - dt.timedelta(days=back)
                weight = data.MONTH_WEIGHTS[day.month - 1] * weekday_weights[day.weekday()]
                if (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day == 1):
                    weight *= data.CHRISTMAS_WEIGHT
                days.append((back, weight))
            self.day_pickers[public] = _Picker(days)
        self.hour_pickers = {True: _Picker(data.PUBLIC_HOURS), False: _Picker(data.PROFESSIONAL_HOURS)}
        self.outcome_picker = _Picker(data.OUTCOMES)
        self.place_picker = _Picker(data.PLACE_WEIGHTS)
        self.family_introducer_picker = _Picker(data.FAMILY_INTRODUCERS)
        self.attempt_count_picker = _Picker([(1, 40.0), (2, 30.0), (3, 18.0), (4, 12.0)])
        self.parks = {
            name: tuple(p for p in places if any(w in p for w in ("Park", "Common", "Fields", "Gardens", "Rookery")))
            for name, places in data.PLACES.items()
        }
        # Living Well support.
        self.wanted_kind_picker = _Picker(data.WANTED_KINDS)
        self.change_reason_picker = _Picker(data.CHANGE_END_REASONS)
        self.connection_pickers = {kind: _Picker(weights) for kind, weights in data.CONNECTIONS.items()}
        self.come_back_source_picker = _Picker(
            [
                (("self", None), 55.0),
                (("gp", "gp"), 30.0),
                (("family_friend", None), 10.0),
                (("voluntary", "voluntary"), 5.0),
            ]
        )
        self.goal_outcome_picker = _Picker(data.GOAL_OUTCOMES)
        self.goal_count_picker = _Picker(data.GOAL_COUNTS)
        self.cadence_picker = _Picker(data.CADENCE_DAYS)
        self.mode_picker = _Picker(data.CONTACT_MODES)
        self.withheld_picker = _Picker(list(enumerate(data.WITHHELD_WEIGHTS)))
        self.moving_on_picker = _Picker(data.MOVING_ON_REASONS)
        # Measures.
        self.wellbeing_picker = _Picker(data.WELLBEING_MEASURES)
        self.instruments: dict[str, Instrument] = {code: get_instrument(code) for code in INSTRUMENT_CODES}
        # Where workers meet people in each locality, as a note says it ("at the café in Brockwell Park").
        self._contact_places = [
            (*data.CAFES[name], *self.parks[name], data.DROP_INS[name], *data.PLACES[name][:3])
            for name, _ in data.LOCALITIES
        ]

    def _next_nhs_number(self) -> str:
        while True:
            k = self._nhs_counter
            self._nhs_counter += 1
            if k >= 10**6:
                raise ValueError("Ran out of NHS numbers in the 999 test range")
            first_nine = f"999{(self._nhs_step * k + self._nhs_offset) % 10**6:06d}"
            digit = check_digit(first_nine)
            if digit is not None:
                return f"{first_nine}{digit}"

    # ---- the whole build ------------------------------------------------------------------------

    def build(self) -> Site:
        with _bulk_load():
            return self._build()

    def _build(self) -> Site:
        with transaction.atomic():
            self._network()
            self._staff()
        self.progress(
            f"Network: {len(self.organisations)} organisations, {len(self.teams)} teams, {self.staff_count} staff"
        )
        rng = random.Random()
        rows = _Rows()
        for start in range(0, self.people, self.chunk_size):
            end = min(self.people, start + self.chunk_size)
            with transaction.atomic():
                for index in range(start, end):
                    if index % RNG_BLOCK == 0:
                        # A fresh stream every RNG_BLOCK people, so the chunk size cannot change the data.
                        rng = random.Random(f"living-well:{self.seed}:people:{index // RNG_BLOCK}")
                    self._person(rng, index, rows)
                    if rows.size() >= FLUSH_ROWS:
                        rows.save()  # a person's rows are complete when `_person` returns
                rows.save()
            self.progress(f"People: {end:,} of {self.people:,}")
        if self.offers:
            saved = build_offers(
                site=self.site, count=self.offers, seed=self.seed, today=self.today, progress=self.progress
            )
            made, gaps = build_connections(
                site=self.site, offers=saved, seed=self.seed, today=self.today, demo_person_id=self.demo_person_id
            )
            self.progress(f"Offers: {len(saved):,}, connections: {made:,}, gaps: {gaps:,}")
            suggesters = [self.demo_person_user.pk] + [
                self.demo_users[role].pk for role in (Role.INTRODUCER, Role.PEER_WORKER) if role in self.demo_users
            ]
            build_directory_life(
                site=self.site,
                offers=saved,
                seed=self.seed,
                today=self.today,
                feed_location=str(feed_folder(settings.VAR_DIR)),
                suggesters=suggesters,
                curator=self.demo_users[Role.HUB_COORDINATOR].pk if Role.HUB_COORDINATOR in self.demo_users else None,
            )
        with transaction.atomic():
            collaborative = build_collaborative_life(
                site=self.site,
                seed=self.seed,
                today=self.today,
                password_hash=self.demo_hash,
                person_user=self.demo_person_user,
            )
        self.progress("Collaborative: " + ", ".join(f"{count:,} {what}" for what, count in collaborative.items()))
        with transaction.atomic():
            self._finish()
        return self.site

    # ---- the network ----------------------------------------------------------------------------

    def _network(self) -> None:
        rng = self.rng
        founded = _at(self.today - dt.timedelta(days=3 * 365), 9)
        stamps = {"created_at": founded, "updated_at": founded}
        self.site = Site.objects.create(
            id=_uuid(rng), name=SITE_NAME, slug=SITE_SLUG, target_days_to_first_conversation=28, **stamps
        )
        self.localities = [
            Locality.objects.create(
                id=_uuid(rng), site=self.site, name=name, postcode_areas=data.postcode_areas(districts), **stamps
            )
            for name, districts in data.LOCALITIES
        ]
        self.locality_index = {locality.pk: index for index, locality in enumerate(self.localities)}
        self.organisations: dict[str, Organisation] = {}
        for name, sector, key, domain in data.ORGANISATIONS:
            self.organisations[key] = Organisation.objects.create(
                id=_uuid(rng),
                site=self.site,
                name=name,
                sector=sector,
                website=f"https://{domain}/",
                **stamps,
            )
        self.org_domains = {key: domain for _, _, key, domain in data.ORGANISATIONS}
        self.teams = [
            Team.objects.create(
                id=_uuid(rng),
                site=self.site,
                name=team_name,
                locality=locality,
                description=data.TEAM_DESCRIPTION.format(locality=locality.name),
                **stamps,
            )
            for team_name, locality in zip(data.TEAM_NAMES, self.localities, strict=True)
        ]
        self.gp_practices = [self.organisations[key] for key in data.GP_KEYS]
        voluntary = [self.organisations[k] for k in ("wellbeing", "thrive", "peers")]
        self.voluntary_picker = _Picker([(org, 1.0) for org in voluntary])
        self.consent_picker = _Picker(
            [
                ("housing", 0.3),
                ("gp", 0.3),
                ("wellbeing", 0.12),
                ("thrive", 0.1),
                ("peers", 0.08),
                ("council", 0.06),
                ("employment", 0.04),
            ]
        )

    # ---- staff ----------------------------------------------------------------------------------

    def _staff(self) -> None:
        rng = self.rng
        demo_hash = make_password(DEMO_PASSWORD)  # hashed once: argon2 is slow on purpose
        users: list[User] = []
        memberships: list[Membership] = []
        self.team_workers: list[list[_Worker]] = [[] for _ in self.teams]
        self.coordinators: list[_Worker] = []
        self.introducers: dict[str, list[_Worker]] = {}
        self.demo_users: dict[Role | None, User] = {}
        used_emails: set[str] = set()
        demo_by_role = {s.role: s for s in DEMO_SIGN_INS if s.role is not None}
        demo_team = self.teams[DEMO_LOCALITY]

        def add_user(demo: DemoSignIn | None) -> User:
            if demo is not None:
                given, family, email = demo.given_name, demo.family_name, demo.email
                password = demo_hash
                gender, languages = demo.gender, demo.languages
            else:
                heritage, _ = self._names_heritage(rng)
                women = rng.random() < 0.6
                given = rng.choice(heritage[0].women if women else heritage[0].men)
                family = rng.choice(heritage[1].family)
                email = ""
                password = "!" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(40))
                r = rng.random()
                gender = (
                    ""  # not said
                    if r < 0.03
                    else WorkerGender.NON_BINARY
                    if r < 0.045
                    else WorkerGender.WOMAN
                    if women
                    else WorkerGender.MAN
                )
                # Most staff work in English; some also in their family's language.
                language = self.language_pickers[heritage[2]](rng)
                languages = "English"
                if language != "English" and rng.random() < data.STAFF_SECOND_LANGUAGE_SHARE:
                    languages = f"English, {language}"
            joined = _at(self.today - dt.timedelta(days=rng.randint(30, 2000)), 9)
            user = User(
                id=_uuid(rng),
                email=email,
                password=password,
                display_name=f"{given} {family}",
                first_name=given,
                last_name=family,
                gender=gender,
                languages=languages,
                date_joined=joined,
                created_at=joined,
                updated_at=joined,
            )
            users.append(user)
            if demo is not None:
                self.demo_users[demo.role] = user
            return user

        def add_membership(
            user: User, org_key: str, role: Role, title: str, team: Team | None, *, weight: float = 0.0
        ) -> None:
            if not user.email:
                local = f"{_ascii(user.first_name)}.{_ascii(user.last_name)}"
                email = f"{local}@{self.org_domains[org_key]}"
                n = 2
                while email in used_emails:
                    email = f"{local}{n}@{self.org_domains[org_key]}"
                    n += 1
                user.email = email
            used_emails.add(user.email)
            started = self.today - dt.timedelta(days=rng.randint(20, 2500))
            stamp = _at(started, 9)
            memberships.append(
                Membership(
                    id=_uuid(rng),
                    user=user,
                    site=self.site,
                    organisation=self.organisations[org_key],
                    team=team,
                    role=role,
                    job_title=title,
                    started_on=started,
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
            worker = _Worker(
                user.id,
                user.display_name,
                role,
                org_key,
                weight,
                first_name=user.first_name,
                email=user.email,
                title=title,
                gender=user.gender,
                languages=frozenset(language.casefold() for language in user.language_list),
            )
            if team is not None and role in SUPPORT_ROLES:
                self.team_workers[self.teams.index(team)].append(worker)
            elif role == Role.HUB_COORDINATOR:
                self.coordinators.append(worker)
            elif role == Role.INTRODUCER:
                self.introducers.setdefault(org_key, []).append(worker)

        growth = self._growth_workers_per_team()
        for team in self.teams:
            for role, org_key, title, count, weight in data.TEAM_ROLES:
                for n in range(count):
                    in_demo_team = team is demo_team and n == 0 and role not in self.demo_users
                    demo = demo_by_role.get(role) if in_demo_team else None
                    add_membership(add_user(demo), org_key, role, title, team, weight=weight)
            # Primary care mental health practitioners, employed by the locality's GP practice.
            gp_key = data.GP_KEYS[self.teams.index(team)]
            add_membership(
                add_user(None),
                gp_key,
                Role.MENTAL_HEALTH_PRACTITIONER,
                "Primary care mental health practitioner",
                team,
                weight=0.8,
            )
            for n in range(growth):
                role, org_key, title, weight = data.GROWTH_ROLES[n % len(data.GROWTH_ROLES)]
                add_membership(add_user(None), org_key, role, title, team, weight=weight)
        # A psychologist who works in two teams: sessions in North and in Stockwell & Clapham.
        shared_psychologist = next(w for w in self.team_workers[0] if w.role == Role.PSYCHOLOGIST)
        psychologist_user = next(u for u in users if u.id == shared_psychologist.user_id)
        add_membership(
            psychologist_user,
            "trust",
            Role.PSYCHOLOGIST,
            "Clinical psychologist (sessional)",
            self.teams[1],
            weight=0.2,
        )
        for role, org_key, title, count in data.SITE_ROLES:
            for n in range(count):
                demo = demo_by_role.get(role) if n == 0 and role not in self.demo_users else None
                add_membership(add_user(demo), org_key, role, title, None)
        # Partner staff who introduce people signed in; the demo introducer is a GP in the demo locality.
        for org_key, title, count in data.INTRODUCERS:
            for n in range(count):
                in_demo_practice = org_key == data.GP_KEYS[DEMO_LOCALITY] and n == 0
                demo = demo_by_role.get(Role.INTRODUCER) if in_demo_practice else None
                add_membership(add_user(demo), org_key, Role.INTRODUCER, title, None)
        # The demo person's own sign-in: made now, so that what they do in their plan can name them, and
        # linked to their record at the very end (which marks the build complete, see `_finish`).
        person_signin = demo_sign_in(None)
        # Invited by their worker a few weeks after their first conversation.
        self.demo_joined = _at(self.today - dt.timedelta(days=DEMO_INTRODUCED_DAYS_AGO - 40), 10, 15)
        self.demo_person_user = User(
            id=_uuid(rng),
            email=person_signin.email,
            password=demo_hash,
            display_name=person_signin.name,
            first_name=person_signin.given_name,
            last_name=person_signin.family_name,
            date_joined=self.demo_joined,
            created_at=self.demo_joined,
            updated_at=self.demo_joined,
        )
        users.append(self.demo_person_user)
        User.objects.bulk_create(users, batch_size=BATCH_SIZE)
        Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
        self.staff_count = len(users) - 1  # all but the demo person
        for role in (Role.SITE_ADMINISTRATOR, Role.PRIVACY_OFFICER):
            # A confirmed authenticator with a key derived from the seed (see `manage.py demo_totp`).
            TOTPDevice.objects.create(
                user=self.demo_users[role],
                name="Authenticator app (demo)",
                confirmed=True,
                key=rng.getrandbits(160).to_bytes(20, "big").hex(),
            )
        self.worker_pickers = [_Picker([(w, w.weight) for w in workers]) for workers in self.team_workers]
        self.team_leaders = [next(w for w in workers if w.role == Role.TEAM_LEADER) for workers in self.team_workers]
        # The Hub coordinators work the front door; the community navigator part time.
        self.coordinator_picker = _Picker([(w, 1.0 if w.organisation == "trust" else 0.5) for w in self.coordinators])
        # Who holds first conversations: the locality team's peer workers, recovery workers,
        # practitioners and social workers (see `_door_worker` for fitting them to what people ask for).
        door_roles = {Role.PEER_WORKER: 1.2, Role.RECOVERY_WORKER: 1.0, Role.MENTAL_HEALTH_PRACTITIONER: 0.8}
        door_roles[Role.SOCIAL_WORKER] = 0.3
        self.door_workers = [[w for w in workers if w.role in door_roles] for workers in self.team_workers]
        self.door_weights = door_roles
        self._fit_pickers: dict[tuple[int, bool, str, str], _Picker[_Worker]] = {}
        # Each demo worker in the demo team is allocated to the first people who need a worker there,
        # so that every demo home page has people on it at any scale.
        demo_ids = {u.id for role, u in self.demo_users.items() if role in SUPPORT_ROLES}
        demo_workers = [w for w in self.team_workers[DEMO_LOCALITY] if w.user_id in demo_ids]
        self.demo_worker_queue: deque[_Worker] = deque(demo_workers * 2)
        # The demo peer and recovery workers hold the first upcoming first conversations in their locality.
        door_demo_ids = (self.demo_users[Role.PEER_WORKER].id, self.demo_users[Role.RECOVERY_WORKER].id)
        door_demo = [w for w in demo_workers if w.user_id in door_demo_ids]
        self.demo_booking_queue: deque[_Worker] = deque(door_demo * 3)
        self.demo_hash = demo_hash

    def _growth_workers_per_team(self) -> int:
        """Extra workers per team so that a weight-one worker's caseload stays near data.CASELOAD."""
        open_per_team = self.people * OPEN_SUPPORT_SHARE / len(data.LOCALITIES)
        base_weight = sum(weight * count for _, _, _, count, weight in data.TEAM_ROLES) + 0.8
        growth_weight = sum(weight for *_, weight in data.GROWTH_ROLES) / len(data.GROWTH_ROLES)
        needed = open_per_team / data.CASELOAD - base_weight
        return max(0, math.ceil(needed / growth_weight))

    def _names_heritage(self, rng: random.Random) -> tuple[tuple[data.Heritage, data.Heritage, str], str]:
        mix = self.ethnic_picker(rng)
        named = mix if mix.profiles else self.named_mix_picker(rng)
        given_key, family_key, language_key = self.profile_pickers[named.ethnicity](rng)
        return (data.HERITAGES[given_key], data.HERITAGES[family_key], language_key), mix.ethnicity

    # ---- people ---------------------------------------------------------------------------------

    def _person(self, rng: random.Random, index: int, rows: _Rows) -> None:
        demo = index == 0
        # Now and then someone we know comes back and the front door makes a new record that it
        # cannot link for sure (no NHS number given): a possible match for the coordinator to decide.
        known: Person | None = None
        if not demo and index % UNLINKED_EVERY == UNLINKED_AT and self._known:
            known = self._known[rng.randrange(len(self._known))]
        locality_index = DEMO_LOCALITY if demo else self.locality_picker(rng)
        if known is not None and known.locality_id is not None:
            locality_index = self.locality_index[known.locality_id]
        locality = self.localities[locality_index]
        locality_name = data.LOCALITIES[locality_index][0]
        (given_h, family_h, language_key), ethnicity = self._names_heritage(rng)
        gender = self.gender_picker(rng)
        if gender == Gender.WOMAN or (gender != Gender.MAN and rng.random() < 0.5):
            given = rng.choice(given_h.women)
        else:
            given = rng.choice(given_h.men)
        family = rng.choice(family_h.family)
        low, high = self.age_picker(rng)
        age = rng.randint(low, high)
        date_of_birth = dt.date.fromordinal(self.today.toordinal() - int(age * 365.25) - rng.randrange(365))
        nhs_number = self._next_nhs_number() if rng.random() < 0.85 else None

        language = self.language_pickers[language_key](rng)
        interpreter = language != "English" and rng.random() < data.HERITAGES[language_key].interpreter_share
        access_needs = rng.choice(data.ACCESS_NEEDS) if rng.random() < 0.12 else ""
        if rng.random() < 0.003:
            language, interpreter, access_needs = (
                "British Sign Language",
                True,
                "I am Deaf. Please book a BSL interpreter.",
            )
        elif rng.random() < 0.04:
            language, interpreter = "", False

        pronouns = _PRONOUNS.get(gender, "")
        if pronouns and rng.random() < 0.35:
            pronouns = ""
        nickname = data.NICKNAMES.get(given, "") if rng.random() < 0.5 else ""
        same_as_birth: str
        if gender in (Gender.NON_BINARY, Gender.SELF_DESCRIBED):
            same_as_birth = YesNoPreferNot.NO if rng.random() < 0.6 else YesNoPreferNot.PREFER_NOT_TO_SAY
        else:
            r = rng.random()
            if r < 0.9:
                same_as_birth = YesNoPreferNot.YES
            elif r < 0.908:
                same_as_birth = YesNoPreferNot.NO
            else:
                same_as_birth = YesNoPreferNot.PREFER_NOT_TO_SAY if r < 0.94 else ""

        # Where they live: 3% have no fixed address at the moment.
        if rng.random() < 0.03:
            address_1 = address_2 = postcode = town = ""
            access_needs = access_needs or "No fixed address at the moment. Staying with friends; phone is best."
        else:
            district, sectors = self.district_pickers[locality_index](rng)
            postcode = (
                f"{district} {rng.choice(sectors)}{rng.choice(data.INCODE_LETTERS)}{rng.choice(data.INCODE_LETTERS)}"
            )
            street = rng.choice(data.STREETS[locality_name])
            if rng.random() < 0.3:
                address_1 = f"Flat {rng.randint(1, 120)}, {rng.choice(data.ESTATES[locality_name]).replace(' Estate', ' House')}"
                address_2 = street
            else:
                address_1, address_2 = f"{rng.randint(1, 250)} {street}", ""
            town = "London"
        r = rng.random()
        phone = (
            f"07700 900{rng.randrange(1000):03d}"
            if r < 0.8
            else f"020 7946 0{rng.randrange(1000):03d}"
            if r < 0.92
            else ""
        )
        email = f"{_ascii(given)}.{_ascii(family)}{rng.randint(1, 999)}@example.com" if rng.random() < 0.65 else ""
        if demo:
            signin = demo_sign_in(None)
            given, family, gender, pronouns, nickname = (
                signin.given_name,
                signin.family_name,
                Gender.WOMAN,
                "she/her",
                "",
            )
            ethnicity, language, interpreter = EthnicGroup.BLACK_CARIBBEAN, "English", False
            email = f"{_ascii(given)}.{_ascii(family)}@example.com"
            self.demo_person_name = f"{given} {family}"

        if known is not None:
            given, family, gender = known.preferred_name or known.given_name, known.family_name, known.gender
            date_of_birth = known.date_of_birth or date_of_birth
            nhs_number = None
            if rng.random() < 0.8:
                address_1, address_2, town, postcode = (
                    known.address_line_1,
                    known.address_line_2,
                    known.town,
                    known.postcode,
                )

        # When they first came to the front door (this time), who introduced them, and whether
        # they had been before.
        source, partner = ("gp", "gp") if demo else self.source_picker(rng)
        introduced_at = self._introduction_time(rng, public=source in data.PUBLIC_SOURCES)
        if demo:
            introduced_at = _at(self.today - dt.timedelta(days=DEMO_INTRODUCED_DAYS_AGO), 10, 15)
        elif known is not None:
            introduced_at = _at(
                self.today - dt.timedelta(days=rng.randint(1, 12)), rng.randint(9, 20), rng.randrange(60)
            )
        elif index in URGENT_NOW:
            introduced_at = self.anchor - _minutes(rng, 60, 36 * 60)
        returning = not demo and known is None and rng.random() < 0.1
        first_seen = introduced_at
        if returning:
            first_seen = introduced_at - dt.timedelta(days=rng.randint(400, 1100))

        person = _bare(
            Person,
            id=_uuid(rng),
            site_id=self.site.id,
            user_id=None,  # the demo person's sign-in is linked at the end (see `_finish`)
            given_name=given,
            family_name=family,
            date_of_birth=date_of_birth,
            nhs_number=nhs_number,
            preferred_name=nickname,
            pronouns=pronouns,
            first_language=language,
            interpreter_needed=interpreter,
            access_needs=access_needs,
            email=email,
            phone=phone,
            address_line_1=address_1,
            address_line_2=address_2,
            town=town,
            postcode=postcode,
            locality_id=locality.id,
            may_phone=bool(phone) and rng.random() < 0.85,
            may_text=phone.startswith("07") and rng.random() < 0.8,
            may_email=bool(email) and rng.random() < 0.7,
            may_write=bool(address_1) and rng.random() < 0.45,
            may_leave_message=bool(phone) and rng.random() < 0.5,
            contact_times=rng.choice(data.CONTACT_TIMES) if rng.random() < 0.6 else "",
            ethnicity=ethnicity,
            gender=gender,
            gender_description="Genderfluid" if gender == Gender.SELF_DESCRIBED else "",
            gender_same_as_at_birth=same_as_birth,
            sexual_orientation=self.orientation_picker(rng),
            religion=self.religion_pickers[language_key](rng) if rng.random() < 0.9 else "",
            disability=self._yes_no(rng, 0.34),
            unpaid_carer=self._yes_no(rng, 0.11),
            armed_forces_veteran=self._yes_no(rng, 0.015),
            created_at=first_seen,
            updated_at=introduced_at,
        )
        rows.people.append(person)
        if demo:
            self.demo_person_id = person.id
        brought = self._story(rng, person, given_h, family_h, locality_index, introduced_at, rows)
        life = _Life(
            person, person.preferred_name or person.given_name, locality_index, given_h, rows.stories[-1], demo
        )
        for _ in range(4 if demo else self.relationship_count_picker(rng)):
            row = self._relationship(rng, person, given_h, family_h, introduced_at)
            rows.relationships.append(row)
            life.network.append(_Tie(row[0], row[4], row[5], row[8], row[7]))

        if returning:
            earlier_source, earlier_partner = self.source_picker(rng)
            self._journey(
                rng,
                person,
                locality_index,
                first_seen,
                rows,
                source=earlier_source,
                partner=earlier_partner,
                words=self._brought(rng),
                heritage=given_h,
                earlier=True,
                ends_before=introduced_at,
                life=life,
            )
        met_at = self._journey(
            rng,
            person,
            locality_index,
            introduced_at,
            rows,
            source=source,
            partner=partner,
            words=brought,
            heritage=given_h,
            demo=demo,
            returning=returning,
            unlinked_from=known,
            urgent_now=index in URGENT_NOW,
            life=life,
        )
        self._support_life(life, rows)
        if (
            not demo
            and known is None
            and met_at is not None
            and met_at < self.anchor - 60 * DAY
            and person.date_of_birth
            and person.postcode
        ):
            self._known.append(person)

    @staticmethod
    def _yes_no(rng: random.Random, yes: float) -> str:
        r = rng.random()
        if r < yes:
            return YesNoPreferNot.YES
        if r < 0.88:
            return YesNoPreferNot.NO
        return YesNoPreferNot.PREFER_NOT_TO_SAY if r < 0.93 else ""

    def _introduction_time(self, rng: random.Random, *, public: bool) -> dt.datetime:
        day = self.today - dt.timedelta(days=self.day_pickers[public](rng))
        return _at(day, self.hour_pickers[public](rng), rng.randrange(60))

    @staticmethod
    def _brought(rng: random.Random) -> str:
        """What has brought someone here, in their own words."""
        trigger, feeling = rng.choice(data.STORY_TRIGGERS), rng.choice(data.STORY_FEELINGS)
        if rng.random() < 0.5:
            return f"Since {trigger}, {feeling}.{rng.choice(data.STORY_EXTRAS)}"
        return f"{feeling[0].upper()}{feeling[1:]} since {trigger}.{rng.choice(data.STORY_EXTRAS)}"

    def _story(
        self,
        rng: random.Random,
        person: Person,
        given_h: data.Heritage,
        family_h: data.Heritage,
        locality_index: int,
        told_at: dt.datetime,
        rows: _Rows,
    ) -> str:
        """Their story as they first told it; returns what brought them here."""
        place = rng.choice(data.PLACES[data.LOCALITIES[locality_index][0]])
        brought = self._brought(rng)
        name = rng.choice(given_h.women if rng.random() < 0.6 else given_h.men)
        practice = self.gp_practices[locality_index].name

        def some(options: Sequence[str], most: int = 2) -> str:
            picked = rng.sample(list(options), rng.randint(1, most))
            return " ".join(picked)

        going_well = rng.choice(data.GOING_WELL).format(place=place) if rng.random() < 0.9 else ""
        hard = some(data.HARD) if rng.random() < 0.92 else ""
        achieve = some(data.ACHIEVE) if rng.random() < 0.85 else ""
        who = (
            rng.choice(data.WHO_CAN_HELP).format(name=name, practice=practice, place=place)
            if rng.random() < 0.85
            else ""
        )
        rows.stories.append([person.id, told_at, told_at, brought, going_well, hard, achieve, who, None, 1])
        return brought

    def _relationship(
        self,
        rng: random.Random,
        person: Person,
        given_h: data.Heritage,
        family_h: data.Heritage,
        at: dt.datetime,
    ) -> Row:
        kind, part = self.relationship_picker(rng)
        given = rng.choice(given_h.women if rng.random() < 0.55 else given_h.men)
        if part == "My GP.":
            name = f"Dr {rng.choice(data.HERITAGES['british'].family)}"
        elif kind in data.KIN_KINDS and rng.random() < 0.6:
            name = f"{given} {person.family_name}".strip()
        else:
            name = f"{given} {rng.choice(family_h.family)}"
        contact = f"07700 900{rng.randrange(1000):03d}" if rng.random() < 0.55 else ""
        wants_involved = rng.random() < (0.6 if kind in data.KIN_KINDS else 0.3)
        connection_ = self.connection_pickers[kind](rng)
        return [_uuid(rng), at, at, person.id, name, kind, part, contact, wants_involved, connection_]

    # ---- the front door and support ------------------------------------------------------------

    def _journey(
        self,
        rng: random.Random,
        person: Person,
        locality_index: int,
        introduced_at: dt.datetime,
        rows: _Rows,
        *,
        source: str,
        partner: str | None,
        words: str,
        heritage: data.Heritage,
        earlier: bool = False,
        ends_before: dt.datetime | None = None,
        demo: bool = False,
        returning: bool = False,
        unlinked_from: Person | None = None,
        urgent_now: bool = False,
        life: _Life,
    ) -> dt.datetime | None:
        """One introduction and what followed: the front door, a first conversation, support, sharing.

        Returns when the first conversation was held, or None if it has not been (by today).
        """
        intro = self._introduction(
            rng,
            person,
            locality_index,
            introduced_at,
            source,
            partner,
            words,
            heritage,
            demo=demo,
            open_now=unlinked_from is not None or urgent_now,
            urgent=urgent_now,
        )
        matched: tuple[str, _Worker | None] | None = None
        if returning:
            # Their earlier record is found: by NHS number at once, or confirmed by a coordinator.
            if person.nhs_number and rng.random() < 0.6:
                matched = ("Same NHS number as someone we know", None)
            else:
                matched = ("Confirmed by a coordinator", self.coordinator_picker(rng))
        plan = self._front_door(
            rng,
            intro,
            must_meet=earlier or demo,
            open_now=unlinked_from is not None or urgent_now,
            matched=matched,
            demo=demo,
        )
        state, state_changed_at, updated_at, closed_reason = self._write_door(rng, plan, intro, rows)
        if matched is not None and matched[1] is not None and plan.matched_at is not None:
            # The coordinator confirmed it, and the record made at the front door was folded into theirs.
            reasons = ["same date of birth", "same family name"]
            reasons += ["same postcode"] if person.postcode and rng.random() < 0.6 else ["same first name"]
            score = 0.8 if "same postcode" in reasons else 0.85
            self._match_row(rows, rng, intro, person, score, reasons, decided_by=matched[1], decided_at=plan.matched_at)
        if unlinked_from is not None:
            candidate = matching.score(person, unlinked_from)
            self._match_row(rows, rng, intro, unlinked_from, candidate.score, list(candidate.reasons))

        met_at = plan.met_at if plan.met_at is not None and plan.met_at < self.anchor else None
        second_contact_at = plan.second_contact_at if met_at is not None else None
        if second_contact_at is not None and second_contact_at >= self.anchor:
            second_contact_at = None
        rows.introductions.append(
            self._introduction_row(
                intro,
                state=state,
                state_changed_at=state_changed_at,
                updated_at=updated_at,
                met_at=met_at,
                second_contact_at=second_contact_at,
                closed_reason=closed_reason,
            )
        )
        life.introductions += 1
        if met_at is None:
            return None

        period: uuid.UUID | None = None
        assert plan.met_worker is not None
        if plan.outcome == ConversationOutcome.SUPPORT:
            period = self._support(
                rng,
                person,
                locality_index,
                met_at,
                rows,
                earlier=earlier,
                ends_before=ends_before,
                demo=demo,
                life=life,
                intro=intro,
                met_worker=plan.met_worker,
            )
        conversation_id = _uuid(rng)
        outcome = plan.outcome
        offers = ""
        if outcome == ConversationOutcome.COMMUNITY or (outcome == ConversationOutcome.SUPPORT and rng.random() < 0.2):
            offers = " ".join(rng.sample(data.COMMUNITY_OFFERS, rng.randint(1, 2)))
        rows.conversations.append(
            [
                conversation_id,
                met_at,
                met_at,
                intro.id,
                met_at,
                plan.met_place,
                plan.met_worker.user_id,
                outcome,
                self.teams[locality_index].id if period is not None else None,
                period,
                offers,
                rng.choice(data.AGREED_NOTES[outcome]),
            ]
        )
        if outcome == ConversationOutcome.HANDOVER:
            self._handover(rng, rows, person, met_at, conversation_id, plan.met_worker)
        return met_at

    def _introduction_row(
        self,
        intro: _Intro,
        *,
        state: str,
        state_changed_at: dt.datetime,
        updated_at: dt.datetime,
        met_at: dt.datetime | None = None,
        second_contact_at: dt.datetime | None = None,
        closed_reason: str = "",
    ) -> Row:
        return [
            intro.id,
            intro.introduced_at,
            updated_at,
            intro.reference,
            intro.person.id,
            self.site.id,
            self.localities[intro.locality_index].id,
            intro.source,
            intro.organisation_id,
            intro.introducer.user_id if intro.introducer else None,
            intro.introduced_at,
            state,
            state_changed_at,
            intro.urgent,
            met_at,
            second_contact_at,
            intro.in_their_words,
            intro.unsafe_now,
            intro.places,
            intro.wishes,
            intro.meeting_note,
            intro.agrees_to_contact,
            intro.agrees_to_share,
            intro.person_aware,
            intro.introducer_name,
            intro.introducer_relationship,
            intro.introducer_phone,
            intro.introducer_email,
            closed_reason,
            None,  # submission_key: only live submissions have one
            "",
        ]

    def _introduction(
        self,
        rng: random.Random,
        person: Person,
        locality_index: int,
        introduced_at: dt.datetime,
        source: str,
        partner: str | None,
        words: str,
        heritage: data.Heritage,
        *,
        demo: bool,
        open_now: bool,
        urgent: bool = False,
    ) -> _Intro:
        """Who made the introduction, and what they told us (as typed on the form or the API)."""
        organisation: Organisation | None = None
        if partner == "gp":
            organisation = self.gp_practices[locality_index]
        elif partner == "voluntary":
            organisation = self.voluntary_picker(rng)
        elif partner is not None:
            organisation = self.organisations[partner]
        intro = _Intro(
            id=_uuid(rng),
            reference=self._next_reference(),
            heritage=heritage,
            person=person,
            locality_index=locality_index,
            source=source,
            introduced_at=introduced_at,
            organisation_id=organisation.id if organisation else None,
            urgent=urgent or (not demo and not open_now and rng.random() < data.URGENT_SHARE),
        )
        name = person.preferred_name or person.given_name
        if source == Source.SELF:
            intro.in_their_words = words
            if intro.urgent:
                intro.unsafe_now = UnsafeNow.YES if rng.random() < 0.85 else UnsafeNow.NOT_SURE
            else:
                intro.unsafe_now = UnsafeNow.NO if rng.random() < 0.85 else UnsafeNow.NOT_SURE
            intro.agrees_to_contact = True
            intro.agrees_to_share = rng.random() < 0.85
        else:
            if source == Source.FAMILY_FRIEND:
                self._family_introducer(rng, intro)
                aware = rng.random()
                intro.person_aware = "agrees" if aware < 0.7 else "knows" if aware < 0.88 else "does_not_know"
                if intro.urgent:
                    intro.unsafe_now = UnsafeNow.YES if rng.random() < 0.7 else UnsafeNow.NOT_SURE
                else:
                    intro.unsafe_now = UnsafeNow.NO if rng.random() < 0.75 else UnsafeNow.NOT_SURE
            else:
                self._professional_introducer(rng, intro, organisation, demo=demo)
                aware = rng.random()
                intro.person_aware = "agrees" if aware < 0.88 else "knows" if aware < 0.97 else "does_not_know"
                if intro.urgent and rng.random() < 0.5:
                    intro.unsafe_now = UnsafeNow.YES
            intro.in_their_words = rng.choice(data.INTRODUCER_WORDS[source]).format(name=name)
            intro.agrees_to_contact = intro.person_aware == "agrees"
            intro.agrees_to_share = intro.person_aware == "agrees" and rng.random() < 0.75

        # Where and with whom they would like to meet.
        public = source in data.PUBLIC_SOURCES
        if rng.random() < (0.85 if public else 0.3):
            for _ in range(rng.choice((1, 1, 2, 2, 3)) if public else 1):
                place = self.place_picker(rng)
                if place not in intro.places:
                    intro.places.append(place)
        if rng.random() < (0.3 if public else 0.1):
            kind = rng.random()
            if kind < 0.45 or kind >= 0.85:
                intro.wishes.append(WorkerPreference.PEER)
            if kind >= 0.45:
                intro.wishes.append(WorkerPreference.MAN if person.gender == Gender.MAN else WorkerPreference.WOMAN)
        language = person.first_language
        if language not in ("", "English") and rng.random() < (0.6 if person.interpreter_needed else 0.2):
            intro.wishes.append(WorkerPreference.SAME_LANGUAGE)
            intro.wants_language = language.casefold()
        intro.wants_peer = WorkerPreference.PEER in intro.wishes
        intro.wants_gender = (
            WorkerGender.WOMAN
            if WorkerPreference.WOMAN in intro.wishes
            else WorkerGender.MAN
            if WorkerPreference.MAN in intro.wishes
            else ""
        )
        if rng.random() < (0.2 if public else 0.05):
            intro.meeting_note = rng.choice(data.MEETING_NOTES)

        # How the Hub can get in touch, as the person said (and through whoever introduced them).
        methods: list[str] = []
        if person.phone and person.may_phone:
            methods.append(ContactMethod.PHONE)
        if person.phone.startswith("07") and person.may_text:
            methods.append(ContactMethod.TEXT)
        if person.email and person.may_email:
            methods.append(ContactMethod.EMAIL)
        if person.address_line_1 and person.may_write:
            methods.append(ContactMethod.LETTER)
        if intro.introducer_phone:
            methods.append(ContactMethod.VIA_INTRODUCER)
        if not methods:
            methods.append(
                ContactMethod.PHONE
                if person.phone
                else ContactMethod.EMAIL
                if person.email
                else ContactMethod.LETTER
                if person.address_line_1
                else ContactMethod.IN_PERSON
            )
        intro.methods = tuple(methods)
        return intro

    def _family_introducer(self, rng: random.Random, intro: _Intro) -> None:
        person = intro.person
        relationship = self.family_introducer_picker(rng)
        heritage = intro.heritage
        if relationship in ("Mother", "Sister", "Daughter", "Aunt"):
            given = rng.choice(heritage.women)
        elif relationship in ("Father", "Brother", "Son"):
            given = rng.choice(heritage.men)
        else:
            given = rng.choice(heritage.women if rng.random() < 0.6 else heritage.men)
        kin = relationship not in ("Friend", "Neighbour")
        family = person.family_name if kin and rng.random() < 0.75 else rng.choice(heritage.family)
        intro.introducer_name = f"{given} {family}"
        intro.introducer_relationship = relationship
        intro.introducer_phone = f"07700 900{rng.randrange(1000):03d}"
        if rng.random() < 0.4:
            intro.introducer_email = f"{_ascii(given)}.{_ascii(family)}{rng.randint(1, 99)}@example.com"

    def _professional_introducer(
        self, rng: random.Random, intro: _Intro, organisation: Organisation | None, *, demo: bool
    ) -> None:
        source = intro.source
        introducer: _Worker | None = None
        if demo:
            demo_id = self.demo_users[Role.INTRODUCER].id
            introducer = next(w for w in self.introducers[data.GP_KEYS[DEMO_LOCALITY]] if w.user_id == demo_id)
        elif source in data.SIGNED_IN_SOURCES and rng.random() < data.SIGNED_IN_SOURCES[source]:
            key = data.GP_KEYS[intro.locality_index] if source == Source.GP else _INTRODUCER_ORGS[source]
            introducer = rng.choice(self.introducers[key])
        intro.introducer = introducer
        if introducer is not None:
            name, title, email = introducer.name, introducer.title, introducer.email
            if title == "GP":
                name = f"Dr {name}"
        else:
            (names, family_names, _), _ = self._names_heritage(rng)
            given = rng.choice(names.women if rng.random() < 0.6 else names.men)
            family = rng.choice(family_names.family)
            title = rng.choice(data.PROFESSIONAL_TITLES[source])
            name = f"Dr {given} {family}" if title == "GP" else f"{given} {family}"
            email = ""
            if organisation is not None and rng.random() < 0.6:
                domain = organisation.website.removeprefix("https://").rstrip("/")
                email = f"{_ascii(given)}.{_ascii(family)}@{domain}"
        intro.introducer_name = name
        intro.introducer_relationship = title
        intro.introducer_email = email
        if rng.random() < 0.7:
            intro.introducer_phone = f"020 7946 0{rng.randrange(1000):03d}"

    # ---- the front door, planned then cut at today ---------------------------------------------

    def _front_door(
        self,
        rng: random.Random,
        intro: _Intro,
        *,
        must_meet: bool,
        open_now: bool,
        matched: tuple[str, _Worker | None] | None,
        demo: bool,
    ) -> _Plan:
        """The whole journey through the front door as it will happen, including what is still ahead."""
        plan = _Plan()
        start = intro.introduced_at
        plan.event(start, EventKind.INTRODUCED, IntroductionState.NEW, intro.introducer, "")
        if matched is not None:
            note, actor = matched
            start = min(start + _minutes(rng, 5, 240), start + (self.anchor - start) / 2)
            plan.matched_at = start
            plan.event(start, EventKind.MATCHED, IntroductionState.NEW, actor, note)
        coordinator = self.coordinator_picker(rng)
        wait = self._wait(rng, intro)
        if demo:
            wait = min(wait, 30)
        if not must_meet and not open_now and not intro.urgent:
            r = rng.random()
            withdrawn = data.WITHDRAWN_SHARE * (3 if intro.person_aware == "does_not_know" else 1)
            if r < withdrawn + data.UNREACHABLE_SHARE:
                closed_at = self._close(rng, plan, intro, start, coordinator, withdraw=r < withdrawn)
                if rng.random() >= data.REOPENED_SHARE:
                    return plan
                # The door is open again: the waiting clock still counts from the introduction.
                start = _hub_time(rng, _weekday(closed_at.date() + dt.timedelta(days=rng.randint(7, 90))))
                if start <= closed_at:
                    start = closed_at + DAY
                plan.event(
                    start, EventKind.REOPENED, IntroductionState.CONTACTING, coordinator, rng.choice(data.REOPEN_NOTES)
                )
                wait = rng.randint(5, 25)
        self._meet(rng, plan, intro, start, wait, coordinator, must_meet=must_meet, open_now=open_now)
        return plan

    def _wait(self, rng: random.Random, intro: _Intro) -> int:
        """Days from introduction to first conversation: 0 to 3 when urgent, else lognormal with a winter backlog."""
        if intro.urgent:
            return rng.choice((0, 0, 1, 1, 2, 3))
        median = data.WAIT_MEDIAN_DAYS * data.WAIT_MONTH_FACTORS[intro.introduced_at.month - 1]
        return max(2, min(150, round(rng.lognormvariate(math.log(median), data.WAIT_SPREAD))))

    def _meet(
        self,
        rng: random.Random,
        plan: _Plan,
        intro: _Intro,
        start: dt.datetime,
        wait: int,
        coordinator: _Worker,
        *,
        must_meet: bool,
        open_now: bool,
    ) -> None:
        """Reach the person, book the first conversation (perhaps moved, or missed and rebooked), and meet."""
        if intro.urgent:
            # Same-day contact: at once during the Hub's long day (8:00 to 20:00), else first thing.
            if 8 <= start.hour < 20:
                reach = start + _minutes(rng, 10, 90)
            else:
                first_thing = start.date() + (DAY if start.hour >= 20 else dt.timedelta())
                reach = _at(first_thing, 8, rng.randrange(0, 60, 5))
            met_at = _at(start.date() + dt.timedelta(days=wait), rng.randint(10, 18), rng.choice((0, 15, 30, 45)))
            if met_at <= reach + dt.timedelta(hours=1):
                met_at = reach + _minutes(rng, 90, 300)
            if open_now and met_at < self.anchor:
                met_at = self.anchor + _minutes(rng, 10 * 60, 16 * 60)  # later today
        else:
            met_day = start.date() + dt.timedelta(days=wait)
            if rng.random() < 0.9:
                met_day = _weekday(met_day)
            met_at = _at(met_day, rng.randint(9, 18), rng.choice((0, 15, 30, 45)))
            if open_now and met_at < self.anchor + DAY:
                met_at = _at(_weekday(self.today + dt.timedelta(days=rng.randint(1, 14))), rng.randint(9, 18))
        attempts = rng.choice((1, 1, 2)) if intro.urgent else self.attempt_count_picker(rng)
        if not intro.urgent:
            # The Hub first tries within a few working days; the person is reached at the last attempt.
            first = _hub_time(rng, _weekday(start.date() + dt.timedelta(days=rng.choice((0, 1, 1, 2, 2, 3)))))
            if first <= start:
                first = start + _minutes(rng, 20, 180)
            if first >= met_at - dt.timedelta(hours=2):
                first = start + (met_at - start) * 0.2
            reach = first
            days = (met_at.date() - first.date()).days
            if attempts > 1 and days >= 2:
                reach_day = first.date() + dt.timedelta(days=max(1, min(days - 1, round(days * rng.uniform(0.1, 0.6)))))
                if reach_day.weekday() >= 5 and _weekday(reach_day) < met_at.date():
                    reach_day = _weekday(reach_day)
                reach = _hub_time(rng, reach_day)
            elif attempts > 1:
                reach = first + (met_at - first) * rng.uniform(0.2, 0.5)
            if not first < reach < met_at:
                attempts, reach = 1, first
            times = [first, *self._attempt_times(rng, first, reach, attempts - 1)] if attempts > 1 else [first]
        else:
            times = self._attempt_times(rng, start, reach, attempts)
        for at in times:
            self._attempt(rng, plan, intro, at, coordinator, reached=at is reach)

        made = reach + _minutes(rng, 2, 15)
        gap = (met_at.date() - reach.date()).days
        r = rng.random()
        if not intro.urgent and not must_meet and r < 0.07 and gap >= 5:
            # Booked, but it did not happen: back to contacting, another call, and booked again.
            missed_start = _hub_time(rng, reach.date() + dt.timedelta(days=rng.randint(1, gap - 3)))
            earlier_booking = self._book(rng, plan, intro, made, missed_start, coordinator)
            missed = missed_start + _minutes(rng, 60, 180)
            note = rng.choice(data.NOT_ATTENDED_NOTES)
            earlier_booking.change(BookingStatus.NOT_ATTENDED, note, missed)
            plan.event(missed, EventKind.NOT_ATTENDED, IntroductionState.CONTACTING, coordinator, note)
            again = max(_hub_time(rng, missed.date() + DAY), missed + dt.timedelta(minutes=30))
            self._attempt(rng, plan, intro, again, coordinator, reached=True)
            final = self._book(
                rng, plan, intro, again + _minutes(rng, 2, 15), met_at, coordinator, like=earlier_booking
            )
        elif not intro.urgent and r < 0.17 and gap >= 3:
            # The person asked to move it to another time.
            first_start = met_at + dt.timedelta(days=rng.choice((-1, 1, 2, 3, 5)))
            if first_start <= made + DAY:
                first_start = met_at + 2 * DAY
            moved = _hub_time(rng, reach.date() + dt.timedelta(days=rng.randint(1, gap - 1)))
            if not made < moved < min(first_start, met_at):
                moved = made + (min(first_start, met_at) - made) / 2
            earlier_booking = self._book(rng, plan, intro, made, first_start, coordinator)
            earlier_booking.change(BookingStatus.CANCELLED, "Moved to another time", moved)
            final = self._book(rng, plan, intro, moved, met_at, coordinator, like=earlier_booking, moved=True)
        else:
            final = self._book(rng, plan, intro, made, met_at, coordinator, final=True)
        final.change(BookingStatus.HELD, "", met_at)

        # The first conversation, and what happens next.
        outcome = ConversationOutcome.SUPPORT if must_meet else ConversationOutcome(self.outcome_picker(rng))
        plan.met_at, plan.met_worker, plan.met_place, plan.outcome = met_at, final.worker, final.place, outcome
        plan.event(met_at, EventKind.MET, IntroductionState.MET, final.worker, _OUTCOME_LABELS[outcome])
        if rng.random() < (0.9 if outcome == ConversationOutcome.SUPPORT else 0.25):
            if outcome == ConversationOutcome.SUPPORT:
                after = max(1, min(60, round(rng.lognormvariate(math.log(8), 0.7))))
            else:
                after = rng.randint(14, 42)
            second = _hub_time(rng, _weekday(met_at.date() + dt.timedelta(days=after)))
            if second <= met_at:
                second = met_at + DAY
            plan.second_contact_at = second
            plan.event(second, EventKind.SECOND_CONTACT, IntroductionState.MET, final.worker, "")

    def _close(
        self,
        rng: random.Random,
        plan: _Plan,
        intro: _Intro,
        start: dt.datetime,
        coordinator: _Worker,
        *,
        withdraw: bool,
    ) -> dt.datetime:
        """Withdrawn by the person (with their reason), or not reached after several attempts."""
        if not withdraw:
            last = _hub_time(rng, _weekday(start.date() + dt.timedelta(days=rng.randint(14, 35))))
            needed = settings.LIVINGWELL_UNREACHABLE_AFTER_ATTEMPTS
            for at in self._attempt_times(rng, start, last, max(needed, rng.choice((3, 3, 4)))):
                self._attempt(rng, plan, intro, at, coordinator, reached=False)
            closed = _hub_time(rng, _weekday(last.date() + dt.timedelta(days=rng.randint(1, 5))))
            note = rng.choice(data.UNREACHABLE_NOTES)
            plan.event(closed, EventKind.UNREACHABLE, IntroductionState.UNREACHABLE, coordinator, note)
            plan.closed_reason = note
            return closed
        reach = _hub_time(rng, _weekday(start.date() + dt.timedelta(days=rng.randint(1, 12))))
        if reach <= start:
            reach = start + _minutes(rng, 30, 120)
        for at in self._attempt_times(rng, start, reach, rng.choice((1, 1, 2))):
            self._attempt(rng, plan, intro, at, coordinator, reached=at is reach)
        reasons = data.WITHDRAWN_REASONS
        reason = reasons[-1] if intro.person_aware == "does_not_know" else rng.choice(reasons[:-1])
        if rng.random() < 0.3:
            made = reach + _minutes(rng, 2, 15)
            booking = self._book(
                rng,
                plan,
                intro,
                made,
                _hub_time(rng, _weekday(reach.date() + dt.timedelta(days=rng.randint(4, 14)))),
                coordinator,
            )
            closed = _hub_time(rng, reach.date() + dt.timedelta(days=rng.randint(1, 3)))
            booking.change(BookingStatus.CANCELLED, "Withdrawn", closed)
        else:
            closed = reach + _minutes(rng, 3, 30)
        plan.event(closed, EventKind.WITHDRAWN, IntroductionState.WITHDRAWN, coordinator, reason)
        plan.closed_reason = reason
        return closed

    @staticmethod
    def _attempt_times(rng: random.Random, start: dt.datetime, last: dt.datetime, count: int) -> list[dt.datetime]:
        """`count` attempts in order after `start`, the last at `last` (the others in the Hub's hours if there is time)."""
        if count < 1:
            return []
        span = last - start
        times = []
        for _ in range(count - 1):
            at = start + span * rng.uniform(0.02, 0.95)
            if span > 2 * DAY:
                day = at.date()
                at = _hub_time(rng, day if day.weekday() < 5 else day - dt.timedelta(days=day.weekday() - 4))
                if not start < at < last:
                    at = start + span * rng.uniform(0.02, 0.95)
            times.append(at)
        times.sort()
        times.append(last)
        return times

    def _attempt(
        self, rng: random.Random, plan: _Plan, intro: _Intro, at: dt.datetime, coordinator: _Worker, *, reached: bool
    ) -> None:
        methods = intro.methods
        if reached:
            method = (
                ContactMethod.PHONE if ContactMethod.PHONE in methods and rng.random() < 0.85 else rng.choice(methods)
            )
            outcome = AttemptOutcome.SPOKE
        else:
            # Mostly a call (a message left where they said we may), sometimes a text, email or letter.
            method = (
                ContactMethod.PHONE if ContactMethod.PHONE in methods and rng.random() < 0.7 else rng.choice(methods)
            )
            if method == ContactMethod.PHONE:
                r = rng.random()
                outcome = (
                    AttemptOutcome.WRONG_DETAILS
                    if r < 0.04
                    else AttemptOutcome.LEFT_MESSAGE
                    if r < 0.85 and intro.person.may_leave_message
                    else AttemptOutcome.NO_ANSWER
                )
            elif method == ContactMethod.IN_PERSON:
                outcome = AttemptOutcome.NO_ANSWER
            else:
                outcome = AttemptOutcome.MESSAGE_SENT
        plan.attempts.append((_uuid(rng), at, method, outcome, coordinator))
        note = f"{_METHOD_LABELS[method]}: {_ATTEMPT_LABELS[outcome]}"
        plan.event(at, EventKind.ATTEMPT, IntroductionState.CONTACTING, coordinator, note)

    def _book(
        self,
        rng: random.Random,
        plan: _Plan,
        intro: _Intro,
        made: dt.datetime,
        starts: dt.datetime,
        coordinator: _Worker,
        *,
        like: _PlannedBooking | None = None,
        moved: bool = False,
        final: bool = False,
    ) -> _PlannedBooking:
        """A booking at a place of the person's choosing, with a worker who fits what they asked for."""
        if like is not None and rng.random() < 0.7:
            place, detail, worker = like.place, like.detail, like.worker
        else:
            place = rng.choice(intro.places) if intro.places else self.place_picker(rng)
            detail = self._place_detail(rng, intro, place)
            worker = self._door_worker(rng, intro)
        final = final or like is not None
        if (
            final
            and made < self.anchor <= starts
            and intro.locality_index == DEMO_LOCALITY
            and self.demo_booking_queue
            and self._fits(self.demo_booking_queue[0], intro)
        ):
            worker = self.demo_booking_queue.popleft()  # so that the demo workers have first conversations ahead
        person = intro.person
        r = rng.random()
        if person.email and person.may_email and r < 0.45:
            notify = NotifyBy.EMAIL
        elif person.phone.startswith("07") and person.may_text and r < 0.85:
            notify = NotifyBy.SMS
        else:
            notify = NotifyBy.ALREADY_TOLD
        booking = _PlannedBooking(_uuid(rng), made, starts, place, detail, worker, coordinator, notify)
        plan.bookings.append(booking)
        note = f"{starts:%d %B %Y %H:%M}, {_PLACE_LABELS[place]}, with {worker.name}"
        plan.event(
            made,
            EventKind.BOOKED,
            IntroductionState.BOOKED,
            coordinator,
            note + (" (moved from an earlier booking)" if moved else ""),
        )
        return booking

    def _place_detail(self, rng: random.Random, intro: _Intro, place: str) -> str:
        locality = data.LOCALITIES[intro.locality_index][0]
        if place == Place.CAFE:
            return rng.choice(data.CAFES[locality])
        if place == Place.PARK:
            return rng.choice(self.parks[locality])
        if place == Place.GP_PRACTICE:
            return self.gp_practices[intro.locality_index].name
        if place == Place.DROP_IN:
            return data.DROP_INS[locality]
        if place == Place.VIDEO:
            return "Link sent by email" if intro.person.email else "Link sent by text message"
        return ""

    def _door_worker(self, rng: random.Random, intro: _Intro) -> _Worker:
        key = (intro.locality_index, intro.wants_peer, intro.wants_gender, intro.wants_language)
        picker = self._fit_pickers.get(key)
        if picker is None:
            picker = self._fit_pickers[key] = self._fit_picker(*key)
        return picker(rng)

    def _fit_picker(self, locality_index: int, peer: bool, gender: str, language: str) -> _Picker[_Worker]:
        """The locality's workers who fit the most of what the person asked for: language first, then peer, then gender."""
        wishes: list[Callable[[_Worker], bool]] = []
        if language:
            wishes.append(lambda w: language in w.languages)
        if peer:
            wishes.append(lambda w: w.role == Role.PEER_WORKER)
        if gender:
            wishes.append(lambda w: w.gender == gender)
        workers = self.door_workers[locality_index]
        for size in range(len(wishes), -1, -1):
            for kept in itertools.combinations(wishes, size):
                fitting = [w for w in workers if all(wish(w) for wish in kept)]
                if fitting:
                    return _Picker([(w, self.door_weights[w.role]) for w in fitting])
        raise AssertionError("every team has workers who hold first conversations")

    @staticmethod
    def _fits(worker: _Worker, intro: _Intro) -> bool:
        return (
            (not intro.wants_peer or worker.role == Role.PEER_WORKER)
            and (not intro.wants_gender or worker.gender == intro.wants_gender)
            and (not intro.wants_language or intro.wants_language in worker.languages)
        )

    def _write_door(
        self, rng: random.Random, plan: _Plan, intro: _Intro, rows: _Rows
    ) -> tuple[str, dt.datetime, dt.datetime, str]:
        """Write what had happened by the start of today. Returns (state, state changed at, updated at, closed reason)."""
        anchor = self.anchor
        iid = intro.id
        state = ""
        changed_at = updated_at = intro.introduced_at
        closed_reason = ""
        plan.events.sort(key=operator.itemgetter(0))  # stable: events at the same moment keep their order
        for at, kind, to_state, actor, note in plan.events:
            if at >= anchor:
                break
            rows.events.append(
                [iid, at, kind, actor.user_id if actor else None, actor.name if actor else "", state, to_state, note]
            )
            if to_state != state:
                changed_at = at
            if kind in (EventKind.WITHDRAWN, EventKind.UNREACHABLE):
                closed_reason = plan.closed_reason
            state, updated_at = to_state, at
        for attempt_id, at, method, outcome, coordinator in plan.attempts:
            if at < anchor:
                rows.attempts.append([attempt_id, at, at, iid, at, method, outcome, "", coordinator.user_id])
        recent = anchor - OUTBOX_DAYS * DAY
        person = intro.person
        for b in plan.bookings:
            if b.made_at >= anchor:
                continue
            changed = b.changed_at is not None and b.changed_at < anchor
            rows.bookings.append(
                [
                    b.id,
                    b.made_at,
                    b.changed_at if changed else b.made_at,
                    iid,
                    b.starts_at,
                    b.place,
                    b.detail,
                    b.worker.user_id,
                    b.booked_by.user_id,
                    b.notify_by,
                    b.status if changed else BookingStatus.BOOKED,
                    b.note if changed else "",
                ]
            )
            if b.made_at >= recent and b.notify_by != NotifyBy.ALREADY_TOLD:
                self._booking_message(rng, rows, intro, b)
        if intro.source == Source.SELF and intro.introduced_at >= recent:
            channel, to = (
                (Channel.EMAIL, person.email)
                if person.email and person.may_email
                else (Channel.SMS, person.phone)
                if person.phone and person.may_text
                else ("", "")
            )
            if channel:
                body = acknowledgement_text(
                    first_name=person.preferred_name or person.given_name, reference=intro.reference
                )
                subject = "We have your introduction" if channel == Channel.EMAIL else ""
                self._message(
                    rng, rows, intro, intro.introduced_at, channel, to, subject, body, "introduction received", None
                )
        return state, changed_at, updated_at, closed_reason

    def _booking_message(self, rng: random.Random, rows: _Rows, intro: _Intro, booking: _PlannedBooking) -> None:
        """The message the default sender kept in the outbox, worded as access.services words it."""
        person = intro.person
        where = _PLACE_LABELS[booking.place] + (f": {booking.detail}" if booking.detail else "")
        body = booking_text(
            first_name=person.preferred_name or person.given_name,
            starts_at=booking.starts_at,
            where=where,
            worker_first_name=booking.worker.first_name,
            reference=intro.reference,
        )
        email = booking.notify_by == NotifyBy.EMAIL
        self._message(
            rng,
            rows,
            intro,
            booking.made_at,
            Channel.EMAIL if email else Channel.SMS,
            person.email if email else person.phone,
            "Your first conversation with Living Well" if email else "",
            body,
            "first conversation booked",
            booking.booked_by,
        )

    def _message(
        self,
        rng: random.Random,
        rows: _Rows,
        intro: _Intro,
        at: dt.datetime,
        channel: str,
        to: str,
        subject: str,
        body: str,
        purpose: str,
        actor: _Worker | None,
    ) -> None:
        rows.messages.append(
            [
                _uuid(rng),
                at,
                at,
                self.site.id,
                intro.person.id,
                channel,
                to,
                subject,
                body,
                purpose,
                MessageStatus.IN_OUTBOX,
                "outbox",
                None,
                "",
                actor.user_id if actor else None,
            ]
        )

    def _match_row(
        self,
        rows: _Rows,
        rng: random.Random,
        intro: _Intro,
        candidate: Person,
        score: float,
        reasons: list[str],
        *,
        decided_by: _Worker | None = None,
        decided_at: dt.datetime | None = None,
    ) -> None:
        status = MatchStatus.CONFIRMED if decided_by is not None else MatchStatus.PENDING
        rows.matches.append(
            [
                _uuid(rng),
                intro.introduced_at,
                decided_at or intro.introduced_at,
                intro.id,
                candidate.id,
                score,
                reasons,
                status,
                decided_by.user_id if decided_by else None,
                decided_at,
            ]
        )

    def _handover(
        self,
        rng: random.Random,
        rows: _Rows,
        person: Person,
        met_at: dt.datetime,
        conversation_id: uuid.UUID,
        worker: _Worker,
    ) -> None:
        """A warm handover that the network goes on following: most are followed up by the time they are due."""
        to_service, org_key, reason = rng.choice(data.HANDOVERS)
        due = met_at.date() + dt.timedelta(days=settings.LIVINGWELL_HANDOVER_FOLLOW_UP_DAYS)
        followed_up_at: dt.datetime | None = None
        note = ""
        if due < self.today and rng.random() < 0.85:
            followed_up_at = _hub_time(rng, _weekday(due + dt.timedelta(days=rng.randint(-5, 7))))
            followed_up_at = max(followed_up_at, met_at + DAY)
            if followed_up_at >= self.anchor:
                followed_up_at = None
            else:
                note = rng.choice(data.HANDOVER_FOLLOW_UPS)
        rows.handovers.append(
            [
                _uuid(rng),
                met_at,
                followed_up_at or met_at,
                person.id,
                self.site.id,
                conversation_id,
                to_service,
                self.organisations[org_key].id if org_key else None,
                reason,
                met_at,
                due,
                followed_up_at,
                note,
                worker.user_id,
            ]
        )

    def _support(
        self,
        rng: random.Random,
        person: Person,
        locality_index: int,
        first_conversation_at: dt.datetime,
        rows: _Rows,
        *,
        earlier: bool,
        ends_before: dt.datetime | None,
        demo: bool,
        life: _Life,
        intro: _Intro,
        met_worker: _Worker,
    ) -> uuid.UUID:
        """Support by the locality's team, from the first conversation or soon after, with a chosen worker.

        What the person asked for in a worker is recorded; the team leader's allocation mostly honours
        it and says why when it does not. Changes of worker are kept as history. The rows are written
        with the rest of the person's support (see `_support_life`).
        """
        team_index = locality_index
        started = first_conversation_at + dt.timedelta(days=rng.choice((0, 0, 0, 1, 2, 3, 7, 14)))
        if started >= self.anchor:
            started = first_conversation_at
        limit = ends_before if ends_before is not None else self.anchor
        if demo:
            started = max(started, self.anchor - dt.timedelta(days=150))
        days_supported = max(21, min(700, round(rng.lognormvariate(math.log(150), 0.6))))
        ended: dt.datetime | None = started + dt.timedelta(days=days_supported)
        assert ended is not None
        if earlier:
            ended = min(ended, limit - dt.timedelta(days=rng.randint(30, 120)))
            ended = max(ended, started)
        elif demo or ended >= self.anchor:
            ended = None

        # A chosen worker; some recent periods are still waiting for one.
        recent = (self.anchor - started).days < 21
        allocated_share = 0.97 if ended else (0.55 if recent else 0.95)
        allocated = demo or rng.random() < allocated_share
        queued: _Worker | None = None
        if allocated and not demo and ended is None and team_index == DEMO_LOCALITY and self.demo_worker_queue:
            # Each demo worker is the worker of the first people who need one in the demo team.
            queued = self.demo_worker_queue.popleft()
        period = _Period(
            id=_uuid(rng),
            team_index=team_index,
            started=started,
            ended=ended,
            wanted=self._wanted(rng, intro, team_index, met_worker, queued=queued, demo=demo),
            opened_by=met_worker.user_id,
            earlier=earlier,
            demo=demo,
            met_at=first_conversation_at,
            met_by=met_worker,
        )
        life.periods.append(period)
        if demo:
            demo_worker = self._demo_worker(Role.RECOVERY_WORKER)
            period.allocations.append(
                _Alloc(
                    _uuid(rng), demo_worker, started + dt.timedelta(days=2), allocated_by=self.team_leaders[team_index]
                )
            )
            self._consents(rng, person, locality_index, first_conversation_at, rows, demo_worker, demo=True)
            return period.id
        if not allocated:
            return period.id
        allocation_start = min(started + dt.timedelta(days=rng.randint(0, 10)), ended or self.anchor)
        if allocation_start >= self.anchor:
            allocation_start = started
        self._allocations(rng, life, period, allocation_start, queued, rows)
        if not earlier:
            self._consents(rng, person, locality_index, first_conversation_at, rows, period.allocations[0].worker)
        return period.id

    def _demo_worker(self, role: Role) -> _Worker:
        return next(w for w in self.team_workers[DEMO_LOCALITY] if w.user_id == self.demo_users[role].id)

    def _wanted(
        self,
        rng: random.Random,
        intro: _Intro,
        team_index: int,
        met_worker: _Worker,
        *,
        queued: _Worker | None,
        demo: bool,
    ) -> _Wanted:
        """What the person asked for in a worker at the first conversation."""
        if demo:
            return _Wanted(WorkerKind.RECOVERY, note="Someone who can meet in the daytime, near Brixton.")
        if queued is not None:
            # The demo workers' people asked for their kind of worker, or had no preference.
            kind = ROLE_KIND.get(queued.role, WorkerKind.NO_PREFERENCE) if rng.random() < 0.6 else ""
            return _Wanted(kind or WorkerKind.NO_PREFERENCE)
        wanted = _Wanted(WorkerKind.PEER if intro.wants_peer else self.wanted_kind_picker(rng))
        if rng.random() < data.NAMED_WORKER_SHARE and met_worker in self.team_workers[team_index]:
            # They got on with whoever they met at the first conversation.
            wanted.worker = met_worker
            wanted.kind = ROLE_KIND.get(met_worker.role, WorkerKind.NO_PREFERENCE)
            wanted.note = rng.choice(data.NAMED_WORKER_NOTES).format(first=met_worker.first_name)
        elif intro.wants_language:
            wanted.language = intro.wants_language
            language = intro.person.first_language
            wanted.note = rng.choice(data.WANTED_LANGUAGE_NOTES).format(language=language)
        elif intro.wants_gender:
            wanted.gender = intro.wants_gender
            wanted.note = rng.choice(data.WANTED_GENDER_NOTES[intro.wants_gender])
        elif rng.random() < 0.12:
            wanted.note = rng.choice(data.WANTED_NOTES)
        return wanted

    def _kind_workers(self, team_index: int, kind: str) -> list[_Worker]:
        key = (team_index, kind)
        workers = self._by_kind.get(key)
        if workers is None:
            workers = self._by_kind[key] = [w for w in self.team_workers[team_index] if ROLE_KIND.get(w.role) == kind]
        return workers

    def _choose(
        self,
        rng: random.Random,
        team_index: int,
        wanted: _Wanted,
        *,
        avoid: frozenset[uuid.UUID] = frozenset(),
        must_honour: bool = False,
    ) -> tuple[_Worker, bool, str]:
        """The team leader's choice of worker: who the person asked for when there is space; if not, why not."""
        if wanted.worker is not None and wanted.worker.user_id not in avoid:
            if must_honour or rng.random() < 0.85:
                return wanted.worker, True, ""
            other = self._any_worker(rng, team_index, avoid | {wanted.worker.user_id}, kind=wanted.kind)
            why = rng.choice(data.NAMED_NOT_AS_CHOSEN).format(wanted=wanted.worker.first_name, worker=other.first_name)
            return other, False, why
        if wanted.worker is not None:
            # The worker they named is the one changing (away for a while): someone of the same kind for now.
            other = self._any_worker(rng, team_index, avoid | {wanted.worker.user_id}, kind=wanted.kind)
            why = data.NAMED_AWAY.format(wanted=wanted.worker.first_name, worker=other.first_name)
            return other, False, why
        if wanted.kind == WorkerKind.NO_PREFERENCE:
            return self._any_worker(rng, team_index, avoid), True, ""
        fitting = [w for w in self._kind_workers(team_index, wanted.kind) if w.user_id not in avoid]
        if fitting and (must_honour or rng.random() < 0.88):
            # Among the right kind of worker, one who also fits what else they said, where there is one.
            closer = [
                w
                for w in fitting
                if (not wanted.gender or w.gender == wanted.gender)
                and (not wanted.language or wanted.language in w.languages)
            ]
            pool = closer or fitting
            return pool[rng.randrange(len(pool))], True, ""
        other = self._any_worker(rng, team_index, avoid, not_kind=wanted.kind)
        why = rng.choice(data.NOT_AS_CHOSEN).format(kind=data.KIND_WORDS[wanted.kind], worker=other.first_name)
        return other, False, why

    def _any_worker(
        self,
        rng: random.Random,
        team_index: int,
        avoid: frozenset[uuid.UUID] | set[uuid.UUID],
        *,
        kind: str = "",
        not_kind: str = "",
    ) -> _Worker:
        """A worker of the team, by how often each is allocated (team leaders rarely)."""
        if kind and kind != WorkerKind.NO_PREFERENCE:
            same = [w for w in self._kind_workers(team_index, kind) if w.user_id not in avoid]
            if same:
                return same[rng.randrange(len(same))]
        worker = self.worker_pickers[team_index](rng)
        for _ in range(20):
            if worker.user_id not in avoid and (not not_kind or ROLE_KIND.get(worker.role) != not_kind):
                break
            worker = self.worker_pickers[team_index](rng)
        return worker

    def _allocations(
        self,
        rng: random.Random,
        life: _Life,
        period: _Period,
        start: dt.datetime,
        queued: _Worker | None,
        rows: _Rows,
    ) -> None:
        """The first worker and any change of worker, each kept as history with why it changed."""
        team_index = period.team_index
        leader = self.team_leaders[team_index]
        horizon = period.ended or self.anchor
        if queued is not None:
            period.allocations.append(_Alloc(_uuid(rng), queued, start, allocated_by=leader))
            return  # the demo workers keep their people, so that their pages are never empty
        worker, honours, why = self._choose(rng, team_index, period.wanted)
        first = _Alloc(_uuid(rng), worker, start, honours=honours, why_not=why, allocated_by=leader)
        period.allocations.append(first)
        days_left = (horizon - start).days
        if not honours and period.wanted.worker is None and days_left > 45 and rng.random() < 0.5:
            # Someone of the kind they asked for had space later on.
            at = _hub_time(rng, _weekday((start + dt.timedelta(days=rng.randint(21, min(90, days_left - 14)))).date()))
            if start < at < horizon:
                worker, honours, why = self._choose(rng, team_index, period.wanted, must_honour=True)
                if honours:
                    first.ended = at
                    first.end_reason = data.KIND_HAD_SPACE.format(kind=_a(data.KIND_WORDS[period.wanted.kind]))
                    period.allocations.append(_Alloc(_uuid(rng), worker, at, allocated_by=leader))
        elif days_left > 14 and rng.random() < 0.15:
            at = _hub_time(rng, _weekday((start + dt.timedelta(days=rng.randint(7, min(90, days_left - 7)))).date()))
            if start < at < horizon:
                reason = self.change_reason_picker(rng)
                asked = reason == data.ASKED_FOR_CHANGE
                if asked:
                    # What they ask for now becomes what the period records they want.
                    period.wanted = _Wanted(period.wanted.kind, note=period.wanted.note, gender=period.wanted.gender)
                worker, honours, why = self._choose(rng, team_index, period.wanted, avoid=frozenset({worker.user_id}))
                first.ended, first.end_reason = at, reason
                allocation = _Alloc(_uuid(rng), worker, at, honours=honours, why_not=why, allocated_by=leader)
                period.allocations.append(allocation)
                if asked:
                    asked_at = at - dt.timedelta(days=rng.randint(2, 12), hours=rng.randint(0, 5))
                    asked_at = max(asked_at, first.started + dt.timedelta(hours=1))
                    self._change_request(
                        rng,
                        life,
                        period,
                        asked_at,
                        rows,
                        status=ChangeRequestStatus.DONE,
                        answered_at=at,
                        allocation=allocation,
                    )
        if period.ended is not None:
            period.allocations[-1].ended = period.ended
            period.allocations[-1].end_reason = data.MOVED_ON

    def _change_request(
        self,
        rng: random.Random,
        life: _Life,
        period: _Period,
        asked_at: dt.datetime,
        rows: _Rows,
        *,
        status: str,
        answered_at: dt.datetime | None = None,
        allocation: _Alloc | None = None,
    ) -> None:
        """The person asked for a different worker: done by a new allocation, not possible yet, or still open."""
        leader = self.team_leaders[period.team_index]
        current = period.worker_at(asked_at)
        asked_by = leader if current is None or rng.random() < 0.6 else current  # on the person's behalf
        answer = ""
        if status == ChangeRequestStatus.NOT_POSSIBLE:
            kind = period.wanted.kind if period.wanted.kind != WorkerKind.NO_PREFERENCE else WorkerKind.PEER
            answer = rng.choice(data.CHANGE_NOT_POSSIBLE).format(kind=data.KIND_WORDS[kind])
        rows.change_requests.append(
            [
                _uuid(rng),
                asked_at,
                answered_at or asked_at,
                period.id,
                asked_at,
                asked_by.user_id,
                period.wanted.kind,
                None,
                rng.choice(data.CHANGE_REQUEST_REASONS),
                status,
                answered_at,
                leader.user_id if answered_at else None,
                answer,
                allocation.id if allocation else None,
            ]
        )
        if self.huddle_start <= asked_at < self.anchor:
            self._huddle_item(period, asked_at, "change", life, worker=current)

    def _consents(
        self,
        rng: random.Random,
        person: Person,
        locality_index: int,
        met_at: dt.datetime,
        rows: _Rows,
        worker: _Worker,
        *,
        demo: bool = False,
    ) -> None:
        """Some people agree to share their record with partners beyond the team."""
        r = rng.random()
        count = 3 if demo else (1 if r < 0.33 else 2 if r < 0.43 else 0)
        if not count:
            return
        keys = ["housing", "gp", "thrive"] if demo else []
        while len(keys) < count:
            key = self.consent_picker(rng)
            if key not in keys:
                keys.append(key)
        for key in keys:
            organisation = self.gp_practices[locality_index] if key == "gp" else self.organisations[key]
            given_at = met_at + dt.timedelta(days=rng.randint(0, 30), hours=rng.randint(0, 3))
            if given_at >= self.anchor:
                given_at = met_at
            withdrawn_at: dt.datetime | None = None
            if not demo and rng.random() < 0.04:
                candidate = given_at + dt.timedelta(days=rng.randint(10, 200))
                withdrawn_at = candidate if candidate < self.anchor else None
            rows.consents.append(
                [
                    _uuid(rng),
                    given_at,
                    withdrawn_at or given_at,
                    person.id,
                    organisation.id,
                    given_at,
                    withdrawn_at,
                    worker.user_id,
                ]
            )

    # ---- Living Well support: what happened after the first conversation ------------------------

    def _support_life(self, life: _Life, rows: _Rows) -> None:
        """The person's support: coming back, their plan, contacts and notes, flags, moving on, the huddle.

        Drawn from a random stream of the person's own (seeded by their id), so that what happens in
        support never changes what happened at the front door.
        """
        if not life.periods:
            return
        rng = random.Random(life.person.id.int)
        self._come_back(rng, life, rows)
        for period in life.periods:
            self._quiet(rng, life, period)
        plan = self._living_well_plan(rng, life, rows)
        for period in life.periods:
            self._contacts(rng, life, period, rows)
            if period.ended is not None:
                self._moving_on(rng, life, period, rows)
            self._flags_and_requests(rng, life, period, rows)
            self._huddle_candidates(life, period)
        self._measures(life, plan, rows)  # before the plan is written: DIALOG+ conversations add actions to it
        if plan is not None:
            self._write_plan(rng, life, plan, rows)
        for period in life.periods:
            self._write_period(life, period, rows)

    def _write_period(self, life: _Life, period: _Period, rows: _Rows) -> None:
        wanted = period.wanted
        changed = max([period.started, *(a.ended or a.started for a in period.allocations)])
        rows.periods.append(
            [
                period.id, period.started, period.ended or changed, life.person.id, self.teams[period.team_index].id,
                period.started, period.ended, period.opened_by, wanted.kind,
                wanted.worker.user_id if wanted.worker else None, wanted.note,
                period.resumed_from.id if period.resumed_from else None,
            ]
        )  # fmt: skip
        for a in period.allocations:
            rows.allocations.append(
                [
                    a.id, a.started, a.ended or a.started, period.id, a.worker.user_id, a.started, a.ended,
                    a.allocated_by.user_id if a.allocated_by else None, a.honours, a.why_not, a.end_reason,
                ]
            )  # fmt: skip

    @staticmethod
    def _meeting(rng: random.Random, when: dt.datetime) -> dt.datetime:
        """A time in a worker's day, on the day given or the Monday after a weekend."""
        return _at(_weekday(when.date()), _int(rng, 9, 16), _one(rng, (0, 15, 30, 45)))

    def _huddle_item(
        self, period: _Period, at: dt.datetime, topic: str, life: _Life, *, worker: _Worker | None = None, **extra: Any
    ) -> None:
        """Something a team's huddle talks about (the last HUDDLE_DAYS only: memory stays bounded)."""
        self.huddle_items[period.team_index].append(
            (at, topic, period.id, life.name, worker.first_name if worker else "", period.wanted.kind, extra)
        )

    # -- coming back ---------------------------------------------------------------------------------

    def _come_back(self, rng: random.Random, life: _Life, rows: _Rows) -> None:
        """Some people who moved on come back within the site's months, and are picked up where they left off.

        They get in touch with the Hub (themselves, or through their GP or family); a Hub coordinator finds
        their record, closes the introduction as *back with their team* and opens support again with the
        same team and worker, without a new first conversation (support.services.moving_on.support_resume).
        """
        last = life.periods[-1]
        if life.demo or life.introductions != 1 or last.ended is None or not last.allocations:
            return
        days = (self.anchor - last.ended).days
        if days < 30 or rng.random() >= 0.22:
            return
        within = round(self.site.months_to_come_back * 30.4) - 5
        gap = _int(rng, 14, min(days - 3, within))
        introduced_at = _at(_weekday((last.ended + dt.timedelta(days=gap)).date()), _int(rng, 8, 19), rng.randrange(60))
        if introduced_at >= self.anchor - 2 * DAY:
            return
        person = life.person
        worker = last.allocations[-1].worker
        source, partner = self.come_back_source_picker(rng)
        words = _one(rng, data.COMING_BACK_WORDS).format(
            trigger=_one(rng, data.COMING_BACK_TRIGGERS), worker=worker.first_name
        )
        intro = self._introduction(
            rng, person, life.locality_index, introduced_at, source, partner, words, life.heritage,
            demo=False, open_now=False,
        )  # fmt: skip
        coordinator = self.coordinator_picker(rng)
        matched_at = introduced_at + _mins(rng, 5, 240)
        back_at = matched_at + _mins(rng, 10, 150)
        if back_at.hour >= 18:
            back_at = _at(_weekday(back_at.date() + DAY), 9, rng.randrange(0, 60, 5))
        if back_at >= self.anchor:
            return
        team = self.teams[last.team_index]
        note = f"Back with {team.name}, with {worker.name}"
        events: list[tuple[dt.datetime, str, _Worker | None, str, str, str]] = [
            (introduced_at, EventKind.INTRODUCED, intro.introducer, "", IntroductionState.NEW, ""),
        ]
        if person.nhs_number and rng.random() < 0.6:
            events.append((matched_at, EventKind.MATCHED, None, IntroductionState.NEW, IntroductionState.NEW,
                           "Same NHS number as someone we know"))  # fmt: skip
        else:
            events.append((matched_at, EventKind.MATCHED, coordinator, IntroductionState.NEW, IntroductionState.NEW,
                           "Confirmed by a coordinator"))  # fmt: skip
            reasons = [
                "same date of birth",
                "same family name",
                "same postcode" if person.postcode else "same first name",
            ]
            self._match_row(rows, rng, intro, person, 0.85, reasons, decided_by=coordinator, decided_at=matched_at)
        events.append(
            (back_at, EventKind.RETURNED, coordinator, IntroductionState.NEW, IntroductionState.RETURNED, note)
        )
        for at, kind, actor, from_state, to_state, event_note in events:
            rows.events.append(
                [intro.id, at, kind, actor.user_id if actor else None, actor.name if actor else "", from_state,
                 to_state, event_note]
            )  # fmt: skip
        rows.introductions.append(
            self._introduction_row(intro, state=IntroductionState.RETURNED, state_changed_at=back_at,
                                   updated_at=back_at, closed_reason=note)
        )  # fmt: skip
        life.introductions += 1
        if source == Source.SELF:
            # What brought them back is added to their story with the date, never over their words.
            story = life.story
            story[3] = f"{story[3].rstrip()}\n\n{back_at.day} {back_at:%B %Y}, coming back: {words}"
            story[2], story[8], story[9] = back_at, coordinator.user_id, story[9] + 1
        days_supported = max(21, min(400, round(rng.lognormvariate(math.log(100), 0.6))))
        ended: dt.datetime | None = back_at + dt.timedelta(days=days_supported)
        if ended is not None and ended >= self.anchor:
            ended = None
        # They asked for their last worker again, who is still in the team.
        note = _one(rng, data.NAMED_WORKER_NOTES[:1] + data.COMING_BACK_NOTES).format(first=worker.first_name)
        wanted = _Wanted(last.wanted.kind, worker=worker, note=note)
        period = _Period(
            id=_uuid(rng),
            team_index=last.team_index,
            started=back_at,
            ended=ended,
            wanted=wanted,
            opened_by=coordinator.user_id,
            resumed_from=last,
        )
        # Their last worker is still in the team, so comes back too (as the person asked, by definition).
        allocation = _Alloc(_uuid(rng), worker, back_at, allocated_by=coordinator)
        if ended is not None:
            allocation.ended, allocation.end_reason = ended, data.MOVED_ON
        period.allocations.append(allocation)
        life.periods.append(period)
        if intro.unsafe_now == UnsafeNow.YES:
            reason = f"{person.display_name} came back and said something is making them feel unsafe right now"
            cleared = back_at + _mins(rng, 60, 6 * 60)
            self._flag(
                rng, life, period, rows, back_at, reason, coordinator, cleared if cleared < self.anchor else None
            )

    # -- not seen lately -----------------------------------------------------------------------------

    def _quiet(self, rng: random.Random, life: _Life, period: _Period) -> None:
        """A few people have not been seen for longer than the site's weeks, so the huddle has some to talk about."""
        if life.demo or period.ended is not None or not period.allocations:
            return
        weeks = self.site.weeks_before_not_seen_flag
        since = period.allocations[0].started + dt.timedelta(days=14)
        if (self.anchor - since).days < 7 * weeks + 10 or rng.random() >= 0.05:
            return
        quiet_from = self.anchor - dt.timedelta(days=_int(rng, 7 * weeks + 3, 7 * weeks + 40))
        period.quiet_from = max(quiet_from, since)

    # -- the Living Well plan --------------------------------------------------------------------------

    def _by(self, worker: _Worker) -> tuple[uuid.UUID, str]:
        return worker.user_id, worker.name

    def _living_well_plan(self, rng: random.Random, life: _Life, rows: _Rows) -> _PlanState | None:
        """The person's plan: one for all their support periods, made a week or two after their worker started."""
        weeks = dt.timedelta(weeks=self.site.weeks_between_plan_reviews)
        plan: _PlanState | None = None
        due = self.today
        for period in life.periods:
            if not period.allocations:
                continue
            first = period.allocations[0]
            window_end = period.end(self.anchor)
            if period.quiet_from is not None:
                window_end = min(window_end, period.quiet_from)
            if plan is None:
                # Most people supported for more than a few weeks have a plan.
                if (window_end - first.started).days < 21 or (not life.demo and rng.random() >= 0.93):
                    continue
                created = self._meeting(rng, first.started + dt.timedelta(days=_int(rng, 5, 18)))
                if created >= window_end:
                    continue
                plan = _PlanState(_uuid(rng), created)
                self._plan_start(rng, life, period, plan, created, window_end)
                due = created.date() + weeks
                plan.review_due.append((created, due))
            elif period.resumed_from is not None:
                # Picked up where they left off: the plan is due for review at once.
                due = period.started.date()
                plan.review_due.append((period.started, due))
            else:
                # Back through a new first conversation, long after: the plan is looked at afresh.
                at = self._meeting(rng, first.started + dt.timedelta(days=_int(rng, 5, 18)))
                if at >= window_end:
                    continue
                due = at.date()
            due = self._reviews(rng, life, period, plan, due, window_end, rows)
        if plan is not None and life.demo:
            self._demo_own_goal(rng, life, plan)
        return plan

    def _plan_start(
        self,
        rng: random.Random,
        life: _Life,
        period: _Period,
        plan: _PlanState,
        at: dt.datetime,
        window_end: dt.datetime,
    ) -> None:
        worker = period.worker_at(at)
        assert worker is not None
        by = self._by(worker)
        outcomes: list[str]
        if life.demo:
            outcomes = [BigThree.RECOVER, BigThree.CHOICES, BigThree.PARTICIPATE, BigThree.RECOVER]
        else:
            outcomes = [self.goal_outcome_picker(rng) for _ in range(self.goal_count_picker(rng))]
        owners = (ActionOwner.PERSON, ActionOwner.WORKER, ActionOwner.NETWORK, ActionOwner.COMMUNITY)
        for position, outcome in enumerate(outcomes):
            goal = self._new_goal(rng, life, plan, outcome, at, by)
            count = 2 if life.demo else _one(rng, (1, 1, 2, 2, 3))
            prefer = owners[position % len(owners)] if life.demo else ""
            self._goal_actions(rng, life, period, plan, goal, count, at, window_end, prefer=prefer)
        plan.changes.append((at, by, "", "start"))
        if life.demo or rng.random() < 0.6:
            # The safety plan, written together at the same meeting or a later one.
            when = at if rng.random() < 0.5 else self._meeting(rng, at + dt.timedelta(days=_int(rng, 7, 28)))
            if when < window_end:
                helper = period.worker_at(when) or worker
                plan.safety.append((when, self._safety_plan(rng, life, helper), self._by(helper)))
                plan.changes.append((when, self._by(helper), "", "safety"))
        if life.demo or rng.random() < 0.85:
            agreed = at + _mins(rng, 10, 50)
            if agreed < window_end:
                plan.agreements.append((agreed, AgreedHow.IN_CONVERSATION, worker.user_id, ""))

    def _new_goal(
        self,
        rng: random.Random,
        life: _Life,
        plan: _PlanState,
        outcome: str,
        at: dt.datetime,
        by: tuple[uuid.UUID, str],
    ) -> _GoalState:
        used = {g.words for g in plan.goals}
        religion = life.person.religion
        ideas = [i for i in data.GOALS[outcome] if i.words not in used and (not i.faith or i.faith == religion)]
        idea = ideas[rng.randrange(len(ideas))]
        goal = _GoalState(_uuid(rng), idea.words, outcome, len(plan.goals), at, by, idea)
        plan.goals.append(goal)
        return goal

    def _tie(self, rng: random.Random, life: _Life) -> _Tie | None:
        """Someone from the person's own network to do something: whoever they want involved, if anyone."""
        pool = life.ties
        if pool is None:
            close = [t for t in life.network if t.kind != "professional"]
            pool = life.ties = [t for t in close if t.wants_involved] or close
        return _one(rng, pool) if pool else None

    def _goal_actions(
        self,
        rng: random.Random,
        life: _Life,
        period: _Period,
        plan: _PlanState,
        goal: _GoalState,
        count: int,
        at: dt.datetime,
        window_end: dt.datetime,
        *,
        prefer: str = "",
    ) -> None:
        assert goal.idea is not None
        taken = {a.what for a in plan.actions if a.goal_id == goal.id}
        tie = self._tie(rng, life)
        options = [a for a in goal.idea.actions if a[0] != ActionOwner.NETWORK or tie is not None]
        rng.shuffle(options)
        if prefer:
            options.sort(key=lambda a: a[0] != prefer)
        for owner, what, offer in options[: count + 2]:
            if count <= 0:
                break
            action = self._add_action(rng, life, period, plan, goal, owner, what, offer, at, window_end, tie)
            if action.what in taken:
                plan.actions.remove(action)
                continue
            taken.add(action.what)
            count -= 1

    def _add_action(
        self,
        rng: random.Random,
        life: _Life,
        period: _Period,
        plan: _PlanState,
        goal: _GoalState | None,
        owner: str,
        what: str,
        offer: str,
        at: dt.datetime,
        window_end: dt.datetime,
        tie: _Tie | None,
    ) -> _ActionState:
        worker = period.worker_at(at)
        assert worker is not None
        place = _one(rng, data.PLACES[data.LOCALITIES[life.locality_index][0]])
        what = what.format(who=tie.first if tie else "", place=place)
        what = what[0].upper() + what[1:]
        owner_worker = owner_relationship = None
        if owner == ActionOwner.WORKER:
            owner_worker, who = worker.user_id, worker.name
        elif owner == ActionOwner.NETWORK:
            assert tie is not None
            owner_relationship, who = tie.id, tie.name
        elif owner == ActionOwner.COMMUNITY:
            who = offer
        else:
            who = ""
        due = None if rng.random() < 0.08 else at.date() + dt.timedelta(days=_one(rng, (7, 14, 14, 21, 28, 42, 56)))
        by = self._by(worker)
        action = _ActionState(
            _uuid(rng), goal.id if goal else None, what, owner, who, owner_worker, owner_relationship, who, due, at, by
        )
        plan.actions.append(action)
        # How it went: most are done, around when they were due; a few are put aside; the rest still to do.
        r = rng.random()
        span = (due - at.date()).days if due else 30
        if r < 0.05:
            status, when = ActionStatus.NOT_DOING, self._meeting(rng, at + dt.timedelta(days=_int(rng, 5, 30)))
        elif r < 0.72:
            days = max(1, round(span * rng.uniform(0.3, 1.3)))
            status, when = ActionStatus.DONE, self._meeting(rng, at + dt.timedelta(days=days))
        else:
            return action
        if when < window_end and when > at:
            marker = period.worker_at(when) or worker
            changed_by = self._by(marker)
            if life.demo and owner == ActionOwner.PERSON and status == ActionStatus.DONE and when > self.demo_joined:
                changed_by = (self.demo_person_user.id, self.demo_person_user.display_name)  # ticked off signed in
            action.status, action.changed_at, action.changed_by = status, when, changed_by
            plan.changes.append((when, changed_by, "", "status"))
        return action

    def _safety_plan(self, rng: random.Random, life: _Life, worker: _Worker) -> dict[str, str]:
        locality = data.LOCALITIES[life.locality_index][0]
        close = [t for t in life.network if t.kind != "professional"]
        who = close[0] if close else None
        place = _one(rng, data.PLACES[locality])
        helps = [h for h in data.WHAT_HELPS if who is not None or "{who}" not in h]
        people = [f"{t.name}{f': {t.contact}' if t.contact else ''}" for t in close[:2]]
        people += [place[0].upper() + place[1:], data.DROP_INS[locality][0].upper() + data.DROP_INS[locality][1:]]
        crisis = [
            f"My worker, {worker.name}, through the team: 020 7946 0{rng.randrange(1000):03d}, Monday to Friday, 9am to 5pm."
        ]
        if who is not None and who.contact:
            crisis.append(f"{who.first}: {who.contact}.")
        crisis += [*rng.sample(data.CRISIS_LINES, 2), data.EMERGENCY_LINE]
        return {
            "warning_signs": "\n".join(rng.sample(data.WARNING_SIGNS, _int(rng, 2, 4))),
            "what_helps": "\n".join(
                h.format(who=who.first if who else "", place=place) for h in rng.sample(helps, _int(rng, 2, 4))
            ),
            "people_and_places": "\n".join(people),
            "crisis_contacts": "\n".join(crisis),
        }

    def _reviews(
        self,
        rng: random.Random,
        life: _Life,
        period: _Period,
        plan: _PlanState,
        due: dt.date,
        window_end: dt.datetime,
        rows: _Rows,
    ) -> dt.date:
        """Reviews about every N weeks while the worker is in touch; late ones leave the plan overdue."""
        weeks = self.site.weeks_between_plan_reviews
        floor = max(plan.created_at + dt.timedelta(days=10), period.allocations[0].started + DAY)
        fresh = period.resumed_from is None and period.started > plan.created_at  # back after a long time
        while True:
            late = _int(rng, -10, 12) if rng.random() < 0.7 else _int(rng, 13, 60)
            if life.demo:
                late = _int(rng, -7, 0)
            if fresh:
                late = 0
            held_at = self._meeting(rng, _at(due + dt.timedelta(days=late), 12))
            if held_at < floor:
                held_at = self._meeting(rng, floor + dt.timedelta(days=_int(rng, 0, 6)))
            due_at = _at(due, 9)
            if self.huddle_start <= due_at < min(held_at, self.anchor) and period.ended is None:
                self._huddle_item(period, due_at, "review", life, worker=period.worker_at(due_at))
            if held_at >= window_end:
                return due
            worker = period.worker_at(held_at)
            assert worker is not None
            by = self._by(worker)
            self._review_changes(rng, life, period, plan, held_at - _mins(rng, 3, 10), window_end, by, fresh=fresh)
            held_on = held_at.date()
            next_due = held_on + dt.timedelta(weeks=8 if rng.random() < 0.15 else weeks)
            with_person = life.demo or rng.random() < 0.93
            if fresh:
                what_changes = f"{life.name} is back, so we looked at the plan afresh: new goals, and the old ones set aside for now."
            else:
                what_changes = _one(rng, data.WHAT_CHANGES)
            rows.reviews.append(
                [
                    _uuid(rng), held_at, held_at, plan.id, held_on, with_person,
                    _one(rng, data.HOW_IT_IS_GOING) if with_person else "", what_changes, next_due, worker.user_id,
                ]
            )  # fmt: skip
            summary = f"Recorded a review held on {date_text(held_on)}"
            summary += "" if with_person else f", without {life.person.display_name}"
            summary += f". Next review by {date_text(next_due)}"
            plan.review_due.append((held_at, next_due))
            plan.changes.append((held_at, by, summary, "review"))
            plan.reviews.append((held_at, with_person, worker))
            if rng.random() < 0.5:
                agreed = held_at + _mins(rng, 5, 30)
                if agreed < window_end:
                    plan.agreements.append((agreed, AgreedHow.IN_CONVERSATION, worker.user_id, ""))
            due, fresh = next_due, False
            floor = held_at + dt.timedelta(days=14)

    def _review_changes(
        self,
        rng: random.Random,
        life: _Life,
        period: _Period,
        plan: _PlanState,
        at: dt.datetime,
        window_end: dt.datetime,
        by: tuple[uuid.UUID, str],
        *,
        fresh: bool,
    ) -> None:
        """What changes in the plan at a review: goals achieved or set aside, new steps, now and then a new goal."""
        changed = False
        for goal in plan.goals:
            if goal.changed_at is not None or goal.created_at >= at:
                continue
            r = rng.random()
            if fresh or ((at - goal.created_at).days > 42 and r < 0.33):
                achieved = not fresh and r < 0.28
                goal.status = GoalStatus.ACHIEVED if achieved else GoalStatus.SET_ASIDE
                goal.changed_at, goal.changed_by, changed = at, by, True
        working = [g for g in plan.goals if g.changed_at is None]
        if fresh or not working or (rng.random() < 0.18 and len(plan.goals) < 6):
            outcome = self.goal_outcome_picker(rng)
            goal = self._new_goal(rng, life, plan, outcome, at, by)
            self._goal_actions(rng, life, period, plan, goal, _one(rng, (1, 2)), at, window_end)
            changed = True
        elif rng.random() < 0.4:
            goal = working[rng.randrange(len(working))]
            before = len(plan.actions)
            self._goal_actions(rng, life, period, plan, goal, _one(rng, (1, 1, 2)), at, window_end)
            changed = changed or len(plan.actions) > before
        if plan.safety and rng.random() < 0.2:
            _, fields, _ = plan.safety[-1]
            worker = period.worker_at(at)
            assert worker is not None
            fresh_fields = self._safety_plan(rng, life, worker)
            updated = dict(fields, what_helps=fresh_fields["what_helps"])
            if updated != fields:
                plan.safety.append((at, updated, by))
                changed = True
        if changed:
            plan.changes.append((at, by, "", "review changes"))

    def _demo_own_goal(self, rng: random.Random, life: _Life, plan: _PlanState) -> None:
        """The demo person, signed in, adds a goal of their own and agrees to the plan as it now stands."""
        user = self.demo_person_user
        by = (user.id, user.display_name)
        last = max(change[0] for change in plan.changes)
        at = max(last + dt.timedelta(days=2), self.anchor - dt.timedelta(days=6))
        at = at.replace(hour=20, minute=40)
        goal = _GoalState(
            _uuid(rng), "Learn to swim properly this summer.", BigThree.PARTICIPATE, len(plan.goals), at, by
        )
        plan.goals.append(goal)
        what = "Ask at the leisure centre about adult lessons"
        due = (at + dt.timedelta(days=21)).date()
        plan.actions.append(
            _ActionState(_uuid(rng), goal.id, what, ActionOwner.PERSON, "", None, None, "", due, at, by)
        )
        plan.changes.append((at, by, "", "own goal"))
        comment = "I added the swimming. Happy with the rest."
        plan.agreements.append((at + dt.timedelta(minutes=4), AgreedHow.SIGNED_IN, user.id, comment))

    @staticmethod
    def _goal_item(g: _GoalState, at: dt.datetime) -> tuple[dict[str, Any], str]:
        """The goal as it stood at `at`, as support.services.plans.goal_item words it (made once per state)."""
        changed = g.changed_at is not None and g.changed_at <= at
        item = g.items.get(changed)
        if item is None:
            goal = SimpleNamespace(
                pk=g.id,
                words=g.words,
                outcome=g.outcome,
                status=g.status if changed else GoalStatus.WORKING_ON,
                created_by=SimpleNamespace(name=g.by[1]),
                created_by_id=g.by[0],
                created_at=g.created_at,
            )
            value = plan_services.goal_item(cast(Goal, goal))
            item = g.items[changed] = (value, json.dumps(value, separators=_COMPACT))
        return item

    @staticmethod
    def _action_item(a: _ActionState, at: dt.datetime) -> tuple[dict[str, Any], str]:
        """The action as it stood at `at`, as support.services.plans.action_item words it."""
        changed = a.changed_at is not None and a.changed_at <= at
        item = a.items.get(changed)
        if item is None:
            status = a.status if changed else ActionStatus.TO_DO
            who = SimpleNamespace(name=a.who)
            action = SimpleNamespace(
                pk=a.id,
                what=a.what,
                goal_id=a.goal_id,
                owner=a.owner,
                owner_worker=who if a.owner == ActionOwner.WORKER else None,
                owner_relationship=who if a.owner == ActionOwner.NETWORK else None,
                owner_name=a.owner_name,
                due=a.due,
                status=status,
                done_at=a.changed_at if changed and status == ActionStatus.DONE else None,
                created_by=SimpleNamespace(name=a.by[1]),
                created_by_id=a.by[0],
            )
            value = plan_services.action_item(cast(PlanAction, action))
            item = a.items[changed] = (value, json.dumps(value, separators=_COMPACT))
        return item

    def _snapshot(self, plan: _PlanState, at: dt.datetime) -> tuple[dict[str, Any], _RawJSON]:
        """The whole plan as it stood at `at`, as support.services.plans.snapshot_of gives it (goals and
        actions made by its own goal_item and action_item): as a dict, to say what changed, and as JSON
        put together from its parts' JSON (each part is turned into JSON once)."""
        goals = sorted((g for g in plan.goals if g.created_at <= at), key=lambda g: (g.position, g.created_at))
        actions = [a for a in plan.actions if a.created_at <= at]
        # As the plan service orders them, with the id (the primary key) last so that the order is total.
        actions.sort(key=lambda a: (a.due is None, a.due or dt.date.min, a.created_at, a.id.hex))
        safety: tuple[dict[str, str], str] = _NO_SAFETY_PLAN
        for index, (when, fields, _) in enumerate(plan.safety):
            if when <= at:
                while len(plan.safety_json) <= index:
                    plan.safety_json.append(json.dumps(plan.safety[len(plan.safety_json)][1], separators=_COMPACT))
                safety = (fields, plan.safety_json[index])
        review_due = None
        for when, due in plan.review_due:
            if when <= at:
                review_due = due.isoformat()
        goal_items = [self._goal_item(g, at) for g in goals]
        action_items = [self._action_item(a, at) for a in actions]
        snapshot = {
            "review_due": review_due,
            "goals": [item for item, _ in goal_items],
            "actions": [item for item, _ in action_items],
            "safety_plan": safety[0],
        }
        text = '{"review_due":%s,"goals":[%s],"actions":[%s],"safety_plan":%s}' % (  # noqa: UP031
            json.dumps(review_due),
            ",".join(text for _, text in goal_items),
            ",".join(text for _, text in action_items),
            safety[1],
        )
        return snapshot, _RawJSON(text)

    def _write_plan(self, rng: random.Random, life: _Life, plan: _PlanState, rows: _Rows) -> None:
        """Every change a version (who, when, what changed in plain words, the whole plan); then the rows.

        Actions ticked off between meetings are recorded with the next change to the plan when that is
        within days, as a worker does at the next meeting.
        """
        changes = sorted(plan.changes, key=operator.itemgetter(0))
        previous: dict[str, Any] | None = None
        times: list[dt.datetime] = []
        for index, (at, (user_id, name), summary, kind) in enumerate(changes):
            if (
                kind == "status"
                and index + 1 < len(changes)
                and changes[index + 1][0] - at < _RECORDED_WITH_NEXT
                and changes[index + 1][1][0] == user_id
            ):
                continue  # recorded by the same person with their next change
            snapshot, text = self._snapshot(plan, at)
            if not summary:
                lines = _what_changed(previous, snapshot)
                if not lines:
                    continue  # already in the version before, written at the same moment
                summary = "; ".join(lines)
            if len(summary) > 500:
                summary = summary[:499] + "…"
            times.append(at)
            rows.plan_versions.append([plan.id, len(times), at, user_id, name, summary, text])
            previous = snapshot
        agreed: set[int] = set()
        for at, how, by, comment in sorted(plan.agreements, key=operator.itemgetter(0)):
            number = bisect.bisect_right(times, at)
            if number and number not in agreed:  # nobody agrees to the same version twice
                agreed.add(number)
                if not comment and how == AgreedHow.IN_CONVERSATION:
                    comment = _one(rng, data.PLAN_AGREEMENT_COMMENTS)
                rows.agreements.append([_uuid(rng), at, at, plan.id, number, at, how, by, comment])
        review_due = plan.review_due[-1][1] if plan.review_due else None
        rows.plans.append([plan.id, plan.created_at, times[-1], life.person.id, review_due, len(times)])
        for g in plan.goals:
            changed_by = g.changed_by or g.by
            rows.goals.append(
                [
                    g.id, g.created_at, g.changed_at or g.created_at, plan.id, g.words, g.outcome, g.status,
                    g.position, 2 if g.changed_at else 1, g.by[0], changed_by[0],
                ]
            )  # fmt: skip
        for a in plan.actions:
            changed_by = a.changed_by or a.by
            done_at = a.changed_at if a.status == ActionStatus.DONE else None
            rows.actions.append(
                [
                    a.id, a.created_at, a.changed_at or a.created_at, plan.id, a.goal_id, a.what, a.owner,
                    a.owner_worker, a.owner_relationship, a.owner_name, a.due, a.status, done_at,
                    2 if a.changed_at else 1, a.by[0], changed_by[0],
                ]
            )  # fmt: skip
        if plan.safety:
            first_at = plan.safety[0][0]
            last_at, fields, (by_id, _) = plan.safety[-1]
            rows.safety_plans.append(
                [
                    plan.id, first_at, last_at, fields["warning_signs"], fields["what_helps"],
                    fields["people_and_places"], fields["crisis_contacts"], len(plan.safety), by_id,
                ]
            )  # fmt: skip

    # -- contacts and notes ----------------------------------------------------------------------------

    def _contacts(self, rng: random.Random, life: _Life, period: _Period, rows: _Rows) -> None:
        """Weekly to monthly contact with the worker, in the ways the person likes; most with a note."""
        if not period.allocations:
            return
        locality = data.LOCALITIES[life.locality_index][0]
        cadence = 7 if life.demo else self.cadence_picker(rng)
        miss = 0.05 if life.demo else data.NOT_HELD_SHARE * rng.uniform(0.4, 1.6)
        end = period.end(self.anchor)
        seen = 0
        for allocation in period.allocations:
            stop = min(allocation.ended or end, end)
            at = self._meeting(rng, allocation.started + dt.timedelta(days=_int(rng, 1, 6)))
            first = True
            while at < stop:
                if period.quiet_from is not None and at >= period.quiet_from:
                    break
                mode = _one(rng, ("in_person", "in_person", "home_visit", "phone")) if first else self.mode_picker(rng)
                held = first or rng.random() >= miss
                seen += held
                withhold = life.demo and seen == 3 and held
                self._contact(rng, life, period, allocation.worker, at, mode, held, first, locality, rows, withhold)
                first = first and not held
                at = self._meeting(rng, at + dt.timedelta(days=max(2, cadence + _int(rng, -3, 3))))
        if period.quiet_from is not None:
            # Not seen: the worker keeps trying.
            room = (self.anchor - period.quiet_from).days - 1
            for _ in range(_int(rng, 1, 2)):
                at = self._meeting(rng, period.quiet_from + dt.timedelta(days=_int(rng, 7, max(8, room))))
                worker = period.worker_at(at)
                if at < self.anchor and worker is not None:
                    self._contact(rng, life, period, worker, at, "phone", False, False, locality, rows, quiet=True)

    def _contact(
        self,
        rng: random.Random,
        life: _Life,
        period: _Period,
        worker: _Worker,
        at: dt.datetime,
        mode: str,
        held: bool,
        first: bool,
        locality: str,
        rows: _Rows,
        withhold: bool = False,
        *,
        quiet: bool = False,
    ) -> None:
        place_words = ""  # as the worker writes it in the note
        if mode == "in_person":
            place_words = self._contact_places[life.locality_index][
                rng.randrange(len(self._contact_places[life.locality_index]))
            ]
        elif mode == "group":
            place_words = _one(rng, data.GROUPS[locality])
        place = "Home" if mode == "home_visit" else (place_words[0].upper() + place_words[1:] if place_words else "")
        duration: int | None = None
        if held:
            low, high = _DURATIONS[mode]
            duration = rng.randrange(low, high + 1, 5)
        others = ""
        other_worker: _Worker | None = None
        tie: _Tie | None = None
        if held and mode == "group":
            others = f"{_int(rng, 4, 12)} others at the group"
        elif held and mode in ("in_person", "home_visit") and rng.random() < 0.04:
            team = self.team_workers[period.team_index]
            other_worker = team[rng.randrange(len(team))]
            if other_worker.user_id == worker.user_id or other_worker.role == Role.TEAM_LEADER:
                other_worker = None
        if held and not others and mode in ("in_person", "home_visit", "video") and rng.random() < 0.08:
            tie = self._tie(rng, life)
            if tie is not None and tie.wants_involved:
                others = f"{tie.name} ({_KIND_WORDS.get(tie.kind, 'someone close')})"
        contact_id = _uuid(rng)
        written = min(at + dt.timedelta(minutes=(duration or 10) + _int(rng, 10, 180)), self.anchor - _mins(rng, 1, 30))
        written = max(written, at)
        status = ContactStatus.HELD if held else ContactStatus.NOT_HELD
        rows.contacts.append(
            [contact_id, written, written, life.person.id, period.id, at, mode, status, place, duration, others,
             worker.user_id]
        )  # fmt: skip
        rows.contact_workers.append([contact_id, worker.user_id])
        if other_worker is not None:
            rows.contact_workers.append([contact_id, other_worker.user_id])
        if not (withhold or quiet or rng.random() < (0.9 if held else 0.6)):
            return
        tie = tie or self._tie(rng, life)
        fill = {
            "name": life.name,
            "place": place_words or _one(rng, self._contact_places[life.locality_index]),
            "who": tie.first if tie else "a friend",
            "day": _WEEKDAYS[rng.randrange(5)],
            "other": f"{other_worker.name}, the {other_worker.title[0].lower()}{other_worker.title[1:]},"
            if other_worker
            else "",
        }
        because = reason = ""
        review_on: dt.date | None = None
        if withhold or (held and rng.random() < data.WITHHELD_SHARE):
            grounds = self.withheld_picker(rng)
            if withhold or (tie is None and "{who}" in data.WITHHELD[grounds][1]):
                grounds = 2 if tie is None else 0
            because, text, reason = data.WITHHELD[grounds]
            text, reason = text.format(**fill), reason.format(**fill)
            review_on = (written + dt.timedelta(days=90)).date()
        elif quiet:
            text = _one(rng, data.NOTE_QUIET).format(**fill)
        elif not held:
            text = _one(rng, _NOT_HELD_NOTES[mode]).format(**fill)
        else:
            parts = [_one(rng, data.NOTE_OPENINGS[mode])]
            if other_worker is not None:
                parts.append(data.NOTE_JOINT)
            if first:
                parts.append(_one(rng, data.NOTE_FIRST))
            else:
                parts += rng.sample(data.NOTE_MIDDLES, _one(rng, (1, 1, 2)))
            parts.append(_one(rng, data.NOTE_NEXT))
            text = " ".join(p for p in parts if p).format(**fill)
        note_id = _uuid(rng)
        rows.notes.append(
            [note_id, written, written, life.person.id, contact_id, written, worker.user_id, worker.name, text, None,
             because, reason, worker.user_id if because else None, review_on]
        )  # fmt: skip
        if held and mode == "in_person" and not because and rng.random() < 0.004:
            # Notes are never changed: a correction is a new note that says what it corrects.
            fixed = min(written + dt.timedelta(days=_int(rng, 1, 5)), self.anchor - _mins(rng, 1, 30))
            correction = data.CORRECTION.format(date=date_text(at.date()), place=fill["place"])
            rows.notes.append(
                [_uuid(rng), fixed, fixed, life.person.id, None, fixed, worker.user_id, worker.name, correction,
                 note_id, "", "", None, None]
            )  # fmt: skip

    # -- measures ------------------------------------------------------------------------------------------

    def _measures(self, life: _Life, plan: _PlanState | None, rows: _Rows) -> None:
        """Measures at realistic times: at the first conversation (DIALOG+ mostly, and for some a wellbeing
        measure, SWEMWBS or ReQoL-10), Goal Based Outcomes on the plan's goals when the plan is made, at
        reviews (most), and at moving on with the experience questions; a few forms started and not
        finished. Answers follow the person's `_Trajectory`; every score is the scoring engine's own.
        """
        rng = random.Random(life.person.id.int ^ _MEASURES_SALT)
        if life.demo:
            self._demo_measures(rng, life, plan, rows)
            return
        if rng.random() < 0.1:
            return  # some people never complete a measure
        way = _Trajectory(
            rng,
            start=max(-2.2, min(2.2, rng.gauss(0, 0.9))),
            drift=rng.gauss(0.3, 0.45),
            wellbeing=self.wellbeing_picker(rng),
            skipped=frozenset(k for k, share in data.DIALOG_SKIPPED.items() if rng.random() < share),
        )
        # (when, occasion, period, worker, instruments, with topics)
        sittings: list[tuple[dt.datetime, str, _Period, _Worker, list[str], bool]] = []
        gbo = False
        for period in life.periods:
            end = period.end(self.anchor)
            if period.quiet_from is not None:
                end = min(end, period.quiet_from)
            if period.met_at is not None and period.met_by is not None and period.resumed_from is None:
                at = period.met_at + _mins(rng, 25, 50)
                chosen = [c for c, share in (("dialog", 0.72), (way.wellbeing, 0.7)) if c and rng.random() < share]
                if chosen and at < self.anchor:
                    sittings.append((at, Occasion.FIRST_CONVERSATION, period, period.met_by, chosen, False))
            if plan is not None and period.started <= plan.created_at < end and plan.goals and rng.random() < 0.55:
                at = plan.created_at + _mins(rng, 20, 45)
                worker = period.worker_at(plan.created_at)
                if at < end and worker is not None:
                    gbo = True
                    sittings.append((at, Occasion.CHECK_IN, period, worker, ["gbo"], False))
            for held_at, with_person, worker in plan.reviews if plan is not None else ():
                if not with_person or not period.started <= held_at < end:
                    continue
                chosen = [
                    c
                    for c, share in (("dialog", 0.65), ("gbo" if gbo else "", 0.6), (way.wellbeing, 0.55))
                    if c and rng.random() < share
                ]
                if chosen:
                    at = held_at - _mins(rng, 15, 35)
                    sittings.append((at, Occasion.REVIEW, period, worker, chosen, "dialog" in chosen))
            if (
                period.ended is not None
                and period.ended < self.anchor
                and period.allocations
                and period.moved_on_reason != MovingOnReason.LOST_TOUCH
            ):
                shares = (("dialog", 0.6), ("gbo" if gbo else "", 0.55), (way.wellbeing, 0.5), ("experience", 0.65))
                chosen = [c for c, share in shares if c and rng.random() < share]
                if chosen:
                    at = period.ended - _mins(rng, 15, 60)
                    sittings.append((at, Occasion.MOVING_ON, period, period.allocations[-1].worker, chosen, False))
        sittings.sort(key=operator.itemgetter(0))
        for at, occasion, period, worker, chosen, talk in sittings:
            way.step(at)
            for code in chosen:
                self._measure(rng, life, plan, way, period, code, occasion, at, worker, rows, topics=talk)
        # A few people have a form started and not finished.
        last = life.periods[-1]
        if last.ended is None and last.allocations and last.quiet_from is None and rng.random() < 0.04:
            at = self._meeting(rng, self.anchor - dt.timedelta(days=_int(rng, 1, 20)))
            if at < self.anchor and at > max([last.started, *(s[0] for s in sittings)]):
                way.step(at)
                worker = last.worker_at(at)
                assert worker is not None
                self._measure(rng, life, plan, way, last, "dialog", Occasion.CHECK_IN, at, worker, rows, draft=True)

    def _answers(
        self, rng: random.Random, way: _Trajectory, code: str, at: dt.datetime, plan: _PlanState | None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The person's answers (by item key) to one instrument now, and for Goal Based Outcomes the goals."""
        instrument = self.instruments[code]
        level, start = way.level, way.start
        answers: dict[str, Any] = {}
        goals: dict[str, Any] = {}
        if code == "dialog":
            for item in instrument.items:
                if item.key in way.skipped:
                    answers[item.key] = None
                    continue
                base, weight = way.item(code, item.key, 3.5 + 0.8 * start + data.DIALOG_OFFSETS[item.key], 0.6)
                answers[item.key] = max(1, min(7, round(base + weight * level + rng.gauss(0, 0.4))))
        elif code == "swemwbs":
            for item in instrument.items:
                base, weight = way.item(code, item.key, 2.5 + 0.55 * start, 0.35)
                answers[item.key] = max(1, min(5, round(base + 0.75 * weight * level + rng.gauss(0, 0.45))))
        elif code == "reqol10":
            for item in instrument.items:
                base, weight = way.item(code, item.key, 1.7 + 0.6 * start, 0.35)
                points = max(0, min(4, round(base + 0.8 * weight * level + rng.gauss(0, 0.45))))
                answers[item.key] = item.maximum - points if item.reverse else points  # as ticked on the form
        elif code == "experience":
            for item, weights in zip(instrument.items, _EXPERIENCE_WEIGHTS, strict=True):
                if rng.random() < 0.05:
                    continue
                value = rng.random() * sum(weights)
                answers[item.key] = item.minimum + bisect.bisect(list(itertools.accumulate(weights)), value)
        elif code == "gbo" and plan is not None:
            # The plan's goals the person is working on (or has reached): each keeps its slot while it is
            # rated, and a goal set aside frees its slot for a new one.
            rated = [
                g
                for g in plan.goals
                if g.created_at <= at
                and not (g.status == GoalStatus.SET_ASIDE and g.changed_at is not None and g.changed_at <= at)
            ]
            used = {way.goals[g.id][3] for g in rated if g.id in way.goals}
            for goal in rated:
                known = way.goals.get(goal.id)
                if known is None:
                    free = [key for key in ("goal_1", "goal_2", "goal_3") if key not in used]
                    if not free:
                        continue
                    known = way.goals[goal.id] = (
                        rng.uniform(1, 4.5),
                        max(-0.3, rng.gauss(0.35 + 0.4 * way.drift, 0.35)),
                        at,
                        free[0],
                    )
                    used.add(free[0])
                base, rate, since, slot = known
                months = (at - since).total_seconds() / (30 * 86400)
                rating = max(0, min(10, round(base + rate * months + rng.gauss(0, 0.7))))
                if goal.status == GoalStatus.ACHIEVED and goal.changed_at is not None and goal.changed_at <= at:
                    rating = max(rating, _int(rng, 8, 10))
                answers[slot] = rating
                goals[slot] = {"words": goal.words, "goal_id": str(goal.id)}
        return answers, goals

    def _measure(
        self,
        rng: random.Random,
        life: _Life,
        plan: _PlanState | None,
        way: _Trajectory,
        period: _Period,
        code: str,
        occasion: str,
        at: dt.datetime,
        worker: _Worker,
        rows: _Rows,
        *,
        topics: bool = False,
        draft: bool = False,
        how: str = CompletedHow.TOGETHER,
        by: uuid.UUID | None = None,
    ) -> None:
        """One measure row, scored by the scoring engine (as the service does when a measure is finished)."""
        answers, goals = self._answers(rng, way, code, at, plan)
        if not any(v is not None for v in answers.values()):
            return  # nothing to score (no goals yet, or every question skipped)
        instrument = self.instruments[code]
        more_help: dict[str, bool] = {}
        if code == "dialog":
            more_help = {k: rng.random() < _MORE_HELP[v] for k, v in answers.items() if v is not None}
        started = at - _mins(rng, *_MINUTES[code])
        by = by or worker.user_id
        if draft:
            # They stopped part of the way through the form.
            answers = {k: answers[k] for k in instrument.keys[: _int(rng, 2, len(instrument.keys) - 2)]}
            more_help = {k: v for k, v in more_help.items() if k in answers}
            rows.measures.append(
                [
                    _uuid(rng), started, at, life.person.id, period.id, code, instrument.version, occasion, how,
                    MeasureStatus.DRAFT, started, by, None, None, answers, more_help, goals, [], None, None, {}, 1,
                ]
            )  # fmt: skip
            return
        score = instrument.score_by_key(answers)
        talked: list[dict[str, Any]] = []
        if topics and code == "dialog" and plan is not None and rng.random() < 0.4:
            talked = self._dialog_topics(rng, life, period, plan, answers, more_help, at, worker)
        rows.measures.append(
            [
                _uuid(rng), started, at, life.person.id, period.id, code, instrument.version, occasion, how,
                MeasureStatus.COMPLETE, started, by, at, by, answers, more_help, goals, talked, score.total,
                score.metric_decimal, score.subscales, 1,
            ]
        )  # fmt: skip

    def _dialog_topics(
        self,
        rng: random.Random,
        life: _Life,
        period: _Period,
        plan: _PlanState,
        answers: dict[str, Any],
        more_help: dict[str, bool],
        at: dt.datetime,
        worker: _Worker,
        *,
        chosen: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        """DIALOG+: up to three areas talked about in four steps, most agreeing an action for the plan."""
        if not chosen:
            wanted = [k for k, v in answers.items() if v is not None and (more_help.get(k) or v <= 3)]
            wanted.sort(key=lambda k: (not more_help.get(k), answers[k], k))
            chosen = wanted[: _int(rng, 1, 3)]
        window_end = period.end(self.anchor)
        if period.quiet_from is not None:
            window_end = min(window_end, period.quiet_from)
        if life.demo:
            window_end = min(window_end, max(c[0] for c in plan.changes if c[3] == "own goal"))
        talked: list[dict[str, Any]] = []
        recorded = at
        for key in chosen:
            (understanding, looking_forward, exploring, agreeing), options = data.DIALOG_TOPICS[key]
            recorded += _mins(rng, 4, 9)
            if recorded >= window_end:
                break
            actions: list[str] = []
            if life.demo or rng.random() < 0.75:
                owner, what = options[0] if life.demo else _one(rng, options)
                action = self._add_action(rng, life, period, plan, None, owner, what, "", recorded, window_end, None)
                actions.append(str(action.id))
            else:
                agreeing = data.DIALOG_NOTHING_NEW
            talked.append(
                {
                    "key": key,
                    "understanding": understanding,
                    "looking_forward": looking_forward,
                    "exploring_options": exploring,
                    "agreeing_actions": agreeing,
                    "actions": actions,
                    "recorded_at": recorded.astimezone(dt.UTC).isoformat(),
                }
            )
        if any(topic["actions"] for topic in talked):
            plan.changes.append((recorded, self._by(period.worker_at(recorded) or worker), "", "dialog topics"))
        return talked

    def _demo_measures(self, rng: random.Random, life: _Life, plan: _PlanState | None, rows: _Rows) -> None:
        """The demo person's measures, the same on every build: DIALOG+ at the first conversation, at their
        review (with two areas talked about, which became actions in their plan) and on their own a fortnight
        ago, signed in; Goal Based Outcomes on their plan's goals from when it was made; SWEMWBS twice; and a
        DIALOG form they started two days ago and have not finished."""
        period = life.periods[-1]
        assert plan is not None and period.met_at is not None and period.met_by is not None and plan.reviews
        worker = period.allocations[0].worker
        user = self.demo_person_user.id
        review_at, _, review_worker = plan.reviews[0]
        review_at -= dt.timedelta(minutes=25)
        first_at = period.met_at + dt.timedelta(minutes=40)
        own_at = _at((self.anchor - dt.timedelta(days=13)).date(), 19, 30)
        draft_at = _at((self.anchor - dt.timedelta(days=2)).date(), 21, 5)
        goals = [g for g in plan.goals if g.by[0] != user][:3]
        plan_at = plan.created_at + dt.timedelta(minutes=30)

        def write(code: str, occasion: str, at: dt.datetime, answers: dict[str, Any], **more: Any) -> None:
            instrument = self.instruments[code]
            how, by = more.pop("how", CompletedHow.TOGETHER), more.pop("by", worker.user_id)
            started = at - dt.timedelta(minutes=12)
            status = more.pop("status", MeasureStatus.COMPLETE)
            score = instrument.score_by_key(answers) if status == MeasureStatus.COMPLETE else None
            rows.measures.append(
                [
                    _uuid(rng), started, at, life.person.id, period.id, code, instrument.version, occasion, how,
                    status, started, by, at if score else None, by if score else None, answers,
                    more.get("more_help", {}), more.get("goals", {}), more.get("topics", []),
                    score.total if score else None, score.metric_decimal if score else None,
                    score.subscales if score else {}, 1,
                ]
            )  # fmt: skip

        dialog = self.instruments["dialog"]
        for at, occasion, values, help_wanted, how, by in (
            (first_at, Occasion.FIRST_CONVERSATION, _DEMO_DIALOG[0], _DEMO_MORE_HELP[0], CompletedHow.TOGETHER, period.met_by.user_id),
            (review_at, Occasion.REVIEW, _DEMO_DIALOG[1], _DEMO_MORE_HELP[1], CompletedHow.TOGETHER, review_worker.user_id),
            (own_at, Occasion.CHECK_IN, _DEMO_DIALOG[2], _DEMO_MORE_HELP[2], CompletedHow.OWN, user),
        ):  # fmt: skip
            answers = dict(zip(dialog.keys, values, strict=True))
            more_help = {k: k in help_wanted for k, v in answers.items() if v is not None}
            topics: list[dict[str, Any]] = []
            if occasion == Occasion.REVIEW:
                topics = self._dialog_topics(
                    rng,
                    life,
                    period,
                    plan,
                    answers,
                    more_help,
                    at,
                    review_worker,
                    chosen=("friendships", "job_situation"),
                )
            write("dialog", occasion, at, answers, how=how, by=by, more_help=more_help, topics=topics)
        for at, occasion, ratings, how, by in (
            (plan_at, Occasion.CHECK_IN, (2, 3, 1), CompletedHow.TOGETHER, worker.user_id),
            (review_at + dt.timedelta(minutes=10), Occasion.REVIEW, (4, 6, 1), CompletedHow.TOGETHER, review_worker.user_id),
            (own_at + dt.timedelta(minutes=15), Occasion.CHECK_IN, (6, 7, 3), CompletedHow.OWN, user),
        ):  # fmt: skip
            slots = [f"goal_{n}" for n in range(1, len(goals) + 1)]
            write(
                "gbo",
                occasion,
                at,
                dict(zip(slots, ratings, strict=False)),
                how=how,
                by=by,
                goals={slot: {"words": g.words, "goal_id": str(g.id)} for slot, g in zip(slots, goals, strict=False)},
            )
        swemwbs = self.instruments["swemwbs"]
        for at, occasion, values in (
            (first_at + dt.timedelta(minutes=8), Occasion.FIRST_CONVERSATION, (2, 2, 2, 3, 2, 3, 3)),
            (review_at + dt.timedelta(minutes=20), Occasion.REVIEW, (3, 3, 2, 3, 3, 3, 3)),
        ):
            write("swemwbs", occasion, at, dict(zip(swemwbs.keys, values, strict=True)), by=worker.user_id)
        draft = {"mental_health": 4, "physical_health": 4, "job_situation": 3}
        write(
            "dialog",
            Occasion.CHECK_IN,
            draft_at,
            draft,
            how=CompletedHow.OWN,
            by=user,
            status=MeasureStatus.DRAFT,
            more_help={"mental_health": False, "physical_health": False, "job_situation": True},
        )

    # -- moving on, flags, requests and the huddle -----------------------------------------------------

    def _moving_on(self, rng: random.Random, life: _Life, period: _Period, rows: _Rows) -> None:
        """The farewell summary, written with the person (or, when we lost touch, for them)."""
        assert period.ended is not None
        reason = period.moved_on_reason = self.moving_on_picker(rng)
        lost = reason == MovingOnReason.LOST_TOUCH
        worker = period.allocations[-1].worker if period.allocations else self.team_leaders[period.team_index]
        tie = self._tie(rng, life)
        fill = {"name": life.name, "who": tie.first if tie else "someone you trust"}
        what_helped = _one(rng, data.WHAT_HELPED_LOST_TOUCH if lost else data.WHAT_HELPED).format(**fill)
        rows.moving_ons.append(
            [
                _uuid(rng), period.ended, period.ended, period.id, period.ended, reason, what_helped,
                _one(rng, data.IF_THINGS_GET_HARD).format(**fill), _one(rng, data.HOW_TO_COME_BACK),
                "" if lost else _one(rng, data.PERSON_WORDS), not lost, worker.user_id,
            ]
        )  # fmt: skip

    def _flag(
        self,
        rng: random.Random,
        life: _Life,
        period: _Period,
        rows: _Rows,
        raised_at: dt.datetime,
        reason: str,
        raised_by: _Worker,
        cleared_at: dt.datetime | None,
    ) -> None:
        cleared_by = period.worker_at(cleared_at) if cleared_at else None
        cleared_by = cleared_by or (raised_by if cleared_at else None)
        note = _one(rng, data.FLAG_CLEARED).format(name=life.name) if cleared_at else ""
        rows.flags.append(
            [
                _uuid(rng), raised_at, cleared_at or raised_at, period.id, reason, raised_at, raised_by.user_id,
                cleared_at, cleared_by.user_id if cleared_by else None, note,
            ]
        )  # fmt: skip
        if cleared_at is None:
            self.open_flag_teams.add(period.team_index)
        if self.huddle_start <= raised_at < self.anchor:
            self._huddle_item(period, raised_at, "urgent", life, worker=period.worker_at(raised_at) or raised_by)

    def _flags_and_requests(self, rng: random.Random, life: _Life, period: _Period, rows: _Rows) -> None:
        """Urgent flags (most dealt with the same day), and asking for a change of worker."""
        if life.demo or not period.allocations:
            return
        start, end = period.allocations[0].started, period.end(self.anchor)
        span = (end - start).total_seconds()
        if span > 3 * 86400 and rng.random() < 0.05:
            raised = start + dt.timedelta(seconds=rng.uniform(0.1, 0.9) * span)
            worker = period.worker_at(raised)
            assert worker is not None
            cleared = raised + _mins(rng, 30, 36 * 60)
            reason = _one(rng, data.FLAG_REASONS).format(name=life.name)
            self._flag(rng, life, period, rows, raised, reason, worker, cleared if cleared < end else None)
        if period.ended is None and rng.random() < 0.012:
            raised = self.anchor - _mins(rng, 2 * 60, 4 * 24 * 60)
            worker = period.worker_at(raised)
            assert worker is not None
            reason = _one(rng, data.FLAG_REASONS).format(name=life.name)
            self._flag(rng, life, period, rows, raised, reason, worker, None)
        last = period.allocations[-1]
        if period.ended is None and (self.anchor - last.started).days > 21 and rng.random() < 0.02:
            asked = self.anchor - _mins(rng, 6 * 60, 12 * 24 * 60)
            self._change_request(rng, life, period, asked, rows, status=ChangeRequestStatus.OPEN)
            self.open_request_teams.add(period.team_index)
        elif span > 30 * 86400 and rng.random() < 0.01:
            asked = start + dt.timedelta(seconds=rng.uniform(0.2, 0.8) * span)
            answered = asked + dt.timedelta(days=_int(rng, 2, 7))
            if answered < end:
                self._change_request(
                    rng, life, period, asked, rows, status=ChangeRequestStatus.NOT_POSSIBLE, answered_at=answered
                )
        if period.ended is None and period.quiet_from is None and len(self.open_sample[period.team_index]) < 40:
            self.open_sample[period.team_index].append((period, life))

    def _huddle_candidates(self, life: _Life, period: _Period) -> None:
        """New, waiting for a worker and not seen lately, as the team's huddles of the last weeks saw them."""
        start = self.huddle_start
        if period.ended is not None and period.ended < start:
            return
        if start <= period.started < self.anchor:
            self._huddle_item(period, period.started, "new", life, worker=period.worker_at(period.started))
        allocated = period.allocations[0].started if period.allocations else None
        waiting_until = min(allocated or self.anchor, period.ended or self.anchor)
        at = max(period.started + 3 * DAY, start)
        while at < waiting_until:
            self._huddle_item(period, at, "waiting", life, days=(at - period.started).days)
            at += 7 * DAY
        if period.quiet_from is not None:
            weeks = self.site.weeks_before_not_seen_flag
            crossed = period.quiet_from + dt.timedelta(weeks=weeks)
            if start <= crossed < self.anchor:
                self._huddle_item(period, crossed, "not_seen", life, worker=period.worker_at(crossed), weeks=weeks)

    def _huddles(self) -> None:
        """Each team's huddles over the last weeks, with what they decided about each person discussed.

        Every team also has something urgent and a request for a change of worker waiting for today's
        huddle, whatever the size of the site, so that the demo's huddle always has something in each section.
        """
        rng = random.Random(f"living-well:{self.seed}:huddles")
        extra = _Rows()
        for team_index, sample in enumerate(self.open_sample):
            if not sample:
                continue
            if team_index not in self.open_flag_teams:
                period, life = sample[rng.randrange(len(sample))]
                reason = _one(rng, data.FLAG_REASONS).format(name=life.name)
                worker = period.allocations[-1].worker
                self._flag(rng, life, period, extra, self.anchor - _mins(rng, 3 * 60, 20 * 60), reason, worker, None)
            if team_index not in self.open_request_teams:
                period, life = sample[rng.randrange(len(sample))]
                self._change_request(
                    rng, life, period, self.anchor - _mins(rng, 20 * 60, 5 * 24 * 60), extra,
                    status=ChangeRequestStatus.OPEN,
                )  # fmt: skip
        _insert_rows(WorkerChangeRequest, extra.change_requests)
        _insert_rows(Flag, extra.flags)
        priority = {"urgent": 0, "change": 1, "new": 2, "waiting": 3, "review": 4, "not_seen": 5}
        huddles: list[Row] = []
        decisions: list[Row] = []
        days = [
            day
            for back in range(data.HUDDLE_DAYS, 0, -1)
            if (day := self.today - dt.timedelta(days=back)).weekday() < 5
        ]
        for team_index, items in enumerate(self.huddle_items):
            leader = self.team_leaders[team_index]
            items.sort(key=lambda item: (item[0], priority[item[1]], item[2].int))
            position = 0
            for day in days:
                started = _at(day, 9, 30)
                huddle_id = _uuid(rng)
                huddles.append([huddle_id, started, started, self.teams[team_index].id, started, leader.user_id])
                due: list[tuple[dt.datetime, str, uuid.UUID, str, str, str, dict[str, Any]]] = []
                while position < len(items) and items[position][0] <= started:
                    due.append(items[position])  # since the huddle before
                    position += 1
                due.sort(key=lambda item: (priority[item[1]], item[0]))
                recorded = started
                for _, topic, period_id, name, who, kind, extra_words in due[: data.HUDDLE_LIMIT]:
                    if not who or topic in ("new", "waiting"):
                        who = self._suggest(rng, team_index, kind).first_name
                    templates = data.HUDDLE_DECISIONS[topic]
                    if kind == WorkerKind.NO_PREFERENCE:
                        templates = tuple(t for t in templates if "{kind}" not in t) or templates
                    words = _one(rng, templates).format(
                        name=name,
                        worker=who,
                        kind=data.KIND_WORDS.get(kind, "worker"),
                        days=extra_words.get("days", 0),
                        weeks=extra_words.get("weeks", 0),
                    )
                    recorded += _mins(rng, 1, 4)
                    decisions.append(
                        [_uuid(rng), recorded, recorded, huddle_id, period_id, topic, words, recorded, leader.user_id]
                    )
        _insert_rows(Huddle, huddles)
        _insert_rows(HuddleDecision, decisions)

    def _suggest(self, rng: random.Random, team_index: int, kind: str) -> _Worker:
        """Who the huddle suggests as someone's worker: one of the kind they asked for, if there is one."""
        workers = self._kind_workers(team_index, kind) if kind != WorkerKind.NO_PREFERENCE else []
        return workers[rng.randrange(len(workers))] if workers else self.worker_pickers[team_index](rng)

    # ---- the last step --------------------------------------------------------------------------

    def _finish(self) -> None:
        """The teams' huddles; then give the demo person their sign-in (this marks the build complete) and a
        short access log."""
        self._huddles()
        person = Person.objects.get(pk=self.demo_person_id)
        Person.objects.filter(pk=person.pk).update(user=self.demo_person_user)
        introduction = Introduction.objects.filter(person=person).get()
        met_at = introduction.first_conversation_at
        assert met_at is not None
        coordinator = self.demo_users[Role.HUB_COORDINATOR]
        worker = self.demo_users[Role.RECOVERY_WORKER]
        leader = self.demo_users[Role.TEAM_LEADER]
        trust = self.organisations["trust"].name
        wellbeing = self.organisations["wellbeing"].name
        events = [
            (introduction.introduced_at + dt.timedelta(hours=3), coordinator, "Hub coordinator", trust,
             Action.VIEW, Basis.FRONT_DOOR, [Part.IDENTITY, Part.ABOUT, Part.CONTACT, Part.STORY]),
            (met_at, worker, "Recovery worker", wellbeing, Action.VIEW, Basis.ALLOCATED,
             [Part.IDENTITY, Part.ABOUT, Part.CONTACT, Part.STORY, Part.NETWORK]),
            (met_at + dt.timedelta(days=7), leader, "Team leader", trust, Action.LIST, Basis.TEAM, [Part.IDENTITY]),
            (self.anchor - dt.timedelta(days=3, hours=6), worker, "Recovery worker", wellbeing, Action.VIEW,
             Basis.ALLOCATED, [Part.IDENTITY, Part.STORY, Part.NETWORK]),
            (self.anchor - dt.timedelta(days=3, hours=5, minutes=50), worker, "Recovery worker", wellbeing,
             Action.VIEW, Basis.ALLOCATED, [Part.PLAN]),
            (self.anchor - dt.timedelta(days=3, hours=5, minutes=40), worker, "Recovery worker", wellbeing,
             Action.VIEW, Basis.ALLOCATED, [Part.NOTES]),
        ]  # fmt: skip
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    occurred_at=at,
                    actor=actor,
                    actor_name=actor.display_name,
                    actor_roles=roles,
                    actor_organisation=organisation,
                    person_id=person.pk,
                    action=action,
                    parts=sorted(p.value for p in parts),
                    basis=basis,
                    outcome=Outcome.ALLOWED,
                    path=f"/people/{person.pk}/",
                )
                for at, actor, roles, organisation, action, basis, parts in events
            ]
        )
