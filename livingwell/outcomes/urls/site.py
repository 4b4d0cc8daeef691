"""Site-wide pages about measures, under /measures/ (namespace `measure_settings`)."""

from django.urls import path

from livingwell.outcomes.views import settings

app_name = "measure_settings"

urlpatterns = [
    path("settings/", settings.settings_view, name="edit"),
]
