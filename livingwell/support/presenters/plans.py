"""Display of the Living Well plan: the plan as it stands, every version, and one version.

The plan page and a past version are drawn from the same shape (a snapshot, see
services.plans.snapshot_of), so that a version reads exactly as the plan did then. Own pages speak to
the person ("your goals"); staff pages name them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from livingwell.core import presenters as fmt
from livingwell.people.models import Person
from livingwell.people.presenters import record_header
from livingwell.support.models import ActionOwner, ActionStatus, AgreedHow, BigThree, GoalStatus, PlanAgreement
from livingwell.support.selectors.plans import AgreementState, PlanPage, PlanVersionDetail, PlanVersions
from livingwell.support.services.plans import SAFETY_FIELDS, action_item, goal_item

GOAL_TAGS: dict[str, str] = {
    GoalStatus.WORKING_ON: "nhsuk-tag--blue",
    GoalStatus.ACHIEVED: "nhsuk-tag--green",
    GoalStatus.SET_ASIDE: "nhsuk-tag--grey",
}
ACTION_TAGS: dict[str, str] = {
    ActionStatus.TO_DO: "nhsuk-tag--blue",
    ActionStatus.DONE: "nhsuk-tag--green",
    ActionStatus.NOT_DOING: "nhsuk-tag--grey",
}
CRISIS_CONTACTS = (
    ("NHS 111", "call 111 and choose option 2 for mental health, at any time of day or night"),
    ("Samaritans", "call 116 123 free, at any time"),
    ("999", "call 999 or go to A&E if a life is at risk now"),
)


def plan_url(person: Person) -> str:
    return reverse("plans:view", args=[person.pk])


def _safety_labels(*, own: bool, name: str) -> dict[str, str]:
    if own:
        return {
            "warning_signs": "Signs that things are getting hard",
            "what_helps": "Things you can do that help",
            "people_and_places": "People and places that help you",
            "crisis_contacts": "Who you can contact in a crisis",
        }
    return {
        "warning_signs": "Signs that things are getting hard",
        "what_helps": f"Things {name} can do that help",
        "people_and_places": "People and places that help",
        "crisis_contacts": "Who to contact in a crisis",
    }


@dataclass(frozen=True)
class ActionRow:
    what: str
    who: str
    due: str
    status: str
    status_class: str
    change_href: str | None = None
    done_href: str | None = None


@dataclass(frozen=True)
class GoalCard:
    words: str
    status: str
    status_class: str
    written: str
    actions: list[ActionRow]
    change_href: str | None = None
    add_action_href: str | None = None


@dataclass(frozen=True)
class GoalSection:
    heading: str
    goals: list[GoalCard]


@dataclass(frozen=True)
class PlanBody:
    """Goals by Big Three with their actions, the actions for no goal, and the safety plan."""

    sections: list[GoalSection]
    other_actions: list[ActionRow]
    safety_rows: list[tuple[str, str]]
    safety_written: bool
    goal_count: int
    action_count: int


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _written(item: Mapping[str, Any], *, viewer_id: str, person_user_id: str | None) -> str:
    who = item.get("written_by") or "someone no longer known"
    if item.get("written_by_id") and item["written_by_id"] == viewer_id:
        who = "you"
    elif person_user_id and item.get("written_by_id") == person_user_id:
        who = f"{who} themself"
    added = _date(item.get("added_on"))
    return f"Written by {who}" + (f" on {fmt.date(added)}" if added else "")


def _action_row(
    item: Mapping[str, Any],
    *,
    own: bool,
    name: str,
    today: dt.date,
    change_href: str | None = None,
    done_href: str | None = None,
) -> ActionRow:
    status = ActionStatus(item["status"]) if item["status"] in ActionStatus.values else ActionStatus.TO_DO
    due = _date(item.get("due"))
    status_text, status_class = str(status.label), ACTION_TAGS[status]
    if status == ActionStatus.TO_DO and due is not None and due < today:
        status_text, status_class = "Overdue", "nhsuk-tag--red"
    if status == ActionStatus.DONE and item.get("done_on"):
        status_text = f"Done on {fmt.date(_date(item['done_on']))}"
    person_does_it = item["owner"] == ActionOwner.PERSON
    who = ("You" if own else name) if person_does_it else (item.get("who") or "Not known")
    return ActionRow(
        what=item["what"],
        who=who,
        due=fmt.date(due, empty="No date"),
        status=status_text,
        status_class=status_class,
        change_href=change_href,
        done_href=done_href,
    )


def plan_body(
    snapshot: Mapping[str, Any],
    *,
    own: bool,
    name: str,
    viewer_id: str,
    person_user_id: str | None,
    goal_hrefs: Callable[[Mapping[str, Any]], tuple[str | None, str | None]] = lambda item: (None, None),
    action_hrefs: Callable[[Mapping[str, Any]], tuple[str | None, str | None]] = lambda item: (None, None),
    today: dt.date | None = None,
) -> PlanBody:
    """The plan drawn from a snapshot; the plan page passes the links that the viewer may follow."""
    today = today or timezone.localdate()
    goals = list(snapshot.get("goals", []))
    actions = list(snapshot.get("actions", []))
    goal_ids = {g["id"] for g in goals}

    def row(item: Mapping[str, Any]) -> ActionRow:
        change, done = action_hrefs(item)
        return _action_row(item, own=own, name=name, today=today, change_href=change, done_href=done)

    def card(item: Mapping[str, Any]) -> GoalCard:
        change, add_action = goal_hrefs(item)
        status = item["status"]
        return GoalCard(
            words=item["words"],
            status=str(GoalStatus(status).label) if status in GoalStatus.values else status,
            status_class=GOAL_TAGS.get(status, "nhsuk-tag--grey"),
            written=_written(item, viewer_id=viewer_id, person_user_id=person_user_id),
            actions=[row(a) for a in actions if a.get("goal") == item["id"]],
            change_href=change,
            add_action_href=add_action,
        )

    sections = [
        GoalSection(heading=str(outcome.label), goals=[card(g) for g in goals if g["outcome"] == outcome])
        for outcome in BigThree
    ]
    safety = snapshot.get("safety_plan") or {}
    labels = _safety_labels(own=own, name=name)
    return PlanBody(
        sections=sections,
        other_actions=[row(a) for a in actions if a.get("goal") not in goal_ids],
        safety_rows=[(labels[f], safety.get(f, "") or "Not written yet") for f in SAFETY_FIELDS],
        safety_written=any(safety.get(f) for f in SAFETY_FIELDS),
        goal_count=len(goals),
        action_count=len(actions),
    )


# Agreement ----------------------------------------------------------------------------------------------


def _agreed_how(agreement: PlanAgreement, *, own: bool, name: str) -> str:
    if agreement.how == AgreedHow.SIGNED_IN:
        return "You agreed signed in to your record" if own else f"{name} agreed signed in to their record"
    recorder = agreement.recorded_by.name if agreement.recorded_by else "a worker"
    return f"Agreed in conversation, recorded by {recorder}"


def agreed_already(agreement: PlanAgreement, *, own: bool, name: str) -> str:
    when = fmt.date(agreement.agreed_at)
    if own:
        return f"You agreed to this version of your plan on {when}. When it changes, you can agree again."
    return f"{name} agreed to this version of the plan on {when}. When it changes, they can agree again."


@dataclass(frozen=True)
class AgreementDisplay:
    kind: str
    text: str
    detail: str
    comment: str
    tag_class: str


def agreement_display(state: AgreementState, *, own: bool, name: str) -> AgreementDisplay:
    latest = state.latest
    if latest is None:
        return AgreementDisplay("none", "Not agreed yet", "", "", "nhsuk-tag--grey")
    when = fmt.date(latest.agreed_at)
    who = "you" if own else name
    if state.kind == "agreed":
        return AgreementDisplay(
            "agreed",
            f"Agreed by {who} on {when} (version {latest.version_number})",
            _agreed_how(latest, own=own, name=name),
            latest.comment,
            "nhsuk-tag--green",
        )
    return AgreementDisplay(
        "changed",
        f"Changed since {who} last agreed",
        f"{who[:1].upper()}{who[1:]} agreed to version {latest.version_number} on {when}. "
        f"The plan is now at version {state.current_version}.",
        "",
        "nhsuk-tag--orange",
    )


# The plan page ------------------------------------------------------------------------------------------


def plan_context(page: PlanPage, *, viewer_id: Any) -> dict[str, Any]:
    person = page.person
    own = page.own
    name = person.display_name
    viewer = str(viewer_id)
    can_change = page.can_change
    title = "Your Living Well plan" if own else "Living Well plan"
    snapshot = {
        "review_due": None,
        "goals": [goal_item(g) for g in page.goals],
        "actions": [action_item(a) for a in page.actions],
        "safety_plan": {f: getattr(page.safety_plan, f, "") for f in SAFETY_FIELDS},
    }

    def may_change_words(item: Mapping[str, Any]) -> bool:
        return can_change and (not own or item.get("written_by_id") == viewer)

    add_action = reverse("plans:action_add", args=[person.pk])

    def goal_hrefs(item: Mapping[str, Any]) -> tuple[str | None, str | None]:
        change = reverse("plans:goal_change", args=[person.pk, item["id"]]) if may_change_words(item) else None
        adding = f"{add_action}?goal={item['id']}" if can_change and item["status"] == GoalStatus.WORKING_ON else None
        return change, adding

    def action_hrefs(item: Mapping[str, Any]) -> tuple[str | None, str | None]:
        change = reverse("plans:action_change", args=[person.pk, item["id"]]) if may_change_words(item) else None
        done = (
            reverse("plans:action_done", args=[person.pk, item["id"]])
            if can_change and item["status"] == ActionStatus.TO_DO
            else None
        )
        return change, done

    body = plan_body(
        snapshot,
        own=own,
        name=name,
        viewer_id=viewer,
        person_user_id=str(person.user_id) if person.user_id else None,
        goal_hrefs=goal_hrefs,
        action_hrefs=action_hrefs,
    )
    plan = page.plan
    agreement = agreement_display(page.agreement, own=own, name=name)
    last = page.last_version
    last_changed = ""
    if last is not None:
        who = "you" if last.changed_by_id is not None and str(last.changed_by_id) == viewer else last.changed_by_name
        last_changed = f"By {who} on {fmt.datetime(last.changed_at)} (version {last.number})"
    review_due = ""
    if plan is not None and plan.review_due:
        review_due = (
            f"Overdue: it was due by {fmt.date(plan.review_due)}"
            if page.review_overdue
            else f"By {fmt.date(plan.review_due)}"
        )
    latest_review = page.latest_review
    reviews = [
        {
            "held_on": fmt.date(r.held_on),
            "with_person": ("You took part" if own else f"{name} took part")
            if r.with_person
            else ("Without you" if own else f"Without {name}"),
            "how_it_is_going": r.how_it_is_going,
            "what_changes": r.what_changes,
            "next_review_due": fmt.date(r.next_review_due),
            "recorded_by": r.recorded_by.name if r.recorded_by else "",
        }
        for r in page.reviews
    ]
    links = {
        "goal_add": reverse("plans:goal_add", args=[person.pk]) if can_change else None,
        "action_add": reverse("plans:action_add", args=[person.pk]) if can_change else None,
        "safety_plan": reverse("plans:safety_plan", args=[person.pk]) if can_change else None,
        "review_add": reverse("plans:review_add", args=[person.pk]) if page.can_review else None,
        "agree": reverse("plans:agree", args=[person.pk])
        if can_change and page.started and page.agreement.kind != "agreed"
        else None,
        "versions": reverse("plans:versions", args=[person.pk]) if page.started else None,
    }
    return {
        "title": title,
        "record_head": record_header(person, page.access, own=own, current="plan", title=title),
        "own": own,
        "name": name,
        "started": page.started,
        "body": body,
        "agreement": agreement,
        "agree_text": "Agree to your plan" if own else f"Record that {name} agreed to the plan",
        "last_changed": last_changed,
        "review_due": review_due,
        "review_overdue": page.review_overdue,
        "latest_review": reviews[0] if latest_review else None,
        "earlier_reviews": reviews[1:],
        "links": links,
        "crisis_contacts": CRISIS_CONTACTS,
        "basis": page.access.basis.label if page.access.basis and not own else None,
        "read_only": not can_change,
    }


# Versions -----------------------------------------------------------------------------------------------


def _who(changed_by_id: Any, changed_by_name: str, *, viewer_id: Any) -> str:
    if changed_by_id is not None and str(changed_by_id) == str(viewer_id):
        return "You"
    return changed_by_name or "Someone no longer known"


def _agreed_text(agreements: list[PlanAgreement], *, own: bool, name: str) -> str:
    if not agreements:
        return ""
    first = agreements[0]
    return f"Agreed by {'you' if own else name} on {fmt.date(first.agreed_at)}"


def versions_context(found: PlanVersions, *, viewer_id: Any) -> dict[str, Any]:
    person = found.person
    own = found.own
    name = person.display_name
    rows = [
        {
            "number": v.number,
            "href": reverse("plans:version", args=[person.pk, v.number]),
            "when": fmt.datetime(v.changed_at),
            "who": _who(v.changed_by_id, v.changed_by_name, viewer_id=viewer_id),
            "summary": v.summary,
            "agreed": _agreed_text(found.agreements.get(v.number, []), own=own, name=name),
            "current": found.plan is not None and v.number == found.plan.version_number,
        }
        for v in found.versions
    ]
    title = "Every version of your plan" if own else "Every version of the plan"
    return {
        "title": title,
        "caption": "Your Living Well plan" if own else f"Living Well plan of {name}",
        "own": own,
        "rows": rows,
        "back_href": plan_url(person),
    }


def version_context(found: PlanVersionDetail, *, viewer_id: Any) -> dict[str, Any]:
    person = found.person
    own = found.own
    name = person.display_name
    version = found.version
    snapshot = version.snapshot or {}
    body = plan_body(
        snapshot,
        own=own,
        name=name,
        viewer_id=str(viewer_id),
        person_user_id=str(person.user_id) if person.user_id else None,
    )
    review_due = _date(snapshot.get("review_due"))
    agreements = [
        f"{'You' if own else name} agreed to this version on {fmt.datetime(a.agreed_at)}. "
        f"{_agreed_how(a, own=own, name=name)}."
        + (f" {'You' if own else 'They'} added: {a.comment}" if a.comment else "")
        for a in found.agreements
    ]
    return {
        "title": f"Version {version.number} of {'your' if own else 'the'} plan",
        "caption": "Your Living Well plan" if own else f"Living Well plan of {name}",
        "own": own,
        "name": name,
        "who": _who(version.changed_by_id, version.changed_by_name, viewer_id=viewer_id),
        "when": fmt.datetime(version.changed_at),
        "summary": version.summary,
        "changes": found.changes,
        "first": found.previous is None,
        "previous_number": found.previous.number if found.previous else None,
        "is_latest": version.number == found.latest_number,
        "body": body,
        "review_due": fmt.date(review_due, empty="No date set"),
        "agreements": agreements,
        "versions_href": reverse("plans:versions", args=[person.pk]),
        "back_href": reverse("plans:versions", args=[person.pk]),
        "crisis_contacts": CRISIS_CONTACTS,
    }
