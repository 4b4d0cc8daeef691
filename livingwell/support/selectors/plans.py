"""Reads of the Living Well plan, scoped by the access policy and audited as a look at the plan.

Each page asks the database a fixed number of times, however long the plan or its history.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from django.db.models import F, QuerySet
from django.utils import timezone

from livingwell.accounts.models import User
from livingwell.audit import services as audit
from livingwell.audit.models import Action, Part
from livingwell.audit.policy import RecordAccess
from livingwell.people.models import Person, Relationship
from livingwell.people.selectors import PersonPart, person_part
from livingwell.support.models import (
    BigThree,
    Goal,
    GoalStatus,
    Plan,
    PlanAction,
    PlanAgreement,
    PlanVersion,
    Review,
    SafetyPlan,
)
from livingwell.support.services.plans import describe_changes, is_own, workers_for

if TYPE_CHECKING:
    from django.http import HttpRequest

PLAN = Part.PLAN


def plan_part(
    *,
    user: User,
    person_id: uuid.UUID | str,
    change: bool = False,
    shown: bool = True,
    workers_only: bool = False,
    also: tuple[Part, ...] = (),
    request: HttpRequest | None = None,
) -> PersonPart:
    """The person, for a page of their plan: refused and audited when not allowed, the look recorded when shown.

    `workers_only` pages (recording a review) are for the person's team, not for the person themself.
    `also` names other parts the page shows (the network, to choose who does an action), recorded
    with the plan when the viewer may read them.
    """
    found = person_part(user=user, person_id=person_id, part=PLAN, change=change, shown=False, request=request)
    if workers_only and is_own(user, found.person):
        raise audit.refuse(
            actor=user,
            action=Action.CHANGE if change else Action.VIEW,
            person_id=found.person.pk,
            parts=[PLAN],
            reason="The person's worker records reviews with them",
            request=request,
            message="Your worker records reviews of your plan with you. You can add to your plan and agree to it.",
        )
    if shown:
        audit.record(
            actor=user,
            action=Action.VIEW,
            person_id=found.person.pk,
            parts=[PLAN, *(p for p in also if found.access.can_read(p))],
            basis=found.access.basis_for(PLAN, change=change),
            request=request,
        )
    return found


def plan_of(person: Person) -> Plan | None:
    """The person's plan, if one was started (read only after the policy allowed it)."""
    return Plan.objects.filter(person=person).select_related("safety_plan").first()


def safety_plan_of(person: Person) -> SafetyPlan | None:
    return SafetyPlan.objects.filter(plan__person=person).first()


def latest_version(person: Person) -> PlanVersion | None:
    """The plan as it stands now, as its latest version (with the snapshot)."""
    return PlanVersion.objects.filter(plan__person=person).order_by("-number").first()


def goal_of(person: Person, goal_id: uuid.UUID | str) -> Goal:
    """One goal of the person's plan; Goal.DoesNotExist when it is not theirs."""
    return Goal.objects.select_related("plan__person__site", "created_by", "updated_by").get(
        pk=goal_id, plan__person=person
    )


def action_of(person: Person, action_id: uuid.UUID | str) -> PlanAction:
    """One action of the person's plan; PlanAction.DoesNotExist when it is not theirs."""
    return PlanAction.objects.select_related(
        "plan__person__site", "created_by", "updated_by", "owner_worker", "owner_relationship"
    ).get(pk=action_id, plan__person=person)


def goals_to_link(person: Person, *, keep: uuid.UUID | None = None) -> QuerySet[Goal]:
    """The goals an action can be for: those being worked on, and the one it is already for."""
    goals = Goal.objects.filter(plan__person=person)
    wanted = goals.filter(status=GoalStatus.WORKING_ON)
    if keep is not None:
        wanted = wanted | goals.filter(pk=keep)
    return wanted.order_by("position", "created_at")


def owner_choices(
    person: Person, *, keep_worker: uuid.UUID | None = None
) -> tuple[QuerySet[User], QuerySet[Relationship]]:
    """Who can own an action: a worker from the person's team (or the worker who owns it already, who
    may since have left the team), or someone from their own network."""
    workers = workers_for(person)
    if keep_worker is not None:
        workers = (workers | User.objects.filter(pk=keep_worker)).distinct()
    return workers, person.relationships.order_by("name")


def agreement_to(person: Person, number: int) -> PlanAgreement | None:
    """The person's agreement to one version of their plan, if they gave it."""
    return PlanAgreement.objects.filter(plan__person=person, version_number=number).order_by("agreed_at").first()


# The plan page ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalGroup:
    """The goals for one of the Big Three outcomes."""

    outcome: BigThree
    goals: list[Goal]


AgreementKind = Literal["agreed", "changed", "none"]


@dataclass(frozen=True)
class AgreementState:
    """Whether the person agreed to their plan as it stands now."""

    kind: AgreementKind
    latest: PlanAgreement | None
    current_version: int


