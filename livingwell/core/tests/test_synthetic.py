"""The synthetic site: deterministic, idempotent, valid, realistic, and with a sign-in for every role.

Most tests build their own small site. The tests of a year of Living Well (the front door, then
support: allocation, plans, contacts and notes, moving on and coming back, the huddle) share one site
of 1,000 people (`TestAYearOfLivingWell`), built once and rolled back after the last of them.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import statistics
import uuid
from collections import Counter
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.access.clock import wait_days
from livingwell.access.models import (
    OPEN_STATES,
    AttemptOutcome,
    Booking,
    BookingStatus,
    ContactAttempt,
    ConversationOutcome,
    EventKind,
    FirstConversation,
    Handover,
    Introduction,
    IntroductionEvent,
    IntroductionState,
    MatchStatus,
    PossibleMatch,
    Source,
    UnsafeNow,
)
from livingwell.access.selectors import QueueFilters, front_door_queue, waiting_figures
from livingwell.accounts.models import User
from livingwell.community.models import Connection as OfferConnection
from livingwell.community.models import Gap, Service
from livingwell.core.synthetic import (
    DEMO_PASSWORD,
    DEMO_SIGN_INS,
    SITE_SLUG,
    build_site,
    demo_sign_in,
    generator,
    is_complete,
    site_counts,
)
from livingwell.core.synthetic.data import GP_KEYS, LOCALITIES, POSTCODE_PATTERN
from livingwell.core.synthetic.demo import DEMO_LOCALITY
from livingwell.messaging.models import Message, MessageStatus
from livingwell.network.models import SUPPORT_ROLES, Membership, Organisation, Role, Sector, Site, Team
from livingwell.outcomes.models import Measure
from livingwell.people.models import Connection, Person, Relationship, SharingConsent, Story
from livingwell.people.nhs_number import is_valid_nhs_number
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
    Huddle,
    HuddleDecision,
    MovingOn,
    Note,
    Plan,
    PlanAction,
    PlanAgreement,
    PlanVersion,
    Review,
    SafetyPlan,
    SupportPeriod,
    WithheldBecause,
    WorkerChangeRequest,
    WorkerKind,
)
from livingwell.support.services.plans import describe_changes, snapshot_of

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 31)
PEOPLE = 300


def _build(seed: int = 7, people: int = PEOPLE, chunk_size: int = 5000):
    return build_site(people=people, seed=seed, today=TODAY, chunk_size=chunk_size)


def _snapshot() -> dict[str, object]:
    return {
        "people": list(
            Person.objects.order_by("id").values_list(
                "id", "given_name", "family_name", "nhs_number", "date_of_birth", "postcode", "ethnicity", "created_at"
            )
        ),
        "introductions": list(
            Introduction.objects.order_by("id").values_list(
                "id",
                "reference",
                "person_id",
                "source",
                "state",
                "introduced_at",
                "first_conversation_at",
                "second_contact_at",
                "in_their_words",
                "preferred_places",
                "worker_preferences",
                "introducer_name",
            )
        ),
        "events": list(
            IntroductionEvent.objects.order_by("introduction_id", "occurred_at", "id").values_list(
                "introduction_id", "occurred_at", "kind", "actor_id", "from_state", "to_state", "note"
            )
        ),
        "attempts": list(ContactAttempt.objects.order_by("id").values_list("id", "attempted_at", "method", "outcome")),
        "bookings": list(Booking.objects.order_by("id").values_list("id", "starts_at", "place", "worker_id", "status")),
        "conversations": list(
            FirstConversation.objects.order_by("id").values_list("id", "outcome", "support_period_id", "worker_id")
        ),
        "matches": list(PossibleMatch.objects.order_by("id").values_list("id", "candidate_id", "score", "status")),
        "messages": list(Message.objects.order_by("id").values_list("id", "to", "body")),
        "allocations": list(
            Allocation.objects.order_by("id").values_list(
                "id", "support_period_id", "worker_id", "started_at", "honours_choice", "why_not_as_chosen"
            )
        ),
        "periods": list(
            SupportPeriod.objects.order_by("id").values_list("id", "wanted_kind", "wanted_note", "resumed_from_id")
        ),
        "contacts": list(Contact.objects.order_by("id").values_list("id", "occurred_at", "mode", "status")),
        "notes": list(Note.objects.order_by("id").values_list("id", "text", "withheld_because")),
        "goals": list(Goal.objects.order_by("id").values_list("id", "words", "outcome", "status")),
        "actions": list(PlanAction.objects.order_by("id").values_list("id", "what", "owner", "due", "status")),
        "versions": list(PlanVersion.objects.order_by("plan_id", "number").values_list("summary", "snapshot")),
        "decisions": list(HuddleDecision.objects.order_by("id").values_list("id", "topic", "decision")),
        "measures": list(
            Measure.objects.order_by("id").values_list(
                "id", "person_id", "instrument", "occasion", "status", "completed_at", "answers", "goals", "topics"
            )
        ),
        "users": list(User.objects.order_by("id").values_list("id", "email", "display_name", "gender", "languages")),
        "stories": list(Story.objects.order_by("person_id").values_list("person_id", "what_brought_me_here")),
        "devices": list(TOTPDevice.objects.order_by("user__email").values_list("user__email", "key")),
        "offers": list(Service.objects.order_by("id").values_list("id", "hash", "search_text", "is_free")),
        "offer connections": list(
            OfferConnection.objects.order_by("id").values_list(
                "id", "person_id", "service_id", "stage", "why_not", "follow_up_on", "created_at"
            )
        ),
        "gaps": list(Gap.objects.order_by("id").values_list("id", "locality_id", "term_id", "need")),
        "counts": site_counts(Site.objects.get(slug=SITE_SLUG)),
    }


def _snapshot_of_build(seed: int, chunk_size: int = 5000) -> dict[str, object]:
    """Build, look, and roll back, so that several builds can be compared in one test."""
    with transaction.atomic():
        _build(seed, chunk_size=chunk_size)
        snapshot = _snapshot()
        transaction.set_rollback(True)
    return snapshot


def test_the_same_seed_and_day_build_the_same_site():
    first = _snapshot_of_build(7)
    assert Person.objects.count() == 0
    second = _snapshot_of_build(7, chunk_size=70)  # written in smaller transactions, same data
    assert first == second
    assert len(first["people"]) == PEOPLE  # type: ignore[arg-type]


def test_a_different_seed_builds_a_different_site():
    first = _snapshot_of_build(7)
    other = _snapshot_of_build(8)
    assert first["people"] != other["people"]
    names = {(p[1], p[2]) for p in first["people"]}  # type: ignore[attr-defined]
    other_names = {(p[1], p[2]) for p in other["people"]}  # type: ignore[attr-defined]
    assert len(names & other_names) < PEOPLE / 2


def test_a_second_run_adds_nothing():
    first = _build()
    assert first.created
    counts = site_counts(first.site)
    users = User.objects.count()
    again = _build(seed=99, people=50)
    assert not again.created
    assert again.counts == counts
    assert User.objects.count() == users

    out = io.StringIO()
    call_command("seed_demo", people=PEOPLE, seed=7, stdout=out)
    assert "already built; nothing was added" in out.getvalue()
    assert site_counts(first.site) == counts


def _indexes() -> set[tuple[str, str]]:
    introspection = connection.introspection
    with connection.cursor() as cursor:
        return {
            (table, name)
            for table in introspection.table_names(cursor)
            for name, constraint in introspection.get_constraints(cursor, table).items()
            if constraint["index"]
        }


@pytest.mark.django_db(transaction=True)
def test_a_build_outside_a_transaction_loads_in_bulk_and_keeps_every_index(monkeypatch: pytest.MonkeyPatch):
    """Out of a transaction (as seed_demo runs), SQLite's indexes are dropped while loading and put back."""
    before = _indexes()
    dropped: list[int] = []
    original = generator._Builder._build

    def build_and_look(self: generator._Builder) -> Site:
        dropped.append(len(before - _indexes()))
        return original(self)

    monkeypatch.setattr(generator._Builder, "_build", build_and_look)
    result = build_site(people=150, seed=5, today=TODAY)
    # The non-unique indexes of the tables it fills were gone while it loaded (SQLite only).
    assert (dropped[0] > 20) == (connection.vendor == "sqlite")
    assert _indexes() == before
    assert is_complete(result.site)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            assert cursor.execute("PRAGMA foreign_keys").fetchone() == (1,)  # checks are back on


