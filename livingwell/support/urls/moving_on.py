"""Moving on and coming back: /people/<person_id>/moving-on/…"""

from django.urls import path

from livingwell.support.views import moving_on as views

app_name = "moving_on"
urlpatterns = [
    path("come-back/", views.come_back, name="come_back"),
    path("pick-up/<uuid:introduction_id>/", views.pick_up, name="pick_up"),
    path("<uuid:period_id>/", views.move_on, name="move_on"),
    path("<uuid:period_id>/farewell/", views.farewell, name="farewell"),
]
