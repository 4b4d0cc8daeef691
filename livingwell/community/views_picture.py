"""The picture of the network (/community/picture/): for the Collaborative and analysts, which offers
and organisations people are connected to, by where they live and kind of offer, how connections went,
and the needs no offer met. Aggregates only; every table can be downloaded as CSV (`?format=csv&table=`).

Who may see it is `picture.can_see_picture(user, site)`; anyone else is refused (403, audited). Seeing
it reads no person's record, so it writes no per-person audit events.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from livingwell.audit import services as audit
from livingwell.audit.models import Action
from livingwell.core.forms import NHSDateField
from livingwell.core.requests import AuthenticatedRequest
from livingwell.network.models import Locality, Site

from . import picture
from .network_chart import Link, network_chart

TITLE = "The picture of the network"
REFUSED = "The picture of the network is for analysts, site administrators, Hub coordinators and team leaders."
FILTER_FIELDS = ("site", "start_0", "start_1", "start_2", "end_0", "end_1", "end_2", "locality")


class PictureForm(forms.Form):
    """The period and locality to count (a GET form: it changes nothing)."""

    site = forms.ChoiceField(label="Site", required=False)
    start = NHSDateField(
        label="From",
        help_text="The day connections and needs were recorded, for example, 1 12 2025",
        required=False,
    )
    end = NHSDateField(label="To", help_text="For example, 30 11 2026", required=False)
    locality = forms.ChoiceField(
        label="Where people live",
        required=False,
        error_messages={"invalid_choice": "Select a locality from the list"},
    )

    def __init__(self, *args: Any, sites: list[Site], localities: list[Locality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(sites) > 1:
            self.fields["site"].choices = [(str(s.pk), s.name) for s in sites]  # type: ignore[attr-defined]
        else:
            del self.fields["site"]
        self.fields["locality"].choices = [  # type: ignore[attr-defined]
            ("", "Every locality"),
            *((str(loc.pk), loc.name) for loc in localities),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        return cleaned


def _refuse(request: AuthenticatedRequest) -> audit.AccessRefused:
    return audit.refuse(
        actor=request.user,
        action=Action.VIEW,
        reason="The picture of the network is for analysts, site administrators, Hub coordinators and team leaders",
        request=request,
        message=REFUSED,
    )


def _filters(form: PictureForm, localities: list[Locality]) -> picture.PictureFilters:
    default = picture.default_period()
    data = form.cleaned_data
    start: dt.date | None = data.get("start")
    end: dt.date | None = data.get("end")
    if start and not end:
        end = max(start, default.end)
    if end and not start:
        start = min(end, default.start)
    period = picture.Period(start or default.start, end or default.end)
    chosen = next((loc for loc in localities if str(loc.pk) == data.get("locality")), None)
    return picture.PictureFilters(period=period, locality=chosen)


def _csv(request: AuthenticatedRequest, found: picture.Picture) -> HttpResponse:
    slug = request.GET.get("table", "")
    table = next((t for t in found.tables() if t.slug == slug), None)
    if table is None:
        raise Http404("No such table")
    period = found.filters.period
    response = HttpResponse(picture.csv_text(table), content_type="text/csv; charset=utf-8")
    name = f"network-picture-{slug}-{period.start:%Y-%m-%d}-to-{period.end:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET"])
def network_picture(request: AuthenticatedRequest) -> HttpResponse:
    sites = picture.picture_sites(request.user)
    if not sites:
        raise _refuse(request)
    site_id = request.GET.get("site", "")
    site = next((s for s in sites if str(s.pk) == site_id), None) if site_id else sites[0]
    if site is None or not picture.can_see_picture(request.user, site):
        raise _refuse(request)
    localities = list(Locality.objects.filter(site=site).order_by("name", "pk"))
    asked = any(k in request.GET for k in FILTER_FIELDS)
    default = picture.default_period()
    form = PictureForm(
        request.GET if asked else None,
        sites=sites,
        localities=localities,
        initial={"start": default.start, "end": default.end, "site": str(site.pk)},
    )
    if asked and not form.is_valid():
        if request.GET.get("format") == "csv":
            return HttpResponseBadRequest("Check the dates and the locality", content_type="text/plain")
        return render(request, "community/picture.jinja", {"title": TITLE, "form": form, "found": None})
    filters = _filters(form, localities) if asked else picture.PictureFilters(period=default)
    found = picture.network_picture(site=site, filters=filters)
    if request.GET.get("format") == "csv":
        return _csv(request, found)
    return render(request, "community/picture.jinja", _context(request, form, found))


def _context(request: AuthenticatedRequest, form: PictureForm, found: picture.Picture) -> dict[str, Any]:
    kept = [(k, v) for k, values in request.GET.lists() if k in FILTER_FIELDS for v in values]
    if not any(k == "site" for k, _v in kept) and "site" in form.fields:
        kept.append(("site", str(found.site.pk)))

    def csv_href(slug: str) -> str:
        return "?" + urlencode([*kept, ("format", "csv"), ("table", slug)])

    tables = {t.slug: _table_params(t) for t in found.tables()}
    chart = network_chart(
        title=(
            f"People connected to community offers, by where they live and kind of offer, {found.filters.period.words}"
        ),
        left=found.localities,
        right=found.kinds,
        links=[
            Link(left=loc, right=kind, figure=found.connected.cell(loc, kind))
            for loc, _l in found.localities
            for kind, _k in found.kinds
        ],
    )
    where = f" in {found.filters.locality.name}" if found.filters.locality else ""
    return {
        "title": TITLE,
        "form": form,
        "found": found,
        "site": found.site,
        "period": found.filters.period.words,
        "where": where,
        "chart": chart,
        "tables": tables,
        "csv": {slug: csv_href(slug) for slug in tables},
        "has_people": found.people.value != 0,
        "has_gaps": found.gap_total.value != 0,
        "people": found.people.text,
        "connections": found.connections.text,
        "gap_total": found.gap_total.text,
        "small": picture.SMALL,
    }


TEXT_COLUMNS = {"offers": {0, 1}}  # columns of names; every other column but the first is a number


def _table_params(table: picture.Table) -> dict[str, Any]:
    """The NHS table component's parameters for `table`: numbers right-aligned, the first cell of a row a header."""
    words = TEXT_COLUMNS.get(table.slug, {0})
    return {
        "id": f"table-{table.slug}",
        "caption": table.caption,
        "captionSize": "s",
        "responsive": True,
        "firstCellIsHeader": True,
        "head": [{"text": h, "format": "" if i in words else "numeric"} for i, h in enumerate(table.headers)],
        "rows": [
            [{"text": cell, "format": "" if i in words else "numeric"} for i, cell in enumerate(row)]
            for row in table.rows
        ],
    }
