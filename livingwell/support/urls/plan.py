"""The Living Well plan of one person: /people/<person_id>/plan/…"""

from django.urls import path

from livingwell.support.views import plan as views

app_name = "plans"
urlpatterns = [
    path("", views.plan_view, name="view"),
    path("goals/add/", views.goal_add, name="goal_add"),
    path("goals/<uuid:goal_id>/", views.goal_change, name="goal_change"),
    path("actions/add/", views.action_add, name="action_add"),
    path("actions/<uuid:action_id>/", views.action_change, name="action_change"),
    path("actions/<uuid:action_id>/done/", views.action_done, name="action_done"),
    path("safety-plan/", views.safety_plan, name="safety_plan"),
    path("reviews/add/", views.review_add, name="review_add"),
    path("agree/", views.agree, name="agree"),
    path("versions/", views.versions, name="versions"),
    path("versions/<int:number>/", views.version, name="version"),
]
