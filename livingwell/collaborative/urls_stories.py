"""The Collaborative's stories pages (in the `collaborative` namespace)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
