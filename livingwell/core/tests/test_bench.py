"""`manage.py bench` measures every page and selector it names, and writes the report."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from livingwell.access.selectors import QueueFilters, front_door_queue
from livingwell.accounts.models import User
from livingwell.core.synthetic import build_site, demo_sign_in
from livingwell.network.models import Role
from livingwell.outcomes.models import Measure, MeasureStatus

pytestmark = pytest.mark.django_db


def test_the_benchmark_runs_every_page_and_writes_a_report(tmp_path: Path):
    build_site(people=120, seed=1)  # the pages compare with the real clock, so build up to today
    report = tmp_path / "benchmarks.md"
    out = io.StringIO()
    call_command("bench", requests=2, warm_up=0, output=str(report), build_seconds=1.5, stdout=out)
    text = report.read_text()
    assert "<!-- bench:120 build=1.5 -->" in text
    assert "| Worker home (people I support) | Recovery worker |" in text
    assert "SCALE=500000 make bench" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "ms" not in line and "---" not in line]
    assert len(rows) >= 18
    assert not [row for row in rows if "skipped" in row], rows
    # The front door: the queue page, filtered, and its selector; the public figures and theirs.
    for name, who in (
        ("Hub queue", "Hub coordinator"),
        ("Hub queue filtered (area Stockwell & Clapham, state contacting)", "Hub coordinator"),
        ("`front_door_queue() selector`", "Hub coordinator"),
        ("`front_door_queue() selector, filtered`", "Hub coordinator"),
        ("An introduction (coordinator)", "Hub coordinator"),
        ("Introductions I made (GP)", "Introducer (GP or partner staff)"),
        ("How long are people waiting? (public)", "not signed in"),
        ("`waiting_figures() selector`", "not signed in"),
    ):
        assert f"| {name} | {who} |" in text, name
    assert "Selectors in `code` were called directly" in text
    # How things are going: one person's measures, and the whole site's measures scored and compared.
    assert "| Measures and change (worker) | Recovery worker |" in text
    assert "| Your measures (the person) | Person using the network |" in text
    work = re.search(
        r"\| Score every finished measure \| ([\d,]+) measures \| [\d.,]+ \| [\d,]+ \| [\d.,]+ \| (\d+) \|", text
    )
    assert (
        work is not None
        and int(work.group(1).replace(",", "")) == Measure.objects.filter(status=MeasureStatus.COMPLETE).count() > 0
    )
    assert int(work.group(2)) <= 2 + Measure.objects.count() // 2000  # streamed in chunks: no query per measure
    assert "| Change for everyone: reliable improvement share per instrument |" in text
    assert re.search(r"DIALOG quality of life \([\d,]+ compared\): \d+% reliable improvement", text)
    assert "`waiting_figures(site=site)`" in text
    assert "Not benchmarked" not in text  # every front-door page is built
    # The Collaborative, topped up to a big network's several years, as members and the public use it.
    for name, who in (
        ("Collaborative home (member)", "Collaborative member with lived experience"),
        ("Decisions log (public)", "not signed in"),
        ("Busiest session: attendance and its mix (chair)", "Chair of the Collaborative"),
        ("Story bank (member)", "Collaborative member with lived experience"),
        ("Ideas fund results: approval counts (member)", "Collaborative member with lived experience"),
    ):
        assert f"| {name} | {who} |" in text, name


def _queries(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def test_the_queue_costs_the_same_queries_however_long_it_is():
    """No query per row: the count the bench reports does not grow with the queue."""
    build_site(people=400, seed=3)  # up to today: one urgent introduction arrived in the last day and a half
    coordinator = User.objects.get(email=demo_sign_in(Role.HUB_COORDINATOR).email)
    urgent = QueueFilters(urgent_only=True)
    everyone, _ = front_door_queue(user=coordinator)
    few, _ = front_door_queue(user=coordinator, filters=urgent)
    assert len(everyone.object_list) > 5 * len(few.object_list) > 0
    assert _queries(lambda: front_door_queue(user=coordinator)) == _queries(
        lambda: front_door_queue(user=coordinator, filters=urgent)
    )

    client = Client()
    client.force_login(coordinator)
    url = reverse("front_door:queue")
    assert client.get(url).status_code == client.get(f"{url}?urgent=on").status_code == 200
    assert _queries(lambda: client.get(url)) == _queries(lambda: client.get(f"{url}?urgent=on"))
