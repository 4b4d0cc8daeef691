"""The Collaborative's sessions pages (in the `collaborative` namespace): sessions, attendance, notes,
actions, the rota of open events, and the public open events pages."""

from django.urls import URLPattern, URLResolver, path

from livingwell.collaborative import views_sessions as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("sessions/", views.sessions_list, name="sessions"),
    path("groups/<uuid:group_id>/sessions/add/", views.session_add, name="session_add"),
    path("sessions/<uuid:session_id>/", views.session_detail, name="session"),
    path("sessions/<uuid:session_id>/change/", views.session_change, name="session_change"),
    path("sessions/<uuid:session_id>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<uuid:session_id>/reply/", views.session_reply, name="session_reply"),
    path("sessions/<uuid:session_id>/attendance/", views.session_attendance, name="session_attendance"),
    path("sessions/<uuid:session_id>/notes/", views.session_notes, name="session_notes"),
    path("actions/", views.actions_list, name="actions"),
    path("groups/<uuid:group_id>/actions/add/", views.action_add, name="action_add"),
    path("actions/<uuid:action_id>/", views.action_detail, name="action"),
    path("open-events/rota/", views.rota_page, name="rota"),
    path("events/", views.events_public, name="events"),
    path("events/<uuid:session_id>/", views.event_public, name="event"),
]
