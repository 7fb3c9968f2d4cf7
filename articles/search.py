"""
Ranked full-text search over articles, the same on PostgreSQL and SQLite.

    results = search_articles("flood -budget", section=city)
    page = Paginator(results, 12).get_page(1)   # each article has .snippet (safe HTML)

The headline weighs most, then the standfirst, then the body. Readers type
PostgreSQL's web-search syntax: words, "quoted phrases", -excluded words and
OR. Whatever they type, the query that reaches the database is well-formed.

- PostgreSQL: ``Article.search_vector`` (a stored tsvector with weights A/B/C
  and a GIN index) ranked with ts_rank, snippets from ts_headline.
- SQLite: an FTS5 table ``articles_article_fts`` (rowid = article id) ranked
  with bm25 and the same weights, snippets from snippet(). Its rows are read
  through the unmanaged model ``ArticleSearchEntry``.

Both indexes are updated when an article is saved or deleted (signals.py);
``rebuild_index()`` refills them after bulk inserts.

Ranking reads each match's whole text, so its cost grows with the number of
matches. A query matching at most RANK_ALL_UP_TO articles is ranked in full.
A broader one ("budget" in a large archive) is ranked among the newest of its
matches, at least RANKING_POOL of them, found through the publish-time index;
older matches follow, newest first. Readers may also sort by date.

On PostgreSQL a quoted phrase is first narrowed through ``search_pairs``, an
index of neighbouring word pairs, so that word positions are checked only in
articles that hold the phrase's pairs, not in every article with its words.
"""

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from html import unescape

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryField,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, Q, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from .models import Article

CONFIG = "english"  # PostgreSQL text search configuration (stemming, stop words)
FTS_TABLE = "articles_article_fts"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
SNIPPET_WORDS = 30
# Counting every match of a very common word visits every matching row; past
# this many, readers see "more than 1,000 results" and can page that far.
MAX_COUNTED = 1000
RANK_ALL_UP_TO = 1000
RANKING_POOL = 300
# How many of the newest articles are sampled first for a ranking pool; the
# next window is sized from the share of them that match.
FIRST_WINDOW = 200
# Highlight markers that cannot come from a reader's query: snippets are
# escaped first, then the markers become <mark> tags.
MARK_START, MARK_END = "\x02", "\x03"

_UNWANTED_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_TOKENS = re.compile(r'(-?)"([^"]*)"?|([^\s"]+)')
_SEARCHABLE = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class Term:
    """A word, or a phrase of words, that an article must (or must not) contain."""

    text: str
    negated: bool = False


@dataclass
class ParsedQuery:
    """A reader's query: groups of alternatives (all groups must match) and exclusions."""

    text: str
    groups: list = field(default_factory=list)  # [[Term, ...], ...]: OR inside a group, AND between
    excluded: list = field(default_factory=list)
    truncated: bool = False

    @property
    def is_empty(self):
        return not self.groups

    @property
    def is_too_short(self):
        """Only one-letter words: everything would match, nothing would be useful."""
        return not self.is_empty and all(len(t.text) < 2 for group in self.groups for t in group)

    @property
    def is_searchable(self):
        return not self.is_empty and not self.is_too_short

    def as_websearch(self):
        """The query in PostgreSQL's websearch syntax, rebuilt from the parsed terms."""
        parts = [" OR ".join(f'"{term.text}"' for term in group) for group in self.groups]
        parts += [f'-"{term.text}"' for term in self.excluded]
        return " ".join(parts)

    def as_fts5(self):
        """The query in SQLite FTS5 syntax: every term a quoted string, so nothing is an operator."""

        def quoted(term):
            return '"' + term.text.replace('"', '""') + '"'

        groups = ["(" + " OR ".join(quoted(term) for term in group) + ")" for group in self.groups]
        expression = "(" + " AND ".join(groups) + ")"
        for term in self.excluded:
            expression += f" NOT {quoted(term)}"
        return expression


