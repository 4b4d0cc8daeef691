"""One person's support: /people/<person_id>/support/… (periods, worker, asking for a change, moving on, coming back)."""

from django.urls import path

from livingwell.support.views import person as views

app_name = "person_support"
urlpatterns = [
    path("", views.overview, name="overview"),
]
