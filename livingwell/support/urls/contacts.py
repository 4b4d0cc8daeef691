"""Contacts and notes of one person: /people/<person_id>/contacts/…"""

from django.urls import path

from livingwell.support.views import contacts as views

app_name = "contacts"
urlpatterns = [
    path("", views.contact_list, name="list"),
    path("new/", views.record_contact, name="record"),
    path("notes/new/", views.write_note, name="write_note"),
    path("notes/<uuid:note_id>/correct/", views.correct_note, name="correct"),
    path("notes/<uuid:note_id>/withhold/", views.withhold_note, name="withhold"),
    path("notes/<uuid:note_id>/show/", views.release_note, name="release"),
]
