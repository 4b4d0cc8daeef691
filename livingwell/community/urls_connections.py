"""A person's community offers, as a page of their record (mounted at /people/<person_id>/connections/)."""

from django.urls import path

from livingwell.community import views_connections as views

app_name = "connections"
urlpatterns = [
    path("", views.connection_list, name="list"),
    path("add/<str:service_id>/", views.connect, name="add"),
    path("gap/", views.gap, name="gap"),
    path("<uuid:connection_id>/", views.update, name="update"),
]
