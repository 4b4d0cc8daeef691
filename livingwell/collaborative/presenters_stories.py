"""How the story bank shows stories, their consent and their check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.forms import BoundField
from django.urls import reverse

from livingwell.collaborative.deidentify import KIND_LABELS, Finding
from livingwell.collaborative.models import ConsentLevel, Insight, Perspective, Story, StoryStatus
from livingwell.collaborative.presenters import public_name
from livingwell.collaborative.stories import CHECKED_LEVELS, CheckState
from livingwell.core.presenters import date

_TELLER = {
    Perspective.LIVED_EXPERIENCE: "Someone with lived experience of mental health",
    Perspective.CARER: "A carer, family member or friend",
    Perspective.STAFF: "Someone who works in the network",
    Perspective.COMMISSIONER: "A commissioner",
    Perspective.CITIZEN: "A citizen or neighbour",
}

CONSENT_EXPLAINED = {
    ConsentLevel.TEAM: "Only the group that gathered it may read it.",
    ConsentLevel.COLLABORATIVE: "Members of the Collaborative may read it, once it is checked and shared.",
    ConsentLevel.PUBLIC: "Anyone may read it on the public pages, once it is checked and shared.",
}


SHARE_BUTTON = {
    ConsentLevel.TEAM: "Share it with the group",
    ConsentLevel.COLLABORATIVE: "Share it with members of the Collaborative",
    ConsentLevel.PUBLIC: "Share it on the public pages",
}


def share_button(story: Story) -> str:
    return SHARE_BUTTON[ConsentLevel(story.consent_level)]


def teller_text(story: Story) -> str:
    if not story.teller_perspective:
        return "Not given"
    return _TELLER.get(Perspective(story.teller_perspective), story.get_teller_perspective_display())


def _findings_text(n: int) -> str:
    return "1 finding" if n == 1 else f"{n} findings"


def check_text(story: Story, state: CheckState) -> str:
    """ "Checked on 3 March 2026 by Dee: 2 findings accepted" and the other states of a check."""
    if not state.checked:
        return "Not checked yet"
    by = story.checked_by.known_as if story.checked_by else "a member who has left"
    head = f"Checked on {date(story.checked_at)} by {by}"
    if not state.current:
        return f"{head}, but the words have changed since: check them again"
    if not state.findings:
        return f"{head}: nothing found"
    if state.open == 0:
        return f"{head}, {_findings_text(state.accepted)} accepted"
    return f"{head}: {state.open} of {_findings_text(len(state.findings))} still to change or accept"


def status_text(story: Story) -> str:
    if story.status == StoryStatus.SHARED:
        how_far = {
            ConsentLevel.TEAM: "with the group",
            ConsentLevel.COLLABORATIVE: "with members of the Collaborative",
            ConsentLevel.PUBLIC: "on the public pages",
        }[ConsentLevel(story.consent_level)]
        return f"Shared {how_far} on {date(story.shared_at)}"
    if story.status == StoryStatus.WITHDRAWN:
        return f"Withdrawn by the teller on {date(story.withdrawn_at)}"
    return "Not shared yet"


@dataclass(frozen=True)
class Readiness:
    """Whether the story can be shared now, and if not what to do first."""

    can_share: bool
    needs_check: bool
    message: str


def readiness(story: Story, state: CheckState) -> Readiness:
    if story.status != StoryStatus.DRAFT:
        return Readiness(False, False, "")
    if story.consent_level not in CHECKED_LEVELS:
        return Readiness(True, False, "The group that gathered it can read it as soon as you share it.")
    if not state.checked:
        return Readiness(False, True, "Check the words for anything that could identify the teller before sharing.")
    if not state.current:
        return Readiness(False, True, "The words changed after the check. Check them again before sharing.")
    if state.open:
        return Readiness(
            False,
            True,
            f"{state.open} of {_findings_text(len(state.findings))} still need the words changing or a reason to keep them.",
        )
    return Readiness(True, False, "The check of these words is done.")


def insights_text(story: Story) -> list[str]:
    labels = dict(Insight.choices)
    return [str(labels[i]) for i in story.insights or [] if i in labels]


def story_row(story: Story) -> dict[str, Any]:
    return {
        "title": story.title,
        "href": reverse("collaborative:story", args=[story.pk]),
        "kind": story.get_kind_display(),
        "group": story.group.name,
        "gathered_on": date(story.gathered_on),
        "gathered_by": story.gathered_by.known_as,
        "status": story.get_status_display(),
        "consent": story.get_consent_level_display(),
        "themes": [t.name for t in story.themes.all()],
        "linked": bool(getattr(story, "prototype_count", 0) or getattr(story, "decision_count", 0)),
    }


def public_row(story: Story) -> dict[str, Any]:
    """What the public list shows: never who gathered it."""
    return {
        "title": story.title,
        "href": reverse("collaborative:public_story", args=[story.pk]),
        "kind": story.get_kind_display(),
        "teller": teller_text(story) if story.teller_perspective else "",
        "themes": [t.name for t in story.themes.all()],
        "first_words": _first_words(story.body),
    }


def _first_words(body: str, limit: int = 200) -> str:
    text = " ".join(body.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return f"{cut} …"


def gathered_public(story: Story) -> str:
    """ "Gathered in March 2026 by a carer": the gatherer only as `public_name` allows, the month only."""
    name = public_name(story.gathered_by)
    if not story.gathered_by.public_name:
        name = name[:1].lower() + name[1:]
    return f"Gathered in {story.gathered_on:%B %Y} by {name}"


# ---- the check: the words with each finding marked -------------------------------------------------


@dataclass(frozen=True)
class Segment:
    text: str
    number: int | None = None  # the finding's number, for marked text
    label: str = ""


def segments(text: str, findings: list[Finding], *, offset: int = 0) -> list[Segment]:
    """`text` (which starts at `offset` in the checked words) cut into plain and marked pieces."""
    pieces: list[Segment] = []
    cursor = 0
    end_of_text = len(text)
    for number, finding in enumerate(findings, start=1):
        start, end = finding.start - offset, finding.end - offset
        if end <= 0 or start >= end_of_text:
            continue
        start, end = max(start, 0), min(end, end_of_text)
        if start > cursor:
            pieces.append(Segment(text[cursor:start]))
        pieces.append(Segment(text[start:end], number, KIND_LABELS[finding.kind].lower()))
        cursor = end
    if cursor < end_of_text:
        pieces.append(Segment(text[cursor:]))
    return pieces


def finding_rows(findings: list[Finding], form_fields: list[BoundField] | None = None) -> list[dict[str, Any]]:
    return [
        {
            "number": n,
            "kind": KIND_LABELS[f.kind],
            "text": f.text,
            "why": f.why,
            "field": form_fields[n - 1] if form_fields else None,
        }
        for n, f in enumerate(findings, start=1)
    ]


def saved_finding_rows(state: CheckState) -> list[dict[str, Any]]:
    labels = {str(k): v for k, v in KIND_LABELS.items()}
    return [
        {
            "number": n,
            "kind": labels.get(f.get("kind", ""), f.get("kind", "")),
            "text": f.get("text", ""),
            "why": f.get("why", ""),
            "reason": f.get("reason", ""),
        }
        for n, f in enumerate(state.findings, start=1)
    ]


def select_items(bf: BoundField, *, empty: str) -> list[dict[str, Any]]:
    """Items for a filter's select, with `empty` for "any" instead of "Choose"."""
    chosen = str(bf.value() or "")
    return [
        {"value": str(value), "text": str(text if value else empty), "selected": str(value) == chosen}
        for value, text in bf.field.choices  # type: ignore[attr-defined]
    ]
