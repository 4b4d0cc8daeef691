"""A team's work: /support/… (the huddle, allocation, urgent flags)."""

from django.urls import path

from livingwell.support.views import team as views

app_name = "support"
urlpatterns = [
    path("teams/<uuid:team_id>/huddle/", views.huddle, name="huddle"),
]
