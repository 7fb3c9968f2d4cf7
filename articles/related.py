"""
Related articles: the editor's picks first, then automatic suggestions.

A suggestion's score is the sum of

- the rarity of every tag it shares with the article, ``ln(1 + N / df)``
  (smoothed inverse document frequency: a tag on three articles says much more
  than one on half the archive; N is the archive size, df the number of
  articles with the tag),
- a bonus for the same section and a smaller one for being recent, both below
  what one shared tag weighs, so they order matches rather than make them,

ties broken by the newer article, then the higher id.

Suggestions are computed when the page is built (and cached with it), in one
query that starts from the article's tags in the tag index, so the work
depends on how common those tags are, not on the archive size. Nothing is
stored: a scheduled article is suggested once it goes live, an unpublished
one disappears at once, and publishing writes nothing anywhere else.
Every list here is filtered by ``Article.objects.published()``.
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import chain

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Expression, F, FloatField, Func, IntegerField, Max, OuterRef
from django.utils import timezone

from .models import Article, RelatedLink, TaggedArticle

SAME_SECTION_BONUS = 0.6
# Newer is a little better: (at most this old, bonus); the first match wins.
RECENCY_BONUSES = [(timedelta(days=7), 0.4), (timedelta(days=30), 0.3), (timedelta(days=365), 0.1)]
# Broad tags, on a larger share of the archive, do not bring in candidates
# (following them would read thousands of links for little: their rarity is
# low), but they still count in the score of the candidates the others bring.
BROAD_TAG_SHARE = 0.02
# A tag on at most this many articles is always followed, however small the archive.
BROAD_TAG_MIN_ARTICLES = 1_000
# How many candidates are ranked by shared-tag rarity (newest first on ties)
# before their status and bonuses are looked at. The bonuses add at most 1.0,
# less than any tag on under half the archive weighs (ln 3), so one left out can
# only have beaten one kept when both share equally rare tags: the newer stay.
SHORTLIST_SIZE = 60


def related_for(article, limit=None):
    """Up to ``limit`` published articles to read after ``article`` (one query): the editor's
    picks in their order, then suggestions (articles sharing a tag) by score; never ``article``
    itself, never the same article twice. An article without tags gets its picks only.
    """
    limit = settings.RELATED_ARTICLES_COUNT if limit is None else limit
    return list(related_queryset(article).as_teasers()[:limit])


def suggestions_for(article, limit):
    """The ``limit`` best suggestions for ``article``, leaving out its picks."""
    suggestions = list(related_queryset(article).filter(pick_position__isnull=True)[:limit])
    for suggestion in suggestions:
        suggestion.same_section = suggestion.section_id == article.section_id
    return suggestions


def related_queryset(article):
    """The editor's published picks, then suggestions, best first: annotated with
    ``pick_position`` (None for a suggestion), ``rarity`` and ``score``.

    Candidates are the picks plus a shortlist that walks the tag index from the
    article's tags to the other articles and ranks them by shared-tag rarity
    alone. Only those few rows are then checked against ``published()``, by
    primary key, and scored: the work grows with how common the article's tags
    are, not with the archive, and both databases get the same obvious plan.

    The parts are flat SQL expressions (below), not Subqueries of querysets: this
    query is built for every article page, and resolving nested querysets cost
    more CPU than the database spent running the query.
    """
    weights, followed = tag_weights(article) if article.suggest_related else ({}, [])
    return (
        Article.objects.filter(
            # Not .published() on this query: its status condition could lead SQLite to walk the
            # whole status index instead of the few candidates. The same rule, by primary key:
            Exists(Article.objects.published().filter(pk=OuterRef("pk"))),
            pk__in=Candidates(article.pk, weights, followed),
        )
        .select_related("section", "lead_image")
        .annotate(
            pick_position=PickPosition(article.pk),
            rarity=SharedTagRarity(weights),
            score=F("rarity") + Bonuses(article),
        )
        .order_by(F("pick_position").asc(nulls_last=True), "-score", "-published_at", "-pk")
    )


def _quoted(connection, model, *fields):
    """The quoted table name and columns of ``model``'s ``fields``."""
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), *(quote(model._meta.get_field(name).column) for name in fields)


