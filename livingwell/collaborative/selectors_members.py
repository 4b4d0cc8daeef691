"""What the public pages, the member's home and the list of members read, scoped to who is asking.

Public reads (`public_overview`) return only what is public: open events, decisions in the public log,
the site's groups and the mix of members as counts. Member reads take the viewing member; the list
of members holds only members who chose to be listed. Nothing here reads a person's support record.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from livingwell.network.models import Site

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from livingwell.accounts.models import User

from . import access
from .mix import Mix, mix_of
from .models import (
    PERSPECTIVE_FIELDS,
    ActionPoint,
    ActionStatus,
    Attendance,
    BalconyPlacement,
    Decision,
    DecisionParticipant,
    DecisionStatus,
    FundRound,
    FundStage,
    Group,
    GroupMembership,
    JoinRequest,
    JoinRequestStatus,
    Member,
    Perspective,
    PrincipleRating,
    ReflectionRound,
    Session,
    SessionStatus,
)

UPCOMING_DAYS = 60
PUBLIC_EVENTS = 3
PUBLIC_DECISIONS = 5
ACTIVE_FUND_STAGES = (FundStage.PITCHING, FundStage.PANEL, FundStage.VOTING)
_MIX_FIELDS = ("id", "sector", *PERSPECTIVE_FIELDS.values())


# ---- who is looking -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    member: Member | None
    steward: bool

    @property
    def may_see_members(self) -> bool:
        return self.member is not None or self.steward


def viewer(user: User | AnonymousUser, site: Site) -> Viewer:
    return Viewer(member=access.member_of(user, site), steward=access.is_steward(user, site))


# ---- public ---------------------------------------------------------------------------------------


def current_groups(site: Site) -> QuerySet[Group]:
    today = timezone.localdate()
    return Group.objects.filter(site=site).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))


def upcoming_open_events(site: Site, *, limit: int = PUBLIC_EVENTS) -> list[Session]:
    """Planned open events of the site that have not started yet, soonest first."""
    return list(
        Session.objects.filter(
            group__site=site, is_open_event=True, status=SessionStatus.PLANNED, starts_at__gt=timezone.now()
        )
        .select_related("group", "host_organisation")
        .order_by("starts_at", "id")[:limit]
    )


def latest_public_decisions(site: Site, *, limit: int = PUBLIC_DECISIONS) -> list[Decision]:
    """Decisions made and shown in the public log, newest first."""
    return list(
        Decision.objects.filter(group__site=site, is_public=True, status=DecisionStatus.DECIDED)
        .select_related("group")
        .order_by("-decided_on", "-created_at")[:limit]
    )


def collaborative_mix(site: Site) -> Mix:
    """The mix of all current members, listed or not (counts only)."""
    return mix_of(Member.objects.current().filter(site=site).only(*_MIX_FIELDS))


@dataclass(frozen=True)
class PublicOverview:
    site: Site
    groups: list[Group]
    events: list[Session]
    decisions: list[Decision]
    mix: Mix


def public_overview(site: Site) -> PublicOverview:
    return PublicOverview(
        site=site,
        groups=list(current_groups(site).order_by("kind", "name")),
        events=upcoming_open_events(site),
        decisions=latest_public_decisions(site),
        mix=collaborative_mix(site),
    )


# ---- the member's home ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReflectionStatus:
    round: ReflectionRound
    ratings: int
    placements: int


@dataclass(frozen=True)
class Home:
    member: Member
    places: list[GroupMembership]
    sessions: list[Session]  # each with `my_reply` ("" when not replied)
    actions: list[ActionPoint]
    decisions: list[Decision]
    reflection: ReflectionStatus | None
    fund_round: FundRound | None
    waiting_requests: int | None  # for stewards only
    today: dt.date = field(default_factory=timezone.localdate)


def my_places(member: Member) -> list[GroupMembership]:
    return list(
        GroupMembership.objects.current()
        .filter(member=member)
        .select_related("group")
        .order_by("group__kind", "group__name")
    )


def my_sessions(member: Member, group_ids: list[uuid.UUID], *, days: int = UPCOMING_DAYS) -> list[Session]:
    """Planned sessions of the member's groups and the site's open events in the next `days` days,
    with the member's reply as `my_reply`."""
    now = timezone.now()
    reply = Attendance.objects.filter(session=OuterRef("pk"), member=member).values("reply")[:1]
    return list(
        Session.objects.filter(
            Q(group_id__in=group_ids) | Q(is_open_event=True),
            group__site=member.site,
            status=SessionStatus.PLANNED,
            starts_at__gte=now,
            starts_at__lte=now + dt.timedelta(days=days),
        )
        .select_related("group")
        .annotate(my_reply=Subquery(reply))
        .order_by("starts_at", "id")
    )


def my_open_actions(member: Member) -> list[ActionPoint]:
    """The member's actions still to do, the longest overdue first."""
    return list(
        ActionPoint.objects.filter(owner=member, status=ActionStatus.OPEN)
        .select_related("group")
        .order_by("due_on", "id")
    )


