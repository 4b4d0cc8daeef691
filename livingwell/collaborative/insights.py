"""The figures a prototype can say it will move (`Insight`): what each one means in plain English, where
the platform already shows it, and its value now where the platform already works it out.

Live values are aggregates only, for the whole site, and never read anyone's record:

- the wait from introduction to first conversation is the public waiting figures
  (`livingwell.access.selectors.waiting_figures`, the median over the last 90 days), the same number
  anyone sees on /waiting/;
- needs no community offer met, and connections to community offers that went well, are counts over
  the last 90 days from the community models. This is the one place the Collaborative reads those
  models, and only to count rows: no names, no people, no words. A count from 1 to 4 is shown as
  "fewer than 5", as the picture of the network does, so that a small number cannot point at anyone.

The other insights are not worked out here yet: a team records them as figures on the prototype.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from livingwell.access.selectors import waiting_figures
from livingwell.collaborative.models import Insight
from livingwell.community.models import ConnectionStage, ConnectionStep, Gap
from livingwell.community.picture import shown
from livingwell.network.models import Site

WINDOW_DAYS = 90
NOT_MEASURED = "Not measured here yet: record it as a figure on the prototype."


@dataclass(frozen=True)
class About:
    """What an insight means and where to see it now."""

    insight: Insight
    description: str
    where_text: str = ""  # the link to the page that shows it now
    where_url_name: str = ""  # its URL name, when there is such a page

    @property
    def label(self) -> str:
        return str(self.insight.label)

    @property
    def where_href(self) -> str:
        return reverse(self.where_url_name) if self.where_url_name else ""


@dataclass(frozen=True)
class LiveValue:
    """An insight's value now: `text` to show ("12 days"), and what it is worked out from."""

    text: str
    detail: str
    number: float | None = None  # the exact value, when it may be shown (tests and figures)


ABOUT: dict[Insight, About] = {
    Insight.WAIT_TO_FIRST_CONVERSATION: About(
        Insight.WAIT_TO_FIRST_CONVERSATION,
        "How many days people wait from being introduced to the network to their first conversation "
        "with someone from it. Half of the people waited less than the middle (median) wait, half waited more.",
        "See how long people wait, on the public page",
        "waiting:page",
    ),
    Insight.INTRODUCTIONS: About(
        Insight.INTRODUCTIONS,
        "How many people are introduced to the network each month, by themselves or by someone else.",
    ),
    Insight.SELF_INTRODUCTIONS: About(
        Insight.SELF_INTRODUCTIONS,
        "Of the people introduced, how many introduced themselves rather than being introduced by a GP or a service.",
    ),
    Insight.CHOSEN_WORKER: About(
        Insight.CHOSEN_WORKER,
        "Of the people who asked for a kind of worker (for example someone with lived experience), "
        "how many were supported by the kind of worker they chose.",
    ),
    Insight.PLANS_IN_OWN_WORDS: About(
        Insight.PLANS_IN_OWN_WORDS,
        "How many Living Well plans the person themselves has agreed, in their own words.",
    ),
    Insight.DIALOG_IMPROVEMENT: About(
        Insight.DIALOG_IMPROVEMENT,
        "How many people said their life got reliably better on DIALOG, a short set of questions about "
        "how satisfied someone is with parts of their life, asked again over time.",
    ),
    Insight.COMMUNITY_CONNECTIONS: About(
        Insight.COMMUNITY_CONNECTIONS,
        "How many connections to community offers, such as a walking group or a café, went well: the "
        "person went, or is still going.",
        "See it on the picture of the network",
        "community:picture",
    ),
    Insight.GAPS: About(
        Insight.GAPS,
        "How many times someone needed something that no community offer met. Gaps show what the "
        "Collaborative could design or fund next.",
        "See it on the picture of the network",
        "community:picture",
    ),
    Insight.COMING_BACK: About(
        Insight.COMING_BACK,
        "How many people who came back to the network were picked up where they left off, without "
        "telling their story again.",
    ),
    Insight.EXPERIENCE: About(
        Insight.EXPERIENCE,
        "How many people said they felt listened to.",
    ),
}


def about(insight: Insight | str) -> About:
    return ABOUT[Insight(insight)]


def chosen(values: Iterable[str]) -> list[Insight]:
    """The known insights among `values`, in the order of `Insight` (unknown values are left out)."""
    wanted = set(values)
    return [i for i in Insight if i.value in wanted]


def _count_text(count: int) -> str:
    return shown(count).text


def _wait(site: Site, now: dt.datetime) -> LiveValue:
    figures = waiting_figures(site=site, days=WINDOW_DAYS, now=now)
    if figures.median_days is None:
        return LiveValue(
            text="No first conversations yet",
            detail=f"Nobody had a first conversation in the last {WINDOW_DAYS} days.",
        )
    median = figures.median_days
    days = f"{median:g} day" + ("" if median == 1 else "s")
    if figures.met == 1:
        detail = f"The wait of the only first conversation in the last {WINDOW_DAYS} days."
    else:
        detail = f"The middle wait of the {figures.met} first conversations in the last {WINDOW_DAYS} days."
    return LiveValue(
        text=f"{days} (median)",
        detail=detail,
        number=median,
    )


def _gaps(site: Site, since: dt.datetime, now: dt.datetime) -> LiveValue:
    count = Gap.objects.filter(site=site, created_at__gte=since, created_at__lte=now).count()
    return LiveValue(
        text=_count_text(count),
        detail=f"Needs no community offer met, recorded in the last {WINDOW_DAYS} days.",
        number=float(count) if count == 0 or count >= 5 else None,
    )


def _connections(site: Site, since: dt.datetime, now: dt.datetime) -> LiveValue:
    count = (
        ConnectionStep.objects.filter(
            connection__service__site=site,
            stage__in=(ConnectionStage.WENT, ConnectionStage.STILL_GOING),
            at__gte=since,
            at__lte=now,
        )
        .values("connection_id")
        .distinct()
        .count()
    )
    return LiveValue(
        text=_count_text(count),
        detail=f"Connections where the person went, or is still going, in the last {WINDOW_DAYS} days.",
        number=float(count) if count == 0 or count >= 5 else None,
    )


def live_value(site: Site, insight: Insight | str, *, now: dt.datetime | None = None) -> LiveValue | None:
    """The value of `insight` now for `site`, or None where the platform does not work it out yet."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=WINDOW_DAYS)
    match Insight(insight):
        case Insight.WAIT_TO_FIRST_CONVERSATION:
            return _wait(site, now)
        case Insight.GAPS:
            return _gaps(site, since, now)
        case Insight.COMMUNITY_CONNECTIONS:
            return _connections(site, since, now)
        case _:
            return None


@dataclass(frozen=True)
class InsightRow:
    """An insight as the prototype page shows it."""

    about: About
    live: LiveValue | None

    @property
    def value_text(self) -> str:
        return self.live.text if self.live else NOT_MEASURED


def rows(site: Site, insights: Iterable[str], *, now: dt.datetime | None = None) -> list[InsightRow]:
    """The chosen insights with what they mean, where to see them and their value now."""
    now = now or timezone.now()
    return [InsightRow(about=about(i), live=live_value(site, i, now=now)) for i in chosen(insights)]
