"""The mix of people in a room or a decision: how many bring each perspective, which sectors staff
come from, and the share of people with lived experience. Shared by sessions, decisions and panels."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from livingwell.collaborative.models import PERSPECTIVE_FIELDS, Member, Perspective
from livingwell.network.models import Sector


def percent(count: int, total: int) -> int | None:
    """`count` of `total` as a whole percentage, halves rounded up (5 of 8 is 63%); None for no one."""
    if total <= 0:
        return None
    return (count * 200 + total) // (total * 2)


def share_text(count: int, total: int) -> str:
    """ "5 of 12 (42%)", or "none yet" when nobody is counted."""
    share = percent(count, total)
    if share is None:
        return "none yet"
    return f"{count} of {total} ({share}%)"


@dataclass(frozen=True)
class Mix:
    """Who was there. A member counts once in `total` and under each perspective they bring."""

    total: int
    perspectives: dict[Perspective, int] = field(default_factory=dict)
    sectors: dict[str, int] = field(default_factory=dict)  # sector label → staff and commissioners from it
    guests: int = 0

    @property
    def lived_experience(self) -> int:
        return self.perspectives.get(Perspective.LIVED_EXPERIENCE, 0)

    @property
    def lived_experience_share(self) -> int | None:
        return percent(self.lived_experience, self.total)

    @property
    def lived_experience_text(self) -> str:
        return share_text(self.lived_experience, self.total)

    def rows(self) -> list[tuple[str, int]]:
        """(label, count) for each perspective someone brought, in the order of `Perspective`."""
        return [(p.label, self.perspectives[p]) for p in Perspective if self.perspectives.get(p)]

    def sector_rows(self) -> list[tuple[str, int]]:
        return sorted(self.sectors.items(), key=lambda item: (-item[1], item[0]))


def mix_of(members: Iterable[Member], *, guests: int = 0) -> Mix:
    """The mix of `members` (each counted once even if listed twice), with `guests` who are not members."""
    seen: dict[object, Member] = {}
    for member in members:
        seen.setdefault(member.pk, member)
    perspectives: Counter[Perspective] = Counter()
    sectors: Counter[str] = Counter()
    labels = dict(Sector.choices)
    for member in seen.values():
        for perspective, name in PERSPECTIVE_FIELDS.items():
            if getattr(member, name):
                perspectives[perspective] += 1
        if (member.staff or member.commissioner) and member.sector:
            sectors[str(labels.get(member.sector, member.sector))] += 1
    return Mix(total=len(seen), perspectives=dict(perspectives), sectors=dict(sectors), guests=guests)
