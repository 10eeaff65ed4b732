"""The URL map. City pages live under ``/<city>/``, so every other top-level path is reserved
(see ``cocity.municipalities.models.RESERVED_SLUGS``)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from cocity.accounts import views as account_views
from cocity.api.api import api
from cocity.core import views as core_views
from cocity.impact import views as impact_views
from cocity.municipalities import views as municipality_views

handler400 = "cocity.core.views.bad_request"
handler403 = "cocity.core.views.permission_denied"
handler404 = "cocity.core.views.page_not_found"
handler500 = "cocity.core.views.server_error"
# Not Django's: allauth answers its throttled logins, sign-ups and resets through it.
handler429 = "cocity.core.views.too_many_attempts"

urlpatterns = [
    path("", impact_views.observatory, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's own: its login form would check passwords without the site's limits.
    path("admin/login/", account_views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("account/", include("cocity.accounts.urls")),
    path("account/", include("allauth.urls")),
    path("cities/go/", municipality_views.city_switch, name="city_switch"),
    path("my/pacts/", core_views.my_pacts, name="my_pacts"),
    path("ping", core_views.ping, name="ping"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("privacy/", core_views.privacy, name="privacy"),
]

if not settings.PRODUCTION:
    # In production a web server or object storage serves uploads.
    urlpatterns.append(path("media/<path:path>", core_views.media, name="media"))

urlpatterns += [
    path("<slug:city>/office/commons/", include("cocity.commons.office_urls")),
    path("<slug:city>/office/", include("cocity.pacts.office_urls")),
    path("<slug:city>/office/", include("cocity.reports.office_urls")),
    path("<slug:city>/office/programmes/", include("cocity.programmes.office_urls")),
    path("<slug:city>/office/import/", include("cocity.opendata.office_urls")),
    path("<slug:city>/office/", include("cocity.office.urls")),
    path("<slug:city>/", include("cocity.commons.urls")),
    path("<slug:city>/pacts/<str:number>/", include("cocity.reports.urls")),
    path("<slug:city>/pacts/", include("cocity.pacts.urls")),
    path("<slug:city>/impact/", include("cocity.impact.urls")),
    path("<slug:city>/", include("cocity.municipalities.urls")),
]
