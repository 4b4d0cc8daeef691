"""The Collaborative's reflection pages (in the `collaborative` namespace)."""

from django.urls import URLPattern, URLResolver, path

from livingwell.collaborative import views_reflection as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("reflection/", views.reflection_list, name="reflection"),
    path("reflection/add/", views.round_add, name="round_add"),
    path("reflection/trend/", views.reflection_trend, name="reflection_trend"),
    path("reflection/<uuid:round_id>/", views.round_detail, name="round"),
    path("reflection/<uuid:round_id>/principles/", views.principles_rate, name="principles_rate"),
    path("reflection/<uuid:round_id>/balcony/", views.balcony_place, name="balcony"),
    path("reflection/<uuid:round_id>/principles/results/", views.principles_results, name="principles_results"),
    path("reflection/<uuid:round_id>/balcony/results/", views.balcony_results, name="balcony_results"),
]
