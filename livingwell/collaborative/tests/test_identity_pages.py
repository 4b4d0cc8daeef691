"""A member who is also supported by the network is only "Sunny" in the Collaborative (ADR 10).

(The crawl also holds every members' page it reaches to our words, as tests/test_language.py does for
the pages its cast can reach.)

`collab.lived` signs in with the same account as Alex Morgan, who is supported by team A (with an NHS
number, a postcode, a story and an allocated worker). Sunny takes part in everything here: a group, a
session, a decision, a story, a reflection and a pitch. Crawling every Collaborative page that Sunny,
another member and a steward can reach, and the public pages, must never show anything from Alex's
record, nor that Sunny is supported at all.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import urldefrag, urlparse

import pytest
from django.test import Client
from django.utils import timezone

from livingwell.collaborative.models import (
    Attendance,
    ConsentLevel,
    Decision,
    DecisionMethod,
    DecisionParticipant,
    FundRound,
    Pitch,
    PitchStatus,
    Principle,
    PrincipleRating,
    PrincipleView,
    ReflectionRound,
    Session,
    Stance,
    Story,
    StoryStatus,
)
from livingwell.collaborative.tests.conftest import Collab
from livingwell.network.tests.conftest import sign_in_verified
from tests.test_language import excluded_words, readable_text

pytestmark = pytest.mark.django_db

# What Alex's record holds, in the forms a page might show it.
SECRETS = (
    "Alex",  # (the commissioner is known here as "Morgan C", so the family name alone is not a leak)
    "Alex Morgan",
    "alex@example.test",
    "9434765919",
    "943 476 5919",
    "SW9 8AB",
    "Feeling low since losing my job",
    "Allocated Peer",  # Alex's worker
    "North Living Well team",  # Alex's team
)
MAX_PAGES = 150


def _life(collab: Collab) -> None:
    today = timezone.localdate()
    start = timezone.now() - dt.timedelta(days=7)
    session = Session.objects.create(
        group=collab.design, title="Design Team meeting", starts_at=start, ends_at=start + dt.timedelta(hours=2),
        place="Brixton Library", status="held", notes="We talked about the front door.",
    )  # fmt: skip
    Attendance.objects.create(session=session, member=collab.lived, attended=True, reply="coming")
    decision = Decision.objects.create(
        group=collab.design, title="Offer first conversations in cafés", proposal="People choose where they meet.",
        method=DecisionMethod.CONSENT, proposed_by=collab.lived,
    )  # fmt: skip
    DecisionParticipant.objects.create(decision=decision, member=collab.lived, role="proposer", stance=Stance.CONSENT)
    Story.objects.create(
        site=collab.site, group=collab.design, title="A cup of tea", body="Someone made me a cup of tea and listened.",
        gathered_by=collab.lived, gathered_on=today, consent_level=ConsentLevel.COLLABORATIVE,
        consent_note="Said yes", status=StoryStatus.SHARED,
    )  # fmt: skip
    reflection = ReflectionRound.objects.create(
        site=collab.site,
        title="This year",
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=3),
    )
    PrincipleRating.objects.create(
        round=reflection,
        member=collab.lived,
        principle=Principle.ASSETS,
        view=PrincipleView.GREAT,
        why="People blossom.",
    )
    fund = FundRound.objects.create(
        site=collab.site, name="Ideas fund", about="Small grants.", budget=Decimal(5000),
        pitches_close_on=today + dt.timedelta(days=10), voting_closes_on=today + dt.timedelta(days=30),
    )  # fmt: skip
    Pitch.objects.create(
        round=fund, title="Hearing voices group", summary="A weekly group.", who_benefits="People who hear voices.",
        how_money_is_spent="Room hire.", amount=Decimal(900), peer_led=True, pitched_by=collab.lived,
        status=PitchStatus.SUBMITTED, submitted_at=timezone.now(),
    )  # fmt: skip


def _crawl(client: Client, starts: list[str]) -> dict[str, str]:
    """Every page under /collaborative/ reachable from `starts` by GET links, up to MAX_PAGES."""
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            seen[path] = ""
            continue
        html = response.content.decode()
        seen[path] = html
        for href in re.findall(r'href="([^"]+)"', html):
            link = urldefrag(href.replace("&amp;", "&"))[0]
            parsed = urlparse(link)
            if parsed.netloc or not parsed.path.startswith("/collaborative/") or parsed.path.endswith(".csv"):
                continue
            if link not in seen and link not in queue:
                queue.append(link)
    return seen


def _leaks(pages: dict[str, str]) -> list[str]:
    found = []
    for path, html in pages.items():
        main = html.split("<main", 1)[-1]  # the header shows the signed-in user's own account name
        for secret in SECRETS:
            if re.search(rf"\b{re.escape(secret)}\b", main):
                found.append(f"{path}: {secret}")
    return found


def test_nothing_from_the_support_record_appears_anywhere_in_the_collaborative(collab: Collab) -> None:
    _life(collab)
    starts = ["/collaborative/", "/collaborative/workspace/"]
    for user in (collab.lived.user, collab.carer.user, collab.chair.user):
        client = Client()
        client.force_login(user)
        pages = _crawl(client, starts)
        assert sum(1 for html in pages.values() if html) >= 15, sorted(pages)
        assert not _leaks(pages)
        assert any("Sunny" in html for html in pages.values())
        # The members' pages are beyond the language test's crawl (its cast are not members): check here.
        assert not {
            path: excluded_words(readable_text(html))
            for path, html in pages.items()
            if html and excluded_words(readable_text(html))
        }
    admin_pages = _crawl(sign_in_verified(collab.admin), starts)
    assert not _leaks(admin_pages)
    public_pages = _crawl(Client(), ["/collaborative/"])
    assert not _leaks(public_pages)
