"""The Collaborative's public pages, joining, members and the member's home (in the `collaborative` namespace)."""

from django.urls import URLPattern, URLResolver, path

from . import views_members, views_public

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_public.about, name="about"),
    path("join/", views_public.how_to_join, name="how_to_join"),
    path("join/sent/", views_public.join_request_sent, name="join_request_sent"),
    path("workspace/", views_members.home, name="home"),
    path("members/", views_members.members_list, name="members"),
    path("members/<uuid:member_id>/", views_members.member_page, name="member"),
    path("me/", views_members.my_membership, name="my_membership"),
    path("me/leave/", views_members.leave, name="leave"),
    path("join-requests/", views_members.join_requests, name="join_requests"),
    path("join-requests/<uuid:request_id>/", views_members.join_request, name="join_request"),
]
