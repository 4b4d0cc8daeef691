"""The Living Well plan of one person: /people/<person_id>/plan/…"""

from django.urls import path

from livingwell.support.views import plan as views

app_name = "plans"
urlpatterns = [
    path("", views.plan_view, name="view"),
]