def clean_query(raw):
    """The query text with control characters and broken surrogates removed, trimmed to a sane length."""
    text = unicodedata.normalize("NFC", _UNWANTED_CHARACTERS.sub(" ", str(raw or "")))
    text = " ".join(text.split())
    return text[:MAX_QUERY_LENGTH], len(text) > MAX_QUERY_LENGTH


def parse_query(raw):
    """Read web-search syntax (words, "phrases", -word, OR) into a ParsedQuery; never fails."""
    text, truncated = clean_query(raw)
    query = ParsedQuery(text=text, truncated=truncated)
    join_with_previous = False
    for match in _TOKENS.finditer(text):
        minus, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None and word.upper() == "OR":
            join_with_previous = bool(query.groups)
            continue
        if word is not None and word.startswith("-"):
            minus, word = "-", word.lstrip("-")
        words = (phrase if phrase is not None else word).split()
        term_text = " ".join(w for w in words if _SEARCHABLE.search(w))
        if not term_text:
            continue
        if minus:
            query.excluded.append(Term(term_text, negated=True))
        elif join_with_previous:
            query.groups[-1].append(Term(term_text))
        else:
            query.groups.append([Term(term_text)])
        join_with_previous = False
        if len(query.groups) + len(query.excluded) >= MAX_TERMS:
            query.truncated = True
            break
    return query


def is_postgresql():
    return connection.vendor == "postgresql"


def match_articles(queryset, query):
    """``queryset`` narrowed to the articles that match ``query`` (a ParsedQuery); not ordered."""
    if not query.is_searchable:
        return queryset.none()
    if not is_postgresql():
        return queryset.filter(search_entry__document__match=query.as_fts5())
    matching = queryset.filter(search_vector=_ts_query(query))
    pairs = phrase_pairs(query)
    if pairs is not None:
        matching = matching.filter(_HoldsPairs(F("search_pairs"), Cast(Value(pairs), SearchQueryField())))
    return matching


def rank_articles(queryset, query):
    """``queryset`` narrowed to articles matching ``query`` (a ParsedQuery), annotated with
    ``search_rank`` (higher is better). Not ordered: callers order by ``-search_rank``."""
    return match_articles(queryset, query).annotate(search_rank=_rank(query))


def _rank(query):
    if not query.is_searchable:
        return Value(0.0, output_field=FloatField())
    if is_postgresql():
        return SearchRank(F("search_vector"), _ts_query(query))
    # bm25 is lower for better matches.
    return -F("search_entry__rank")


def search_articles(raw_query, *, section=None, tag=None, date_from=None, date_to=None, newest_first=False):
    """Published articles matching ``raw_query``, best first, each with a highlighted ``.snippet``.

    ``section`` is a Section, ``tag`` a taggit Tag, ``date_from`` and ``date_to``
    dates (inclusive, in the site's time zone); ``newest_first`` orders by date
    instead of relevance. Returns SearchResults, which a Paginator can page
    through; it is empty for a query with nothing to search.
    """
    query = raw_query if isinstance(raw_query, ParsedQuery) else parse_query(raw_query)
    articles = Article.objects.published()
    if section is not None:
        articles = articles.filter(section=section)
    if tag is not None:
        articles = articles.filter(tags=tag)
    if date_from is not None:
        articles = articles.filter(published_at__gte=_start_of(date_from))
    if date_to is not None:
        articles = articles.filter(published_at__lt=_start_of(date_to) + timedelta(days=1))
    return SearchResults(match_articles(articles, query), query, newest_first=newest_first)


NEWEST_FIRST = ("-published_at", "-pk")


