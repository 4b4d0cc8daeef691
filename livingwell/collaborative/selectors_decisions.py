"""Reading decisions, scoped to who asks.

- Members read the decisions of their groups and of the whole Collaborative, and any public decision
  of another group; a decision kept out of the public log only by its group's members and the stewards.
- Anyone reads the public decisions log: decisions that are decided and public, nothing else.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from livingwell.collaborative.decisions import AGREED_RESULTS
from livingwell.collaborative.mix import percent
from livingwell.collaborative.models import (
    ActionPoint,
    ConsentLevel,
    Decision,
    DecisionOption,
    DecisionParticipant,
    DecisionStatus,
    Group,
    GroupKind,
    GroupMembership,
    Member,
    Session,
    Story,
    StoryStatus,
)
from livingwell.network.models import Site

LOG_PAGE_SIZE = 25
LIST_PAGE_SIZE = 25


def _group_ids(member: Member | None) -> QuerySet[GroupMembership]:
    return GroupMembership.objects.current().filter(member=member).values("group_id")  # type: ignore[return-value]


def readable(member: Member | None, site: Site, *, steward: bool) -> QuerySet[Decision]:
    """Every decision of `site` that the viewer may read (see `decisions.may_read`); stewards read all."""
    decisions = Decision.objects.filter(group__site=site)
    if steward:
        return decisions
    if member is None:
        return decisions.none()
    return decisions.filter(
        Q(is_public=True) | Q(group__kind=GroupKind.COLLABORATIVE) | Q(group_id__in=_group_ids(member))
    )


def _with_counts(decisions: QuerySet[Decision], member: Member | None) -> QuerySet[Decision]:
    """Each decision with how many have said where they stand and the member's own stance, counted by
    subqueries on the participants' index rather than a join and GROUP BY over every readable decision
    (which at 2,000 decisions made a page of 25 cost 20 times more)."""
    mine = DecisionParticipant.objects.filter(decision=OuterRef("pk"), member=member)
    said = (
        DecisionParticipant.objects.filter(decision=OuterRef("pk"))
        .exclude(stance="")
        .order_by()
        .values("decision")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return decisions.select_related("group", "chosen_option").annotate(
        said_count=Coalesce(Subquery(said, output_field=IntegerField()), 0),
        my_stance=Subquery(mine.values("stance")[:1]),
    )


def open_for(member: Member, site: Site, *, group: Group | None = None) -> list[Decision]:
    """Open decisions where `member` can say where they stand: in their groups and the whole Collaborative."""
    decisions = Decision.objects.filter(group__site=site, status=DecisionStatus.OPEN).filter(
        Q(group__kind=GroupKind.COLLABORATIVE) | Q(group_id__in=_group_ids(member))
    )
    if group is not None:
        decisions = decisions.filter(group=group)
    return list(_with_counts(decisions, member).order_by("-created_at", "id"))


def closed_for(member: Member | None, site: Site, *, steward: bool, group: Group | None = None) -> QuerySet[Decision]:
    """Decided and withdrawn decisions the viewer may read, the latest first."""
    decisions = readable(member, site, steward=steward).exclude(status=DecisionStatus.OPEN)
    if group is not None:
        decisions = decisions.filter(group=group)
    return _with_counts(decisions, member).order_by(F("decided_on").desc(nulls_last=True), "-updated_at", "id")


def filter_groups(member: Member | None, site: Site, *, steward: bool) -> list[Group]:
    """The groups with decisions the viewer may read, for the filter."""
    ids = readable(member, site, steward=steward).values("group_id")
    return list(Group.objects.filter(pk__in=ids).order_by("name"))


def group_of(site: Site, group_id: uuid.UUID | str | None) -> Group | None:
    if not group_id:
        return None
    try:
        return Group.objects.filter(site=site, pk=uuid.UUID(str(group_id))).first()
    except ValueError:
        return None


def decision(decision_id: uuid.UUID) -> Decision | None:
    return (
        Decision.objects.select_related(
            "group", "group__site", "session", "proposed_by", "recorded_by", "chosen_option", "updated_by"
        )
        .filter(pk=decision_id)
        .first()
    )


@dataclass(frozen=True)
class DecisionParts:
    options: list[DecisionOption]
    participants: list[DecisionParticipant]
    actions: list[ActionPoint]
    stories: list[Story]
    group_size: int


def _stories(decision: Decision, member: Member | None, *, public: bool) -> list[Story]:
    stories = decision.stories.filter(status=StoryStatus.SHARED)
    if public:
        stories = stories.filter(consent_level=ConsentLevel.PUBLIC)
    else:
        stories = stories.filter(
            Q(consent_level__in=(ConsentLevel.PUBLIC, ConsentLevel.COLLABORATIVE))
            | Q(consent_level=ConsentLevel.TEAM, group_id__in=_group_ids(member))
        )
    return list(stories.order_by("-gathered_on", "id"))


def group_size(group: Group) -> int:
    """How many may say where they stand on the group's decisions."""
    if group.kind == GroupKind.COLLABORATIVE:
        return Member.objects.current().filter(site_id=group.site_id).count()
    return GroupMembership.objects.current().filter(group=group, member__left_on__isnull=True).count()


