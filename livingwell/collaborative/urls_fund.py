"""The Collaborative's fund pages (in the `collaborative` namespace)."""

from django.urls import URLPattern, URLResolver, path

from . import views_fund as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("ideas-fund/", views.index, name="fund"),
    path("ideas-fund/add/", views.round_add, name="fund_round_add"),
    path("ideas-fund/<uuid:round_id>/", views.round_page, name="fund_round"),
    path("ideas-fund/<uuid:round_id>/stage/", views.round_stage, name="fund_round_stage"),
    path("ideas-fund/<uuid:round_id>/panel/", views.panel, name="fund_panel"),
    path("ideas-fund/<uuid:round_id>/pitch/", views.pitch_add, name="pitch_add"),
    path("ideas-fund/<uuid:round_id>/vote/", views.vote, name="fund_vote"),
    path("ideas-fund/<uuid:round_id>/results/", views.results, name="fund_results"),
    path("ideas-fund/<uuid:round_id>/award/", views.award_confirm, name="fund_award"),
    path("pitches/<uuid:pitch_id>/", views.pitch_page, name="pitch"),
    path("pitches/<uuid:pitch_id>/change/", views.pitch_change, name="pitch_change"),
    path("pitches/<uuid:pitch_id>/submit/", views.pitch_submit, name="pitch_submit"),
    path("pitches/<uuid:pitch_id>/help/", views.pitch_help, name="pitch_help"),
    path("pitches/<uuid:pitch_id>/shortlist/", views.pitch_shortlist, name="pitch_shortlist"),
    path("pitches/<uuid:pitch_id>/report/", views.pitch_report, name="pitch_report"),
    path("pitches/<uuid:pitch_id>/publish/", views.pitch_publish, name="pitch_publish"),
    path("funded-ideas/", views.funded_ideas, name="funded_ideas"),
]
