"""
Renames and merges that keep old URLs answering with a 301.

When a slug changes, the old slug is recorded against the object that now
carries it (signals.py calls ``remember_old_slug``). Every old slug points at
the object itself, never at another old slug, so however many times something
is renamed, an old URL redirects to the current one in a single hop.
"""

from django.db import transaction
from taggit.models import Tag

from .cache import invalidate_pages
from .models import Article, Section, TaggedArticle
from .url_history import ArticleSlugHistory, SectionSlugHistory, TagSlugHistory

HISTORY = {Article: ArticleSlugHistory, Section: SectionSlugHistory, Tag: TagSlugHistory}


def _owner_field(model):
    return {Article: "article", Section: "section", Tag: "tag"}[model]


def remember_old_slug(instance, old_slug):
    """Record that ``old_slug`` now means ``instance`` (called after its slug changed)."""
    model = type(instance)
    if not old_slug or old_slug == instance.slug:
        return
    HISTORY[model].objects.update_or_create(old_slug=old_slug, defaults={_owner_field(model): instance})


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


@transaction.atomic
def merge_sections(sources, into):
    """Move every article of ``sources`` into ``into`` and delete them; their URLs redirect there."""
    for source in sources:
        if source.pk == into.pk:
            continue
        Article.objects.filter(section=source).update(section=into)
        SectionSlugHistory.objects.filter(section=source).update(section=into)
        SectionSlugHistory.objects.update_or_create(old_slug=source.slug, defaults={"section": into})
        source.delete()
    invalidate_pages()


@transaction.atomic
def merge_tags(sources, into):
    """Give the articles of ``sources`` the tag ``into`` instead, delete them; their URLs redirect there."""
    for source in sources:
        if source.pk == into.pk:
            continue
        already = TaggedArticle.objects.filter(tag=into).values("content_object")
        TaggedArticle.objects.filter(tag=source, content_object__in=already).delete()
        TaggedArticle.objects.filter(tag=source).update(tag=into)
        TagSlugHistory.objects.filter(tag=source).update(tag=into)
        TagSlugHistory.objects.update_or_create(old_slug=source.slug, defaults={"tag": into})
        source.delete()
    invalidate_pages()
