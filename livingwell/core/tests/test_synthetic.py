"""The synthetic site: deterministic, idempotent, valid, realistic, and with a sign-in for every role."""

from __future__ import annotations

import datetime as dt
import io
import re
import statistics
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django_otp.plugins.otp_totp.models import TOTPDevice

from livingwell.access.models import OPEN_STATES, Introduction, IntroductionState, Source
from livingwell.accounts.models import User
from livingwell.core.synthetic import DEMO_PASSWORD, DEMO_SIGN_INS, SITE_SLUG, build_site, demo_sign_in, site_counts
from livingwell.core.synthetic.data import POSTCODE_PATTERN
from livingwell.network.models import SUPPORT_ROLES, Membership, Role, Site
from livingwell.people.models import Person, Relationship, SharingConsent, Story
from livingwell.people.nhs_number import is_valid_nhs_number
from livingwell.support.models import Allocation, SupportPeriod

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
                "id", "person_id", "source", "state", "introduced_at", "first_conversation_at"
            )
        ),
        "allocations": list(Allocation.objects.order_by("id").values_list("id", "support_period_id", "worker_id")),
        "users": list(User.objects.order_by("id").values_list("id", "email", "display_name")),
        "stories": list(Story.objects.order_by("person_id").values_list("person_id", "what_brought_me_here")),
        "devices": list(TOTPDevice.objects.order_by("user__email").values_list("user__email", "key")),
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
    numbers = list(Person.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True))
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


def test_front_door_figures_look_like_a_real_borough():
    _build(people=600)
    introductions = list(Introduction.objects.all())
    sources = Counter(i.source for i in introductions)
    assert 0.25 < sources[Source.SELF] / len(introductions) < 0.45
    assert 0.2 < sources[Source.GP] / len(introductions) < 0.4
    assert 0.03 < sum(i.urgent for i in introductions) / len(introductions) < 0.15
    met = [i for i in introductions if i.first_conversation_at is not None]
    assert all(i.first_conversation_at >= i.introduced_at for i in met)  # type: ignore[operator]
    assert all(i.state == IntroductionState.MET for i in met)
    waits = [(i.first_conversation_at - i.introduced_at).days for i in met]  # type: ignore[operator]
    assert 10 <= statistics.median(waits) <= 30
    anchor = dt.datetime(2026, 3, 31, tzinfo=dt.UTC)
    assert all(i.introduced_at < anchor for i in introductions)
    open_now = [i for i in introductions if i.state in OPEN_STATES]
    assert 0.01 * len(introductions) < len(open_now) < 0.15 * len(introductions)
    assert all((anchor - i.introduced_at).days < 130 for i in open_now)
    ended = sum(i.state in (IntroductionState.WITHDRAWN, IntroductionState.UNREACHABLE) for i in introductions)
    assert 0 < ended < 0.15 * len(introductions)
    returning = Person.objects.annotate(n=Count("introductions")).filter(n__gt=1).count()
    assert 0.04 * 600 < returning < 0.18 * 600


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


def test_the_benchmark_runs_every_page_and_writes_a_report(tmp_path: Path):
    build_site(people=120, seed=1)  # the pages compare with the real clock, so build up to today
    report = tmp_path / "benchmarks.md"
    call_command("bench", requests=2, warm_up=0, output=str(report), build_seconds=1.5, stdout=io.StringIO())
    text = report.read_text()
    assert "<!-- bench:120 build=1.5 -->" in text
    assert "| Worker home (people I support) | Recovery worker |" in text
    assert "SCALE=500000 make bench" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "ms" not in line and "---" not in line]
    assert len(rows) >= 10
