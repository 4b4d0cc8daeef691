"""The Collaborative's decisions pages (in the `collaborative` namespace)."""

from django.urls import URLPattern, URLResolver, path

from livingwell.collaborative import views_decisions as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("decisions/", views.decision_list, name="decisions"),
    path("groups/<uuid:group_id>/decisions/add/", views.decision_add, name="decision_add"),
    path("decisions/<uuid:decision_id>/", views.decision_detail, name="decision"),
    path("decisions/<uuid:decision_id>/say/", views.decision_say, name="decision_say"),
    path("decisions/<uuid:decision_id>/participants/", views.decision_participants, name="decision_participants"),
    path("decisions/<uuid:decision_id>/record/", views.decision_record, name="decision_record"),
    path("decisions/<uuid:decision_id>/withdraw/", views.decision_withdraw, name="decision_withdraw"),
    path("decisions-log/", views.decisions_log, name="decisions_log"),
    path("decisions-log.csv", views.decisions_log_csv, name="decisions_log_csv"),
    path("decisions-log/<uuid:decision_id>/", views.public_decision, name="public_decision"),
]
