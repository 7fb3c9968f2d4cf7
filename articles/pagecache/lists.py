"""The lists an article is on, by key: what joining or leaving them invalidates."""

from django.db.models import OuterRef, Subquery, Value

from ..models import Article, Byline, TaggedArticle
from . import keys as k
from .versions import bump, invalidate


def list_keys(article_ids, *, extra_sections=()):
    """The keys of every list the articles are on: home, feeds, sections, tags, authors...

    One query: the articles' sections, tags and authors, as a UNION ALL.
    """
    keys = {k.HOME, k.FEEDS, k.SITEMAPS, k.CORRECTIONS, k.TAG_INDEX, k.SEARCH}
    keys.update(k.article_key(pk) for pk in article_ids)
    keys.update(k.section_articles_key(pk) for pk in extra_sections)
    sections = (
        Article.objects.filter(pk__in=article_ids).order_by().values_list(Value("section"), "section_id")
    )
    tags = (
        TaggedArticle.objects.filter(content_object_id__in=article_ids)
        .order_by()
        .values_list(Value("tag"), "tag_id")
    )
    authors = (
        Byline.objects.filter(article_id__in=article_ids).order_by().values_list(Value("author"), "author_id")
    )
    key_of = {"section": k.section_articles_key, "tag": k.tag_articles_key, "author": k.author_articles_key}
    keys.update(key_of[kind](pk) for kind, pk in sections.union(tags, authors, all=True))
    keys.update(neighbour_keys(article_ids))
    return keys


def neighbour_keys(article_ids):
    """The ``neighbours`` keys of the published articles just before and after each of
    ``article_ids`` in its section (whose previous or next link it may now be): one query."""
    same_section = Article.objects.published().filter(section_id=OuterRef("section_id"))
    earlier = same_section.filter(published_at__lt=OuterRef("published_at")).latest_first()
    later = same_section.filter(published_at__gt=OuterRef("published_at")).order_by("published_at", "pk")
    rows = (
        Article.objects.published()
        .filter(pk__in=article_ids)
        .order_by()
        .values_list(Subquery(earlier.values("pk")[:1]), Subquery(later.values("pk")[:1]))
    )
    return {k.neighbours_key(pk) for row in rows for pk in row if pk is not None}


def invalidate_lists_of(article_ids, *, hard=False, after_commit=True):
    """Make every list ``article_ids`` are on stale: after the commit of a change, or at once
    (``after_commit=False``: articles whose scheduled time came, with nothing to commit)."""
    if article_ids:
        (invalidate if after_commit else bump)(list_keys(article_ids), hard=hard)
