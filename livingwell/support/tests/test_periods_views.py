"""Support pages of one person, choosing the worker, urgent flags and asking for a change: HTML, access cast, audit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from livingwell.accounts.models import User
from livingwell.audit.models import AuditEvent, Outcome
from livingwell.network.models import Role
from livingwell.support.models import (
    Allocation,
    ChangeRequestStatus,
    Flag,
    Huddle,
    HuddleDecision,
    HuddleTopic,
    SupportPeriod,
    WorkerChangeRequest,
    WorkerKind,
)
from livingwell.support.services import periods as services
from livingwell.testing import Cast, make_member

pytestmark = pytest.mark.django_db

STAFF_CAST_REFUSED = ["other_team_worker", "consent_worker", "coordinator", "analyst", "stranger"]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def period(cast: Cast) -> SupportPeriod:
    return SupportPeriod.objects.select_related("person", "team").get(person=cast.person)


@pytest.fixture
def peer_in_team(cast: Cast) -> User:
    return make_member(cast.site, cast.charity, Role.PEER_WORKER, team=cast.team_a, name="Priya Peer")


def _overview_url(cast: Cast) -> str:
    return reverse("person_support:overview", args=[cast.person.pk])


def _refused(user: User, person_id: object) -> AuditEvent:
    return AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED, person_id=person_id).latest("id")


# The support page ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "basis"),
    [("team_worker", "team"), ("team_leader", "team"), ("allocated_worker", "allocated"), ("person_user", "self")],
)
def test_who_may_read_the_support_page_and_that_it_is_audited(cast: Cast, who: str, basis: str) -> None:
    user = getattr(cast, who)
    response = client_for(user).get(_overview_url(cast))
    assert response.status_code == 200
    assert "Allocated Peer" in response.content.decode()
    event = AuditEvent.objects.get(actor=user, action="view", person_id=cast.person.pk)
    assert (event.parts, event.basis, event.outcome) == (["support"], basis, "allowed")


@pytest.mark.parametrize("who", [*STAFF_CAST_REFUSED, "psychiatrist"])
def test_the_support_page_is_refused_without_a_relationship_and_audited(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    response = client_for(user).get(_overview_url(cast))
    assert response.status_code == 403
    assert _refused(user, cast.person.pk).parts == ["support"]
    assert not AuditEvent.objects.filter(actor=user, outcome=Outcome.ALLOWED, person_id=cast.person.pk).exists()


def test_unknown_person_is_not_found_and_signed_out_visitors_sign_in(cast: Cast) -> None:
    url = reverse("person_support:overview", args=["00000000-0000-4000-8000-000000000000"])
    assert client_for(cast.team_worker).get(url).status_code == 404
    response = Client().get(_overview_url(cast))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def _history(cast: Cast, period: SupportPeriod, peer_in_team: User) -> None:
    """A change of worker not as asked, an answered request, a cleared and an open flag, and a huddle decision."""
    services.change_request_make(
        actor=cast.person_user, period=period, wanted_kind=WorkerKind.PEER, reason="I'd like <b>someone</b> else"
    )
    services.allocate(
        actor=cast.team_leader,
        period=period,
        worker=cast.team_worker,
        why_not_as_chosen="Priya is full until March, and Team Worker knows your area.",
    )
    flag = services.flag_raise(actor=cast.team_worker, period=period, reason="Eviction notice for Friday")
    services.flag_clear(actor=cast.team_worker, flag=flag, note="Eviction paused")
    services.flag_raise(actor=cast.team_worker, period=period, reason="Missed two meetings and not answering")
    huddle = Huddle.objects.create(team=cast.team_a, started_at=timezone.now())
    HuddleDecision.objects.create(
        huddle=huddle,
        support_period=period,
        topic=HuddleTopic.URGENT,
        decision="Team Worker visits at home tomorrow",
        recorded_at=timezone.now(),
        recorded_by=cast.team_leader,
    )


def test_the_person_reads_their_support_worded_for_them_with_everything_written_about_them(
    cast: Cast, period: SupportPeriod, peer_in_team: User
) -> None:
    _history(cast, period, peer_in_team)
    html = client_for(cast.person_user).get(_overview_url(cast)).content.decode()
    assert "Your support from North Living Well team" in html
    assert "What you asked for" in html
    assert "Your workers" in html
    assert "Team Worker, since" in html  # the worker now
    assert "Changed: The person asked for a change of worker" in html  # the worker before, kept with the reason
    assert "Not who you asked for, because: Priya is full until March" in html
    assert "I&#39;d like &lt;b&gt;someone&lt;/b&gt; else" in html  # their words, escaped
    assert "became your worker on" in html
    assert "Missed two meetings and not answering" in html  # open urgent flag: the person sees it
    assert "Eviction paused" in html  # the cleared flag and what was done
    assert "What the team decided about you at their daily meetings" in html
    assert "Team Worker visits at home tomorrow" in html
    assert "Ask for a different worker" in html
    assert "Change what you asked for in a worker" in html
    assert "Choose the worker" not in html and "Change the worker" not in html
    assert "Raise an urgent flag" not in html
    assert "Clear the flag" not in html


def test_the_team_leader_sees_the_history_and_the_links_to_act(
    cast: Cast, period: SupportPeriod, peer_in_team: User
) -> None:
    _history(cast, period, peer_in_team)
    html = client_for(cast.team_leader).get(_overview_url(cast)).content.decode()
    assert "<h1>Support</h1>" in html
    assert "What Alex Morgan asked for" in html
    assert "Huddle decisions" in html
    assert reverse("support:allocate", args=[period.pk]) in html
    assert "Change the worker" in html
    assert "Raise an urgent flag" in html
    assert "Clear the flag" in html
    assert "Ask for a different worker for Alex Morgan" not in html  # the team leader changes the worker directly
    worker_html = client_for(cast.team_worker).get(_overview_url(cast)).content.decode()
    assert "Ask for a different worker for Alex Morgan" in worker_html
    assert "Change the worker" not in worker_html
    assert "Say a change is not possible yet" not in worker_html


def test_past_support_and_coming_back_are_shown(cast: Cast, period: SupportPeriod) -> None:
    now = timezone.now()
    earlier = SupportPeriod.objects.create(
        person=cast.person,
        team=cast.team_b,
        started_at=now - dt.timedelta(days=400),
        ended_at=now - dt.timedelta(days=200),
    )
    Allocation.objects.create(
        support_period=earlier,
        worker=cast.other_team_worker,
        started_at=now - dt.timedelta(days=399),
        ended_at=now - dt.timedelta(days=200),
        end_reason="Support ended",
    )
    SupportPeriod.objects.filter(pk=period.pk).update(resumed_from=earlier)
    html = client_for(cast.person_user).get(_overview_url(cast)).content.decode()
    assert "Your past support" in html
    assert "South Living Well team, until" in html
    assert "Other Team" in html
    assert "Picked up from the support that ended on" in html


def test_the_support_page_reads_in_a_fixed_number_of_queries(
    cast: Cast, period: SupportPeriod, peer_in_team: User, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(cast.team_leader)
    client.get(_overview_url(cast))
    _history(cast, period, peer_in_team)
    for i in range(5):
        earlier = SupportPeriod.objects.create(
            person=cast.person,
            team=cast.team_b,
            started_at=timezone.now() - dt.timedelta(days=400 + i * 10),
            ended_at=timezone.now() - dt.timedelta(days=300 + i * 10),
        )
        Flag.objects.create(support_period=earlier, reason="x", raised_at=earlier.started_at)
    with django_assert_max_num_queries(16):
        assert client.get(_overview_url(cast)).status_code == 200


# Choosing the worker -------------------------------------------------------------------------------------


def test_the_team_leader_sees_what_the_person_asked_for_and_who_fits(
    cast: Cast, period: SupportPeriod, peer_in_team: User
) -> None:
    SupportPeriod.objects.filter(pk=period.pk).update(wanted_kind=WorkerKind.PEER, wanted_note="Not on Mondays")
    url = reverse("support:allocate", args=[period.pk])
    html = client_for(cast.team_leader).get(url).content.decode()
    assert "<h1>Change the worker for Alex Morgan</h1>" in html
    assert "A peer worker, who has their own experience of mental health problems" in html
    assert "Not on Mondays" in html
    assert "Peer worker. Worker of 0 people now. Fits what Alex Morgan asked for." in html
    assert "Recovery worker. Worker of 0 people now. Not what Alex Morgan asked for." in html
    assert html.index("Priya Peer") < html.index("Team Worker")  # who fits comes first
    # Without JavaScript the question is always there, with a hint that says when it is needed.
    assert "Why is this not who Alex Morgan asked for?" in html
    assert "Only needed when the worker is not who" in html
    assert 'data-fits="true"' in html and 'data-fits="false"' in html
    event = AuditEvent.objects.get(actor=cast.team_leader, action="view", person_id=cast.person.pk)
    assert (event.parts, event.basis) == (["identity", "support"], "team")


def test_choosing_a_worker_not_as_asked_without_saying_why_shows_the_error_and_keeps_the_answers(
    cast: Cast, period: SupportPeriod, peer_in_team: User
) -> None:
    SupportPeriod.objects.filter(pk=period.pk).update(wanted_kind=WorkerKind.PEER)
    url = reverse("support:allocate", args=[period.pk])
    client = client_for(cast.team_leader)
    response = client.post(url, {"worker": str(cast.team_worker.pk), "end_reason": "Moved area"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Say why the worker is not who Alex Morgan asked for" in html
    assert 'href="#id_why_not_as_chosen"' in html
    assert re.search(rf'<input[^>]*value="{cast.team_worker.pk}"[^>]*\bchecked\b', html)  # the answer is kept
    assert 'value="Moved area"' in html
    assert _current_worker(period) == cast.allocated_worker

    response = client.post(
        url, {"worker": str(cast.team_worker.pk), "why_not_as_chosen": "Peer workers are full", "end_reason": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == _overview_url(cast)
    assert _current_worker(period) == cast.team_worker
    page = client.get(response["Location"]).content.decode()
    assert "Team Worker is now Alex Morgan&#39;s worker" in page


def _current_worker(period: SupportPeriod) -> User:
    return Allocation.objects.get(support_period=period, ended_at__isnull=True).worker


def test_a_worker_who_fits_is_chosen_without_a_reason(cast: Cast, period: SupportPeriod, peer_in_team: User) -> None:
    SupportPeriod.objects.filter(pk=period.pk).update(wanted_kind=WorkerKind.PEER)
    response = client_for(cast.team_leader).post(
        reverse("support:allocate", args=[period.pk]), {"worker": str(peer_in_team.pk)}
    )
    assert response.status_code == 302
    assert Allocation.objects.get(support_period=period, ended_at__isnull=True).honours_choice


def test_choosing_needs_a_worker_of_the_team(cast: Cast, period: SupportPeriod) -> None:
    url = reverse("support:allocate", args=[period.pk])
    html = client_for(cast.team_leader).post(url, {}).content.decode()
    assert "Select a worker" in html
    html = client_for(cast.team_leader).post(url, {"worker": str(cast.other_team_worker.pk)}).content.decode()
    assert "Select a worker from the team" in html


@pytest.mark.parametrize("who", ["team_worker", "allocated_worker", "person_user", *STAFF_CAST_REFUSED, "psychiatrist"])
def test_only_the_team_leader_may_open_or_post_the_choice_of_worker(
    cast: Cast, period: SupportPeriod, who: str
) -> None:
    user = getattr(cast, who)
    url = reverse("support:allocate", args=[period.pk])
    client = client_for(user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"worker": str(cast.team_worker.pk), "why_not_as_chosen": "x"}).status_code == 403
    assert _current_worker(period) == cast.allocated_worker
    refusals = AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED, person_id=cast.person.pk)
    assert sorted(refusals.values_list("action", flat=True)) == ["change", "view"]


def test_unknown_period_is_not_found(cast: Cast) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    client = client_for(cast.team_leader)
    for name in ("support:allocate", "support:flag"):
        assert client.get(reverse(name, args=[unknown])).status_code == 404
    assert client.get(reverse("support:flag_clear", args=[unknown])).status_code == 404
    assert client.get(reverse("support:change_request_answer", args=[unknown])).status_code == 404


# Urgent flags ----------------------------------------------------------------------------------------------


def test_a_worker_raises_a_flag_the_person_reads_and_a_worker_clears_it(cast: Cast, period: SupportPeriod) -> None:
    url = reverse("support:flag", args=[period.pk])
    client = client_for(cast.team_worker)
    html = client.get(url).content.decode()
    assert "<h1>Raise an urgent flag about Alex Morgan</h1>" in html
    response = client.post(url, {"reason": ""})
    assert "Say what is urgent" in response.content.decode()
    response = client.post(url, {"reason": "Not answering the phone since the funeral"})
    assert response.status_code == 302
    flag = Flag.objects.get(support_period=period)

    person_page = client_for(cast.person_user).get(_overview_url(cast)).content.decode()
    assert "Not answering the phone since the funeral" in person_page

    clear_url = reverse("support:flag_clear", args=[flag.pk])
    other = client_for(cast.allocated_worker)
    assert "Not answering the phone since the funeral" in other.get(clear_url).content.decode()
    assert "Say what was done about it" in other.post(clear_url, {"note": ""}).content.decode()
    assert other.post(clear_url, {"note": "Visited; they are safe"}).status_code == 302
    flag.refresh_from_db()
    assert flag.cleared_by == cast.allocated_worker
    assert "This flag has already been cleared" in other.get(clear_url).content.decode()


@pytest.mark.parametrize("who", ["person_user", *STAFF_CAST_REFUSED])
def test_flags_are_refused_to_anyone_outside_the_team(cast: Cast, period: SupportPeriod, who: str) -> None:
    user = getattr(cast, who)
    flag = Flag.objects.create(support_period=period, reason="Urgent", raised_at=timezone.now())
    client = client_for(user)
    assert client.get(reverse("support:flag", args=[period.pk])).status_code == 403
    assert client.post(reverse("support:flag", args=[period.pk]), {"reason": "x"}).status_code == 403
    assert client.get(reverse("support:flag_clear", args=[flag.pk])).status_code == 403
    assert client.post(reverse("support:flag_clear", args=[flag.pk]), {"note": "x"}).status_code == 403
    assert Flag.objects.count() == 1
    assert AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED, person_id=cast.person.pk).count() == 4


# Asking for a different worker ----------------------------------------------------------------------------


def test_the_person_asks_for_a_different_worker(cast: Cast, period: SupportPeriod, peer_in_team: User) -> None:
    url = reverse("person_support:ask_for_change", args=[cast.person.pk])
    client = client_for(cast.person_user)
    html = client.get(url).content.decode()
    assert "<h1>Ask for a different worker</h1>" in html
    assert "Your worker now is Allocated Peer (North Living Well team)." in html
    assert "What kind of worker would you like?" in html
    assert "Is there someone in the team you would like by name? (optional)" in html
    assert "Priya Peer (Peer worker)" in html
    assert "you do not have to say why" in html
    assert AuditEvent.objects.filter(actor=cast.person_user, action="view", parts=["support"]).exists()

    response = client.post(url, {"wanted_kind": ""})
    assert "Select the kind of worker" in response.content.decode()

    response = client.post(
        url, {"wanted_kind": "peer", "wanted_worker": str(peer_in_team.pk), "reason": "We do not get on"}
    )
    assert response.status_code == 302
    change = WorkerChangeRequest.objects.get(support_period=period)
    assert (change.wanted_kind, change.wanted_worker, change.reason, change.asked_by) == (
        "peer",
        peer_in_team,
        "We do not get on",
        cast.person_user,
    )
    page = client.get(response["Location"]).content.decode()
    assert "You have asked for a different worker. The team leader will answer soon" in page
    assert "You asked for a different worker on" in page
    again = client.get(url).content.decode()
    assert "You have already asked for a different worker" in again
    assert "<form method" not in again.split("</nav>")[-1]


def test_a_worker_asks_on_the_persons_behalf_and_the_team_leader_answers(cast: Cast, period: SupportPeriod) -> None:
    url = reverse("person_support:ask_for_change", args=[cast.person.pk])
    worker = client_for(cast.team_worker)
    html = worker.get(url).content.decode()
    assert "Ask for a different worker for Alex Morgan" in html
    assert "What kind of worker would Alex Morgan like?" in html
    assert worker.post(url, {"wanted_kind": "psychology"}).status_code == 302
    change = WorkerChangeRequest.objects.get(support_period=period)

    answer_url = reverse("support:change_request_answer", args=[change.pk])
    assert client_for(cast.team_worker).get(answer_url).status_code == 403
    leader = client_for(cast.team_leader)
    html = leader.get(answer_url).content.decode()
    assert "A psychologist" in html
    assert "Say why a change is not possible yet" in leader.post(answer_url, {"answer": ""}).content.decode()
    assert leader.post(answer_url, {"answer": "Our psychologist returns in May"}).status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.NOT_POSSIBLE
    person_page = client_for(cast.person_user).get(_overview_url(cast)).content.decode()
    assert "Not possible yet" in person_page
    assert "Our psychologist returns in May" in person_page
    assert "asked by Team Worker" in person_page


@pytest.mark.parametrize("who", [*STAFF_CAST_REFUSED, "psychiatrist"])
def test_asking_for_a_worker_is_refused_to_others(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    client = client_for(user)
    for name in ("person_support:ask_for_change", "person_support:wanted"):
        url = reverse(name, args=[cast.person.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"wanted_kind": "peer"}).status_code == 403
    assert not WorkerChangeRequest.objects.exists()
    assert AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED, person_id=cast.person.pk).count() == 4


def test_a_coordinator_at_the_front_door_reads_support_but_cannot_ask_for_a_worker(cast: Cast) -> None:
    from livingwell.access.models import IntroductionState

    cast.person.introductions.update(state=IntroductionState.CONTACTING)  # an open introduction again
    client = client_for(cast.coordinator)
    assert client.get(_overview_url(cast)).status_code == 200
    assert client.get(reverse("person_support:ask_for_change", args=[cast.person.pk])).status_code == 403


def test_without_a_worker_the_person_changes_what_they_would_like(cast: Cast, period: SupportPeriod) -> None:
    Allocation.objects.filter(support_period=period).update(ended_at=timezone.now(), end_reason="Left the team")
    client = client_for(cast.person_user)
    html = client.get(reverse("person_support:ask_for_change", args=[cast.person.pk])).content.decode()
    assert "You do not have a worker yet." in html
    wanted_url = reverse("person_support:wanted", args=[cast.person.pk])
    assert wanted_url in html
    html = client.get(wanted_url).content.decode()
    assert "<h1>What you would like in a worker</h1>" in html
    response = client.post(wanted_url, {"wanted_kind": "housing", "wanted_note": "Someone who knows about damp"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.wanted_kind, period.wanted_note) == ("housing", "Someone who knows about damp")
    page = client.get(_overview_url(cast)).content.decode()
    assert "Waiting for a worker" in page
    assert "Someone who knows about housing. Someone who knows about damp" in page


def test_with_support_from_two_teams_the_person_chooses_which(cast: Cast, period: SupportPeriod) -> None:
    second = SupportPeriod.objects.create(person=cast.person, team=cast.team_b, started_at=timezone.now())
    Allocation.objects.create(support_period=second, worker=cast.other_team_worker, started_at=timezone.now())
    url = reverse("person_support:ask_for_change", args=[cast.person.pk])
    client = client_for(cast.person_user)
    html = client.get(url + f"?period={second.pk}").content.decode()
    assert "Which support is this about?" in html
    assert client.post(url, {"period": str(second.pk), "wanted_kind": "peer"}).status_code == 302
    assert WorkerChangeRequest.objects.get().support_period == second


def test_nobody_supported_now_sees_that_there_is_no_worker_to_change(cast: Cast, period: SupportPeriod) -> None:
    SupportPeriod.objects.filter(pk=period.pk).update(ended_at=timezone.now())
    html = client_for(cast.person_user).get(reverse("person_support:ask_for_change", args=[cast.person.pk]))
    assert "You are not being supported by a Living Well team at the moment" in html.content.decode()


# Home pages and the menu ----------------------------------------------------------------------------------


def test_the_team_leader_home_links_to_the_huddle_and_the_people_waiting(cast: Cast) -> None:
    from livingwell.testing import make_person

    waiting = make_person(cast.site, "Wren", "Waiting")
    SupportPeriod.objects.create(person=waiting, team=cast.team_a, started_at=timezone.now())
    html = client_for(cast.team_leader).get(reverse("core:home")).content.decode()
    huddle_url = reverse("support:huddle", args=[cast.team_a.pk])
    assert f'href="{huddle_url}">Today\'s team huddle' in html
    assert f'href="{huddle_url}#waiting">1 waiting for a worker' in html
    assert "Team huddle" in html  # the menu


def test_a_worker_home_links_to_their_team_huddle(cast: Cast) -> None:
    html = client_for(cast.team_worker).get(reverse("core:home")).content.decode()
    assert reverse("support:huddle", args=[cast.team_a.pk]) in html
    assert "Huddle of North Living Well team" in html
    html = client_for(cast.analyst).get(reverse("core:home")).content.decode()
    assert "Team huddle" not in html
