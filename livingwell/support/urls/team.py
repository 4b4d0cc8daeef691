"""A team's work: /support/… (the huddle, allocation, urgent flags)."""

from django.urls import path

from livingwell.support.views import team as views

app_name = "support"
urlpatterns = [
    path("teams/<uuid:team_id>/huddle/", views.huddle, name="huddle"),
    path("huddles/<uuid:huddle_id>/people/<uuid:period_id>/decision/", views.decision, name="decision"),
    path("periods/<uuid:period_id>/allocate/", views.allocate, name="allocate"),
    path("periods/<uuid:period_id>/flag/", views.flag, name="flag"),
    path("flags/<uuid:flag_id>/clear/", views.flag_clear, name="flag_clear"),
    path("change-requests/<uuid:request_id>/answer/", views.change_request_answer, name="change_request_answer"),
]
