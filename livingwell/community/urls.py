from django.urls import include, path

from livingwell.community import views, views_connections

app_name = "community"
urlpatterns = [
    path("", views.offer_search, name="search"),
    # Each part of the directory keeps its own routes (names stay in the `community` namespace). They
    # come before the offer page so that fixed paths such as offers/add/ are not taken for an offer id.
    path("", include("livingwell.community.urls_map")),
    path("", include("livingwell.community.urls_curation")),
    path("", include("livingwell.community.urls_picture")),
    path("", include("livingwell.community.urls_feeds")),
    path("needs/add/", views_connections.gap_without_person, name="gap_add"),
    path("offers/<str:service_id>/", views.offer, name="offer"),
]
