"""The Collaborative's stories pages (in the `collaborative` namespace)."""

from django.urls import URLPattern, URLResolver, path

from livingwell.collaborative import views_stories as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("stories/", views.story_list, name="stories"),
    path("groups/<uuid:group_id>/stories/add/", views.story_add, name="story_add"),
    path("stories/<uuid:story_id>/", views.story_page, name="story"),
    path("stories/<uuid:story_id>/change/", views.story_change, name="story_change"),
    path("stories/<uuid:story_id>/check/", views.story_check, name="story_check"),
    path("stories/<uuid:story_id>/share/", views.story_share, name="story_share"),
    path("stories/<uuid:story_id>/withdraw/", views.story_withdraw, name="story_withdraw"),
    path("public-stories/", views.public_list, name="public_stories"),
    path("public-stories/<uuid:story_id>/", views.public_story, name="public_story"),
]
