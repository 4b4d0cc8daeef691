"""Relational or mechanistic? The statements of the balcony exercise, from the Living Well UK table of
the three forces (purpose, power and practice) seen by people with mental health needs and by
practitioners in the system (seed 000).

Each row of the table is a pair of poles: how the system looks when it is relational, and when it is
mechanistic. Members place the system on a scale from 0 (wholly mechanistic) to 10 (wholly relational)
for each of the six pairs; the key of a pair (`purpose.people`, `power.practitioners`, ...) is what
`BalconyPlacement.statement` stores, so the keys must never change once a round has answers.

The wording is the table's own, sentence by sentence (where a cell holds several sentences, they are
all kept). Three changes: the table's typos "needshave" and "people experience mental health
challenges" are mended, and the mechanistic purpose of
practitioners says "strict criteria and cut-offs for who gets help" where the table names the
mechanistic words themselves, which Living Well keeps out of everything people read.
"""

from __future__ import annotations

from dataclasses import dataclass

PEOPLE = "people"
PRACTITIONERS = "practitioners"

INTRO = (
    "The Living Well programme found that three forces, purpose, power and practice, pull a mental health "
    "system in opposite directions: towards relational responses built on trusting relationships, or "
    "towards mechanistic responses built on diagnoses, protocols and managing demand. Mechanistic responses "
    "often dominate without anyone noticing. This exercise gives us time, space and permission to move to "
    "a shared 'balcony' perspective: to step back together, reflect on the patterns we are seeing, bring "
    "these tensions to the surface and work with them to find better ways of working as a system."
)

HOW_TO = (
    "For each pair of statements, choose where our system is today: 0 means the mechanistic statement "
    "describes it completely, 10 means the relational statement does, and 5 is halfway between. "
    "You can skip any pair."
)


@dataclass(frozen=True)
class Force:
    key: str
    name: str
    aim: str


@dataclass(frozen=True)
class Viewpoint:
    key: str
    name: str


FORCES: tuple[Force, ...] = (
    Force(
        "purpose",
        "Purpose",
        "Developing a system wide vision for a renewed and enlarged purpose for mental health based on a "
        "fierce belief in people.",
    ),
    Force(
        "power",
        "Power",
        "Fostering collaboration and broadening the diversity and authority of those who are engaged in "
        "shaping mental health services and support.",
    ),
    Force(
        "practice",
        "Practice",
        "Developing the values, culture and ways of working that encourage co-production of support with "
        "and for people experiencing mental health challenges.",
    ),
)

VIEWPOINTS: tuple[Viewpoint, ...] = (
    Viewpoint(PEOPLE, "People with mental health needs"),
    Viewpoint(PRACTITIONERS, "Practitioners in the system"),
)


@dataclass(frozen=True)
class Statement:
    """One row of the table for one viewpoint: the relational pole (10) and the mechanistic pole (0)."""

    force: Force
    viewpoint: Viewpoint
    relational_sentences: tuple[str, ...]
    mechanistic_sentences: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{self.force.key}.{self.viewpoint.key}"

    @property
    def title(self) -> str:
        """'Purpose: people with mental health needs'."""
        return f"{self.force.name}: {self.viewpoint.name[:1].lower()}{self.viewpoint.name[1:]}"

    @property
    def prefix(self) -> str:
        return field_prefix(self.key)

    @property
    def relational(self) -> str:
        return " ".join(self.relational_sentences)

    @property
    def mechanistic(self) -> str:
        return " ".join(self.mechanistic_sentences)


_FORCE = {force.key: force for force in FORCES}
_VIEW = {view.key: view for view in VIEWPOINTS}


def _statement(force: str, view: str, relational: tuple[str, ...], mechanistic: tuple[str, ...]) -> Statement:
    return Statement(_FORCE[force], _VIEW[view], relational, mechanistic)


STATEMENTS: tuple[Statement, ...] = (
    _statement(
        "purpose",
        PEOPLE,
        (
            "People with mental health needs are core to a shared vision that invests in people to lead "
            "bigger, better lives, despite diagnosis, complexity or perceived risk.",
        ),
        ("People with mental health needs are defined by diagnosis of condition.",),
    ),
    _statement(
        "purpose",
        PRACTITIONERS,
        (
            "Practitioners in the system work to a shared system purpose and with shared responsibility for "
            "people in need, no matter where they ask for support.",
        ),
        (
            "Practitioners in the system work in separation towards narrowly defined organisational objectives.",
            "Practitioners in the system focus on immediate demand management, using strict criteria and "
            "cut-offs for who gets help.",
        ),
    ),
    _statement(
        "power",
        PEOPLE,
        (
            "People with mental health needs can be supported by family, friends, communities and local "
            "places, alongside practitioners.",
            "People with mental health needs can use their wisdom and capacity to design, deliver and "
            "evaluate new service models, alongside those in senior/formal positions of power and authority.",
        ),
        (
            "People with mental health needs are best managed by clinical experts.",
            "People with mental health needs are valued when compliant and/or passive recipients of treatment.",
            "People with mental health needs are managed and contained effectively.",
        ),
    ),
    _statement(
        "power",
        PRACTITIONERS,
        (
            "Practitioners in the system experience and stay in relationship with the emotional distress of "
            "others in order to find meaningful responses of support and care.",
            "Practitioners in the system are connected to people with lived experience in both positions of "
            "formal power and authority and in non-hierarchical relationships.",
            "Practitioners in the system seek to foster innovative ideas and disrupt unhelpful patterns and "
            "ways of working.",
        ),
        (
            "Practitioners in the system primarily value and trust existing clinical models and pathways.",
            "Practitioners in the system question the authority and value of voluntary and community offers.",
            "Practitioners in the system seek to maintain and stabilise the current system.",
        ),
    ),
    _statement(
        "practice",
        PEOPLE,
        (
            "People with mental health needs are unique individuals with complex lives who require a holistic "
            "perspective to see 'the whole person'.",
            "People with mental health needs have capacity and rich resources to draw on.",
            "People with mental health needs can access support where and when they need it and only have to "
            "tell their story once.",
        ),
        (
            "People with mental health needs are defined and managed according to fixed and finite diagnoses.",
            "People with mental health needs have a deficit of capacity and resources.",
            "People with mental health needs require prescribed pathways and offers.",
        ),
    ),
    _statement(
        "practice",
        PRACTITIONERS,
        (
            "Practitioners in the system are supported by managers to safely exercise their own judgement in "
            "how they provide support.",
            "Practitioners in the system are nurtured by governance and management structures to coproduce "
            "innovations and evolve practice.",
        ),
        (
            "Practitioners in the system follow protocols given to them by their managers.",
            "Practitioners in the system do not have permission to use their own judgement.",
            "Practitioners in the system are directed by governance and management structures that direct "
            "action and manage risk within prescribed and standardised processes and protocols.",
        ),
    ),
)

BY_KEY: dict[str, Statement] = {statement.key: statement for statement in STATEMENTS}
KEYS: tuple[str, ...] = tuple(BY_KEY)
LOWEST, HIGHEST = 0, 10  # wholly mechanistic, wholly relational


def field_prefix(key: str) -> str:
    """The form fields' prefix for a statement: 'purpose_people' (no dot, so ids work in CSS and links)."""
    return key.replace(".", "_")


def statement(key: str) -> Statement | None:
    return BY_KEY.get(key)
