"""Sitemaps for search engines: articles, sections, tags, authors, and Google News."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from ..models import Article, Author, Section, tag_url

# Google News reads articles of the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class ArticleSitemap(Sitemap):
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .select_related("section")
            .only("slug", "updated_at", "published_at", "section__slug")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, article):
        return max(article.updated_at, article.published_at)


class HomeSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return ["articles:home", "articles:tag-index"]

    def location(self, name):
        return reverse(name)


class SectionSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.annotate(
            last_published=Max("articles__published_at", filter=Q(articles__in=Article.objects.published()))
        ).order_by("position", "name")

    def lastmod(self, section):
        return section.last_published


class TagSitemap(Sitemap):
    limit = 5000

    def items(self):
        published = Article.objects.published()
        return (
            Tag.objects.filter(article__in=published)
            .annotate(last_published=Max("article__published_at"))
            .order_by("name")
        )

    def location(self, tag):
        return tag_url(tag)

    def lastmod(self, tag):
        return tag.last_published


class AuthorSitemap(Sitemap):
    def items(self):
        published = Article.objects.published()
        return (
            Author.objects.filter(articles__in=published)
            .annotate(last_published=Max("articles__published_at"))
            .order_by("name")
        )

    def lastmod(self, author):
        return author.last_published


class NewsSitemap(Sitemap):
    """Articles of the last 48 hours, rendered with the Google News tags (sitemaps/news.xml)."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .select_related("section")
            .order_by("-published_at", "-pk")[:NEWS_LIMIT]
        )

    def lastmod(self, article):
        return max(article.updated_at, article.published_at)


def news_language():
    """The ISO 639 code Google News expects: "en", or "zh-cn"/"zh-tw" for Chinese."""
    code = settings.LANGUAGE_CODE.lower()
    return code if code in ("zh-cn", "zh-tw") else code.split("-")[0]


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "news": NewsSitemap,
}
