"""The site administrator's pages for API tokens: list them, make one (shown once), revoke one.

Like the other network pages, each needs a current site administrator role (refused and audited
otherwise) and works on the site chosen on the network pages; two-factor sign-in is enforced by
middleware for that role.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from livingwell.api import services
from livingwell.api.models import ApiToken
from livingwell.core import presenters as fmt
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.network.models import Organisation
from livingwell.network.selectors import Administration
from livingwell.network.views import site_administrator_required


class ApiTokenForm(forms.Form):
    organisation = forms.ChoiceField(
        label="Which partner organisation is it for?",
        widget=forms.Select,
        error_messages={
            "required": "Select the partner organisation",
            "invalid_choice": "Select the partner organisation",
        },
    )
    name = forms.CharField(
        label="Which system will use it?",
        help_text="For example, EMIS at Brixton Hill Group Practice",
        max_length=services.NAME_MAX_LENGTH,
        error_messages={
            "required": "Enter the name of the system that will use the token",
            "max_length": f"The name must be {services.NAME_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]  # type: ignore[attr-defined]


@dataclass(frozen=True)
class TokenRow:
    name: str
    organisation: str
    prefix: str
    made: str
    last_used: str
    revoked: bool
    status: dict[str, str]
    revoke_href: str


def _rows(tokens: list[ApiToken]) -> list[TokenRow]:
    return [
        TokenRow(
            name=t.name,
            organisation=t.organisation.name,
            prefix=t.prefix,
            made=fmt.date(t.created_at) + (f" by {t.created_by.name}" if t.created_by else ""),
            last_used=fmt.datetime(t.last_used_at, "Never"),
            revoked=t.is_revoked,
            status=(
                {"text": f"Revoked {fmt.date(t.revoked_at)}", "classes": "nhsuk-tag--grey"}
                if t.revoked_at
                else {"text": "Active", "classes": "nhsuk-tag--green"}
            ),
            revoke_href=reverse("api_tokens:revoke", args=[t.pk]),
        )
        for t in tokens
    ]


@site_administrator_required
@require_GET
def token_list(request: HttpRequest, admin: Administration) -> HttpResponse:
    tokens = list(
        ApiToken.objects.for_sites([admin.site.pk])
        .select_related("organisation", "created_by")
        .order_by("revoked_at", "organisation__name", "-created_at")
    )
    return render(
        request,
        "api_tokens/list.jinja",
        {"site": admin.site, "rows": _rows(tokens), "back_href": reverse("network:index")},
    )


@never_cache
@site_administrator_required
@require_http_methods(["GET", "POST"])
def token_new(request: HttpRequest, admin: Administration) -> HttpResponse:
    organisations = list(Organisation.objects.filter(site=admin.site, is_active=True).order_by("name"))
    form = ApiTokenForm(request.POST if request.method == "POST" else None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = next(o for o in organisations if str(o.pk) == form.cleaned_data["organisation"])
        try:
            new = services.api_token_create(
                actor=admin.user, organisation=organisation, name=form.cleaned_data["name"], request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            # Shown in this response only: the token is never stored, so it cannot be shown again.
            return render(
                request,
                "api_tokens/made.jinja",
                {"site": admin.site, "token": new.token, "secret": new.secret, "organisation": organisation},
            )
    return render(
        request,
        "api_tokens/new.jinja",
        {"site": admin.site, "form": form, "back_href": reverse("api_tokens:list")},
    )


@site_administrator_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, admin: Administration, token_id: uuid.UUID) -> HttpResponse:
    token = (
        ApiToken.objects.for_sites([s.pk for s in admin.sites])
        .select_related("organisation")
        .filter(pk=token_id)
        .first()
    )
    if token is None:
        raise Http404("No such token")
    if request.method == "POST":
        try:
            services.api_token_revoke(actor=admin.user, token=token, request=request)
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, f"{token.name} ({token.prefix}) is revoked. It no longer works.")
        return redirect("api_tokens:list")
    return render(
        request,
        "api_tokens/revoke.jinja",
        {"site": admin.site, "token": token, "back_href": reverse("api_tokens:list")},
    )
