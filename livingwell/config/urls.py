from django.contrib import admin
from django.urls import include, path

from livingwell.access.public_urls import waiting_urls
from livingwell.api.urls import api

urlpatterns = [
    path("", include("livingwell.core.urls")),
    path("", include("livingwell.accounts.urls")),
    path("network/api-tokens/", include("livingwell.api.page_urls")),
    path("network/", include("livingwell.network.urls")),
    path("people/<uuid:person_id>/plan/", include("livingwell.support.urls.plan")),
    path("people/<uuid:person_id>/contacts/", include("livingwell.support.urls.contacts")),
    path("people/<uuid:person_id>/support/", include("livingwell.support.urls.person")),
    path("people/<uuid:person_id>/moving-on/", include("livingwell.support.urls.moving_on")),
    path("people/<uuid:person_id>/measures/", include("livingwell.outcomes.urls.person")),
    path("people/<uuid:person_id>/connections/", include("livingwell.community.urls_connections")),
    path("people/", include("livingwell.people.urls")),
    path("measures/", include("livingwell.outcomes.urls.site")),
    path("support/", include("livingwell.support.urls.team")),
    path("privacy/", include("livingwell.audit.urls")),
    path("front-door/", include("livingwell.access.urls")),
    path("introduce/", include("livingwell.access.public_urls")),
    path("", include(waiting_urls)),
    path("introductions/", include("livingwell.access.staff_urls")),
    path("api/v1/", api.urls),
    path("oruk/", include("livingwell.community.urls_oruk")),
    path("community/", include("livingwell.community.urls")),
    path("collaborative/", include("livingwell.collaborative.urls")),
    path("django-admin/", admin.site.urls),
]

handler403 = "livingwell.core.views.forbidden"
handler404 = "livingwell.core.views.not_found"
handler500 = "livingwell.core.views.server_error"
