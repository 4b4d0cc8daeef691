"""One person's support: /people/<person_id>/support/… (periods, worker, asking for a change, moving on, coming back)."""

from django.urls import path

from livingwell.support.views import person as views

app_name = "person_support"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("ask-for-a-change/", views.ask_for_change, name="ask_for_change"),
    path("what-you-would-like/", views.wanted, name="wanted"),
]
