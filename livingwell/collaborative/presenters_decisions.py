"""How decisions are shown: who took part and how, the tally, the mix, the money and the result.

Member pages name members by `known_as`; public pages only through `presenters.public_name`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from livingwell.collaborative import presenters
from livingwell.collaborative.decisions import AGREED_RESULTS, STANCES, STANDING_AGAINST, Tally, tally_of
from livingwell.collaborative.forms_decisions import METHOD_HELP
from livingwell.collaborative.mix import mix_of, percent
from livingwell.collaborative.models import (
    ActionPoint,
    ActionStatus,
    Decision,
    DecisionMethod,
    DecisionParticipant,
    DecisionStatus,
    Member,
    ParticipantRole,
    Stance,
    Story,
)
from livingwell.collaborative.selectors_decisions import DecisionParts, LogTotals
from livingwell.core.presenters import date

# What someone did, in the past tense (the decision's page and the public log).
STANCE_DONE: dict[str, str] = {
    Stance.CONSENT: "Consented",
    Stance.AGREE: "Agreed",
    Stance.STAND_ASIDE: "Stood aside",
    Stance.OBJECT: "Objected",
    Stance.BLOCK: "Blocked",
    Stance.ABSTAIN: "Abstained",
}
# The tally's headings for each stance.
STANCE_HEADING: dict[str, str] = {
    Stance.CONSENT: "Consent",
    Stance.AGREE: "Agree",
    Stance.STAND_ASIDE: "Stand aside",
    Stance.OBJECT: "Object",
    Stance.BLOCK: "Block",
    Stance.ABSTAIN: "Abstain",
}
METHOD_SHORT = {DecisionMethod.CONSENT: "Consent", DecisionMethod.CONSENSUS: "Consensus", DecisionMethod.VOTE: "Vote"}


def link(name: str, *args: Any) -> str:
    """The address of a Collaborative page."""
    return reverse(f"collaborative:{name}", args=args or None)


crumbs = presenters.crumbs
public_crumbs = presenters.public_crumbs


def took_part_text(count: int, lived: int) -> str:
    """ "7 people took part, 3 with lived experience (43%)"."""
    if count <= 0:
        return "No one was recorded as taking part"
    people = "1 person" if count == 1 else f"{count} people"
    return f"{people} took part, {lived} with lived experience ({percent(lived, count)}%)"


def share_text(count: int, lived: int) -> str:
    share = percent(lived, count)
    return "" if share is None else f"{share}%"


def money_text(decision: Decision) -> str:
    """ "£2,500 from the ideas fund", or "No money involved"."""
    if decision.money is None:
        return "No money involved"
    amount = presenters.money(decision.money)
    return f"{amount}, {decision.money_note}" if decision.money_note else amount


def stance_text(participant: DecisionParticipant, *, open_: bool) -> str:
    if participant.stance == Stance.VOTE:
        return f"Voted for “{participant.option.text}”" if participant.option else "Voted"
    if participant.stance:
        return STANCE_DONE.get(participant.stance, participant.get_stance_display())
    return "Has not said yet" if open_ else "Not recorded"


def result_text(decision: Decision) -> str:
    if decision.status == DecisionStatus.WITHDRAWN:
        return "Withdrawn"
    if decision.status == DecisionStatus.OPEN:
        return "Open for views"
    text = decision.get_result_display()
    if decision.chosen_option is not None and decision.result in AGREED_RESULTS:
        text = f"{text}: “{decision.chosen_option.text}”"
    return text


def status_tag(decision: Decision) -> dict[str, str]:
    colour = {
        DecisionStatus.OPEN: "nhsuk-tag--blue",
        DecisionStatus.DECIDED: "nhsuk-tag--green",
        DecisionStatus.WITHDRAWN: "nhsuk-tag--grey",
    }[DecisionStatus(decision.status)]
    return {"text": decision.get_status_display(), "classes": colour}


# ---- lists ------------------------------------------------------------------------------------------


def list_row(decision: Decision) -> dict[str, Any]:
    """A decision in the members' list (annotated with `said_count` and `my_stance` by the selector)."""
    mine = getattr(decision, "my_stance", None) or ""
    said = getattr(decision, "said_count", 0)
    return {
        "title": decision.title,
        "href": reverse("collaborative:decision", args=[decision.pk]),
        "group": decision.group.name,
        "method": METHOD_SHORT[DecisionMethod(decision.method)],
        "status": status_tag(decision),
        "result": result_text(decision),
        "decided_on": date(decision.decided_on, "") if decision.decided_on else "",
        "said": "1 person has said where they stand" if said == 1 else f"{said} people have said where they stand",
        "mine": STANCE_DONE.get(mine, "Voted" if mine == Stance.VOTE else ""),
        "took_part": took_part_text(decision.participant_count, decision.lived_experience_count)
        if decision.status == DecisionStatus.DECIDED
        else "",
        "money": presenters.money(decision.money),
        "is_public": decision.is_public,
    }


