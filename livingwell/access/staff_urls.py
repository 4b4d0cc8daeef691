from django.urls import path

from livingwell.access import staff_views

app_name = "introductions"
urlpatterns = [
    path("", staff_views.introductions_mine, name="mine"),
    path("new/", staff_views.introduction_new, name="new"),
]
