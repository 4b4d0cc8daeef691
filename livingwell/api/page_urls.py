from django.urls import path

from livingwell.api import views

app_name = "api_tokens"
urlpatterns = [
    path("", views.token_list, name="list"),
    path("new/", views.token_new, name="new"),
    path("<uuid:token_id>/revoke/", views.token_revoke, name="revoke"),
]
