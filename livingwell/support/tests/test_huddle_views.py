"""The team huddle board and its decisions: sections, fixed queries, audit and the access cast."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from livingwell.accounts.models import User
from livingwell.audit.models import AuditEvent, Outcome
from livingwell.network.models import Role, Team
from livingwell.support.models import (
    Allocation,
    ChangeRequestStatus,
    Contact,
    ContactMode,
    ContactStatus,
    Flag,
    Huddle,
    HuddleDecision,
    HuddleTopic,
    Plan,
    SupportPeriod,
    WorkerChangeRequest,
    WorkerKind,
)
from livingwell.support.selectors import huddle as selectors
from livingwell.testing import Cast, make_member, make_person

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _supported(
    cast: Cast, given: str, *, days: float, worker: User | None = None, team: Team | None = None, **fields: object
) -> SupportPeriod:
    person = make_person(cast.site, given, "Test")
    period = SupportPeriod.objects.create(person=person, team=team or cast.team_a, started_at=_ago(days), **fields)
    if worker is not None:
        Allocation.objects.create(support_period=period, worker=worker, started_at=period.started_at)
    return period


def _seen(period: SupportPeriod, days: float, status: ContactStatus = ContactStatus.HELD) -> None:
    Contact.objects.create(
        person=period.person, support_period=period, occurred_at=_ago(days), mode=ContactMode.PHONE, status=status
    )


def _plan(period: SupportPeriod, review_due: dt.date | None, versions: int = 2) -> None:
    Plan.objects.create(person=period.person, review_due=review_due, version_number=versions)


def _well(cast: Cast, given: str, **fields: object) -> SupportPeriod:
    """Someone supported for a while, seen last week, with a plan not yet due: in no section unless given more."""
    period = _supported(cast, given, days=100, worker=cast.team_worker, **fields)
    _seen(period, 7)
    _plan(period, timezone.localdate() + dt.timedelta(days=30))
    return period


@pytest.fixture
def board(cast: Cast) -> dict[str, SupportPeriod]:
    """Someone in each section of team A's board, and someone of team B who must not show."""
    today = timezone.localdate()
    Huddle.objects.create(team=cast.team_a, started_at=_ago(3), started_by=cast.team_leader)
    periods: dict[str, SupportPeriod] = {}
    periods["nia"] = _supported(cast, "Nia", days=2, wanted_kind=WorkerKind.PEER, wanted_note="Afternoons only")
    earlier_ray = _supported(cast, "Ray", days=300, team=cast.team_b)
    SupportPeriod.objects.filter(pk=earlier_ray.pk).update(ended_at=_ago(100))
    periods["ray"] = SupportPeriod.objects.create(
        person=earlier_ray.person, team=cast.team_a, started_at=_ago(1), resumed_from=earlier_ray
    )
    Allocation.objects.create(support_period=periods["ray"], worker=cast.team_worker, started_at=_ago(1))
    periods["will"] = _supported(cast, "Will", days=30, wanted_worker=cast.team_leader)
    _plan(periods["will"], None, versions=0)  # an empty plan is no plan yet
    periods["pat"] = _supported(cast, "Pat", days=100, worker=cast.team_worker)
    _seen(periods["pat"], 3)
    _plan(periods["pat"], today - dt.timedelta(days=1))
    periods["sid"] = _supported(cast, "Sid", days=200, worker=cast.allocated_worker)
    _seen(periods["sid"], 60)
    _seen(periods["sid"], 2, ContactStatus.NOT_HELD)  # a call nobody answered is not being seen
    _plan(periods["sid"], today + dt.timedelta(days=30))
    periods["fay"] = _well(cast, "Fay")
    Flag.objects.create(
        support_period=periods["fay"],
        reason="Said she <b>cannot</b> cope",
        raised_at=_ago(0.5),
        raised_by=cast.team_worker,
    )
    Flag.objects.create(support_period=periods["fay"], reason="Old worry", raised_at=_ago(9), cleared_at=_ago(8))
    periods["cal"] = _well(cast, "Cal")
    WorkerChangeRequest.objects.create(
        support_period=periods["cal"],
        asked_at=_ago(1),
        asked_by=periods["cal"].person.user,
        wanted_kind=WorkerKind.HOUSING,
        reason="I need help with my flat",
    )
    periods["dee"] = _well(cast, "Dee")  # nothing to talk about
    elsewhere = _supported(cast, "Bo", days=1, team=cast.team_b)
    Flag.objects.create(support_period=elsewhere, reason="Team B matter", raised_at=_ago(0.1))
    # Alex (the cast's person): 40 days of support, no plan, no contact yet (under the 6 weeks)
    periods["alex"] = SupportPeriod.objects.get(person=cast.person)
    return periods


