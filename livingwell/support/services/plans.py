"""Writes to the Living Well plan: goals, actions, the safety plan, reviews and the person's agreement.

Every change checks the access policy, writes the change, an audit event and a `PlanVersion` (who
changed what, in plain words, and the whole plan as it then stood) in one transaction, so that the
history can never disagree with the plan (ADR 6).

Who may do what, on top of the access policy (ADR 3):
- a worker whose team supports the person, or who is allocated to them, may do everything;
- the person themself may add goals and actions, change the goals and actions they wrote, mark
  actions done, change the safety plan and agree to their plan. They never change or set aside words
  someone else wrote: they add their own beside them. Reviews are recorded by their worker with them;
- everyone else who may read the plan (a partner organisation the person shares with, emergency
  access) only reads it.

Words are kept exactly as typed: nothing here strips or reflows what people write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone

from livingwell.accounts.models import User
from livingwell.audit import services as audit
from livingwell.audit.models import Action, Part
from livingwell.audit.policy import RecordAccess, access_to
from livingwell.core.concurrency import save_if_unchanged
from livingwell.core.errors import DomainError
from livingwell.network.models import SUPPORT_ROLES, Membership
from livingwell.people.models import Person, Relationship
from livingwell.support.models import (
    ActionOwner,
    ActionStatus,
    AgreedHow,
    Allocation,
    BigThree,
    Goal,
    GoalStatus,
    Plan,
    PlanAction,
    PlanAgreement,
    PlanVersion,
    Review,
    SafetyPlan,
    SupportPeriod,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

PLAN = Part.PLAN

GOAL_LABELS = {"words": "The goal", "outcome": "Which of the Big Three it is for", "status": "How it is going"}
ACTION_LABELS = {
    "what": "The action",
    "owner": "Who does it",
    "owner_name": "Who, by name",
    "due": "By when",
    "goal": "The goal it is for",
    "status": "Status",
}
SAFETY_FIELDS = ("warning_signs", "what_helps", "people_and_places", "crisis_contacts")
# How each part of the safety plan is named in "what changed" (not capitalised: they follow a colon).
SAFETY_NAMES = {
    "warning_signs": "warning signs",
    "what_helps": "what helps",
    "people_and_places": "people and places that help",
    "crisis_contacts": "crisis contacts",
}
SAFETY_LABELS = {name: label.capitalize() for name, label in SAFETY_NAMES.items()}

WORDS_MAX = 2000
OWNER_NAME_MAX = 200
COMMENT_MAX = 2000


# Who is acting ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Acting:
    """Someone allowed to change the plan: `own` when it is the person themself."""

    actor: User
    access: RecordAccess
    own: bool


def _acting(actor: User, person: Person, request: HttpRequest | None) -> Acting:
    access = access_to(actor, person)
    if not access.can_change(PLAN):
        raise audit.refuse(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[PLAN],
            reason="No legitimate relationship to change the plan",
            request=request,
            message="You cannot change the Living Well plan for this person.",
        )
    return Acting(actor=actor, access=access, own=is_own(actor, person))


def is_own(user: Any, person: Person) -> bool:
    """Whether `user` is the person themself (their own sign-in)."""
    return person.user_id is not None and person.user_id == getattr(user, "pk", None)


def _audit(acting: Acting, person: Person, detail: dict[str, Any], request: HttpRequest | None) -> None:
    audit.record(
        actor=acting.actor,
        action=Action.CHANGE,
        person_id=person.pk,
        parts=[PLAN],
        basis=acting.access.basis_for(PLAN, change=True),
        detail=detail,
        request=request,
    )


def _written_by_someone_else(acting: Acting, created_by_id: Any) -> bool:
    return acting.own and created_by_id != acting.actor.pk


# The plan and its versions ------------------------------------------------------------------------------


def plan_for(*, person: Person) -> Plan:
    """The person's plan, made when first needed, due for review after the site's usual time."""
    plan = Plan.objects.filter(person=person).first()
    if plan is not None:
        return plan
    due = timezone.localdate() + dt.timedelta(weeks=person.site.weeks_between_plan_reviews)
    plan, _ = Plan.objects.get_or_create(person=person, defaults={"review_due": due})
    return plan


def _shorten(words: str, limit: int = 80) -> str:
    """Words on one line, for a sentence about them (the plan itself keeps them as typed)."""
    flat = " ".join(words.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def quote(words: str) -> str:
    return f"'{_shorten(words)}'"


def date_text(value: dt.date | str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def owner_who(action: PlanAction) -> str:
    """The name of who does an action (empty for the person themself), now or as last known."""
    if action.owner == ActionOwner.WORKER and action.owner_worker is not None:
        return action.owner_worker.name
    if action.owner == ActionOwner.NETWORK and action.owner_relationship is not None:
        return action.owner_relationship.name
    if action.owner == ActionOwner.PERSON:
        return ""
    return action.owner_name


def goal_item(goal: Goal) -> dict[str, Any]:
    return {
        "id": str(goal.pk),
        "words": goal.words,
        "outcome": goal.outcome,
        "status": goal.status,
        "written_by": goal.created_by.name if goal.created_by else "",
        "written_by_id": str(goal.created_by_id) if goal.created_by_id else None,
        "added_on": timezone.localtime(goal.created_at).date().isoformat() if goal.created_at else None,
    }


def action_item(action: PlanAction) -> dict[str, Any]:
    return {
        "id": str(action.pk),
        "what": action.what,
        "goal": str(action.goal_id) if action.goal_id else None,
        "owner": action.owner,
        "who": owner_who(action),
        "due": action.due.isoformat() if action.due else None,
        "status": action.status,
        "done_on": timezone.localtime(action.done_at).date().isoformat() if action.done_at else None,
        "written_by": action.created_by.name if action.created_by else "",
        "written_by_id": str(action.created_by_id) if action.created_by_id else None,
    }


def snapshot_of(plan: Plan) -> dict[str, Any]:
    """The whole plan as it stands, as JSON: what a version says the plan was."""
    goals = plan.goals.select_related("created_by").order_by("position", "created_at", "pk")
    actions = plan.actions.select_related("owner_worker", "owner_relationship", "created_by").order_by(
        F("due").asc(nulls_last=True), "created_at", "pk"
    )
    safety = SafetyPlan.objects.filter(plan=plan).first()
    return {
        "review_due": plan.review_due.isoformat() if plan.review_due else None,
        "goals": [goal_item(g) for g in goals],
        "actions": [action_item(a) for a in actions],
        "safety_plan": {name: getattr(safety, name, "") for name in SAFETY_FIELDS},
    }


def _new_version(*, plan: Plan, actor: User, summary: str, now: dt.datetime) -> PlanVersion:
    """Bump the plan's version (an atomic UPDATE, so two saves never take the same number) and keep a snapshot."""
    Plan.objects.filter(pk=plan.pk).update(version_number=F("version_number") + 1, updated_at=now)
    plan.version_number = Plan.objects.values_list("version_number", flat=True).get(pk=plan.pk)
    plan.updated_at = now
    return PlanVersion.objects.create(
        plan=plan,
        number=plan.version_number,
        changed_at=now,
        changed_by=actor,
        changed_by_name=actor.name[:200],
        summary=summary if len(summary) <= 500 else summary[:499] + "…",
        snapshot=snapshot_of(plan),
    )


