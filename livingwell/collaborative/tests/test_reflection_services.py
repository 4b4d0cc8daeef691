"""The reflection services: opening rounds, saving (and replacing) answers, closed rounds and refusals,
each write and refusal in the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.collaborative import reflection
from livingwell.collaborative.models import (
    BalconyPlacement,
    Group,
    GroupKind,
    PrincipleRating,
    ReflectionRound,
    Session,
)
from livingwell.collaborative.reflection import Placement, PrincipleAnswer
from livingwell.collaborative.tests.conftest import Collab
from livingwell.core.errors import DomainError
from livingwell.testing import refresh_user

pytestmark = pytest.mark.django_db

GREAT, CHALLENGED = "great", "challenged"


def open_round(
    collab: Collab, title: str = "Renewing the juices", *, days_ago: int = 3, days_left: int = 10
) -> ReflectionRound:
    today = timezone.localdate()
    return ReflectionRound.objects.create(
        site=collab.site,
        title=title,
        opens_on=today - dt.timedelta(days=days_ago),
        closes_on=today + dt.timedelta(days=days_left),
    )


def closed_round(collab: Collab, title: str = "Last year") -> ReflectionRound:
    today = timezone.localdate()
    return ReflectionRound.objects.create(
        site=collab.site, title=title, opens_on=today - dt.timedelta(days=40), closes_on=today - dt.timedelta(days=1)
    )


def events(what: str, outcome: str = Outcome.ALLOWED) -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.filter(outcome=outcome).order_by("id")
        if e.detail.get("area") == "collaborative" and e.detail.get("what") == what
    ]


# ---- opening a round -----------------------------------------------------------------------------


def test_a_steward_opens_a_round_held_at_a_session_of_the_whole_collaborative(collab: Collab) -> None:
    today = timezone.localdate()
    now = timezone.now()
    session = Session.objects.create(
        group=collab.whole, title="Breakfast", starts_at=now, ends_at=now + dt.timedelta(hours=2), place="Cafe"
    )
    made = reflection.round_open(
        actor=refresh_user(collab.chair.user),
        site=collab.site,
        title="  Renewing   the juices 2026 ",
        opens_on=today,
        closes_on=today + dt.timedelta(days=14),
        session=session,
    )
    assert (made.title, made.session) == ("Renewing the juices 2026", session)
    [event] = events("reflection round")
    assert event.action == Action.CREATE and event.detail["id"] == str(made.pk)
    assert event.actor == collab.chair.user


def test_a_site_administrator_may_open_a_round(collab: Collab) -> None:
    today = timezone.localdate()
    made = reflection.round_open(
        actor=refresh_user(collab.admin), site=collab.site, title="Spring", opens_on=today, closes_on=today
    )
    assert made.pk


@pytest.mark.parametrize("who", ["lived", "design_lead", "citizen"])
def test_members_who_are_not_stewards_are_refused_and_it_is_audited(collab: Collab, who: str) -> None:
    user = getattr(collab, who).user
    today = timezone.localdate()
    with pytest.raises(AccessRefused):
        reflection.round_open(actor=refresh_user(user), site=collab.site, title="X", opens_on=today, closes_on=today)
    assert not ReflectionRound.objects.exists()
    [event] = events("reflection round", Outcome.REFUSED)
    assert event.actor == user


def test_round_rules(collab: Collab) -> None:
    chair = refresh_user(collab.chair.user)
    today = timezone.localdate()
    cases = [
        ({"title": " ", "opens_on": today, "closes_on": today}, "title_missing", "title"),
        ({"title": "A", "opens_on": today, "closes_on": today - dt.timedelta(days=1)}, "dates", "closes_on"),
        ({"title": "A", "opens_on": today, "closes_on": today + dt.timedelta(days=400)}, "too_long", "closes_on"),
        ({"title": "x" * 121, "opens_on": today, "closes_on": today}, "title_too_long", "title"),
    ]
    for kwargs, code, field in cases:
        with pytest.raises(DomainError) as caught:
            reflection.round_open(actor=chair, site=collab.site, **kwargs)
        assert (caught.value.code, caught.value.field) == (code, field)
    reflection.round_open(actor=chair, site=collab.site, title="Spring", opens_on=today, closes_on=today)
    with pytest.raises(DomainError) as caught:
        reflection.round_open(actor=chair, site=collab.site, title="SPRING", opens_on=today, closes_on=today)
    assert caught.value.code == "title_taken"
    # A session of another group is refused.
    now = timezone.now()
    design_session = Session.objects.create(
        group=collab.design, title="Design", starts_at=now, ends_at=now + dt.timedelta(hours=1), place="Hub"
    )
    with pytest.raises(DomainError) as caught:
        reflection.round_open(
            actor=chair, site=collab.site, title="Summer", opens_on=today, closes_on=today, session=design_session
        )
    assert caught.value.field == "session"
    assert Group.objects.filter(kind=GroupKind.COLLABORATIVE).count() == 1
    assert ReflectionRound.objects.count() == 1


def test_is_open_includes_both_ends(collab: Collab) -> None:
    r = open_round(collab)
    assert reflection.is_open(r, r.opens_on) and reflection.is_open(r, r.closes_on)
    assert not reflection.is_open(r, r.opens_on - dt.timedelta(days=1))
    assert not reflection.is_open(r, r.closes_on + dt.timedelta(days=1))


# ---- the self-assessment -------------------------------------------------------------------------


def test_saving_replaces_the_members_answers_for_the_round(collab: Collab) -> None:
    r = open_round(collab)
    other = open_round(collab, "Another")
    user = refresh_user(collab.lived.user)
    reflection.principles_save(
        actor=user,
        reflection_round=other,
        answers={"assets": PrincipleAnswer(GREAT)},
    )
    reflection.principles_save(
        actor=user,
        reflection_round=r,
        answers={
            "assets": PrincipleAnswer(GREAT, "  People as the essential core of our service "),
            "peer_support": PrincipleAnswer(CHALLENGED, "I felt lost"),
            "facilitating": PrincipleAnswer(CHALLENGED),
        },
    )
    reflection.principles_save(
        actor=user,
        reflection_round=r,
        answers={"peer_support": PrincipleAnswer(GREAT, "Connect and Do launch"), "blurring": PrincipleAnswer(GREAT)},
    )
    mine = {p.principle: (p.view, p.why) for p in PrincipleRating.objects.filter(round=r, member=collab.lived)}
    assert mine == {"peer_support": (GREAT, "Connect and Do launch"), "blurring": (GREAT, "")}
    # The other round and other members keep their answers.
    assert PrincipleRating.objects.filter(round=other, member=collab.lived).count() == 1
    saves = events("principle ratings")
    assert [e.detail["answered"] for e in saves] == [1, 3, 2]
    assert all(e.action == Action.CHANGE for e in saves)
    assert saves[-1].detail["id"] == str(r.pk)


def test_rather_not_say_everywhere_leaves_no_rows(collab: Collab) -> None:
    r = open_round(collab)
    user = refresh_user(collab.carer.user)
    reflection.principles_save(actor=user, reflection_round=r, answers={"assets": PrincipleAnswer(GREAT)})
    reflection.principles_save(actor=user, reflection_round=r, answers={})
    assert not PrincipleRating.objects.filter(round=r).exists()


def test_a_closed_round_refuses_changes_with_a_clear_message(collab: Collab) -> None:
    r = closed_round(collab)
    with pytest.raises(DomainError) as caught:
        reflection.principles_save(
            actor=refresh_user(collab.lived.user), reflection_round=r, answers={"assets": PrincipleAnswer(GREAT)}
        )
    assert caught.value.code == "round_closed"
    assert caught.value.message.startswith(f"This round closed on {r.closes_on.day} ")
    assert "can no longer be changed" in caught.value.message
    with pytest.raises(DomainError) as caught:
        reflection.balcony_save(
            actor=refresh_user(collab.lived.user), reflection_round=r, placements={"power.people": Placement(3)}
        )
    assert caught.value.code == "round_closed"
    assert not PrincipleRating.objects.exists() and not BalconyPlacement.objects.exists()
    assert not events("principle ratings") and not events("balcony placements")


def test_a_round_not_open_yet_refuses_answers(collab: Collab) -> None:
    r = open_round(collab, days_ago=-5, days_left=20)
    with pytest.raises(DomainError) as caught:
        reflection.principles_save(actor=refresh_user(collab.lived.user), reflection_round=r, answers={})
    assert caught.value.code == "round_not_open_yet"


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_people_who_are_not_members_are_refused_and_it_is_audited(collab: Collab, who: str) -> None:
    user = refresh_user(getattr(collab, who))
    r = open_round(collab)
    with pytest.raises(AccessRefused):
        reflection.principles_save(actor=user, reflection_round=r, answers={"assets": PrincipleAnswer(GREAT)})
    with pytest.raises(AccessRefused):
        reflection.balcony_save(actor=user, reflection_round=r, placements={"power.people": Placement(3)})
    assert not PrincipleRating.objects.exists() and not BalconyPlacement.objects.exists()
    assert [e.actor for e in events("principle ratings", Outcome.REFUSED)] == [user]
    assert [e.action for e in events("balcony placements", Outcome.REFUSED)] == [Action.CHANGE]


def test_a_member_who_left_is_refused(collab: Collab) -> None:
    r = open_round(collab)
    collab.citizen.left_on = timezone.localdate()
    collab.citizen.save()
    with pytest.raises(AccessRefused):
        reflection.principles_save(actor=refresh_user(collab.citizen.user), reflection_round=r, answers={})


def test_answers_are_checked(collab: Collab) -> None:
    r = open_round(collab)
    user = refresh_user(collab.lived.user)
    with pytest.raises(DomainError) as caught:
        reflection.principles_save(actor=user, reflection_round=r, answers={"assets": PrincipleAnswer("meh")})
    assert caught.value.field == "assets_view"
    with pytest.raises(DomainError) as caught:
        reflection.principles_save(actor=user, reflection_round=r, answers={"kindness": PrincipleAnswer(GREAT)})
    assert caught.value.code == "principle"
    with pytest.raises(DomainError) as caught:
        reflection.principles_save(
            actor=user, reflection_round=r, answers={"assets": PrincipleAnswer(GREAT, "x" * 2001)}
        )
    assert caught.value.field == "assets_why"
    assert not PrincipleRating.objects.exists()


# ---- the balcony exercise ------------------------------------------------------------------------


def test_placements_replace_the_members_places_and_skipped_rows_have_none(collab: Collab) -> None:
    r = open_round(collab)
    user = refresh_user(collab.staff_member.user)
    reflection.balcony_save(
        actor=user,
        reflection_round=r,
        placements={"purpose.people": Placement(2, "Diagnosis still leads"), "power.practitioners": Placement(7)},
    )
    reflection.balcony_save(
        actor=user,
        reflection_round=r,
        placements={"purpose.people": Placement(0), "practice.people": Placement(10, " Whole person ")},
    )
    mine = {p.statement: (p.position, p.note) for p in BalconyPlacement.objects.filter(round=r)}
    assert mine == {"purpose.people": (0, ""), "practice.people": (10, "Whole person")}
    assert [e.detail["placed"] for e in events("balcony placements")] == [2, 2]


@pytest.mark.parametrize(
    ("placements", "field"),
    [
        ({"purpose.people": Placement(11)}, "purpose_people_position"),
        ({"purpose.people": Placement(-1)}, "purpose_people_position"),
        ({"power.people": Placement(5, "x" * 2001)}, "power_people_note"),
        ({"purpose.everyone": Placement(5)}, None),
    ],
)
def test_placements_are_checked(collab: Collab, placements: dict[str, Placement], field: str | None) -> None:
    r = open_round(collab)
    with pytest.raises(DomainError) as caught:
        reflection.balcony_save(actor=refresh_user(collab.lived.user), reflection_round=r, placements=placements)
    assert caught.value.field == field
    assert not BalconyPlacement.objects.exists()
