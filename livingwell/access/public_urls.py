"""Public addresses of the front door: the introduction journey (/introduce/) and the waiting figures.

The waiting pages are included at the root by `livingwell.config.urls` as `waiting_urls`
(/waiting/ and /waiting.json, namespace "waiting").
"""

from django.urls import path

from livingwell.access import public_views

app_name = "introduce"
urlpatterns = [
    path("", public_views.question, name="start"),
    path("check-your-answers/", public_views.check, name="check"),
    path("confirmation/", public_views.confirmation, name="confirmation"),
    path("<slug:slug>/", public_views.question, name="question"),
]

waiting_urls = (
    [
        path("waiting/", public_views.waiting, name="page"),
        path("waiting.json", public_views.waiting_json, name="json"),
    ],
    "waiting",
)
