"""
Keeping the full-text index of articles current (the search itself: query.py).

- PostgreSQL: ``Article.search_vector``, a weighted tsvector (title A, standfirst
  B, body C) stored in the row, and ``Article.search_pairs``, its neighbouring
  word pairs (migration 0009 makes the SQL function), both GIN-indexed.
- SQLite: the FTS5 table ``articles_article_fts`` (rowid = article id).

The receivers at the end call index_article() and unindex_article() on every save and
delete; bulk inserts send no signals, so rebuild_index() refills the index after them.
"""

from html import unescape

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connection
from django.db.models import F, Func, TextField, Value
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.html import strip_tags

from ..models import Article

CONFIG = "english"  # PostgreSQL text search configuration (stemming, stop words)
FTS_TABLE = "articles_article_fts"
# Highlight markers of query.py: never part of indexed text.
MARK_START, MARK_END = "\x02", "\x03"


def is_postgresql():
    return connection.vendor == "postgresql"


def plain_text(html):
    """Text of a sanitized HTML body, as readers read it (tags dropped, entities decoded)."""
    text = strip_tags(html or "").replace(MARK_START, " ").replace(MARK_END, " ")
    return " ".join(unescape(text).split())


def plain_body_sql():
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
        + SearchVector(plain_body_sql(), weight="C", config=CONFIG)
    )


def word_pairs(vector):
    """The neighbouring word pairs of a tsvector (PostgreSQL; the function is made by a migration)."""
    return Func(vector, function="newsroom_word_pairs", output_field=SearchVectorField())


def index_article(article):
    """Bring the search index up to date with ``article`` as saved."""
    if is_postgresql():
        # One UPDATE computing the vector twice rather than a second UPDATE reading it back:
        # a second row version would also churn both GIN indexes.
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
        # Not search_pairs: it stays NULL for a document with too many pairs to list.
        return not Article.objects.filter(search_vector__isnull=True).exists()
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


SEARCHED_FIELDS = {"title", "dek", "body"}


@receiver(post_save, sender=Article)
def index_for_search(sender, instance, raw=False, update_fields=None, **kwargs):
    """Keep the full-text index in step with the row, in the same transaction."""
    if raw or (update_fields is not None and not SEARCHED_FIELDS & set(update_fields)):
        return
    index_article(instance)


@receiver(post_delete, sender=Article)
def unindex_for_search(sender, instance, **kwargs):
    unindex_article(instance.pk)
