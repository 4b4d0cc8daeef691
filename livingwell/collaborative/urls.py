"""The Collaborative, mounted at /collaborative/. Each part keeps its own routes in one module."""

from django.urls import include, path

app_name = "collaborative"
urlpatterns = [
    path("", include("livingwell.collaborative.urls_public")),
    path("", include("livingwell.collaborative.urls_groups")),
    path("", include("livingwell.collaborative.urls_sessions")),
    path("", include("livingwell.collaborative.urls_decisions")),
    path("", include("livingwell.collaborative.urls_prototypes")),
    path("", include("livingwell.collaborative.urls_stories")),
    path("", include("livingwell.collaborative.urls_reflection")),
    path("", include("livingwell.collaborative.urls_fund")),
]
