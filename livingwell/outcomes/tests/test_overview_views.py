"""The overview of a person's measures ("How things are going" / "Measures"), asserted on the HTML:
results and change in plain words, charts with tables, drafts, the history, the experience questions,
the number of queries, and who may see it (with the audit trail)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from livingwell.audit.models import Action, AuditEvent, Basis, Outcome
from livingwell.outcomes.models import CompletedHow, MeasureSettings, MeasureStatus, Occasion
from livingwell.outcomes.tests.overview_helpers import (
    START,
    client_for,
    dialog,
    gbo,
    measure,
    page,
    reqol,
    swemwbs,
    text_of,
)
from livingwell.testing import Cast

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def url(cast: Cast) -> str:
    return reverse("measures:overview", args=[cast.person.pk])


def own_page(cast: Cast) -> str:
    return text_of(page(client_for(cast.person_user), url(cast)))


def staff_page(cast: Cast, who: Any = None) -> str:
    return text_of(page(client_for(who or cast.team_worker), url(cast)))


def two_dialogs(cast: Cast) -> None:
    # Life areas 3 then 4.5 on average (up 1.5); support 11/3 then 14/3 (exactly 1: reliable).
    dialog(cast.person, [3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 3], when=START)
    dialog(
        cast.person,
        [5, 5, 5, 5, 4, 4, 4, 4, 5, 5, 4],
        when=START + 60 * DAY,
        how=CompletedHow.TOGETHER,
        by=cast.team_worker,
    )


# Results and change in plain words ---------------------------------------------------------------


def test_the_person_sees_dialog_results_and_change_in_plain_words(cast: Cast) -> None:
    two_dialogs(cast)
    html = own_page(cast)
    assert "How things are going" in html
    assert "How satisfied you are with your life and support (DIALOG)" in html
    assert "Quality of life: 4.5 out of 7 (4 is in the middle; the average of the 8 life areas)" in html
    assert "Up 1.5 points since 3 March 2026: a reliable improvement" in html
    assert "Satisfaction with support: 4.7 out of 7" in html
    assert "Up 1 point since 3 March 2026: a reliable improvement" in html  # 11/3 -> 14/3 is exactly 1
    assert "A change of 1 point or more on an area, or on either average, counts as reliable." in html
    assert "Done 2 times, first on 3 March 2026; latest on 2 May 2026." in html


def test_the_dialog_table_has_all_11_areas_with_first_latest_and_change(cast: Cast) -> None:
    dialog(cast.person, [3, None, 3, 3, 3, 3, 3, 3, 4, 4, None], when=START)
    dialog(cast.person, [5, 4, 3, 3, 3, 2, 3, 3, 4, 4, None], when=START + 30 * DAY)
    html = staff_page(cast)
    assert "All 11 areas: the first answer, the latest and the change" in html
    assert "Mental health 3 5 Reliable improvement Up 2 points" in html
    assert "Physical health 4 4 Answered once" in html  # skipped the first time
    assert "Job situation 3 3 No reliable change No change" in html
    assert "Friendships 3 2 Reliable deterioration Down 1 point" in html
    assert "Meetings with professionals Not answered Not answered" in html
    raw = page(client_for(cast.team_worker), url(cast))
    assert raw.count('<th scope="row" class="nhsuk-table__header">') >= 11


def test_goals_are_shown_in_their_own_words_with_change_per_goal(cast: Cast) -> None:
    gbo(cast.person, [("Get back to swimming", 2, None), ("See my sister", 4, None)], when=START)
    gbo(
        cast.person,
        [("See my sister", 8, None), ("Get back to swimming", 3, None), ("Cook for friends", 5, None)],
        when=START + 30 * DAY,
    )
    html = own_page(cast)
    assert "Your goals (Goal Based Outcomes)" in html
    assert "See my sister: 8 out of 10 Up 4 points since 3 March 2026: a reliable improvement" in html
    assert "Get back to swimming: 3 out of 10 Up 1 point since 3 March 2026: no reliable change" in html
    assert "Cook for friends: 5 out of 10 First rated this time, so there is nothing to compare yet" in html
    assert "A change of 3 points or more on a goal counts as reliable." in html


def test_swemwbs_and_reqol_show_their_scores_and_the_cutoff_in_kind_words(cast: Cast) -> None:
    swemwbs(cast.person, 3, when=START)  # raw 21: 19.25
    swemwbs(cast.person, [4, 4, 3, 3, 3, 3, 2], when=START + 40 * DAY)  # raw 22: 19.98
    reqol(cast.person, 20, when=START)
    reqol(cast.person, 30, when=START + 40 * DAY)
    html = own_page(cast)
    assert "Wellbeing score: 19.98 (from 7 to 35)" in html
    assert "Up 0.73 points since 3 March 2026: no reliable change" in html
    assert "Score: 30 out of 40 (25 or more: in the range where most people who are not asking for help score)" in html
    assert "Up 10 points since 3 March 2026: a reliable improvement" in html
    assert "threshold" not in html.lower()


def test_a_reqol_total_below_the_sites_cutoff_is_described_kindly(cast: Cast) -> None:
    reqol(cast.person, 20, when=START)
    assert "Score: 20 out of 40 (Below 25: in the range where people often ask for help)" in own_page(cast)
    MeasureSettings.objects.create(site=cast.site, reqol10_cutoff=18)
    assert "Score: 20 out of 40 (18 or more: in the range where most people" in own_page(cast)


def test_the_sites_figures_for_reliable_change_are_used(cast: Cast) -> None:
    two_dialogs(cast)
    assert "Up 1.5 points since 3 March 2026: a reliable improvement" in staff_page(cast)
    MeasureSettings.objects.create(site=cast.site, dialog_reliable_change=Decimal("1.5"))
    html = staff_page(cast)
    assert "Up 1.5 points since 3 March 2026: a reliable improvement" in html
    assert "Up 1 point since 3 March 2026: no reliable change" in html
    assert "A change of 1.5 points or more on an area" in html
    MeasureSettings.objects.filter(site=cast.site).update(dialog_reliable_change=Decimal("1.51"))
    html = staff_page(cast)
    assert "Up 1.5 points since 3 March 2026: no reliable change" in html


def test_a_difference_is_never_shown_so_that_it_seems_to_disagree_with_the_judgement(cast: Cast) -> None:
    # Life areas 23/8 (2.875) then 27/7 (3.857, one skipped): up 55/56, just short of 1. Rounded it would read
    # "Up 1 point: no reliable change"; it is cut to "0.9" instead.
    dialog(cast.person, [3, 3, 3, 3, 3, 3, 3, 2, 4, 4, 4], when=START)
    dialog(cast.person, [4, 4, 4, 4, 4, 4, 3, None, 4, 4, 4], when=START + 9 * DAY)
    html = staff_page(cast)
    assert "Quality of life: 3.9 out of 7" in html
    assert "Up 0.9 points since 3 March 2026: no reliable change" in html
    # With the site's figure at 0.95 the same change is reliable, and shown to two places so that it says so.
    MeasureSettings.objects.create(site=cast.site, dialog_reliable_change=Decimal("0.95"))
    assert "Up 0.98 points since 3 March 2026: a reliable improvement" in staff_page(cast)


def test_with_one_measure_there_is_nothing_to_compare_yet(cast: Cast) -> None:
    dialog(cast.person, [4] * 11, when=START)
    html = own_page(cast)
    assert "This is the first time, so there is nothing to compare yet." in html
    assert "Done once, on 3 March 2026." in html
    assert "since" not in html.split("This is the first time")[0].split("Your latest results")[-1]


def test_staff_see_the_same_results_worded_about_the_person(cast: Cast) -> None:
    two_dialogs(cast)
    html = staff_page(cast, cast.allocated_worker)
    assert "Alex Morgan can see these results, in the same words, when they sign in." in html
    assert "DIALOG" in html and "Latest results, 2 May 2026" in html
    assert "Up 1.5 points since 3 March 2026: a reliable improvement" in html


# Charts ------------------------------------------------------------------------------------------


def test_each_instrument_has_a_chart_described_in_words_with_a_table_after_it(cast: Cast) -> None:
    two_dialogs(cast)
    reqol(cast.person, 20, when=START)
    raw = page(client_for(cast.person_user), url(cast))
    svgs = re.findall(r'<svg [^>]*class="lw-chart".*?</svg>', raw, flags=re.S)
    assert len(svgs) == 2
    dialog_svg = next(s for s in svgs if "chart-dialog" in s)
    assert 'role="img"' in dialog_svg
    assert '<title id="chart-dialog-title">Your DIALOG results over time</title>' in dialog_svg
    desc = re.search(r'<desc id="chart-dialog-desc">(.*?)</desc>', dialog_svg)
    assert desc is not None
    assert desc.group(1) == (
        "2 results, from 3 March 2026 to 2 May 2026. "
        "Quality of life: 3 on 3 March 2026, 4.5 on 2 May 2026. Up 1.5 points: a reliable improvement. "
        "Satisfaction with support: 3.7 on 3 March 2026, 4.7 on 2 May 2026. Up 1 point: a reliable improvement."
    )
    assert "In the middle" in dialog_svg and "Dotted line: 4, in the middle" in dialog_svg
    reqol_svg = next(s for s in svgs if "chart-reqol10" in s)
    assert "Cut-off" in reqol_svg and "Dotted line at 25" in reqol_svg
    # The table alternative comes right after each chart.
    after = raw.split(dialog_svg)[1]
    table = after[: after.index("</table>")]
    assert "The results in a table" in table
    assert text_of(table).count("3 March 2026") == 1
    assert "2 May 2026 4.5 4.7" in text_of(table)


# Drafts, starting and the history -----------------------------------------------------------------


def test_a_draft_can_be_carried_on_from_the_next_question(cast: Cast) -> None:
    draft = measure(
        cast.person,
        "dialog",
        {"mental_health": 4, "physical_health": None},
        when=START + 2 * DAY,
        status=MeasureStatus.DRAFT,
    )
    html = own_page(cast)
    assert "You started DIALOG on 5 March 2026 and have not finished it. Carry on with DIALOG" in html
    raw = page(client_for(cast.person_user), url(cast))
    assert reverse("measures:question", args=[cast.person.pk, draft.pk, 3]) in raw
    # No second DIALOG can be started while one is a draft; the others can.
    start = reverse("measures:start", args=[cast.person.pk])
    assert f"{start}?instrument=dialog" not in raw
    assert f"{start}?instrument=gbo" in raw and f"{start}?instrument=reqol10" in raw
    staff = staff_page(cast)
    assert "DIALOG was started on 5 March 2026 and has not been finished." in staff


def test_a_goals_draft_without_goals_carries_on_at_the_goals_and_a_full_one_at_the_check(cast: Cast) -> None:
    goals = measure(cast.person, "gbo", {}, when=START, status=MeasureStatus.DRAFT)
    full = measure(cast.person, "reqol10", dict.fromkeys(
        ["everyday_tasks", "trusting_others", "coping", "doing_wanted_things", "happy", "life_worth_living",
         "enjoyment", "hopeful", "lonely", "confident"], 2), when=START, status=MeasureStatus.DRAFT)  # fmt: skip
    raw = page(client_for(cast.person_user), url(cast))
    assert reverse("measures:goals", args=[cast.person.pk, goals.pk]) in raw
    assert reverse("measures:check", args=[cast.person.pk, full.pk]) in raw


def test_nothing_finished_yet_says_so_and_offers_each_measure(cast: Cast) -> None:
    html = own_page(cast)
    assert "You have not finished any measures yet." in html
    assert "Fill in a measure" in html
    for name in ("DIALOG", "Goal Based Outcomes", "SWEMWBS", "ReQoL-10"):
        assert name in html
    assert "Alex Morgan has not finished any measures yet." in staff_page(cast)


def test_the_history_lists_every_finished_measure_newest_first_with_who_it_was_done_with(cast: Cast) -> None:
    two_dialogs(cast)
    swemwbs(cast.person, 3, when=START + 10 * DAY, occasion=Occasion.FIRST_CONVERSATION)
    html = own_page(cast)
    history = html[html.index("Everything you have filled in") :]
    assert history.index("2 May 2026") < history.index("13 March 2026") < history.index("3 March 2026")
    assert "DIALOG At a review of the plan Together with Team Worker" in history
    assert "SWEMWBS At the first conversation On your own" in history
    raw = page(client_for(cast.person_user), url(cast))
    for m in cast.person.measures.all():
        assert reverse("measures:detail", args=[cast.person.pk, m.pk]) in raw
    assert "On their own" in staff_page(cast)


def test_the_experience_questions_are_shown_as_the_persons_own_answers_not_an_outcome(cast: Cast) -> None:
    measure(
        cast.person,
        "experience",
        {"planned_own_support": 3, "listened_to": 2, "easy_to_get_help": 5, "told_story_once": None},
        when=START + 90 * DAY,
        occasion=Occasion.MOVING_ON,
    )
    html = own_page(cast)
    assert "Your experience of Living Well" in html
    assert "What you told us at moving on, on 1 June 2026." in html
    assert "Did you plan your own support? Yes, definitely" in html
    assert "Were you listened to? Yes, to some extent" in html
    assert "How easy was it to get help? Very easy" in html
    assert "Did you only have to tell your story once? Not answered" in html
    assert "You have not finished any measures yet." in html  # it is not an outcome: no card, no chart
    assert "lw-chart" not in page(client_for(cast.person_user), url(cast))
    assert "Their experience of Living Well" in staff_page(cast)


# Queries ----------------------------------------------------------------------------------------------


def _history(cast: Cast, count: int) -> None:
    for i in range(count):
        when = START + i * 14 * DAY
        kind = i % 4
        if kind == 0:
            dialog(
                cast.person,
                [1 + (i + j) % 7 for j in range(11)],
                when=when,
                how=CompletedHow.TOGETHER,
                by=cast.team_worker,
            )
        elif kind == 1:
            gbo(cast.person, [("Swim", i % 11, None), ("See my sister", (i * 3) % 11, None)], when=when)
        elif kind == 2:
            swemwbs(cast.person, 1 + i % 5, when=when)
        else:
            reqol(cast.person, i % 41, when=when, by=cast.allocated_worker)
    measure(cast.person, "experience", {"listened_to": 3}, when=START + 500 * DAY, occasion=Occasion.MOVING_ON)


def _queries(cast: Cast) -> int:
    client = client_for(cast.team_worker)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(cast)).status_code == 200
    return len(queries)


def test_the_overview_reads_a_fixed_number_of_rows_whatever_the_history(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    measure(cast.person, "dialog", {"mental_health": 4}, when=START, status=MeasureStatus.DRAFT)
    _history(cast, 4)
    few = _queries(cast)
    _history(cast, 26)  # 30 finished outcome measures, and more
    assert cast.person.measures.filter(status=MeasureStatus.COMPLETE).count() >= 32
    assert _queries(cast) == few
    client = client_for(cast.team_worker)
    with django_assert_max_num_queries(12):
        html = text_of(client.get(url(cast)).content.decode())
    assert "Done 8 times" in html


# Who may see it ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "basis"),
    [
        ("person_user", Basis.SELF),
        ("team_worker", Basis.TEAM),
        ("team_leader", Basis.TEAM),
        ("allocated_worker", Basis.ALLOCATED),
    ],
)
def test_the_person_their_team_and_their_worker_may_see_it_and_the_look_is_audited(
    cast: Cast, who: str, basis: Basis
) -> None:
    two_dialogs(cast)
    user = getattr(cast, who)
    response = client_for(user).get(url(cast))
    assert response.status_code == 200
    event = AuditEvent.objects.filter(actor=user, action=Action.VIEW).latest("id")
    assert (event.person_id, event.parts, event.basis, event.outcome) == (
        cast.person.pk,
        ["measures"],
        basis,
        Outcome.ALLOWED,
    )


@pytest.mark.parametrize(
    "who",
    [
        "consent_worker",
        "other_team_worker",
        "coordinator",
        "stranger",
        "analyst",
        "site_admin",
        "privacy_officer",
        "psychiatrist",
    ],
)
def test_anyone_else_is_refused_and_the_refusal_is_audited(cast: Cast, who: str) -> None:
    two_dialogs(cast)
    user = getattr(cast, who)
    from livingwell.network.tests.conftest import sign_in_verified

    response = sign_in_verified(user).get(url(cast))
    assert response.status_code == 403
    assert "Quality of life" not in response.content.decode()
    event = AuditEvent.objects.filter(actor=user).latest("id")
    assert (event.person_id, event.parts, event.outcome) == (cast.person.pk, ["measures"], Outcome.REFUSED)


def test_an_unknown_person_is_not_found_and_signing_in_is_needed(cast: Cast) -> None:
    import uuid

    response = client_for(cast.team_worker).get(reverse("measures:overview", args=[uuid.uuid4()]))
    assert response.status_code == 404
    from django.test import Client

    response = Client().get(url(cast))
    assert response.status_code == 302
    assert client_for(cast.team_worker).post(url(cast)).status_code == 405