def _rarity_case(tag_column, weights):
    """``CASE tag_id WHEN <tag> THEN <rarity> ... ELSE 0 END``: the weight of one tag link."""
    whens = " ".join(["WHEN %s THEN %s"] * len(weights))
    return f"CASE {tag_column} {whens} ELSE 0.0 END", list(chain.from_iterable(weights.items()))


class Candidates(Expression):
    """``(SELECT ...)``: the ids of ``article_id``'s picks and of its shortlist, the articles
    sharing the most of its ``followed`` tags (by rarity; the newer first on ties)."""

    output_field = IntegerField()

    def __init__(self, article_id, weights, followed):
        super().__init__()
        self.article_id, self.weights, self.followed = article_id, weights, followed

    def as_sql(self, compiler, connection):
        links, from_article, to_article = _quoted(connection, RelatedLink, "from_article", "to_article")
        sql, params = f"SELECT {to_article} FROM {links} WHERE {from_article} = %s", [self.article_id]
        if self.followed:
            tagged, article, tag = _quoted(connection, TaggedArticle, "content_object", "tag")
            rarity, rarity_params = _rarity_case(tag, self.weights)
            # A UNION cannot hold a LIMIT on SQLite, so the shortlist goes one level down.
            sql += (
                f" UNION SELECT * FROM (SELECT {article} FROM {tagged}"
                f" WHERE {tag} IN ({', '.join(['%s'] * len(self.followed))}) AND {article} <> %s"
                f" GROUP BY {article} ORDER BY SUM({rarity}) DESC, {article} DESC LIMIT {SHORTLIST_SIZE}) shortlist"
            )
            params += [*self.followed, self.article_id, *rarity_params]
        return f"({sql})", params


class PickPosition(Func):
    """The position of the article among ``article_id``'s picks (NULL: not a pick)."""

    output_field = IntegerField()

    def __init__(self, article_id):
        self.article_id = article_id
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        links, from_article, to_article, position = _quoted(
            connection, RelatedLink, "from_article", "to_article", "position"
        )
        sql = f"(SELECT picks.{position} FROM {links} AS picks WHERE picks.{from_article} = %s AND picks.{to_article} = {column})"
        return sql, [self.article_id, *params]


class SharedTagRarity(Func):
    """The sum of the rarities (``weights``) of the tags the article shares (0 if none)."""

    output_field = FloatField()

    def __init__(self, weights):
        self.weights = weights
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra_context):
        if not self.weights:
            return "0.0", []
        column, params = compiler.compile(self.source_expressions[0])
        tagged, article, tag = _quoted(connection, TaggedArticle, "content_object", "tag")
        rarity, rarity_params = _rarity_case(f"shared.{tag}", self.weights)
        sql = (
            f"COALESCE((SELECT SUM({rarity}) FROM {tagged} AS shared WHERE shared.{article} = {column}"
            f" AND shared.{tag} IN ({', '.join(['%s'] * len(self.weights))})), 0.0)"
        )
        return sql, [*rarity_params, *params, *self.weights]


class Bonuses(Func):
    """The same-section bonus plus the recency bonus of the article (see RECENCY_BONUSES)."""

    output_field = FloatField()

    def __init__(self, article):
        self.section_id, self.now = article.section_id, timezone.now()
        super().__init__(F("section_id"), F("published_at"))

    def as_sql(self, compiler, connection, **extra_context):
        section, section_params = compiler.compile(self.source_expressions[0])
        published, published_params = compiler.compile(self.source_expressions[1])
        recency = " ".join([f"WHEN {published} >= %s THEN %s"] * len(RECENCY_BONUSES))
        sql = f"(CASE WHEN {section} = %s THEN %s ELSE 0.0 END + CASE {recency} ELSE 0.0 END)"
        params = [*section_params, self.section_id, SAME_SECTION_BONUS]
        for age, bonus in RECENCY_BONUSES:
            params += [*published_params, connection.ops.adapt_datetimefield_value(self.now - age), bonus]
        return sql, params