@pytest.mark.django_db(transaction=True)
def test_a_failed_bulk_load_still_puts_every_index_back(monkeypatch: pytest.MonkeyPatch):
    before = _indexes()

    def fail(self: generator._Builder) -> None:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(generator._Builder, "_finish", fail)
    with pytest.raises(RuntimeError, match="interrupted"):
        build_site(people=20, seed=6, today=TODAY)
    assert _indexes() == before  # put back even when the build fails


def test_an_interrupted_build_is_reported_not_extended():
    _build()
    Person.objects.filter(user__isnull=False).update(user=None)  # as if the last step never ran
    with pytest.raises(CommandError, match="did not finish"):
        call_command("seed_demo", people=PEOPLE, stdout=io.StringIO())


def test_the_command_prints_counts_and_the_demo_sign_ins():
    out = io.StringIO()
    call_command("seed_demo", people=120, seed=3, today=TODAY, stdout=out)
    text = out.getvalue()
    assert "Built Lambeth Living Well" in text
    assert re.search(r"people\s+120\b", text)
    assert DEMO_PASSWORD in text
    for signin in DEMO_SIGN_INS:
        assert signin.email in text
    assert "demo_totp admin@demo.livingwell.test" in text


def test_nhs_numbers_are_valid_unique_and_in_the_test_range():
    _build()
    numbers = [n for n in Person.objects.values_list("nhs_number", flat=True) if n is not None]
    assert 0.75 * PEOPLE < len(numbers) < 0.95 * PEOPLE
    assert len(set(numbers)) == len(numbers)
    assert all(is_valid_nhs_number(n) and n.startswith("999") for n in numbers)


def test_contact_details_are_well_formed_and_safe_to_publish():
    _build()
    people = list(Person.objects.all())
    postcodes = [p.postcode for p in people if p.postcode]
    assert len(postcodes) > 0.9 * PEOPLE
    assert all(re.fullmatch(POSTCODE_PATTERN, code) for code in postcodes), postcodes[:5]
    districts = {code.split()[0] for code in postcodes}
    assert districts <= {"SE1", "SE11", "SW8", "SW9", "SW4", "SW2", "SE24", "SE5", "SW16", "SE27", "SE19", "SW12"}
    phones = [p.phone for p in people if p.phone]
    # Ofcom's numbers for drama: mobiles 07700 900000-900999 and London 020 7946 0000-0999.
    assert all(re.fullmatch(r"07700 900\d{3}|020 7946 0\d{3}", phone) for phone in phones)
    assert all(p.email.endswith("@example.com") for p in people if p.email)
    assert all(p.locality_id is not None for p in people)


def test_every_person_has_a_story_and_most_a_network():
    _build()
    assert Story.objects.count() == PEOPLE
    assert Story.objects.exclude(what_brought_me_here="").count() == PEOPLE
    with_network = Relationship.objects.values("person_id").distinct().count()
    assert 0.7 * PEOPLE < with_network < 0.95 * PEOPLE


