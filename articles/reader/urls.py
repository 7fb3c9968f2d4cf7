from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter

from ..pagecache import cache_reader_page, keys
from . import feeds, previews, views
from .converters import UnicodeSlugConverter
from .sitemaps import SITEMAPS

register_converter(UnicodeSlugConverter, "uslug")

app_name = "articles"

sitemap_kwargs = {"sitemaps": SITEMAPS}

urlpatterns = [
    path("", views.home, name="home"),
    path("tags/", views.TagIndexView.as_view(), name="tag-index"),
    path("tag/<uslug:tag_slug>/", views.tag_detail, name="tag"),
    path("author/<uslug:author_slug>/", views.author_detail, name="author"),
    path("search/", views.search, name="search"),
    # Feeds: the site, and each section, tag and author, in RSS 2.0 and Atom.
    path("feeds/rss/", cache_reader_page(feeds.ArticleFeed()), name="feed-rss"),
    path("feeds/atom/", cache_reader_page(feeds.ArticleAtomFeed()), name="feed-atom"),
    path(
        "feeds/section/<uslug:slug>/rss/", cache_reader_page(feeds.SectionRssFeed()), name="section-feed-rss"
    ),
    path(
        "feeds/section/<uslug:slug>/atom/",
        cache_reader_page(feeds.SectionAtomFeed()),
        name="section-feed-atom",
    ),
    path("feeds/tag/<uslug:slug>/rss/", cache_reader_page(feeds.TagRssFeed()), name="tag-feed-rss"),
    path("feeds/tag/<uslug:slug>/atom/", cache_reader_page(feeds.TagAtomFeed()), name="tag-feed-atom"),
    path("feeds/author/<uslug:slug>/rss/", cache_reader_page(feeds.AuthorRssFeed()), name="author-feed-rss"),
    path(
        "feeds/author/<uslug:slug>/atom/", cache_reader_page(feeds.AuthorAtomFeed()), name="author-feed-atom"
    ),
    # Sitemaps. The index links the news sitemap as "sitemap-news.xml", which the
    # first route serves with the Google News tags, ahead of the generic one.
    path(
        "sitemap.xml",
        cache_reader_page(sitemap_views.index, keys=[keys.SITEMAPS]),
        {**sitemap_kwargs, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-news.xml", views.news_sitemap, name="sitemap-news"),
    path(
        "sitemap-<slug:section>.xml",
        cache_reader_page(sitemap_views.sitemap, keys=[keys.SITEMAPS]),
        sitemap_kwargs,
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("corrections/", views.corrections, name="corrections"),
    path("preview/<str:signed_token>/", previews.shared_preview, name="preview"),
    # Section routes last: a section slug may be almost anything (see RESERVED_SECTION_SLUGS).
    path("<uslug:section_slug>/", views.section_detail, name="section"),
    path("<uslug:section_slug>/<uslug:article_slug>/", views.article_detail, name="article"),
]
