"""Display of moving on and coming back: the farewell summary, the words that start it, and what coming
back would pick up. Worded for "you" on the person's own pages and by name on staff pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone

from livingwell.access.models import Introduction
from livingwell.audit.models import Basis, Part
from livingwell.audit.policy import RecordAccess
from livingwell.core import presenters as fmt
from livingwell.outcomes.models import Measure, MeasureStatus
from livingwell.people.models import Person
from livingwell.people.presenters import record_header
from livingwell.support.models import MovingOn, SafetyPlan, SupportPeriod
from livingwell.support.selectors.moving_on import (
    ComeBack,
    ComeBackPage,
    Farewell,
    MoveOnPage,
    PastSupport,
    PickUpPage,
    works_with_period,
)

if TYPE_CHECKING:
    from livingwell.accounts.models import User
    from livingwell.network.models import Site

COME_BACK_WORDS = (
    "Get in touch with your team or the Hub at any time. If it is within {months} months, we will pick up "
    "where we left off, with your plan and, if they are still here, your worker."
)
HELP_NOW_WORDS = (
    "If you need help now, call NHS 111 and choose the mental health option, or Samaritans on 116 123. "
    "In an emergency, call 999."
)


def how_to_come_back_words(site: Site) -> str:
    """The site's standard words on how to come back (`Site.months_to_come_back`)."""
    return COME_BACK_WORDS.format(months=site.months_to_come_back)


def if_things_get_hard_words(safety_plan: SafetyPlan | None) -> str:
    """What to do if things get hard, starting from the safety plan the person made with their team."""
    parts = []
    if safety_plan is not None:
        for heading, words in (
            ("Signs that things are getting hard", safety_plan.warning_signs),
            ("Things you can do that help", safety_plan.what_helps),
            ("People and places that help", safety_plan.people_and_places),
            ("Who to contact in a crisis", safety_plan.crisis_contacts),
        ):
            if words.strip():
                parts.append(f"{heading}:\n{words.strip()}")
    parts.append(HELP_NOW_WORDS)
    return "\n\n".join(parts)


def months_ago_text(months: int) -> str:
    if months == 0:
        return "less than a month ago"
    return "1 month ago" if months == 1 else f"{months} months ago"


# Moving on ----------------------------------------------------------------------------------------------


def move_on_initial(page: MoveOnPage) -> dict[str, Any]:
    return {
        "moved_on_on": timezone.localdate(),
        "what_helped": "",
        "if_things_get_hard": if_things_get_hard_words(page.safety_plan),
        "how_to_come_back": how_to_come_back_words(page.person.site),
        "written_with_person": "yes",
    }


def move_on_context(page: MoveOnPage) -> dict[str, Any]:
    person = page.person
    title = f"Moving on from {page.period.team.name}"
    return {
        "title": title,
        "person": person,
        "team_name": page.period.team.name,
        "record_head": record_header(person, page.access, own=False, current="support", title=title),
        "period_rows": [
            ("Supported by", page.period.team.name),
            ("Since", fmt.date(page.period.started_at)),
            ("Worker", page.worker.name if page.worker else "No worker allocated"),
        ],
        "goals": [(g.words, g.get_outcome_display(), g.get_status_display()) for g in page.goals],
        "from_safety_plan": page.safety_plan is not None,
    }


def _together(moving_on: MovingOn, own: bool) -> str:
    if moving_on.written_with_person:
        return "Yes, written together with you" if own else "Yes, written together with them"
    return "No, written by the team without you" if own else "No, written by the team without them"


def farewell_context(view: Farewell, *, own: bool) -> dict[str, Any]:
    m = view.moving_on
    person = view.person
    title = "Your farewell summary" if own else "Farewell summary"
    rows = [
        ("Support from", view.period.team.name),
        ("From", fmt.date(view.period.started_at)),
        ("Moved on", fmt.date(m.moved_on_at)),
        ("Worker", view.worker.name if view.worker else "No worker allocated"),
        ("Why support ended", m.get_reason_display()),
        ("Written together", _together(m, own)),
        ("Written by", m.recorded_by.name if m.recorded_by else "Living Well"),
    ]
    offer = view.offer if view.offer is not None and view.offer.period.pk == view.period.pk else None
    return {
        "title": title,
        "own": own,
        "person": person,
        "record_head": record_header(person, view.access, own=own, current="support", title=title),
        "rows": rows,
        "moving_on": m,
        "help_now": HELP_NOW_WORDS,
        "come_back_href": reverse("moving_on:come_back", args=[person.pk]) if own and offer else None,
        "come_back_until": fmt.date(offer.until) if offer else None,
        "experience_href": _experience_href(view) if own else None,
    }


def _experience_href(view: Farewell) -> str | None:
    """Where the person answers the experience questions about this support, until they have."""
    answered = Measure.objects.filter(
        person=view.person, instrument="experience", status=MeasureStatus.COMPLETE, support_period=view.period
    )
    if answered.exists():
        return None
    start = reverse("measures:start", args=[view.person.pk])
    return f"{start}?instrument=experience&occasion=moving_on"


# Coming back --------------------------------------------------------------------------------------------