def test_people_look_like_the_borough():
    _build(people=600)
    people = list(Person.objects.all())
    ethnicity = Counter(p.ethnicity.split("_")[0] if p.ethnicity else "" for p in people)
    recorded = sum(v for k, v in ethnicity.items() if k not in ("", "prefer"))
    assert 0.45 < ethnicity["white"] / recorded < 0.65
    assert 0.17 < ethnicity["black"] / recorded < 0.32
    assert 0.03 < ethnicity["asian"] / recorded < 0.12
    assert 0.03 < ethnicity["mixed"] / recorded < 0.13
    ages = [(TODAY - p.date_of_birth).days // 365 for p in people if p.date_of_birth]
    assert min(ages) >= 18
    assert max(ages) <= 91
    assert 30 <= statistics.median(ages) <= 50
    genders = Counter(p.gender for p in people)
    assert genders["woman"] > genders["man"] > genders["non_binary"] > 0
    languages = Counter(p.first_language for p in people)
    assert 0.6 < languages["English"] / len(people) < 0.9
    assert len(languages) > 10
    assert any(p.interpreter_needed for p in people)


def test_support_follows_first_conversations_in_the_right_team():
    _build()
    periods = list(SupportPeriod.objects.select_related("person", "team"))
    assert periods
    for period in periods:
        assert period.team.locality_id == period.person.locality_id
        assert period.ended_at is None or period.ended_at >= period.started_at
    open_periods = [p for p in periods if p.ended_at is None]
    assert 0.2 * len(periods) < len(open_periods) < 0.8 * len(periods)
    team_members = set(Membership.objects.values_list("team_id", "user_id"))
    for allocation in Allocation.objects.select_related("support_period"):
        assert (allocation.support_period.team_id, allocation.worker_id) in team_members
        assert allocation.started_at >= allocation.support_period.started_at
    waiting = (
        SupportPeriod.objects.filter(ended_at=None)
        .exclude(Exists(Allocation.objects.filter(support_period=OuterRef("pk"), ended_at=None)))
        .count()
    )
    assert 0 < waiting < len(open_periods)
    assert SharingConsent.objects.exists()


def test_every_role_has_a_demo_sign_in_that_works():
    _build()
    assert {s.role for s in DEMO_SIGN_INS} == {*Role, None}
    for signin in DEMO_SIGN_INS:
        user = User.objects.get(email=signin.email)
        assert user.check_password(DEMO_PASSWORD), signin.email
        if signin.role is not None:
            assert Membership.objects.filter(user=user, role=signin.role, ended_on=None).exists()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        assert (device is not None) == signin.two_factor
        if device is not None:
            assert len(bytes.fromhex(device.key)) == 20
    # The introducer is a GP at the demo locality's practice, with no team and no access to records.
    introducer = Membership.objects.get(user__email="introducer@demo.livingwell.test")
    assert introducer.role == Role.INTRODUCER
    assert introducer.team_id is None
    assert introducer.organisation.sector == Sector.PRIMARY_CARE
    assert introducer.organisation == Organisation.objects.get(name=_gp_practice_name(DEMO_LOCALITY))


def test_demo_accounts_have_something_to_do():
    _build()
    for role in SUPPORT_ROLES:
        worker = User.objects.get(email=demo_sign_in(role).email)
        current = Allocation.objects.filter(worker=worker, ended_at=None, support_period__ended_at=None)
        assert current.exists(), role
    coordinator = User.objects.get(email=demo_sign_in(Role.HUB_COORDINATOR).email)
    site_id = Membership.objects.get(user=coordinator).site_id
    assert Introduction.objects.filter(site_id=site_id, state__in=OPEN_STATES).exists()

    person = Person.objects.get(user__email=demo_sign_in(None).email)
    assert person.story.what_brought_me_here
    assert person.relationships.count() >= 2
    assert person.sharing_consents.filter(withdrawn_at=None).count() >= 2
    assert person.introductions.filter(state=IntroductionState.MET).exists()
    period = person.support_periods.get(ended_at=None)
    assert period.allocations.filter(ended_at=None, worker__email=demo_sign_in(Role.RECOVERY_WORKER).email).exists()
    assert period.allocations.count() == 1 and period.wanted_kind == WorkerKind.RECOVERY


def test_the_demo_person_has_a_living_well_plan_contacts_and_notes():
    """The person's and the worker's journeys on `make demo`: a real plan, contacts and notes, a safety plan."""
    _build()
    person = Person.objects.get(user__email=demo_sign_in(None).email)
    worker = User.objects.get(email=demo_sign_in(Role.RECOVERY_WORKER).email)
    plan = person.plan
    goals = list(plan.goals.all())
    assert len(goals) >= 5 and {g.outcome for g in goals} == set(BigThree.values)
    own = [g for g in goals if g.created_by_id == person.user_id]
    assert len(own) == 1  # added by the person, signed in
    actions = list(plan.actions.all())
    assert {a.owner for a in actions} == set(ActionOwner.values)
    assert any(a.status == ActionStatus.DONE for a in actions) and any(a.status == ActionStatus.TO_DO for a in actions)
    assert SafetyPlan.objects.filter(plan=plan).exists()
    assert plan.reviews.exists() and plan.review_due is not None and plan.review_due > TODAY  # reviewed, not overdue
    agreements = list(plan.agreements.order_by("agreed_at"))
    assert agreements[-1].how == AgreedHow.SIGNED_IN and agreements[-1].version_number == plan.version_number
    assert agreements[0].how == AgreedHow.IN_CONVERSATION
    assert plan.versions.count() == plan.version_number >= 4
    contacts = person.contacts.filter(status=ContactStatus.HELD)
    assert contacts.count() >= 12 and all(worker in c.workers.all() for c in contacts)
    notes = person.notes.all()
    assert notes.count() >= 10
    withheld = [n for n in notes if n.withheld_because]
    assert len(withheld) == 1 and withheld[0].withheld_because == WithheldBecause.SOMEONE_ELSE
    assert withheld[0].withheld_reason
    # The demo workers each have people with plans and contacts on their pages.
    for role in (Role.RECOVERY_WORKER, Role.PEER_WORKER):
        mine = SupportPeriod.objects.filter(
            ended_at=None, allocations__ended_at=None, allocations__worker__email=demo_sign_in(role).email
        )
        assert mine.count() >= 3, role
        assert Plan.objects.filter(person__support_periods__in=mine).exists(), role
        assert Contact.objects.filter(support_period__in=mine).exists(), role


def test_demo_totp_prints_a_code_the_device_accepts():
    _build()
    out = io.StringIO()
    call_command("demo_totp", "admin@demo.livingwell.test", stdout=out)
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    device = TOTPDevice.objects.get(user__email="admin@demo.livingwell.test")
    assert device.verify_token(code)
    with pytest.raises(CommandError):
        call_command("demo_totp", "someone@example.org", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("demo_totp", "analyst@demo.livingwell.test", stdout=io.StringIO())


def test_demo_front_door_has_work_for_each_role():
    _build(people=600)
    anchor = dt.datetime(2026, 3, 31, tzinfo=dt.UTC)
    coordinator = User.objects.get(email=demo_sign_in(Role.HUB_COORDINATOR).email)
    queue, total = front_door_queue(user=coordinator, now=anchor)
    rows = list(queue.object_list)
    assert total == Introduction.objects.filter(state__in=OPEN_STATES).count() > 10
    assert rows[0].urgent  # urgent first
    assert (
        any(row.possible_matches for row in rows)
        or PossibleMatch.objects.filter(status=MatchStatus.PENDING, introduction__state__in=OPEN_STATES).exists()
    )
    assert {row.state for row in rows} >= {
        IntroductionState.NEW,
        IntroductionState.CONTACTING,
        IntroductionState.BOOKED,
    }
    for role in (Role.PEER_WORKER, Role.RECOVERY_WORKER):
        upcoming = Booking.objects.filter(
            worker__email=demo_sign_in(role).email, status=BookingStatus.BOOKED, starts_at__gte=anchor
        )
        assert upcoming.exists(), role
    introducer = User.objects.get(email=demo_sign_in(Role.INTRODUCER).email)
    made = Introduction.objects.filter(introduced_by=introducer)
    assert made.count() >= 3
    assert set(made.values_list("source", flat=True)) == {Source.GP}
    assert made.filter(person__user__email=demo_sign_in(None).email).exists()  # they introduced the demo person


def _gp_practice_name(locality_index: int) -> str:
    from livingwell.core.synthetic.data import ORGANISATIONS

    return next(name for name, _, key, _ in ORGANISATIONS if key == GP_KEYS[locality_index])


ANCHOR = dt.datetime(2026, 3, 31, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(scope="class")
def year(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Site]:
    """A site of 1,000 people up to 31 March 2026, built once for the class and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        build_site(people=1000, seed=11, today=TODAY)
        yield Site.objects.get(slug=SITE_SLUG)
        transaction.set_rollback(True)


@pytest.mark.usefixtures("year")
class TestAYearOfLivingWell:
    def test_every_state_is_consistent_with_what_happened(self):
        introductions = list(Introduction.objects.all())
        met = {i.pk for i in introductions if i.state == IntroductionState.MET}
        conversations = dict(FirstConversation.objects.values_list("introduction_id", "held_at"))
        assert set(conversations) == met  # every met introduction has its first conversation, and only those
        current = Counter(Booking.objects.filter(status=BookingStatus.BOOKED).values_list("introduction_id", flat=True))
        for i in introductions:
            if i.state == IntroductionState.MET:
                assert i.first_conversation_at == conversations[i.pk]
                assert i.first_conversation_at >= i.introduced_at
            else:
                assert i.first_conversation_at is None
                assert i.second_contact_at is None
            # Exactly one current booking when booked, none otherwise.
            assert current[i.pk] == (1 if i.state == IntroductionState.BOOKED else 0), i.reference
            if i.second_contact_at is not None:
                assert i.second_contact_at >= i.first_conversation_at  # type: ignore[operator]
            if i.state in (IntroductionState.WITHDRAWN, IntroductionState.UNREACHABLE):
                assert i.closed_reason
            assert i.introduced_at < ANCHOR
            assert i.submission_key is None
        # The support outcome always names its team and links the support period it opened.
        for conversation in FirstConversation.objects.filter(outcome=ConversationOutcome.SUPPORT).select_related(
            "support_period", "introduction", "team"
        ):
            period = conversation.support_period
            assert period is not None and conversation.team is not None
            assert period.person_id == conversation.introduction.person_id
            assert period.team_id == conversation.team_id
            assert conversation.team.locality_id == conversation.introduction.locality_id
        assert not FirstConversation.objects.exclude(outcome=ConversationOutcome.SUPPORT).exclude(team=None).exists()

    def test_events_tell_each_story_in_order(self):
        states = dict(Introduction.objects.values_list("id", "state"))
        chains: dict[uuid.UUID, list[IntroductionEvent]] = {}
        for event in IntroductionEvent.objects.order_by("introduction_id", "occurred_at", "id"):
            chains.setdefault(event.introduction_id, []).append(event)
        assert set(chains) == set(states)
        by_id = sorted(IntroductionEvent.objects.values_list("introduction_id", "id", "occurred_at"))
        for (intro_a, _, at_a), (intro_b, _, at_b) in itertools.pairwise(by_id):
            if intro_a == intro_b:
                assert at_a <= at_b  # written in the order they happened
        for introduction_id, events in chains.items():
            assert events[0].kind == EventKind.INTRODUCED
            assert events[0].from_state == ""
            for before, after in itertools.pairwise(events):
                assert after.from_state == before.to_state, [(e.kind, e.from_state, e.to_state) for e in events]
            assert events[-1].to_state == states[introduction_id]
            assert events[-1].occurred_at < ANCHOR
        attempts = Counter(IntroductionEvent.objects.filter(kind=EventKind.ATTEMPT).values_list("introduction_id"))
        assert sum(attempts.values()) == ContactAttempt.objects.count()
        booked = IntroductionEvent.objects.filter(kind=EventKind.BOOKED).count()
        assert booked == Booking.objects.count()

    def test_contact_attempts_and_bookings_look_like_the_hub_at_work(self):
        met = Introduction.objects.filter(state=IntroductionState.MET)
        reopened = set(
            IntroductionEvent.objects.filter(kind=EventKind.REOPENED).values_list("introduction_id", flat=True)
        )
        counts = Counter(ContactAttempt.objects.filter(introduction__in=met).values_list("introduction_id", flat=True))
        for introduction in met.exclude(pk__in=reopened):
            assert 1 <= counts[introduction.pk] <= 5  # 1 to 4, and one more after a first conversation was missed
        assert (
            ContactAttempt.objects.filter(introduction__in=met, outcome=AttemptOutcome.SPOKE)
            .values("introduction_id")
            .distinct()
            .count()
            == met.count()
        )  # every met person was reached
        outcomes = Counter(ContactAttempt.objects.values_list("outcome", flat=True))
        assert outcomes.most_common(1)[0][0] == AttemptOutcome.SPOKE
        assert (outcomes[AttemptOutcome.SPOKE] + outcomes[AttemptOutcome.LEFT_MESSAGE]) / sum(outcomes.values()) > 0.5
        # Not reached only after at least three attempts that did not reach the person.
        for introduction in Introduction.objects.filter(state=IntroductionState.UNREACHABLE):
            missed = introduction.attempts.exclude(outcome=AttemptOutcome.SPOKE).count()
            assert missed >= 3, introduction.reference
        places = Counter(Booking.objects.values_list("place", flat=True))
        assert set(places) == {"cafe", "park", "gp_practice", "home", "phone", "video", "drop_in"}
        statuses = Counter(Booking.objects.values_list("status", flat=True))
        assert statuses[BookingStatus.NOT_ATTENDED] > 0 and statuses[BookingStatus.CANCELLED] > 0
        assert ContactAttempt.objects.filter(attempted_at__gte=ANCHOR).count() == 0
        assert Booking.objects.filter(created_at__gte=ANCHOR).count() == 0
        assert Booking.objects.filter(status=BookingStatus.BOOKED, starts_at__gte=ANCHOR).exists()  # ahead of today

    def test_bookings_fit_what_people_asked_for(self):
        peers = set(Membership.objects.filter(role=Role.PEER_WORKER).values_list("user_id", flat=True))
        asked = {"peer": 0, "woman": 0}
        for booking in Booking.objects.select_related("introduction", "worker"):
            wishes = booking.introduction.worker_preferences
            if wishes == ["peer"]:
                asked["peer"] += 1
                assert booking.worker_id in peers
            if wishes == ["woman"]:
                asked["woman"] += 1
                assert booking.worker.gender == "woman"
        assert asked["peer"] > 0 and asked["woman"] > 0
        staff = list(User.objects.filter(memberships__role__in=SUPPORT_ROLES).distinct())
        assert sum(bool(u.gender) for u in staff) > 0.9 * len(staff)
        assert sum("English" in u.language_list for u in staff) == len(staff)
        assert any(len(u.language_list) > 1 for u in staff)

    def test_the_year_looks_like_a_real_borough(self):
        introductions = list(Introduction.objects.all())
        n = len(introductions)
        sources = Counter(i.source for i in introductions)
        assert 0.25 < sources[Source.SELF] / n < 0.36
        assert 0.29 < sources[Source.GP] / n < 0.42
        for source in (Source.FAMILY_FRIEND, Source.VOLUNTARY, Source.NHS_SERVICE):
            assert 0.04 < sources[source] / n < 0.12, source
        for source in (Source.HOUSING, Source.LOCAL_AUTHORITY, Source.POLICE, Source.OTHER):
            assert 0.005 < sources[source] / n < 0.07, source
        assert 0.05 <= sum(i.urgent for i in introductions) / n <= 0.10
        # Seasons: January busier than August; professionals rarely introduce at weekends.
        year = [i for i in introductions if (ANCHOR - i.introduced_at).days < 365]
        months = Counter(timezone.localtime(i.introduced_at).month for i in year)
        assert months[1] > 1.3 * months[8]

        def weekend_share(source: str) -> float:
            days = [timezone.localtime(i.introduced_at).weekday() for i in year if i.source == source]
            return sum(d >= 5 for d in days) / len(days)

        assert weekend_share(Source.SELF) > 0.15 > 0.05 > weekend_share(Source.GP)
        met = [i for i in year if i.first_conversation_at is not None]
        waits = [wait_days(i.introduced_at, i.first_conversation_at) for i in met if not i.urgent]  # type: ignore[arg-type]
        assert 12 <= statistics.median(waits) <= 30
        assert max(waits) > 45  # a tail
        urgent = [wait_days(i.introduced_at, i.first_conversation_at) for i in met if i.urgent]  # type: ignore[arg-type]
        assert urgent and max(urgent) <= 3
        closed = Counter(
            i.state for i in introductions if i.state in (IntroductionState.WITHDRAWN, IntroductionState.UNREACHABLE)
        )
        assert 0.01 * n < closed[IntroductionState.WITHDRAWN] < 0.08 * n
        assert 0.01 * n < closed[IntroductionState.UNREACHABLE] < 0.08 * n
        assert IntroductionEvent.objects.filter(kind=EventKind.REOPENED).exists()
        outcomes = Counter(FirstConversation.objects.values_list("outcome", flat=True))
        total = sum(outcomes.values())
        assert 0.6 < outcomes[ConversationOutcome.SUPPORT] / total < 0.8
        assert 0.08 < outcomes[ConversationOutcome.COMMUNITY] / total < 0.22
        assert 0.03 < outcomes[ConversationOutcome.HANDOVER] / total < 0.12
        assert 0.03 < outcomes[ConversationOutcome.NOTHING_FURTHER] / total < 0.14
        assert Handover.objects.count() == outcomes[ConversationOutcome.HANDOVER]
        due = Handover.objects.filter(follow_up_due__lt=TODAY)
        assert due.filter(followed_up_at__isnull=False).count() > 0.7 * due.count()
        supported = Introduction.objects.filter(first_conversation__outcome=ConversationOutcome.SUPPORT)
        assert supported.filter(second_contact_at__isnull=False).count() > 0.7 * supported.count()

    def test_the_public_waiting_figures_are_believable(self, year: Site):
        figures = waiting_figures(site=year, now=ANCHOR)
        assert figures.met > 100
        assert figures.median_days is not None and 12 <= figures.median_days <= 30
        assert figures.p90_days is not None and figures.p90_days > figures.median_days
        assert figures.within_28_days_share is not None and 0.5 < figures.within_28_days_share < 0.95
        assert figures.waiting_now > 10
        assert figures.urgent_waiting_now >= 1

    def test_what_people_told_us_is_kept_as_told(self):
        for introduction in Introduction.objects.filter(source=Source.SELF).select_related("person__story"):
            assert introduction.in_their_words
            assert introduction.agrees_to_contact
            assert introduction.person_aware == "" and introduction.introducer_name == ""
            latest = introduction.person.introductions.order_by("-introduced_at").first()
            story = introduction.person.story.what_brought_me_here
            if latest == introduction and introduction.state == IntroductionState.RETURNED:
                # Coming back adds what brought them back to their story, with the date, after their words.
                assert re.search(r"\n\n\d{1,2} \w+ \d{4}, coming back: ", story)
                assert story.endswith(introduction.in_their_words)
            elif latest == introduction:
                assert introduction.in_their_words == story
        assert not Introduction.objects.filter(unsafe_now=UnsafeNow.YES, urgent=False).exists()
        urgent_self = Introduction.objects.filter(source=Source.SELF, urgent=True)
        assert urgent_self.filter(unsafe_now=UnsafeNow.YES).count() > 0.6 * urgent_self.count()
        for introduction in Introduction.objects.exclude(source=Source.SELF):
            assert introduction.person_aware in {"agrees", "knows", "does_not_know"}
            assert introduction.introducer_name and introduction.introducer_relationship
            assert introduction.agrees_to_contact == (introduction.person_aware == "agrees")
        family = Introduction.objects.filter(source=Source.FAMILY_FRIEND)
        assert all(i.introducer_phone.startswith("07700 900") for i in family)
        gp = Introduction.objects.filter(source=Source.GP)
        signed_in = gp.filter(introduced_by__isnull=False)
        assert signed_in.count() > 0.7 * gp.count()
        assert not signed_in.exclude(introduced_by__memberships__role=Role.INTRODUCER).exists()
        localities = [name for name, _ in LOCALITIES]
        for introduction in signed_in.select_related("introduced_by", "locality", "introducing_organisation")[:50]:
            # Signed in as a GP of the practice that made the introduction: the practice in the person's locality.
            membership = Membership.objects.get(user=introduction.introduced_by)
            assert membership.organisation_id == introduction.introducing_organisation_id
            assert introduction.locality is not None and introduction.introducing_organisation is not None
            practice = _gp_practice_name(localities.index(introduction.locality.name))
            assert introduction.introducing_organisation.name == practice
            assert introduction.introducer_email == introduction.introduced_by.email  # type: ignore[union-attr]
        references = list(Introduction.objects.values_list("reference", flat=True))
        assert len(set(references)) == len(references)
        assert all(re.fullmatch(r"LW-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}", r) for r in references)

    def test_returning_people_are_recognised(self):
        returning = Person.objects.annotate(n=Count("introductions")).filter(n__gt=1)
        assert 0.04 * 1000 < returning.count() < 0.18 * 1000
        for person in returning[:40]:
            earlier, later = person.introductions.order_by("introduced_at")
            assert earlier.state == IntroductionState.MET
            ended = person.support_periods.order_by("started_at").first()
            assert ended is not None and ended.ended_at is not None and ended.ended_at < later.introduced_at
            matched = later.events.get(kind=EventKind.MATCHED)
            confirmed = PossibleMatch.objects.filter(introduction=later, status=MatchStatus.CONFIRMED).first()
            if confirmed is None:
                assert matched.note == "Same NHS number as someone we know" and person.nhs_number
            else:
                assert confirmed.candidate_id == person.pk and confirmed.decided_by_id == matched.actor_id
        pending = list(
            PossibleMatch.objects.filter(status=MatchStatus.PENDING).select_related("introduction__person", "candidate")
        )
        assert pending
        for match in pending:
            new, known = match.introduction.person, match.candidate
            assert match.introduction.state in OPEN_STATES
            assert new.pk != known.pk and new.nhs_number is None
            assert (new.family_name, new.date_of_birth) == (known.family_name, known.date_of_birth)
            assert known.introductions.filter(state=IntroductionState.MET).exists()
            assert match.score >= 0.6 and "same date of birth" in match.reasons

    def test_the_outbox_holds_recent_messages(self):
        messages = list(Message.objects.all())
        assert messages
        assert all(m.status == MessageStatus.IN_OUTBOX and m.sender == "outbox" for m in messages)
        assert all(ANCHOR - dt.timedelta(days=31) < m.created_at < ANCHOR for m in messages)
        booked = [m for m in messages if m.purpose == "first conversation booked"]
        assert booked
        references = set(Introduction.objects.values_list("reference", flat=True))
        for message in booked:
            assert message.person_id is not None
            person = Person.objects.get(pk=message.person_id)
            assert message.to in (person.email, person.phone)
            assert re.search(r"LW-\w{4}-\w{4}", message.body).group(0) in references  # type: ignore[union-attr]
            assert message.created_by_id is not None

    def test_the_queue_can_be_filtered(self, year: Site):
        coordinator = User.objects.get(email=demo_sign_in(Role.HUB_COORDINATOR).email)
        locality = year.localities.order_by("name").first()
        assert locality is not None
        page, total = front_door_queue(
            user=coordinator, filters=QueueFilters(locality=str(locality.pk), state="booked"), now=ANCHOR
        )
        assert 0 < total < Introduction.objects.filter(state__in=OPEN_STATES).count()
        assert all(row.state == "booked" and row.next_booking is not None for row in page.object_list)

    def test_the_words_follow_the_house_style(self):
        """Nothing anyone reads calls a person a patient or a case, or speaks of referral, discharge,
        eligibility or thresholds: not at the front door, nor in support."""
        banned = re.compile(
            r"\b(patients?|referrals?|referred|cases?|discharg(?:e|es|ed|ing)|service[\s-]+users?"
            r"|eligible|ineligible|eligibility|thresholds?)\b",
            re.IGNORECASE,
        )
        texts = [
            *Introduction.objects.values_list("in_their_words", "meeting_note", "closed_reason"),
            *IntroductionEvent.objects.values_list("note", "actor_name"),
            *Booking.objects.values_list("place_detail", "status_note"),
            *FirstConversation.objects.values_list("community_offers", "note"),
            *Handover.objects.values_list("to_service", "reason", "follow_up_note"),
            *Message.objects.values_list("subject", "body"),
            *SupportPeriod.objects.values_list("wanted_note"),
            *Allocation.objects.values_list("why_not_as_chosen", "end_reason"),
            *WorkerChangeRequest.objects.values_list("reason", "answer"),
            *Flag.objects.values_list("reason", "cleared_note"),
            *HuddleDecision.objects.values_list("decision"),
            *Goal.objects.values_list("words"),
            *PlanAction.objects.values_list("what", "owner_name"),
            *SafetyPlan.objects.values_list("warning_signs", "what_helps", "people_and_places", "crisis_contacts"),
            *Review.objects.values_list("how_it_is_going", "what_changes"),
            *PlanVersion.objects.values_list("summary"),
            *PlanAgreement.objects.values_list("comment"),
            *Contact.objects.values_list("place", "others"),
            *Note.objects.values_list("text", "withheld_reason"),
            *MovingOn.objects.values_list("what_helped", "if_things_get_hard", "how_to_come_back", "person_words"),
            *Relationship.objects.values_list("part_they_play"),
        ]
        assert len(texts) > 10_000
        found = {text for row in texts for text in row if banned.search(text)}
        assert not found, sorted(found)[:5]
        # Plain words: no exclamation marks, and no placeholder left unfilled.
        assert not {text for row in texts for text in row if "!" in text or re.search(r"\{\w*\}", text)}

    # ---- Living Well support -----------------------------------------------------------------------

    def test_people_are_asked_what_worker_they_want_and_mostly_get_it(self):
        periods = list(SupportPeriod.objects.select_related("wanted_worker"))
        n = len(periods)
        wanted = Counter(p.wanted_kind for p in periods)
        assert 0.22 < wanted[WorkerKind.PEER] / n < 0.38
        assert 0.13 < wanted[WorkerKind.RECOVERY] / n < 0.28
        assert 0.05 < wanted[WorkerKind.CLINICAL] / n < 0.16
        assert 0.04 < wanted[WorkerKind.HOUSING] / n < 0.13
        assert 0.03 < wanted[WorkerKind.EMPLOYMENT] / n < 0.12
        assert 0.14 < wanted[WorkerKind.NO_PREFERENCE] / n < 0.33
        named = [p for p in periods if p.wanted_worker_id is not None]
        assert 0.03 * n < len(named) < 0.2 * n
        assert 0.15 * n < sum(bool(p.wanted_note) for p in periods) < 0.6 * n
        roles: dict[tuple[object, object], set[str]] = {}
        for team_id, user_id, role in Membership.objects.values_list("team_id", "user_id", "role"):
            roles.setdefault((team_id, user_id), set()).add(role)
        # Most open periods have a worker: the rest are recent, and the huddle is finding them one.
        open_periods = [p for p in periods if p.ended_at is None]
        current = dict(Allocation.objects.filter(ended_at=None).values_list("support_period_id", "worker_id"))
        assert 0.8 * len(open_periods) < sum(p.pk in current for p in open_periods) < len(open_periods)
        allocations = list(Allocation.objects.select_related("support_period").order_by("started_at"))
        not_as_asked = [a for a in allocations if not a.honours_choice]
        assert 0.03 * len(allocations) < len(not_as_asked) < 0.2 * len(allocations)
        assert all(len(a.why_not_as_chosen) > 20 for a in not_as_asked)  # says why, in words
        assert all(a.why_not_as_chosen == "" for a in allocations if a.honours_choice)
        # Whether it honours the choice is measured as the allocation service measures it, for the
        # first worker of each period (asking for a change later changes what the period records).
        requested = set(WorkerChangeRequest.objects.values_list("support_period_id", flat=True))
        first: dict[uuid.UUID, Allocation] = {}
        for a in allocations:
            first.setdefault(a.support_period_id, a)
        by_period = {p.pk: p for p in periods}
        for period_id, a in first.items():
            period = by_period[period_id]
            if period_id in requested:
                continue
            worker_roles = roles[(period.team_id, a.worker_id)]
            if period.wanted_worker_id is not None:
                honours = a.worker_id == period.wanted_worker_id
            elif period.wanted_kind == WorkerKind.NO_PREFERENCE:
                honours = True
            else:
                honours = bool(KIND_ROLES[WorkerKind(period.wanted_kind)] & worker_roles)
            assert a.honours_choice == honours, (period.wanted_kind, worker_roles, a.why_not_as_chosen)

    def test_changes_of_worker_are_kept_as_history(self):
        allocations = list(Allocation.objects.order_by("support_period_id", "started_at"))
        by_period: dict[uuid.UUID, list[Allocation]] = {}
        for a in allocations:
            by_period.setdefault(a.support_period_id, []).append(a)
        ended = dict(SupportPeriod.objects.values_list("id", "ended_at"))
        changed = 0
        for period_id, chain in by_period.items():
            for before, after in itertools.pairwise(chain):
                assert before.ended_at == after.started_at and before.end_reason and before.worker_id != after.worker_id
                changed += 1
            last = chain[-1]
            assert last.ended_at == ended[period_id]  # the worker stays to the end, or to moving on
            assert (last.end_reason == "Moved on") == (last.ended_at is not None)
        assert 0.05 * len(by_period) < changed < 0.3 * len(by_period)
        requests = list(WorkerChangeRequest.objects.select_related("allocation"))
        statuses = Counter(r.status for r in requests)
        assert statuses[ChangeRequestStatus.DONE] and statuses[ChangeRequestStatus.OPEN]
        assert statuses[ChangeRequestStatus.NOT_POSSIBLE]
        for r in requests:
            if r.status == ChangeRequestStatus.DONE:
                assert r.allocation is not None and r.allocation.support_period_id == r.support_period_id
                assert r.answered_at == r.allocation.started_at > r.asked_at
            elif r.status == ChangeRequestStatus.NOT_POSSIBLE:
                assert r.answer and r.answered_at is not None and r.answered_at > r.asked_at
            else:
                assert r.answered_at is None and r.asked_at < ANCHOR
        # Each team has a request waiting for today's huddle.
        teams = set(
            WorkerChangeRequest.objects.filter(status=ChangeRequestStatus.OPEN).values_list(
                "support_period__team_id", flat=True
            )
        )
        assert len(teams) == 3

    def test_most_people_supported_for_a_while_have_a_living_well_plan(self):
        plans = {p.person_id: p for p in Plan.objects.all()}
        supported = [
            p
            for p in SupportPeriod.objects.filter(allocations__isnull=False).distinct()
            if ((p.ended_at or ANCHOR) - p.started_at).days > 42
        ]
        assert sum(p.person_id in plans for p in supported) > 0.8 * len(supported)
        goals = list(Goal.objects.all())
        assert all(g.words.strip() and g.outcome in BigThree.values for g in goals)
        assert set(Counter(g.outcome for g in goals)) == set(BigThree.values)
        per_plan = Counter(g.plan_id for g in goals)
        assert min(per_plan.values()) >= 1 and max(per_plan.values()) <= 7
        assert 2 <= statistics.mean(per_plan.values()) <= 4
        assert len({g.words for g in goals}) > 30  # plain and varied
        assert all(re.match(r"[A-Z]", g.words) and g.words.endswith(".") for g in goals)
        network = dict(Relationship.objects.values_list("id", "person_id"))
        owners: Counter[str] = Counter()
        for action in PlanAction.objects.select_related("plan", "goal"):
            owners[action.owner] += 1
            assert action.what and (action.goal is None or action.goal.plan_id == action.plan_id)
            if action.owner == ActionOwner.WORKER:
                assert action.owner_worker_id is not None and action.owner_name
            elif action.owner == ActionOwner.NETWORK:
                assert action.owner_relationship_id is not None
                assert network[action.owner_relationship_id] == action.plan.person_id  # someone of their own
            elif action.owner == ActionOwner.COMMUNITY:
                assert action.owner_name  # the offer, by name
            else:
                assert action.owner == ActionOwner.PERSON and not action.owner_name
            assert (action.status == ActionStatus.DONE) == (action.done_at is not None)
        assert set(owners) == set(ActionOwner.values)
        assert PlanAction.objects.filter(due__isnull=False).count() > 0.8 * PlanAction.objects.count()
        assert 0.3 < PlanAction.objects.filter(status=ActionStatus.DONE).count() / PlanAction.objects.count() < 0.8
        assert 0.45 < SafetyPlan.objects.count() / len(plans) < 0.75
        assert all(s.warning_signs and s.what_helps and s.crisis_contacts for s in SafetyPlan.objects.all())
        assert PlanAgreement.objects.values("plan_id").distinct().count() > 0.7 * len(plans)

    def test_plans_are_reviewed_and_some_are_overdue(self):
        today = ANCHOR.date()
        open_people = set(SupportPeriod.objects.filter(ended_at=None).values_list("person_id", flat=True))
        plans = list(Plan.objects.filter(person_id__in=open_people))
        overdue = [p for p in plans if p.review_due is not None and p.review_due <= today]
        assert 0.05 * len(plans) < len(overdue) < 0.35 * len(plans)  # the huddle has plans to look at
        reviews = list(Review.objects.all())
        assert len(reviews) > 0.5 * len(plans)
        assert all(r.next_review_due > r.held_on and r.held_on < today for r in reviews)
        gaps = [(r.next_review_due - r.held_on).days for r in reviews]
        assert Counter(gaps).most_common(1)[0][0] == 84  # the site's 12 weeks, unless the review says otherwise
        latest: dict[uuid.UUID, Review] = {}
        for r in sorted(reviews, key=lambda r: (r.held_on, r.created_at)):
            latest[r.plan_id] = r
        resumed = set(SupportPeriod.objects.filter(resumed_from__isnull=False).values_list("person_id", flat=True))
        for plan in Plan.objects.filter(pk__in=latest).exclude(person_id__in=resumed):
            assert plan.review_due == latest[plan.pk].next_review_due

    def test_every_change_to_a_plan_is_a_version_that_matches_the_plan(self):
        plans = list(Plan.objects.all())
        versions: dict[object, list[PlanVersion]] = {}
        for v in PlanVersion.objects.order_by("plan_id", "number"):
            versions.setdefault(v.plan_id, []).append(v)
        for plan in plans:
            chain = versions[plan.pk]
            assert [v.number for v in chain] == list(range(1, plan.version_number + 1))
            assert all(v.summary and v.changed_by_name for v in chain)
            assert all(a.changed_at <= b.changed_at for a, b in itertools.pairwise(chain))
        resumed = set(SupportPeriod.objects.filter(resumed_from__isnull=False).values_list("person_id", flat=True))
        for plan in plans[:200]:
            # The last version is the plan as it stands, as the plan service would snapshot it now (coming
            # back moves the review date without a version, as support.services.moving_on does).
            now, last = snapshot_of(plan), dict(versions[plan.pk][-1].snapshot)
            if plan.person_id in resumed:
                last["review_due"] = now["review_due"]
            # Actions due the same day and written at the same moment have no order of their own.
            for snapshot in (last, now):
                snapshot["actions"] = sorted(snapshot["actions"], key=lambda item: item["id"])
            assert last == now
            # Each version says what changed in the plan service's own words.
            before: dict[str, object] | None = None
            for version in versions[plan.pk]:
                if not version.summary.startswith("Recorded a review held on"):
                    said = "; ".join(describe_changes(before, version.snapshot))
                    assert version.summary == (said if len(said) <= 500 else said[:499] + "…")
                before = version.snapshot
        agreements = list(PlanAgreement.objects.select_related("plan"))
        for a in agreements:
            assert 1 <= a.version_number <= a.plan.version_number
            agreed_version = versions[a.plan_id][a.version_number - 1]
            assert agreed_version.changed_at <= a.agreed_at  # agreed to what they had read
        assert len({(a.plan_id, a.version_number) for a in agreements}) == len(agreements)
        assert {a.how for a in agreements} == {AgreedHow.IN_CONVERSATION, AgreedHow.SIGNED_IN}
        signed_in = [a for a in agreements if a.how == AgreedHow.SIGNED_IN]
        assert all(a.plan.person.user_id is not None for a in signed_in)  # only people with their own sign-in

    def test_contacts_and_notes_look_like_a_worker_at_work(self):
        contacts = list(Contact.objects.select_related("support_period"))
        takes_part = Counter(Contact.workers.through.objects.values_list("contact_id", flat=True))
        workers = set(Contact.workers.through.objects.values_list("contact_id", "user_id"))
        for c in contacts:
            assert c.occurred_at < ANCHOR
            assert (c.pk, c.recorded_by_id) in workers and 1 <= takes_part[c.pk] <= 2
            period = c.support_period
            assert period is not None and period.person_id == c.person_id
            assert period.started_at <= c.occurred_at <= (period.ended_at or ANCHOR)
            if c.status == ContactStatus.HELD:
                assert c.duration_minutes is not None and 10 <= c.duration_minutes <= 90
            else:
                assert c.duration_minutes is None
        n = len(contacts)
        assert 0.04 < sum(c.status == ContactStatus.NOT_HELD for c in contacts) / n < 0.13
        modes = Counter(c.mode for c in contacts)
        assert {"in_person", "phone", "home_visit", "video", "message", "group"} <= set(modes)
        assert modes.most_common(1)[0][0] == "in_person"
        # Weekly to monthly: the typical gap between meetings with someone.
        held: dict[object, list[dt.datetime]] = {}
        for c in sorted(contacts, key=lambda c: c.occurred_at):
            if c.status == ContactStatus.HELD:
                held.setdefault(c.support_period_id, []).append(c.occurred_at)
        gaps = [
            statistics.median([(b - a).days for a, b in itertools.pairwise(t)]) for t in held.values() if len(t) > 3
        ]
        assert 7 <= statistics.median(gaps) <= 28
        notes = list(Note.objects.all())
        with_note = {note.contact_id for note in notes}
        assert sum(c.pk in with_note for c in contacts) > 0.75 * n
        assert len({note.text for note in notes}) > 0.5 * len(notes)  # varied
        withheld = [note for note in notes if note.withheld_because]
        assert 0.005 < len(withheld) / len(notes) < 0.03
        assert all(
            note.withheld_reason and note.withheld_by_id and note.withheld_review_on and note.text for note in withheld
        )
        grounds = Counter(note.withheld_because for note in withheld)
        assert grounds.most_common(1)[0][0] == WithheldBecause.SOMEONE_ELSE
        corrections = [note for note in notes if note.corrects_id]
        assert all(note.text.startswith("A correction to my note of") for note in corrections)

    def test_some_people_have_not_been_seen_for_weeks(self, year: Site):
        weeks = year.weeks_before_not_seen_flag
        since = ANCHOR - dt.timedelta(weeks=weeks)
        seen = set(
            Contact.objects.filter(status=ContactStatus.HELD, occurred_at__gte=since).values_list(
                "person_id", flat=True
            )
        )
        open_periods = list(
            SupportPeriod.objects.filter(ended_at=None, started_at__lt=since, allocations__isnull=False).distinct()
        )
        not_seen = [p for p in open_periods if p.person_id not in seen]
        assert 0.01 * len(open_periods) < len(not_seen) < 0.15 * len(open_periods)
        # The worker kept trying: calls that did not take place, with a note.
        tried = Contact.objects.filter(
            person_id__in=[p.person_id for p in not_seen], status=ContactStatus.NOT_HELD, occurred_at__gte=since
        )
        assert tried.exists()

    def test_moving_on_and_coming_back(self):
        ended = list(SupportPeriod.objects.filter(ended_at__isnull=False).select_related("moving_on"))
        reasons: Counter[str] = Counter()
        for period in ended:
            farewell = period.moving_on
            assert farewell.moved_on_at == period.ended_at
            assert farewell.what_helped and farewell.if_things_get_hard and farewell.how_to_come_back
            assert farewell.written_with_person == (farewell.reason != "lost_touch")
            reasons[farewell.reason] += 1
        assert len(reasons) >= 5 and reasons.most_common(1)[0][0] == "goals_reached"
        assert MovingOn.objects.count() == len(ended)
        resumed = list(SupportPeriod.objects.filter(resumed_from__isnull=False).select_related("resumed_from"))
        assert len(resumed) > 10
        for period in resumed:
            before = period.resumed_from
            assert before is not None and before.ended_at is not None
            assert before.person_id == period.person_id and before.team_id == period.team_id
            assert dt.timedelta(days=0) < period.started_at - before.ended_at < dt.timedelta(days=366)
            last_worker = before.allocations.order_by("-started_at").first()
            again = period.allocations.order_by("started_at").first()
            assert last_worker is not None and again is not None
            assert again.worker_id == last_worker.worker_id and again.started_at == period.started_at  # picked up
            assert period.wanted_worker_id == again.worker_id and again.honours_choice
            # Through the Hub, without a new first conversation: the introduction is back with their team.
            returned = Introduction.objects.get(person_id=period.person_id, state=IntroductionState.RETURNED)
            assert returned.first_conversation_at is None and returned.introduced_at < period.started_at
            assert returned.events.filter(kind=EventKind.RETURNED, occurred_at=period.started_at).exists()

    def test_urgent_flags_and_huddles(self):
        flags = list(Flag.objects.select_related("support_period"))
        open_flags = [f for f in flags if f.cleared_at is None]
        assert open_flags and len(open_flags) < 0.1 * len(flags) + 10
        assert {f.support_period.team_id for f in open_flags} == set(Team.objects.values_list("id", flat=True))
        assert all(f.support_period.ended_at is None for f in open_flags)
        assert all(f.cleared_note and f.cleared_at >= f.raised_at for f in flags if f.cleared_at)
        huddles = list(Huddle.objects.select_related("team", "started_by"))
        leaders = set(Membership.objects.filter(role=Role.TEAM_LEADER).values_list("team_id", "user_id"))
        for h in huddles:
            assert (h.team_id, h.started_by_id) in leaders
            assert (
                ANCHOR - dt.timedelta(days=22) < h.started_at < ANCHOR
                and timezone.localtime(h.started_at).weekday() < 5
            )
        assert Counter(h.team_id for h in huddles) == dict.fromkeys(Team.objects.values_list("id", flat=True), 15)
        decisions = list(HuddleDecision.objects.select_related("huddle", "support_period"))
        topics = Counter(d.topic for d in decisions)
        assert {"new", "waiting", "review", "urgent"} <= set(topics)
        for d in decisions:
            assert d.support_period.team_id == d.huddle.team_id and d.decision
            assert d.huddle.started_at <= d.recorded_at < d.huddle.started_at + dt.timedelta(hours=2)

    def test_how_close_people_feel_to_their_network(self):
        connection = Counter(Relationship.objects.values_list("connection", flat=True))
        total = sum(connection.values())
        assert set(connection) == set(Connection.values)
        assert 0.05 < connection[Connection.STRAINED] / total < 0.25 < connection[Connection.SOME] / total
