"""Sessions, replies, attendance and its mix, notes, actions followed to done, the rota of open events,
and the public open events pages.

Who may do what is decided in `access` and the services; views read through `selectors_sessions`."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from livingwell.audit.models import Action
from livingwell.collaborative import access, mix, presenters, rota
from livingwell.collaborative import presenters_sessions as show
from livingwell.collaborative import selectors_sessions as selectors
from livingwell.collaborative import sessions as services
from livingwell.collaborative.forms_sessions import (
    ActionForm,
    ActionStatusForm,
    AttendanceForm,
    CancelForm,
    NotesForm,
    ReplyForm,
    RotaForm,
    SessionForm,
)
from livingwell.collaborative.models import ActionPoint, Group, Member, Reply, Session, SessionStatus
from livingwell.core import presenters as fmt
from livingwell.core.concurrency import EditConflict, attempt_save
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import Site


def _member(request: AuthenticatedRequest, what: str) -> tuple[Site, Member]:
    site = access.site_or_404(request.user)
    return site, access.require_member(request.user, site, what=what, request=request)


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text)) if text else None
    except ValueError:
        return None


def _group(site: Site, group_id: uuid.UUID) -> Group:
    group = selectors.group_by_id(site, group_id)
    if group is None:
        raise Http404("No such group")
    return group


def _session(site: Site, session_id: uuid.UUID) -> Session:
    session = selectors.session_by_id(site, session_id)
    if session is None:
        raise Http404("No such session")
    return session


def _session_href(session: Session) -> str:
    return reverse("collaborative:session", args=[session.pk])


def _list_crumb(request: AuthenticatedRequest, group: Group | None, title: str, name: str) -> list[tuple[str, str]]:
    """The members' list (of sessions or actions) for a member; for a steward who is not a member, who has
    no such list, the group's page instead (or nothing, away from any group)."""
    site = group.site if group is not None else access.site_or_404(request.user)
    if access.member_of(request.user, site) is not None:
        return [(title, reverse(f"collaborative:{name}"))]
    return [(group.name, reverse("collaborative:group", args=[group.pk]))] if group is not None else []


def _sessions_crumbs(
    request: AuthenticatedRequest, group: Group | None, *more: tuple[str, str]
) -> list[dict[str, Any]]:
    return presenters.crumbs(*_list_crumb(request, group, "Sessions", "sessions"), *more)


