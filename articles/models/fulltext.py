"""SQLite's full-text index of articles, read through the ORM (PostgreSQL uses Article.search_vector)."""

from django.db import models


class FullTextDocumentField(models.TextField):
    """The hidden FTS5 column that bears its table's name: the left side of MATCH."""


@FullTextDocumentField.register_lookup
class FullTextMatch(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class ArticleSearchEntry(models.Model):
    """A row of SQLite's full-text index of articles (an FTS5 table; rowid = article id).

    The table is created by the search_index migration on SQLite only; on PostgreSQL this
    model is never queried (Article.search_vector is used instead).
    """

    article = models.OneToOneField(
        "articles.Article",
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        related_name="search_entry",
    )
    title = models.TextField()
    dek = models.TextField()
    body = models.TextField(help_text="The body as plain text.")
    document = FullTextDocumentField(db_column="articles_article_fts")
    rank = models.FloatField(
        db_column="rank", help_text="bm25 with the title weighing most; lower is better."
    )

    class Meta:
        managed = False
        db_table = "articles_article_fts"

    def __str__(self):
        return self.title
