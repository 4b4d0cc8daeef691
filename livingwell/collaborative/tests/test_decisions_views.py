"""The decisions pages: what each of the cast sees and may do, the HTML they read, the public log and its
open data, and the number of queries on the lists."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from livingwell.accounts.models import User
from livingwell.audit.models import AuditEvent
from livingwell.audit.models import Outcome as AuditOutcome
from livingwell.collaborative import decisions as svc
from livingwell.collaborative.decisions import Proposal
from livingwell.collaborative.models import (
    ActionPoint,
    ActionStatus,
    Decision,
    DecisionMethod,
    DecisionParticipant,
    DecisionResult,
    DecisionStatus,
    ParticipantRole,
    Session,
    Stance,
)
from livingwell.collaborative.tests.conftest import Collab, make_collab_member
from livingwell.collaborative.tests.test_decisions_services import decided
from livingwell.network.tests.conftest import sign_in_verified
from tests.test_language import excluded_words, readable_text

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def refusals(what: str) -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.filter(outcome=AuditOutcome.REFUSED)
        if e.detail.get("area") == "collaborative" and e.detail.get("what") == what
    ]


def text_of(response: object) -> str:
    return readable_text(response.content.decode())  # type: ignore[attr-defined]


def propose(collab: Collab, method: str = DecisionMethod.CONSENT, **kwargs: object) -> Decision:
    fields: dict[str, object] = {"title": "Where the spring open event is held", "proposal": "At the library."}
    if method == DecisionMethod.VOTE:
        fields["options"] = ("The library", "The park café")
    fields.update(kwargs)
    return svc.decision_propose(
        actor=collab.design_lead.user,
        group=collab.design,
        proposal=Proposal(method=method, **fields),  # type: ignore[arg-type]
    )


def record(collab: Collab, decision: Decision, **kwargs: object) -> None:
    fields: dict[str, object] = {
        "result": DecisionResult.AGREED,
        "why": "Step-free.",
        "decided_on": timezone.localdate(),
    }
    fields.update(kwargs)
    svc.decision_record(
        actor=collab.design_lead.user,
        decision=decision,
        outcome=svc.Outcome(**fields),  # type: ignore[arg-type]
        expected_version=Decision.objects.get(pk=decision.pk).version,
    )


# ---- the access cast ------------------------------------------------------------------------------


def test_an_outsider_is_refused_every_members_page_and_it_is_recorded(collab: Collab) -> None:
    decision = propose(collab)
    client = client_for(collab.outsider)
    for url in (
        reverse("collaborative:decisions"),
        reverse("collaborative:decision", args=[decision.pk]),
        reverse("collaborative:decision_say", args=[decision.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
    for url in (
        reverse("collaborative:decision_add", args=[collab.design.pk]),
        reverse("collaborative:decision_participants", args=[decision.pk]),
        reverse("collaborative:decision_record", args=[decision.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert len(refusals("decisions")) == 1
    assert len(refusals("decision")) == 3  # the decision's page, saying, and adding one
    assert len(refusals("decision_participants")) == 1
    assert len(refusals("decision_record")) == 1


def test_anonymous_people_are_asked_to_sign_in_for_members_pages(collab: Collab) -> None:
    decision = propose(collab)
    response = Client().get(reverse("collaborative:decision", args=[decision.pk]))
    assert response.status_code == 302
    assert "sign" in response["Location"] or "login" in response["Location"]


def test_a_member_who_does_not_run_the_group_cannot_add_record_or_withdraw(collab: Collab) -> None:
    decision = propose(collab)
    client = client_for(collab.lived.user)
    assert client.get(reverse("collaborative:decision_add", args=[collab.design.pk])).status_code == 403
    assert client.get(reverse("collaborative:decision_record", args=[decision.pk])).status_code == 403
    assert (
        client.post(reverse("collaborative:decision_withdraw", args=[decision.pk]), {"reason": "x"}).status_code == 403
    )
    page = client.get(reverse("collaborative:decision", args=[decision.pk]))
    assert "Record the result" not in text_of(page)
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.OPEN


def test_a_member_outside_the_group_reads_a_public_decision_but_cannot_say(collab: Collab) -> None:
    decision = propose(collab)
    client = client_for(collab.carer.user)
    page = client.get(reverse("collaborative:decision", args=[decision.pk]))
    assert page.status_code == 200
    assert "Only members of Front door Design Team can say where they stand" in text_of(page)
    assert reverse("collaborative:decision_say", args=[decision.pk]) not in page.content.decode()
    response = client.post(reverse("collaborative:decision_say", args=[decision.pk]), {"stance": "consent"})
    assert response.status_code == 403
    assert not DecisionParticipant.objects.filter(decision=decision, member=collab.carer).exists()
    assert len(refusals("decision_say")) == 1


def test_a_private_decision_is_hidden_from_other_members(collab: Collab) -> None:
    decision = propose(collab, title="The new venue contract", is_public=False, not_public_why="Names a landlord")
    carer = client_for(collab.carer.user)
    assert carer.get(reverse("collaborative:decision", args=[decision.pk])).status_code == 403
    assert "The new venue contract" not in text_of(carer.get(reverse("collaborative:decisions")))
    assert len(refusals("decision")) == 1
    # The group's members and the stewards read it.
    lived = client_for(collab.lived.user).get(reverse("collaborative:decision", args=[decision.pk]))
    assert "Kept to members: Names a landlord" in text_of(lived)
    assert client_for(collab.chair.user).get(reverse("collaborative:decision", args=[decision.pk])).status_code == 200
    admin = sign_in_verified(collab.admin)
    assert admin.get(reverse("collaborative:decision", args=[decision.pk])).status_code == 200


# ---- proposing -------------------------------------------------------------------------------------


def test_a_runner_puts_a_vote_to_the_group(collab: Collab) -> None:
    client = client_for(collab.design_lead.user)
    url = reverse("collaborative:decision_add", args=[collab.design.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = text_of(page)
    assert "Consent: it goes ahead unless someone has a reasoned objection" in text
    assert "Consensus: everyone agrees" in text
    assert "Vote: people vote for one of the options, or abstain" in text
    response = client.post(
        url,
        {
            "title": "Spring open event",
            "proposal": "Where to hold it.",
            "method": "vote",
            "option_1": "The library",
            "option_2": "The park café",
            "money": "150.50",
            "money_note": "Events budget",
            "is_public": "yes",
        },
    )
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("collaborative:decision", args=[decision.pk])
    assert decision.money == Decimal("150.50")
    assert [o.text for o in decision.options.all()] == ["The library", "The park café"]
    page = client.get(response["Location"])
    text = text_of(page)
    assert "Spring open event is open for members of Front door Design Team" in text
    assert "£150.50, Events budget" in text
    assert "Dee Carer, family member or friend Proposed it Has not said yet" in text


def test_proposal_errors_are_shown_by_each_field_and_answers_kept(collab: Collab) -> None:
    client = client_for(collab.design_lead.user)
    response = client.post(
        reverse("collaborative:decision_add", args=[collab.design.pk]),
        {
            "title": "Spring open event",
            "proposal": "Where.",
            "method": "vote",
            "option_1": "Only one",
            "is_public": "no",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "Give at least 2 options to vote on" in html
    assert 'value="Only one"' in html
    assert not Decision.objects.exists()
    response = client.post(
        reverse("collaborative:decision_add", args=[collab.design.pk]),
        {"title": "Spring open event", "proposal": "Where.", "method": "consent", "is_public": "no"},
    )
    assert "Say why the decision is kept out of the public decisions log" in response.content.decode()


# ---- saying where you stand, and the tally ----------------------------------------------------------


def test_a_member_says_where_they_stand_and_the_tally_shows_it(collab: Collab) -> None:
    decision = propose(collab)
    client = client_for(collab.lived.user)
    say = reverse("collaborative:decision_say", args=[decision.pk])
    page = client.get(say)
    assert "I object: I have a reason it should not go ahead as it is" in text_of(page)
    response = client.post(say, {"stance": "object", "comment": ""})
    assert "Say why you object, so the group can address it" in response.content.decode()
    response = client.post(say, {"stance": "object", "comment": "There are stairs at the door"})
    assert response.status_code == 302
    client_for(collab.staff_member.user).post(say, {"stance": "consent"})
    page = client.get(reverse("collaborative:decision", args=[decision.pk]))
    text = text_of(page)
    assert "You said: Objected" in text and "because: There are stairs at the door" in text
    assert "Change where you stand" in text
    # The tally: consent 1 (Sol), stand aside 0, object 1 (Sunny).
    assert "Consent 1 Sol" in text
    assert "Stand aside 0" in text
    assert "Object 1 Sunny" in text
    assert "Objections and blocks" in text and "Sunny (objected): There are stairs at the door" in text
    # 2 of the Design Team's 3 members have said; the proposer has not.
    assert "2 people have said where they stand. Front door Design Team has 3 members." in text
    # Changing your mind: the form opens with what you said, and saving updates the same row.
    assert 'value="object" checked' in client.get(say).content.decode()
    client.post(say, {"stance": "consent"})
    assert DecisionParticipant.objects.filter(decision=decision, member=collab.lived).get().stance == Stance.CONSENT


def test_a_vote_tally_by_option(collab: Collab) -> None:
    decision = propose(collab, DecisionMethod.VOTE)
    _library, cafe = list(decision.options.all())
    say = reverse("collaborative:decision_say", args=[decision.pk])
    client_for(collab.lived.user).post(say, {"stance": f"option:{cafe.pk}"})
    client_for(collab.staff_member.user).post(say, {"stance": f"option:{cafe.pk}"})
    client_for(collab.design_lead.user).post(say, {"stance": "abstain"})
    text = text_of(client_for(collab.lived.user).get(reverse("collaborative:decision", args=[decision.pk])))
    # Hand count: the library 0, the park café 2 (Sunny, Sol), abstain 1 (Dee).
    assert "The library 0" in text
    assert "The park café 2 Sunny, Sol" in text
    assert "Abstain 1 Dee" in text
    assert "Voted for “The park café”" in text


# ---- participants in the room and recording the result ---------------------------------------------


def test_a_runner_adds_people_from_the_room_and_records_the_result(collab: Collab) -> None:
    decision = propose(collab, money=Decimal("300"), money_note="Events budget")
    runner = client_for(collab.design_lead.user)
    add = reverse("collaborative:decision_participants", args=[decision.pk])
    assert "Add people who took part" in text_of(runner.get(add))
    response = runner.post(
        add, {"member": str(collab.co_chair.pk), "role": ParticipantRole.FACILITATOR, "stance": "none"}
    )
    assert response.status_code == 302
    runner.post(add, {"member": str(collab.citizen.pk), "role": "participant", "stance": "object", "comment": ""})
    assert not DecisionParticipant.objects.filter(decision=decision, member=collab.citizen).exists()
    runner.post(
        add, {"member": str(collab.citizen.pk), "role": "participant", "stance": "object", "comment": "Too far"}
    )
    # Someone added by mistake is removed; the objector cannot be.
    runner.post(add, {"member": str(collab.carer.pk), "role": "participant", "stance": "none"})
    page = runner.get(add)
    html = page.content.decode()
    assert "Remove Kim" in text_of(page)
    assert f'name="member" value="{collab.carer.pk}"' in html
    assert f'name="member" value="{collab.citizen.pk}"' not in html  # objects
    assert f'name="member" value="{collab.design_lead.pk}"' not in html  # proposed it
    response = runner.post(add, {"action": "remove", "member": str(collab.carer.pk)})
    assert response.status_code == 302
    assert not DecisionParticipant.objects.filter(decision=decision, member=collab.carer).exists()
    runner.post(add, {"action": "remove", "member": str(collab.citizen.pk)})
    assert "Ade objects. Only they can take that back" in text_of(runner.get(add))
    record_url = reverse("collaborative:decision_record", args=[decision.pk])
    page = runner.get(record_url)
    assert "Ade (objected): Too far" in text_of(page)
    form = {
        "result": "agreed",
        "why": "Most people can get there.",
        "decided_on_0": "3",
        "decided_on_1": "2",
        "decided_on_2": "2026",
        "money": "300",
        "money_note": "Events budget",
        "version": str(decision.version),
    }
    response = runner.post(record_url, form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Objections still stand (Ade). Say how each was addressed" in html
    response = runner.post(record_url, {**form, "objections_addressed": "A lift from the bus stop is offered."})
    assert response.status_code == 302
    decision.refresh_from_db()
    # Hand count: Dee (proposer, carer), Pat (facilitator, lived experience), Ade (citizen) = 3 people, 1 of them
    # with lived experience: 1 of 3 is 33%.
    assert (decision.participant_count, decision.lived_experience_count) == (3, 1)
    assert decision.decided_on == dt.date(2026, 2, 3)
    text = text_of(runner.get(reverse("collaborative:decision", args=[decision.pk])))
    assert "3 people took part, 1 with lived experience (33%), counted when it was decided" in text
    assert "Agreed , on 3 February 2026" in text or "Agreed, on 3 February 2026" in text
    assert "A lift from the bus stop is offered." in text
    assert "See it in the public decisions log" in text
    # Once decided, the record page sends runners back to the decision.
    assert runner.get(record_url).status_code == 302


def test_the_record_form_shows_both_versions_after_a_conflict(collab: Collab) -> None:
    decision = propose(collab)
    runner = client_for(collab.design_lead.user)
    opened_at = decision.version
    Decision.objects.filter(pk=decision.pk).update(version=opened_at + 1, updated_by=collab.chair)
    response = runner.post(
        reverse("collaborative:decision_record", args=[decision.pk]),
        {
            "result": "deferred",
            "why": "Need more people.",
            "decided_on_0": "1",
            "decided_on_1": "3",
            "decided_on_2": "2026",
            "version": str(opened_at),
        },
    )
    assert response.status_code == 200
    text = text_of(response)
    assert "Chris (chair) changed the decision after you opened it" in text
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.OPEN


def test_withdrawing_a_decision(collab: Collab) -> None:
    decision = propose(collab)
    runner = client_for(collab.design_lead.user)
    url = reverse("collaborative:decision_withdraw", args=[decision.pk])
    assert "Say why the decision is withdrawn" in runner.post(url, {"reason": ""}).content.decode()
    assert runner.post(url, {"reason": "The venue closed"}).status_code == 302
    text = text_of(runner.get(reverse("collaborative:decision", args=[decision.pk])))
    assert "Withdrawn" in text and "The venue closed" in text


# ---- the members' list -----------------------------------------------------------------------------


def test_the_list_shows_open_decisions_to_say_on_then_decided_ones(collab: Collab) -> None:
    open_one = propose(collab, title="Open one")
    done = propose(collab, title="Done one")
    svc.decision_say(actor=collab.lived.user, decision=done, stance=Stance.CONSENT)
    record(collab, done)
    whole = svc.decision_propose(
        actor=collab.chair.user,
        group=collab.whole,
        proposal=Proposal(title="Whole one", proposal="For everyone.", method=DecisionMethod.CONSENT),
    )
    svc.decision_say(actor=collab.lived.user, decision=whole, stance=Stance.CONSENT)
    text = text_of(client_for(collab.lived.user).get(reverse("collaborative:decisions")))
    opened, _, closed = text.partition("Decided and withdrawn")
    assert "Open one" in opened and "Whole one" in opened and "Done one" not in opened
    assert "Whole one Lambeth Living Well Collaborative Consent 1 person has said where they stand Consented" in opened
    assert "Done one" in closed
    assert "2 people took part, 1 with lived experience (50%)" in closed
    # The carer is not in the Design Team: its open decision is not theirs to say on.
    carer_text = text_of(client_for(collab.carer.user).get(reverse("collaborative:decisions")))
    opened, _, closed = carer_text.partition("Decided and withdrawn")
    assert "Open one" not in opened and "Whole one" in opened
    assert "Done one" in closed  # public, so any member reads it
    # Filter by group.
    filtered = text_of(
        client_for(collab.lived.user).get(reverse("collaborative:decisions"), {"group": collab.whole.pk})
    )
    assert "Whole one" in filtered and "Open one" not in filtered
    assert open_one.status == DecisionStatus.OPEN


def test_the_list_and_the_log_use_a_fixed_number_of_queries(
    collab: Collab, django_assert_max_num_queries: object
) -> None:
    for n in range(30):
        decided(collab.design, f"Decision {n}", people=4, lived=2, on=dt.date(2026, 1, 1) + dt.timedelta(days=n))
    for n in range(5):
        propose(collab, title=f"Open {n}")
    client = client_for(collab.lived.user)
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        response = client.get(reverse("collaborative:decisions"))
    assert response.status_code == 200
    anonymous = Client()
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        response = anonymous.get(reverse("collaborative:decisions_log"))
    assert response.status_code == 200
    decision = Decision.objects.filter(status=DecisionStatus.DECIDED).first()
    assert decision is not None
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        assert anonymous.get(reverse("collaborative:public_decision", args=[decision.pk])).status_code == 200


# ---- the public decisions log -----------------------------------------------------------------------


def test_the_public_log_shows_only_decided_public_decisions_and_never_unlisted_names(collab: Collab) -> None:
    named = make_collab_member(collab.site, known_as="Rosa Public", lived_experience=True)
    named.public_name = True
    named.save()
    decision = propose(collab, title="Spring open event", money=Decimal("1250"), money_note="Ideas fund")
    svc.decision_say(actor=collab.lived.user, decision=decision, stance=Stance.OBJECT, comment="Stairs at my flat")
    svc.participant_add(
        actor=collab.design_lead.user,
        decision=decision,
        member=named,
        role=ParticipantRole.FACILITATOR,
        stance=Stance.CONSENT,
    )
    record(collab, decision, objections_addressed="Ramp hired.", money=Decimal("1250"), money_note="Ideas fund")
    ActionPoint.objects.create(
        group=collab.design,
        decision=decision,
        description="Hire the ramp",
        owner=collab.lived,
        due_on=dt.date(2026, 3, 1),
        status=ActionStatus.DONE,
        done_on=dt.date(2026, 2, 20),
    )
    propose(collab, title="Still open")
    private = propose(collab, title="Private one", is_public=False, not_public_why="Names a landlord")
    svc.decision_say(actor=collab.lived.user, decision=private, stance=Stance.CONSENT)
    record(collab, private)

    anonymous = Client()
    log = anonymous.get(reverse("collaborative:decisions_log"))
    text = text_of(log)
    assert "Spring open event" in text
    assert "Still open" not in text and "Private one" not in text
    # Dee (proposer), Sunny (lived experience), Rosa (lived experience): 3 people, 2 with lived experience.
    assert "3 people took part, 2 with lived experience (67%)" in text
    assert "1 decision since" in text
    assert "67% in the middle decision" in text
    assert "£1,250 in the decisions that were agreed" in text
    assert not excluded_words(text)

    page = anonymous.get(reverse("collaborative:public_decision", args=[decision.pk]))
    text = text_of(page)
    assert "Rosa Public" in text  # agreed to be named
    assert "A member with lived experience Took part Objected" in text  # Sunny, not named
    assert "A carer Proposed it Has not said yet" not in text and "A carer Proposed it Not recorded" in text
    assert "Rosa Public Facilitated Consented" in text
    for hidden in ("Sunny", "Dee", "Alex Morgan", "Stairs at my flat"):
        assert hidden not in text, hidden
    assert "Ramp hired." in text
    assert "£1,250, Ideas fund" in text
    assert "Hire the ramp A member with lived experience 1 March 2026 Done on 20 February 2026" in text
    # Not public, or not decided: not found.
    assert anonymous.get(reverse("collaborative:public_decision", args=[private.pk])).status_code == 404
    still_open = Decision.objects.get(title="Still open")
    assert anonymous.get(reverse("collaborative:public_decision", args=[still_open.pk])).status_code == 404


def test_the_log_filters_paginates_and_gives_open_data(collab: Collab) -> None:
    for n in range(27):
        decided(collab.design, f"Design {n:02d}", people=4, lived=1, on=dt.date(2025, 3, 1) + dt.timedelta(days=n))
    decided(collab.whole, "=Whole 2026", people=8, lived=4, on=dt.date(2026, 1, 5), money="99.5")
    decided(collab.whole, "Private", people=3, lived=0, on=dt.date(2026, 1, 6), public=False)
    anonymous = Client()
    url = reverse("collaborative:decisions_log")
    first = text_of(anonymous.get(url))
    assert "28 decisions, the newest first" in first
    assert "=Whole 2026" in first and "Design 26" in first and "Design 02" not in first  # 25 on the first page
    second = text_of(anonymous.get(url, {"page": 2}))
    assert "Design 01" in second and "Design 00" in second
    by_year = text_of(anonymous.get(url, {"year": "2026"}))
    assert "1 decision that match" in by_year and "=Whole 2026" in by_year
    by_group = text_of(anonymous.get(url, {"group": str(collab.design.pk)}))
    assert "27 decisions that match" in by_group

    response = anonymous.get(reverse("collaborative:decisions_log_csv"), {"year": "2026"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "id",
        "date",
        "group",
        "title",
        "method",
        "result",
        "money",
        "participants",
        "lived_experience",
        "share_percent",
    ]
    whole = Decision.objects.get(title="=Whole 2026")
    # 4 of 8 = 50%; the title is kept from being read as a formula.
    assert rows[1:] == [
        [
            str(whole.pk),
            "2026-01-05",
            "Lambeth Living Well Collaborative",
            "'=Whole 2026",
            "consent",
            "agreed",
            "99.50",
            "8",
            "4",
            "50",
        ]
    ]
    all_rows = list(csv.reader(io.StringIO(anonymous.get(reverse("collaborative:decisions_log_csv")).content.decode())))
    assert len(all_rows) == 1 + 28  # every public decided decision, not a page of them


def test_another_groups_decision_links_only_to_the_session_and_actions_the_reader_can_open(collab: Collab) -> None:
    """Kim (the whole Collaborative, not the Design Team) reads the Design Team's public decision: its
    session and the team's action are named without links (those pages are the team's), but the action
    Kim owns links to its page. Sunny, in the team, has every link."""
    starts = timezone.now() - dt.timedelta(days=2)
    session = Session.objects.create(
        group=collab.design, title="Design Team, March", starts_at=starts, ends_at=starts + dt.timedelta(hours=2)
    )
    decision = propose(collab, title="Open the café on Sundays", session=session)
    record(collab, decision)
    teams = ActionPoint.objects.create(
        group=collab.design,
        decision=decision,
        description="Ask the café",
        owner=collab.lived,
        due_on=dt.date(2026, 3, 1),
    )
    kims = ActionPoint.objects.create(
        group=collab.design,
        decision=decision,
        description="Make a poster",
        owner=collab.carer,
        due_on=dt.date(2026, 3, 1),
    )
    url = reverse("collaborative:decision", args=[decision.pk])
    session_href = f'href="/collaborative/sessions/{session.pk}/"'
    kim = client_for(collab.carer.user)
    html = kim.get(url).content.decode()
    assert "Design Team, March" in html and session_href not in html
    assert "Ask the café" in html and f'href="/collaborative/actions/{teams.pk}/"' not in html
    assert f'href="/collaborative/actions/{kims.pk}/">Make a poster' in html
    assert kim.get(f"/collaborative/actions/{kims.pk}/").status_code == 200
    sunny = client_for(collab.lived.user).get(url).content.decode()
    assert session_href in sunny
    assert f'href="/collaborative/actions/{teams.pk}/">Ask the café' in sunny
    assert f'href="/collaborative/actions/{kims.pk}/">Make a poster' in sunny