# ---- sessions --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def sessions_list(request: AuthenticatedRequest) -> HttpResponse:
    _site_unused, member = _member(request, "sessions")
    groups = selectors.my_groups(member)
    group_id = _uuid(request.GET.get("group"))
    chosen = next((g for g in groups if g.pk == group_id), None)
    runs = selectors.groups_run_by(request.user, member, groups)
    upcoming, past = selectors.upcoming_and_past(member, group_id=chosen.pk if chosen else None)
    page = Paginator(past, selectors.PAST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = f"group={chosen.pk}&" if chosen else ""
    return render(
        request,
        "collaborative/sessions/list.jinja",
        {
            "crumbs": presenters.crumbs(),
            "upcoming": [show.session_row(s) for s in upcoming],
            "past": [show.session_row(s) for s in page.object_list],
            "page": page,
            "previous_href": f"?{query}page={page.previous_page_number()}" if page.has_previous() else "",
            "next_href": f"?{query}page={page.next_page_number()}" if page.has_next() else "",
            "groups": [
                {"value": str(g.pk), "text": g.name, "selected": chosen is not None and g.pk == chosen.pk}
                for g in groups
            ],
            "chosen": chosen,
            "add_links": [
                {"text": f"Plan a session of {g.name}", "href": reverse("collaborative:session_add", args=[g.pk])}
                for g in groups
                if g.pk in runs
            ],
            "rota_href": reverse("collaborative:rota"),
            "actions_href": reverse("collaborative:actions"),
        },
    )


def _session_form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "collaborative/sessions/form.jinja", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_add(request: AuthenticatedRequest, group_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    group = _group(site, group_id)
    access.require_run(request.user, group, what="session", request=request)
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        organisations=selectors.site_organisations(site),
        members=selectors.group_members(group),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_plan(actor=request.user, group=group, answers=form.answers(), request=request)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{session.title} is planned. Members of {group.name} can now reply.")
            return redirect(_session_href(session))
    return _session_form_page(
        request,
        {
            "title": f"Plan a session of {group.name}",
            "form": form,
            "button": "Plan the session",
            "crumbs": _sessions_crumbs(request, group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_change(request: AuthenticatedRequest, session_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    session = _session(site, session_id)
    access.require_run(request.user, session.group, what="session", request=request)
    if session.status == SessionStatus.CANCELLED:
        messages.info(request, "This session was cancelled, so it cannot be changed")
        return redirect(_session_href(session))
    start = timezone.localtime(session.starts_at)
    initial = {
        "title": session.title,
        "date": start.date(),
        "starts": fmt.time(session.starts_at),
        "ends": fmt.time(session.ends_at),
        "place": session.place,
        "postcode": session.postcode,
        "online_link": session.online_link,
        "how_to_get_there": session.how_to_get_there,
        "agenda": session.agenda,
        "is_open_event": session.is_open_event,
        "host_organisation": str(session.host_organisation_id or ""),
        "host_member": str(session.host_member_id or ""),
    }
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        organisations=selectors.site_organisations(site),
        members=selectors.group_members(session.group),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.session_change(
                actor=request.user, session=session, answers=form.answers(), request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Session saved" if changed else "Nothing was changed")
            return redirect(_session_href(session))
    return _session_form_page(
        request,
        {
            "title": f"Change {session.title}",
            "form": form,
            "button": "Save changes",
            "crumbs": _sessions_crumbs(request, session.group, (session.title, _session_href(session))),
            "cancel_href": reverse("collaborative:session_cancel", args=[session.pk])
            if session.status == SessionStatus.PLANNED
            else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request: AuthenticatedRequest, session_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    session = _session(site, session_id)
    access.require_run(request.user, session.group, what="session", request=request)
    if session.status != SessionStatus.PLANNED:
        messages.info(request, "Only a planned session can be cancelled")
        return redirect(_session_href(session))
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_cancel(
                actor=request.user, session=session, reason=form.cleaned_data["reason"], request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{session.title} is cancelled. Members see why on its page.")
            return redirect(_session_href(session))
    return render(
        request,
        "collaborative/sessions/cancel.jinja",
        {
            "session": session,
            "when": show.when(session),
            "form": form,
            "crumbs": _sessions_crumbs(request, session.group, (session.title, _session_href(session))),
        },
    )


def _viewer(request: AuthenticatedRequest, session: Session, what: str) -> tuple[Member | None, bool]:
    """The member looking and whether they run the group; a recorded 403 for anyone else."""
    runs = access.can_run(request.user, session.group)
    member = access.member_of(request.user, session.group.site)
    if member is None and not runs:
        access.require_member(request.user, session.group.site, what=what, request=request)
    if not runs and member is not None and not selectors.may_see(member, session, runs=False):
        raise access.refuse(
            actor=request.user,
            action=Action.VIEW,
            what=what,
            obj_id=session.pk,
            reason="Not in the session's group",
            request=request,
            message="This session is for the members of its group. You can ask to join the group from its page.",
        )
    return member, runs


@login_required
@require_http_methods(["GET"])
def session_detail(request: AuthenticatedRequest, session_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    session = _session(site, session_id)
    member, runs = _viewer(request, session, "session")
    today = timezone.localdate()
    attendance = selectors.attendance_of(session)
    held = session.status == SessionStatus.HELD
    if held:
        in_room = [a.member for a in attendance if a.attended]
        the_mix = mix.mix_of(in_room, guests=session.guests)
    else:
        in_room = [a.member for a in attendance if a.reply == Reply.COMING]
        the_mix = mix.mix_of(in_room)
    apologies = [a.member.known_as for a in attendance if a.reply == Reply.NOT_COMING]
    reply = selectors.my_reply(member, session)
    can_reply = (
        member is not None
        and services.invited(member, session)
        and session.status == SessionStatus.PLANNED
        and session.starts_at > timezone.now()
    )
    started = session.starts_at <= timezone.now()
    return render(
        request,
        "collaborative/sessions/detail.jinja",
        {
            "crumbs": _sessions_crumbs(request, session.group),
            "session": session,
            "when": show.when(session),
            "where": show.where(session),
            "tag": show.status_tag(session),
            "held": held,
            "cancelled": session.status == SessionStatus.CANCELLED,
            "cancel_reason": selectors.cancel_reason(session) if session.status == SessionStatus.CANCELLED else "",
            "host_member": session.host_member.known_as if session.host_member else "",
            "names": [m.known_as for m in in_room],
            "apologies": apologies,
            "mix": show.mix_lines(the_mix),
            "reply_text": show.reply_text(reply),
            "reply_form": ReplyForm(initial={"reply": reply}) if can_reply else None,
            "actions": [show.action_row(a, today) for a in selectors.session_actions(session)],
            "decisions": [
                {
                    "title": d.title,
                    "href": reverse("collaborative:decision", args=[d.pk]),
                    "status": d.get_status_display(),
                }
                for d in selectors.session_decisions(session)
            ],
            "runs": runs,
            "change_href": reverse("collaborative:session_change", args=[session.pk])
            if runs and session.status != SessionStatus.CANCELLED
            else "",
            "cancel_href": reverse("collaborative:session_cancel", args=[session.pk])
            if runs and session.status == SessionStatus.PLANNED
            else "",
            "attendance_href": reverse("collaborative:session_attendance", args=[session.pk])
            if runs and started and session.status != SessionStatus.CANCELLED
            else "",
            "notes_href": reverse("collaborative:session_notes", args=[session.pk]) if runs else "",
            "action_add_href": f"{reverse('collaborative:action_add', args=[session.group_id])}?session={session.pk}"
            if runs
            else "",
            "public_href": reverse("collaborative:event", args=[session.pk]) if session.is_open_event else "",
            "online_html": format_html('<a href="{}">{}</a>', session.online_link, session.online_link)
            if session.online_link
            else "",
            "updated_by": session.updated_by.known_as if session.updated_by else "",
        },
    )


@login_required
@require_http_methods(["POST"])
def session_reply(request: AuthenticatedRequest, session_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    session = _session(site, session_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        access.require_member(request.user, site, what="session_reply", request=request, action=Action.CHANGE)
        messages.error(request, "Say whether you are coming")
        return redirect(_session_href(session))
    try:
        services.session_reply(actor=request.user, session=session, reply=form.cleaned_data["reply"], request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if form.cleaned_data["reply"] == Reply.COMING:
            messages.success(request, f"Thank you. You said you are coming to {session.title}.")
        else:
            messages.success(request, f"Thank you. You sent your apologies for {session.title}.")
    return redirect(_session_href(session))


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request: AuthenticatedRequest, session_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    session = _session(site, session_id)
    access.require_run(request.user, session.group, what="attendance", request=request)
    if session.status == SessionStatus.CANCELLED or session.starts_at > timezone.now():
        messages.info(request, "You can record who came once the session has started")
        return redirect(_session_href(session))
    attendance = selectors.attendance_of(session)
    listed_by_id = {m.pk: m for m in selectors.group_members(session.group)}
    for a in attendance:
        listed_by_id.setdefault(a.member_id, a.member)
    listed = sorted(listed_by_id.values(), key=lambda m: (m.known_as, str(m.pk)))
    others = [m for m in selectors.site_members(site) if m.pk not in listed_by_id]
    replies = {a.member_id: a.get_reply_display() for a in attendance if a.reply}
    initial = {"attended": [str(a.member_id) for a in attendance if a.attended], "guests": session.guests}
    form = AttendanceForm(
        request.POST if request.method == "POST" else None, listed=listed, others=others, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                actor=request.user,
                session=session,
                attended=form.attended_ids(),
                guests=form.cleaned_data["guests"],
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Attendance saved. The mix of who came is on the session's page.")
            return redirect(_session_href(session))
    return render(
        request,
        "collaborative/sessions/attendance.jinja",
        {
            "session": session,
            "when": show.when(session),
            "form": form,
            "replies": [{"name": m.known_as, "reply": replies.get(m.pk, "No reply")} for m in listed],
            "crumbs": _sessions_crumbs(request, session.group, (session.title, _session_href(session))),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_notes(request: AuthenticatedRequest, session_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    session = _session(site, session_id)
    access.require_run(request.user, session.group, what="session_notes", request=request)
    form = NotesForm(
        request.POST if request.method == "POST" else None,
        initial={"notes": session.notes, "version": session.version},
    )
    conflict: EditConflict | None = None
    if request.method == "POST" and form.is_valid():
        attempt = attempt_save(
            form,
            lambda: services.notes_change(
                actor=request.user,
                session=session,
                notes=form.cleaned_data["notes"],
                expected_version=form.cleaned_data["version"],
                request=request,
            ),
        )
        if attempt.saved:
            messages.success(request, "Notes saved")
            return redirect(_session_href(session))
        conflict = attempt.conflict
    return render(
        request,
        "collaborative/sessions/notes.jinja",
        {
            "session": session,
            "when": show.when(session),
            "form": form,
            "conflict": conflict,
            "crumbs": _sessions_crumbs(request, session.group, (session.title, _session_href(session))),
        },
    )


# ---- actions ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def actions_list(request: AuthenticatedRequest) -> HttpResponse:
    _site_unused, member = _member(request, "actions")
    today = timezone.localdate()
    mine = selectors.my_actions(member)
    groups = selectors.groups_open_actions(member, today)
    runs = selectors.groups_run_by(request.user, member, [row.group for row in groups])
    return render(
        request,
        "collaborative/sessions/actions.jinja",
        {
            "crumbs": presenters.crumbs(),
            "mine": [show.action_row(a, today) for a in mine],
            "mine_overdue": show.overdue_text(sum(1 for a in mine if show.is_overdue(a, today))),
            "groups": [
                {
                    "name": row.group.name,
                    "overdue": show.overdue_text(row.overdue),
                    "has_overdue": row.overdue > 0,
                    "count": len(row.actions),
                    "actions": [show.action_row(a, today) for a in row.actions],
                    "add_href": reverse("collaborative:action_add", args=[row.group.pk])
                    if row.group.pk in runs
                    else "",
                }
                for row in groups
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: AuthenticatedRequest, group_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    group = _group(site, group_id)
    access.require_run(request.user, group, what="action", request=request)
    session_id = _uuid(request.GET.get("session") or request.POST.get("session"))
    session = selectors.session_by_id(site, session_id) if session_id else None
    if session is not None and session.group_id != group.pk:
        session = None
    decision = selectors.group_decision(group, _uuid(request.GET.get("decision") or request.POST.get("decision")))
    if decision is not None and session is None:
        session = decision.session
    form = ActionForm(request.POST if request.method == "POST" else None, members=selectors.group_members(group))
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_add(
                actor=request.user,
                group=group,
                description=form.cleaned_data["description"],
                owner_id=form.owner_id(),
                due_on=form.cleaned_data["due_on"],
                session=session,
                decision=decision,
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Action added for {action.owner.known_as}")
            if decision is not None:
                return redirect(reverse("collaborative:decision", args=[decision.pk]) + "#actions")
            return redirect(_session_href(session) if session else reverse("collaborative:action", args=[action.pk]))
    if decision is not None:
        crumbs = presenters.crumbs(
            ("Decisions", reverse("collaborative:decisions")),
            (decision.title, reverse("collaborative:decision", args=[decision.pk])),
        )
    elif session is not None:
        crumbs = _sessions_crumbs(request, group, (session.title, _session_href(session)))
    else:
        crumbs = presenters.crumbs(*_list_crumb(request, group, "Actions", "actions"))
    return render(
        request,
        "collaborative/sessions/action_form.jinja",
        {
            "group": group,
            "session": session,
            "decision": decision,
            "form": form,
            "crumbs": crumbs,
        },
    )


def _action(site: Site, action_id: uuid.UUID) -> ActionPoint:
    action = selectors.action_by_id(site, action_id)
    if action is None:
        raise Http404("No such action")
    return action


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: AuthenticatedRequest, action_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    action = _action(site, action_id)
    runs = access.can_run(request.user, action.group)
    member = access.member_of(request.user, site)
    if member is None and not runs:
        access.require_member(request.user, site, what="action", request=request)
    if not runs and member is not None and member.pk != action.owner_id and not access.in_group(member, action.group):
        raise access.refuse(
            actor=request.user,
            action=Action.VIEW,
            what="action",
            obj_id=action.pk,
            reason="Not in the action's group",
            request=request,
            message="This action belongs to a group you are not in.",
        )
    may_update = services.can_update_action(request.user, action)
    form = ActionStatusForm(request.POST if request.method == "POST" else None, current=action.status)
    if request.method == "POST" and not may_update:
        raise access.refuse(
            actor=request.user,
            action=Action.CHANGE,
            what="action",
            obj_id=action.pk,
            reason="Neither the owner nor running the group",
            request=request,
            message="Only the person who owns this action, or the group's chair, co-chair or coordinator, can change it.",
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                actor=request.user,
                action=action,
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data.get("outcome", ""),
                request=request,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"Action marked {action.get_status_display().lower()}")
            return redirect("collaborative:action", action_id=action.pk)
    today = timezone.localdate()
    return render(
        request,
        "collaborative/sessions/action.jinja",
        {
            "crumbs": presenters.crumbs(*_list_crumb(request, action.group, "Actions", "actions")),
            "action": action,
            "row": show.action_row(action, today),
            "done_on": fmt.date(action.done_on) if action.done_on else "",
            "session_href": _session_href(action.session) if action.session else "",
            "decision_href": reverse("collaborative:decision", args=[action.decision_id]) if action.decision_id else "",
            "form": form if may_update else None,
            "history": [
                {"at": fmt.datetime(h.at), "who": h.who, "status": h.status, "note": h.note}
                for h in selectors.action_history(action)
            ],
        },
    )


# ---- the rota of open events -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rota_page(request: AuthenticatedRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    steward = access.is_steward(request.user, site)
    if not steward:
        access.require_member(request.user, site, what="rota", request=request)
    form = RotaForm(request.POST if request.method == "POST" else None) if steward else None
    if request.method == "POST":
        if form is None:
            access.require_steward(request.user, site, what="rota", request=request)
        elif form.is_valid():
            try:
                created = services.rota_plan(actor=request.user, site=site, plan=form.plan(), request=request)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                if created:
                    count = len(created)
                    messages.success(
                        request,
                        f"{count} open event{'s' if count != 1 else ''} planned, each with the next host in turn",
                    )
                else:
                    messages.info(request, "Every month already has an open event: nothing was added")
                return redirect("collaborative:rota")
    today = timezone.localdate()
    the_rota = selectors.rota_of(site, today)
    now = timezone.now()
    events = [
        {
            **show.session_row(e),
            "month": f"{timezone.localtime(e.starts_at):%B %Y}",
            "host": e.host_organisation.name if e.host_organisation else "No host yet",
            "past": e.starts_at < now,
        }
        for e in the_rota.events
    ]
    return render(
        request,
        "collaborative/events/rota.jinja",
        {
            "crumbs": _sessions_crumbs(request, None),
            "group": the_rota.group,
            "past_events": [e for e in events if e["past"]],
            "next_events": [e for e in events if not e["past"]],
            "organisations": [
                {
                    "name": t.organisation.name,
                    "count": t.hosted_last_year,
                    "last": fmt.date(t.last_hosted) if t.last_hosted else "Not in the last 12 months",
                    "next": fmt.date(t.next_hosting) if t.next_hosting else "",
                }
                for t in the_rota.organisations
            ],
            "form": form,
            "rule_example": rota.day_rule_text(1, 2),
            "since": fmt.date(the_rota.since),
            "public_href": reverse("collaborative:events"),
        },
    )


# ---- public open events ----------------------------------------------------------------------------


@require_http_methods(["GET"])
def events_public(request: HttpRequest) -> HttpResponse:
    site = access.site_or_404(request.user)
    return render(
        request,
        "collaborative/events/list.jinja",
        {
            "crumbs": presenters.public_crumbs(),
            "events": [show.public_event(s) for s in selectors.public_events(site)],
            "how_to_come": show.HOW_TO_COME,
        },
    )


@require_http_methods(["GET"])
def event_public(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    site = access.site_or_404(request.user)
    session = selectors.public_event(site, session_id)
    if session is None:
        raise Http404("No such open event")
    return render(
        request,
        "collaborative/events/detail.jinja",
        {
            "crumbs": presenters.public_crumbs(("Open events", reverse("collaborative:events"))),
            "event": show.public_event(session),
            "how_to_come": show.HOW_TO_COME,
        },
    )