def parts_of(decision: Decision, member: Member | None = None, *, public: bool = False) -> DecisionParts:
    """What a decision's page shows beside the decision: options, who took part, actions and stories."""
    options = list(decision.options.all())
    participants = list(decision.participants.select_related("member", "option").order_by("created_at", "id"))
    actions = list(decision.actions.select_related("owner").order_by("due_on", "id"))
    return DecisionParts(
        options=options,
        participants=participants,
        actions=actions,
        stories=_stories(decision, member, public=public),
        group_size=0 if public else group_size(decision.group),
    )


def sessions_of(group: Group) -> list[Session]:
    """The group's sessions a decision can be linked to, the latest first."""
    return list(Session.objects.filter(group=group).order_by("-starts_at", "id")[:50])


def options_of(decision: Decision) -> list[DecisionOption]:
    return list(decision.options.all())


def participants_of(decision: Decision) -> list[Member]:
    return list(Member.objects.filter(decisions_taken_part__decision=decision))


def current_members(site: Site) -> list[Member]:
    return list(Member.objects.current().filter(site=site).order_by("known_as", "id"))


# ---- the public decisions log -------------------------------------------------------------------


def public_log(site: Site, *, group: Group | None = None, year: int | None = None) -> QuerySet[Decision]:
    """Decided public decisions, the newest first."""
    decisions = Decision.objects.filter(group__site=site, is_public=True, status=DecisionStatus.DECIDED)
    if group is not None:
        decisions = decisions.filter(group=group)
    if year is not None:
        decisions = decisions.filter(decided_on__year=year)
    return decisions.select_related("group", "chosen_option").order_by("-decided_on", "-created_at", "id")


def public_decision(site: Site | None, decision_id: uuid.UUID) -> Decision | None:
    if site is None:
        return None
    return public_log(site).select_related("session", "chosen_option").filter(pk=decision_id).first()


def log_groups(site: Site) -> list[Group]:
    return list(Group.objects.filter(pk__in=public_log(site).values("group_id")).order_by("name"))


def log_years(site: Site) -> list[int]:
    return sorted({d.year for d in public_log(site).order_by().dates("decided_on", "year")}, reverse=True)


def year_before(today: dt.date) -> dt.date:
    """The same day a year ago (28 February for 29 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


@dataclass(frozen=True)
class LogTotals:
    decisions: int
    median_share: int | None  # the median share of participants with lived experience, in whole %
    money_agreed: Decimal
    since: dt.date


def median_share(pairs: list[tuple[int, int]]) -> int | None:
    """The median of (lived experience, participants) shares, as a whole percentage (halves rounded up);
    decisions with no one counted are left out."""
    shares = sorted(Fraction(lived, total) for lived, total in pairs if total > 0)
    if not shares:
        return None
    middle = len(shares) // 2
    median = shares[middle] if len(shares) % 2 else (shares[middle - 1] + shares[middle]) / 2
    return percent(median.numerator, median.denominator)


def log_totals(site: Site, today: dt.date) -> LogTotals:
    """The public log's last 12 months: how many decisions, the median share of lived experience, and
    the money in the decisions that were agreed."""
    since = year_before(today)
    recent = public_log(site).filter(decided_on__gt=since, decided_on__lte=today)
    pairs = list(recent.values_list("lived_experience_count", "participant_count"))
    money = recent.filter(result__in=AGREED_RESULTS).aggregate(total=Sum("money"))["total"] or Decimal("0")
    return LogTotals(decisions=len(pairs), median_share=median_share(pairs), money_agreed=money, since=since)
