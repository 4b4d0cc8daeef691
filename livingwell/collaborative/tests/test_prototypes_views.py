"""The prototypes pages, asserted on the HTML: the list, starting and changing a prototype (with a
conflict showing both versions), the prototype page with live insights, cycles, figures and outcome,
the cycle page's form for each stage, figures, the outcome, the access cast (outsiders refused and
audited, members read, only runners change) and constant queries on the list."""

from __future__ import annotations

import datetime as dt
import html as htmllib
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.collaborative import prototypes as services
from livingwell.collaborative.models import (
    ConsentLevel,
    Cycle,
    CycleStage,
    Figure,
    Insight,
    Member,
    Prototype,
    PrototypeStatus,
)
from livingwell.collaborative.prototypes import FigureAnswers, PrototypeAnswers
from livingwell.collaborative.tests.conftest import Collab
from livingwell.collaborative.tests.test_prototypes_services import (
    ANSWERS,
    Lab,
    _decision,
    _story,
    advance,
    closed_cycle,
    make_lab,
    start,
)
from livingwell.community.models import Gap
from livingwell.network.tests.conftest import sign_in_verified

pytestmark = pytest.mark.django_db

LIST = "/collaborative/prototypes/"


@pytest.fixture
def lab(collab: Collab) -> Lab:
    return make_lab(collab)


FORM = {
    "title": "Peer welcome at the café",
    "idea": "A peer worker welcomes people on the day they are introduced.",
    "hypothesis": "We believe that a peer welcome will lead to shorter waits.",
    "measures": "Days to first conversation.",
    "insights": [Insight.WAIT_TO_FIRST_CONVERSATION.value, Insight.GAPS.value],
}


def client_for(who: Member | Any) -> Client:
    return sign_in_verified(who.user if isinstance(who, Member) else who)


def text(response: Any) -> str:
    return htmllib.unescape(response.content.decode())


def page(prototype: Prototype) -> str:
    return f"/collaborative/prototypes/{prototype.pk}/"


def refusals(user: Any) -> int:
    return sum(
        1
        for e in AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED)
        if e.detail.get("area") == "collaborative"
    )


# ---- the list -----------------------------------------------------------------------------------


def test_the_list_shows_prototypes_being_tested_first(lab: Lab, collab: Collab) -> None:
    stopped = start(lab, PrototypeAnswers(title="Evening drop-in", idea="x", hypothesis="x", measures="x"))
    services.prototype_conclude(
        actor=lab.lead.user,
        prototype=stopped,
        answers=services.OutcomeAnswers(status=PrototypeStatus.STOPPED, why="Nobody came."),
        expected_version=stopped.version,
    )
    testing = start(lab)
    services.cycle_start(actor=lab.lead.user, prototype=testing, plan="Try it.")
    body = text(client_for(collab.lived).get(LIST))
    assert "<h1>Prototypes</h1>" in body
    assert body.index("Peer welcome at the café") < body.index("Evening drop-in")
    assert "Cycle 1: plan" in body
    assert "Days from introduction to first conversation; Needs no community offer met" in body
    assert "Stopped" in body
    assert "Start a prototype in" not in body  # Sunny runs no group
    lead = text(client_for(lab.lead).get(LIST))
    assert f'href="/collaborative/groups/{lab.team.pk}/prototypes/add/">Start a prototype in {lab.team.name}' in lead


def test_the_list_costs_the_same_queries_however_many_prototypes(lab: Lab, collab: Collab) -> None:
    member = client_for(collab.lived)
    start(lab)
    with CaptureQueriesContext(connection) as one:
        assert member.get(LIST).status_code == 200
    for n in range(5):
        prototype = start(lab, PrototypeAnswers(title=f"Idea {n}", idea="x", hypothesis="x", measures="x"))
        closed_cycle(lab, prototype)
    with CaptureQueriesContext(connection) as six:
        assert member.get(LIST).status_code == 200
    assert len(six) == len(one) <= 14


# ---- starting and changing ----------------------------------------------------------------------


