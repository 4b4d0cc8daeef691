from django.urls import path

from livingwell.core import views

app_name = "core"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("get-help-now/", views.get_help_now, name="get_help_now"),
    path("how-we-use-your-information/", views.privacy_notice, name="privacy_notice"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
]
