"""The picture of the network, for the Collaborative and analysts (in the `community` namespace)."""

from django.urls import path

from livingwell.community import views_picture

urlpatterns = [
    path("picture/", views_picture.network_picture, name="picture"),
]
