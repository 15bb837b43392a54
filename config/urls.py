from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from api import pages, problems
from api.graphql.schema import schema
from api.graphql.views import graphql_view

admin.site.site_header = "Treaty API curation"
admin.site.site_title = "Treaty API"

urlpatterns = [
    path("", pages.home, name="home"),
    path("README.md", pages.readme, name="readme"),
    path("admin/", admin.site.urls),
    path("graphql/", graphql_view(schema), name="graphql"),
    path("api/v1/", include("api.rest.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's set-up script from its own URL (?script), not inline: the Content-Security-Policy allows no inline
    # script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema", template_name="rest/redoc.html"), name="redoc"),
    # Any other /api/ URL: a problem-details 404, even with DEBUG on (which bypasses handler404).
    re_path(r"^api/", csrf_exempt(problems.not_found)),  # it changes nothing, whatever the method
]

if settings.BENCHMARK_FLOOR_DIR:  # manage.py benchmark's floor view: the same bytes with no work
    from benchmark.floor import floor

    urlpatterns.insert(0, path("benchmark-floor/<slug:name>", floor))

# Under /api/, Django's own error answers are problem details too.
handler400 = problems.bad_request
handler403 = problems.permission_denied
handler404 = problems.not_found
handler500 = problems.server_error
