"""The rolling rota of open events: the day rule and the turn of hosts against hand-made cases, the
service that plans the missing months, and the rota page."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from livingwell.audit.models import AuditEvent, Outcome
from livingwell.audit.services import AccessRefused
from livingwell.collaborative import sessions as services
from livingwell.collaborative.models import Session, SessionStatus
from livingwell.collaborative.rota import day_rule_text, month_starts, next_hosts, nth_weekday
from livingwell.collaborative.tests.conftest import Collab
from livingwell.collaborative.tests.test_sessions_support import client_for, make_session
from livingwell.core.errors import DomainError
from livingwell.network.tests.conftest import sign_in_verified

LONDON = ZoneInfo("Europe/London")
D = dt.date


# ---- the day rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "weekday", "n", "expected"),
    [
        (2026, 3, 1, 2, D(2026, 3, 10)),  # March 2026 starts on a Sunday: Tuesdays 3, 10, 17, 24, 31
        (2026, 3, 1, 1, D(2026, 3, 3)),
        (2026, 3, 1, -1, D(2026, 3, 31)),  # the last Tuesday is the 5th one
        (2026, 3, 6, 1, D(2026, 3, 1)),  # the first Sunday is the 1st itself
        (2027, 2, 0, 4, D(2027, 2, 22)),  # February 2027 starts on a Monday: 1, 8, 15, 22
        (2027, 2, 6, -1, D(2027, 2, 28)),
        (2026, 12, 1, 2, D(2026, 12, 8)),  # December 2026 starts on a Tuesday: 1, 8
    ],
)
def test_nth_weekday(year: int, month: int, weekday: int, n: int, expected: dt.date) -> None:
    assert nth_weekday(year, month, weekday, n) == expected


def test_nth_weekday_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="weekday"):
        nth_weekday(2026, 3, 7, 1)
    with pytest.raises(ValueError, match="n must be"):
        nth_weekday(2026, 3, 1, 5)


def test_day_rule_text_and_month_starts() -> None:
    assert day_rule_text(1, 2) == "the second Tuesday of the month"
    assert day_rule_text(4, -1) == "the last Friday of the month"
    assert month_starts(D(2026, 11, 23), 3) == [D(2026, 11, 1), D(2026, 12, 1), D(2027, 1, 1)]


# ---- whose turn it is --------------------------------------------------------------------------------

ORGS = [("a", "Alpha"), ("b", "Beta"), ("c", "Gamma")]


def test_no_history_goes_by_name_and_round_again() -> None:
    # Nobody hosted: Alpha, Beta, Gamma by name; then Alpha hosted longest ago.
    assert next_hosts([], ORGS, 4) == ["a", "b", "c", "a"]


def test_never_hosted_first_then_longest_ago() -> None:
    history = [(D(2026, 1, 13), "a"), (D(2026, 2, 10), "b"), (D(2026, 3, 10), "c")]
    orgs = [*ORGS, ("d", "Delta")]
    # Delta never hosted, so first; then Alpha (January) is longest ago; then Beta (February).
    assert next_hosts(history, orgs, 3) == ["d", "a", "b"]


def test_never_the_same_organisation_two_months_running() -> None:
    # Alpha hosted last: Beta next, then Alpha (longest ago), then Beta.
    assert next_hosts([(D(2026, 1, 13), "a")], ORGS[:2], 3) == ["b", "a", "b"]


def test_one_organisation_leaves_every_other_month_without_a_host() -> None:
    # Only Alpha may host and it hosted last month: no host, then Alpha, then no host.
    assert next_hosts([(D(2026, 1, 13), "a")], ORGS[:1], 3) == [None, "a", None]
    assert next_hosts([], [], 2) == [None, None]


def test_ties_among_never_hosted_go_by_name() -> None:
    orgs = [("b", "Beta"), ("c", "Alpha centre")]
    assert next_hosts([], orgs, 2) == ["c", "b"]


def test_history_in_any_order_and_months_without_host() -> None:
    # Sorted: January Beta, February no host, March Alpha (the last host). Gamma never hosted: first;
    # then Beta (January) before Alpha (March).
    history = [(D(2026, 3, 10), "a"), (D(2026, 1, 13), "b"), (D(2026, 2, 10), None)]
    assert next_hosts(history, ORGS, 3) == ["c", "b", "a"]


def test_a_past_host_that_may_no_longer_host_still_counts_as_last() -> None:
    # X (closed) hosted last: Beta never hosted goes first, then Alpha.
    history = [(D(2026, 1, 13), "a"), (D(2026, 2, 10), "x")]
    assert next_hosts(history, ORGS[:2], 2) == ["b", "a"]


# ---- planning the missing months --------------------------------------------------------------------

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=LONDON)


def _open_event(collab: Collab, day: dt.date, host: object, status: str = SessionStatus.HELD) -> Session:
    return make_session(
        collab.whole,
        title="Open event",
        starts_at=dt.datetime(day.year, day.month, day.day, 8, 0, tzinfo=LONDON),
        hours=1.5,
        is_open_event=True,
        host_organisation=host,
        status=status,
    )


def _plan(months: int = 3) -> services.RotaPlan:
    return services.RotaPlan(
        months=months,
        weekday=1,
        nth=2,
        starts=dt.time(8, 0),
        ends=dt.time(9, 30),
        place="Brixton Library, Brixton Oval",
        postcode="sw2 1jq",
        how_to_get_there="Step-free entrance on Brixton Oval.",
    )


@time_machine.travel(NOW, tick=False)
def test_rota_plan_fills_missing_months_with_hosts_in_turn(collab: Collab) -> None:
    cast = collab.cast
    _open_event(collab, D(2026, 10, 13), cast.charity)  # Certitude hosted in October
    _open_event(collab, D(2026, 11, 10), cast.council)  # Lambeth Council in November
    _open_event(collab, D(2027, 1, 12), cast.trust, SessionStatus.PLANNED)  # January is planned already
    _open_event(collab, D(2026, 12, 8), cast.trust, SessionStatus.CANCELLED)  # a cancelled one does not count
    created = services.rota_plan(actor=collab.chair.user, site=collab.site, plan=_plan(3))
    # The second Tuesday of November (10th) is past, so December, January and February.
    # December: never hosted before it are Homes for Lambeth and South London Trust (its turn is in
    # January): Homes for Lambeth by name. January is kept. February: Certitude hosted longest ago.
    assert [(s.starts_at.astimezone(LONDON).date(), s.host_organisation) for s in created] == [
        (D(2026, 12, 8), cast.housing),
        (D(2027, 2, 9), cast.charity),
    ]
    first = created[0]
    assert first.starts_at == dt.datetime(2026, 12, 8, 8, 0, tzinfo=LONDON)
    assert first.ends_at == dt.datetime(2026, 12, 8, 9, 30, tzinfo=LONDON)
    assert first.is_open_event and first.group == collab.whole and first.postcode == "SW2 1JQ"
    event = AuditEvent.objects.get(detail__service="rota_plan")
    assert event.detail["area"] == "collaborative"
    assert event.detail["created"] == [str(s.pk) for s in created]
    assert event.detail["rule"] == "the second Tuesday of the month"
    # Planning again adds nothing: every month has its event.
    assert services.rota_plan(actor=collab.chair.user, site=collab.site, plan=_plan(3)) == []


@time_machine.travel(NOW, tick=False)
def test_rota_plan_does_not_give_a_host_two_events_running(collab: Collab) -> None:
    cast = collab.cast
    _open_event(collab, D(2026, 11, 10), cast.charity)
    _open_event(collab, D(2027, 1, 12), cast.housing, SessionStatus.PLANNED)
    created = services.rota_plan(actor=collab.chair.user, site=collab.site, plan=_plan(2))
    # December: never hosted by name would be Homes for Lambeth, but it hosts in January, so the next
    # in turn: Lambeth Council.
    assert [s.host_organisation for s in created] == [cast.council]


@time_machine.travel(NOW, tick=False)
def test_rota_plan_is_for_stewards_and_checks_the_plan(collab: Collab) -> None:
    with pytest.raises(AccessRefused):
        services.rota_plan(actor=collab.design_lead.user, site=collab.site, plan=_plan())
    refusal = AuditEvent.objects.get(outcome=Outcome.REFUSED)
    assert refusal.detail == {"area": "collaborative", "what": "rota"}
    with pytest.raises(DomainError) as error:
        services.rota_plan(actor=collab.chair.user, site=collab.site, plan=_plan(13))
    assert error.value.field == "months"
    assert not Session.objects.exists()
    created = services.rota_plan(actor=collab.admin, site=collab.site, plan=_plan(1))  # a site administrator
    assert len(created) == 1


# ---- the rota page -----------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_rota_page_shows_the_year_and_the_turns(collab: Collab) -> None:
    cast = collab.cast
    _open_event(collab, D(2025, 10, 14), cast.trust)  # more than 12 months ago: not shown, not counted
    _open_event(collab, D(2026, 3, 10), cast.charity)
    _open_event(collab, D(2026, 10, 13), cast.charity)
    _open_event(collab, D(2027, 2, 9), cast.council, SessionStatus.PLANNED)
    response = client_for(collab.lived.user).get(reverse("collaborative:rota"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Rota of open events</h1>" in html
    assert "October 2026" in html and "February 2027" in html and "March 2026" in html
    assert "October 2025" not in html
    # Certitude hosted twice in the last 12 months (March and October 2026), last on 13 October 2026.
    rows = re.findall(r"<tr class=\"nhsuk-table__row\">(.*?)</tr>", html[html.index("Whose turn it is") :], re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    assert [c[0] for c in cells] == ["Homes for Lambeth", "Lambeth Council", "South London Trust", "Certitude"]
    # Not hosted in the window first, by name (South London Trust's turn in October 2025 is outside it),
    # then longest ago. Certitude hosted twice in the last
    # 12 months (March and October 2026), last on 13 October 2026; Lambeth Council hosts next in February.
    assert cells[3][1:3] == ["2", "13 October 2026"]
    assert cells[1][1:] == ["0", "Not in the last 12 months", "9 February 2027"]
    assert "The last 12 months start on 1 November 2025." in html
    assert "Plan open events" not in html  # members read; only stewards plan


@time_machine.travel(NOW, tick=False)
def test_rota_page_plans_for_stewards_and_refuses_others(collab: Collab) -> None:
    url = reverse("collaborative:rota")
    form = {
        "months": "2",
        "nth": "2",
        "weekday": "1",
        "starts": "8am",
        "ends": "9:30am",
        "title": "Collaborative open event",
        "place": "Brixton Library",
        "postcode": "",
        "how_to_get_there": "",
    }
    member = client_for(collab.lived.user)
    assert member.post(url, form).status_code == 403
    assert client_for(collab.outsider).get(url).status_code == 403
    assert AuditEvent.objects.filter(outcome=Outcome.REFUSED, detail__what="rota").count() == 2
    chair = client_for(collab.chair.user)
    page = chair.get(url).content.decode()
    assert "Plan open events" in page
    bad = chair.post(url, {**form, "ends": "7am"})
    assert "The end time must be after the start time" in bad.content.decode()
    assert bad.content.decode().count("Error:") >= 1
    response = chair.post(url, form)
    assert response.status_code == 302
    assert Session.objects.filter(is_open_event=True).count() == 2  # December and January
    followed = chair.get(url).content.decode()
    assert "2 open events planned" in followed
    assert "8 December 2026" in followed and "12 January 2027" in followed
    admin = sign_in_verified(collab.admin)
    assert admin.get(url).status_code == 200
