"""How the Collaborative shows its members and money: by the name a member chose, never a record's."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse

from livingwell.collaborative.models import Member, Perspective
from livingwell.network.models import Sector

_PUBLIC_KIND = {
    Perspective.LIVED_EXPERIENCE: "a member with lived experience",
    Perspective.CARER: "a carer",
    Perspective.STAFF: "a member who works in the network",
    Perspective.COMMISSIONER: "a commissioner",
    Perspective.CITIZEN: "a citizen",
}


def perspectives_text(member: Member) -> str:
    """ "Lived experience of mental health; works in the network (Voluntary and community)"."""
    parts = []
    sector = dict(Sector.choices).get(member.sector, "") if member.sector else ""
    for perspective in member.perspectives:
        label = str(perspective.label)
        if perspective in (Perspective.STAFF, Perspective.COMMISSIONER) and sector:
            label = f"{label} ({sector})"
        parts.append(label)
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def public_name(member: Member) -> str:
    """The name shown on public pages: the member's own if they agreed, else what they bring
    ("A member with lived experience")."""
    if member.public_name:
        return member.known_as
    first = member.perspectives[0] if member.perspectives else Perspective.CITIZEN
    text = _PUBLIC_KIND[first]
    return text[:1].upper() + text[1:]


def member_href(member: Member) -> str:
    """The member's page, for those whose page any member may open (listed, and still a member);
    empty otherwise, so that no page links to one its reader cannot open."""
    if not member.listed or member.left_on is not None:
        return ""
    return reverse("collaborative:member", args=[member.pk])


def money(amount: Decimal | None) -> str:
    """£1,250 or £1,250.50; empty for no amount."""
    if amount is None:
        return ""
    if amount == amount.to_integral_value():
        return f"£{int(amount):,}"
    return f"£{amount:,.2f}"


def crumbs(*items: tuple[str, str]) -> list[dict[str, Any]]:
    """Breadcrumbs that start at the Collaborative's workspace: pass (text, href) pairs above the page."""
    return [{"text": "The Collaborative", "href": reverse("collaborative:home")}] + [
        {"text": text, "href": href} for text, href in items
    ]


def public_crumbs(*items: tuple[str, str]) -> list[dict[str, Any]]:
    """Breadcrumbs for the public pages, starting at "The Collaborative" page anyone can read."""
    return [{"text": "The Collaborative", "href": reverse("collaborative:about")}] + [
        {"text": text, "href": href} for text, href in items
    ]