# What changed, in plain words (used for each version's summary and to compare two versions) ----------


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


GOAL_STATUS_WORDS = {
    GoalStatus.WORKING_ON: "working on it",
    GoalStatus.ACHIEVED: "achieved",
    GoalStatus.SET_ASIDE: "set aside for now",
}
ACTION_STATUS_WORDS = {ActionStatus.TO_DO: "to do", ActionStatus.DONE: "done", ActionStatus.NOT_DOING: "not doing now"}
OWNER_WORDS = {
    ActionOwner.PERSON: "the person themself",
    ActionOwner.WORKER: "a Living Well worker",
    ActionOwner.NETWORK: "someone in their own network",
    ActionOwner.COMMUNITY: "a community offer",
}


def _who_words(item: Mapping[str, Any]) -> str:
    if item.get("who"):
        return str(item["who"])
    return OWNER_WORDS.get(item.get("owner", ""), "someone")


def goal_changes(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> list[str]:
    if old is None and new is not None:
        return [f"Added the goal {quote(new['words'])}"]
    if new is None and old is not None:
        return [f"Took out the goal {quote(old['words'])}"]
    if old is None or new is None:
        return []
    lines = []
    if old["words"] != new["words"]:
        lines.append(f"Changed the goal {quote(old['words'])} to {quote(new['words'])}")
    if old["outcome"] != new["outcome"]:
        lines.append(f"Moved the goal {quote(new['words'])} to '{_label(BigThree, new['outcome'])}'")
    if old["status"] != new["status"]:
        status = GOAL_STATUS_WORDS.get(new["status"], new["status"])
        lines.append(f"Marked the goal {quote(new['words'])} as {status}")
    return lines


def action_changes(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, goal_words: Mapping[str, str] | None = None
) -> list[str]:
    goal_words = goal_words or {}
    if old is None and new is not None:
        line = f"Added the action {quote(new['what'])} for {_who_words(new)}"
        if new.get("due"):
            line += f", by {date_text(new['due'])}"
        return [line]
    if new is None and old is not None:
        return [f"Took out the action {quote(old['what'])}"]
    if old is None or new is None:
        return []
    lines = []
    if old["what"] != new["what"]:
        lines.append(f"Changed the action {quote(old['what'])} to {quote(new['what'])}")
    if (old["owner"], old["who"]) != (new["owner"], new["who"]):
        lines.append(f"Gave the action {quote(new['what'])} to {_who_words(new)}")
    if old["due"] != new["due"]:
        if new["due"]:
            lines.append(f"Changed when the action {quote(new['what'])} is due to {date_text(new['due'])}")
        else:
            lines.append(f"Took the date off the action {quote(new['what'])}")
    if old["goal"] != new["goal"]:
        if new["goal"]:
            goal = goal_words.get(new["goal"], "")
            lines.append(f"Linked the action {quote(new['what'])} to the goal {quote(goal)}" if goal else "")
        else:
            lines.append(f"Unlinked the action {quote(new['what'])} from its goal")
    if old["status"] != new["status"]:
        status = ACTION_STATUS_WORDS.get(new["status"], new["status"])
        lines.append(f"Marked the action {quote(new['what'])} as {status}")
    return [line for line in lines if line]


def safety_changes(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    changed = [SAFETY_NAMES[name] for name in SAFETY_FIELDS if old.get(name, "") != new.get(name, "")]
    return [f"Changed the safety plan: {', '.join(changed)}"] if changed else []


def review_date_changes(old: str | None, new: str | None) -> list[str]:
    if old == new:
        return []
    if new is None:
        return ["Took off the date of the next review"]
    if old is None:
        return [f"Set the next review for {date_text(new)}"]
    return [f"Moved the next review from {date_text(old)} to {date_text(new)}"]


EMPTY_SNAPSHOT: dict[str, Any] = {
    "review_due": None,
    "goals": [],
    "actions": [],
    "safety_plan": dict.fromkeys(SAFETY_FIELDS, ""),
}


def describe_changes(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> list[str]:
    """What changed from one snapshot to the next, one plain sentence each.

    With no `before` (the first version), the date of review that the plan was made with is not
    counted as a change.
    """
    if before is None:
        before = {**EMPTY_SNAPSHOT, "review_due": after.get("review_due")}
    lines: list[str] = []
    old_goals = {g["id"]: g for g in before.get("goals", [])}
    for goal in after.get("goals", []):
        lines += goal_changes(old_goals.pop(goal["id"], None), goal)
    for goal in old_goals.values():
        lines += goal_changes(goal, None)
    goal_words = {g["id"]: g["words"] for g in [*before.get("goals", []), *after.get("goals", [])]}
    old_actions = {a["id"]: a for a in before.get("actions", [])}
    for action in after.get("actions", []):
        lines += action_changes(old_actions.pop(action["id"], None), action, goal_words)
    for action in old_actions.values():
        lines += action_changes(action, None)
    lines += safety_changes(before.get("safety_plan", {}), after.get("safety_plan", {}))
    lines += review_date_changes(before.get("review_due"), after.get("review_due"))
    return lines


def _summary(lines: Sequence[str]) -> str:
    return "; ".join(lines) or "Saved the plan"


# Goals --------------------------------------------------------------------------------------------------


def _check_words(words: str, *, field: str, missing: str, too_long: str) -> None:
    if not words.strip():
        raise DomainError("words_missing", missing, field=field)
    if len(words) > WORDS_MAX:
        raise DomainError("words_too_long", too_long, field=field)


def _check_outcome(outcome: str) -> BigThree:
    try:
        return BigThree(outcome)
    except ValueError:
        raise DomainError("outcome_missing", "Choose which of the Big Three the goal is for", field="outcome") from None


def goal_add(
    *, actor: User, person: Person, words: str, outcome: BigThree | str, request: HttpRequest | None = None
) -> Goal:
    """Add a goal in the person's own words, kept exactly as typed."""
    acting = _acting(actor, person, request)
    _check_words(
        words,
        field="words",
        missing="Enter the goal",
        too_long=f"The goal must be {WORDS_MAX} characters or fewer",
    )
    chosen = _check_outcome(outcome)
    now = timezone.now()
    with transaction.atomic():
        plan = plan_for(person=person)
        last = plan.goals.aggregate(last=Max("position"))["last"]
        goal = Goal.objects.create(
            plan=plan,
            words=words,
            outcome=chosen,
            position=0 if last is None else last + 1,
            created_by=actor,
            updated_by=actor,
        )
        version = _new_version(plan=plan, actor=actor, summary=_summary(goal_changes(None, goal_item(goal))), now=now)
        _audit(acting, person, {"added": "goal", "goal": str(goal.pk), "plan_version": version.number}, request)
    return goal


def goal_change(
    *,
    actor: User,
    goal: Goal,
    expected_version: int,
    words: str,
    outcome: BigThree | str,
    status: GoalStatus | str,
    request: HttpRequest | None = None,
) -> list[str]:
    """Change a goal; returns the names of the fields that changed (none: nothing saved).

    Raises EditConflict, saving nothing, when someone saved the goal after `expected_version`.
    """
    person = goal.plan.person
    acting = _acting(actor, person, request)
    _check_words(
        words,
        field="words",
        missing="Enter the goal",
        too_long=f"The goal must be {WORDS_MAX} characters or fewer",
    )
    chosen = _check_outcome(outcome)
    try:
        new_status = GoalStatus(status)
    except ValueError:
        raise DomainError("status_missing", "Choose how the goal is going", field="status") from None
    values: dict[str, Any] = {"words": words, "outcome": chosen, "status": new_status}
    changed = [name for name, value in values.items() if getattr(goal, name) != value]
    if not changed:
        return []
    if _written_by_someone_else(acting, goal.created_by_id):
        writer = goal.created_by.name if goal.created_by else "someone else"
        if "words" in changed or "outcome" in changed:
            raise DomainError(
                "not_your_words",
                f"{writer} wrote this goal, so its words stay as they are. "
                "You can add a goal in your own words, or talk to your worker about changing this one",
                field="words" if "words" in changed else "outcome",
            )
        if new_status == GoalStatus.SET_ASIDE:
            raise DomainError(
                "not_your_words",
                f"{writer} wrote this goal, so only they or your team can set it aside. "
                "Talk to your worker if you want to put it to one side",
                field="status",
            )
    before = goal_item(goal)
    now = timezone.now()
    with transaction.atomic():
        save_if_unchanged(
            goal,
            expected_version=expected_version,
            values={**values, "updated_by": actor},
            what="the goal",
            labels=GOAL_LABELS,
        )
        plan = goal.plan
        version = _new_version(plan=plan, actor=actor, summary=_summary(goal_changes(before, goal_item(goal))), now=now)
        _audit(
            acting,
            person,
            {"changed": "goal", "goal": str(goal.pk), "fields": changed, "plan_version": version.number},
            request,
        )
    return changed


# Actions ------------------------------------------------------------------------------------------------


def workers_for(person: Person) -> QuerySet[User]:
    """Who can own an action as a Living Well worker: the support-role members of the teams that
    support the person now, and the workers allocated to them."""
    open_teams = SupportPeriod.objects.filter(person=person, ended_at__isnull=True).values("team_id")
    members = Membership.objects.current().filter(team_id__in=open_teams, role__in=SUPPORT_ROLES).values("user_id")
    allocated = Allocation.objects.filter(
        support_period__person=person, support_period__ended_at__isnull=True, ended_at__isnull=True
    ).values("worker_id")
    return User.objects.filter(Q(pk__in=members) | Q(pk__in=allocated), is_active=True).order_by(
        "display_name", "email"
    )


@dataclass(frozen=True)
class Owner:
    owner: ActionOwner
    worker: User | None
    relationship: Relationship | None
    name: str


def _check_owner(
    *,
    person: Person,
    owner: ActionOwner | str,
    owner_worker: User | None,
    owner_relationship: Relationship | None,
    owner_name: str,
    keep: PlanAction | None = None,
) -> Owner:
    """Who does the action, checked against the person's team and their own network."""
    try:
        chosen = ActionOwner(owner)
    except ValueError:
        raise DomainError("owner_missing", "Choose who does this", field="owner") from None
    if chosen == ActionOwner.PERSON:
        return Owner(chosen, None, None, "")
    if chosen == ActionOwner.WORKER:
        if owner_worker is None:
            raise DomainError("worker_missing", "Choose the worker who does this", field="owner_worker")
        unchanged = keep is not None and keep.owner_worker_id == owner_worker.pk
        if not unchanged and not workers_for(person).filter(pk=owner_worker.pk).exists():
            raise DomainError(
                "worker_not_in_team",
                f"Choose a worker from the team that supports {person.display_name}",
                field="owner_worker",
            )
        return Owner(chosen, owner_worker, None, owner_worker.name[:OWNER_NAME_MAX])
    if chosen == ActionOwner.NETWORK:
        if owner_relationship is None:
            raise DomainError("network_missing", "Choose who in the network does this", field="owner_relationship")
        if owner_relationship.person_id != person.pk:
            raise DomainError(
                "not_in_network",
                f"Choose someone from {person.display_name}'s own network",
                field="owner_relationship",
            )
        return Owner(chosen, None, owner_relationship, owner_relationship.name[:OWNER_NAME_MAX])
    if not owner_name.strip():
        raise DomainError("offer_missing", "Enter the name of the community offer", field="owner_name")
    if len(owner_name) > OWNER_NAME_MAX:
        raise DomainError(
            "offer_too_long",
            f"The name of the community offer must be {OWNER_NAME_MAX} characters or fewer",
            field="owner_name",
        )
    return Owner(chosen, None, None, owner_name.strip())


def _check_goal(person: Person, goal: Goal | None) -> Goal | None:
    if goal is not None and goal.plan.person_id != person.pk:
        raise DomainError("goal_not_in_plan", "Choose one of the goals in this plan", field="goal")
    return goal


def _check_due(due: dt.date | None, *, was: dt.date | None = None) -> None:
    if due is not None and due != was and due < timezone.localdate():
        raise DomainError("due_in_past", "The date must be today or in the future", field="due")


def check_action(
    *,
    person: Person,
    what: str,
    owner: ActionOwner | str,
    owner_worker: User | None,
    owner_relationship: Relationship | None,
    owner_name: str,
    goal: Goal | None,
    due: dt.date | None,
    keep: PlanAction | None = None,
) -> Owner:
    """Check an action's words, owner, goal and date (an existing action may keep a date now past)."""
    _check_words(
        what,
        field="what",
        missing="Enter what will be done",
        too_long=f"The action must be {WORDS_MAX} characters or fewer",
    )
    who = _check_owner(
        person=person,
        owner=owner,
        owner_worker=owner_worker,
        owner_relationship=owner_relationship,
        owner_name=owner_name,
        keep=keep,
    )
    _check_goal(person, goal)
    _check_due(due, was=keep.due if keep is not None else None)
    return who


def action_add(
    *,
    actor: User,
    person: Person,
    what: str,
    owner: ActionOwner | str,
    owner_worker: User | None = None,
    owner_relationship: Relationship | None = None,
    owner_name: str = "",
    due: dt.date | None = None,
    goal: Goal | None = None,
    request: HttpRequest | None = None,
) -> PlanAction:
    """Add an action: what, who does it (the person, a worker from their team, someone in their own
    network, or a community offer, named), by when, and the goal it is for."""
    acting = _acting(actor, person, request)
    who = check_action(
        person=person,
        what=what,
        owner=owner,
        owner_worker=owner_worker,
        owner_relationship=owner_relationship,
        owner_name=owner_name,
        goal=goal,
        due=due,
    )
    now = timezone.now()
    with transaction.atomic():
        plan = plan_for(person=person)
        action = PlanAction.objects.create(
            plan=plan,
            goal=goal,
            what=what,
            owner=who.owner,
            owner_worker=who.worker,
            owner_relationship=who.relationship,
            owner_name=who.name,
            due=due,
            created_by=actor,
            updated_by=actor,
        )
        version = _new_version(
            plan=plan, actor=actor, summary=_summary(action_changes(None, action_item(action))), now=now
        )
        _audit(acting, person, {"added": "action", "action": str(action.pk), "plan_version": version.number}, request)
    return action


def action_change(
    *,
    actor: User,
    action: PlanAction,
    expected_version: int,
    what: str,
    owner: ActionOwner | str,
    owner_worker: User | None = None,
    owner_relationship: Relationship | None = None,
    owner_name: str = "",
    due: dt.date | None = None,
    goal: Goal | None = None,
    status: ActionStatus | str | None = None,
    request: HttpRequest | None = None,
) -> list[str]:
    """Change an action; returns the names of the fields that changed (none: nothing saved).

    Raises EditConflict, saving nothing, when someone saved the action after `expected_version`.
    """
    person = action.plan.person
    acting = _acting(actor, person, request)
    who = check_action(
        person=person,
        what=what,
        owner=owner,
        owner_worker=owner_worker,
        owner_relationship=owner_relationship,
        owner_name=owner_name,
        goal=goal,
        due=due,
        keep=action,
    )
    try:
        new_status = ActionStatus(status) if status is not None else ActionStatus(action.status)
    except ValueError:
        raise DomainError("status_missing", "Choose the status of the action", field="status") from None
    values: dict[str, Any] = {
        "what": what,
        "owner": who.owner,
        "owner_worker": who.worker,
        "owner_relationship": who.relationship,
        "owner_name": who.name,
        "due": due,
        "goal": goal,
        "status": new_status,
    }
    changed = [name for name, value in values.items() if _current(action, name) != _comparable(value)]
    if not changed:
        return []
    if _written_by_someone_else(acting, action.created_by_id):
        writer = action.created_by.name if action.created_by else "Someone else"
        raise DomainError(
            "not_your_words",
            f"{writer} wrote this action, so it stays as it is. You can mark it as done, "
            "add an action of your own, or talk to your worker about changing it",
            field="what",
        )
    if new_status != action.status:
        values["done_at"] = timezone.now() if new_status == ActionStatus.DONE else None
    return _save_action(acting, action, expected_version, values, changed, request)


_FOREIGN_KEYS = ("owner_worker", "owner_relationship", "goal")


def _current(action: PlanAction, name: str) -> Any:
    """A field's value as saved, foreign keys by id (so that comparing loads nothing)."""
    return getattr(action, f"{name}_id") if name in _FOREIGN_KEYS else getattr(action, name)


def _comparable(value: Any) -> Any:
    return getattr(value, "pk", value) if value is not None and hasattr(value, "_meta") else value


def _save_action(
    acting: Acting,
    action: PlanAction,
    expected_version: int,
    values: dict[str, Any],
    changed: list[str],
    request: HttpRequest | None,
) -> list[str]:
    person = action.plan.person
    before = action_item(action)
    goal_words = dict(action.plan.goals.values_list("id", "words"))
    now = timezone.now()
    with transaction.atomic():
        save_if_unchanged(
            action,
            expected_version=expected_version,
            values={**values, "updated_by": acting.actor},
            what="the action",
            labels=ACTION_LABELS,
        )
        lines = action_changes(before, action_item(action), {str(k): v for k, v in goal_words.items()})
        version = _new_version(plan=action.plan, actor=acting.actor, summary=_summary(lines), now=now)
        _audit(
            acting,
            person,
            {"changed": "action", "action": str(action.pk), "fields": changed, "plan_version": version.number},
            request,
        )
    return changed


def action_mark(
    *, actor: User, action: PlanAction, status: ActionStatus | str, request: HttpRequest | None = None
) -> PlanAction:
    """Mark an action as done (which records when), to do, or not doing now.

    The person may mark any action done or to do; only the one who wrote it, or their team, may mark
    it as not being done.
    """
    person = action.plan.person
    acting = _acting(actor, person, request)
    try:
        new_status = ActionStatus(status)
    except ValueError:
        raise DomainError("status_missing", "Choose the status of the action", field="status") from None
    if new_status == action.status:
        return action
    if new_status == ActionStatus.NOT_DOING and _written_by_someone_else(acting, action.created_by_id):
        writer = action.created_by.name if action.created_by else "Someone else"
        raise DomainError(
            "not_your_words",
            f"{writer} wrote this action, so only they or your team can set it aside. Talk to your worker about it",
            field="status",
        )
    values: dict[str, Any] = {
        "status": new_status,
        "done_at": timezone.now() if new_status == ActionStatus.DONE else None,
    }
    _save_action(acting, action, action.version, values, ["status"], request)
    return action


# The safety plan ----------------------------------------------------------------------------------------


def safety_plan_change(
    *,
    actor: User,
    person: Person,
    expected_version: int,
    data: Mapping[str, str],
    request: HttpRequest | None = None,
) -> list[str]:
    """Change the co-produced safety plan; returns the names of the fields that changed.

    Raises EditConflict, saving nothing, when someone saved it after `expected_version`.
    """
    acting = _acting(actor, person, request)
    unknown = set(data) - set(SAFETY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown safety plan fields: {', '.join(sorted(unknown))}")
    for name, value in data.items():
        if len(value) > WORDS_MAX:
            raise DomainError("words_too_long", f"This must be {WORDS_MAX} characters or fewer", field=name)
    existing = SafetyPlan.objects.filter(plan__person=person).first()
    changed = [name for name in SAFETY_FIELDS if name in data and getattr(existing, name, "") != data[name]]
    if not changed:
        return []
    now = timezone.now()
    with transaction.atomic():
        plan = plan_for(person=person)
        safety, _ = SafetyPlan.objects.get_or_create(plan=plan)
        save_if_unchanged(
            safety,
            expected_version=expected_version,
            values={**{name: data[name] for name in SAFETY_FIELDS if name in data}, "updated_by": actor},
            what="the safety plan",
            labels=SAFETY_LABELS,
        )
        version = _new_version(
            plan=plan,
            actor=actor,
            summary=_summary(safety_changes({}, {name: data[name] for name in changed})),
            now=now,
        )
        _audit(
            acting,
            person,
            {"changed": "safety plan", "fields": changed, "plan_version": version.number},
            request,
        )
    return changed


# Reviews ------------------------------------------------------------------------------------------------


def review_record(
    *,
    actor: User,
    person: Person,
    held_on: dt.date,
    with_person: bool,
    how_it_is_going: str,
    what_changes: str,
    next_review_due: dt.date,
    request: HttpRequest | None = None,
) -> Review:
    """Record a review of the plan, held with the person, and when to look again."""
    acting = _acting(actor, person, request)
    if acting.own:
        raise audit.refuse(
            actor=actor,
            action=Action.CHANGE,
            person_id=person.pk,
            parts=[PLAN],
            reason="The person's worker records reviews with them",
            request=request,
            message="Your worker records reviews of your plan with you. You can add to your plan and agree to it.",
        )
    today = timezone.localdate()
    if held_on > today:
        raise DomainError("review_in_future", "The date of the review must be today or in the past", field="held_on")
    if next_review_due <= held_on:
        raise DomainError(
            "next_before_review", "The next review must be after the date of this review", field="next_review_due"
        )
    if next_review_due < today:
        raise DomainError("next_in_past", "The next review must be today or in the future", field="next_review_due")
    for name, value in (("how_it_is_going", how_it_is_going), ("what_changes", what_changes)):
        if len(value) > WORDS_MAX:
            raise DomainError("words_too_long", f"This must be {WORDS_MAX} characters or fewer", field=name)
    now = timezone.now()
    with transaction.atomic():
        plan = plan_for(person=person)
        review = Review.objects.create(
            plan=plan,
            held_on=held_on,
            with_person=with_person,
            how_it_is_going=how_it_is_going,
            what_changes=what_changes,
            next_review_due=next_review_due,
            recorded_by=actor,
        )
        Plan.objects.filter(pk=plan.pk).update(review_due=next_review_due)
        plan.review_due = next_review_due
        summary = f"Recorded a review held on {date_text(held_on)}"
        summary += "" if with_person else f", without {person.display_name}"
        summary += f". Next review by {date_text(next_review_due)}"
        version = _new_version(plan=plan, actor=actor, summary=summary, now=now)
        _audit(
            acting,
            person,
            {"added": "review", "review": str(review.pk), "plan_version": version.number},
            request,
        )
    return review


# Agreement ----------------------------------------------------------------------------------------------


def plan_agree(
    *,
    actor: User,
    person: Person,
    how: AgreedHow | str,
    comment: str = "",
    version: int | None = None,
    request: HttpRequest | None = None,
) -> PlanAgreement:
    """Record that the person agreed to their plan as it stands now.

    The person agrees signed in; a worker records that the person agreed in conversation. `version`
    is the version the person read: when the plan changed since, nothing is recorded, so that
    nobody agrees to words they have not seen.
    """
    acting = _acting(actor, person, request)
    try:
        chosen = AgreedHow(how)
    except ValueError:
        raise DomainError("how_missing", "Choose how the person agreed", field="how") from None
    if acting.own and chosen != AgreedHow.SIGNED_IN:
        raise DomainError("agree_signed_in", "When you agree yourself, you agree signed in", field="how")
    if not acting.own and chosen != AgreedHow.IN_CONVERSATION:
        raise DomainError(
            "agree_in_conversation",
            f"Only {person.display_name} can agree signed in. Record that they agreed in conversation",
            field="how",
        )
    if len(comment) > COMMENT_MAX:
        raise DomainError("comment_too_long", f"This must be {COMMENT_MAX} characters or fewer", field="comment")
    plan = Plan.objects.filter(person=person).first()
    if plan is None or plan.version_number == 0:
        raise DomainError("nothing_to_agree", "There is nothing in the plan to agree to yet. Add a goal first")
    if version is not None and version != plan.version_number:
        raise DomainError(
            "plan_changed",
            "The plan changed after this page was opened. Read it again as it is now, then agree",
        )
    if plan.agreements.filter(version_number=plan.version_number).exists():
        raise DomainError(
            "already_agreed",
            "You already agreed to this version of your plan"
            if acting.own
            else f"{person.display_name} already agreed to this version of the plan",
        )
    with transaction.atomic():
        agreement = PlanAgreement.objects.create(
            plan=plan,
            version_number=plan.version_number,
            agreed_at=timezone.now(),
            how=chosen,
            recorded_by=actor,
            comment=comment,
        )
        _audit(
            acting,
            person,
            {"agreed": plan.version_number, "how": chosen.value},
            request,
        )
    return agreement
