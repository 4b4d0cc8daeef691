"""The team huddle board: who the team needs to talk about today, in a fixed number of queries.

Sections (each open support period of the team can be in several):

- **New since last huddle**: periods that started since the previous huddle began (the last 7 days
  when the team has not met before), marking those who came back;
- **Waiting for a worker**: open periods without a worker, longest first, with what the person asked for;
- **Plans due for review**: the person's Living Well plan is due for review today or before, or there is
  no plan yet after 4 weeks of support;
- **Not seen for N weeks** (N is the site's `weeks_before_not_seen_flag`): no contact that took place
  for N weeks, longest first (someone whose support started less than N weeks ago is not listed);
- **Urgent**: open urgent flags;
- **Asked for a change of worker**: requests waiting for an answer.

Each section shows at most `SECTION_LIMIT` people and says how many there are in all. Everyone listed
is audited as seen in a list by the team.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from livingwell.audit import services as audit
from livingwell.audit.models import Action, Basis, Part
from livingwell.people.models import Person
from livingwell.support.models import (
    Allocation,
    ChangeRequestStatus,
    Contact,
    ContactStatus,
    Flag,
    Huddle,
    HuddleDecision,
    HuddleTopic,
    SupportPeriod,
    WorkerChangeRequest,
)
from livingwell.support.selectors import is_team_leader, is_team_member
from livingwell.support.services.huddle import start_of_today

if TYPE_CHECKING:
    from django.http import HttpRequest

    from livingwell.accounts.models import User
    from livingwell.network.models import Team

SECTION_LIMIT = 100
NEW_WITHOUT_HUDDLE_DAYS = 7
PLAN_EXPECTED_AFTER_DAYS = 28
BOARD_PARTS = (Part.IDENTITY, Part.SUPPORT)


@dataclass(frozen=True)
class DecisionLine:
    period_id: uuid.UUID
    person_name: str
    topic: HuddleTopic
    decision: str
    by: str
    at: dt.datetime


@dataclass
class BoardRow:
    """One person in one section of the board, with what that section is about."""

    period_id: uuid.UUID
    person_id: uuid.UUID
    name: str
    started_at: dt.datetime
    worker: str | None
    came_back: bool = False
    wanted_kind: str = ""  # a WorkerKind value
    wanted_worker: str | None = None
    wanted_note: str = ""
    review_due: dt.date | None = None
    has_plan: bool = True
    last_seen: dt.datetime | None = None
    flag_id: uuid.UUID | None = None
    flag_reason: str = ""
    raised_by: str = ""
    raised_at: dt.datetime | None = None
    request_id: uuid.UUID | None = None
    asked_at: dt.datetime | None = None
    asked_by_person: bool = False
    reason: str = ""
    decisions: list[DecisionLine] = field(default_factory=list)


@dataclass
class BoardSection:
    key: str  # also the huddle topic it brings up
    title: str
    rows: list[BoardRow]
    total: int


@dataclass
class HuddleBoard:
    team: Team
    huddle: Huddle | None  # today's huddle, once started
    since: dt.datetime
    since_last_huddle: bool  # False: the last 7 days, because the team has not met before
    weeks_not_seen: int
    sections: list[BoardSection]
    decisions: list[DecisionLine]  # of today's huddle, in the order they were taken
    is_team_leader: bool
    today: dt.date

    @property
    def people(self) -> int:
        return len({r.person_id for s in self.sections for r in s.rows})


def _worker_name(period_ref: str = "pk") -> Subquery:
    """The name of the period's current worker (their display name, else their email), or None."""
    current = Allocation.objects.filter(support_period=OuterRef(period_ref), ended_at__isnull=True).annotate(
        name=Coalesce(NullIf(F("worker__display_name"), Value("")), F("worker__email"), output_field=CharField())
    )
    return Subquery(current.values("name")[:1])


def _open_periods(team: Team) -> QuerySet[SupportPeriod]:
    return (
        SupportPeriod.objects.filter(team=team, ended_at__isnull=True)
        .select_related("person")
        .annotate(worker_name=_worker_name(), section_total=Window(Count("pk")))
    )


def _rows(queryset: QuerySet[Any]) -> tuple[list[Any], int]:
    rows = list(queryset[:SECTION_LIMIT])
    return rows, (rows[0].section_total if rows else 0)


def _row(period: SupportPeriod, **extra: Any) -> BoardRow:
    return BoardRow(
        period_id=period.pk,
        person_id=period.person_id,
        name=period.person.display_name,
        started_at=period.started_at,
        worker=getattr(period, "worker_name", None) or None,
        **extra,
    )


