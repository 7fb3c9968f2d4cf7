from html import unescape

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models
from django.utils.html import strip_tags

import articles.models

# PostgreSQL: a GIN index on the stored search vector, and vectors for existing rows.
# SQLite: an FTS5 table whose rowid is the article id; bm25 weighs the title 10,
# the standfirst 4 and the body 1. Each database runs only its own part.
FTS_TABLE = "articles_article_fts"
POSTGRES_VECTOR = """
    setweight(to_tsvector('english', coalesce(title, '')), 'A')
    || setweight(to_tsvector('english', coalesce(dek, '')), 'B')
    || setweight(to_tsvector('english', replace(replace(replace(replace(replace(
        regexp_replace(body, '<[^>]+>', ' ', 'g'),
        '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&amp;', '&')), 'C')
"""


def create_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX article_search_vector_gin ON articles_article USING gin (search_vector)"
        )
        schema_editor.execute(f"UPDATE articles_article SET search_vector = {POSTGRES_VECTOR}")
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "title, dek, body, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        schema_editor.execute(
            f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)')"
        )
        Article = apps.get_model("articles", "Article")
        for pk, title, dek, body in Article.objects.values_list("pk", "title", "dek", "body").iterator():
            text = " ".join(unescape(strip_tags(body or "")).split())
            schema_editor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, dek, body) VALUES (%s, %s, %s, %s)",
                [pk, title, dek, text],
            )


def drop_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_search_vector_gin")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editorial_groups"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleSearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_column="rowid",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("title", models.TextField()),
                ("dek", models.TextField()),
                ("body", models.TextField(help_text="The body as plain text.")),
                ("document", articles.models.FullTextDocumentField(db_column="articles_article_fts")),
                (
                    "rank",
                    models.FloatField(
                        db_column="rank", help_text="bm25 with the title weighing most; lower is better."
                    ),
                ),
            ],
            options={
                "db_table": "articles_article_fts",
                "managed": False,
            },
        ),
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