def decisions_waiting_for(member: Member, group_ids: list[uuid.UUID]) -> list[Decision]:
    """Open decisions of the member's groups where they have not yet said where they stand."""
    said = DecisionParticipant.objects.filter(member=member).exclude(stance="").values("decision_id")
    return list(
        Decision.objects.filter(group_id__in=group_ids, status=DecisionStatus.OPEN)
        .exclude(pk__in=said)
        .select_related("group")
        .order_by("created_at", "id")
    )


def _mine(model: type[PrincipleRating | BalconyPlacement], member: Member) -> Coalesce:
    """How many of the round's rows are the member's, as a subquery on the (round, member) index: counting
    both through joins multiplied every rating of the round by every placement before filtering."""
    rows = model.objects.filter(round=OuterRef("pk"), member=member).order_by().values("round")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


def open_reflection(member: Member, today: dt.date) -> ReflectionStatus | None:
    reflection = (
        ReflectionRound.objects.filter(site=member.site, opens_on__lte=today, closes_on__gte=today)
        .annotate(mine_rated=_mine(PrincipleRating, member), mine_placed=_mine(BalconyPlacement, member))
        .order_by("closes_on", "id")
        .first()
    )
    if reflection is None:
        return None
    return ReflectionStatus(
        round=reflection,
        ratings=reflection.mine_rated,  # type: ignore[attr-defined]
        placements=reflection.mine_placed,  # type: ignore[attr-defined]
    )


def current_fund_round(site: Site) -> FundRound | None:
    """The ideas fund round in progress (the one whose pitches close soonest), if any."""
    return FundRound.objects.filter(site=site, stage__in=ACTIVE_FUND_STAGES).order_by("pitches_close_on", "id").first()


def waiting_request_count(site: Site) -> int:
    return JoinRequest.objects.filter(site=site, status=JoinRequestStatus.NEW).count()


def home(member: Member, *, steward: bool) -> Home:
    today = timezone.localdate()
    places = my_places(member)
    group_ids = [place.group_id for place in places]
    return Home(
        member=member,
        places=places,
        sessions=my_sessions(member, group_ids),
        actions=my_open_actions(member),
        decisions=decisions_waiting_for(member, group_ids),
        reflection=open_reflection(member, today),
        fund_round=current_fund_round(member.site),
        waiting_requests=waiting_request_count(member.site) if steward else None,
        today=today,
    )


# ---- members --------------------------------------------------------------------------------------


def listed_members(site: Site, *, perspective: Perspective | None = None) -> list[Member]:
    """Current members who chose to be listed, with their current places in groups (`current_places`)."""
    members = Member.objects.current().filter(site=site, listed=True)
    if perspective is not None:
        members = members.filter(**{PERSPECTIVE_FIELDS[perspective]: True})
    places = Prefetch(
        "group_memberships",
        queryset=GroupMembership.objects.current().select_related("group").order_by("group__name", "id"),
        to_attr="current_places",
    )
    return list(members.prefetch_related(places).order_by("known_as", "id"))


def member_visible_to(site: Site, member_id: uuid.UUID, who: Viewer) -> Member | None:
    """A current member the viewer may see: listed ones, themself, and any for stewards."""
    if not who.may_see_members:
        return None
    member = Member.objects.current().filter(site=site, pk=member_id).first()
    if member is None:
        return None
    if member.listed or who.steward or (who.member is not None and who.member.pk == member.pk):
        return member
    return None


@dataclass(frozen=True)
class MemberDetails:
    member: Member
    places: list[GroupMembership]  # every place, current and past, newest first
    sessions_attended: int


def member_details(member: Member) -> MemberDetails:
    places = list(GroupMembership.objects.filter(member=member).select_related("group"))
    # Current places first, then the newest first.
    places.sort(key=lambda p: (p.ended_on is not None, -p.started_on.toordinal(), p.group.name.lower()))
    attended = Attendance.objects.filter(member=member, attended=True).count()
    return MemberDetails(member=member, places=places, sessions_attended=attended)


def past_membership(user: User | AnonymousUser, site: Site) -> Member | None:
    """The user's membership that ended, if they left (the join page welcomes them back)."""
    if not user.is_authenticated:
        return None
    return Member.objects.filter(site=site, user=user, left_on__isnull=False).first()


def leaving_places(member: Member) -> list[GroupMembership]:
    """The places that end when the member leaves, so the page can say which roles will need someone."""
    return my_places(member)


# ---- join requests --------------------------------------------------------------------------------


def waiting_requests(site: Site) -> list[JoinRequest]:
    return list(JoinRequest.objects.filter(site=site, status=JoinRequestStatus.NEW).order_by("created_at", "id"))


def recently_handled_requests(site: Site, *, limit: int = 20) -> list[JoinRequest]:
    return list(
        JoinRequest.objects.exclude(status=JoinRequestStatus.NEW)
        .filter(site=site)
        .select_related("handled_by")
        .order_by("-handled_at", "-created_at")[:limit]
    )


def join_request(site: Site, request_id: uuid.UUID) -> JoinRequest | None:
    return JoinRequest.objects.filter(site=site, pk=request_id).select_related("handled_by", "member").first()
