"""Reads of the URL history: what an old slug of an article, section or tag points at now."""

from ..models import Article, ArticleSlugHistory, SectionSlugHistory, TagSlugHistory


def article_for_old_slug(slug):
    """The published article that once had ``slug``, or None."""
    entry = ArticleSlugHistory.objects.filter(old_slug=slug, article__in=Article.objects.published())
    entry = entry.select_related("article__section").first()
    return entry.article if entry else None


def section_for_old_slug(slug):
    entry = SectionSlugHistory.objects.filter(old_slug=slug).select_related("section").first()
    return entry.section if entry else None


def tag_for_old_slug(slug):
    entry = TagSlugHistory.objects.filter(old_slug=slug).select_related("tag").first()
    return entry.tag if entry else None
