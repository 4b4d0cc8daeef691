"""The ideas fund's pages: rounds, pitches, the panel, the vote, the results and awards, report-back,
publishing into the community directory, and the public page of funded ideas.

Access is decided in `fund` and `access` (refusals recorded there); reads go through `selectors_fund`."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from livingwell.audit.models import Action
from livingwell.community.curation import can_curate
from livingwell.core.concurrency import EditConflict, attempt_save
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import Site

from . import access, fund
from . import presenters_fund as show
from . import selectors_fund as selectors
from .awards import award, total_funded
from .forms_fund import (
    AwardForm,
    HelperForm,
    OfferForm,
    PanelForm,
    PitchForm,
    ReportForm,
    RoundForm,
    ShortlistForm,
    StageForm,
    VoteForm,
    offer_initial,
    pitch_initial,
    report_initial,
)
from .mix import mix_of
from .models import FundRound, FundStage, Member, Pitch, PitchStatus
from .presenters import crumbs, money, public_crumbs
from .selectors_fund import FundViewer

TEMPLATES = "collaborative/fund"


def _round(site: Site, round_id: uuid.UUID) -> FundRound:
    fund_round = selectors.round_for(site, round_id)
    if fund_round is None:
        raise Http404("No such round")
    return fund_round


def _pitch(site: Site, pitch_id: uuid.UUID) -> Pitch:
    pitch = selectors.pitch_for(site, pitch_id)
    if pitch is None:
        raise Http404("No such pitch")
    return pitch


def _member_or_steward(request: AuthenticatedRequest, site: Site, what: str) -> Member | None:
    """Members read the fund; stewards (site administrators who are not members too) also do."""
    member = access.member_of(request.user, site)
    if member is None and not access.is_steward(request.user, site):
        access.require_member(request.user, site, what=what, request=request)
    return member


def _viewer(request: AuthenticatedRequest, fund_round: FundRound, what: str) -> FundViewer:
    member = _member_or_steward(request, fund_round.site, what)
    return selectors.viewer_for(request.user, fund_round, member)


def _refuse(request: AuthenticatedRequest, *, what: str, obj_id: uuid.UUID, reason: str, message: str) -> Exception:
    return access.refuse(
        actor=request.user,
        action=Action.CHANGE,
        what=what,
        obj_id=obj_id,
        reason=reason,
        request=request,
        message=message,
    )


def _round_crumbs(fund_round: FundRound) -> list[dict[str, Any]]:
    return crumbs(
        ("Ideas fund", reverse("collaborative:fund")),
        (fund_round.name, reverse("collaborative:fund_round", args=[fund_round.pk])),
    )


def _pitch_crumbs(pitch: Pitch) -> list[dict[str, Any]]:
    return [*_round_crumbs(pitch.round), {"text": pitch.title, "href": reverse("collaborative:pitch", args=[pitch.pk])}]


# ---- rounds -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def index(request: AuthenticatedRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    _member_or_steward(request, site, "fund")
    rounds = [show.round_row(r) for r in selectors.rounds_for(site)]
    return render(
        request,
        f"{TEMPLATES}/index.jinja",
        {
            "rounds": rounds,
            "steward": access.is_steward(request.user, site),
            "crumbs": crumbs(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_add(request: AuthenticatedRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    access.require_steward(request.user, site, what="fund_round", request=request)
    form = RoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            fund_round = fund.fund_round_open(actor=request.user, site=site, answers=form.answers(), request=request)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{fund_round.name} is open for pitches. Choose its panel next.")
            return redirect("collaborative:fund_panel", round_id=fund_round.pk)
    return render(
        request,
        f"{TEMPLATES}/round_form.jinja",
        {"form": form, "crumbs": crumbs(("Ideas fund", reverse("collaborative:fund")))},
    )


@login_required
@require_http_methods(["GET"])
def round_page(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    fund_round = _round(site, round_id)
    viewer = _viewer(request, fund_round, "fund_round")
    panel = selectors.panel_of(fund_round)
    counts = selectors.counts_of(fund_round)
    pitches = selectors.pitches_seen_by(fund_round, viewer)
    mine = [p for p in pitches if viewer.member is not None and viewer.member.pk in (p.pitched_by_id, p.helper_id)]
    others = [p for p in pitches if p not in mine]
    member = viewer.member
    voted = len(selectors.approvals_of(fund_round, member)) if member is not None else 0
    return render(
        request,
        f"{TEMPLATES}/round.jinja",
        {
            "round": fund_round,
            "row": show.round_row(fund_round),
            "stage_text": show.stage_text(fund_round),
            "panel": show.panel_rows(panel),
            "panel_mix": mix_of(s.member for s in panel),
            "counts": counts,
            "peer_led": show.peer_led_text(counts.peer_led, counts.sent),
            "mine": [show.pitch_row(p) for p in mine],
            "others": [show.pitch_row(p) for p in others],
            "help_waiting": [show.pitch_row(p) for p in selectors.help_waiting(fund_round)]
            if viewer.panel_or_steward
            else [],
            "viewer": viewer,
            "can_pitch": member is not None
            and fund_round.stage == FundStage.PITCHING
            and timezone.localdate() <= fund_round.pitches_close_on,
            "voting_open": fund.voting_open(fund_round) and member is not None,
            "show_results": fund_round.stage in (FundStage.AWARDED, FundStage.CLOSED)
            or (fund_round.stage == FundStage.VOTING and viewer.panel_or_steward),
            "voted": voted,
            "can_award": fund_round.stage == FundStage.VOTING and fund.can_award(request.user, fund_round, member),
            "decision_href": reverse("collaborative:decision", args=[fund_round.decision_id])
            if fund_round.decision_id
            else "",
            "crumbs": crumbs(("Ideas fund", reverse("collaborative:fund"))),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_stage(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    fund_round = _round(site, round_id)
    access.require_steward(request.user, site, what="fund_round_stage", request=request)
    next_stage = fund.NEXT_STAGE.get(FundStage(fund_round.stage))
    form = StageForm(request.POST if request.method == "POST" else None, initial={"to": next_stage})
    if request.method == "POST" and form.is_valid():
        try:
            moved = fund.fund_round_stage(
                actor=request.user, fund_round=fund_round, to=FundStage(form.cleaned_data["to"]), request=request
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{moved.name}: {moved.get_stage_display().lower()}")
            return redirect("collaborative:fund_round", round_id=moved.pk)
    problems = fund.stage_problems(fund_round, next_stage) if next_stage else []
    early = fund_round.stage == FundStage.PITCHING and timezone.localdate() <= fund_round.pitches_close_on
    return render(
        request,
        f"{TEMPLATES}/stage.jinja",
        {
            "round": fund_round,
            "form": form,
            "next_stage": next_stage,
            "next_label": FundStage(next_stage).label if next_stage else "",
            "problems": problems,
            "early": early,
            "counts": selectors.counts_of(fund_round),
            "lived_on_panel": fund.lived_experience_on_panel(fund_round),
            "crumbs": _round_crumbs(fund_round),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    fund_round = _round(site, round_id)
    access.require_steward(request.user, site, what="fund_panel", request=request)
    seats = selectors.panel_of(fund_round)
    chair = next((str(s.member_id) for s in seats if s.is_chair), "")
    form = PanelForm(
        request.POST if request.method == "POST" else None,
        members=selectors.current_members(site),
        initial={"members": [str(s.member_id) for s in seats], "chair": chair},
    )
    if request.method == "POST" and form.is_valid():
        try:
            fund.panel_change(
                actor=request.user,
                fund_round=fund_round,
                members=form.chosen(),
                chair=form.chair_member(),
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Panel saved")
            return redirect("collaborative:fund_round", round_id=fund_round.pk)
    mix = mix_of(s.member for s in seats)
    return render(
        request,
        f"{TEMPLATES}/panel.jinja",
        {
            "round": fund_round,
            "form": form,
            "panel": show.panel_rows(seats),
            "mix": mix,
            "needed": fund_round.min_lived_experience_panel,
            "crumbs": _round_crumbs(fund_round),
        },
    )


# ---- pitches ------------------------------------------------------------------------------------


def _most(fund_round: FundRound) -> Any:
    return fund_round.largest_award if fund_round.largest_award is not None else fund_round.budget


@login_required
@require_http_methods(["GET", "POST"])
def pitch_add(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    fund_round = _round(site, round_id)
    access.require_member(request.user, site, what="pitch", request=request, action=Action.CREATE)
    form = PitchForm(request.POST if request.method == "POST" else None, most=_most(fund_round))
    if request.method == "POST" and form.is_valid():
        try:
            pitch = fund.pitch_draft(actor=request.user, fund_round=fund_round, answers=form.answers(), request=request)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, "Your pitch is saved as a draft. Only you can see it until you send it to the panel."
            )
            return redirect("collaborative:pitch", pitch_id=pitch.pk)
    return render(
        request,
        f"{TEMPLATES}/pitch_form.jinja",
        {
            "round": fund_round,
            "form": form,
            "title": "Pitch an idea",
            "button": "Save as a draft",
            "most": money(_most(fund_round)),
            "taking_pitches": fund_round.stage == FundStage.PITCHING
            and timezone.localdate() <= fund_round.pitches_close_on,
            "conflict": None,
            "crumbs": _round_crumbs(fund_round),
        },
    )


@login_required
@require_http_methods(["GET"])
def pitch_page(request: AuthenticatedRequest, pitch_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    pitch = _pitch(site, pitch_id)
    fund_round = pitch.round
    viewer = _viewer(request, fund_round, "pitch")
    if not selectors.can_see_pitch(pitch, viewer):
        raise access.refuse(
            actor=request.user,
            action=Action.VIEW,
            what="pitch",
            obj_id=pitch.pk,
            reason="Pitch not shared with them at this stage",
            request=request,
            message="This pitch is not shared with you at this stage of the round.",
        )
    member = viewer.member
    is_author = member is not None and member.pk in (pitch.pitched_by_id, pitch.helper_id)
    is_pitcher = member is not None and member.pk == pitch.pitched_by_id
    taking = fund_round.stage == FundStage.PITCHING and timezone.localdate() <= fund_round.pitches_close_on
    counted = fund_round.stage in (FundStage.AWARDED, FundStage.CLOSED)
    approvals = selectors.approval_counts(fund_round).get(pitch.pk, 0) if counted else None
    funded = pitch.status == PitchStatus.FUNDED
    return render(
        request,
        f"{TEMPLATES}/pitch.jinja",
        {
            "pitch": pitch,
            "row": show.pitch_row(pitch),
            "status_text": show.PITCH_STATUS_TEXT.get(PitchStatus(pitch.status), ""),
            "round": fund_round,
            "viewer": viewer,
            "is_author": is_author,
            "can_change": is_author and taking and pitch.status in (PitchStatus.DRAFT, PitchStatus.SUBMITTED),
            "can_submit": is_pitcher and taking and pitch.status == PitchStatus.DRAFT,
            "can_help": viewer.steward and pitch.wants_help and taking,
            "can_shortlist": fund_round.stage == FundStage.PANEL
            and pitch.status in (PitchStatus.SUBMITTED, PitchStatus.SHORTLISTED, PitchStatus.NOT_SHORTLISTED)
            and fund.can_shortlist(member, viewer.steward, pitch, viewer.panellist),
            "show_panel_note": bool(pitch.panel_note) and (is_author or viewer.panel_or_steward),
            "approvals": approvals,
            "can_report": funded and is_author,
            "can_publish": funded and fund.can_publish(request.user, pitch, member),
            "offer": show.offer_state(pitch),
            "crumbs": _round_crumbs(fund_round),
        },
    )


def _require_author(request: AuthenticatedRequest, pitch: Pitch, what: str) -> Member:
    member = access.require_member(request.user, pitch.round.site, what=what, request=request, action=Action.CHANGE)
    if member.pk not in (pitch.pitched_by_id, pitch.helper_id):
        raise _refuse(
            request,
            what=what,
            obj_id=pitch.pk,
            reason="Not the pitcher or their helper",
            message="Only the member who made this pitch, or the member helping them, can do this.",
        )
    return member


@login_required
@require_http_methods(["GET", "POST"])
def pitch_change(request: AuthenticatedRequest, pitch_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    pitch = _pitch(site, pitch_id)
    _require_author(request, pitch, "pitch")
    fund_round = pitch.round
    form = PitchForm(
        request.POST if request.method == "POST" else None,
        initial=pitch_initial(pitch),
        versioned=True,
        most=_most(fund_round),
    )
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        attempt = attempt_save(
            form,
            lambda: fund.pitch_change(
                actor=request.user,
                pitch=pitch,
                answers=form.answers(),
                expected_version=form.cleaned_data["version"],
                request=request,
            ),
        )
        conflict = attempt.conflict
        if attempt.saved:
            messages.success(request, "Pitch saved")
            return redirect("collaborative:pitch", pitch_id=pitch.pk)
    return render(
        request,
        f"{TEMPLATES}/pitch_form.jinja",
        {
            "round": fund_round,
            "pitch": pitch,
            "form": form,
            "title": f"Change {pitch.title}",
            "button": "Save changes",
            "most": money(_most(fund_round)),
            "taking_pitches": fund_round.stage == FundStage.PITCHING
            and timezone.localdate() <= fund_round.pitches_close_on
            and pitch.status in (PitchStatus.DRAFT, PitchStatus.SUBMITTED),
            "conflict": conflict,
            "crumbs": _pitch_crumbs(pitch),
        },
    )


@login_required
@require_http_methods(["POST"])
def pitch_submit(request: AuthenticatedRequest, pitch_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    pitch = _pitch(site, pitch_id)
    try:
        fund.pitch_submit(actor=request.user, pitch=pitch, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{pitch.title} is sent to the panel. You can still change it until pitches close.")
    return redirect("collaborative:pitch", pitch_id=pitch.pk)


@login_required
@require_http_methods(["GET", "POST"])
def pitch_help(request: AuthenticatedRequest, pitch_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    pitch = _pitch(site, pitch_id)
    access.require_steward(request.user, site, what="pitch_help", request=request)
    members = [m for m in selectors.current_members(site) if m.pk != pitch.pitched_by_id]
    form = HelperForm(
        request.POST if request.method == "POST" else None,
        members=members,
        initial={"helper": str(pitch.helper_id) if pitch.helper_id else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            fund.pitch_helper_assign(actor=request.user, pitch=pitch, helper=form.helper_member(), request=request)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{form.helper_member().known_as} will help with {pitch.title}")
            return redirect("collaborative:fund_round", round_id=pitch.round_id)
    return render(
        request,
        f"{TEMPLATES}/help.jinja",
        {"pitch": pitch, "row": show.pitch_row(pitch), "form": form, "crumbs": _pitch_crumbs(pitch)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pitch_shortlist(request: AuthenticatedRequest, pitch_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    pitch = _pitch(site, pitch_id)
    viewer = _viewer(request, pitch.round, "pitch_shortlist")
    if not fund.can_shortlist(viewer.member, viewer.steward, pitch, viewer.panellist):
        raise _refuse(
            request,
            what="pitch_shortlist",
            obj_id=pitch.pk,
            reason="Not on the panel, or their own pitch",
            message="Only members of the round's panel and the stewards decide on pitches, and never on their own.",
        )
    decided = {PitchStatus.SHORTLISTED: "yes", PitchStatus.NOT_SHORTLISTED: "no"}.get(PitchStatus(pitch.status), "")
    form = ShortlistForm(
        request.POST if request.method == "POST" else None, initial={"decision": decided, "note": pitch.panel_note}
    )
    if request.method == "POST" and form.is_valid():
        shortlisted = form.cleaned_data["decision"] == "yes"
        try:
            fund.pitch_shortlist(
                actor=request.user, pitch=pitch, shortlist=shortlisted, note=form.cleaned_data["note"], request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, f"{pitch.title} is {'on the shortlist' if shortlisted else 'not on the shortlist'}"
            )
            return redirect("collaborative:fund_round", round_id=pitch.round_id)
    return render(
        request,
        f"{TEMPLATES}/shortlist.jinja",
        {
            "pitch": pitch,
            "row": show.pitch_row(pitch),
            "form": form,
            "with_panel": pitch.round.stage == FundStage.PANEL,
            "crumbs": _pitch_crumbs(pitch),
        },
    )


# ---- voting and results -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def vote(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    fund_round = _round(site, round_id)
    member = access.require_member(request.user, site, what="fund_vote", request=request)
    ballot = [p for p in selectors.ballot(fund_round) if p.status == PitchStatus.SHORTLISTED]
    approved = selectors.approvals_of(fund_round, member)
    form = VoteForm(
        request.POST if request.method == "POST" else None,
        ballot=ballot,
        initial={"pitches": [str(p) for p in approved]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            count = fund.votes_save(
                actor=request.user, fund_round=fund_round, pitch_ids=form.cleaned_data["pitches"], request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                f"Thank you. You approved {count} pitch{'es' if count != 1 else ''}. "
                "You can change your approvals until voting closes.",
            )
            return redirect("collaborative:fund_vote", round_id=fund_round.pk)
    return render(
        request,
        f"{TEMPLATES}/vote.jinja",
        {
            "round": fund_round,
            "form": form,
            "ballot": [show.pitch_row(p) for p in ballot],
            "approved": len(approved),
            "budget": money(fund_round.budget),
            "voting_open": fund.voting_open(fund_round),
            "crumbs": _round_crumbs(fund_round),
        },
    )


@login_required
@require_http_methods(["GET"])
def results(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    fund_round = _round(site, round_id)
    viewer = _viewer(request, fund_round, "fund_results")
    counted = fund_round.stage in (FundStage.AWARDED, FundStage.CLOSED)
    may_see = counted or (fund_round.stage == FundStage.VOTING and viewer.panel_or_steward)
    outcomes = award(selectors.candidates(fund_round), fund_round.budget) if may_see else []
    return render(
        request,
        f"{TEMPLATES}/results.jinja",
        {
            "round": fund_round,
            "counted": counted,
            "may_see": may_see,
            "rows": show.ranking_rows(outcomes),
            "total": money(total_funded(outcomes)),
            "voters": selectors.voter_count(fund_round) if may_see else 0,
            "budget": money(fund_round.budget),
            "crumbs": _round_crumbs(fund_round),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_confirm(request: AuthenticatedRequest, round_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    fund_round = _round(site, round_id)
    member = access.member_of(request.user, site)
    if not fund.can_award(request.user, fund_round, member):
        raise _refuse(
            request,
            what="fund_awards",
            obj_id=fund_round.pk,
            reason="Not a steward or the panel's chair",
            message="Only the stewards and the chair of the round's panel can confirm the awards.",
        )
    form = AwardForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            fund.awards_confirm(
                actor=request.user, fund_round=fund_round, early=form.cleaned_data["early"], request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{fund_round.name} is awarded. The decision is in the decisions log.")
            return redirect("collaborative:fund_results", round_id=fund_round.pk)
    outcomes = award(selectors.candidates(fund_round), fund_round.budget)
    return render(
        request,
        f"{TEMPLATES}/award.jinja",
        {
            "round": fund_round,
            "form": form,
            "rows": show.ranking_rows(outcomes),
            "total": money(total_funded(outcomes)),
            "budget": money(fund_round.budget),
            "voters": selectors.voter_count(fund_round),
            "is_voting": fund_round.stage == FundStage.VOTING,
            "still_open": fund.voting_open(fund_round),
            "crumbs": _round_crumbs(fund_round),
        },
    )


# ---- after the award ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def pitch_report(request: AuthenticatedRequest, pitch_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    pitch = _pitch(site, pitch_id)
    _require_author(request, pitch, "pitch_report")
    if pitch.status != PitchStatus.FUNDED:
        raise Http404("Only funded ideas report back")
    form = ReportForm(request.POST if request.method == "POST" else None, initial=report_initial(pitch))
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        attempt = attempt_save(
            form,
            lambda: fund.pitch_report(
                actor=request.user,
                pitch=pitch,
                answers=form.answers(),
                expected_version=form.cleaned_data["version"],
                request=request,
            ),
        )
        conflict = attempt.conflict
        if attempt.saved:
            messages.success(request, "Thank you for reporting back")
            return redirect("collaborative:pitch", pitch_id=pitch.pk)
    return render(
        request,
        f"{TEMPLATES}/report.jinja",
        {"pitch": pitch, "form": form, "conflict": conflict, "crumbs": _pitch_crumbs(pitch)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pitch_publish(request: AuthenticatedRequest, pitch_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    pitch = _pitch(site, pitch_id)
    member = access.member_of(request.user, site)
    if not fund.can_publish(request.user, pitch, member):
        raise _refuse(
            request,
            what="pitch_publish",
            obj_id=pitch.pk,
            reason="Not the pitcher, their helper or a steward",
            message="Only the member who made this pitch, the member helping them, or a steward can do this.",
        )
    if pitch.status != PitchStatus.FUNDED:
        raise Http404("Only funded ideas go into the directory")
    form = OfferForm(request.POST if request.method == "POST" else None, initial=offer_initial(pitch))
    if request.method == "POST" and form.is_valid():
        try:
            service = fund.pitch_publish(actor=request.user, pitch=pitch, answers=form.answers(), request=request)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if can_curate(request.user, site):
                messages.success(request, f"{service.name} is in the community directory")
            else:
                messages.success(
                    request,
                    f"{service.name} is sent to the community directory. A Hub coordinator checks it before it appears.",
                )
            return redirect("collaborative:pitch", pitch_id=pitch.pk)
    return render(
        request,
        f"{TEMPLATES}/publish.jinja",
        {
            "pitch": pitch,
            "form": form,
            "curator": can_curate(request.user, site),
            "offer": show.offer_state(pitch),
            "crumbs": _pitch_crumbs(pitch),
        },
    )


# ---- public -------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def funded_ideas(request: HttpRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    by_round: dict[uuid.UUID, list[Pitch]] = {}
    for pitch in selectors.funded_public(site):
        by_round.setdefault(pitch.round_id, []).append(pitch)
    rounds = [show.public_round(t, by_round.get(t.round.pk, [])) for t in selectors.public_round_totals(site)]
    return render(
        request,
        f"{TEMPLATES}/funded_ideas.jinja",
        {"rounds": rounds, "crumbs": public_crumbs()},
    )
