"""The map of the offers a search finds (GeoJSON for the search page's map)."""

from django.urls import URLPattern, path

from livingwell.community import views_map

urlpatterns: list[URLPattern] = [
    path("map.geojson", views_map.offers_geojson, name="offers_geojson"),
]
