from django.urls import path, register_converter

from . import views
from .converters import UnicodeSlugConverter

register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("tags/", views.TagIndexView.as_view(), name="tag-index"),
    path("tag/<uslug:tag_slug>/", views.tag_detail, name="tag"),
    path("author/<uslug:author_slug>/", views.author_detail, name="author"),
    # Section routes last: a section slug may be almost anything (see RESERVED_SECTION_SLUGS).
    path("<uslug:section_slug>/", views.section_detail, name="section"),
    path("<uslug:section_slug>/<uslug:article_slug>/", views.article_detail, name="article"),
]