def huddle_board(*, user: User, team: Team, request: HttpRequest | None = None) -> HuddleBoard:
    """The huddle board of `team` for a worker of the team (refused and audited for anyone else).

    `team.site` is read for the site's settings: pass a team with its site selected.
    """
    if not is_team_member(user, team.pk):
        raise audit.refuse(
            actor=user,
            action=Action.LIST,
            reason=f"Not a worker of {team.name}",
            request=request,
            message=f"Only workers of {team.name} can see its huddle.",
        )
    now = timezone.now()
    today_starts = start_of_today(now)
    today = timezone.localdate(now)
    recent = list(Huddle.objects.filter(team=team).select_related("started_by").order_by("-started_at")[:2])
    current = recent[0] if recent and recent[0].started_at >= today_starts else None
    previous = recent[1] if current and len(recent) > 1 else (recent[0] if recent and not current else None)
    since = previous.started_at if previous else now - dt.timedelta(days=NEW_WITHOUT_HUDDLE_DAYS)
    weeks = team.site.weeks_before_not_seen_flag
    not_seen_since = now - dt.timedelta(weeks=weeks)

    new, new_total = _rows(_open_periods(team).filter(started_at__gte=since).order_by("started_at", "pk"))
    waiting, waiting_total = _rows(
        _open_periods(team)
        .exclude(Exists(Allocation.objects.filter(support_period=OuterRef("pk"), ended_at__isnull=True)))
        .select_related("wanted_worker")
        .order_by("started_at", "pk")
    )
    no_plan = Q(person__plan__isnull=True) | Q(person__plan__version_number=0)
    reviews, reviews_total = _rows(
        _open_periods(team)
        .filter(
            Q(person__plan__review_due__lte=today)
            | (no_plan & Q(started_at__lte=now - dt.timedelta(days=PLAN_EXPECTED_AFTER_DAYS)))
        )
        .annotate(review_due=F("person__plan__review_due"), plan_versions=F("person__plan__version_number"))
        .order_by(F("review_due").asc(nulls_first=True), "started_at", "pk")
    )
    last_held = Contact.objects.filter(person_id=OuterRef("person_id"), status=ContactStatus.HELD).order_by(
        "-occurred_at"
    )
    not_seen, not_seen_total = _rows(
        _open_periods(team)
        .annotate(last_seen=Subquery(last_held.values("occurred_at")[:1]))
        .filter(Q(last_seen__lt=not_seen_since) | Q(last_seen__isnull=True, started_at__lt=not_seen_since))
        .order_by(F("last_seen").asc(nulls_first=True), "started_at", "pk")
    )
    flags, flags_total = _rows(
        Flag.objects.filter(support_period__team=team, support_period__ended_at__isnull=True, cleared_at__isnull=True)
        .select_related("support_period__person", "raised_by")
        .annotate(
            worker_name=_worker_name("support_period_id"),
            section_total=Window(Count("pk")),
        )
        .order_by("raised_at", "pk")
    )
    changes, changes_total = _rows(
        WorkerChangeRequest.objects.filter(
            support_period__team=team, support_period__ended_at__isnull=True, status=ChangeRequestStatus.OPEN
        )
        .select_related("support_period__person", "wanted_worker", "asked_by")
        .annotate(
            worker_name=_worker_name("support_period_id"),
            section_total=Window(Count("pk")),
        )
        .order_by("asked_at", "pk")
    )
    decisions: list[DecisionLine] = []
    if current is not None:
        decisions = [
            DecisionLine(
                period_id=d.support_period_id,
                person_name=d.support_period.person.display_name,
                topic=HuddleTopic(d.topic),
                decision=d.decision,
                by=d.recorded_by.name if d.recorded_by else "",
                at=d.recorded_at,
            )
            for d in HuddleDecision.objects.filter(huddle=current)
            .select_related("support_period__person", "recorded_by")
            .order_by("recorded_at", "pk")
        ]
    by_period: dict[uuid.UUID, list[DecisionLine]] = {}
    for line in decisions:
        by_period.setdefault(line.period_id, []).append(line)

    def with_worker(row: BoardRow, worker_name: str | None) -> BoardRow:
        row.worker = worker_name or None
        return row

    sections = [
        BoardSection(
            HuddleTopic.NEW.value,
            "New since last huddle",
            [_row(p, came_back=p.resumed_from_id is not None) for p in new],
            new_total,
        ),
        BoardSection(
            HuddleTopic.WAITING.value,
            "Waiting for a worker",
            [
                _row(
                    p,
                    wanted_kind=p.wanted_kind,
                    wanted_worker=p.wanted_worker.name if p.wanted_worker else None,
                    wanted_note=p.wanted_note,
                )
                for p in waiting
            ],
            waiting_total,
        ),
        BoardSection(
            HuddleTopic.REVIEW.value,
            "Plans due for review",
            [
                _row(p, review_due=p.review_due, has_plan=bool(p.plan_versions))  # type: ignore[attr-defined]
                for p in reviews
            ],
            reviews_total,
        ),
        BoardSection(
            HuddleTopic.NOT_SEEN.value,
            f"Not seen for {weeks} {'week' if weeks == 1 else 'weeks'}",
            [_row(p, last_seen=p.last_seen) for p in not_seen],  # type: ignore[attr-defined]
            not_seen_total,
        ),
        BoardSection(
            HuddleTopic.URGENT.value,
            "Urgent",
            [
                with_worker(
                    _row(
                        f.support_period,
                        flag_id=f.pk,
                        flag_reason=f.reason,
                        raised_by=f.raised_by.name if f.raised_by else "",
                        raised_at=f.raised_at,
                    ),
                    f.worker_name,  # type: ignore[attr-defined]
                )
                for f in flags
            ],
            flags_total,
        ),
        BoardSection(
            HuddleTopic.CHANGE.value,
            "Asked for a change of worker",
            [
                with_worker(
                    _row(
                        r.support_period,
                        request_id=r.pk,
                        asked_at=r.asked_at,
                        asked_by_person=r.asked_by_id is not None and r.asked_by_id == r.support_period.person.user_id,
                        wanted_kind=r.wanted_kind,
                        wanted_worker=r.wanted_worker.name if r.wanted_worker else None,
                        reason=r.reason,
                    ),
                    r.worker_name,  # type: ignore[attr-defined]
                )
                for r in changes
            ],
            changes_total,
        ),
    ]
    for section in sections:
        for row in section.rows:
            row.decisions = by_period.get(row.period_id, [])

    shown: dict[uuid.UUID, None] = {}
    for section in sections:
        for row in section.rows:
            shown.setdefault(row.person_id)
    audit.record_many(
        actor=user,
        action=Action.LIST,
        people=[(person_id, Basis.TEAM) for person_id in shown],
        parts=BOARD_PARTS,
        detail={"list": f"huddle of {team.name}"},
        request=request,
    )
    return HuddleBoard(
        team=team,
        huddle=current,
        since=since,
        since_last_huddle=previous is not None,
        weeks_not_seen=weeks,
        sections=sections,
        decisions=decisions,
        is_team_leader=is_team_leader(user, team.pk),
        today=today,
    )


