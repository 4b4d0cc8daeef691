from django.urls import path

from livingwell.community import views_feeds

urlpatterns = [
    path("feeds/", views_feeds.feed_list, name="feeds"),
    path("feeds/add/", views_feeds.feed_add, name="feed_add"),
    path("feeds/runs/<int:run_id>/", views_feeds.feed_run, name="feed_run"),
    path("feeds/<uuid:source_id>/", views_feeds.feed, name="feed"),
    path("feeds/<uuid:source_id>/change/", views_feeds.feed_change, name="feed_change"),
    path("feeds/<uuid:source_id>/refresh/", views_feeds.feed_refresh, name="feed_refresh"),
]