def _section(html: str, heading: str) -> str:
    start = html.index(f">{heading}</h2>")
    end = html.find("<h2", start + 1)
    return html[start : end if end != -1 else len(html)]


def _names(section: str) -> list[str]:
    return re.findall(r'<td><a href="/people/[0-9a-f-]+/">([^<]+)</a>', section)


def test_the_board_lists_who_the_team_needs_to_talk_about(cast: Cast, board: dict[str, SupportPeriod]) -> None:
    html = client_for(cast.team_worker).get(reverse("support:huddle", args=[cast.team_a.pk])).content.decode()
    assert "<h1>Team huddle</h1>" in html
    new = _section(html, "New since last huddle")
    assert _names(new) == ["Nia Test", "Ray Test"]
    assert "Since the last huddle, on" in new
    assert "Came back" in new.split("Ray Test")[1]
    assert "Came back" not in new.split("Ray Test")[0]

    waiting = _section(html, "Waiting for a worker")
    assert _names(waiting) == ["Will Test", "Nia Test"]  # longest first
    assert "Asked for: No preference, by name: Team Leader" in waiting
    assert "Asked for: A peer worker" in waiting
    assert "Afternoons only" in waiting
    assert "(30 days)" in waiting

    reviews = _section(html, "Plans due for review")
    assert _names(reviews) == ["Alex Morgan", "Will Test", "Pat Test"]  # no plan, longest first; then by date due
    assert "No Living Well plan yet, after 4 weeks of support" in reviews
    pat_row = reviews[reviews.index(">Pat Test<") :]
    assert "Review due on" in pat_row

    not_seen = _section(html, "Not seen for 6 weeks")
    assert _names(not_seen) == ["Sid Test"]  # Alex started less than 6 weeks ago
    assert "Last seen on" in not_seen
    assert "Worker: Allocated Peer" in not_seen

    urgent = _section(html, "Urgent")
    assert _names(urgent) == ["Fay Test"]
    assert "Said she &lt;b&gt;cannot&lt;/b&gt; cope" in urgent
    assert "Old worry" not in html
    assert "Team B matter" not in html and "Bo Test" not in html
    assert "Clear the flag" in urgent

    change = _section(html, "Asked for a change of worker")
    assert _names(change) == ["Cal Test"]
    assert "Would like: Someone who knows about housing" in change
    assert "I need help with my flat" in change
    assert "Say a change is not possible yet" not in change  # a team worker does not answer requests
    assert "Choose the worker" not in html
    assert "Dee Test" not in html
    assert "Start today&#39;s huddle" in html


def test_the_team_leader_has_the_links_to_choose_workers_and_answer(
    cast: Cast, board: dict[str, SupportPeriod]
) -> None:
    html = client_for(cast.team_leader).get(reverse("support:huddle", args=[cast.team_a.pk])).content.decode()
    waiting = _section(html, "Waiting for a worker")
    assert reverse("support:allocate", args=[board["will"].pk]) in waiting
    change = _section(html, "Asked for a change of worker")
    request = WorkerChangeRequest.objects.get(status=ChangeRequestStatus.OPEN)
    assert reverse("support:change_request_answer", args=[request.pk]) in change


