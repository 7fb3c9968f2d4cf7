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
from django.db.models import Case, Exists, F, FloatField, Func, Max, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
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
    return list(related_queryset(article)[:limit])


def suggestions_for(article, limit):
    """The ``limit`` best suggestions for ``article``, leaving out its picks."""
    return list(related_queryset(article).filter(pick_position__isnull=True)[:limit])


def related_queryset(article):
    """The editor's published picks, then suggestions, best first: annotated with
    ``pick_position`` (None for a suggestion), ``score`` and ``same_section``.

    Candidates are the picks plus a shortlist that walks the tag index from the
    article's tags to the other articles and ranks them by shared-tag rarity
    alone. Only those few rows are then checked against ``published()``, by
    primary key, and scored: the work grows with how common the article's tags
    are, not with the archive, and both databases get the same obvious plan.
    """
    picks = RelatedLink.objects.filter(from_article_id=article.pk)
    candidates = picks.order_by().values_list("to_article_id")
    weights, followed = tag_weights(article) if article.suggest_related else ({}, [])
    if followed:
        shortlist = (
            TaggedArticle.objects.filter(tag_id__in=followed)
            .exclude(content_object_id=article.pk)
            .values("content_object_id")
            .annotate(rarity=rarity_sum(weights))
            .order_by("-rarity", "-content_object_id")
            .values("content_object_id")[:SHORTLIST_SIZE]
        )
        # A UNION cannot hold a LIMIT on SQLite, so the shortlist goes one level down.
        candidates = candidates.union(Article.objects.filter(pk__in=shortlist).order_by().values_list("pk"))
    rarity = Value(0.0)
    if weights:
        shared = TaggedArticle.objects.filter(content_object_id=OuterRef("pk"), tag_id__in=weights).order_by()
        rarity = Coalesce(
            Subquery(shared.values("content_object_id").annotate(total=rarity_sum(weights)).values("total")),
            rarity,
        )
    return (
        Article.objects.filter(
            # Not .published() on this query: its status condition could lead SQLite to walk the
            # whole status index instead of the few candidates. The same rule, by primary key:
            Exists(Article.objects.published().filter(pk=OuterRef("pk"))),
            pk__in=candidates,
        )
        .select_related("section")
        .annotate(
            pick_position=Subquery(picks.filter(to_article_id=OuterRef("pk")).values("position")[:1]),
            rarity=rarity,
            same_section=Case(When(section_id=article.section_id, then=Value(True)), default=Value(False)),
            score=F("rarity") + bonuses(article),
        )
        .order_by(F("pick_position").asc(nulls_last=True), "-score", "-published_at", "-pk")
    )


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


def rarity_sum(weights):
    return Sum(TagRarity(weights))


class TagRarity(Func):
    """``CASE tag_id WHEN <tag> THEN <rarity> ... ELSE 0 END``: the weight of one tag link.

    One flat expression instead of a Case of Whens: this query is built for
    every article page, and Django resolves and compiles each When separately.
    """

    output_field = FloatField()

    def __init__(self, weights):
        self.weights = weights
        super().__init__(F("tag_id"))

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        whens = " ".join(["WHEN %s THEN %s"] * len(self.weights))
        return f"CASE {column} {whens} ELSE 0.0 END", [*params, *chain.from_iterable(self.weights.items())]


def bonuses(article):
    now = timezone.now()
    same_section = Case(
        When(section_id=article.section_id, then=Value(SAME_SECTION_BONUS)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    recency = Case(
        *(When(published_at__gte=now - age, then=Value(bonus)) for age, bonus in RECENCY_BONUSES),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return same_section + recency


def latest_in_section(article, limit, *, exclude=()):
    """The latest published articles of ``article``'s section, other than it and ``exclude``."""
    exclude_ids = [article.pk, *(getattr(other, "pk", other) for other in exclude)]
    return (
        Article.objects.published()
        .filter(section_id=article.section_id)
        .exclude(pk__in=exclude_ids)
        .select_related("section")
        .latest_first()[:limit]
    )


@dataclass
class RelatedBlock:
    """Everything under an article: related articles, "More in <section>" (without those
    already in the related block), and the previous and next article of the section."""

    related: list
    more_in_section: list
    previous: "Neighbour | None" = None
    next: "Neighbour | None" = None


def related_block(article, *, more_count=None):
    """The navigation under ``article`` (from ``with_page_relations()``), in two queries:
    related articles, then the section's latest."""
    more_count = settings.MORE_IN_SECTION_COUNT if more_count is None else more_count
    related = related_for(article)
    return RelatedBlock(
        related=related,
        more_in_section=list(latest_in_section(article, more_count, exclude=related)),
        previous=neighbour(article, article.previous_title, article.previous_slug),
        next=neighbour(article, article.next_title, article.next_slug),
    )


@dataclass(frozen=True)
class Neighbour:
    """The previous or next article of a section: enough for a link."""

    title: str
    url: str


def neighbour(article, title, slug):
    if not slug:
        return None
    url = reverse("articles:article", kwargs={"section_slug": article.section.slug, "article_slug": slug})
    return Neighbour(title, url)


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
