"""Curation routes (in the `community` namespace, mounted at /community/)."""

from django.urls import URLPattern, path

from livingwell.community import views_curation as views

urlpatterns: list[URLPattern] = [
    path("offers/add/", views.offer_add, name="offer_add"),
    path("offers/<str:service_id>/change/", views.offer_change, name="offer_change"),
    path("offers/<str:service_id>/withdraw/", views.offer_withdraw, name="offer_withdraw"),
    path("offers/<str:service_id>/restore/", views.offer_restore, name="offer_restore"),
    path("suggest/", views.offer_suggest, name="suggest"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("curation/", views.queue, name="queue"),
    path("curation/<str:service_id>/", views.review, name="review"),
]