def tag_weights(article):
    """``({tag id: rarity}, [ids of the tags specific enough to follow])`` for ``article``'s tags.

    Reads tag frequencies from ``article.tagged_items`` when the page prefetched
    them with ``with_page_relations()``; otherwise counts them in one query.
    """
    items = list(article.tagged_items.all())
    if items and not hasattr(items[0], "tag_frequency"):
        items = list(TaggedArticle.objects.filter(content_object=article).with_tag_frequency())
    if not items:
        return {}, []
    items.sort(key=lambda item: item.tag_id)
    archive_size = max(items[0].archive_size or 1, max(item.tag_frequency for item in items))
    broad = max(BROAD_TAG_MIN_ARTICLES, archive_size * BROAD_TAG_SHARE)
    weights = {item.tag_id: math.log(1 + archive_size / item.tag_frequency) for item in items}
    return weights, [item.tag_id for item in items if item.tag_frequency <= broad]


@dataclass
class RelatedBlock:
    """What sits under an article and changes with it: related articles, and the previous
    and next article of the section. "More in <section>" changes with the section instead
    (``section_newest``)."""

    related: list
    previous: "Neighbour | None" = None
    next: "Neighbour | None" = None

    @property
    def shown(self):
        """The articles listed, neighbours included (their keys are the page's keys)."""
        return [*self.related, *filter(None, [self.previous, self.next])]


def related_block(article):
    """The navigation under ``article`` (from ``with_page_relations()``), in two queries:
    related articles, then the article's neighbours in its section."""
    related = related_for(article)
    around = list(Article.objects.neighbours(article).only("title", "slug", "published_at", "section"))
    for other in around:
        other.section = article.section  # the same section: no query, and no join to fetch it
    moment = article.published_at
    earlier = [other for other in around if moment and other.published_at < moment]
    later = [other for other in around if moment and other.published_at > moment]
    return RelatedBlock(
        related=related,
        previous=neighbour(earlier[0]) if earlier else None,
        next=neighbour(later[-1]) if later else None,
    )


def section_newest(section_id, count):
    """The ``count`` newest published articles of a section, as teasers with the section's
    name and address (one indexed query)."""
    return list(
        Article.objects.published()
        .filter(section_id=section_id)
        .latest_first()
        .as_teasers(with_section=True)[:count]
    )


@dataclass(frozen=True)
class Neighbour:
    """The previous or next article of a section: enough for a link."""

    pk: int
    title: str
    url: str


def neighbour(other):
    return Neighbour(other.pk, other.title, other.get_absolute_url())


@dataclass
class Reason:
    """Why an article was suggested, for editors: "3 shared tags: NATO, Kremlin, Ukraine; same section"."""

    shared_tags: list = field(default_factory=list)
    same_section: bool = False

    def __str__(self):
        parts = []
        if self.shared_tags:
            count = len(self.shared_tags)
            parts.append(f"{count} shared tag{'s' if count != 1 else ''}: {', '.join(self.shared_tags)}")
        if self.same_section:
            parts.append("same section")
        return "; ".join(parts)


def suggestions_with_reasons(article, limit=None):
    """The current suggestions for ``article`` (picks left out), each with ``.reason``, for editors."""
    limit = settings.RELATED_ARTICLES_COUNT if limit is None else limit
    suggestions = suggestions_for(article, limit)
    shared = (
        TaggedArticle.objects.filter(
            content_object__in=[s.pk for s in suggestions],
            tag__in=TaggedArticle.objects.filter(content_object_id=article.pk).values("tag_id"),
        )
        .select_related("tag")
        .order_by("tag__name")
    )
    names = {}
    for item in shared:
        names.setdefault(item.content_object_id, []).append(item.tag.name)
    for suggestion in suggestions:
        suggestion.reason = Reason(names.get(suggestion.pk, []), suggestion.same_section)
    return suggestions


def add_pick(article, other, *, both_ways=False):
    """Pin ``other`` as the last of ``article``'s picks (and ``article`` as ``other``'s, both ways).

    Pinning a pick that exists changes nothing. Raises ValidationError when
    ``other`` is ``article``.
    """
    if article.pk == other.pk:
        raise ValidationError("An article cannot be related to itself.")
    pairs = [(article, other), (other, article)] if both_ways else [(article, other)]
    with transaction.atomic():
        for source, target in pairs:
            if not RelatedLink.objects.filter(from_article=source, to_article=target).exists():
                last = source.related_links.aggregate(last=Max("position"))["last"]
                RelatedLink.objects.create(
                    from_article=source, to_article=target, position=0 if last is None else last + 1
                )
