"""The reflection pages, asserted on the HTML: the rounds (open first), setting up a round, answering
the principles and the balcony (saved answers shown, replaced on saving, errors by each field with
answers kept, closed rounds), the results (counts and unnamed quotes), the trend, the access cast with
its audit, and bounded queries."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from livingwell.audit.models import Action, AuditEvent, Outcome
from livingwell.collaborative.models import BalconyPlacement, PrincipleRating, ReflectionRound
from livingwell.collaborative.tests.conftest import Collab, make_collab_member
from livingwell.collaborative.tests.test_reflection_aggregates import four_place, four_say, make_round, place, rate
from livingwell.network.tests.conftest import sign_in_verified

pytestmark = pytest.mark.django_db

LIST, ADD, TREND = "/collaborative/reflection/", "/collaborative/reflection/add/", "/collaborative/reflection/trend/"
PRINCIPLES = ("assets", "capabilities", "mutuality", "peer_support", "blurring", "facilitating")
STATEMENT_FIELDS = (
    "purpose_people",
    "purpose_practitioners",
    "power_people",
    "power_practitioners",
    "practice_people",
    "practice_practitioners",
)


def client_for(user: Any) -> Client:
    return sign_in_verified(user)


def text(response: Any) -> str:
    return htmllib.unescape(response.content.decode())


def pages(r: ReflectionRound) -> dict[str, str]:
    base = f"/collaborative/reflection/{r.pk}/"
    return {
        "round": base,
        "principles": f"{base}principles/",
        "balcony": f"{base}balcony/",
        "principles_results": f"{base}principles/results/",
        "balcony_results": f"{base}balcony/results/",
    }


def principles_form(**answers: tuple[str, str]) -> dict[str, str]:
    data = {f"{p}_view": "skip" for p in PRINCIPLES} | {f"{p}_why": "" for p in PRINCIPLES}
    for principle, (view, why) in answers.items():
        data[f"{principle}_view"], data[f"{principle}_why"] = view, why
    return data


def balcony_form(**places: tuple[str, str]) -> dict[str, str]:
    data = {f"{k}_position": "skip" for k in STATEMENT_FIELDS} | {f"{k}_note": "" for k in STATEMENT_FIELDS}
    for key, (position, note) in places.items():
        data[f"{key}_position"], data[f"{key}_note"] = position, note
    return data


def refusals(user: Any) -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.filter(actor=user, outcome=Outcome.REFUSED)
        if e.detail.get("area") == "collaborative"
    ]


# ---- the rounds ----------------------------------------------------------------------------------


def test_the_rounds_open_ones_first_with_dates_and_what_each_exercise_is(collab: Collab) -> None:
    closed = make_round(collab, "Renewing the juices 2025", 400, -370)
    current = make_round(collab, "Renewing the juices 2026", 3, 10)
    rate(closed, collab.lived, "assets", "great")
    page = text(client_for(collab.lived.user).get(LIST))
    assert "<h1>Reflection</h1>" in page
    assert page.index("Renewing the juices 2026") < page.index("Renewing the juices 2025")
    assert f"Open until {current.closes_on.day} {current.closes_on:%B %Y}" in page
    assert f"Closed on {closed.closes_on.day} {closed.closes_on:%B %Y}" in page
    assert "Co-production principles: 1 member answered" in page
    assert "Co-production means" in page and "place our system between the mechanistic statement" in page
    assert "Set up a round" not in page  # not a steward
    assert f'href="/collaborative/reflection/{current.pk}/"' in page
    assert 'href="/collaborative/reflection/trend/"' in page
    assert "Set up a round" in text(client_for(collab.chair.user).get(LIST))


def test_a_chair_sets_up_a_round(collab: Collab) -> None:
    chair = client_for(collab.chair.user)
    page = text(chair.get(ADD))
    assert "<h1>Set up a reflection round</h1>" in page and "Held at a session of the whole Collaborative" in page
    today = timezone.localdate()
    close = today + dt.timedelta(days=14)
    response = chair.post(
        ADD,
        {
            "title": "Renewing the juices",
            "opens_on_0": str(today.day),
            "opens_on_1": str(today.month),
            "opens_on_2": str(today.year),
            "closes_on_0": str(close.day),
            "closes_on_1": str(close.month),
            "closes_on_2": str(close.year),
            "session": "",
        },
    )
    made = ReflectionRound.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/collaborative/reflection/{made.pk}/"
    page = text(chair.get(response["Location"]))
    assert "Renewing the juices is set up" in page and "<h1>Renewing the juices</h1>" in page
    assert "Answer on the principles" in page and "Place the system" in page


def test_setting_up_shows_mistakes_by_each_field_and_keeps_answers(collab: Collab) -> None:
    response = client_for(collab.chair.user).post(
        ADD,
        {
            "title": "",
            "opens_on_0": "10",
            "opens_on_1": "3",
            "opens_on_2": "2026",
            "closes_on_0": "1",
            "closes_on_1": "3",
            "closes_on_2": "2026",
        },
    )
    page = text(response)
    assert response.status_code == 200 and "<title>Error: " in page and "There is a problem" in page
    assert 'href="#id_title"' in page and "Enter a name for the round" in page
    assert "The closing date must be on or after the opening date" in page
    assert 'value="10"' in page
    assert not ReflectionRound.objects.exists()


@pytest.mark.parametrize("who", ["lived", "design_lead"])
def test_members_who_are_not_stewards_cannot_set_up_a_round(collab: Collab, who: str) -> None:
    user = getattr(collab, who).user
    assert client_for(user).get(ADD).status_code == 403
    assert client_for(user).post(ADD, {"title": "X"}).status_code == 403
    assert len(refusals(user)) == 2 and not ReflectionRound.objects.exists()


def test_a_site_administrator_may_set_up_a_round(collab: Collab) -> None:
    assert client_for(collab.admin).get(ADD).status_code == 200


# ---- answering the principles --------------------------------------------------------------------


def test_a_member_answers_on_the_principles_and_sees_and_replaces_their_answers(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    url = pages(r)["principles"]
    sunny = client_for(collab.lived.user)
    page = text(sunny.get(url))
    assert "<h1>How co-produced are we?</h1>" in page
    for label in ("Recognising people as assets", "Facilitating rather than delivering"):
        assert f"{label}\n" in page or f"{label}</" in page
    assert page.count("I'd rather not say") == 6 and page.count(" checked") == 6  # rather not say by default
    assert "We may quote what you write on the results page, without your name." in page
    assert "Seeing people as equal partners with skills and experience to offer" in page  # each principle explained
    assert page.count("nhsuk-fieldset__legend--m") == 6

    response = sunny.post(
        url,
        principles_form(assets=("great", "People as the essential core"), peer_support=("challenged", "I felt lost")),
    )
    assert response.status_code == 302 and response["Location"] == url
    page = text(sunny.get(url))
    assert "Your answers are saved" in page and "Your saved answers" in page
    assert "Why: People as the essential core" in page and "Something we were challenged by" in page

    sunny.post(url, principles_form(mutuality=("great", "")))
    assert {(p.principle, p.view) for p in PrincipleRating.objects.filter(round=r)} == {("mutuality", "great")}
    saves = [
        e
        for e in AuditEvent.objects.filter(actor=collab.lived.user, action=Action.CHANGE)
        if e.detail.get("what") == "principle ratings"
    ]
    assert len(saves) == 2


def test_a_why_without_an_answer_is_shown_by_its_field_and_answers_are_kept(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    response = client_for(collab.lived.user).post(
        pages(r)["principles"],
        principles_form(assets=("great", "Kept"), blurring=("skip", "But I wrote why")),
    )
    page = text(response)
    assert response.status_code == 200 and "<title>Error: " in page
    assert 'href="#id_blurring_why"' in page
    assert "You said why for blurring distinctions between professionals and recipients" in page
    assert "Kept" in page and "But I wrote why" in page
    assert not PrincipleRating.objects.exists()


def test_a_closed_round_shows_saved_answers_and_refuses_changes(collab: Collab) -> None:
    r = make_round(collab, "Last year", 40, -1)
    rate(r, collab.lived, "assets", "great", "Still true")
    url = pages(r)["principles"]
    sunny = client_for(collab.lived.user)
    page = text(sunny.get(url))
    assert "Your saved answers" in page and "Why: Still true" in page
    assert "Save my answers" not in page
    assert f"Closed on {r.closes_on.day} {r.closes_on:%B %Y}. Answers can only be given or changed" in page
    response = sunny.post(url, principles_form(assets=("challenged", "")))
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert "This round closed on" in page and "answers can no longer be changed" in page
    assert PrincipleRating.objects.get().view == "great"


# ---- the balcony ---------------------------------------------------------------------------------


def test_a_member_places_the_system_between_the_poles(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    url = pages(r)["balcony"]
    kim = client_for(collab.carer.user)
    page = text(kim.get(url))
    assert "<h1>Relational or mechanistic?</h1>" in page and "'balcony' perspective" in page
    assert page.count('<fieldset class="nhsuk-fieldset"') == 6
    assert '<h3 class="nhsuk-fieldset__heading">Power: practitioners in the system</h3>' in page
    assert "0: mechanistic" in page and "10: relational" in page
    assert "People with mental health needs are defined by diagnosis of condition." in page
    # Radios 0 to 10 and rather not say, for each row, with the poles named for screen readers.
    assert len(re.findall(r'name="purpose_people_position" type="radio" value="\d+"', page)) == 11
    assert '<span class="nhsuk-u-visually-hidden"> (relational)</span>' in page
    assert 'value="skip" checked' in page

    response = kim.post(
        url, balcony_form(purpose_people=("7", "Shared vision, mostly"), practice_practitioners=("2", ""))
    )
    assert response.status_code == 302
    page = text(kim.get(url))
    assert "Your places are saved" in page and "7 out of 10" in page and "Note: Shared vision, mostly" in page
    assert 'name="purpose_people_position" type="radio" value="7" checked' in page
    assert {(p.statement, p.position) for p in BalconyPlacement.objects.all()} == {
        ("purpose.people", 7),
        ("practice.practitioners", 2),
    }


def test_a_balcony_note_without_a_place_is_an_error(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    response = client_for(collab.carer.user).post(pages(r)["balcony"], balcony_form(power_people=("skip", "Hmm")))
    page = text(response)
    assert 'href="#id_power_people_note"' in page and "You wrote a note for power" in page
    bad = client_for(collab.carer.user).post(pages(r)["balcony"], balcony_form(power_people=("11", "")))
    assert 'href="#id_power_people_position"' in text(bad) and "Choose a number from 0 to 10" in text(bad)
    assert not BalconyPlacement.objects.exists()


# ---- results and trend ---------------------------------------------------------------------------


def test_principles_results_show_counts_and_unnamed_quotes(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    four_say(collab, r)
    page = text(client_for(collab.citizen.user).get(pages(r)["principles_results"]))
    assert "<h1>What members said about the principles</h1>" in page and "4 members answered" in page
    assert "Most often great at: recognising people as assets (3 of 4)" in page
    assert "Most often challenged by: peer support networks (2 of 4)" in page
    assert 'role="img"' in page and "<desc id=" in page
    assert re.search(r"Recognising people as assets</th>\s*<td[^>]*>3</td>\s*<td[^>]*>1</td>", page)
    assert "What people said: we were great at…" in page
    assert "We were great at recognising people as assets because…" in page
    assert "We were challenged by peer support networks because…" in page and "I felt lost" in page
    for name in ("Sunny", "Kim", "Sol", "Morgan C"):
        assert not re.search(rf"\b{name}\b", page), name
    assert "The round is still open" in page
    # Whose view it is: the perspectives of the 4 who answered (one each).
    assert "Who answered" in page
    assert re.search(r"Lived experience of mental health</dt>\s*<dd[^>]*>1 of 4 \(25%\)", page)
    assert re.search(r"Commissioner</dt>\s*<dd[^>]*>1 of 4 \(25%\)", page)


def test_results_hold_back_quotes_below_three_respondents(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    rate(r, collab.lived, "assets", "great", "Only two of us")
    place(r, collab.lived, "power.people", 4, "A lonely note")
    sunny = client_for(collab.lived.user)
    page = text(sunny.get(pages(r)["principles_results"]))
    assert "1 member answered" in page and "Only two of us" not in page and "at least 3 members" in page
    page = text(sunny.get(pages(r)["balcony_results"]))
    assert "A lonely note" not in page


def test_balcony_results_show_each_statement_with_chart_table_and_notes(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    four_place(collab, r)
    page = text(client_for(collab.lived.user).get(pages(r)["balcony_results"]))
    assert "<h1>Where members placed the system</h1>" in page
    assert "4 placements. Mean 6.3, median 7." in page and "2 placements. Mean 3.5, median 3.5." in page
    assert page.count('class="lw-chart"') == 2  # only the statements someone placed are drawn
    assert "Nobody placed the system for this pair." in page
    assert "Placed at 2 because…" in page and "Diagnosis still leads" in page
    assert "Sunny" not in page


def test_the_trend_page(collab: Collab) -> None:
    older = make_round(collab, "Last year", 400, -370)
    now = make_round(collab, "This year", 3, 10)
    rate(older, collab.lived, "assets", "great")
    rate(older, collab.carer, "assets", "challenged")
    four_say(collab, now)
    four_place(collab, now)
    page = text(client_for(collab.lived.user).get(TREND))
    assert "<h1>How our answers have changed</h1>" in page
    assert "Round 1: Last year" in page and "Round 2: This year" in page
    assert re.search(r"Recognising people as assets</th>\s*<td[^>]*>0%</td>\s*<td[^>]*>\+50%</td>", page)
    assert page.count('class="lw-chart"') == 2


def test_the_round_page_shows_status_own_progress_and_links(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    rate(r, collab.lived, "assets", "great")
    rate(r, collab.lived, "mutuality", "challenged")
    page = text(client_for(collab.lived.user).get(pages(r)["round"]))
    assert "<h1>Now</h1>" in page and "Open until" in page
    assert "You answered for 2 of the 6 principles." in page and "Change your answers on the principles" in page
    assert "Place the system" in page
    for url in list(pages(r).values())[1:]:
        assert f'href="{url}"' in page
    closed = make_round(collab, "Then", 40, -1)
    page = text(client_for(collab.lived.user).get(pages(closed)["round"]))
    assert "answers can only be given or changed while the round is open" in page
    assert "Your answers on the principles" in page


def test_the_public_summary_shows_counts_only(collab: Collab) -> None:
    from django.template import engines

    from livingwell.collaborative.selectors_reflection import latest_closed_round_summary

    r = make_round(collab, "Renewing the juices 2025", 40, -1)
    four_say(collab, r)
    template = engines["jinja2"].from_string(
        '{% from "collaborative/reflection/_public_summary.jinja" import public_summary %}{{ public_summary(s) }}'
    )
    page = htmllib.unescape(template.render({"s": latest_closed_round_summary(collab.site)}))
    assert "4 members said which of the six principles" in page
    assert re.search(r"Recognising people as assets</th>\s*<td[^>]*>3</td>\s*<td[^>]*>1</td>", page)
    assert "I felt lost" not in page and "Sunny" not in page
    assert template.render({"s": None}).strip() == ""


# ---- the access cast -----------------------------------------------------------------------------


def test_people_who_are_not_members_are_refused_every_page_and_it_is_audited(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    urls = [LIST, TREND, *pages(r).values()]
    for user in (collab.outsider, collab.admin):
        client = client_for(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403, url
        assert client.post(pages(r)["principles"], principles_form(assets=("great", ""))).status_code == 403
        assert client.post(pages(r)["balcony"], balcony_form(power_people=("5", ""))).status_code == 403
        assert len(refusals(user)) == len(urls) + 2
    assert "Only members of the Collaborative can do this" in text(client_for(collab.outsider).get(LIST))
    assert not PrincipleRating.objects.exists() and not BalconyPlacement.objects.exists()


def test_signed_out_people_are_asked_to_sign_in(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    for url in (LIST, ADD, *pages(r).values()):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith(f"{reverse('accounts:sign_in')}?next=")


def test_another_sites_round_is_not_found(collab: Collab) -> None:
    from livingwell.network.models import Site

    elsewhere = Site.objects.create(name="Elsewhere", slug="elsewhere")
    r = ReflectionRound.objects.create(
        site=elsewhere, title="Theirs", opens_on=timezone.localdate(), closes_on=timezone.localdate()
    )
    for url in pages(r).values():
        assert client_for(collab.lived.user).get(url).status_code == 404


def test_results_pages_take_the_same_queries_whatever_the_number_of_members(collab: Collab) -> None:
    r = make_round(collab, "Now", 3, 10)
    four_say(collab, r)
    four_place(collab, r)
    client = client_for(collab.lived.user)
    urls = [pages(r)["principles_results"], pages(r)["balcony_results"], TREND, LIST]
    for url in urls:
        client.get(url)  # warm the session

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    before = counts()
    assert max(before) <= 15
    for n in range(10):
        member = make_collab_member(collab.site, known_as=f"Extra {n}")
        rate(r, member, "capabilities", "challenged", f"Because {n}")
        place(r, member, "practice.people", n, f"Note {n}")
    assert counts() == before
