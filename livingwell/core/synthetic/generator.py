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
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import itertools
import math
import operator
import random
import time
import unicodedata
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.access.models import Introduction, IntroductionState
from livingwell.accounts.models import User
from livingwell.audit.models import Action, AuditEvent, Basis, Outcome, Part
from livingwell.core.synthetic import data
from livingwell.core.synthetic.demo import DEMO_LOCALITY, DEMO_PASSWORD, DEMO_SIGN_INS, DemoSignIn, demo_sign_in
from livingwell.network.models import SUPPORT_ROLES, Locality, Membership, Organisation, Role, Site, Team
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
from livingwell.support.models import Allocation, SupportPeriod

SITE_NAME = "Lambeth Living Well"
SITE_SLUG = "lambeth-living-well"
LONDON = ZoneInfo("Europe/London")
CHUNK_SIZE = 5000  # people generated and written per transaction
RNG_BLOCK = 1000  # people drawn from each seeded random stream
BATCH_SIZE = 2500  # rows per executemany (or bulk_create) call
MAX_PEOPLE = 1_000_000  # the 999 test range of NHS numbers holds about 909,000 valid numbers
# Roughly the share of people in an open support period on the day of the build; used to size
# the teams so that caseloads stay near data.CASELOAD at any scale.
OPEN_SUPPORT_SHARE = 0.36


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
)


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


def is_complete(site: Site) -> bool:
    """The last step of a build links the demo person to their sign-in; its presence marks completion."""
    return Person.objects.filter(site=site, user__email=demo_sign_in(None).email).exists()


def site_counts(site: Site) -> dict[str, int]:
    introductions = Introduction.objects.filter(site=site)
    periods = SupportPeriod.objects.filter(team__site=site)
    return {
        "organisations": Organisation.objects.filter(site=site).count(),
        "teams": Team.objects.filter(site=site).count(),
        "staff": Membership.objects.filter(site=site).values("user_id").distinct().count(),
        "memberships": Membership.objects.filter(site=site).count(),
        "people": Person.objects.filter(site=site).count(),
        "stories": Story.objects.filter(person__site=site).count(),
        "relationships": Relationship.objects.filter(person__site=site).count(),
        "introductions": introductions.count(),
        "introductions open": introductions.filter(
            state__in=(IntroductionState.NEW, IntroductionState.CONTACTING, IntroductionState.BOOKED)
        ).count(),
        "introductions met": introductions.filter(state=IntroductionState.MET).count(),
        "introductions withdrawn or not reached": introductions.filter(
            state__in=(IntroductionState.WITHDRAWN, IntroductionState.UNREACHABLE)
        ).count(),
        "support periods": periods.count(),
        "support periods open": periods.filter(ended_at__isnull=True).count(),
        "allocations": Allocation.objects.filter(support_period__team__site=site).count(),
        "sharing consents": SharingConsent.objects.filter(person__site=site).count(),
    }


