from django.contrib import admin
from django.urls import include, path

from livingwell.api.urls import api

urlpatterns = [
    path("", include("livingwell.core.urls")),
    path("", include("livingwell.accounts.urls")),
    path("network/", include("livingwell.network.urls")),
    path("people/", include("livingwell.people.urls")),
    path("privacy/", include("livingwell.audit.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

handler403 = "livingwell.core.views.forbidden"
handler404 = "livingwell.core.views.not_found"
handler500 = "livingwell.core.views.server_error"
