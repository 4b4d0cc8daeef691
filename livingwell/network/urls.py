from django.urls import path

from livingwell.network import views

app_name = "network"
urlpatterns = [
    path("", views.index, name="index"),
    path("site/", views.choose_site, name="choose_site"),
    path("settings/", views.site_settings, name="site_settings"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/add/", views.organisation_add, name="organisation_add"),
    path("organisations/<uuid:organisation_id>/", views.organisation_change, name="organisation_change"),
    path("teams/", views.teams, name="teams"),
    path("teams/add/", views.team_add, name="team_add"),
    path("teams/<uuid:team_id>/", views.team_change, name="team_change"),
    path("localities/", views.localities, name="localities"),
    path("localities/add/", views.locality_add, name="locality_add"),
    path("localities/<uuid:locality_id>/", views.locality_change, name="locality_change"),
    path("staff/", views.staff, name="staff"),
    path("staff/add/", views.staff_add, name="staff_add"),
    path("staff/<uuid:membership_id>/end/", views.membership_end, name="membership_end"),
    path("staff/<uuid:membership_id>/invitation/", views.invitation, name="invitation"),
]
