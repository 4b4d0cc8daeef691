"""The resilience checks against hand-made facts with an explicit `today`: each fires, and each stays
quiet just the other side of its limit. Also months and tenure as people read them."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from livingwell.collaborative import resilience as r
from livingwell.collaborative.resilience import GroupFacts, Meeting, Person, Seat

TODAY = dt.date(2026, 11, 23)

ANN = Person(uuid.uuid4(), "Ann", lived_experience=True)
BEN = Person(uuid.uuid4(), "Ben")
CAT = Person(uuid.uuid4(), "Cat")
DAN = Person(uuid.uuid4(), "Dan", lived_experience=True)


def seat(person: Person, role: str = "member", started_on: dt.date = dt.date(2026, 1, 5), **kw: object) -> Seat:
    return Seat(person=person, role=role, started_on=started_on, **kw)  # type: ignore[arg-type]


def group(name: str = "Front door", seats: tuple[Seat, ...] = (), **kw: object) -> GroupFacts:
    return GroupFacts(
        id=uuid.uuid4(),
        name=name,
        started_on=kw.pop("started_on", dt.date(2024, 1, 1)),
        seats=seats,
        **kw,  # type: ignore[arg-type]
    )


# ---- months and tenure ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),  # a leap year: February has 29 days
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2026, 11, 23), -24, dt.date(2024, 11, 23)),
        (dt.date(2026, 11, 23), -11, dt.date(2025, 12, 23)),
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert r.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (dt.date(2024, 8, 23), "2 years 3 months"),  # 27 whole months to 23 November 2026
        (dt.date(2024, 8, 24), "2 years 2 months"),  # a day short of 27 months
        (dt.date(2025, 11, 23), "1 year"),
        (dt.date(2025, 10, 1), "1 year 1 month"),
        (dt.date(2026, 6, 20), "5 months"),
        (dt.date(2026, 10, 23), "1 month"),
        (dt.date(2026, 10, 24), "less than a month"),
        (dt.date(2024, 11, 23), "2 years"),
    ],
)
def test_tenure_text(start: dt.date, expected: str) -> None:
    assert r.tenure_text(start, TODAY) == expected


def test_months_between_counts_whole_months_only() -> None:
    # A month after 31 January 2024 is 29 February (the last day February has).
    assert r.months_between(dt.date(2024, 1, 31), dt.date(2024, 2, 28)) == 0
    assert r.months_between(dt.date(2024, 1, 31), dt.date(2024, 2, 29)) == 1
    assert r.months_between(dt.date(2024, 1, 31), dt.date(2024, 3, 30)) == 1  # 31 March is two months
    assert r.months_between(TODAY, TODAY) == 0
    assert r.months_between(TODAY, dt.date(2026, 1, 1)) == 0  # never negative


def test_lead_spell_runs_across_a_change_between_lead_roles() -> None:
    chair_then_co = [
        ("chair", dt.date(2023, 1, 9), dt.date(2024, 5, 1)),
        ("co_chair", dt.date(2024, 5, 1), None),
    ]
    assert r.lead_spell_start(chair_then_co) == dt.date(2023, 1, 9)
    member_then_chair = [("member", dt.date(2022, 1, 1), dt.date(2025, 3, 3)), ("chair", dt.date(2025, 3, 3), None)]
    assert r.lead_spell_start(member_then_chair) == dt.date(2025, 3, 3)
    with_gap = [("chair", dt.date(2020, 1, 1), dt.date(2021, 1, 1)), ("chair", dt.date(2022, 1, 1), None)]
    assert r.lead_spell_start(with_gap) == dt.date(2022, 1, 1)
    assert (
        r.lead_spell_start([("chair", dt.date(2020, 1, 1), dt.date(2021, 1, 1)), ("member", dt.date(2021, 1, 1), None)])
        is None
    )
    assert r.lead_spell_start([]) is None


# ---- (a) one person in a lead role ---------------------------------------------------------------


def test_single_lead_fires_for_one_lead_and_for_none() -> None:
    one = group(seats=(seat(ANN, "chair"), seat(BEN)))
    [concern] = r.single_lead(one)
    assert concern.check == r.SINGLE_LEAD
    assert concern.what == "Ann is the only person in a lead role in Front door."
    assert concern.member_ids == (ANN.id,)
    assert concern.step.startswith("Ask the group whether someone would share the lead")
    [nobody] = r.single_lead(group(seats=(seat(BEN),)))
    assert nobody.what == "No one is in a lead role in Front door."


def test_single_lead_quiet_with_two_leads() -> None:
    assert r.single_lead(group(seats=(seat(ANN, "chair"), seat(BEN, "coordinator")))) == []


# ---- (b) long tenure -----------------------------------------------------------------------------


def test_long_tenure_fires_after_24_months_and_not_at_24() -> None:
    exactly = group(seats=(seat(ANN, "chair", dt.date(2024, 11, 23)), seat(BEN, "co_chair")))
    assert r.long_tenure(exactly, TODAY) == []  # 24 months to the day is not more than 24
    longer = group(seats=(seat(ANN, "chair", dt.date(2024, 11, 22)), seat(BEN, "co_chair")))
    [concern] = r.long_tenure(longer, TODAY)
    assert concern.what == "Ann has led Front door for 2 years (now as chair)."
    assert concern.member_ids == (ANN.id,)


def test_long_tenure_counts_the_whole_spell_in_lead_roles() -> None:
    # Co-chair only since March 2026, but in lead roles since August 2024: 27 whole months.
    spell = group(seats=(seat(ANN, "co_chair", dt.date(2026, 3, 1), lead_since=dt.date(2024, 8, 23)),))
    [concern] = r.long_tenure(spell, TODAY)
    assert concern.what == "Ann has led Front door for 2 years 3 months (now as co-chair)."
    member_long = group(seats=(seat(BEN, "member", dt.date(2015, 1, 1)),))
    assert r.long_tenure(member_long, TODAY) == []  # members are not in a lead role


# ---- (c) leading many groups ---------------------------------------------------------------------


def test_many_leads_fires_at_three_groups_not_two() -> None:
    groups = [
        group("Alpha", (seat(ANN, "chair"),)),
        group("Beta", (seat(ANN, "coordinator"), seat(BEN, "chair"))),
        group("Gamma", (seat(ANN, "co_chair"), seat(BEN, "chair"))),
    ]
    [concern] = r.many_leads(groups)
    assert concern.what == "Ann leads 3 groups: Alpha, Beta and Gamma."
    assert concern.member_ids == (ANN.id,)
    assert r.many_leads(groups[:2]) == []


def test_many_leads_for_a_group_page_uses_site_counts() -> None:
    facts = group("Alpha", (seat(ANN, "chair"), seat(BEN, "co_chair")))
    [concern] = r.many_leads_for(facts, {ANN.id: 3, BEN.id: 2})
    assert concern.what == "Ann leads 3 groups, this one included."
    assert r.many_leads_for(facts, {ANN.id: 2, BEN.id: 2}) == []


# ---- (d) open actions ----------------------------------------------------------------------------


def test_actions_concentrated_fires_over_half_with_four_or_more() -> None:
    facts = group(seats=(seat(ANN, "chair"), seat(BEN)), open_action_owners=(ANN.id, ANN.id, ANN.id, BEN.id))
    [concern] = r.actions_concentrated(facts)  # 3 of 4 is more than half
    assert concern.what == "Ann owns 3 of the 4 open actions of Front door."


def test_actions_concentrated_quiet_at_half_or_under_four() -> None:
    half = group(open_action_owners=(ANN.id, ANN.id, BEN.id, BEN.id))  # 2 of 4 is not more than half
    assert r.actions_concentrated(half) == []
    few = group(open_action_owners=(ANN.id, ANN.id, ANN.id))  # only 3 open actions
    assert r.actions_concentrated(few) == []


def test_actions_owner_who_left_the_group_is_named_politely() -> None:
    facts = group(seats=(seat(BEN, "chair"),), open_action_owners=(CAT.id,) * 4)
    [concern] = r.actions_concentrated(facts)
    assert concern.what.startswith("A former member owns 4 of the 4")


# ---- (e) the same host ---------------------------------------------------------------------------


def _meet(*items: tuple[dt.date, Person | None]) -> tuple[Meeting, ...]:
    return tuple(Meeting(on=day, host_id=p.id if p else None) for day, p in items)


def test_same_host_fires_for_three_sessions_in_six_months() -> None:
    meetings = _meet(
        (dt.date(2025, 1, 10), BEN),  # outside the six months from 23 May 2026: not counted
        (dt.date(2026, 5, 23), ANN),
        (dt.date(2026, 8, 1), ANN),
        (dt.date(2026, 11, 2), ANN),
    )
    facts = group(seats=(seat(ANN, "chair"),), meetings=meetings)
    [concern] = r.same_host(facts, TODAY)
    assert concern.what == "Ann hosted all 3 sessions of Front door in the last 6 months."


@pytest.mark.parametrize(
    "meetings",
    [
        _meet((dt.date(2026, 8, 1), ANN), (dt.date(2026, 11, 2), ANN)),  # only 2 sessions
        _meet((dt.date(2026, 6, 1), ANN), (dt.date(2026, 8, 1), BEN), (dt.date(2026, 11, 2), ANN)),  # two hosts
        _meet((dt.date(2026, 6, 1), ANN), (dt.date(2026, 8, 1), None), (dt.date(2026, 11, 2), ANN)),  # one unnamed
        _meet((dt.date(2026, 5, 22), ANN), (dt.date(2026, 8, 1), ANN), (dt.date(2026, 11, 2), ANN)),  # one too early
        _meet((dt.date(2026, 8, 1), ANN), (dt.date(2026, 11, 2), ANN), (dt.date(2026, 12, 1), ANN)),  # one to come
    ],
)
def test_same_host_quiet(meetings: tuple[Meeting, ...]) -> None:
    assert r.same_host(group(seats=(seat(ANN, "chair"),), meetings=meetings), TODAY) == []


# ---- (f) lived experience ------------------------------------------------------------------------


def test_no_lived_experience_fires_and_stays_quiet() -> None:
    without = group(seats=(seat(BEN, "chair"), seat(CAT)))
    [concern] = r.no_lived_experience(without)
    assert "No one in Front door has told the Collaborative they have lived experience" in concern.what
    assert r.no_lived_experience(group(seats=(seat(BEN, "chair"), seat(DAN)))) == []
    assert r.no_lived_experience(group(seats=())) == []  # an empty group is check (a)'s business


# ---- (g) not meeting -----------------------------------------------------------------------------


def test_no_recent_session_fires_after_three_months() -> None:
    facts = group(meetings=_meet((dt.date(2026, 8, 22), ANN)))  # three months back is 23 August
    [concern] = r.no_recent_session(facts, TODAY)
    assert concern.what == "Front door has not met since 22 August 2026."
    never = group(meetings=())
    assert r.no_recent_session(never, TODAY)[0].what == "Front door has not met since it started."


def test_no_recent_session_quiet() -> None:
    assert r.no_recent_session(group(meetings=_meet((dt.date(2026, 8, 23), ANN))), TODAY) == []
    young = group(started_on=dt.date(2026, 9, 1), meetings=())  # started less than three months ago
    assert r.no_recent_session(young, TODAY) == []


def test_a_planned_session_to_come_does_not_count_as_meeting() -> None:
    facts = group(meetings=_meet((dt.date(2026, 5, 1), ANN), (dt.date(2026, 12, 3), ANN)))
    assert r.no_recent_session(facts, TODAY)[0].what == "Front door has not met since 1 May 2026."


# ---- together ------------------------------------------------------------------------------------


def test_concerns_by_check_across_groups() -> None:
    healthy = group(
        "Healthy",
        (seat(ANN, "chair"), seat(BEN, "co_chair")),
        meetings=_meet((dt.date(2026, 11, 1), ANN), (dt.date(2026, 10, 1), BEN), (dt.date(2026, 9, 1), ANN)),
    )
    fragile = group("Fragile", (seat(CAT, "chair"), seat(BEN)), meetings=())
    found = r.concerns([healthy, fragile], TODAY)
    assert list(found) == list(r.CHECK_ORDER)
    assert [c.group_name for c in found[r.SINGLE_LEAD]] == ["Fragile"]
    assert [c.group_name for c in found[r.NO_LIVED_EXPERIENCE]] == ["Fragile"]
    assert [c.group_name for c in found[r.NO_RECENT_SESSION]] == ["Fragile"]
    assert found[r.LONG_TENURE] == found[r.MANY_LEADS] == found[r.SAME_HOST] == found[r.ACTIONS_CONCENTRATED] == []
    assert r.concerns_for_group(healthy, TODAY) == []