class SearchResults:
    """Search results that a Paginator can page: counted up to a cap, in reading order, and
    each slice loaded with its relations and snippets.

    The reading order is one or two parts: every match ranked; or, for a query too
    broad to rank in full, the newest matches ranked (the ranking pool), then the
    older matches, newest first.
    """

    def __init__(self, matches, query, *, newest_first=False):
        self.matches = matches
        self.query = query
        self.newest_first = newest_first
        self._count = None
        self._parts = None
        self.ranking_pool = None  # how many of the newest matches were ranked, for a broad query

    def count(self):
        if self._count is None:
            # Unordered: a capped count must not rank every match first.
            self._count = self.matches.order_by().values("pk")[: self.max_counted + 1].count()
        return self._count

    @property
    def max_counted(self):
        return MAX_COUNTED

    @property
    def count_is_capped(self):
        return self.count() > self.max_counted

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        articles, offset = [], 0
        for ordered, size in self.parts():
            end = None if size is None else offset + size
            low, high = max(start, offset), stop if end is None else min(stop, end)
            if low < high:
                # A result shows no body: leave the text and its vectors in the database.
                page = ordered.with_card_relations().defer("body", "search_vector", "search_pairs")
                articles += page[low - offset : high - offset]
            if end is None or stop <= end:
                break
            offset = end
        snippets = dict(snippets_for(self.query, [article.pk for article in articles]))
        for article in articles:
            article.snippet = snippets.get(article.pk) or escape(article.dek)
        return articles

    def parts(self):
        """[(queryset in reading order, its number of rows, or None for "all the rest")]."""
        if self._parts is None:
            self._parts = self._plan()
        return self._parts

    def _plan(self):
        if self.newest_first:
            return [(self.matches.order_by(*NEWEST_FIRST), None)]
        if self.count() <= min(RANK_ALL_UP_TO, self.max_counted):
            return [(self._ranked(self.matches), None)]
        cutoff, pool = self._ranking_pool()
        if cutoff is None:
            return [(self._ranked(self.matches), None)]
        self.ranking_pool = pool
        return [
            (self._ranked(self.matches.filter(published_at__gte=cutoff)), pool),
            (self.matches.filter(published_at__lt=cutoff).order_by(*NEWEST_FIRST), None),
        ]

    def _ranked(self, matches):
        return matches.annotate(search_rank=_rank(self.query)).order_by("-search_rank", *NEWEST_FIRST)

    def _ranking_pool(self):
        """(publish time, matches since): the shortest run of newest articles found holding at
        least RANKING_POOL matches, or (None, None) when only the whole archive does."""
        window = FIRST_WINDOW
        while (cutoff := newest_public_cutoff(window)) is not None:
            found = self.matches.filter(published_at__gte=cutoff).count()
            if found >= RANKING_POOL:
                return cutoff, found
            # Size the next window from this one's share of matches, with room to spare.
            window = max(2 * window, math.ceil(1.5 * window * RANKING_POOL / max(found, 1)))
        return None, None


def newest_public_cutoff(count):
    """The publish time of the ``count``-th newest public article; None if there are fewer."""
    newest = Article.objects.published().order_by("-published_at").values_list("published_at", flat=True)
    return next(iter(newest[count - 1 : count]), None)


class _HoldsPairs(Func):
    """``search_pairs @@ <tsquery>``, a condition that the GIN index on search_pairs answers."""

    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


def phrase_pairs(query):
    """PostgreSQL: a tsquery (as text) of the word pairs that the query's phrases require, or None.

    Only a group made of phrases alone can narrow the search ("sea wall" OR
    "flood barrier" needs one set of pairs or the other; "sea wall" OR tide
    needs neither). A "phrase" that leaves one word after stop words needs none.
    """
    groups = [group for group in query.groups if not any(term.text.isalnum() for term in group)]
    if not groups:
        return None
    phrases = [term.text for group in groups for term in group]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT newsroom_phrase_pairs(%s::regconfig, phrase)::text"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS given(phrase, n) ORDER BY n",
            [CONFIG, phrases],
        )
        pairs = iter([row[0] for row in cursor.fetchall()])
    required = []
    for group in groups:
        alternatives = [next(pairs) for _ in group]
        if all(alternatives):
            required.append(" | ".join(f"( {alternative} )" for alternative in alternatives))
    return " & ".join(f"( {needed} )" for needed in required) or None