def test_without_a_huddle_before_new_means_the_last_7_days(cast: Cast, board: dict[str, SupportPeriod]) -> None:
    Huddle.objects.all().delete()
    SupportPeriod.objects.filter(pk=board["will"].pk).update(started_at=_ago(6))
    html = client_for(cast.team_worker).get(reverse("support:huddle", args=[cast.team_a.pk])).content.decode()
    new = _section(html, "New since last huddle")
    assert _names(new) == ["Will Test", "Nia Test", "Ray Test"]
    assert "In the last 7 days: the team has not held a huddle before" in new


def test_everyone_on_the_board_is_audited_as_seen_by_the_team(cast: Cast, board: dict[str, SupportPeriod]) -> None:
    client_for(cast.team_worker).get(reverse("support:huddle", args=[cast.team_a.pk]))
    events = AuditEvent.objects.filter(actor=cast.team_worker, action="list")
    listed = {e.person_id for e in events}
    expected = {board[k].person_id for k in ("nia", "ray", "will", "pat", "sid", "fay", "cal", "alex")}
    assert listed == expected
    assert events.count() == len(expected)  # once each, even when in several sections
    for event in events:
        assert (event.basis, event.parts, event.outcome) == ("team", ["identity", "support"], "allowed")
        assert event.detail == {"list": "huddle of North Living Well team"}