def log_row(decision: Decision) -> dict[str, Any]:
    return {
        "title": decision.title,
        "href": reverse("collaborative:public_decision", args=[decision.pk]),
        "date": date(decision.decided_on),
        "group": decision.group.name,
        "method": METHOD_SHORT[DecisionMethod(decision.method)],
        "result": result_text(decision),
        "money": presenters.money(decision.money) or "none",
        "took_part": took_part_text(decision.participant_count, decision.lived_experience_count),
    }


def totals(found: LogTotals) -> dict[str, str]:
    decisions = "1 decision" if found.decisions == 1 else f"{found.decisions} decisions"
    return {
        "since": date(found.since),
        "decisions": decisions,
        "median_share": "No one counted yet" if found.median_share is None else f"{found.median_share}%",
        "money": presenters.money(found.money_agreed),
    }


CSV_HEADERS = [
    "id",
    "date",
    "group",
    "title",
    "method",
    "result",
    "money",
    "participants",
    "lived_experience",
    "share_percent",
]


def _safe(text: str) -> str:
    """So that a spreadsheet does not take a title for a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def log_csv(decisions: Iterable[Decision]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for d in decisions:
        share = percent(d.lived_experience_count, d.participant_count)
        writer.writerow(
            [
                str(d.pk),
                d.decided_on.isoformat() if d.decided_on else "",
                _safe(d.group.name),
                _safe(d.title),
                d.method,
                d.result,
                f"{d.money:.2f}" if d.money is not None else "",
                d.participant_count,
                d.lived_experience_count,
                "" if share is None else share,
            ]
        )
    return buffer.getvalue()


# ---- a decision's page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TallyRow:
    label: str
    count: int
    who: list[str] = field(default_factory=list)


def tally_rows(decision: Decision, parts: DecisionParts, tally: Tally, *, public: bool) -> list[TallyRow]:
    name = presenters.public_name if public else (lambda m: m.known_as)
    rows: list[TallyRow] = []
    if decision.method == DecisionMethod.VOTE:
        for option in parts.options:
            who = [name(p.member) for p in parts.participants if p.stance == Stance.VOTE and p.option_id == option.pk]
            rows.append(TallyRow(option.text, tally.votes.get(option.pk, 0), who))
        stances: Sequence[str] = (Stance.ABSTAIN,)
    else:
        stances = list(STANCES[decision.method])
    for stance in stances:
        who = [name(p.member) for p in parts.participants if p.stance == stance]
        rows.append(TallyRow(STANCE_HEADING[stance], tally.stances.get(stance, 0), who))
    return rows


def participant_rows(parts: DecisionParts, *, public: bool, open_: bool) -> list[dict[str, Any]]:
    rows = []
    for p in parts.participants:
        member = p.member
        rows.append(
            {
                "name": presenters.public_name(member) if public else member.known_as,
                "perspectives": "" if public else presenters.perspectives_text(member),
                "role": p.get_role_display(),
                "stance": stance_text(p, open_=open_),
                "comment": "" if public else p.comment,
                "href": "" if public else presenters.member_href(member),
                "member_id": "" if public else str(member.pk),
                "removable": not public
                and open_
                and p.role != ParticipantRole.PROPOSER
                and p.stance not in STANDING_AGAINST,
            }
        )
    return rows


def action_rows(
    actions: Sequence[ActionPoint], *, public: bool, reader: Member | None = None, opens_group: bool = False
) -> list[dict[str, Any]]:
    """The decision's actions. Each links to its page only for a reader who can open it: someone in (or
    running) the group, or the action's owner; others read the same row without a link."""
    rows = []
    for a in actions:
        done = a.status == ActionStatus.DONE
        rows.append(
            {
                "description": a.description,
                "owner": presenters.public_name(a.owner) if public else a.owner.known_as,
                "due": date(a.due_on),
                "status": a.get_status_display() + (f" on {date(a.done_on)}" if a.done_on else ""),
                "done": done,
                "href": link("action", a.pk)
                if not public and (opens_group or (reader is not None and a.owner_id == reader.pk))
                else "",
            }
        )
    return rows


