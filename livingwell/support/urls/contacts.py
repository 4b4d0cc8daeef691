"""Contacts and notes of one person: /people/<person_id>/contacts/…"""

from django.urls import path

from livingwell.support.views import contacts as views

app_name = "contacts"
urlpatterns = [
    path("", views.contact_list, name="list"),
]