def _board_queries(cast: Cast) -> int:
    client = client_for(cast.team_leader)
    url = reverse("support:huddle", args=[cast.team_a.pk])
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_board_takes_a_fixed_small_number_of_queries(
    cast: Cast, board: dict[str, SupportPeriod], django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    Huddle.objects.create(team=cast.team_a, started_at=timezone.now())
    few = _board_queries(cast)
    for i in range(12):  # a dozen more in every section
        period = _supported(cast, f"More{i}", days=50 + i, wanted_kind=WorkerKind.RECOVERY)
        _seen(period, 70)
        Flag.objects.create(support_period=period, reason="Urgent", raised_at=_ago(1))
        HuddleDecision.objects.create(
            huddle=Huddle.objects.get(started_at__gte=_ago(0.5)),
            support_period=period,
            topic=HuddleTopic.URGENT,
            decision="Call today",
            recorded_at=timezone.now(),
            recorded_by=cast.team_leader,
        )
    assert _board_queries(cast) == few
    client = client_for(cast.team_leader)
    client.get(reverse("support:huddle", args=[cast.team_a.pk]))
    with django_assert_max_num_queries(16):
        client.get(reverse("support:huddle", args=[cast.team_a.pk]))


def test_a_long_section_shows_the_first_ones_and_says_how_many_more(
    cast: Cast, board: dict[str, SupportPeriod], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "SECTION_LIMIT", 1)
    html = client_for(cast.team_worker).get(reverse("support:huddle", args=[cast.team_a.pk])).content.decode()
    reviews = _section(html, "Plans due for review")
    assert _names(reviews) == ["Alex Morgan"]
    assert "2 more not shown here" in reviews
    assert "Plans due for review</a>: 3 people" in html


@pytest.mark.parametrize(
    "who",
    ["allocated_worker", "other_team_worker", "person_user", "consent_worker", "coordinator", "analyst", "stranger"],
)
def test_the_board_and_starting_the_huddle_are_refused_outside_the_team(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    client = client_for(user)
    url = reverse("support:huddle", args=[cast.team_a.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not Huddle.objects.exists()
    refusals = AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED)
    assert sorted(refusals.values_list("action", flat=True)) == ["create", "list"]
    assert not AuditEvent.objects.filter(actor=user, outcome=Outcome.ALLOWED).exists()


def test_an_unknown_team_is_not_found(cast: Cast) -> None:
    url = reverse("support:huddle", args=["00000000-0000-4000-8000-000000000000"])
    assert client_for(cast.team_leader).get(url).status_code == 404


def test_the_huddle_starts_and_records_a_decision_that_the_person_reads(
    cast: Cast, board: dict[str, SupportPeriod]
) -> None:
    url = reverse("support:huddle", args=[cast.team_a.pk])
    client = client_for(cast.team_worker)
    assert "Record a decision" not in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "Today&#39;s huddle has started" in html  # the message
    assert "Today&#39;s huddle started at" in html
    huddle = Huddle.objects.get(started_at__gte=_ago(0.5))
    period = board["fay"]
    decision_url = reverse("support:decision", args=[huddle.pk, period.pk])
    assert f"{decision_url}?topic=urgent" in html

    page = client.get(f"{decision_url}?topic=urgent").content.decode()
    assert "<h1>Record a decision about Fay Test</h1>" in page
    assert 'value="urgent" checked' in page
    assert AuditEvent.objects.filter(
        actor=cast.team_worker, action="view", person_id=period.person_id, parts=["identity", "support"]
    ).exists()
    response = client.post(decision_url, {"topic": "urgent", "decision": ""})
    assert "Enter what the team decided" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    response = client.post(decision_url, {"topic": "urgent", "decision": "Team Worker visits Fay today"})
    assert response.status_code == 302
    assert response["Location"] == url

    html = client.get(url).content.decode()
    urgent = _section(html, "Urgent")
    assert "Urgent: Team Worker visits Fay today (Team Worker," in urgent
    decisions = _section(html, "Decisions of today's huddle")
    assert "Team Worker visits Fay today" in decisions
    assert "Fay Test" in decisions
    page = client.get(f"{decision_url}?topic=urgent").content.decode()
    assert "Already decided today" in page

    person_page = client_for(cast.team_leader).get(reverse("person_support:overview", args=[period.person_id]))
    assert "Team Worker visits Fay today" in person_page.content.decode()


@pytest.mark.parametrize("who", ["allocated_worker", "other_team_worker", "person_user", "stranger"])
def test_the_decision_page_is_refused_outside_the_team(cast: Cast, board: dict[str, SupportPeriod], who: str) -> None:
    huddle = Huddle.objects.create(team=cast.team_a, started_at=timezone.now())
    user = getattr(cast, who)
    url = reverse("support:decision", args=[huddle.pk, board["fay"].pk])
    client = client_for(user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"topic": "urgent", "decision": "x"}).status_code == 403
    assert not HuddleDecision.objects.exists()
    refusals = AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED, person_id=board["fay"].person_id)
    assert refusals.count() == 2


def test_the_decision_page_only_knows_people_of_the_huddles_team(cast: Cast, board: dict[str, SupportPeriod]) -> None:
    huddle = Huddle.objects.create(team=cast.team_a, started_at=timezone.now())
    elsewhere = SupportPeriod.objects.get(team=cast.team_b, ended_at__isnull=True)
    client = client_for(cast.team_leader)
    assert client.get(reverse("support:decision", args=[huddle.pk, elsewhere.pk])).status_code == 404
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.get(reverse("support:decision", args=[unknown, board["fay"].pk])).status_code == 404


def test_a_member_of_two_teams_sees_each_teams_board(cast: Cast, board: dict[str, SupportPeriod]) -> None:
    both = make_member(cast.site, cast.trust, Role.SOCIAL_WORKER, team=cast.team_a, name="Both Teams")
    from livingwell.network.models import Membership

    Membership.objects.create(
        user=both,
        site=cast.site,
        organisation=cast.trust,
        team=cast.team_b,
        role=Role.SOCIAL_WORKER,
        started_on=dt.date(2024, 1, 1),
    )
    client = client_for(both)
    assert "Bo Test" in client.get(reverse("support:huddle", args=[cast.team_b.pk])).content.decode()
    assert "Bo Test" not in client.get(reverse("support:huddle", args=[cast.team_a.pk])).content.decode()