@dataclass(frozen=True)
class DecisionPage:
    huddle: Huddle
    period: SupportPeriod
    person: Person
    decisions: list[DecisionLine]  # already taken today about this person


def decision_page(
    *,
    user: User,
    huddle_id: uuid.UUID | str,
    period_id: uuid.UUID | str,
    shown: bool = True,
    request: HttpRequest | None = None,
) -> DecisionPage:
    """A huddle and one person the team supports, for recording a decision (a worker of the team only).

    Raises Huddle.DoesNotExist or SupportPeriod.DoesNotExist for unknown ids, or a period of another team.
    """
    huddle = Huddle.objects.select_related("team").get(pk=huddle_id)
    period = SupportPeriod.objects.select_related("person", "team").get(pk=period_id)
    if not is_team_member(user, huddle.team_id):
        raise audit.refuse(
            actor=user,
            action=Action.VIEW if shown else Action.CREATE,
            person_id=period.person_id,
            parts=[Part.SUPPORT],
            reason=f"Not a worker of {huddle.team.name}",
            request=request,
            message=f"Only workers of {huddle.team.name} can record its huddle's decisions.",
        )
    if period.team_id != huddle.team_id:
        raise SupportPeriod.DoesNotExist("Not a person this team supports")
    decisions = [
        DecisionLine(
            period_id=d.support_period_id,
            person_name=period.person.display_name,
            topic=HuddleTopic(d.topic),
            decision=d.decision,
            by=d.recorded_by.name if d.recorded_by else "",
            at=d.recorded_at,
        )
        for d in HuddleDecision.objects.filter(huddle=huddle, support_period=period)
        .select_related("recorded_by")
        .order_by("recorded_at", "pk")
    ]
    if shown:
        audit.record(
            actor=user,
            action=Action.VIEW,
            person_id=period.person_id,
            parts=[Part.IDENTITY, Part.SUPPORT],
            basis=Basis.TEAM if period.is_open else None,
            request=request,
        )
    return DecisionPage(huddle=huddle, period=period, person=period.person, decisions=decisions)
