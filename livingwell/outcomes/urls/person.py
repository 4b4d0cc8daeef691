"""A person's measures, under /people/<person_id>/measures/ (namespace `measures`)."""

from django.urls import path

from livingwell.outcomes.views import complete, overview

app_name = "measures"

urlpatterns = [
    path("", overview.overview_view, name="overview"),
    path("start/", complete.start_view, name="start"),
    path("<uuid:measure_id>/", overview.detail_view, name="detail"),
    path("<uuid:measure_id>/goals/", complete.goals_view, name="goals"),
    path("<uuid:measure_id>/questions/<int:position>/", complete.question_view, name="question"),
    path("<uuid:measure_id>/check/", complete.check_view, name="check"),
    path("<uuid:measure_id>/talk-about/", complete.topics_view, name="topics"),
    path("<uuid:measure_id>/talk-about/<slug:key>/", complete.topic_view, name="topic"),
    path("<uuid:measure_id>/discard/", complete.discard_view, name="discard"),
]
