"""Moving on and coming back: the pages, asserted on the HTML, and the access cast for each, with audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from livingwell.access import services as front_door
from livingwell.access.models import Introduction, IntroductionState, Source
from livingwell.accounts.models import User
from livingwell.audit.models import Action, AuditEvent, Basis, Outcome, Part
from livingwell.network.models import Membership
from livingwell.network.tests.conftest import sign_in_verified as client_for
from livingwell.support.models import Allocation, MovingOn, Plan, SupportPeriod, WorkerKind
from livingwell.support.services import moving_on as services
from livingwell.support.tests.test_moving_on_services import make_plan, move_on, open_period
from livingwell.testing import Cast, refresh_user

pytestmark = pytest.mark.django_db

EVERYONE = (
    "person_user",
    "team_worker",
    "team_leader",
    "allocated_worker",
    "other_team_worker",
    "consent_worker",
    "coordinator",
    "analyst",
    "site_admin",
    "privacy_officer",
    "psychiatrist",
    "stranger",
)


def html(response: Any) -> str:
    return response.content.decode()


def flash(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _events(cast: Cast, who: User, **filters: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(person_id=cast.person.pk, actor=who, **filters))


def _form(**overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {
        "moved_on_on_0": today.day,
        "moved_on_on_1": today.month,
        "moved_on_on_2": today.year,
        "reason": "goals_reached",
        "what_helped": "The running club",
        "if_things_get_hard": "Call my sister",
        "how_to_come_back": "Call the team",
        "person_words": "Thank <b>you</b>",
        "written_with_person": "yes",
    }
    data.update(overrides)
    return data


def _open_introduction(cast: Cast) -> Introduction:
    return Introduction.objects.create(
        person=cast.person, site=cast.site, source=Source.SELF, introduced_at=timezone.now() - dt.timedelta(days=1)
    )


# Moving on ----------------------------------------------------------------------------------------------


def test_the_moving_on_page_starts_with_their_safety_plan_and_the_site_s_words(cast: Cast) -> None:
    make_plan(cast.person)
    period = open_period(cast)
    page = html(client_for(cast.team_worker).get(reverse("moving_on:move_on", args=[cast.person.pk, period.pk])))
    assert "<h1>Moving on from North Living Well team</h1>" in page
    assert "Signs that things are getting hard:\nNot sleeping, &lt;b&gt;staying in&lt;/b&gt;" in page
    assert "Things you can do that help:\nWalking by the river" in page
    assert "Who to contact in a crisis:\nMy sister Jo" in page
    assert "call NHS 111 and choose the mental health option" in page
    assert "If it is within 12 months, we will pick up where we left off" in page
    assert "Get back to work" in page  # their goals, to talk about
    assert "Allocated Peer" in page
    assert "End support and save the farewell summary" in page
    assert "Email them a copy" not in page  # no email address they agreed to
    view = _events(cast, cast.team_worker, action=Action.VIEW)
    assert [(e.parts, e.basis) for e in view] == [([Part.PLAN, Part.SUPPORT], Basis.TEAM)]


def test_the_site_s_months_are_in_the_words_on_how_to_come_back(cast: Cast) -> None:
    cast.site.months_to_come_back = 18
    cast.site.save()
    period = open_period(cast)
    page = html(client_for(cast.team_worker).get(reverse("moving_on:move_on", args=[cast.person.pk, period.pk])))
    assert "If it is within 18 months" in page
    assert "Signs that things are getting hard" not in page  # no safety plan yet


def test_moving_on_sends_the_worker_home_and_the_person_reads_their_farewell(cast: Cast) -> None:
    period = open_period(cast)
    url = reverse("moving_on:move_on", args=[cast.person.pk, period.pk])
    worker = client_for(cast.team_worker)
    response = worker.post(url, _form())
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert flash(response) == [
        "Alex Morgan has moved on from North Living Well team. They can read the farewell summary in their record. "
        "You no longer see their record, unless they come back."
    ]
    period.refresh_from_db()
    assert not period.is_open
    # The worker lost access at once, and the refusal is audited.
    assert worker.get(reverse("people:record", args=[cast.person.pk])).status_code == 403
    farewell_url = reverse("moving_on:farewell", args=[cast.person.pk, period.pk])
    assert worker.get(farewell_url).status_code == 403
    assert _events(cast, cast.team_worker, outcome=Outcome.REFUSED)
    # A second click on save does not show a refusal.
    again = worker.post(url, _form())
    assert again.status_code == 302 and again.url == reverse("core:home")
    assert MovingOn.objects.count() == 1
    # The person reads their farewell, as "you".
    page = html(client_for(cast.person_user).get(farewell_url))
    assert "<h1>Your farewell summary</h1>" in page
    assert "The running club" in page and "Call my sister" in page and "Call the team" in page
    assert "In your words" in page and "Thank &lt;b&gt;you&lt;/b&gt;" in page
    assert "Yes, written together with you" in page
    assert "Come back to Living Well" in page
    assert reverse("moving_on:come_back", args=[cast.person.pk]) in page
    seen = _events(cast, cast.person_user, action=Action.VIEW)
    assert [(e.parts, e.basis) for e in seen] == [([Part.SUPPORT], Basis.SELF)]


def test_a_worker_who_still_sees_the_record_goes_to_the_farewell(cast: Cast) -> None:
    SupportPeriod.objects.create(person=cast.person, team=cast.team_b, started_at=timezone.now())
    period = open_period(cast)
    response = client_for(cast.allocated_worker).post(
        reverse("moving_on:move_on", args=[cast.person.pk, period.pk]), _form()
    )
    assert response.url == reverse("moving_on:farewell", args=[cast.person.pk, period.pk])
    page = html(client_for(cast.allocated_worker).get(response.url))
    assert "<h1>Farewell summary</h1>" in page and "Yes, written together with them" in page


def test_the_moving_on_form_keeps_the_answers_when_something_is_missing(cast: Cast) -> None:
    period = open_period(cast)
    response = client_for(cast.team_worker).post(
        reverse("moving_on:move_on", args=[cast.person.pk, period.pk]),
        _form(reason="", what_helped="", person_words="Kept <words>"),
    )
    page = html(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select why support is ending" in page and "Say what helped, in their words if you can" in page
    assert "Kept &lt;words&gt;" in page
    assert open_period(cast).is_open


def test_a_date_before_support_started_is_shown_by_the_field(cast: Cast) -> None:
    period = open_period(cast)
    before = timezone.localdate() - dt.timedelta(days=100)
    response = client_for(cast.team_worker).post(
        reverse("moving_on:move_on", args=[cast.person.pk, period.pk]),
        _form(moved_on_on_0=before.day, moved_on_on_1=before.month, moved_on_on_2=before.year),
    )
    assert "when it started" in html(response)
    assert open_period(cast).is_open


def test_an_earlier_date_ends_support_on_that_day(cast: Cast) -> None:
    period = open_period(cast)
    day = timezone.localdate() - dt.timedelta(days=3)
    client_for(cast.team_worker).post(
        reverse("moving_on:move_on", args=[cast.person.pk, period.pk]),
        _form(moved_on_on_0=day.day, moved_on_on_1=day.month, moved_on_on_2=day.year, written_with_person="no"),
    )
    moving_on = MovingOn.objects.get()
    assert timezone.localtime(moving_on.moved_on_at).date() == day and not moving_on.written_with_person


def test_the_worker_can_email_a_copy(cast: Cast) -> None:
    cast.person.email = "alex@example.test"
    cast.person.may_email = True
    cast.person.save()
    period = open_period(cast)
    url = reverse("moving_on:move_on", args=[cast.person.pk, period.pk])
    worker = client_for(cast.team_worker)
    assert "Email them a copy of the farewell summary" in html(worker.get(url))
    response = worker.post(url, _form(email_copy="on"))
    assert "We have emailed them a copy." in flash(response)[0]


def test_an_ended_or_unknown_period_is_not_found(cast: Cast) -> None:
    import uuid

    worker = client_for(cast.team_worker)
    assert worker.get(reverse("moving_on:move_on", args=[cast.person.pk, uuid.uuid4()])).status_code == 404
    assert worker.get(reverse("moving_on:move_on", args=[uuid.uuid4(), uuid.uuid4()])).status_code == 404
    assert worker.get(reverse("moving_on:farewell", args=[cast.person.pk, open_period(cast).pk])).status_code == 404


@pytest.mark.parametrize("who", EVERYONE)
def test_access_cast_for_the_moving_on_page(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    period = open_period(cast)
    url = reverse("moving_on:move_on", args=[cast.person.pk, period.pk])
    allowed = {"team_worker": Basis.TEAM, "team_leader": Basis.TEAM, "allocated_worker": Basis.ALLOCATED}
    client = client_for(user)
    response = client.get(url)
    if who in allowed:
        assert response.status_code == 200
        event = _events(cast, user, action=Action.VIEW)[0]
        assert event.outcome == Outcome.ALLOWED and event.basis == allowed[who] and Part.SUPPORT in event.parts
        response = client.post(url, _form())
        assert response.status_code == 302
        change = _events(cast, user, action=Action.CHANGE)[0]
        assert change.parts == [Part.SUPPORT] and change.basis == allowed[who]
        assert not SupportPeriod.objects.get(pk=period.pk).is_open
    else:
        assert response.status_code == 403
        assert client.post(url, _form()).status_code == 403
        refusals = _events(cast, user, outcome=Outcome.REFUSED)
        assert len(refusals) == 2 and all(Part.SUPPORT in e.parts for e in refusals)
        assert SupportPeriod.objects.get(pk=period.pk).is_open


@pytest.mark.parametrize("who", EVERYONE)
def test_access_cast_for_the_farewell_after_moving_on(cast: Cast, who: str) -> None:
    moving_on = move_on(cast)
    _open_introduction(cast)  # the coordinator works a new introduction for them
    user = getattr(cast, who)
    response = client_for(user).get(reverse("moving_on:farewell", args=[cast.person.pk, moving_on.support_period_id]))
    allowed = {"person_user": Basis.SELF, "coordinator": Basis.FRONT_DOOR}
    if who in allowed:
        assert response.status_code == 200
        assert "The running club, and &lt;i&gt;talking&lt;/i&gt; to Sam" in html(response)
        event = _events(cast, user, action=Action.VIEW)[0]
        assert event.parts == [Part.SUPPORT] and event.basis == allowed[who] and event.outcome == Outcome.ALLOWED
    else:
        assert response.status_code == 403
        assert _events(cast, user, outcome=Outcome.REFUSED)[0].parts == [Part.SUPPORT]


def test_the_team_reads_an_earlier_farewell_once_the_person_is_back(cast: Cast) -> None:
    moving_on = move_on(cast, months_ago=2)
    services.support_resume(actor=refresh_user(cast.person_user), person=cast.person)
    page = html(
        client_for(cast.team_worker).get(
            reverse("moving_on:farewell", args=[cast.person.pk, moving_on.support_period_id])
        )
    )
    assert "<h1>Farewell summary</h1>" in page and "Come back to Living Well" not in page


# Coming back: the person's page ---------------------------------------------------------------------------


def test_the_person_comes_back_within_the_months_and_is_picked_up(cast: Cast) -> None:
    make_plan(cast.person)
    move_on(cast, months_ago=11)
    url = reverse("moving_on:come_back", args=[cast.person.pk])
    person = client_for(cast.person_user)
    page = html(person.get(url))
    assert "<h1>Come back to Living Well</h1>" in page
    assert "you can pick up where you left off, without a new first conversation" in page
    assert "Allocated Peer, who supported you before" in page
    assert "Your plan, as you left it" in page
    assert "11 months ago" in page
    assert "Pick up where I left off, with North Living Well team" in page
    assert "I would like to start again with a first conversation" in page
    assert _events(cast, cast.person_user, action=Action.VIEW)[0].basis == Basis.SELF

    response = person.post(url, {"choice": "pick_up", "in_their_words": "I lost my flat"})
    assert response.status_code == 302
    assert response.url == reverse("person_support:overview", args=[cast.person.pk])
    assert flash(response) == [
        "Welcome back. You are with North Living Well team again. Allocated Peer will be in touch."
    ]
    period = SupportPeriod.objects.get(person=cast.person, ended_at__isnull=True)
    assert period.resumed_from is not None
    assert Allocation.objects.get(support_period=period).worker == cast.allocated_worker
    assert Plan.objects.get(person=cast.person).review_due == timezone.localdate()
    created = _events(cast, cast.person_user, action=Action.CREATE)[0]
    assert created.parts == [Part.SUPPORT] and created.basis == Basis.SELF
    # Back with their team: the come-back page now says so.
    assert "You are supported by North Living Well team now." in html(person.get(url))


def test_the_person_whose_worker_left_is_told_the_team_will_find_one(cast: Cast) -> None:
    move_on(cast, months_ago=4)
    Membership.objects.filter(user=cast.allocated_worker).update(ended_on=timezone.localdate())
    url = reverse("moving_on:come_back", args=[cast.person.pk])
    person = client_for(cast.person_user)
    assert "Allocated Peer no longer works here. The team leader will find you a worker" in html(person.get(url))
    response = person.post(url, {"choice": "pick_up"})
    assert flash(response) == ["Welcome back. You are with North Living Well team again. They will find you a worker."]


def test_after_13_months_the_person_asks_for_a_first_conversation(cast: Cast) -> None:
    move_on(cast, months_ago=13)
    url = reverse("moving_on:come_back", args=[cast.person.pk])
    person = client_for(cast.person_user)
    page = html(person.get(url))
    assert "It is more than 12 months since then, so we start again with a first conversation" in page
    assert "Pick up where I left off" not in page
    # Picking up anyway (a form opened earlier) is not one of the choices any more.
    assert "Select what you would like to do" in html(person.post(url, {"choice": "pick_up"}))
    assert not SupportPeriod.objects.filter(person=cast.person, ended_at__isnull=True).exists()

    response = person.post(url, {"choice": "first_conversation", "in_their_words": "Low again", "unsafe_now": "no"})
    introduction = Introduction.objects.get(person=cast.person, state=IntroductionState.NEW)
    assert introduction.in_their_words == "Low again" and introduction.source == Source.SELF
    assert flash(response) == [
        "Thank you. The Living Well Hub will contact you to arrange a first conversation. "
        f"Your reference is {introduction.reference}."
    ]
    assert f"Your reference is {introduction.reference}" in html(person.get(url))
    created = _events(cast, cast.person_user, action=Action.CREATE)[0]
    assert created.basis == Basis.SELF and created.detail["came_back"] is True


def test_feeling_unsafe_when_starting_again_shows_help_now_and_marks_it_urgent(cast: Cast) -> None:
    move_on(cast, months_ago=13)
    response = client_for(cast.person_user).post(
        reverse("moving_on:come_back", args=[cast.person.pk]), {"choice": "first_conversation", "unsafe_now": "yes"}
    )
    assert "Samaritans on 116 123" in flash(response)[0]
    assert Introduction.objects.get(person=cast.person, state=IntroductionState.NEW).urgent


@pytest.mark.parametrize("who", EVERYONE)
def test_access_cast_for_the_come_back_page(cast: Cast, who: str) -> None:
    move_on(cast, months_ago=1)
    _open_introduction(cast)
    user = getattr(cast, who)
    url = reverse("moving_on:come_back", args=[cast.person.pk])
    client = client_for(user)
    response = client.get(url)
    if who == "person_user":
        assert response.status_code == 200
        assert _events(cast, user, action=Action.VIEW)[0].basis == Basis.SELF
        assert client.post(url, {"choice": "pick_up"}).status_code == 302
        assert SupportPeriod.objects.filter(person=cast.person, ended_at__isnull=True).exists()
    else:
        assert response.status_code == 403
        assert client.post(url, {"choice": "pick_up"}).status_code == 403
        assert len(_events(cast, user, outcome=Outcome.REFUSED)) == 2
        assert not SupportPeriod.objects.filter(person=cast.person, ended_at__isnull=True).exists()


# Coming back: the Hub picks them up from an introduction -------------------------------------------------


def test_the_hub_sees_who_moved_on_and_picks_them_up_from_the_introduction(cast: Cast) -> None:
    move_on(cast, months_ago=11)
    introduction = _open_introduction(cast)
    coordinator = client_for(cast.coordinator)
    page = html(coordinator.get(reverse("front_door:introduction", args=[introduction.pk])))
    assert (
        "Moved on 11 months ago from North Living Well team, with Allocated Peer: pick up where they left off" in page
    )
    pick_up_url = reverse("moving_on:pick_up", args=[cast.person.pk, introduction.pk])
    assert f'action="{pick_up_url}"' in page
    assert "Book the first conversation" in page  # the normal booking stays for those who want one
    seen = _events(cast, cast.coordinator, action=Action.VIEW, parts=[Part.SUPPORT])
    assert len(seen) == 1 and seen[0].basis == Basis.FRONT_DOOR

    confirm = html(coordinator.get(pick_up_url))
    assert "<h1>Pick up where they left off</h1>" in confirm and "Allocated Peer, who supported them before" in confirm

    response = coordinator.post(pick_up_url)
    assert response.status_code == 302 and response.url == reverse("front_door:queue")
    assert flash(response) == [
        "Alex Morgan is back with North Living Well team, with Allocated Peer. "
        "Their plan is due for review at the team's next huddle"
    ]
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.RETURNED
    period = SupportPeriod.objects.get(person=cast.person, ended_at__isnull=True)
    assert period.opened_by == cast.coordinator
    assert _events(cast, cast.coordinator, action=Action.CREATE)[0].basis == Basis.FRONT_DOOR


def test_after_13_months_the_hub_books_a_first_conversation_as_usual(cast: Cast) -> None:
    move_on(cast, months_ago=13)
    introduction = _open_introduction(cast)
    coordinator = client_for(cast.coordinator)
    page = html(coordinator.get(reverse("front_door:introduction", args=[introduction.pk])))
    assert "Supported before by North Living Well team" in page
    assert "more than 12 months ago, so we start with a first conversation" in page
    pick_up_url = reverse("moving_on:pick_up", args=[cast.person.pk, introduction.pk])
    assert pick_up_url not in page
    assert "Book the first conversation" in page
    refused = coordinator.post(pick_up_url)
    assert refused.status_code == 200
    assert "It is more than 12 months since Alex Morgan moved on, so we start with a first conversation" in html(
        refused
    )
    introduction.refresh_from_db()
    assert introduction.state == IntroductionState.NEW


def test_no_panel_for_someone_never_supported(cast: Cast) -> None:
    introduction = Introduction.objects.get(person=cast.newcomer)
    page = html(client_for(cast.coordinator).get(reverse("front_door:introduction", args=[introduction.pk])))
    assert "pick up where they left off" not in page.lower()


@pytest.mark.parametrize("who", EVERYONE)
def test_access_cast_for_picking_up_from_an_introduction(cast: Cast, who: str) -> None:
    move_on(cast, months_ago=1)
    introduction = _open_introduction(cast)
    user = getattr(cast, who)
    url = reverse("moving_on:pick_up", args=[cast.person.pk, introduction.pk])
    client = client_for(user)
    response = client.get(url)
    if who == "coordinator":
        assert response.status_code == 200
        event = _events(cast, user, action=Action.VIEW)[0]
        assert event.parts == [Part.SUPPORT] and event.basis == Basis.FRONT_DOOR
        assert client.post(url).status_code == 302
        assert SupportPeriod.objects.filter(person=cast.person, ended_at__isnull=True).exists()
    else:
        assert response.status_code == 403
        assert client.post(url).status_code == 403
        refusals = _events(cast, user, outcome=Outcome.REFUSED)
        assert len(refusals) == 2 and all(e.parts == [Part.SUPPORT] for e in refusals)
        introduction.refresh_from_db()
        assert introduction.state == IntroductionState.NEW


def test_a_closed_introduction_cannot_be_used_to_pick_up(cast: Cast) -> None:
    move_on(cast, months_ago=1)
    introduction = _open_introduction(cast)
    front_door.introduction_withdraw(actor=refresh_user(cast.coordinator), introduction=introduction, reason="Moved")
    assert (
        client_for(cast.coordinator)
        .get(reverse("moving_on:pick_up", args=[cast.person.pk, introduction.pk]))
        .status_code
        == 403
    )


# The worker the person would like, at the first conversation ----------------------------------------------


def test_the_first_conversation_asks_which_worker_they_would_like(cast: Cast) -> None:
    introduction = Introduction.objects.get(person=cast.newcomer)
    Introduction.objects.filter(pk=introduction.pk).update(worker_preferences=["peer", "woman", "same_language"])
    cast.newcomer.first_language = "Somali"
    cast.newcomer.save()
    url = reverse("front_door:first_conversation", args=[introduction.pk])
    coordinator = client_for(cast.coordinator)
    page = html(coordinator.get(url))
    assert "What kind of worker would they like?" in page
    assert 'value="peer" checked' in page
    assert "A woman; Someone who speaks Somali" in page
    assert "Allocated Peer, Peer worker, South Living Well team" in page  # someone by name
    assert "Analyst" not in page  # only support roles
    today = timezone.localdate()
    response = coordinator.post(
        url,
        {
            "date_0": today.day,
            "date_1": today.month,
            "date_2": today.year,
            "time": "00:01",
            "place": "phone",
            "outcome": "support",
            "team": str(cast.team_a.pk),
            "wanted_kind": "peer",
            "wanted_worker": str(cast.allocated_worker.pk),
            "wanted_note": "A woman",
        },
    )
    assert response.status_code == 302, html(response)
    period = SupportPeriod.objects.get(person=cast.newcomer)
    assert (period.wanted_kind, period.wanted_worker, period.wanted_note, period.opened_by) == (
        WorkerKind.PEER,
        cast.allocated_worker,
        "A woman",
        cast.coordinator,
    )


def test_without_a_preference_the_kind_is_no_preference(cast: Cast) -> None:
    introduction = Introduction.objects.get(person=cast.newcomer)
    url = reverse("front_door:first_conversation", args=[introduction.pk])
    coordinator = client_for(cast.coordinator)
    assert 'value="no_preference" checked' in html(coordinator.get(url))
    today = timezone.localdate()
    coordinator.post(
        url,
        {
            "date_0": today.day,
            "date_1": today.month,
            "date_2": today.year,
            "time": "00:01",
            "place": "phone",
            "outcome": "support",
            "team": str(cast.team_a.pk),
        },
    )
    period = SupportPeriod.objects.get(person=cast.newcomer)
    assert period.wanted_kind == WorkerKind.NO_PREFERENCE and period.wanted_worker is None


def test_an_unknown_worker_is_shown_by_the_field(cast: Cast) -> None:
    introduction = Introduction.objects.get(person=cast.newcomer)
    today = timezone.localdate()
    response = client_for(cast.coordinator).post(
        reverse("front_door:first_conversation", args=[introduction.pk]),
        {
            "date_0": today.day,
            "date_1": today.month,
            "date_2": today.year,
            "time": "00:01",
            "place": "phone",
            "outcome": "support",
            "team": str(cast.team_a.pk),
            "wanted_worker": str(cast.analyst.pk),
        },
    )
    assert "Choose someone from the list" in html(response)
    assert not SupportPeriod.objects.filter(person=cast.newcomer).exists()


# Links for the person's support page -------------------------------------------------------------------


def _links(cast: Cast, who: str) -> dict[str, list[str]]:
    from livingwell.audit.policy import access_to
    from livingwell.support.presenters.moving_on import moving_on_links

    user = refresh_user(getattr(cast, who))
    links = moving_on_links(
        user=user, person=cast.person, access=access_to(user, cast.person), own=who == "person_user"
    )
    return {key: [link["href"] for link in group] for key, group in links.items()}


def test_links_for_the_support_page_follow_who_may_do_what(cast: Cast) -> None:
    period = open_period(cast)
    key = str(period.pk)
    move_on_url = reverse("moving_on:move_on", args=[cast.person.pk, period.pk])
    farewell_url = reverse("moving_on:farewell", args=[cast.person.pk, period.pk])
    come_back_url = reverse("moving_on:come_back", args=[cast.person.pk])
    assert _links(cast, "team_worker") == {key: [move_on_url]}
    assert _links(cast, "allocated_worker") == {key: [move_on_url]}
    assert _links(cast, "person_user") == {}  # supported now: nothing to end or come back to
    assert _links(cast, "consent_worker") == {}  # cannot read their support
    move_on(cast, months_ago=1)
    assert _links(cast, "person_user") == {key: [farewell_url], "": [come_back_url]}
    assert _links(cast, "team_worker") == {}
    services.support_resume(actor=refresh_user(cast.person_user), person=cast.person)
    new = SupportPeriod.objects.get(person=cast.person, ended_at__isnull=True)
    assert _links(cast, "team_worker") == {
        str(new.pk): [reverse("moving_on:move_on", args=[cast.person.pk, new.pk])],
        key: [farewell_url],
    }
    assert _links(cast, "person_user") == {key: [farewell_url]}


def test_the_support_page_shows_the_links_through_its_partial(cast: Cast) -> None:
    from django.template.loader import render_to_string

    move_on(cast, months_ago=1)
    period_key = str(SupportPeriod.objects.get(person=cast.person).pk)
    links = {period_key: [{"text": "Read your farewell summary", "href": "/farewell/"}]}
    rendered = render_to_string(
        "support/_moving_on_links.jinja", {"moving_on_links": links, "moving_on_key": period_key}
    )
    assert '<a href="/farewell/">Read your farewell summary</a>' in rendered
