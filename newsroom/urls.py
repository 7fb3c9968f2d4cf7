from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

admin.site.site_header = f"{settings.SITE_NAME} — editorial admin"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Newsroom"

urlpatterns = [
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns += [
        re_path(rf"^{media_prefix}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += [
    path("", include("articles.urls")),
]
