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
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from html import unescape

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, FloatField, Func, TextField, Value
from django.db.models.functions import Coalesce, Concat
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


def rank_articles(queryset, query):
    """``queryset`` narrowed to articles matching ``query`` (a ParsedQuery), annotated with
    ``search_rank`` (higher is better). Not ordered: callers order by ``-search_rank``."""
    if not query.is_searchable:
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    if is_postgresql():
        ts_query = _ts_query(query)
        return queryset.filter(search_vector=ts_query).annotate(
            search_rank=SearchRank(F("search_vector"), ts_query)
        )
    return queryset.filter(search_entry__document__match=query.as_fts5()).annotate(
        # bm25 is lower for better matches.
        search_rank=-F("search_entry__rank")
    )


def search_articles(raw_query, *, section=None, tag=None, date_from=None, date_to=None):
    """Published articles matching ``raw_query``, best first, each with a highlighted ``.snippet``.

    ``section`` is a Section, ``tag`` a taggit Tag, ``date_from`` and ``date_to``
    dates (inclusive, in the site's time zone). Returns SearchResults, which a
    Paginator can page through; it is empty for a query with nothing to search.
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
    ranked = rank_articles(articles, query).order_by("-search_rank", "-published_at", "-pk")
    return SearchResults(ranked, query)


class SearchResults:
    """Ranked results that a Paginator can page: a slice also loads relations and snippets."""

    def __init__(self, queryset, query):
        self.queryset = queryset
        self.query = query
        self._count = None

    def count(self):
        if self._count is None:
            # Unordered: a capped count must not rank every match first.
            matches = self.queryset.order_by().values("pk")
            self._count = matches[: self.max_counted + 1].count()
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
        articles = list(self.queryset.with_card_relations()[index])
        snippets = dict(snippets_for(self.query, [article.pk for article in articles]))
        for article in articles:
            article.snippet = snippets.get(article.pk) or escape(article.dek)
        return articles


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


def index_article(article):
    """Bring the search index up to date with ``article`` as saved."""
    if is_postgresql():
        Article.objects.filter(pk=article.pk).update(search_vector=search_vector())
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
        return not Article.objects.filter(search_vector__isnull=True).exists()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")
        return cursor.fetchone()[0] == Article.objects.count()


def rebuild_index(batch_size=2000):
    """Index every article again (after bulk inserts, which send no signals). Returns the count."""
    if is_postgresql():
        return Article.objects.update(search_vector=search_vector())
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
