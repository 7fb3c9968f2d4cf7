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

index.py keeps both indexes current.

Ranking reads each match's vector, so its cost grows with the number of
matches. A query matching at most RANK_ALL_UP_TO articles is ranked in full.
A broader one ("budget" in a large archive) is ranked among its recent
matches, about RANKING_POOL of them: the share of matches among the newest
FIRST_WINDOW articles says how far back that is. Older matches follow, newest
first, so every match can still be reached. Readers may also sort by date.

On PostgreSQL a quoted phrase is first narrowed through ``search_pairs``, an
index of neighbouring word pairs, so that word positions are checked only in
articles that hold the phrase's pairs, not in every article with its words.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
)
from django.db import connection
from django.db.models import BooleanField, Count, F, FloatField, Func, TextField, Value, Window
from django.db.models.functions import Coalesce, Concat, Left
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..models import Article

# MARK_START and MARK_END cannot come from a reader's query: snippets are escaped
# first, then the markers become <mark> tags (highlight()).
from .index import CONFIG, MARK_END, MARK_START, is_postgresql, plain_body_sql

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
SNIPPET_WORDS = 30
# A snippet is looked for in the first this many characters of the standfirst and
# body: building one reads all the text it is given.
SNIPPET_TEXT_LIMIT = 3000
# Counting every match of a very common word visits every matching row; past
# this many, readers see "more than 500 results" and can page that far.
MAX_COUNTED = 500
# Broad queries (module docstring): ranked in full up to this many matches...
RANK_ALL_UP_TO = 500
# ...past it, among about this many recent matches, a window sized from the
# share of matches among the newest FIRST_WINDOW public articles.
RANKING_POOL = 200
FIRST_WINDOW = 200

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

    def as_websearch(self, *, exclusions=True):
        """The query in PostgreSQL's websearch syntax, rebuilt from the parsed terms."""
        parts = [" OR ".join(f'"{term.text}"' for term in group) for group in self.groups]
        if exclusions:
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


def match_articles(queryset, query):
    """``queryset`` narrowed to the articles that match ``query`` (a ParsedQuery); not ordered."""
    if not query.is_searchable:
        return queryset.none()
    if not is_postgresql():
        return queryset.filter(search_entry__document__match=query.as_fts5())
    matching = queryset.filter(search_vector=_ts_query(query))
    phrase_groups = [
        [term.text for term in group] for group in query.groups if not any(t.text.isalnum() for t in group)
    ]
    if phrase_groups:
        matching = matching.filter(_HoldsPhrasePairs(phrase_groups))
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
    return SearchResults(match_articles(articles, query), query, within=articles, newest_first=newest_first)


NEWEST_FIRST = ("-published_at", "-pk")