def story_rows(stories: Sequence[Story], *, public: bool) -> list[dict[str, str]]:
    name = "public_story" if public else "story"
    return [{"title": s.title, "kind": s.get_kind_display(), "href": link(name, s.pk)} for s in stories]


def decision_page(
    decision: Decision,
    parts: DecisionParts,
    *,
    public: bool,
    reader: Member | None = None,
    opens_group: bool = False,
) -> dict[str, Any]:
    """Everything a decision's page shows (the member page, or the public one when `public`).

    `opens_group`: the reader is in the decision's group or runs it, so its session and actions link to
    their pages; a member reading another group's decision sees them without links (those pages are for
    the group), and an open event's page is for every member."""
    session_link = decision.session is not None and not public and (opens_group or decision.session.is_open_event)
    open_ = decision.status == DecisionStatus.OPEN
    tally = tally_of(decision, parts.participants, parts.options)
    mix = mix_of(p.member for p in parts.participants)
    if decision.status == DecisionStatus.DECIDED:
        count, lived = decision.participant_count, decision.lived_experience_count
    else:
        count, lived = mix.total, mix.lived_experience
    said = sum(1 for p in parts.participants if p.stance)
    standing = [
        {
            "name": presenters.public_name(p.member) if public else p.member.known_as,
            "stance": STANCE_DONE[p.stance],
            "comment": "" if public else p.comment,
        }
        for p in tally.standing_against
    ]
    return {
        "title": decision.title,
        "group": decision.group.name,
        "group_href": "" if public else link("group", decision.group_id),
        "proposal": decision.proposal,
        "method": METHOD_SHORT[DecisionMethod(decision.method)],
        "method_help": METHOD_HELP[decision.method],
        "status": status_tag(decision),
        "is_open": open_,
        "is_decided": decision.status == DecisionStatus.DECIDED,
        "is_withdrawn": decision.status == DecisionStatus.WITHDRAWN,
        "options": [o.text for o in parts.options],
        "money": money_text(decision),
        "session": decision.session.title if decision.session else "",
        "session_date": date(decision.session.starts_at) if decision.session else "",
        "session_href": link("session", decision.session_id) if session_link else "",
        "proposed_by": (
            (presenters.public_name(decision.proposed_by) if public else decision.proposed_by.known_as)
            if decision.proposed_by
            else ""
        ),
        "proposed_on": date(decision.created_at),
        "result": result_text(decision),
        "why": decision.why,
        "objections_addressed": decision.objections_addressed,
        "decided_on": date(decision.decided_on) if decision.decided_on else "",
        "recorded_by": decision.recorded_by.known_as if decision.recorded_by and not public else "",
        "is_public": decision.is_public,
        "not_public_why": decision.not_public_why,
        "took_part": took_part_text(count, lived),
        "counted_when_decided": decision.status == DecisionStatus.DECIDED,
        "mix": mix.rows(),
        "sectors": mix.sector_rows(),
        "participants": participant_rows(parts, public=public, open_=open_),
        "tally": tally_rows(decision, parts, tally, public=public),
        "said": said,
        "group_size": parts.group_size,
        "standing_against": standing,
        "actions": action_rows(parts.actions, public=public, reader=reader, opens_group=opens_group),
        "stories": story_rows(parts.stories, public=public),
    }
