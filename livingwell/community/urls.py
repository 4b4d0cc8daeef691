from django.urls import path

from livingwell.community import views

app_name = "community"
urlpatterns = [
    path("", views.offer_search, name="search"),
    path("offers/<str:service_id>/", views.offer, name="offer"),
]
