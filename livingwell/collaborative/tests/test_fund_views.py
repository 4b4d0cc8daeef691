"""The ideas fund's pages: who may see and do what (with refusals audited), what each page says, the
vote and its results, the awards, publishing, and the public page of funded ideas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.collaborative.models import (
    Decision,
    FundRound,
    FundStage,
    Member,
    Pitch,
    PitchStatus,
)
from livingwell.collaborative.tests.conftest import Collab, make_collab_member
from livingwell.collaborative.tests.fund_helpers import approve, make_pitch, make_round, seat
from livingwell.community.models import Curation
from livingwell.network.tests.conftest import sign_in_verified

pytestmark = pytest.mark.django_db


def client_for(member: Member) -> Client:
    client = Client()
    client.force_login(member.user)
    return client


def html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def refusals(what: str) -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.filter(outcome=Outcome.REFUSED).order_by("id")
        if e.detail.get("area") == "collaborative" and e.detail.get("what") == what
    ]


def test_the_fund_page_lists_rounds_open_first_with_the_peer_led_share(
    collab: Collab, django_assert_max_num_queries: Any
) -> None:
    old = make_round(
        collab.site,
        name="Autumn ideas",
        stage=FundStage.CLOSED,
        pitches_close_on=dt.date(2025, 9, 1),
        voting_closes_on=dt.date(2025, 9, 20),
    )
    make_pitch(old, collab.carer, title="Old", status=PitchStatus.FUNDED, award=Decimal("300"))
    now = make_round(collab.site, name="Spring ideas", largest_award=Decimal("750"))
    make_pitch(now, collab.lived, title="Peer walk", status=PitchStatus.SUBMITTED, peer_led=True)
    for n in range(3):
        make_pitch(now, collab.carer, title=f"Idea {n}", status=PitchStatus.SUBMITTED)
    make_pitch(now, collab.citizen, title="Still a draft")
    client = client_for(collab.carer)
    client.get("/collaborative/ideas-fund/")  # signs in before counting
    with django_assert_max_num_queries(12):
        page = html(client.get("/collaborative/ideas-fund/"))
    assert page.index("Spring ideas") < page.index("Autumn ideas")  # the open round first
    # Spring: 4 sent (the draft does not count), 1 peer-led: 1 of 4 (25%).
    assert "4: 1 of 4 (25%) are peer-led" in page
    assert "£2,000 (up to £750 a pitch)" in page
    assert 'Awarded</dt><dd class="nhsuk-summary-list__value">£300' in page
    assert "Open a round" not in page
    assert "Open a round" in html(client_for(collab.chair).get("/collaborative/ideas-fund/"))


def test_outsiders_are_refused_and_told_how_to_join(collab: Collab) -> None:
    fund_round = make_round(collab.site)
    client = Client()
    client.force_login(collab.outsider)
    for path in ("/collaborative/ideas-fund/", f"/collaborative/ideas-fund/{fund_round.pk}/"):
        response = client.get(path)
        assert response.status_code == 403
    assert len(refusals("fund")) == 1 and len(refusals("fund_round")) == 1
    assert Client().get("/collaborative/ideas-fund/").status_code == 302  # sign in first


def test_a_steward_opens_a_round_then_chooses_the_panel(collab: Collab) -> None:
    client = client_for(collab.chair)
    page = html(client.get("/collaborative/ideas-fund/add/"))
    assert "<h1>Open a round of the ideas fund</h1>" in page
    close = timezone.localdate() + dt.timedelta(days=10)
    vote = close + dt.timedelta(days=14)
    data = {
        "name": "Spring 2027",
        "about": "Ideas that bring people together.",
        "budget": "£5,000",
        "largest_award": "",
        "pitches_close_on_0": close.day,
        "pitches_close_on_1": close.month,
        "pitches_close_on_2": close.year,
        "voting_closes_on_0": vote.day,
        "voting_closes_on_1": vote.month,
        "voting_closes_on_2": "",
        "min_lived_experience_panel": "2",
    }
    page = html(client.post("/collaborative/ideas-fund/add/", data))
    assert "<title>Error: " in page
    assert "Voting closes on must include a year" in page
    data["voting_closes_on_2"] = vote.year
    response = client.post("/collaborative/ideas-fund/add/", data)
    fund_round = FundRound.objects.get(name="Spring 2027")
    assert response.status_code == 302 and response["Location"] == f"/collaborative/ideas-fund/{fund_round.pk}/panel/"
    assert fund_round.budget == Decimal("5000")

    page = html(client.get(f"/collaborative/ideas-fund/{fund_round.pk}/panel/"))
    assert "No one is on the panel yet." in page
    response = client.post(
        f"/collaborative/ideas-fund/{fund_round.pk}/panel/",
        {
            "members": [str(collab.co_chair.pk), str(collab.lived.pk), str(collab.staff_member.pk)],
            "chair": str(collab.lived.pk),
        },
    )
    assert response.status_code == 302
    page = html(client.get(f"/collaborative/ideas-fund/{fund_round.pk}/panel/"))
    # Hand count: Pat and Sunny have lived experience, Sol works in the NHS trust: 2 of 3 (67%).
    assert "Lived experience: 2 of 3 (67%)." in page
    assert "Sector: NHS trust" in page
    page = html(client.get(f"/collaborative/ideas-fund/{fund_round.pk}/"))
    assert "Sunny (chair)" in page
    assert "Lived experience on the panel: 2 of 3 (67%)." in page

    lived = client_for(collab.lived)
    assert lived.get("/collaborative/ideas-fund/add/").status_code == 403
    assert lived.get(f"/collaborative/ideas-fund/{fund_round.pk}/panel/").status_code == 403
    assert len(refusals("fund_round")) == 1 and len(refusals("fund_panel")) == 1


def test_a_member_pitches_asks_for_help_and_sends_it(collab: Collab) -> None:
    fund_round = make_round(collab.site, largest_award=Decimal("800"))
    client = client_for(collab.lived)
    page = html(client.get(f"/collaborative/ideas-fund/{fund_round.pk}/"))
    assert "Pitch an idea" in page
    page = html(client.get(f"/collaborative/ideas-fund/{fund_round.pk}/pitch/"))
    assert "people with lived experience of mental health lead it" in page
    assert "The most a pitch may ask for in this round is £800" in page
    data = {
        "title": "Walk and talk",
        "summary": "A weekly walk then tea.",
        "who_benefits": "Men who feel alone.",
        "how_money_is_spent": "Tea and a walk leader's training.",
        "amount": "900",
        "peer_led": "on",
        "wants_help": "on",
        "help_note": "Help with the budget, please",
    }
    page = html(client.post(f"/collaborative/ideas-fund/{fund_round.pk}/pitch/", data))
    assert "<title>Error: " in page and "The most a pitch may ask for in this round is £800" in page
    data["amount"] = "£650"
    response = client.post(f"/collaborative/ideas-fund/{fund_round.pk}/pitch/", data)
    pitch = Pitch.objects.get(title="Walk and talk")
    assert response["Location"] == f"/collaborative/pitches/{pitch.pk}/"
    page = html(client.get(f"/collaborative/pitches/{pitch.pk}/"))
    assert "Only you (and anyone helping you) can see it" in page
    assert "Send to the panel" in page and "Change the pitch" in page

    # Another member cannot see the draft; the refusal is recorded.
    assert client_for(collab.carer).get(f"/collaborative/pitches/{pitch.pk}/").status_code == 403
    assert len(refusals("pitch")) == 1

    # The steward sees who is waiting for help and finds a helper.
    chair = client_for(collab.chair)
    page = html(chair.get(f"/collaborative/ideas-fund/{fund_round.pk}/"))
    assert "Pitchers waiting for help" in page and "Walk and talk</a>, by Sunny" in page
    assert client_for(collab.carer).get(f"/collaborative/pitches/{pitch.pk}/help/").status_code == 403
    response = chair.post(f"/collaborative/pitches/{pitch.pk}/help/", {"helper": str(collab.carer.pk)})
    assert response.status_code == 302
    helper = client_for(collab.carer)
    page = html(helper.get(f"/collaborative/pitches/{pitch.pk}/change/"))
    assert 'name="version" value="1"' in page
    response = helper.post(
        f"/collaborative/pitches/{pitch.pk}/change/", {**data, "title": "Walk, talk, tea", "version": "1"}
    )
    assert response.status_code == 302

    # The pitcher's stale form meets the helper's change: both versions, nothing lost.
    page = html(client.post(f"/collaborative/pitches/{pitch.pk}/change/", {**data, "version": "1"}))
    assert "Someone else changed this while you were editing" in page
    assert "Kim changed this pitch after you opened it" in page

    response = client.post(f"/collaborative/pitches/{pitch.pk}/submit/")
    assert response.status_code == 302
    pitch.refresh_from_db()
    assert pitch.status == PitchStatus.SUBMITTED


def test_the_stage_page_explains_what_is_missing_before_voting(collab: Collab) -> None:
    fund_round = make_round(collab.site, stage=FundStage.PANEL)
    seat(fund_round, collab.co_chair)
    make_pitch(fund_round, collab.carer, status=PitchStatus.SHORTLISTED)
    client = client_for(collab.chair)
    page = html(client.get(f"/collaborative/ideas-fund/{fund_round.pk}/stage/"))
    assert "The panel needs at least 2 members with lived experience before members vote: it has 1" in page
    page = html(client.post(f"/collaborative/ideas-fund/{fund_round.pk}/stage/", {"to": "voting"}))
    assert "<title>Error: " in page
    seat(fund_round, collab.lived)
    response = client.post(f"/collaborative/ideas-fund/{fund_round.pk}/stage/", {"to": "voting"})
    assert response.status_code == 302
    fund_round.refresh_from_db()
    assert fund_round.stage == FundStage.VOTING
    assert client_for(collab.carer).get(f"/collaborative/ideas-fund/{fund_round.pk}/stage/").status_code == 403


def test_the_panel_shortlists_from_the_pitch_page(collab: Collab) -> None:
    fund_round = make_round(collab.site, stage=FundStage.PANEL)
    seat(fund_round, collab.co_chair, chair=True)
    pitch = make_pitch(fund_round, collab.carer, status=PitchStatus.SUBMITTED)
    panel = client_for(collab.co_chair)
    assert "Decide on the shortlist" in html(panel.get(f"/collaborative/pitches/{pitch.pk}/"))
    page = html(panel.post(f"/collaborative/pitches/{pitch.pk}/shortlist/", {"decision": "no", "note": ""}))
    assert "Write a note to the pitcher saying why it is not on the shortlist" in page
    response = panel.post(
        f"/collaborative/pitches/{pitch.pk}/shortlist/",
        {"decision": "no", "note": "A lovely idea; tell us what the room costs and pitch again."},
    )
    assert response.status_code == 302
    page = html(client_for(collab.carer).get(f"/collaborative/pitches/{pitch.pk}/"))
    assert "The panel's note" in page and "tell us what the room costs" in page
    assert client_for(collab.citizen).get(f"/collaborative/pitches/{pitch.pk}/").status_code == 403  # not shortlisted
    assert client_for(collab.citizen).get(f"/collaborative/pitches/{pitch.pk}/shortlist/").status_code == 403


@pytest.fixture
def voting(collab: Collab) -> dict[str, Any]:
    today = timezone.localdate()
    fund_round = make_round(
        collab.site,
        stage=FundStage.VOTING,
        pitches_close_on=today - dt.timedelta(days=7),
        voting_closes_on=today + dt.timedelta(days=7),
    )
    seat(fund_round, collab.co_chair, chair=True)
    seat(fund_round, collab.lived)
    a = make_pitch(fund_round, collab.carer, title="Allotment", amount="1500", status=PitchStatus.SHORTLISTED)
    b = make_pitch(
        fund_round, collab.citizen, title="Peer cafe", amount="1000", peer_led=True, status=PitchStatus.SHORTLISTED
    )
    c = make_pitch(
        fund_round, collab.design_lead, title="Choir", amount="400", status=PitchStatus.SHORTLISTED, minutes=5
    )
    return {"round": fund_round, "a": a, "b": b, "c": c}


def test_members_vote_by_approval_and_counts_stay_hidden_until_the_end(collab: Collab, voting: dict[str, Any]) -> None:
    fund_round, a, b, c = voting["round"], voting["a"], voting["b"], voting["c"]
    client = client_for(collab.commissioner)
    page = html(client.get(f"/collaborative/ideas-fund/{fund_round.pk}/vote/"))
    assert "You have not approved any pitches yet." in page
    response = client.post(
        f"/collaborative/ideas-fund/{fund_round.pk}/vote/", {"pitches": [str(a.pk), str(b.pk), str(c.pk)]}
    )
    assert response.status_code == 302
    client.post(f"/collaborative/ideas-fund/{fund_round.pk}/vote/", {"pitches": [str(b.pk), str(c.pk)]})
    page = html(client.get(f"/collaborative/ideas-fund/{fund_round.pk}/vote/"))
    assert "You approved 2 pitches. Saving again replaces your approvals." in page
    assert "You approved 2 pitches." in html(client.get(f"/collaborative/ideas-fund/{fund_round.pk}/"))

    approve(a, collab.carer, collab.citizen, collab.lived)
    approve(c, collab.carer)
    # No counts for members while voting: not on the pitch page, not on the results page.
    assert "Approvals" not in html(client.get(f"/collaborative/pitches/{a.pk}/"))
    page = html(client.get(f"/collaborative/ideas-fund/{fund_round.pk}/results/"))
    assert "The results are shown when voting ends" in page and "Allotment" not in page
    # The panel sees what the rule would fund. Allotment 3; Choir 2 (Morgan C, Kim); Peer cafe 1.
    page = html(client_for(collab.co_chair).get(f"/collaborative/ideas-fund/{fund_round.pk}/results/"))
    assert "Voting is still going on" in page
    assert "Not funded: £1,000 asked, £100 left" in page  # 2,000 - 1,500 - 400 = 100
    assert "The rule would award £1,900 of £2,000." in page

    # Members who are not stewards or the panel's chair cannot award; the chair can, deliberately early.
    assert client_for(collab.lived).get(f"/collaborative/ideas-fund/{fund_round.pk}/award/").status_code == 403
    assert len(refusals("fund_awards")) == 1
    chair = client_for(collab.co_chair)
    page = html(chair.post(f"/collaborative/ideas-fund/{fund_round.pk}/award/", {}))
    assert "tick the box to award now" in page
    response = chair.post(f"/collaborative/ideas-fund/{fund_round.pk}/award/", {"early": "on"})
    assert response["Location"] == f"/collaborative/ideas-fund/{fund_round.pk}/results/"
    decision = Decision.objects.get(title=f"Ideas fund: {fund_round.name} awards")
    # Panel: Pat, Sunny (also voted). Voters: Morgan C, Kim, Ade, Sunny. Distinct: 5; lived: Pat, Sunny = 2.
    assert (decision.participant_count, decision.lived_experience_count) == (5, 2)
    assert f'href="/collaborative/decisions/{decision.pk}/"' in html(
        client.get(f"/collaborative/ideas-fund/{fund_round.pk}/")
    )

    page = html(client.get(f"/collaborative/ideas-fund/{fund_round.pk}/results/"))
    assert "How the ideas were funded" in page and "Awarded £1,900 of £2,000." in page
    assert "4 members voted" in page
    assert 'Approvals</dt><dd class="nhsuk-summary-list__value">3 members' in html(
        client.get(f"/collaborative/pitches/{a.pk}/")
    )


def test_tie_breaks_are_explained_on_the_results(collab: Collab, voting: dict[str, Any]) -> None:
    fund_round, b, c = voting["round"], voting["b"], voting["c"]
    approve(b, collab.carer, collab.lived)
    approve(c, collab.carer, collab.citizen)
    fund_round.stage = FundStage.AWARDED
    fund_round.save()
    page = html(client_for(collab.commissioner).get(f"/collaborative/ideas-fund/{fund_round.pk}/results/"))
    assert "Level with Peer cafe on 2 approvals: Peer cafe comes first because it is peer-led" in page
    assert "Not funded: no one approved it" in page  # the allotment


def test_report_back_and_publish_as_a_member_waits_for_a_curator(collab: Collab) -> None:
    fund_round = make_round(collab.site, stage=FundStage.AWARDED)
    pitch = make_pitch(fund_round, collab.lived, status=PitchStatus.FUNDED, award=Decimal("500"))
    client = client_for(collab.lived)
    page = html(client.get(f"/collaborative/pitches/{pitch.pk}/"))
    assert "Report back on what happened" in page and "Put it in the community directory" in page
    today = timezone.localdate()
    response = client.post(
        f"/collaborative/pitches/{pitch.pk}/report/",
        {
            "report_back": "Twelve walks; people keep coming.",
            "spent": "480",
            "people_reached": "23",
            "reported_on_0": today.day,
            "reported_on_1": today.month,
            "reported_on_2": today.year,
            "version": "1",
        },
    )
    assert response.status_code == 302
    page = html(client.get(f"/collaborative/pitches/{pitch.pk}/publish/"))
    assert "A Hub coordinator checks it before it appears" in page
    page = html(client.post(f"/collaborative/pitches/{pitch.pk}/publish/", {"name": "Walk and talk", "free": "yes"}))
    assert "Give an email address or a phone number people can contact" in page
    response = client.post(
        f"/collaborative/pitches/{pitch.pk}/publish/",
        {
            "name": "Walk and talk",
            "organisation": "Brixton walkers",
            "informal": "on",
            "description": "A gentle walk then tea.",
            "who_for": "Men over 18",
            "online": "on",
            "when": "Tuesdays, 10am",
            "free": "yes",
            "phone": "020 7946 0000",
        },
    )
    assert response.status_code == 302
    pitch.refresh_from_db()
    assert pitch.offer is not None and pitch.offer.curation == Curation.SUGGESTED
    page = html(client.get(f"/collaborative/pitches/{pitch.pk}/"))
    assert "waiting for a Hub coordinator to check it" in page
    assert f'href="/community/offers/{pitch.offer.pk}/"' in page
    assert client_for(collab.carer).get(f"/collaborative/pitches/{pitch.pk}/publish/").status_code == 403
    assert client_for(collab.carer).get(f"/collaborative/pitches/{pitch.pk}/report/").status_code == 403


def test_a_curator_steward_puts_it_straight_into_the_directory(collab: Collab) -> None:
    fund_round = make_round(collab.site, stage=FundStage.AWARDED)
    pitch = make_pitch(fund_round, collab.lived, status=PitchStatus.FUNDED, award=Decimal("500"))
    admin = sign_in_verified(collab.admin)
    assert "It goes into the directory straight away." in html(admin.get(f"/collaborative/pitches/{pitch.pk}/publish/"))
    response = admin.post(
        f"/collaborative/pitches/{pitch.pk}/publish/",
        {
            "name": "Walk and talk",
            "organisation": "Brixton walkers",
            "description": "A gentle walk then tea.",
            "who_for": "Men over 18",
            "address_1": "Dulwich Road gate",
            "town": "London",
            "postcode": "SW9 8AB",
            "when": "Tuesdays, 10am",
            "free": "yes",
            "email": "walk@example.org",
        },
    )
    assert response.status_code == 302
    pitch.refresh_from_db()
    assert pitch.offer is not None and pitch.offer.curation == Curation.PUBLISHED
    assert "It is in the community directory." in html(admin.get(f"/collaborative/pitches/{pitch.pk}/"))


def test_the_public_page_shows_only_funded_ideas_of_awarded_rounds(
    collab: Collab, django_assert_max_num_queries: Any
) -> None:
    awarded = make_round(collab.site, name="Spring ideas", stage=FundStage.AWARDED, budget=Decimal("3000"))
    make_pitch(
        awarded,
        collab.lived,
        title="Peer cafe",
        amount="1200",
        peer_led=True,
        status=PitchStatus.FUNDED,
        award=Decimal("1200"),
        report_back="Forty people came to the first cafe.",
        reported_on=dt.date(2026, 6, 1),
        people_reached=40,
    )
    make_pitch(
        awarded,
        collab.carer,
        title="Carers' picnic",
        amount="800",
        status=PitchStatus.FUNDED,
        award=Decimal("800"),
        group_name="Carers Together",
    )
    make_pitch(awarded, collab.citizen, title="Not chosen", status=PitchStatus.NOT_FUNDED)
    voting = make_round(collab.site, name="Now voting", stage=FundStage.VOTING)
    make_pitch(voting, collab.citizen, title="Still voting", status=PitchStatus.SHORTLISTED)
    named = make_collab_member(collab.site, known_as="Jo Public", citizen=True)
    named.public_name = True
    named.save()
    make_pitch(awarded, named, title="Litter pick", amount="50", status=PitchStatus.FUNDED, award=Decimal("50"))
    with django_assert_max_num_queries(8):
        page = html(Client().get("/collaborative/funded-ideas/"))
    assert "Peer cafe" in page and "Carers&#39; picnic" in page and "Litter pick" in page
    assert "Not chosen" not in page and "Still voting" not in page and "Now voting" not in page
    assert "A member with lived experience" in page  # Sunny did not agree to be named
    assert "Sunny" not in page and "Alex" not in page
    assert "Carers Together" in page and "Jo Public" in page
    assert "Forty people came to the first cafe." in page and "40 people took part." in page
    # Hand totals: awarded £1,200 + £800 + £50 = £2,050 to 3 ideas; peer-led 1 of 3 (33%).
    assert "£2,050 to 3 ideas" in page
    assert "1 of 3 (33%)" in page


def test_the_round_page_shows_each_member_only_what_they_may_see(
    collab: Collab, django_assert_max_num_queries: Any
) -> None:
    fund_round = make_round(collab.site, stage=FundStage.PANEL)
    seat(fund_round, collab.co_chair, chair=True)
    seat(fund_round, collab.staff_member)
    make_pitch(fund_round, collab.lived, title="Sunny's draft")
    make_pitch(fund_round, collab.carer, title="Kim's pitch", status=PitchStatus.SUBMITTED, wants_help=True)
    make_pitch(fund_round, collab.citizen, title="Ade's pitch", status=PitchStatus.SHORTLISTED, peer_led=True)
    for n in range(5):
        make_pitch(fund_round, collab.citizen, title=f"More {n}", status=PitchStatus.SHORTLISTED)
    path = f"/collaborative/ideas-fund/{fund_round.pk}/"

    commissioner, chair = client_for(collab.commissioner), client_for(collab.co_chair)
    commissioner.get(path)  # signs in (session, last login) before counting
    chair.get(path)
    with django_assert_max_num_queries(18):
        member = html(commissioner.get(path))
    assert "Ade&#39;s pitch" in member and "More 4" in member
    assert "Kim&#39;s pitch" not in member and "Sunny&#39;s draft" not in member
    assert "Pitches are shared with every member once the panel puts them on the shortlist." in member
    assert "Pitchers waiting for help" not in member
    # Hand count: 7 sent (Kim's and 6 shortlisted), 1 peer-led: 1 of 7 (14%).
    assert "1 of 7 (14%) are peer-led" in member

    pitcher = html(client_for(collab.lived).get(path))
    assert "Sunny&#39;s draft" in pitcher and "Your pitches, and pitches you are helping with" in pitcher

    with django_assert_max_num_queries(18):
        panel = html(chair.get(path))
    assert "Kim&#39;s pitch" in panel and "Sunny&#39;s draft" not in panel
    assert "Pitchers waiting for help" in panel
    assert "Pat (co-chair) (chair)" in panel and "Lived experience on the panel: 1 of 2 (50%)." in panel


def test_a_pitch_cannot_be_changed_once_the_panel_has_it(collab: Collab) -> None:
    fund_round = make_round(collab.site, stage=FundStage.PANEL)
    pitch = make_pitch(fund_round, collab.lived, status=PitchStatus.SUBMITTED)
    client = client_for(collab.lived)
    page = html(client.get(f"/collaborative/pitches/{pitch.pk}/"))
    assert "Change the pitch" not in page and "Send to the panel" not in page
    page = html(client.get(f"/collaborative/pitches/{pitch.pk}/change/"))
    assert "This round is not taking pitches now." in page and 'name="title"' not in page


def test_an_awarded_round_is_closed_by_a_steward(collab: Collab) -> None:
    fund_round = make_round(collab.site, stage=FundStage.AWARDED)
    admin = sign_in_verified(collab.admin)
    page = html(admin.get(f"/collaborative/ideas-fund/{fund_round.pk}/stage/"))
    assert "Move to: Closed" in page
    assert admin.post(f"/collaborative/ideas-fund/{fund_round.pk}/stage/", {"to": "closed"}).status_code == 302
    fund_round.refresh_from_db()
    assert fund_round.stage == FundStage.CLOSED
    (event,) = [
        e
        for e in AuditEvent.objects.filter(outcome=Outcome.ALLOWED)
        if e.detail.get("area") == "collaborative" and e.detail.get("what") == "fund_round_stage"
    ]
    assert (event.detail["from"], event.detail["to"], event.actor) == ("awarded", "closed", collab.admin)