class SearchResults:
    """Search results that a Paginator can page: counted up to a cap, in reading order, and
    each slice loaded with its relations and snippets.

    The reading order is one or two parts: every match ranked; or, for a query too
    broad to rank in full, the newest matches ranked (the ranking pool), then the
    older matches, newest first.
    """

    def __init__(self, matches, query, *, within=None, newest_first=False):
        self.matches = matches
        self.query = query
        # The articles searched (published, and filtered): a ranking window is sized on them.
        self.within = within if within is not None else Article.objects.published()
        self.newest_first = newest_first
        self._count = None
        self._sample = None
        self._parts = None
        self.ranking_pool = None  # how many of the newest matches are ranked, for a broad query

    def count(self):
        if self._count is None:
            self._count_and_sample()
        return self._count

    def _count_and_sample(self):
        """Count the matches, up to a cap, in one query with what a ranking window is sized
        from: the matches among the newest FIRST_WINDOW articles searched (counted only when
        the query is broad), and the publish times of the FIRST_WINDOW-th newest, the newest
        and the oldest of them."""
        if not self.query.is_searchable:
            self._count, self._sample, self._only_common_words = 0, (0, None, None, None), False
            return
        # Two querysets compiled once, the five figures written around them.
        matches, match_params = _sql(self.matches.order_by().values("id"))
        searched_in, within_params = _sql(self.within.order_by().values("id", "published_at"))
        # Unordered: a capped count must not rank every match first.
        total = f"SELECT COUNT(*) FROM (SELECT * FROM ({matches}) AS m LIMIT %s) AS capped"
        # By id: PostgreSQL then checks those few articles instead of listing every match.
        sample = (
            f"SELECT COUNT(*) FROM ({matches}) AS m WHERE m.id IN "
            f"(SELECT w.id FROM ({searched_in}) AS w ORDER BY w.published_at DESC LIMIT %s)"
        )
        since = (
            f"SELECT w.published_at FROM ({searched_in}) AS w ORDER BY w.published_at DESC LIMIT 1 OFFSET %s"
        )
        newest = f"SELECT MAX(w.published_at) FROM ({searched_in}) AS w"
        oldest = f"SELECT MIN(w.published_at) FROM ({searched_in}) AS w"
        # PostgreSQL drops stop words: a query with only those left to find finds nothing.
        searched, searched_params = "1", []
        if is_postgresql():
            searched = "numnode(websearch_to_tsquery(%s::regconfig, %s))"
            searched_params = [CONFIG, self.query.as_websearch(exclusions=False)]
        # The sample is inside CASE: both databases run it only when the count calls for it.
        sql = (
            f"SELECT counted.total, CASE WHEN counted.total > %s THEN ({sample}) END, "
            f"({since}), ({newest}), ({oldest}), ({searched}) "
            f"FROM (SELECT ({total}) AS total LIMIT 1) AS counted"  # LIMIT: counted once
        )
        params = [
            self._rank_all_up_to,
            *match_params,
            *within_params,
            FIRST_WINDOW,
            *within_params,
            FIRST_WINDOW - 1,
            *within_params,
            *within_params,
            *searched_params,
        ]
        total_params = [*match_params, self.max_counted + 1]
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *total_params])
            self._count, found, since, newest, oldest, searched = cursor.fetchone()
        self._sample = found, _as_datetime(since), _as_datetime(newest), _as_datetime(oldest)
        self._only_common_words = not searched
        if self._only_common_words:
            self._count = 0  # "the -flood" must not list every article without "flood"

    @property
    def only_common_words(self):
        """Whether the query held only words too common to search for ("the of"), on PostgreSQL."""
        self.count()
        return self._only_common_words

    @property
    def _rank_all_up_to(self):
        if self.newest_first:
            return self.max_counted  # never sample: nothing is ranked
        return min(RANK_ALL_UP_TO, self.max_counted)

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
        if start >= stop or not self.count():
            return []
        ranked, older = self._plan()
        if older is None:
            articles = self._load(ranked, start, stop)
        else:
            articles = self._load_from_pool(ranked, older, start, stop)
        for article in articles:
            article.snippet = (
                highlight(article.search_passage) if article.search_passage else escape(article.dek)
            )
        return articles

    # What a result shows (includes/search_result.html, byline.html): the rest, the body and
    # its vectors above all, stays in the database.
    RESULT_FIELDS = (
        "title",
        "slug",
        "kicker",
        "dek",
        "status",
        "published_at",
        "updated_at",
        "section",
        "lead_image",
    )

    def _load(self, ordered, start, stop, **annotations):
        page = ordered.with_card_relations().only(*self.RESULT_FIELDS)
        return list(page.annotate(search_passage=_passage(self.query), **annotations)[start:stop])

    def _load_from_pool(self, pool, older, start, stop):
        """Results ``start`` to ``stop`` of the ranked pool followed by the older matches.

        On PostgreSQL the pool's size comes with its first page (a window count over the
        same rows); a page further on, or SQLite (whose snippet() refuses to run beside a
        window function), counts the pool on its own first.
        """
        if self.ranking_pool is None and (start > 0 or not is_postgresql()):
            self.ranking_pool = pool.count()
        articles = []
        if self.ranking_pool is None:
            articles = self._load(pool, start, stop, pool_size=Window(Count("pk")))
            self.ranking_pool = articles[0].pool_size if articles else 0
        elif start < self.ranking_pool:
            articles = self._load(pool, start, min(stop, self.ranking_pool))
        if stop > self.ranking_pool:
            articles += self._load(older, max(start - self.ranking_pool, 0), stop - self.ranking_pool)
        return articles

    def _plan(self):
        """(ranked matches, None), or for a broad query (the ranked pool, the older matches)."""
        if self._parts is None:
            since = self._ranking_window()
            if self.newest_first:
                self._parts = self.matches.order_by(*NEWEST_FIRST), None
            elif since is None:
                self._parts = self._ranked(self.matches), None
            else:
                self._parts = (
                    self._ranked(self.matches.filter(published_at__gte=since)),
                    self.matches.filter(published_at__lt=since).order_by(*NEWEST_FIRST),
                )
        return self._parts

    def _ranked(self, matches):
        return matches.annotate(search_rank=_rank(self.query)).order_by("-search_rank", *NEWEST_FIRST)

    def _ranking_window(self):
        """For a query too broad to rank in full, the publish time from which its matches
        are ranked; None to rank them all.

        The window reaches back as far as the share of matches among the newest
        FIRST_WINDOW public articles says RANKING_POOL matches take, with room to
        spare. When that is (nearly) the whole archive, all matches are ranked.
        """
        if self.newest_first or self.count() <= self._rank_all_up_to:
            return None
        found, since, newest, oldest = self._sample
        if since is None:
            return None  # fewer articles searched than the sample takes
        # Measured from the newest article, not from now, so that it stays put between pages.
        # None of the sample matching is read as one in FIRST_WINDOW: the widest reach.
        reach = (newest - since) * max(1.0, 1.3 * RANKING_POOL / max(found, 1))
        if reach >= (newest - oldest) * 0.8:
            return None
        return newest - reach