def build_site(
    *,
    people: int = 2000,
    seed: int = 2026,
    today: dt.date | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the demo site, or return the complete one that is already there (nothing is added).

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
    builder = _Builder(people=people, seed=seed, today=today, chunk_size=chunk_size, progress=progress)
    with _story_timestamps():
        site = builder.build()
    return BuildResult(site, True, site_counts(site), time.perf_counter() - started, builder.demo_person_name)


@dataclass
class _Worker:
    user_id: uuid.UUID
    name: str
    role: Role
    organisation: str
    weight: float


@dataclass
class _Rows:
    people: list[Person] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    introductions: list[Introduction] = field(default_factory=list)
    periods: list[SupportPeriod] = field(default_factory=list)
    allocations: list[Allocation] = field(default_factory=list)
    consents: list[SharingConsent] = field(default_factory=list)

    def save(self) -> None:
        for model, objects in (
            (Person, self.people),
            (Story, self.stories),
            (Relationship, self.relationships),
            (Introduction, self.introductions),
            (SupportPeriod, self.periods),
            (Allocation, self.allocations),
            (SharingConsent, self.consents),
        ):
            _insert(model, objects)


def _converter(f: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How to turn a field's Python value into what the database driver takes (None: as it is)."""
    target = f.target_field if isinstance(f, models.ForeignKey) else f
    if connection.vendor != "sqlite":
        return lambda value: f.get_db_prep_save(value, connection)
    # SQLite by hand, as Django's SQLite backend stores them, at a fraction of the cost per value.
    if isinstance(target, models.UUIDField):
        return operator.attrgetter("hex")
    if isinstance(target, models.DateTimeField):
        return lambda value: str(value.astimezone(dt.UTC).replace(tzinfo=None))
    if isinstance(target, models.DateField):
        return dt.date.isoformat
    if isinstance(target, (models.CharField, models.TextField, models.BooleanField, models.IntegerField)):
        return None
    return lambda value: f.get_db_prep_save(value, connection)


def _insert(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert unsaved instances with executemany: bulk_create without the per-value overhead.

    Seeding half a million people spends most of its time in bulk_create's SQL compiler; this writes
    the same rows (every concrete field, values prepared as Django prepares them) several times faster.
    No signals, no `save()`, no auto_now: the generator sets every value itself.
    """
    if not objects:
        return
    fields = list(model._meta.concrete_fields)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608 - quoted identifiers from model metadata
    get = operator.attrgetter(*(f.attname for f in fields))
    conversions = [(i, c) for i, f in enumerate(fields) if (c := _converter(f)) is not None]
    rows = []
    for obj in objects:
        row = list(get(obj))
        for i, convert in conversions:
            if row[i] is not None:
                row[i] = convert(row[i])
        rows.append(row)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])


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
        self._prepare_pickers()
        # NHS numbers: an affine permutation of the 999 test range, so they are unique without a set.
        self._nhs_step = self._coprime_step(self.rng)
        self._nhs_offset = self.rng.randrange(10**6)
        self._nhs_counter = 0

    # ---- set-up ---------------------------------------------------------------------------------

    @staticmethod
    def _coprime_step(rng: random.Random) -> int:
        while True:
            step = rng.randrange(100_003, 999_999)
            if math.gcd(step, 10**6) == 1:
                return step

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
        # Days before today on which introductions arrive, by season and weekday.
        days = []
        for back in range(1, 366):
            day = self.today - dt.timedelta(days=back)
            days.append((back, data.MONTH_WEIGHTS[day.month - 1] * data.WEEKDAY_WEIGHTS[day.weekday()]))
        self.intro_day_picker = _Picker(days)

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
        with transaction.atomic():
            self._network()
            self._staff()
        self.progress(
            f"Network: {len(self.organisations)} organisations, {len(self.teams)} teams, {self.staff_count} staff"
        )
        written = 0
        rng = random.Random()
        for start in range(0, self.people, self.chunk_size):
            rows = _Rows()
            for index in range(start, min(self.people, start + self.chunk_size)):
                if index % RNG_BLOCK == 0:
                    # A fresh stream every RNG_BLOCK people, so the chunk size cannot change the data.
                    rng = random.Random(f"living-well:{self.seed}:people:{index // RNG_BLOCK}")
                self._person(rng, index, rows)
            with transaction.atomic():
                rows.save()
            written += len(rows.people)
            self.progress(f"People: {written:,} of {self.people:,}")
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
            Locality.objects.create(id=_uuid(rng), site=self.site, name=name, **stamps) for name, _ in data.LOCALITIES
        ]
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
        self.demo_users: dict[Role | None, User] = {}
        used_emails: set[str] = set()
        demo_by_role = {s.role: s for s in DEMO_SIGN_INS if s.role is not None}
        demo_team = self.teams[DEMO_LOCALITY]

        def add_user(demo: DemoSignIn | None) -> User:
            if demo is not None:
                given, family, email = demo.given_name, demo.family_name, demo.email
                password = demo_hash
            else:
                heritage, _ = self._names_heritage(rng)
                women = rng.random() < 0.6
                given = rng.choice(heritage[0].women if women else heritage[0].men)
                family = rng.choice(heritage[1].family)
                email = ""
                password = "!" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(40))
            joined = _at(self.today - dt.timedelta(days=rng.randint(30, 2000)), 9)
            user = User(
                id=_uuid(rng),
                email=email,
                password=password,
                display_name=f"{given} {family}",
                first_name=given,
                last_name=family,
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
            if team is not None and role in SUPPORT_ROLES:
                self.team_workers[self.teams.index(team)].append(
                    _Worker(user.id, user.display_name, role, org_key, weight)
                )

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
        User.objects.bulk_create(users, batch_size=BATCH_SIZE)
        Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
        self.staff_count = len(users)
        for role in (Role.SITE_ADMINISTRATOR, Role.PRIVACY_OFFICER):
            # A confirmed authenticator with a key derived from the seed (see `manage.py demo_totp`).
            TOTPDevice.objects.create(
                user=self.demo_users[role],
                name="Authenticator app (demo)",
                confirmed=True,
                key=rng.getrandbits(160).to_bytes(20, "big").hex(),
            )
        self.worker_pickers = [_Picker([(w, w.weight) for w in workers]) for workers in self.team_workers]
        # Each demo worker in the demo team is allocated to the first people who need a worker there,
        # so that every demo home page has people on it at any scale.
        demo_ids = {u.id for role, u in self.demo_users.items() if role in SUPPORT_ROLES}
        demo_workers = [w for w in self.team_workers[DEMO_LOCALITY] if w.user_id in demo_ids]
        self.demo_worker_queue: deque[_Worker] = deque(demo_workers * 2)
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
        locality_index = DEMO_LOCALITY if demo else self.locality_picker(rng)
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

        # When they first came to the front door (this time), and whether they had been before.
        introduced_at = self._introduction_time(rng)
        if demo:
            introduced_at = _at(self.today - dt.timedelta(days=120), 10, 15)
        returning = not demo and rng.random() < 0.1
        first_seen = introduced_at
        if returning:
            first_seen = introduced_at - dt.timedelta(days=rng.randint(400, 1100))

        person = Person(
            id=_uuid(rng),
            site=self.site,
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
            locality=locality,
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
        rows.stories.append(self._story(rng, person, given_h, family_h, locality_index, introduced_at))
        for _ in range(4 if demo else self.relationship_count_picker(rng)):
            rows.relationships.append(self._relationship(rng, person, given_h, family_h, introduced_at))

        if returning:
            self._journey(rng, person, locality_index, first_seen, rows, earlier=True, ends_before=introduced_at)
        self._journey(rng, person, locality_index, introduced_at, rows, demo=demo)

    @staticmethod
    def _yes_no(rng: random.Random, yes: float) -> str:
        r = rng.random()
        if r < yes:
            return YesNoPreferNot.YES
        if r < 0.88:
            return YesNoPreferNot.NO
        return YesNoPreferNot.PREFER_NOT_TO_SAY if r < 0.93 else ""

    def _introduction_time(self, rng: random.Random) -> dt.datetime:
        day = self.today - dt.timedelta(days=self.intro_day_picker(rng))
        hour = rng.choice((8, 9, 9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 17, 18, 19, 21))
        return _at(day, hour, rng.randrange(60))

    def _story(
        self,
        rng: random.Random,
        person: Person,
        given_h: data.Heritage,
        family_h: data.Heritage,
        locality_index: int,
        told_at: dt.datetime,
    ) -> Story:
        place = rng.choice(data.PLACES[data.LOCALITIES[locality_index][0]])
        trigger, feeling = rng.choice(data.STORY_TRIGGERS), rng.choice(data.STORY_FEELINGS)
        if rng.random() < 0.5:
            brought = f"Since {trigger}, {feeling}.{rng.choice(data.STORY_EXTRAS)}"
        else:
            brought = f"{feeling[0].upper()}{feeling[1:]} since {trigger}.{rng.choice(data.STORY_EXTRAS)}"
        name = rng.choice(given_h.women if rng.random() < 0.6 else given_h.men)
        practice = self.gp_practices[locality_index].name

        def some(options: Sequence[str], most: int = 2) -> str:
            picked = rng.sample(list(options), rng.randint(1, most))
            return " ".join(picked)

        return Story(
            person=person,
            what_brought_me_here=brought,
            going_well=rng.choice(data.GOING_WELL).format(place=place) if rng.random() < 0.9 else "",
            hard=some(data.HARD) if rng.random() < 0.92 else "",
            would_like_to_achieve=some(data.ACHIEVE) if rng.random() < 0.85 else "",
            who_can_help=(
                rng.choice(data.WHO_CAN_HELP).format(name=name, practice=practice, place=place)
                if rng.random() < 0.85
                else ""
            ),
            created_at=told_at,
            updated_at=told_at,
        )

    def _relationship(
        self,
        rng: random.Random,
        person: Person,
        given_h: data.Heritage,
        family_h: data.Heritage,
        at: dt.datetime,
    ) -> Relationship:
        kind, part = self.relationship_picker(rng)
        given = rng.choice(given_h.women if rng.random() < 0.55 else given_h.men)
        if part == "My GP.":
            name = f"Dr {rng.choice(data.HERITAGES['british'].family)}"
        elif kind in data.KIN_KINDS and rng.random() < 0.6:
            name = f"{given} {person.family_name}".strip()
        else:
            name = f"{given} {rng.choice(family_h.family)}"
        contact = f"07700 900{rng.randrange(1000):03d}" if rng.random() < 0.55 else ""
        return Relationship(
            id=_uuid(rng),
            person=person,
            name=name,
            kind=kind,
            part_they_play=part,
            contact=contact,
            wants_involved=rng.random() < (0.6 if kind in data.KIN_KINDS else 0.3),
            created_at=at,
            updated_at=at,
        )

    # ---- the front door and support ------------------------------------------------------------

    def _journey(
        self,
        rng: random.Random,
        person: Person,
        locality_index: int,
        introduced_at: dt.datetime,
        rows: _Rows,
        *,
        earlier: bool = False,
        ends_before: dt.datetime | None = None,
        demo: bool = False,
    ) -> None:
        """One introduction and what followed: a first conversation, support, a worker, sharing."""
        source, partner = ("gp", "gp") if demo else self.source_picker(rng)
        organisation: Organisation | None = None
        if partner == "gp":
            organisation = self.gp_practices[locality_index]
        elif partner == "voluntary":
            organisation = self.voluntary_picker(rng)
        elif partner is not None:
            organisation = self.organisations[partner]
        urgent = not demo and rng.random() < 0.08
        if urgent:
            wait = rng.choice((0, 0, 1, 1, 2, 3, 4))
        else:
            wait = max(1, min(120, round(rng.lognormvariate(math.log(19), 0.5))))
        met_at = _at((introduced_at + dt.timedelta(days=wait)).date(), rng.randint(9, 17), rng.choice((0, 15, 30, 45)))
        if met_at <= introduced_at:
            met_at = introduced_at + dt.timedelta(hours=rng.randint(2, 6))

        first_conversation_at: dt.datetime | None = None
        if met_at >= self.anchor and not earlier and not demo:
            elapsed = (self.anchor - introduced_at).days
            if elapsed < 2:
                state = IntroductionState.NEW
            elif rng.random() < min(0.85, elapsed / max(wait, 1)):
                state = IntroductionState.BOOKED
            else:
                state = IntroductionState.CONTACTING
        else:
            r = rng.random()
            if earlier or demo or r >= 0.07:
                state, first_conversation_at = IntroductionState.MET, met_at
            else:
                state = IntroductionState.WITHDRAWN if r < 0.035 else IntroductionState.UNREACHABLE
        rows.introductions.append(
            Introduction(
                id=_uuid(rng),
                person=person,
                site=self.site,
                locality=self.localities[locality_index],
                source=source,
                introducing_organisation=organisation,
                introduced_at=introduced_at,
                state=state,
                urgent=urgent,
                first_conversation_at=first_conversation_at,
                created_at=introduced_at,
                updated_at=first_conversation_at or introduced_at,
            )
        )
        if first_conversation_at is None or not (demo or earlier or rng.random() < 0.85):
            return  # some people are met and connected to what they need without a support period

        # Support by the locality's team, from the first conversation or soon after.
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
        period = SupportPeriod(
            id=_uuid(rng),
            person=person,
            team=self.teams[team_index],
            started_at=started,
            ended_at=ended,
            created_at=started,
            updated_at=ended or started,
        )
        rows.periods.append(period)

        # A chosen worker; some recent periods are still waiting for one.
        recent = (self.anchor - started).days < 21
        allocated_share = 0.97 if ended else (0.55 if recent else 0.95)
        worker_ids: list[uuid.UUID] = []
        if demo:
            workers = [
                w
                for w in self.team_workers[team_index]
                if w.user_id in (self.demo_users[Role.RECOVERY_WORKER].id, self.demo_users[Role.PEER_WORKER].id)
            ]
            for worker in workers:
                self._allocate(rows, rng, period, worker, started + dt.timedelta(days=2), None)
            self._consents(rng, person, locality_index, first_conversation_at, rows, workers[0], demo=True)
            return
        if rng.random() >= allocated_share:
            return
        worker = self._pick_worker(rng, team_index, open_period=ended is None)
        worker_ids.append(worker.user_id)
        allocation_start = min(started + dt.timedelta(days=rng.randint(0, 10)), ended or self.anchor)
        if allocation_start >= self.anchor:
            allocation_start = started
        if ended is None and rng.random() < 0.06 and (self.anchor - allocation_start).days > 40:
            # The person asked for a different worker part way through.
            changed = allocation_start + dt.timedelta(days=(self.anchor - allocation_start).days // 2)
            self._allocate(rows, rng, period, worker, allocation_start, changed)
            worker = self._pick_worker(rng, team_index, open_period=True, avoid=worker_ids)
            worker_ids.append(worker.user_id)
            allocation_start = changed
        self._allocate(rows, rng, period, worker, allocation_start, ended)
        if rng.random() < 0.15:
            second_start = allocation_start + dt.timedelta(days=rng.randint(7, 60))
            if second_start < (ended or self.anchor):
                second = self._pick_worker(rng, team_index, open_period=ended is None, avoid=worker_ids)
                self._allocate(rows, rng, period, second, second_start, ended)
        if not earlier:
            self._consents(rng, person, locality_index, first_conversation_at, rows, worker)

    def _pick_worker(
        self, rng: random.Random, team_index: int, *, open_period: bool, avoid: Sequence[uuid.UUID] = ()
    ) -> _Worker:
        if open_period and team_index == DEMO_LOCALITY and self.demo_worker_queue:
            candidate = self.demo_worker_queue.popleft()
            if candidate.user_id not in avoid:
                return candidate
        for _ in range(10):
            worker = self.worker_pickers[team_index](rng)
            if worker.user_id not in avoid:
                return worker
        return worker

    @staticmethod
    def _allocate(
        rows: _Rows,
        rng: random.Random,
        period: SupportPeriod,
        worker: _Worker,
        started: dt.datetime,
        ended: dt.datetime | None,
    ) -> None:
        rows.allocations.append(
            Allocation(
                id=_uuid(rng),
                support_period=period,
                worker_id=worker.user_id,
                started_at=started,
                ended_at=ended,
                created_at=started,
                updated_at=ended or started,
            )
        )

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
                SharingConsent(
                    id=_uuid(rng),
                    person=person,
                    organisation=organisation,
                    given_at=given_at,
                    withdrawn_at=withdrawn_at,
                    recorded_by_id=worker.user_id,
                    created_at=given_at,
                    updated_at=withdrawn_at or given_at,
                )
            )

    # ---- the last step --------------------------------------------------------------------------

    def _finish(self) -> None:
        """Give the demo person their sign-in (this marks the build complete) and a short access log."""
        rng = self.rng
        signin = demo_sign_in(None)
        person = Person.objects.get(pk=self.demo_person_id)
        joined = person.created_at + dt.timedelta(days=20)
        user = User(
            id=_uuid(rng),
            email=signin.email,
            password=self.demo_hash,
            display_name=signin.name,
            first_name=signin.given_name,
            last_name=signin.family_name,
            date_joined=joined,
            created_at=joined,
            updated_at=joined,
        )
        User.objects.bulk_create([user])
        Person.objects.filter(pk=person.pk).update(user=user)
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