def agreement_state(plan: Plan | None, latest: PlanAgreement | None) -> AgreementState:
    version = plan.version_number if plan else 0
    if latest is None:
        return AgreementState("none", None, version)
    return AgreementState("agreed" if latest.version_number == version else "changed", latest, version)


@dataclass
class PlanPage:
    person: Person
    access: RecordAccess
    own: bool
    plan: Plan | None
    goals: list[Goal] = field(default_factory=list)
    groups: list[GoalGroup] = field(default_factory=list)
    actions: list[PlanAction] = field(default_factory=list)
    safety_plan: SafetyPlan | None = None
    reviews: list[Review] = field(default_factory=list)
    agreement: AgreementState = field(default_factory=lambda: AgreementState("none", None, 0))
    last_version: PlanVersion | None = None

    @property
    def latest_review(self) -> Review | None:
        return self.reviews[0] if self.reviews else None

    @property
    def review_overdue(self) -> bool:
        return bool(self.plan and self.plan.review_due and self.plan.review_due < timezone.localdate())

    @property
    def can_change(self) -> bool:
        return self.access.can_change(PLAN)

    @property
    def can_review(self) -> bool:
        return self.can_change and not self.own

    @property
    def started(self) -> bool:
        """Something has been written in the plan."""
        return self.plan is not None and self.plan.version_number > 0


def _actions(plan: Plan) -> list[PlanAction]:
    return list(
        plan.actions.select_related("owner_worker", "owner_relationship", "created_by").order_by(
            F("due").asc(nulls_last=True), "created_at"
        )
    )


def plan_page(*, user: User, person_id: uuid.UUID | str, request: HttpRequest | None = None) -> PlanPage:
    """The plan as it stands: goals by Big Three, actions with who does them, the safety plan, reviews
    and whether the person agreed to it. Audited as a look at the plan."""
    found = person_part(user=user, person_id=person_id, part=PLAN, request=request)
    person = found.person
    plan = plan_of(person)
    page = PlanPage(person=person, access=found.access, own=is_own(user, person), plan=plan)
    if plan is None:
        return page
    page.goals = list(plan.goals.select_related("created_by").order_by("position", "created_at"))
    page.groups = [GoalGroup(outcome, [g for g in page.goals if g.outcome == outcome]) for outcome in BigThree]
    page.actions = _actions(plan)
    page.safety_plan = getattr(plan, "safety_plan", None)
    page.reviews = list(plan.reviews.select_related("recorded_by").order_by("-held_on", "-created_at"))
    page.agreement = agreement_state(plan, plan.agreements.select_related("recorded_by").first())
    page.last_version = plan.versions.defer("snapshot").order_by("-number").first()
    return page


# Versions -----------------------------------------------------------------------------------------------


@dataclass
class PlanVersions:
    person: Person
    access: RecordAccess
    own: bool
    plan: Plan | None
    versions: list[PlanVersion]
    # The agreements to each version, by version number.
    agreements: dict[int, list[PlanAgreement]]


def plan_versions(*, user: User, person_id: uuid.UUID | str, request: HttpRequest | None = None) -> PlanVersions:
    """Every version of the plan, newest first (without their snapshots), and which were agreed."""
    found = person_part(user=user, person_id=person_id, part=PLAN, request=request)
    person = found.person
    plan = Plan.objects.filter(person=person).first()
    versions: list[PlanVersion] = []
    agreements: dict[int, list[PlanAgreement]] = {}
    if plan is not None:
        versions = list(plan.versions.defer("snapshot").order_by("-number"))
        for agreement in plan.agreements.order_by("agreed_at"):
            agreements.setdefault(agreement.version_number, []).append(agreement)
    return PlanVersions(person, found.access, is_own(user, person), plan, versions, agreements)


@dataclass
class PlanVersionDetail:
    person: Person
    access: RecordAccess
    own: bool
    version: PlanVersion
    previous: PlanVersion | None
    # What changed from the version before, one plain sentence each.
    changes: list[str]
    agreements: list[PlanAgreement]
    latest_number: int


def plan_version(
    *, user: User, person_id: uuid.UUID | str, number: int, request: HttpRequest | None = None
) -> PlanVersionDetail:
    """One version: what the plan said, who changed what and when, and what changed from the one before.

    Raises PlanVersion.DoesNotExist (after the access check) when there is no such version.
    """
    found = person_part(user=user, person_id=person_id, part=PLAN, request=request)
    person = found.person
    pair = list(
        PlanVersion.objects.filter(plan__person=person, number__in=[number, number - 1])
        .select_related("plan")
        .order_by("-number")
    )
    if not pair or pair[0].number != number:
        raise PlanVersion.DoesNotExist(f"No version {number}")
    version = pair[0]
    previous = pair[1] if len(pair) > 1 else None
    return PlanVersionDetail(
        person=person,
        access=found.access,
        own=is_own(user, person),
        version=version,
        previous=previous,
        changes=describe_changes(previous.snapshot if previous else None, version.snapshot),
        agreements=list(
            version.plan.agreements.filter(version_number=number).select_related("recorded_by").order_by("agreed_at")
        ),
        latest_number=version.plan.version_number,
    )