def _sql(queryset):
    return queryset.query.sql_with_params()


def _as_datetime(value):
    """A datetime read by raw SQL: SQLite gives text or a naive time, which its converter reads."""
    if isinstance(value, str) or (value is not None and timezone.is_naive(value)):
        return connection.ops.convert_datetimefield_value(value, None, connection)
    return value


class _HoldsPhrasePairs(Func):
    """PostgreSQL: the article holds the word pairs that the query's phrases need.

    Each group (["sea wall", "flood barrier"]: OR inside) needs the pairs of one of
    its phrases; a phrase with fewer than two words after stop words needs none,
    and frees its group. An article whose pairs are unknown (NULL: not indexed
    yet, or too many) stays a candidate. The pairs are constants, so the planner
    works them out before choosing the GIN index on search_pairs.
    """

    output_field = BooleanField()

    def __init__(self, phrase_groups):
        super().__init__(F("search_pairs"))
        self.phrase_groups = phrase_groups

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        pairs = "newsroom_phrase_pairs(%s::regconfig, %s)"
        conditions, condition_params = [], []
        for phrases in self.phrase_groups:
            each = [[CONFIG, phrase] for phrase in phrases]
            unpaired = " OR ".join([f"{pairs} IS NULL"] * len(phrases))
            either = " || ".join([pairs] * len(phrases))
            conditions.append(f"({unpaired} OR {column} @@ ({either}) OR {column} IS NULL)")
            phrase_params = [p for pair in each for p in pair]
            condition_params += phrase_params + params + phrase_params + params
        return " AND ".join(conditions), condition_params


def _passage(query):
    """The best passage of an article's standfirst and body, the matches between markers.

    Computed in the page's own query: PostgreSQL works it out after the sort and
    limit, so only for the articles shown (building a passage reads the whole text).
    """
    if not query.is_searchable:
        return Value("", output_field=TextField())
    if is_postgresql():
        text = Concat(
            Coalesce("dek", Value(""), output_field=TextField()),
            Value(" "),
            plain_body_sql(),
            output_field=TextField(),
        )
        return SearchHeadline(
            Left(text, SNIPPET_TEXT_LIMIT),
            _ts_query(query),
            config=CONFIG,
            start_sel=MARK_START,
            stop_sel=MARK_END,
            max_words=SNIPPET_WORDS,
            min_words=SNIPPET_WORDS // 2,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    return Func(
        F("search_entry__document"),
        Value(-1),
        Value(MARK_START),
        Value(MARK_END),
        Value("…"),
        Value(SNIPPET_WORDS),
        function="snippet",
        output_field=TextField(),
    )


def highlight(passage):
    """Escape ``passage`` for HTML, then turn the match markers into <mark> elements."""
    text = escape(passage or "")
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _ts_query(query):
    return SearchQuery(query.as_websearch(), search_type="websearch", config=CONFIG)


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))
