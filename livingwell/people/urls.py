from django.urls import path

from livingwell.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("me/", views.me, name="me"),
    path("me/access-log/", views.my_access_log, name="my_access_log"),
    path("emergency-access/", views.emergency_lookup, name="emergency"),
    path("<uuid:person_id>/", views.person_record, name="record"),
    path("<uuid:person_id>/change/<slug:part>/", views.change_part, name="change_part"),
    path("<uuid:person_id>/network/add/", views.add_relationship, name="add_relationship"),
    path(
        "<uuid:person_id>/network/<uuid:relationship_id>/change/",
        views.change_relationship,
        name="change_relationship",
    ),
    path(
        "<uuid:person_id>/network/<uuid:relationship_id>/remove/", views.remove_relationship, name="remove_relationship"
    ),
    path("<uuid:person_id>/invite/", views.invite, name="invite"),
    path("<uuid:person_id>/sharing/", views.sharing, name="sharing"),
    path("<uuid:person_id>/sharing/<uuid:consent_id>/stop/", views.stop_sharing, name="stop_sharing"),
    path("<uuid:person_id>/emergency-access/", views.break_glass, name="break_glass"),
]