def test_a_lead_starts_a_prototype_from_the_form(lab: Lab) -> None:
    lead = client_for(lab.lead)
    add = f"/collaborative/groups/{lab.team.pk}/prototypes/add/"
    body = text(lead.get(add))
    assert "Start a prototype</h1>" in body
    assert "We believe that … will lead to … We will know when …" in body
    assert 'type="checkbox"' in body and "Days from introduction to first conversation" in body
    response = lead.post(add, FORM)
    prototype = Prototype.objects.get()
    assert response.status_code == 302 and response["Location"] == page(prototype)
    assert prototype.insights == [Insight.WAIT_TO_FIRST_CONVERSATION.value, Insight.GAPS.value]
    assert "Peer welcome at the café started" in text(lead.get(page(prototype)))


def test_mistakes_are_shown_by_each_field_and_answers_kept(lab: Lab) -> None:
    lead = client_for(lab.lead)
    add = f"/collaborative/groups/{lab.team.pk}/prototypes/add/"
    body = text(lead.post(add, {**FORM, "hypothesis": "", "measures": ""}))
    assert "<title>Error: Start a prototype" in body
    assert "Say what you think will happen" in body and "Say what you will measure" in body
    assert 'value="Peer welcome at the café"' in body
    assert not Prototype.objects.exists()