def offer_rows(offer: ComeBack, *, own: bool) -> list[tuple[str, str]]:
    """What picking up would bring back, as summary rows."""
    if offer.worker is not None:
        worker = f"{offer.worker.name}, who supported {'you' if own else 'them'} before"
    elif offer.worker_left and offer.last_worker is not None:
        who = "you" if own else "them"
        worker = (
            f"{offer.last_worker.name} no longer works here. The team leader will find {who} a worker, "
            f"and {'you' if own else 'they'} can say who {'you' if own else 'they'} would like"
        )
    else:
        worker = "The team leader will find a worker"
    if offer.plan is not None:
        plan = (
            "Your plan, as you left it. Your team will look at it with you at their next meeting"
            if own
            else "Their plan, as they left it, due for review today so that the huddle looks at it"
        )
    else:
        plan = "No plan yet: " + ("you will make one with your team" if own else "they will make one with their team")
    return [
        ("Team", offer.team.name),
        ("Worker", worker),
        ("Living Well plan", plan),
        ("Moved on", f"{fmt.date(offer.moved_on_at)} ({months_ago_text(offer.months_ago)})"),
        ("Can pick up until", fmt.date(offer.until)),
    ]


def come_back_context(page: ComeBackPage) -> dict[str, Any]:
    person = page.person
    title = "Come back to Living Well"
    offer = page.offer
    last = page.last
    return {
        "title": title,
        "person": person,
        "record_head": record_header(person, page.access, own=True, current="support", title=title),
        "offer": offer,
        "offer_rows": offer_rows(offer, own=True) if offer else [],
        "months_allowed": person.site.months_to_come_back,
        "last_team": last.team.name if last else None,
        "last_moved_on": fmt.date(last.ended_at) if last else None,
        "supported_by": " and ".join(p.team.name for p in page.supported_now),
        "open_introduction": page.open_introduction,
        "support_href": reverse("person_support:overview", args=[person.pk]),
        "help_now": HELP_NOW_WORDS,
    }


def pick_up_context(page: PickUpPage) -> dict[str, Any]:
    person = page.person
    offer = page.offer
    return {
        "title": "Pick up where they left off",
        "person": person,
        "introduction": page.introduction,
        "offer": offer,
        "offer_rows": offer_rows(offer, own=False) if offer else [],
        "months_allowed": person.site.months_to_come_back,
        "last_team": page.last.team.name if page.last else None,
        "last_moved_on": fmt.date(page.last.ended_at) if page.last else None,
        "back_href": reverse("front_door:introduction", args=[page.introduction.pk]),
    }


def come_back_panel(past: PastSupport, introduction: Introduction) -> dict[str, Any]:
    """The Hub's panel on an introduction for someone who moved on before."""
    offer = past.offer
    person_id = introduction.person_id
    if offer is None:
        months = introduction.site.months_to_come_back
        return {
            "heading": f"Supported before by {past.last.team.name}",
            "text": (
                f"They moved on from {past.last.team.name} on {fmt.date(past.last.ended_at)}. "
                f"That is more than {months} months ago, "
                "so we start with a first conversation. Their Living Well plan and story are still in their record."
            ),
            "action": None,
        }
    with_worker = f", with {offer.last_worker.name}" if offer.last_worker else ""
    return {
        "heading": f"Moved on {months_ago_text(offer.months_ago)} from {offer.team.name}{with_worker}: "
        "pick up where they left off",
        "text": (
            f"Because it is less than {offer.months_allowed} months, they can go back to their team without a new "
            "first conversation. If they would like a first conversation, book one as usual."
        ),
        "rows": offer_rows(offer, own=False),
        "action": reverse("moving_on:pick_up", args=[person_id, introduction.pk]),
    }


# Links for the person's support page ----------------------------------------------------------------------


def moving_on_links(*, user: User, person: Person, access: RecordAccess, own: bool) -> dict[str, list[dict[str, str]]]:
    """The moving-on links for the support overview (`person_support:overview`), which has checked and
    audited the look at the person's support. Keyed as `support/_moving_on_links.jinja` expects: a
    support period's id (as text) for links about that period, "" for the person's support as a whole.

    - "Moving on from <team>" (`moving_on:move_on`) on each open period the viewer works with (a worker
      of its team, or the person's current worker);
    - "(Your) farewell summary" (`moving_on:farewell`) on each period they moved on from;
    - "Come back to Living Well" (`moving_on:come_back`) under "", for the person, when no support is open.
    """
    links: dict[str, list[dict[str, str]]] = {}
    if not access.can_read(Part.SUPPORT):
        return links
    periods = list(SupportPeriod.objects.filter(person=person).select_related("team").order_by("-started_at"))
    if access.can_change(Part.SUPPORT):
        for period in periods:
            if period.is_open and works_with_period(user, period):
                links.setdefault(str(period.pk), []).append(
                    {
                        "text": f"Moving on from {period.team.name}",
                        "hint": "End support with them and write the farewell summary together",
                        "href": reverse("moving_on:move_on", args=[person.pk, period.pk]),
                    }
                )
    for m in MovingOn.objects.filter(support_period__person=person).order_by("-moved_on_at"):
        links.setdefault(str(m.support_period_id), []).append(
            {
                "text": "Read your farewell summary" if own else "Read the farewell summary",
                "hint": f"Moved on: {fmt.date(m.moved_on_at)}",
                "href": reverse("moving_on:farewell", args=[person.pk, m.support_period_id]),
            }
        )
    if own and Basis.SELF in access.bases and not any(p.is_open for p in periods):
        links[""] = [
            {
                "text": "Come back to Living Well",
                "hint": "Pick up where you left off, or start again with a first conversation",
                "href": reverse("moving_on:come_back", args=[person.pk]),
            }
        ]
    return links
