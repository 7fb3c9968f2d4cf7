from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from articles.admin.forged_input import AutocompleteView
from newsroom.health import healthz

admin.site.site_header = f"{settings.SITE_NAME} — editorial admin"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Newsroom"
# The article list and form need the page's width; the front page's desk links everywhere.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    # Ahead of the admin's own route of the same address (see articles/admin/forged_input.py).
    path("admin/autocomplete/", admin.site.admin_view(AutocompleteView.as_view(admin_site=admin.site))),
    path("admin/", admin.site.urls),
    # For load balancers; without a trailing slash, so no section slug can take it.
    path("healthz", healthz, name="healthz"),
]

media_prefix = settings.MEDIA_URL.strip("/")
# Image renditions, at the path of their stored file: made by Django at the first request,
# then served from MEDIA_ROOT by the web server (deploy/) or from storage by this view.
urlpatterns += [path(f"{media_prefix}/renditions/", include("images.urls"))]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(rf"^{media_prefix}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += [
    path("", include("articles.reader.urls")),
]