def snippets_for(query, article_ids):
    """(article id, snippet) pairs: the best passage of each article, matches in <mark>.

    Run for one page of results only: building a snippet reads the whole text.
    """
    if not article_ids or not query.is_searchable:
        return []
    matching = Article.objects.filter(pk__in=article_ids)
    if is_postgresql():
        rows = matching.annotate(
            passage=SearchHeadline(
                Concat(
                    Coalesce("dek", Value(""), output_field=TextField()),
                    Value(" "),
                    _plain_body_sql(),
                    output_field=TextField(),
                ),
                _ts_query(query),
                config=CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        ).values_list("pk", "passage")
    else:
        rows = (
            matching.filter(search_entry__document__match=query.as_fts5())
            .annotate(
                passage=Func(
                    F("search_entry__document"),
                    Value(-1),
                    Value(MARK_START),
                    Value(MARK_END),
                    Value("…"),
                    Value(SNIPPET_WORDS),
                    function="snippet",
                    output_field=TextField(),
                )
            )
            .values_list("pk", "passage")
        )
    return [(pk, highlight(passage)) for pk, passage in rows]


def highlight(passage):
    """Escape ``passage`` for HTML, then turn the match markers into <mark> elements."""
    text = escape(passage or "")
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _ts_query(query):
    return SearchQuery(query.as_websearch(), search_type="websearch", config=CONFIG)


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


# --- Keeping the index current ------------------------------------------------


def plain_text(html):
    """Text of a sanitized HTML body, as readers read it (tags dropped, entities decoded)."""
    text = strip_tags(html or "").replace(MARK_START, " ").replace(MARK_END, " ")
    return " ".join(unescape(text).split())


def _plain_body_sql():
    """The body without tags and with the entities the sanitizer writes decoded, in SQL."""
    text = Func(
        F("body"),
        Value("<[^>]+>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    for entity, character in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&amp;", "&")):
        text = Func(text, Value(entity), Value(character), function="replace", output_field=TextField())
    return text


def search_vector():
    """The weighted tsvector of an article row (PostgreSQL)."""
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("dek", weight="B", config=CONFIG)
        + SearchVector(_plain_body_sql(), weight="C", config=CONFIG)
    )


def word_pairs(vector):
    """The neighbouring word pairs of a tsvector (PostgreSQL; the function is made by a migration)."""
    return Func(vector, function="newsroom_word_pairs", output_field=SearchVectorField())


def index_article(article):
    """Bring the search index up to date with ``article`` as saved."""
    if is_postgresql():
        Article.objects.filter(pk=article.pk).update(
            search_vector=search_vector(), search_pairs=word_pairs(search_vector())
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, title, dek, body) VALUES (%s, %s, %s, %s)",
            [article.pk, article.title, article.dek, plain_text(article.body)],
        )


def unindex_article(article_id):
    if not is_postgresql():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_id])


def index_is_complete():
    """Whether every article is in the search index (bulk inserts send no signals)."""
    if is_postgresql():
        return not Article.objects.filter(
            Q(search_vector__isnull=True) | Q(search_pairs__isnull=True)
        ).exists()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")
        return cursor.fetchone()[0] == Article.objects.count()


def rebuild_index(batch_size=2000):
    """Index every article again (after bulk inserts, which send no signals). Returns the count."""
    if is_postgresql():
        return Article.objects.update(search_vector=search_vector(), search_pairs=word_pairs(search_vector()))
    insert = f"INSERT INTO {FTS_TABLE} (rowid, title, dek, body) VALUES (%s, %s, %s, %s)"
    rows = Article.objects.order_by("pk").values_list("pk", "title", "dek", "body")
    count, batch = 0, []
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        for pk, title, dek, body in rows.iterator(chunk_size=batch_size):
            batch.append((pk, title, dek, plain_text(body)))
            if len(batch) == batch_size:
                cursor.executemany(insert, batch)
                count, batch = count + len(batch), []
        cursor.executemany(insert, batch)
        # Merge the index segments written by many small inserts.
        cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")
    return count + len(batch)
