"""The Collaborative's fund pages (in the `collaborative` namespace)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