def test_changing_shows_a_conflict_with_both_versions(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    change = f"/collaborative/prototypes/{prototype.pk}/change/"
    lead = client_for(lab.lead)
    body = text(lead.get(change))
    assert 'name="version"' in body and "Peer welcome at the café" in body
    chair = client_for(collab.chair)
    assert chair.post(change, {**FORM, "title": "Peer welcome", "version": "1"}).status_code == 302
    clash = text(lead.post(change, {**FORM, "title": "Café welcome", "version": "1"}))
    assert "Someone else changed this while you were editing" in clash
    assert "Chris (chair)" in clash and "Peer welcome" in clash and "Café welcome" in clash
    assert Prototype.objects.get(pk=prototype.pk).title == "Peer welcome"
    # Saving again is a deliberate choice to put these words over the chair's.
    assert lead.post(change, {**FORM, "title": "Café welcome", "version": "2"}).status_code == 302
    assert Prototype.objects.get(pk=prototype.pk).title == "Café welcome"


# ---- the prototype page -------------------------------------------------------------------------


def test_the_prototype_page_shows_the_idea_live_figures_cycles_figures_and_outcome(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    for _ in range(6):
        Gap.objects.create(site=collab.site, need="Somewhere to talk at night")
    cycle = closed_cycle(lab, prototype)
    services.figure_add(
        actor=lab.lead.user,
        prototype=prototype,
        answers=FigureAnswers(
            label="People welcomed",
            value=Decimal(12),
            baseline=Decimal(8),
            unit="people",
            measured_on=dt.date(2026, 3, 1),
            cycle_id=cycle.pk,
        ),
    )
    body = text(client_for(collab.lived).get(page(prototype)))
    assert "Peer welcome at the café</h1>" in body
    assert ANSWERS.hypothesis in body and ANSWERS.measures in body
    # Figures it should move, with what they mean and their value now.
    assert "Needs no community offer met" in body
    assert "<strong>Now:</strong> 6 " in body  # 6 gaps in the last 90 days
    assert 'href="/community/picture/"' in body and 'href="/waiting/"' in body
    # The cycle, with its learning and the Lab session where it was shared.
    assert "Cycle 1" in body and "Twelve people were welcomed." in body and "Waits fell by a quarter." in body
    # Sunny is not in the Prototyping Lab, so its session is named without a link to a page they cannot open.
    assert "March Lab (Prototyping Lab," in body
    assert f'href="/collaborative/sessions/{lab.lab_session.pk}/"' not in body
    steward = text(client_for(collab.chair).get(page(prototype)))
    assert f'href="/collaborative/sessions/{lab.lab_session.pk}/">March Lab' in steward
    assert "Adapt: change it and test again" in body
    # The figure, with the change from the baseline: 12 - 8 = 4; 4 / 8 = 50%.
    assert "8 people" in body and "12 people" in body and "Up 4 people (50% more)" in body
    # Sunny does not run the group: no change links.
    assert "Change the idea" not in body and "Add a figure" not in body and "Plan the next cycle" not in body
    lead = text(client_for(lab.lead).get(page(prototype)))
    assert "Change the idea" in lead and "Add a figure" in lead and "Plan the next cycle" in lead
    assert "Decide: adopt, adapt or stop" in lead


def test_evidence_stories_are_shown_as_far_as_the_teller_agreed(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    shared = _story(collab, collab.design, "Shared story", ConsentLevel.COLLABORATIVE)
    team_only = _story(collab, lab.team, "Team's own story", ConsentLevel.TEAM)
    prototype.stories.add(shared, team_only)
    in_team = text(client_for(collab.lived).get(page(prototype)))  # Sunny is in the team
    assert f'href="/collaborative/stories/{shared.pk}/">Shared story' in in_team
    assert "Team's own story" in in_team and "shared with that group only" in in_team
    not_in_team = text(client_for(collab.citizen).get(page(prototype)))
    assert "Shared story" in not_in_team and "Team's own story" not in not_in_team


def test_an_ended_prototype_shows_its_outcome_and_what_it_became(lab: Lab) -> None:
    prototype = start(lab)
    closed_cycle(lab, prototype)
    services.prototype_conclude(
        actor=lab.lead.user,
        prototype=prototype,
        answers=services.OutcomeAnswers(
            status=PrototypeStatus.ADAPTED, why="Only weekends worked.", adapted_title="Weekend welcome"
        ),
        expected_version=Prototype.objects.get(pk=prototype.pk).version,
    )
    prototype.refresh_from_db()
    body = text(client_for(lab.lead).get(page(prototype)))
    assert "Adapted into something new" in body and "Only weekends worked." in body
    new = prototype.adapted_into
    assert new is not None
    assert f'href="{page(new)}">Weekend welcome' in body
    assert "Plan the next cycle" not in body and "Change the idea" not in body
    assert f'href="{page(prototype)}">Peer welcome at the café' in text(client_for(lab.lead).get(page(new)))


# ---- cycles -------------------------------------------------------------------------------------


def test_a_lead_runs_a_cycle_from_plan_to_closed(lab: Lab) -> None:
    prototype = start(lab)
    lead = client_for(lab.lead)
    add = f"/collaborative/prototypes/{prototype.pk}/cycles/add/"
    assert "Plan cycle 1</h1>" in text(lead.get(add))
    response = lead.post(
        add,
        {
            "plan": "Tuesdays at the café.",
            "prediction": "Waits fall by a third.",
            "started_on_0": "2",
            "started_on_1": "3",
            "started_on_2": "2026",
        },
    )
    cycle = Cycle.objects.get()
    where = f"/collaborative/cycles/{cycle.pk}/"
    assert response.status_code == 302 and response["Location"] == where
    # A second cycle cannot be planned while this one is open.
    assert lead.get(add)["Location"] == where

    body = text(lead.get(where))
    assert "Cycle 1</h1>" in body and "Plan, do, study, act (PDSA) is a way of testing" in body
    assert "Start the test" in body and "Save without moving on" in body
    lead.post(
        where,
        {"version": "1", "plan": "Tuesdays at the café.", "prediction": "Waits fall by a third.", "to_stage": "do"},
    )
    assert "Do: write what happened" in text(lead.get(where))
    # Trying to jump to act from do is refused, by the service, with a clear message.
    skipped = text(lead.post(where, {"version": "2", "do": "Nine came.", "to_stage": "act"}))
    assert "A cycle moves one stage at a time" in skipped
    lead.post(where, {"version": "2", "do": "Nine came.", "to_stage": "study"})
    study = text(lead.get(where))
    assert "You predicted:" in study and "Waits fall by a third." in study and "March Lab" in study
    assert "Design Team meeting" not in study  # not a Lab, not the team's own
    lead.post(
        where,
        {
            "version": "3",
            "study": "Fewer came than we thought.",
            "lab_session": str(lab.lab_session.pk),
            "to_stage": "act",
        },
    )
    no_act = text(lead.post(where, {"version": "4", "act": "", "act_note": "", "to_stage": "closed"}))
    assert "Choose whether to adopt, adapt or abandon it" in no_act and "<title>Error:" in no_act
    closed = lead.post(where, {"version": "4", "act": "adopt", "act_note": "Keep it.", "to_stage": "closed"})
    assert closed["Location"] == page(prototype)
    assert "Cycle 1 closed: Adopt: keep doing it" in text(lead.get(page(prototype)))
    saved = Cycle.objects.get()
    assert (saved.stage, saved.closed_on, saved.lab_session) == (
        CycleStage.CLOSED,
        timezone.localdate(),
        lab.lab_session,
    )
    # A closed cycle has no form.
    assert "Save without moving on" not in text(lead.get(where))


def test_members_read_a_cycle_but_only_runners_move_it(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    cycle = services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try it.")
    where = f"/collaborative/cycles/{cycle.pk}/"
    member = client_for(collab.citizen)
    body = text(member.get(where))
    assert "Try it." in body and "Start the test" not in body
    assert member.post(where, {"version": "1", "plan": "Mine.", "to_stage": "do"}).status_code == 403
    assert refusals(collab.citizen.user) == 1
    assert Cycle.objects.get().stage == CycleStage.PLAN


# ---- figures and the outcome --------------------------------------------------------------------


def test_a_lead_adds_a_figure(lab: Lab) -> None:
    prototype = start(lab)
    lead = client_for(lab.lead)
    add = f"/collaborative/prototypes/{prototype.pk}/figures/add/"
    assert "Add a figure</h1>" in text(lead.get(add))
    bad = text(
        lead.post(
            add,
            {"label": "Waits", "value": "lots", "measured_on_0": "1", "measured_on_1": "3", "measured_on_2": "2026"},
        )
    )
    assert "The figure must be a number, like 12 or 3.5" in bad
    response = lead.post(
        add,
        {
            "label": "Median wait",
            "value": "10.5",
            "baseline": "14",
            "unit": "days",
            "measured_on_0": "1",
            "measured_on_1": "3",
            "measured_on_2": "2026",
            "insight": Insight.WAIT_TO_FIRST_CONVERSATION.value,
        },
    )
    assert response["Location"] == page(prototype) + "#figures"
    figure = Figure.objects.get()
    assert (figure.value, figure.baseline, figure.measured_on) == (Decimal("10.5"), Decimal(14), dt.date(2026, 3, 1))
    assert "Down 3.5 days (25% less)" in text(lead.get(page(prototype)))


def test_the_outcome_waits_for_the_open_cycle_then_adapts(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    cycle = services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try it.")
    lead = client_for(lab.lead)
    outcome = f"/collaborative/prototypes/{prototype.pk}/outcome/"
    assert lead.get(outcome)["Location"] == f"/collaborative/cycles/{cycle.pk}/"
    advance(lab, cycle, "do", plan="Try it.")
    advance(lab, cycle, "study", do="Done.")
    advance(lab, cycle, "act", study="Learnt.")
    advance(lab, cycle, "closed", act="adapt")
    shared = _story(collab, collab.design, "Shared story", ConsentLevel.PUBLIC)
    body = text(lead.get(outcome))
    assert "Adopt, adapt or stop</h1>" in body and "Shared story" in body and "Learnt." in body
    missing = text(lead.post(outcome, {"version": "1", "status": "adapted", "why": ""}))
    assert "Say why, so that others can learn from it" in missing
    response = lead.post(
        outcome,
        {
            "version": "1",
            "status": "adapted",
            "why": "Weekends only.",
            "adapted_title": "Weekend welcome",
            "stories": [str(shared.pk)],
        },
    )
    assert response["Location"] == page(prototype)
    saved = Prototype.objects.get(pk=prototype.pk)
    assert saved.status == PrototypeStatus.ADAPTED and list(saved.stories.all()) == [shared]
    assert saved.adapted_into is not None and saved.adapted_into.title == "Weekend welcome"


# ---- the access cast ----------------------------------------------------------------------------


def _pages(lab: Lab, prototype: Prototype, cycle: Cycle) -> dict[str, str]:
    return {
        "list": LIST,
        "prototype": page(prototype),
        "cycle": f"/collaborative/cycles/{cycle.pk}/",
    }


def _writes(lab: Lab, prototype: Prototype) -> list[str]:
    return [
        f"/collaborative/groups/{lab.team.pk}/prototypes/add/",
        f"/collaborative/prototypes/{prototype.pk}/change/",
        f"/collaborative/prototypes/{prototype.pk}/cycles/add/",
        f"/collaborative/prototypes/{prototype.pk}/figures/add/",
        f"/collaborative/prototypes/{prototype.pk}/outcome/",
    ]


def test_an_outsider_is_refused_everything_and_it_is_recorded(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    cycle = services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try it.")
    outsider = client_for(collab.outsider)
    urls = [*_pages(lab, prototype, cycle).values(), *_writes(lab, prototype)]
    for url in urls:
        response = outsider.get(url)
        assert response.status_code == 403, url
    assert "You can join from the Collaborative's pages" in text(outsider.get(LIST))
    assert refusals(collab.outsider) == len(urls) + 1


def test_members_read_and_only_runners_change(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    cycle = services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try it.")
    member = client_for(collab.lived)  # in the team, but not a lead
    for url in _pages(lab, prototype, cycle).values():
        assert member.get(url).status_code == 200, url
    for url in _writes(lab, prototype):
        assert member.get(url).status_code == 403, url
        assert member.post(url, FORM).status_code == 403, url
    assert refusals(collab.lived.user) == 10
    assert Prototype.objects.count() == 1


def test_the_site_administrator_reads_and_runs(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    admin = client_for(collab.admin)
    assert admin.get(LIST).status_code == 200
    assert admin.get(page(prototype)).status_code == 200
    assert admin.get(f"/collaborative/prototypes/{prototype.pk}/figures/add/").status_code == 200


def test_unknown_ids_are_not_found(lab: Lab, collab: Collab) -> None:
    member = client_for(collab.lived)
    assert member.get("/collaborative/prototypes/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert member.get("/collaborative/cycles/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_prototype_page_costs_the_same_queries_however_many_cycles_figures_and_stories(
    lab: Lab, collab: Collab
) -> None:
    prototype = start(lab)
    member = client_for(collab.lived)

    def grow() -> None:
        cycle = closed_cycle(lab, prototype)
        services.figure_add(
            actor=lab.lead.user,
            prototype=prototype,
            answers=FigureAnswers(label="People", value=Decimal(3), measured_on=dt.date(2026, 3, 1), cycle_id=cycle.pk),
        )
        prototype.stories.add(_story(collab, collab.design, f"Story {cycle.number}", ConsentLevel.COLLABORATIVE))

    grow()
    with CaptureQueriesContext(connection) as one:
        assert member.get(page(prototype)).status_code == 200
    for _ in range(4):
        grow()
    with CaptureQueriesContext(connection) as five:
        body = text(member.get(page(prototype)))
    assert "Cycle 5" in body and "Story 5" in body
    assert len(five) == len(one) <= 30


def test_words_typed_for_a_stage_someone_else_left_are_given_back(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    cycle = services.cycle_start(actor=lab.lead.user, prototype=prototype, plan="Try it.")
    where = f"/collaborative/cycles/{cycle.pk}/"
    advance(lab, cycle, "do", plan="Try it.")  # the lead moved it on while the chair was writing the plan
    chair = client_for(collab.chair)
    body = text(
        chair.post(
            where,
            {
                "opened_stage": "plan",
                "version": "1",
                "plan": "Try it on Saturdays.",
                "prediction": "",
                "to_stage": "do",
            },
        )
    )
    assert "Someone moved this cycle on while you were writing" in body
    assert "Try it on Saturdays." in body and "not saved" in body
    assert "Do: write what happened" in body  # the form of the stage it is at now
    saved = Cycle.objects.get(pk=cycle.pk)
    assert (saved.stage, saved.plan) == (CycleStage.DO, "Try it.")


def test_the_teams_latest_figure_is_shown_by_the_insight_it_is_about(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    for day, value in ((1, "16"), (8, "10.5")):
        services.figure_add(
            actor=lab.lead.user,
            prototype=prototype,
            answers=FigureAnswers(
                label="Median wait",
                value=Decimal(value),
                baseline=Decimal(14),
                unit="days",
                measured_on=dt.date(2026, 3, day),
                insight=Insight.WAIT_TO_FIRST_CONVERSATION,
            ),
        )
    body = text(client_for(collab.lived).get(page(prototype)))
    # The later figure (8 March): 10.5 - 14 = -3.5 days; 3.5 / 14 = 25%.
    assert (
        "The team's latest figure:</strong> 10.5 days, 8 March 2026: down 3.5 days (25% less) from 14 days before the test"
        in body
    )


def test_an_outcome_links_to_the_decision_that_settled_it(lab: Lab, collab: Collab) -> None:
    prototype = start(lab)
    decision = _decision(collab.whole)
    services.prototype_conclude(
        actor=lab.lead.user,
        prototype=prototype,
        answers=services.OutcomeAnswers(status=PrototypeStatus.ADOPTED, why="It worked.", decision_id=decision.pk),
        expected_version=prototype.version,
    )
    body = text(client_for(collab.citizen).get(page(prototype)))
    assert f'href="/collaborative/decisions/{decision.pk}/">Keep the peer welcome' in body
    assert "It worked." in body and "Adopted" in body
