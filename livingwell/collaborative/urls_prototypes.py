"""The Collaborative's prototypes pages (in the `collaborative` namespace)."""

from django.urls import URLPattern, URLResolver, path

from livingwell.collaborative import views_prototypes as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("prototypes/", views.prototype_list, name="prototypes"),
    path("groups/<uuid:group_id>/prototypes/add/", views.prototype_add, name="prototype_add"),
    path("prototypes/<uuid:prototype_id>/", views.prototype_page, name="prototype"),
    path("prototypes/<uuid:prototype_id>/change/", views.prototype_change, name="prototype_change"),
    path("prototypes/<uuid:prototype_id>/cycles/add/", views.cycle_add, name="cycle_add"),
    path("cycles/<uuid:cycle_id>/", views.cycle_page, name="cycle"),
    path("prototypes/<uuid:prototype_id>/figures/add/", views.figure_add, name="figure_add"),
    path("prototypes/<uuid:prototype_id>/outcome/", views.prototype_outcome, name="prototype_outcome"),
]
