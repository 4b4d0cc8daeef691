"""The Collaborative's groups pages (in the `collaborative` namespace)."""

from django.urls import URLPattern, URLResolver, path

from livingwell.collaborative import views_groups as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("groups/", views.group_list, name="groups"),
    path("groups/add/", views.group_add, name="group_add"),
    path("groups/<uuid:group_id>/", views.group_detail, name="group"),
    path("groups/<uuid:group_id>/change/", views.group_change, name="group_change"),
    path("groups/<uuid:group_id>/join/", views.group_join, name="group_join"),
    path("groups/<uuid:group_id>/leave/", views.group_leave, name="group_leave"),
    path("groups/<uuid:group_id>/roles/", views.group_roles, name="group_roles"),
    path("roles/", views.who_holds, name="who_holds"),
]
