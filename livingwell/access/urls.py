from django.urls import path

from livingwell.access import views

app_name = "front_door"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("introductions/<uuid:introduction_id>/", views.introduction, name="introduction"),
    path("introductions/<uuid:introduction_id>/attempt/", views.attempt, name="attempt"),
    path("introductions/<uuid:introduction_id>/book/", views.book, name="book"),
    path(
        "introductions/<uuid:introduction_id>/bookings/<uuid:booking_id>/change/",
        views.cancel_booking,
        name="cancel_booking",
    ),
    path("introductions/<uuid:introduction_id>/withdraw/", views.withdraw, name="withdraw"),
    path("introductions/<uuid:introduction_id>/not-reached/", views.unreachable, name="unreachable"),
    path("introductions/<uuid:introduction_id>/reopen/", views.reopen, name="reopen"),
    path(
        "introductions/<uuid:introduction_id>/first-conversation/", views.first_conversation, name="first_conversation"
    ),
    path("introductions/<uuid:introduction_id>/second-contact/", views.second_contact, name="second_contact"),
    path("introductions/<uuid:introduction_id>/matches/<uuid:match_id>/", views.match, name="match"),
    path("handovers/", views.handovers, name="handovers"),
    path("handovers/<uuid:handover_id>/follow-up/", views.handover_follow_up, name="handover_follow_up"),
    path("outbox/", views.outbox, name="outbox"),
]
