"""A year of the Collaborative's life on the synthetic site.

Members of every kind (some of them staff of the network, some people with lived experience, carers,
commissioners and citizens, and the demo person under a name of their own choosing), the groups the
Living Well sites built (the Collaborative, Design Teams, a Prototyping Team and Lab, a Governance
group, a Community of practice and a neighbourhood collaborative) with roles that changed hands, monthly
open breakfasts hosted in turn by the partners, attendance, notes and actions, decisions with who took
part and how, prototypes tested in plan-do-study-act cycles, stories with consent, three yearly
reflections on the co-production principles and the relational-or-mechanistic balcony exercise, and
three rounds of the ideas fund. Deterministic for a seed and a day.

Two demo sign-ins come with it: the Collaborative's chair and a member with lived experience, who have
no staff role and no support record (`COLLABORATIVE_SIGN_INS`).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q

from livingwell.accounts.models import User
from livingwell.collaborative import awards
from livingwell.collaborative.balcony import BY_KEY
from livingwell.collaborative.models import (
    ActionPoint,
    ActionStatus,
    ActionStep,
    ApprovalVote,
    Attendance,
    BalconyPlacement,
    ConsentLevel,
    Cycle,
    CycleAct,
    CycleStage,
    Decision,
    DecisionMethod,
    DecisionOption,
    DecisionParticipant,
    DecisionResult,
    DecisionStatus,
    Figure,
    FundPanelist,
    FundRound,
    FundStage,
    Group,
    GroupKind,
    GroupMembership,
    GroupRole,
    Insight,
    JoinRequest,
    Member,
    ParticipantRole,
    Perspective,
    Pitch,
    PitchStatus,
    Principle,
    PrincipleRating,
    PrincipleView,
    Prototype,
    PrototypeStatus,
    ReflectionRound,
    Reply,
    Session,
    SessionStatus,
    Stance,
    Story,
    StoryKind,
    StoryStatus,
    Theme,
)
from livingwell.collaborative.stories import places_for, run_check, words_hash
from livingwell.core.synthetic import data
from livingwell.core.synthetic.demo import DEMO_DOMAIN
from livingwell.network.models import Locality, Membership, Organisation, Role, Sector, Site

LONDON = ZoneInfo("Europe/London")
BALCONY_KEYS = tuple(BY_KEY)  # the rows of the relational-or-mechanistic table (seed 000)


@dataclass(frozen=True)
class CollaborativeSignIn:
    email: str
    label: str
    given_name: str
    family_name: str
    known_as: str


COLLABORATIVE_CHAIR = CollaborativeSignIn(
    f"chair@{DEMO_DOMAIN}", "Chair of the Collaborative", "Denise", "Osei", "Denise O."
)
COLLABORATIVE_MEMBER = CollaborativeSignIn(
    f"member@{DEMO_DOMAIN}", "Collaborative member with lived experience", "Leon", "Baptiste", "Leon"
)
COLLABORATIVE_SIGN_INS = (COLLABORATIVE_CHAIR, COLLABORATIVE_MEMBER)
DEMO_PERSON_KNOWN_AS = "Jay"  # the demo person (Jordan Clarke) is known by this name in the Collaborative


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def _action(added_at: dt.datetime, by: Member, **fields: Any) -> ActionPoint:
    """An action with its history: added after the session, then done or dropped by its owner."""
    action = ActionPoint.objects.create(**fields)
    steps = [ActionStep(action=action, at=added_at, by=by, added=True, status=ActionStatus.OPEN)]
    if action.done_on is not None:
        at = max(added_at, _at(action.done_on, 17))
        steps.append(ActionStep(action=action, at=at, by=action.owner, status=action.status, note=action.outcome))
    ActionStep.objects.bulk_create(steps)
    return action


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _months(start: dt.date, count: int) -> list[tuple[int, int]]:
    out = []
    year, month = start.year, start.month
    for _ in range(count):
        out.append((year, month))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


GROUPS: tuple[tuple[str, str, str, int, str], ...] = (
    # kind, name, purpose, size (besides the whole), locality name or ""
    (GroupKind.DESIGN_TEAM, "Front door Design Team",
     "Co-designs how people find and start with Living Well: introductions, the first conversation and the wait.",
     14, ""),
    (GroupKind.DESIGN_TEAM, "Peer support Design Team",
     "Co-designs peer support across the network: paid and voluntary roles, training and supervision.", 12, ""),
    (GroupKind.PROTOTYPING_TEAM, "Welcome Prototyping Team",
     "Tests new ways of welcoming people, fast and small, and brings what it learns to the Lab.", 8, ""),
    (GroupKind.PROTOTYPING_LAB, "Prototyping Lab",
     "Where every Prototyping Team brings what it tried and what it learnt, so that the whole network learns.", 10,
     ""),
    (GroupKind.GOVERNANCE, "Living Well Governance group",
     "Holds the network to its shared purpose and decides how the pooled money is spent, in the open.", 9, ""),
    (GroupKind.COMMUNITY_OF_PRACTICE, "Peer support community of practice",
     "Peer workers and volunteers sharing practice, supervision and what keeps them well.", 15, ""),
    (GroupKind.NEIGHBOURHOOD, "North Lambeth neighbourhood collaborative",
     "Neighbours, groups and services in North Lambeth building community support together.", 11, "North Lambeth"),
)  # fmt: skip

SESSION_PLANS: dict[str, tuple[str, int, int, int, str]] = {
    # kind: (title, weekday, nth week, start hour, place)
    GroupKind.DESIGN_TEAM: ("{name} meeting", 2, 1, 18, "Brixton Library, Brixton Oval"),
    GroupKind.PROTOTYPING_TEAM: ("Prototyping Team check-in", 3, 2, 10, "The Hub, 1 Acre Lane"),
    GroupKind.PROTOTYPING_LAB: ("Prototyping Lab", 3, 4, 14, "Brixton Community Wellbeing, Coldharbour Lane"),
    GroupKind.GOVERNANCE: ("Governance group meeting", 0, 3, 14, "Lambeth Town Hall, Brixton Hill"),
    GroupKind.COMMUNITY_OF_PRACTICE: ("Peer practice circle", 4, 3, 13, "Southside Recovery Collective, Stockwell Road"),
    GroupKind.NEIGHBOURHOOD: ("Neighbourhood get-together", 5, 2, 11, "Kennington Park community room"),
}  # fmt: skip

NOTES = (
    "We went round the room: what has gone well since last time, and what has been hard.",
    "Two people new to the group introduced themselves; buddies were paired with them.",
    "We looked at the waiting figures together and at three stories gathered this month.",
    "We agreed to try the idea for four weeks and bring what we learn to the Lab.",
    "There was a long discussion about paid and voluntary peer roles; views differed and are noted.",
    "We used plain words throughout, and the jargon list was updated.",
)
ACTIONS = (
    "Write up the notes in plain English and share them with the group",
    "Ask the Hub team what they think of the new welcome leaflet",
    "Book the room for the next three meetings",
    "Invite the GP practice managers to the next open breakfast",
    "Gather two more stories from people who waited longer than four weeks",
    "Find out what peer workers are paid across the partners",
    "Draft the questions for the next reflection",
    "Talk to the library about a weekly drop-in",
    "Bring the figures on first conversations to the Lab",
    "Check that the venue has step-free access and a hearing loop",
)
DECISIONS: tuple[tuple[str, str, str, str, int, str, tuple[str, ...]], ...] = (
    # group kind, title, proposal, method, money (£), why, options
    (GroupKind.COLLABORATIVE, "Hold the open breakfast in a different partner's place each month",
     "Rotate the monthly open breakfast between the partners so that more people meet the Collaborative where they are.",
     DecisionMethod.CONSENT, 0, "More connections, and we stop relying on a few people to host.", ()),
    (GroupKind.COLLABORATIVE, "Pay people with lived experience for their time at Design Teams",
     "Offer £20 an hour (or a voucher) to members with lived experience for Design Team meetings and preparation.",
     DecisionMethod.CONSENSUS, 6000, "Expertise by experience is expertise; paying for it is fair.", ()),
    (GroupKind.GOVERNANCE, "Spend the pooled budget's underspend on peer-led groups",
     "Move the year's underspend to three peer-led groups chosen through the ideas fund.",
     DecisionMethod.VOTE, 12000, "Most votes went to funding peer-led groups directly.",
     ("Fund peer-led groups", "Keep it for next year", "Spend it on training")),
    (GroupKind.DESIGN_TEAM, "Offer first conversations in cafés and libraries",
     "People choose where their first conversation happens, including cafés, libraries and parks.",
     DecisionMethod.CONSENT, 0, "People told us a clinic feels like being assessed; a café feels like a conversation.", ()),
    (GroupKind.DESIGN_TEAM, "Write the welcome leaflet with people who used the Hub",
     "A new leaflet in plain English, written with five people who were introduced in the last year.",
     DecisionMethod.CONSENSUS, 800, "Everyone agreed the old leaflet used our words, not theirs.", ()),
    (GroupKind.PROTOTYPING_LAB, "Adopt the peer welcome call",
     "Keep the peer welcome call before the first conversation after two test cycles.",
     DecisionMethod.CONSENT, 0, "Fewer people missed their first conversation and people said they felt expected.", ()),
    (GroupKind.COMMUNITY_OF_PRACTICE, "Monthly group supervision for peer volunteers",
     "Volunteers get the same monthly group supervision as paid peer workers.",
     DecisionMethod.CONSENSUS, 1500, "Volunteers said they felt left out of supervision.", ()),
    (GroupKind.NEIGHBOURHOOD, "Start a Saturday walking group from Kennington Park",
     "A weekly walk, led by two volunteers, open to anyone.", DecisionMethod.VOTE, 300,
     "The walk had the most votes of the three ideas.", ("Walking group", "Cooking club", "Book swap")),
    (GroupKind.GOVERNANCE, "Publish every decision of the Collaborative in a public log",
     "Every decision, with who took part and how, is published unless a reason is given.",
     DecisionMethod.CONSENT, 0, "People said the Collaborative felt like a closed shop.", ()),
    (GroupKind.DESIGN_TEAM, "Peer workers can choose to work part time without losing benefits advice",
     "Every peer worker gets independent advice on work and benefits before they change their hours.",
     DecisionMethod.CONSENT, 2000, "Peer workers told us the fear of losing benefits held them back.", ()),
    (GroupKind.COLLABORATIVE, "A van for roadshows on street corners",
     "Hire a van four times a year to meet people where they are, in each locality.",
     DecisionMethod.VOTE, 4500, "Put off until the ideas fund has reported back.",
     ("Hire a van", "Use existing community venues")),
    (GroupKind.PROTOTYPING_TEAM, "Test a text message the day before a first conversation",
     "Send a friendly text the day before, from the worker, saying who they are.", DecisionMethod.CONSENT, 0,
     "Small and quick to test.", ()),
)  # fmt: skip
NOT_PUBLIC_WHY = "It names a partner's staffing changes before staff have been told."

STORIES: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    # title, body, teller perspective, consent level, themes
    ("A cup of tea instead of a form",
     "I was expecting forms and questions about my diagnosis. Instead someone made me a cup of tea and asked"
     " what was going on for me. I talked for an hour. Nobody looked at the clock. I went home and slept"
     " properly for the first time in weeks.", Perspective.LIVED_EXPERIENCE, ConsentLevel.PUBLIC,
     ("Being listened to", "The first conversation")),
    ("Telling my story once",
     "Before, every new person wanted the whole story again, from the start. This time the worker already knew"
     " what I had said at the first conversation, and asked me what I wanted to add. It sounds small. It is not.",
     Perspective.LIVED_EXPERIENCE, ConsentLevel.PUBLIC, ("Being listened to", "Telling my story once")),
    ("Waiting felt shorter when someone rang",
     "It was three weeks before we met, but a peer worker rang in the first week to say hello and to tell me what"
     " would happen. I knew I had not been forgotten.", Perspective.LIVED_EXPERIENCE, ConsentLevel.PUBLIC,
     ("Waiting", "Peer support")),
    ("As a carer I was finally asked",
     "For years I was the one who held things together at home, and nobody asked how I was. At the open breakfast"
     " someone asked what I needed. I now go to the carers' group every fortnight.", Perspective.CARER,
     ConsentLevel.PUBLIC, ("Carers", "Community")),
    ("Back to work, slowly",
     "I did not think work was possible for me. The employment specialist did not push; we started with two"
     " mornings a week at the community garden. Now I do three days at the garden centre.",
     Perspective.LIVED_EXPERIENCE, ConsentLevel.PUBLIC, ("Work and money",)),
    ("The group that nearly closed",
     "Our peer group almost closed when the funding ended. The ideas fund paid for the room for a year, and we"
     " learnt how to ask for it ourselves.", Perspective.LIVED_EXPERIENCE, ConsentLevel.PUBLIC,
     ("Peer support", "Community", "Money")),
    ("Feeling like a number at the old service",
     "I was told I was not unwell enough for one service and too unwell for another. I gave up for a year.",
     Perspective.LIVED_EXPERIENCE, ConsentLevel.COLLABORATIVE, ("Waiting", "Being listened to")),
    ("What a GP receptionist noticed",
     "The receptionist noticed that people came back again and again to the surgery when what they needed was"
     " company. She started telling them about the open breakfast.", Perspective.STAFF, ConsentLevel.COLLABORATIVE,
     ("Community", "Primary care")),
    ("Housing first, then everything else",
     "Nothing else could start until the damp in the flat was dealt with. The housing officer in the team made the"
     " difference.", Perspective.LIVED_EXPERIENCE, ConsentLevel.COLLABORATIVE, ("Housing",)),
    ("Paid peer work and benefits",
     "I love the work but every extra hour I am afraid of losing my benefits. I need someone to sit down with me"
     " and go through it.", Perspective.LIVED_EXPERIENCE, ConsentLevel.COLLABORATIVE,
     ("Work and money", "Peer support")),
    ("The café was too loud",
     "The first conversation in the café was kind, but it was loud and I could not say the things that mattered."
     " Next time I asked for the library's quiet room.", Perspective.LIVED_EXPERIENCE, ConsentLevel.COLLABORATIVE,
     ("The first conversation",)),
    ("Easy out, easy back in",
     "When I moved on I was told I could come back without starting again. When things went wrong in the winter I"
     " did, and my worker picked up where we left off.", Perspective.LIVED_EXPERIENCE, ConsentLevel.PUBLIC,
     ("Coming back",)),
    ("Feedback from the walking group",
     "Twelve people came every week in the summer. Three of them now lead the walk when the volunteers are away.",
     Perspective.CITIZEN, ConsentLevel.TEAM, ("Community",)),
    ("Not understanding the words",
     "At my first Collaborative meeting I did not understand half the words. Someone gave me the plain words list"
     " and sat next to me.", Perspective.CITIZEN, ConsentLevel.COLLABORATIVE, ("Being listened to",)),
)  # fmt: skip

PITCHES: tuple[tuple[str, str, int, bool, str], ...] = (
    # title, summary, amount (£), peer-led, who is behind it
    ("Hearing voices group room hire", "A year of room hire and refreshments for the weekly hearing voices group.",
     1800, True, "Brixton hearing voices group"),
    ("Community garden tools", "Tools, seeds and gloves for the Stockwell community garden's wellbeing mornings.",
     900, False, "Stockwell community garden"),
    ("Peer-led cooking club", "A weekly cooking club where people cook and eat together on a budget.",
     2400, True, "Southside Recovery Collective"),
    ("Men's talking circle", "A fortnightly talking circle for men at the barber's shop after hours.",
     1500, True, "Cuts & Conversations"),
    ("Carers' respite afternoons", "Four afternoons of respite and massage for carers.", 2000, False,
     "Carers' group"),
    ("Plain words training", "Training for staff across the partners in writing in plain words, led by members.",
     2500, True, ""),
    ("Library quiet room", "Furniture and soundproofing to make a quiet room for first conversations.",
     3000, False, "Lambeth libraries"),
    ("Portuguese-speaking peer group", "A peer group in Portuguese, meeting in Stockwell.", 1200, True,
     "Grupo de apoio"),
    ("Football for wellbeing", "Weekly five-a-side with a coach, open to all abilities.", 2200, False,
     "Brixton football club"),
    ("Zine of our stories", "A printed zine of members' stories, written and designed by members.", 700, True, ""),
    ("Allotment for the Hub", "An allotment plot that the Hub's groups share.", 1100, False, ""),
)  # fmt: skip


class _Life:
    def __init__(self, *, site: Site, seed: int, today: dt.date, password_hash: str, person_user: User | None) -> None:
        self.site = site
        self.rng = random.Random(f"living-well:{seed}:collaborative")
        self.today = today
        self.start = today - dt.timedelta(days=365)
        self.password_hash = password_hash
        self.person_user = person_user
        self.organisations = list(Organisation.objects.filter(site=site, is_active=True).order_by("name"))
        self.by_sector = {o.sector: o for o in self.organisations}
        self.members: list[Member] = []
        self.counts: dict[str, int] = {}
        self.decided: list[Decision] = []

    # ---- members ---------------------------------------------------------------------------------

    def _user(self, email: str, name: str, *, demo: bool = False) -> User:
        # The generator carries its own timestamps for sign-ins (see generator._story_timestamps).
        stamp = _at(self.start, 9)
        user = User(
            id=_uuid(self.rng),
            email=email,
            display_name=name,
            password=self.password_hash if demo else "",
            date_joined=stamp,
            created_at=stamp,
            updated_at=stamp,
        )
        if not demo:
            user.set_unusable_password()
        user.save()
        return user

    def _name(self) -> tuple[str, str]:
        heritage = self.rng.choice(list(data.HERITAGES.values()))
        given = self.rng.choice(heritage.women if self.rng.random() < 0.55 else heritage.men)
        return given, self.rng.choice(heritage.family)

    def _member(self, user: User, known_as: str, joined_on: dt.date, **fields: Any) -> Member:
        member = Member(
            id=_uuid(self.rng), site=self.site, user=user, known_as=known_as, joined_on=joined_on,
            listed=fields.pop("listed", self.rng.random() < 0.9),
            public_name=fields.pop("public_name", self.rng.random() < 0.4), **fields
        )  # fmt: skip
        member.save()
        self.members.append(member)
        return member

    def members_(self) -> None:
        rng = self.rng
        chair_user = self._user(
            COLLABORATIVE_CHAIR.email, f"{COLLABORATIVE_CHAIR.given_name} {COLLABORATIVE_CHAIR.family_name}", demo=True
        )
        wellbeing = self.by_sector.get(Sector.VOLUNTARY)
        self.chair = self._member(
            chair_user, COLLABORATIVE_CHAIR.known_as, self.today - dt.timedelta(days=3 * 365), staff=True,
            sector=Sector.VOLUNTARY, organisation=wellbeing, public_name=True,
            about="I chair the Collaborative. I came to it through my work in the voluntary sector and stayed for the people.",
        )  # fmt: skip
        member_user = self._user(
            COLLABORATIVE_MEMBER.email,
            f"{COLLABORATIVE_MEMBER.given_name} {COLLABORATIVE_MEMBER.family_name}",
            demo=True,
        )
        self.demo_member = self._member(
            member_user, COLLABORATIVE_MEMBER.known_as, self.today - dt.timedelta(days=400), lived_experience=True,
            public_name=True, about="I was introduced to Living Well four years ago. I want the front door to feel like a welcome.",
            access_needs="Papers a few days before the meeting, please.",
        )  # fmt: skip
        if self.person_user is not None:
            self.demo_person_member = self._member(
                self.person_user, DEMO_PERSON_KNOWN_AS, self.today - dt.timedelta(days=150), lived_experience=True,
                public_name=False, listed=True, about="New here. Interested in peer support.",
            )  # fmt: skip
        # Staff of the network who take part: peer workers bring their lived experience too.
        staff = list(
            Membership.objects.filter(site=self.site, ended_on__isnull=True)
            .exclude(role__in=[Role.PRIVACY_OFFICER, Role.INTRODUCER])
            .select_related("user", "organisation")
            .order_by("user__email")
        )
        seen: set[uuid.UUID] = {m.user_id for m in self.members}
        chosen = [m for m in staff if m.user_id not in seen]
        rng.shuffle(chosen)
        for membership in chosen[:18]:
            if membership.user_id in seen:
                continue
            seen.add(membership.user_id)
            user = membership.user
            given = user.first_name or user.display_name.split(" ")[0]
            family = user.last_name or user.display_name.split(" ")[-1]
            self._member(
                user, f"{given} {family[:1]}.", self.start - dt.timedelta(days=rng.randint(0, 700)), staff=True,
                lived_experience=membership.role == Role.PEER_WORKER, sector=membership.organisation.sector,
                organisation=membership.organisation,
            )  # fmt: skip
        council = self.by_sector.get(Sector.LOCAL_AUTHORITY)
        kinds = [("lived_experience", 24), ("carer", 10), ("citizen", 8), ("commissioner", 4)]
        n = 0
        for kind, count in kinds:
            for _ in range(count):
                n += 1
                given, family = self._name()
                user = self._user(f"member{n:03d}@collaborative.{DEMO_DOMAIN}", f"{given} {family}")
                fields: dict[str, Any] = {kind: True}
                if kind == "commissioner":
                    fields.update(sector=Sector.LOCAL_AUTHORITY, organisation=council)
                elif kind == "carer" and rng.random() < 0.3:
                    fields["lived_experience"] = True
                joined = self.start - dt.timedelta(days=rng.randint(-300, 900))
                self._member(user, f"{given} {family[:1]}.", min(joined, self.today - dt.timedelta(days=20)), **fields)
        # Some moved on during the year.
        for member in rng.sample(self.members[3:], 7):
            left = self.today - dt.timedelta(days=rng.randint(10, 300))
            if left > member.joined_on:
                member.left_on = left
                member.save(update_fields=["left_on"])
        self.current = [m for m in self.members if m.left_on is None]
        self.counts["members"] = len(self.current)

    # ---- groups ----------------------------------------------------------------------------------

    def _join(self, group: Group, member: Member, role: str, started: dt.date, ended: dt.date | None = None) -> None:
        started = max(started, member.joined_on, group.started_on)
        if member.left_on is not None:
            ended = min(ended or member.left_on, member.left_on)
        if ended is not None and ended < started:
            return
        GroupMembership.objects.create(group=group, member=member, role=role, started_on=started, ended_on=ended)

    def groups_(self) -> None:
        rng = self.rng
        founded = self.today - dt.timedelta(days=3 * 365)
        self.whole = Group.objects.create(
            id=_uuid(rng), site=self.site, kind=GroupKind.COLLABORATIVE, name="Living Well Collaborative",
            purpose="Everyone who co-produces the Living Well network: people with lived experience, carers, staff,"
            " commissioners and neighbours, leading it together.", started_on=founded,
        )  # fmt: skip
        co_chair = next(m for m in self.current if m.lived_experience and not m.staff and m is not self.demo_member)
        self._join(self.whole, self.chair, GroupRole.CHAIR, founded)
        self._join(self.whole, co_chair, GroupRole.CO_CHAIR, self.today - dt.timedelta(days=200))
        for member in self.members:
            if member not in (self.chair, co_chair):
                self._join(self.whole, member, GroupRole.MEMBER, member.joined_on)
        self.groups: list[Group] = [self.whole]
        localities = {loc.name: loc for loc in Locality.objects.filter(site=self.site)}
        pool = [m for m in self.members if m not in (self.chair,)]
        for kind, name, purpose, size, locality in GROUPS:
            started = founded + dt.timedelta(days=rng.randint(30, 500))
            group = Group.objects.create(
                id=_uuid(rng), site=self.site, kind=kind, name=name, purpose=purpose, started_on=started,
                locality=localities.get(locality), anyone_can_join=kind != GroupKind.GOVERNANCE,
            )  # fmt: skip
            self.groups.append(group)
            people = rng.sample(pool, size)
            if name.startswith("Front door"):
                people = [self.demo_member, *[p for p in people if p is not self.demo_member][: size - 1]]
            if kind == GroupKind.COMMUNITY_OF_PRACTICE:
                people = [self.demo_member, *[p for p in people if p is not self.demo_member][: size - 1]]
                if self.person_user is not None:
                    people.append(self.demo_person_member)
            people = list(dict.fromkeys(people))
            lead = next((p for p in people if p.lived_experience and p is not self.demo_member), people[1])
            if kind == GroupKind.GOVERNANCE:
                # The same person has chaired it from the start: the resilience checks notice.
                self._join(group, self.chair, GroupRole.CO_CHAIR, started)
                self._join(group, lead, GroupRole.CHAIR, started)
            elif kind == GroupKind.DESIGN_TEAM and name.startswith("Peer"):
                # The chair handed over four months ago.
                handover = self.today - dt.timedelta(days=120)
                self._join(group, lead, GroupRole.CHAIR, started, handover)
                self._join(group, lead, GroupRole.MEMBER, handover)
                successor = next(p for p in people if p is not lead and p is not self.demo_member)
                self._join(group, successor, GroupRole.CHAIR, handover)
                people = [p for p in people if p is not successor]
            else:
                self._join(group, lead, GroupRole.CHAIR, started)
            if kind == GroupKind.PROTOTYPING_LAB:
                self._join(group, self.chair, GroupRole.COORDINATOR, started)
            for person in people:
                if person is lead:
                    continue
                self._join(group, person, GroupRole.MEMBER, started + dt.timedelta(days=rng.randint(0, 200)))
        self.counts["groups"] = len(self.groups)

    def _group_members(self, group: Group, on: dt.date) -> list[Member]:
        ids = set(
            GroupMembership.objects.filter(group=group, started_on__lte=on)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
            .values_list("member_id", flat=True)
        )
        return [m for m in self.members if m.pk in ids]

    # ---- sessions, attendance, actions -----------------------------------------------------------

    def _session(
        self, group: Group, title: str, starts: dt.datetime, hours: float, place: str, **extra: Any
    ) -> Session:
        rng = self.rng
        may_be_held = extra.pop("held", True)
        held = starts.date() < self.today and may_be_held
        session = Session.objects.create(
            id=_uuid(rng), group=group, title=title, starts_at=starts, ends_at=starts + dt.timedelta(hours=hours),
            place=place, how_to_get_there="Step-free access. Tea, coffee and breakfast provided. Ask for the Living"
            " Well Collaborative at the front desk.", agenda="1. Welcome and round of names\n2. What has changed since"
            " last time\n3. The main item\n4. Actions and what next", status=SessionStatus.HELD if held else
            SessionStatus.PLANNED, notes=rng.choice(NOTES) if held else "", **extra,
        )  # fmt: skip
        members = self._group_members(group, starts.date())
        rows = []
        for member in members:
            if held:
                came = rng.random() < (0.85 if member in (self.chair, self.demo_member) else 0.6)
                rows.append(
                    Attendance(session=session, member=member, reply=Reply.COMING if came else "", attended=came)
                )
            elif rng.random() < 0.35 and member is not self.demo_member:
                rows.append(
                    Attendance(session=session, member=member, reply=rng.choice([Reply.COMING, Reply.NOT_COMING]))
                )
        Attendance.objects.bulk_create(rows)
        if held:
            self._actions(session, [r.member for r in rows if r.attended])
        return session

    def _actions(self, session: Session, attended: Sequence[Member]) -> None:
        rng = self.rng
        if not attended:
            return
        day = session.starts_at.date()
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            owner = self.chair if self.chair in attended and rng.random() < 0.3 else rng.choice(attended)
            due = day + dt.timedelta(days=rng.randint(14, 42))
            status, done_on, outcome = ActionStatus.OPEN, None, ""
            if due < self.today:
                roll = rng.random()
                if roll < 0.8:
                    status, done_on = ActionStatus.DONE, min(self.today, due + dt.timedelta(days=rng.randint(-10, 7)))
                    done_on = max(done_on, day)
                    outcome = rng.choice(("Done and shared with the group.", "Done.", ""))
                elif roll < 0.88:
                    status, done_on, outcome = ActionStatus.DROPPED, due, "No longer needed after the group's decision."
            _action(
                session.ends_at, self.chair,
                id=_uuid(rng), group=session.group, session=session, description=rng.choice(ACTIONS), owner=owner,
                due_on=due, status=status, done_on=done_on, outcome=outcome, created_by=self.chair,
            )  # fmt: skip

    def sessions_(self) -> None:
        rng = self.rng
        self.sessions: dict[uuid.UUID, list[Session]] = {g.pk: [] for g in self.groups}
        hosts = list(self.organisations)
        months = _months(self.start.replace(day=1), 15)
        # The open breakfast: the second Tuesday of each month, hosted in turn by the partners.
        for index, (year, month) in enumerate(months):
            day = _nth_weekday(year, month, 1, 2)
            host = hosts[index % len(hosts)]
            session = self._session(
                self.whole, "Open breakfast", _at(day, 8), 1.5, f"{host.name} (see getting there)",
                is_open_event=True, host_organisation=host, guests=rng.randint(4, 22) if day < self.today else 0,
                host_member=self.chair if index % 3 else None,
            )  # fmt: skip
            self.sessions[self.whole.pk].append(session)
        for group in self.groups[1:]:
            title, weekday, nth, hour, place = SESSION_PLANS[group.kind]
            for year, month in months:
                day = _nth_weekday(year, month, weekday, nth)
                if day < group.started_on or (group.kind == GroupKind.GOVERNANCE and month % 3):
                    continue
                session = self._session(group, title.format(name=group.name), _at(day, hour), 2, place)
                self.sessions[group.pk].append(session)
        # The chair ran a whole-Collaborative workshop yesterday; attendance is still to be recorded.
        yesterday = self.today - dt.timedelta(days=1)
        self.workshop = self._session(
            self.whole, "Planning the open breakfasts for next year", _at(yesterday, 18), 2,
            "Brixton Library, Brixton Oval", held=False, host_member=self.chair,
        )  # fmt: skip
        self.counts["sessions"] = sum(len(v) for v in self.sessions.values()) + 1

    # ---- decisions -------------------------------------------------------------------------------

    def _stances(
        self, decision: Decision, people: Sequence[Member], result: str, options: list[DecisionOption]
    ) -> None:
        rng = self.rng
        rows = []
        for member in people:
            role = ParticipantRole.PROPOSER if member is decision.proposed_by else ParticipantRole.PARTICIPANT
            option = None
            comment = ""
            if decision.method == DecisionMethod.VOTE:
                stance = Stance.VOTE if rng.random() < 0.92 else Stance.ABSTAIN
                if stance == Stance.VOTE:
                    option = options[0] if rng.random() < 0.6 else rng.choice(options)
            elif decision.method == DecisionMethod.CONSENT:
                stance = Stance.CONSENT if rng.random() < 0.85 else Stance.STAND_ASIDE
            else:
                stance = Stance.AGREE if result != DecisionResult.NOT_AGREED or rng.random() < 0.7 else Stance.BLOCK
                if stance == Stance.BLOCK:
                    comment = "I cannot agree while the money comes out of the peer support budget."
            rows.append(
                DecisionParticipant(
                    decision=decision, member=member, role=role, stance=stance, option=option, comment=comment
                )
            )
        DecisionParticipant.objects.bulk_create(rows)

    def decisions_(self) -> None:
        rng = self.rng
        by_kind: dict[str, list[Group]] = {}
        for group in self.groups:
            by_kind.setdefault(group.kind, []).append(group)
        count = 0
        for index, (kind, title, proposal, method, money, why, option_texts) in enumerate(DECISIONS):
            group = by_kind[kind][0]
            held = [s for s in self.sessions[group.pk] if s.status == SessionStatus.HELD]
            if not held:
                continue
            session = held[min(len(held) - 1, (index * 5) % len(held))]
            people = [a.member for a in session.attendance.filter(attended=True).select_related("member")]
            if len(people) < 2:
                continue
            result = DecisionResult.AGREED
            if title.startswith("A van"):
                result = DecisionResult.DEFERRED
            elif index == 6:
                result = DecisionResult.AGREED_WITH_CHANGES
            decision = Decision.objects.create(
                id=_uuid(rng), group=group, session=session, title=title, proposal=proposal, method=method,
                status=DecisionStatus.DECIDED, result=result, why=why, money=Decimal(money) if money else None,
                money_note="The pooled Living Well budget" if money else "", decided_on=session.starts_at.date(),
                is_public=index != 9, not_public_why="" if index != 9 else NOT_PUBLIC_WHY,
                proposed_by=people[0], recorded_by=self.chair,
            )  # fmt: skip
            options = [
                DecisionOption.objects.create(decision=decision, text=text, position=n)
                for n, text in enumerate(option_texts)
            ]
            self._stances(decision, people, result, options)
            if options:
                # The option with most votes (the first listed on a tie), as a vote is recorded.
                tally = Counter(p.option_id for p in decision.participants.all() if p.option_id)
                decision.chosen_option = max(options, key=lambda o: (tally[o.pk], -o.position))
            if any(p.stance == Stance.BLOCK for p in decision.participants.all()):
                decision.objections_addressed = (
                    "The money was found from the training budget instead; the block was lifted."
                )
            decision.participant_count = len(people)
            decision.lived_experience_count = sum(1 for p in people if p.lived_experience)
            decision.save()
            due = session.starts_at.date() + dt.timedelta(days=21)
            done = due < self.today
            _action(
                session.ends_at, self.chair,
                id=_uuid(rng), group=group, session=session, decision=decision, owner=people[-1],
                description=f"Tell the network what was decided: {title.lower()}", due_on=due,
                status=ActionStatus.DONE if done else ActionStatus.OPEN,
                done_on=due - dt.timedelta(days=7) if done else None,
            )  # fmt: skip
            self.decided.append(decision)
            count += 1
        # Open now: one in the front door Design Team (the demo member has not said yet) and one for the
        # chair to record.
        front = next(g for g in self.groups if g.name.startswith("Front door"))
        proposer = next(m for m in self._group_members(front, self.today) if m is not self.demo_member)
        open_one = Decision.objects.create(
            id=_uuid(rng), group=front, title="Offer first conversations in the evening",
            proposal="Offer first conversations until 8pm two evenings a week, so that people who work can come.",
            method=DecisionMethod.CONSENT, proposed_by=proposer,
        )  # fmt: skip
        DecisionParticipant.objects.create(
            decision=open_one, member=proposer, role=ParticipantRole.PROPOSER, stance=Stance.CONSENT
        )
        to_record = Decision.objects.create(
            id=_uuid(rng), group=self.whole, session=self.workshop, title="Next year's open breakfast hosts",
            proposal="Each partner hosts one open breakfast next year, in the order of the rota, and the peer-led"
            " organisations host two.", method=DecisionMethod.CONSENT, proposed_by=self.chair,
        )  # fmt: skip
        voices = [a.member for a in self.workshop.attendance.filter(reply=Reply.COMING).select_related("member")][:6]
        DecisionParticipant.objects.create(
            decision=to_record, member=self.chair, role=ParticipantRole.PROPOSER, stance=Stance.CONSENT
        )
        for n, member in enumerate(m for m in voices if m.pk != self.chair.pk):
            DecisionParticipant.objects.create(
                decision=to_record, member=member, stance=Stance.OBJECT if n == 0 else Stance.CONSENT,
                comment="Two is too many for a small organisation without paid staff." if n == 0 else "",
            )  # fmt: skip
        self.counts["decisions"] = count + 2

    # ---- prototypes ------------------------------------------------------------------------------

    def prototypes_(self) -> None:
        rng = self.rng
        team = next(g for g in self.groups if g.kind == GroupKind.PROTOTYPING_TEAM)
        lab_sessions = [s for g in self.groups if g.kind == GroupKind.PROTOTYPING_LAB for s in self.sessions[g.pk]
                        if s.status == SessionStatus.HELD]  # fmt: skip
        adopt = next((d for d in self.decided if d.title == "Adopt the peer welcome call"), None)
        specs = [
            ("Peer welcome call", "A peer worker rings everyone in the week after their introduction, to say hello"
             " and explain what will happen.", "We believe that a welcome call from a peer will mean fewer people miss"
             " their first conversation. We will know when fewer first conversations are missed.",
             "First conversations missed; how people felt while waiting.", [Insight.WAIT_TO_FIRST_CONVERSATION,
             Insight.EXPERIENCE], PrototypeStatus.ADOPTED, 2),
            ("Evening first conversations", "First conversations until 8pm on two evenings a week.",
             "We believe that evening times will help people in work start sooner. We will know when people in work"
             " wait fewer days.", "Days waited by people who work; how many evening slots are taken.",
             [Insight.WAIT_TO_FIRST_CONVERSATION], PrototypeStatus.TESTING, 2),
            ("Employment drop-in at the GP practice", "An employment specialist at the GP practice one morning a"
             " week.", "We believe that people will talk about work where they already go. We will know when the"
             " drop-in is used by at least eight people a month.", "People using the drop-in each month.",
             [Insight.COMMUNITY_CONNECTIONS], PrototypeStatus.STOPPED, 1),
        ]  # fmt: skip
        for title, idea, hypothesis, measures, insights, status, cycles in specs:
            started = self.start + dt.timedelta(days=rng.randint(20, 120))
            ended = None if status == PrototypeStatus.TESTING else self.today - dt.timedelta(days=rng.randint(20, 60))
            prototype = Prototype.objects.create(
                id=_uuid(rng), site=self.site, group=team, title=title, idea=idea, hypothesis=hypothesis,
                measures=measures, insights=[str(i) for i in insights], status=status, ended_on=ended,
                outcome_why={PrototypeStatus.ADOPTED: "Both cycles showed fewer missed first conversations, and"
                " people said they felt expected.", PrototypeStatus.STOPPED: "Too few people came; people told us"
                " they would rather talk about work with their own worker."}.get(status, ""),
                outcome_decision=adopt if status == PrototypeStatus.ADOPTED else None, created_by=self.chair,
            )  # fmt: skip
            for number in range(1, cycles + 1):
                begun = started + dt.timedelta(days=(number - 1) * 60)
                last_open = status == PrototypeStatus.TESTING and number == cycles
                lab = rng.choice(lab_sessions) if lab_sessions else None
                Cycle.objects.create(
                    id=_uuid(rng), prototype=prototype, number=number, started_on=begun,
                    stage=CycleStage.ACT if last_open else CycleStage.CLOSED,
                    plan=f"Cycle {number}: try it for four weeks with the {'North' if number == 1 else 'Central'}"
                    " Living Well team.", prediction="Fewer missed first conversations; people feel expected.",
                    do="We did it for four weeks. Two workers were off sick in the second week.",
                    study="Compared with the four weeks before, fewer people missed their first conversation."
                    " People in work still found it hard to come in the day.", act="" if last_open else
                    (CycleAct.ADOPT if status == PrototypeStatus.ADOPTED and number == cycles else CycleAct.ABANDON
                     if status == PrototypeStatus.STOPPED else CycleAct.ADAPT),
                    act_note="" if last_open else "Keep it and write it into how the Hub works.",
                    lab_session=lab, closed_on=None if last_open else begun + dt.timedelta(days=45),
                )  # fmt: skip
                Figure.objects.create(
                    id=_uuid(rng), prototype=prototype, label="First conversations missed",
                    baseline=Decimal(rng.randint(14, 20)), value=Decimal(rng.randint(6, 12)), unit="%",
                    measured_on=begun + dt.timedelta(days=40), source="The Hub's diary",
                )  # fmt: skip
        self.counts["prototypes"] = len(specs)

    # ---- stories ---------------------------------------------------------------------------------

    def stories_(self) -> None:
        rng = self.rng
        themes: dict[str, Theme] = {}
        prototypes = list(Prototype.objects.filter(site=self.site))
        places = places_for(self.site)
        groups = [
            g
            for g in self.groups
            if g.kind in (GroupKind.DESIGN_TEAM, GroupKind.NEIGHBOURHOOD, GroupKind.PROTOTYPING_TEAM)
        ]
        for title, body, perspective, level, theme_names in STORIES:
            group = rng.choice(groups)
            gatherer = rng.choice(self._group_members(group, self.today) or [self.chair])
            gathered = self.today - dt.timedelta(days=rng.randint(10, 330))
            shared_at = _at(gathered + dt.timedelta(days=7), 12)
            story = Story.objects.create(
                id=_uuid(rng), site=self.site, group=group, kind=StoryKind.FEEDBACK if title.startswith("Feedback")
                else StoryKind.STORY, title=title, body=body, teller_perspective=perspective, gathered_by=gatherer,
                gathered_on=gathered, consent_level=level, consent_note="Said yes on the consent form, and read the"
                " final words before they were shared.", status=StoryStatus.SHARED, shared_at=shared_at,
            )  # fmt: skip
            if level != ConsentLevel.TEAM:
                # Checked before it was shared, as the story bank requires: whatever the check finds was
                # kept with the teller's agreement.
                findings = [
                    {"kind": str(f.kind), "text": f.text, "start": f.start, "end": f.end, "why": f.why,
                     "reason": "The teller agreed to keep this; it does not identify them."}
                    for f in run_check(story, places)
                ]  # fmt: skip
                Story.objects.filter(pk=story.pk).update(
                    checked_hash=words_hash(title, body), checked_at=shared_at, checked_by=gatherer,
                    check_findings=findings,
                )  # fmt: skip
            for name in theme_names:
                theme = themes.get(name)
                if theme is None:
                    theme = themes[name] = Theme.objects.create(site=self.site, name=name)
                story.themes.add(theme)
            if "Waiting" in theme_names and prototypes:
                story.prototypes.add(prototypes[0])
        self.counts["stories"] = len(STORIES)

    # ---- reflections -----------------------------------------------------------------------------

    def reflections_(self) -> None:
        rng = self.rng
        year = self.today.year
        rounds = [
            (f"{year - 2} review", dt.date(year - 2, 12, 1), dt.date(year - 2, 12, 19), 0),
            (f"{year - 1} review", dt.date(year - 1, 12, 1), dt.date(year - 1, 12, 19), 1),
            (f"{year} review", self.today - dt.timedelta(days=7), self.today + dt.timedelta(days=21), 2),
        ]
        # How the system has moved: great-at chances per principle rise, balcony means move to relational.
        great = {p: 0.35 + 0.1 * i / 5 for i, p in enumerate(Principle)}
        for title, opens, closes, step in rounds:
            reflection = ReflectionRound.objects.create(
                id=_uuid(rng), site=self.site, title=title, opens_on=opens, closes_on=closes
            )
            respondents = [
                m for m in self.members if m.joined_on <= closes and (m.left_on is None or m.left_on >= opens)
            ]
            respondents = [
                m for m in respondents if m is not self.demo_member and rng.random() < (0.6 if step < 2 else 0.35)
            ]
            ratings, placements = [], []
            for member in respondents:
                for principle in rng.sample(list(Principle), rng.randint(2, 4)):
                    chance = great[principle] + 0.12 * step
                    ratings.append(PrincipleRating(
                        round=reflection, member=member, principle=principle,
                        view=PrincipleView.GREAT if rng.random() < chance else PrincipleView.CHALLENGED,
                        why=rng.choice(("", "", "Good in places, not everywhere yet.", "I have seen people blossom.",
                                        "Silo working continues.", "Short-term money gets in the way.")),
                    ))  # fmt: skip
                for key in BALCONY_KEYS:
                    if rng.random() < 0.8:
                        mean = 3.6 + 0.9 * step + (0.6 if key.startswith("practice") else 0)
                        position = max(0, min(10, round(rng.gauss(mean, 1.8))))
                        placements.append(
                            BalconyPlacement(round=reflection, member=member, statement=key, position=position)
                        )
            PrincipleRating.objects.bulk_create(ratings)
            BalconyPlacement.objects.bulk_create(placements)
        self.counts["reflection rounds"] = len(rounds)

    # ---- the ideas fund --------------------------------------------------------------------------

    def fund_(self) -> None:
        rng = self.rng
        year = self.today.year
        lived = [m for m in self.current if m.lived_experience and m is not self.demo_member]
        pitchers = [m for m in self.current if m is not self.chair]
        closed = self.today - dt.timedelta(days=200)
        voted = closed + dt.timedelta(days=30)
        awarded = FundRound.objects.create(
            id=_uuid(rng), site=self.site, name=f"Ideas fund {year}", about="Small grants for ideas that help people"
            " in Lambeth live well, chosen by members. Peer-led ideas especially welcome; help to write a pitch is"
            " offered.", budget=Decimal(12000), largest_award=Decimal(3000), pitches_close_on=closed,
            voting_closes_on=voted, stage=FundStage.AWARDED,
        )  # fmt: skip
        commissioner = next((m for m in self.current if m.commissioner), None)
        panel = [self.chair, *lived[:3], *([commissioner] if commissioner else [])]
        for n, member in enumerate(panel):
            FundPanelist.objects.create(round=awarded, member=member, is_chair=n == 1)
        pitches = []
        for n, (title, summary, amount, peer_led, behind) in enumerate(PITCHES):
            pitch = Pitch.objects.create(
                id=_uuid(rng), round=awarded, title=title, summary=summary, who_benefits="People in Lambeth who"
                " would not otherwise come to a service.", how_money_is_spent="Room hire, materials and"
                " refreshments.", amount=Decimal(amount), peer_led=peer_led, group_name=behind,
                pitched_by=pitchers[(n * 7) % len(pitchers)], wants_help=n % 4 == 0,
                helper=self.chair if n % 4 == 0 else None,
                status=PitchStatus.SHORTLISTED if n != 10 else PitchStatus.NOT_SHORTLISTED,
                submitted_at=_at(closed - dt.timedelta(days=30 - n), 12),
                panel_note="" if n != 10 else "A lovely idea; the Hub's garden group already has a plot to share.",
            )  # fmt: skip
            pitches.append(pitch)
        shortlisted = [p for p in pitches if p.status == PitchStatus.SHORTLISTED]
        voters = [m for m in self.current if m.joined_on <= closed and rng.random() < 0.7]
        votes = []
        for voter in voters:
            for pitch in shortlisted:
                if rng.random() < (0.55 if pitch.peer_led else 0.4):
                    votes.append(ApprovalVote(round=awarded, pitch=pitch, member=voter))
        ApprovalVote.objects.bulk_create(votes)
        approvals = Counter(vote.pitch_id for vote in votes)
        outcomes = awards.award(
            [
                awards.Candidate(
                    id=p.pk, title=p.title, approvals=approvals[p.pk], amount=p.amount, peer_led=p.peer_led,
                    submitted_at=p.submitted_at,
                )
                for p in shortlisted
            ],
            awarded.budget,
        )  # fmt: skip
        funded_ids = {o.candidate.id for o in outcomes if o.funded}
        funded_total = awards.total_funded(outcomes)
        reports = 0
        for pitch in shortlisted:
            if pitch.pk in funded_ids:
                pitch.status, pitch.award = PitchStatus.FUNDED, pitch.amount
                if reports < 3:
                    reports += 1
                    pitch.report_back = "We ran every week from June. People came back week after week, and some"
                    pitch.report_back += " now help to run it."
                    pitch.reported_on, pitch.spent = self.today - dt.timedelta(days=20), pitch.amount
                    pitch.people_reached = rng.randint(12, 60)
            else:
                pitch.status = PitchStatus.NOT_FUNDED
            pitch.save()
        decision = Decision.objects.create(
            id=_uuid(rng), group=self.whole, title=f"Ideas fund {year}: awards", method=DecisionMethod.VOTE,
            proposal="Fund the shortlisted pitches members approved most, in order, while the budget lasts.",
            status=DecisionStatus.DECIDED, result=DecisionResult.AGREED, money=funded_total,
            money_note="The ideas fund", decided_on=voted + dt.timedelta(days=2),
            why=f"{len(voters)} members voted by approval; pitches were funded in order of approvals while the"
            " budget lasted (ties: peer-led first, then the smaller amount).", recorded_by=self.chair,
        )  # fmt: skip
        people = list(dict.fromkeys([*panel, *voters]))
        DecisionParticipant.objects.bulk_create(
            [
                DecisionParticipant(
                    decision=decision, member=m, role=ParticipantRole.FACILITATOR if m in panel else ParticipantRole.PARTICIPANT,
                    stance=Stance.VOTE,
                )
                for m in people
            ]
        )  # fmt: skip
        decision.participant_count = len(people)
        decision.lived_experience_count = sum(1 for m in people if m.lived_experience)
        decision.save()
        awarded.decision = decision
        awarded.save(update_fields=["decision"])
        # A small round members are voting on now (the demo member has not voted yet).
        sparks = FundRound.objects.create(
            id=_uuid(rng), site=self.site, name="Small sparks", about="Up to £500 to start something small.",
            budget=Decimal(2500), largest_award=Decimal(500), pitches_close_on=self.today - dt.timedelta(days=20),
            voting_closes_on=self.today + dt.timedelta(days=10), stage=FundStage.VOTING,
        )  # fmt: skip
        for n, member in enumerate([self.chair, *lived[3:6]]):
            FundPanelist.objects.create(round=sparks, member=member, is_chair=n == 1)
        sparks_pitches = []
        for n, (title, amount, peer_led) in enumerate((
            ("Knitting circle at the library", 250, True), ("Board games night", 180, True),
            ("Bus passes for the walking group", 400, False), ("Art materials for the drop-in", 350, False),
            ("Tea and cake at the open breakfast", 150, True), ("A banner for roadshows", 300, False),
        )):  # fmt: skip
            sparks_pitches.append(Pitch.objects.create(
                id=_uuid(rng), round=sparks, title=title, summary=f"{title}: a small start that members asked for.",
                who_benefits="Anyone who would like to come.", how_money_is_spent="Materials.", amount=Decimal(amount),
                peer_led=peer_led, pitched_by=pitchers[(n * 5 + 3) % len(pitchers)], status=PitchStatus.SHORTLISTED,
                submitted_at=_at(self.today - dt.timedelta(days=40 - n), 12),
            ))  # fmt: skip
        sparks_votes = [
            ApprovalVote(round=sparks, pitch=p, member=m)
            for m in rng.sample(self.current, min(20, len(self.current)))
            if m is not self.demo_member
            for p in sparks_pitches
            if rng.random() < 0.45
        ]
        ApprovalVote.objects.bulk_create(sparks_votes)
        # Next year's round is taking pitches.
        upcoming = FundRound.objects.create(
            id=_uuid(rng), site=self.site, name=f"Ideas fund {year + 1}", about="Grants of up to £3,000 for ideas"
            " that help people live well. Peer-led ideas especially welcome; ask for help to write your pitch.",
            budget=Decimal(15000), largest_award=Decimal(3000), pitches_close_on=self.today + dt.timedelta(days=40),
            voting_closes_on=self.today + dt.timedelta(days=75), stage=FundStage.PITCHING,
        )  # fmt: skip
        for n, (title, amount, status, wants_help) in enumerate((
            ("Sunday lunch club", 2000, PitchStatus.SUBMITTED, False),
            ("Peer mentors for young adults", 2800, PitchStatus.SUBMITTED, False),
            ("Radio show by members", 1500, PitchStatus.DRAFT, True),
        )):  # fmt: skip
            Pitch.objects.create(
                id=_uuid(rng), round=upcoming, title=title, summary=f"{title}, run by members.",
                who_benefits="People who feel alone.", how_money_is_spent="Food, rooms and equipment.",
                amount=Decimal(amount), peer_led=n != 0, pitched_by=lived[-1 - n], status=status, wants_help=wants_help,
                help_note="I have never written a pitch before." if wants_help else "",
                submitted_at=_at(self.today - dt.timedelta(days=5 + n), 12) if status == PitchStatus.SUBMITTED else None,
            )  # fmt: skip
        self.counts["fund rounds"] = 3

    def join_requests_(self) -> None:
        rng = self.rng
        for n, (name, kind, about) in enumerate((
            ("Bea", "carer", "I care for my son and would like to help other parents."),
            ("Kofi", "lived_experience", "I heard about the open breakfast at my GP's."),
            ("Alina", "citizen", "I run a café in Stockwell and could host something."),
        )):  # fmt: skip
            JoinRequest.objects.create(
                id=_uuid(rng),
                site=self.site,
                known_as=name,
                email=f"joiner{n + 1}@example.org",
                about=about,
                **{kind: True},
            )

    def build(self) -> dict[str, int]:
        self.members_()
        self.groups_()
        self.sessions_()
        self.decisions_()
        self.prototypes_()
        self.stories_()
        self.reflections_()
        self.fund_()
        self.join_requests_()
        return self.counts


def build_collaborative_life(
    *, site: Site, seed: int, today: dt.date, password_hash: str, person_user: User | None
) -> dict[str, int]:
    """Build a year of the site's Collaborative; returns counts of what was made. `password_hash` is the
    demo password's hash for the two Collaborative sign-ins; `person_user` (the demo person) joins too."""
    return _Life(site=site, seed=seed, today=today, password_hash=password_hash, person_user=person_user).build()
