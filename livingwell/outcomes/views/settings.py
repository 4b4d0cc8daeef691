"""The site's settings for measures (/measures/settings/): for a site administrator, about the site they manage."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from livingwell.audit import services as audit
from livingwell.audit.models import Action
from livingwell.core.errors import DomainError
from livingwell.core.forms import add_domain_error
from livingwell.network.selectors import administration
from livingwell.network.views import SITE_SESSION_KEY
from livingwell.outcomes.forms.settings import MeasureSettingsForm
from livingwell.outcomes.services.settings import measure_settings_update, settings_of


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    admin = administration(user=request.user, site_id=request.session.get(SITE_SESSION_KEY))
    if admin is None:
        raise audit.refuse(
            actor=request.user,
            action=Action.VIEW if request.method == "GET" else Action.NETWORK_CHANGE,
            reason="Settings for measures are for site administrators",
            request=request,
            message="Only site administrators can change the settings for measures.",
        )
    site = admin.site
    current = settings_of(site)
    form = MeasureSettingsForm(
        request.POST if request.method == "POST" else None, initial=MeasureSettingsForm.initial_from(current)
    )
    if request.method == "POST" and form.is_valid():
        try:
            measure_settings_update(actor=admin.user, site=site, request=request, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "Settings for measures saved")
            return redirect("network:index")
    return render(
        request,
        "outcomes/settings/edit.jinja",
        {
            "form": form,
            "site": site,
            "title": "Settings for measures",
            "lede": (
                "How big a change in a person's answers counts as reliable, and the ReQoL-10 cut-off. "
                "These settings are for this site only. NHS England's figures are used until you change them."
            ),
            "button_text": "Save settings",
            "back_href": reverse("network:index"),
            "uses_defaults": current._state.adding,
        },
    )
