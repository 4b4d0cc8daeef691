"""Recognising returning people: is a new introduction someone we already know?

The same NHS number is the same person (the front door links them at once). Otherwise we look for
a close match on name, date of birth and postcode (with email and phone as further signs), and a
coordinator confirms it: a wrong merge would show one person's story to another, so a score alone
never merges two records.

The score adds up the signs (capped at 1):

| sign                                             | adds  |
|--------------------------------------------------|-------|
| same date of birth                               | 0.40  |
| similar family name (x similarity, at least 0.85)| 0.25  |
| similar first name, or same initial              | 0.20  |
| same postcode (same district: 0.05)              | 0.15  |
| same email address                               | 0.20  |
| same phone number                                | 0.20  |

A score of at least 0.6 is put to the coordinator: name and date of birth (0.85), name and postcode
(0.60) or name and email (0.65) are; a date of birth and postcode with a different name (0.55) is not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Q

from livingwell.people.models import Person

THRESHOLD = 0.6
CANDIDATE_LIMIT = 50


def normalise_name(value: str) -> str:
    """'Zoë O'Neill-Smith ' -> 'zoeoneillsmith': accents, case, spaces and punctuation do not count."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if c.isalpha() and not unicodedata.combining(c)).casefold()


def normalise_phone(value: str) -> str:
    """UK numbers in any common form to their national digits: '+44 7700 900123' -> '07700900123'."""
    digits = re.sub(r"\D", "", value)
    if digits.startswith("44") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def similarity(a: str, b: str) -> float:
    a, b = normalise_name(a), normalise_name(b)
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: float
    reasons: tuple[str, ...]


def score(new: Person, known: Person) -> Candidate:
    total = 0.0
    reasons: list[str] = []
    if new.date_of_birth and known.date_of_birth == new.date_of_birth:
        total += 0.40
        reasons.append("same date of birth")
    family = similarity(new.family_name, known.family_name)
    if family >= 0.85:
        total += 0.25 * family
        reasons.append("same family name" if family == 1 else "similar family name")
    first_names = {known.given_name, known.preferred_name} - {""}
    given = max((similarity(new.given_name, name) for name in first_names), default=0.0)
    if given >= 0.8:
        total += 0.20 * given
        reasons.append("same first name" if given == 1 else "similar first name")
    elif any(normalise_name(name)[:1] == normalise_name(new.given_name)[:1] for name in first_names if name):
        total += 0.10
        reasons.append("same first initial")
    if new.postcode and known.postcode:
        if new.postcode == known.postcode:
            total += 0.15
            reasons.append("same postcode")
        elif new.postcode.split(" ")[0] == known.postcode.split(" ")[0]:
            total += 0.05
            reasons.append("same postcode district")
    if new.email and known.email and new.email.casefold() == known.email.casefold():
        total += 0.20
        reasons.append("same email address")
    if new.phone and known.phone and normalise_phone(new.phone) == normalise_phone(known.phone):
        total += 0.20
        reasons.append("same phone number")
    return Candidate(known, round(min(total, 1.0), 3), tuple(reasons))


def find_candidates(new: Person) -> list[Candidate]:
    """People at the same site who may be `new`, best first (at most five, all above the threshold).

    Each sign is its own indexed query, so that the look-up stays fast at borough scale.
    """
    others = Person.objects.filter(site_id=new.site_id).exclude(pk=new.pk)
    lookups: list[Q] = []
    if new.date_of_birth:
        lookups.append(Q(date_of_birth=new.date_of_birth))
    if new.email:
        lookups.append(Q(email__in={new.email, new.email.lower()}))
    if new.phone:
        lookups.append(Q(phone=new.phone))
    if new.family_name and new.postcode:
        lookups.append(Q(postcode=new.postcode, family_name__iexact=new.family_name))
    found: dict[object, Person] = {}
    for lookup in lookups:
        for person in others.filter(lookup)[:CANDIDATE_LIMIT]:
            found.setdefault(person.pk, person)
    candidates = [score(new, person) for person in found.values()]
    return sorted((c for c in candidates if c.score >= THRESHOLD), key=lambda c: (-c.score, str(c.person.pk)))[:5]
