from django.urls import path

from livingwell.audit import views

app_name = "audit"
urlpatterns = [
    path("access-log/", views.log, name="log"),
    path("emergency-access/", views.break_glass_list, name="break_glass_list"),
    path("emergency-access/<uuid:grant_id>/", views.break_glass_review, name="break_glass_review"),
]
