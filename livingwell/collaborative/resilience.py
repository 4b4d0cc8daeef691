"""Does a group depend on a few people without anyone noticing? The checks behind "who holds which role".

Members of the Lambeth Collaborative said the network "relies too much on key individual drivers":
when the two people most involved in a piece of work left, "there was a whole period where there was
nobody". These checks make that visible before it happens. Each is a pure function over plain facts
(built by `selectors_groups.group_facts`), with an explicit `today`, and gives `Concern`s that say in
plain English what was noticed, why it matters and a step the group could take.

The checks, with their limits as named constants:

(a) a group with only one person in a lead role (or none);
(b) a lead role held by the same member for more than `LONG_TENURE_MONTHS` months;
(c) a member in lead roles in `MANY_LEAD_ROLES` or more groups at once;
(d) more than half of a group's open actions owned by one member (when it has at least
    `ACTIONS_MIN_OPEN` open actions);
(e) every session of a group in the last `HOSTING_MONTHS` months hosted by the same member (at least
    `HOSTING_MIN_SESSIONS` sessions);
(f) no one with lived experience among a group's current members;
(g) no session of a group in the last `QUIET_MONTHS` months.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from livingwell.collaborative.models import LEAD_ROLES, GroupRole

# (a) a group should have at least this many people in lead roles.
MIN_LEADS = 2
# (b) a lead role held for longer than this is worth a conversation about handing over.
LONG_TENURE_MONTHS = 24
# (c) leading this many groups at once is a lot to rest on one person.
MANY_LEAD_ROLES = 3
# (d) one member owning more than this share of a group's open actions...
ACTIONS_SHARE = 0.5
# ... counted only when the group has at least this many open actions.
ACTIONS_MIN_OPEN = 4
# (e) the sessions looked at for hosting, and how many there must be.
HOSTING_MONTHS = 6
HOSTING_MIN_SESSIONS = 3
# (g) a group that has not met for this long.
QUIET_MONTHS = 3
# People who moved on this recently are listed so that hand-overs are visible.
MOVED_ON_MONTHS = 6

SINGLE_LEAD = "single_lead"
LONG_TENURE = "long_tenure"
MANY_LEADS = "many_leads"
ACTIONS_CONCENTRATED = "actions_concentrated"
SAME_HOST = "same_host"
NO_LIVED_EXPERIENCE = "no_lived_experience"
NO_RECENT_SESSION = "no_recent_session"

CHECK_ORDER = (
    SINGLE_LEAD,
    LONG_TENURE,
    MANY_LEADS,
    ACTIONS_CONCENTRATED,
    SAME_HOST,
    NO_LIVED_EXPERIENCE,
    NO_RECENT_SESSION,
)

CHECK_TITLES = {
    SINGLE_LEAD: "Groups with only one person in a lead role",
    LONG_TENURE: f"Lead roles held for more than {LONG_TENURE_MONTHS // 12} years",
    MANY_LEADS: f"Members leading {MANY_LEAD_ROLES} or more groups",
    ACTIONS_CONCENTRATED: "Groups where one person owns most of the open actions",
    SAME_HOST: "Groups where the same person hosts every session",
    NO_LIVED_EXPERIENCE: "Groups with no one with lived experience",
    NO_RECENT_SESSION: f"Groups that have not met for {QUIET_MONTHS} months",
}


# ---- months --------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months (back if negative), the day kept where the month has it
    (31 March less one month is 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from `start` to `end` (0 if `end` is before a month has passed)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def tenure_text(start: dt.date, end: dt.date) -> str:
    """How long from `start` to `end`: "2 years 3 months", "1 year", "5 months", "less than a month"."""
    months = months_between(start, end)
    if months == 0:
        return "less than a month"
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append("1 year" if years == 1 else f"{years} years")
    if rest:
        parts.append("1 month" if rest == 1 else f"{rest} months")
    return " ".join(parts)


# ---- the facts the checks read -------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    known_as: str
    lived_experience: bool = False


@dataclass(frozen=True)
class Seat:
    """A current place in a group. For a lead role, `lead_since` is when the member's unbroken spell
    in lead roles of the group began (a chair who became co-chair has led since they became chair)."""

    person: Person
    role: str
    started_on: dt.date
    lead_since: dt.date | None = None

    @property
    def leads(self) -> bool:
        return self.role in LEAD_ROLES

    @property
    def led_from(self) -> dt.date:
        return self.lead_since or self.started_on


@dataclass(frozen=True)
class Meeting:
    """A session that was not cancelled: its day and who hosted it (None if no one was named)."""

    on: dt.date
    host_id: uuid.UUID | None


@dataclass(frozen=True)
class GroupFacts:
    id: uuid.UUID
    name: str
    started_on: dt.date
    seats: tuple[Seat, ...] = ()
    open_action_owners: tuple[uuid.UUID, ...] = ()  # one entry per open action
    meetings: tuple[Meeting, ...] = ()  # sessions that were not cancelled (any date)
    hosts: Mapping[uuid.UUID, str] = field(default_factory=dict)  # names of hosts who are not in `seats`

    @property
    def lead_seats(self) -> list[Seat]:
        return [s for s in self.seats if s.leads]

    def name_of(self, member_id: uuid.UUID) -> str:
        for seat in self.seats:
            if seat.person.id == member_id:
                return seat.person.known_as
        return self.hosts.get(member_id, "A former member")


@dataclass(frozen=True)
class Concern:
    check: str
    group_id: uuid.UUID | None
    group_name: str
    what: str  # what was noticed, naming the group and people
    why: str  # why it matters
    step: str  # a suggested step
    member_ids: tuple[uuid.UUID, ...] = ()


def lead_spell_start(rows: Iterable[tuple[str, dt.date, dt.date | None]]) -> dt.date | None:
    """When a member's current, unbroken spell in lead roles began, from their rows in one group as
    (role, started_on, ended_on). None if their current row is not a lead role. A row that ends on the
    day the next one starts continues the spell (a change of role ends one row and starts another)."""
    ordered = sorted(rows, key=lambda r: (r[1], r[2] or dt.date.max))
    if not ordered or ordered[-1][2] is not None or ordered[-1][0] not in LEAD_ROLES:
        return None
    since = ordered[-1][1]
    for role, started_on, ended_on in reversed(ordered[:-1]):
        if role not in LEAD_ROLES or ended_on is None or ended_on < since:
            break
        since = min(since, started_on)
    return since


# ---- the checks ----------------------------------------------------------------------------------


def _names(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _role_label(role: str) -> str:
    return str(GroupRole(role).label).lower() if role in GroupRole.values else role


def single_lead(group: GroupFacts) -> list[Concern]:
    """(a) Fewer than `MIN_LEADS` people in lead roles."""
    leads = group.lead_seats
    if len(leads) >= MIN_LEADS:
        return []
    if not leads:
        return [
            Concern(
                check=SINGLE_LEAD,
                group_id=group.id,
                group_name=group.name,
                what=f"No one is in a lead role in {group.name}.",
                why="Without a chair, co-chair or coordinator, no one plans its sessions or keeps track of its actions.",
                step="Ask the group who would like to chair or coordinate it, and give them the role.",
            )
        ]
    seat = leads[0]
    return [
        Concern(
            check=SINGLE_LEAD,
            group_id=group.id,
            group_name=group.name,
            what=f"{seat.person.known_as} is the only person in a lead role in {group.name}.",
            why="If they move on or are unwell, the group has no one to plan its sessions or follow up its actions.",
            step="Ask the group whether someone would share the lead as co-chair or coordinator.",
            member_ids=(seat.person.id,),
        )
    ]


def long_tenure(group: GroupFacts, today: dt.date) -> list[Concern]:
    """(b) A lead role held by the same member for more than `LONG_TENURE_MONTHS` months."""
    limit = add_months(today, -LONG_TENURE_MONTHS)
    concerns = []
    for seat in group.lead_seats:
        if seat.led_from < limit:
            concerns.append(
                Concern(
                    check=LONG_TENURE,
                    group_id=group.id,
                    group_name=group.name,
                    what=(
                        f"{seat.person.known_as} has led {group.name} for {tenure_text(seat.led_from, today)} "
                        f"(now as {_role_label(seat.role)})."
                    ),
                    why="Long spells in one role build knowledge that can leave with the person, and can keep others from leading.",
                    step="Talk about a hand-over: a co-chair who shadows the role for a few months shares what they know.",
                    member_ids=(seat.person.id,),
                )
            )
    return concerns


def many_leads(groups: Iterable[GroupFacts]) -> list[Concern]:
    """(c) A member in lead roles in `MANY_LEAD_ROLES` or more groups at once."""
    led: dict[uuid.UUID, list[str]] = {}
    names: dict[uuid.UUID, str] = {}
    for group in groups:
        for seat in group.lead_seats:
            led.setdefault(seat.person.id, []).append(group.name)
            names[seat.person.id] = seat.person.known_as
    concerns = []
    for member_id, group_names in sorted(led.items(), key=lambda item: names[item[0]]):
        if len(group_names) >= MANY_LEAD_ROLES:
            concerns.append(
                Concern(
                    check=MANY_LEADS,
                    group_id=None,
                    group_name="",
                    what=f"{names[member_id]} leads {len(group_names)} groups: {_names(sorted(group_names))}.",
                    why="A lot of the Collaborative rests on one person: if they step back, several groups lose their lead at once.",
                    step="Ask them which role they would most like to hand over, and who could take it on.",
                    member_ids=(member_id,),
                )
            )
    return concerns


def many_leads_for(group: GroupFacts, lead_counts: Mapping[uuid.UUID, int]) -> list[Concern]:
    """(c) for one group's page: its leads who lead `MANY_LEAD_ROLES` or more groups (`lead_counts`
    counts each member's current lead roles across the site's groups)."""
    concerns = []
    for seat in group.lead_seats:
        count = lead_counts.get(seat.person.id, 0)
        if count >= MANY_LEAD_ROLES:
            concerns.append(
                Concern(
                    check=MANY_LEADS,
                    group_id=group.id,
                    group_name=group.name,
                    what=f"{seat.person.known_as} leads {count} groups, this one included.",
                    why="A lot of the Collaborative rests on one person: if they step back, several groups lose their lead at once.",
                    step="Ask them which role they would most like to hand over, and who could take it on.",
                    member_ids=(seat.person.id,),
                )
            )
    return concerns


def actions_concentrated(group: GroupFacts) -> list[Concern]:
    """(d) One member owns more than `ACTIONS_SHARE` of the group's open actions (at least
    `ACTIONS_MIN_OPEN` open)."""
    total = len(group.open_action_owners)
    if total < ACTIONS_MIN_OPEN:
        return []
    owner, count = Counter(group.open_action_owners).most_common(1)[0]
    if count <= total * ACTIONS_SHARE:
        return []
    return [
        Concern(
            check=ACTIONS_CONCENTRATED,
            group_id=group.id,
            group_name=group.name,
            what=f"{group.name_of(owner)} owns {count} of the {total} open actions of {group.name}.",
            why="When one person carries most of the work, it stalls if they are away, and others have less chance to take part.",
            step="At the next session, ask who could take on some of these actions.",
            member_ids=(owner,),
        )
    ]


def same_host(group: GroupFacts, today: dt.date) -> list[Concern]:
    """(e) Every session in the last `HOSTING_MONTHS` months (at least `HOSTING_MIN_SESSIONS`) hosted by
    the same member."""
    since = add_months(today, -HOSTING_MONTHS)
    recent = [m for m in group.meetings if since <= m.on <= today]
    if len(recent) < HOSTING_MIN_SESSIONS:
        return []
    hosts = {m.host_id for m in recent}
    if len(hosts) != 1 or None in hosts:
        return []
    host = next(iter(hosts))
    assert host is not None
    return [
        Concern(
            check=SAME_HOST,
            group_id=group.id,
            group_name=group.name,
            what=(
                f"{group.name_of(host)} hosted all {len(recent)} sessions of {group.name} "
                f"in the last {HOSTING_MONTHS} months."
            ),
            why="Hosting in turn builds more connections and means the group does not rely on one person.",
            step="Agree a rota so that a different member hosts each session.",
            member_ids=(host,),
        )
    ]


def no_lived_experience(group: GroupFacts) -> list[Concern]:
    """(f) No one with lived experience among the group's current members (a group with no members is
    left to check (a))."""
    if not group.seats or any(s.person.lived_experience for s in group.seats):
        return []
    return [
        Concern(
            check=NO_LIVED_EXPERIENCE,
            group_id=group.id,
            group_name=group.name,
            what=f"No one in {group.name} has told the Collaborative they have lived experience of mental health.",
            why="Co-production means people with lived experience shape the work from the start, not only when asked for feedback.",
            step="Invite members with lived experience to join, and ask what would help them take part.",
        )
    ]


def no_recent_session(group: GroupFacts, today: dt.date) -> list[Concern]:
    """(g) No session in the last `QUIET_MONTHS` months (a group younger than that is not counted)."""
    since = add_months(today, -QUIET_MONTHS)
    if group.started_on > since:
        return []
    past = [m.on for m in group.meetings if m.on <= today]
    last = max(past) if past else None
    if last is not None and last >= since:
        return []
    when = f"since {last.day} {last:%B %Y}" if last else "since it started"
    return [
        Concern(
            check=NO_RECENT_SESSION,
            group_id=group.id,
            group_name=group.name,
            what=f"{group.name} has not met {when}.",
            why="Groups that stop meeting lose their members and their momentum, often without anyone deciding it.",
            step="Ask its leads whether it still needs to meet, plan a session, or end the group.",
        )
    ]


def concerns_for_group(
    group: GroupFacts, today: dt.date, lead_counts: Mapping[uuid.UUID, int] | None = None
) -> list[Concern]:
    """Every check for one group, in the order of `CHECK_ORDER`."""
    return [
        *single_lead(group),
        *long_tenure(group, today),
        *many_leads_for(group, lead_counts or {}),
        *actions_concentrated(group),
        *same_host(group, today),
        *no_lived_experience(group),
        *no_recent_session(group, today),
    ]


def concerns(groups: Sequence[GroupFacts], today: dt.date) -> dict[str, list[Concern]]:
    """Every check across the site's current groups, by check (in `CHECK_ORDER`); (c) once per member."""
    found: dict[str, list[Concern]] = {check: [] for check in CHECK_ORDER}
    for group in groups:
        for concern in concerns_for_group(group, today):
            found[concern.check].append(concern)
    found[MANY_LEADS] = many_leads(groups)
    return found
