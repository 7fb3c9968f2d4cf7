import django.contrib.postgres.search
from django.conf import settings
from django.db import DatabaseError, migrations, models, transaction

# PostgreSQL only. newsroom_word_pairs(vector) lists every pair of neighbouring
# lexemes of a search vector ("sea wall"), all lexemes at one position paired
# with all at the next occupied one (stop words leave gaps, which are skipped).
# newsroom_phrase_pairs(config, phrase) is the tsquery that a phrase's own pairs
# make, AND-ed, or NULL when the phrase has fewer than two words to pair.
# An article holding a phrase holds all of the phrase's pairs, so the GIN index
# on search_pairs narrows a phrase search to a few candidates before PostgreSQL
# checks word positions.
# A pair longer than a lexeme may be (2,047 bytes) is left out on both sides, so
# no phrase needs it. A document with more pair text than a tsvector holds (1 MB)
# gets NULL, "pairs unknown", and phrase searches check such rows in full.
WORD_PAIRS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION newsroom_word_pairs(document tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH occurrences AS (
        SELECT entry.lexeme, position
        FROM unnest(document) AS entry, unnest(entry.positions) AS position
    ), steps AS (
        SELECT position, lead(position) OVER (ORDER BY position) AS next_position
        FROM (SELECT DISTINCT position FROM occurrences) AS occupied
    ), pairs AS (
        SELECT DISTINCT first.lexeme || ' ' || second.lexeme AS pair
        FROM steps
        JOIN occurrences AS first ON first.position = steps.position
        JOIN occurrences AS second ON second.position = steps.next_position
    )
    SELECT CASE WHEN coalesce(sum(octet_length(pair)), 0) < 1000000
        THEN array_to_tsvector(coalesce(array_agg(pair), '{}')) END
    FROM pairs
    WHERE octet_length(pair) <= 2047
$$
"""
PHRASE_PAIRS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION newsroom_phrase_pairs(config regconfig, phrase text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT string_agg(
        '''' || replace(replace(pair, '\', '\\'), '''', '''''') || '''', ' & ' ORDER BY pair
    )::tsquery
    FROM unnest(tsvector_to_array(newsroom_word_pairs(to_tsvector(config, phrase)))) AS pair
$$
"""


def create_phrase_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(WORD_PAIRS_FUNCTION)
    schema_editor.execute(PHRASE_PAIRS_FUNCTION)
    # Ranking and filtering read the vector of many rows: kept in the row (MAIN),
    # not in the TOAST table, each read costs a fifth as much. lz4 decompresses
    # faster than the default pglz; a server built without lz4 keeps pglz.
    schema_editor.execute("ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE MAIN")
    try:
        with transaction.atomic():
            schema_editor.execute("ALTER TABLE articles_article ALTER COLUMN search_vector SET COMPRESSION lz4")
    except DatabaseError:
        pass
    # "|| ''" makes a new value, which is stored the new way.
    schema_editor.execute(
        "UPDATE articles_article SET search_vector = search_vector || ''::tsvector,"
        " search_pairs = newsroom_word_pairs(search_vector)"
    )
    schema_editor.execute("CREATE INDEX article_search_pairs_gin ON articles_article USING gin (search_pairs)")
    # The rows whose pairs are unknown (not indexed yet, or too many): a phrase
    # search adds them to the GIN index's candidates through this small index.
    schema_editor.execute(
        "CREATE INDEX article_search_pairs_unknown ON articles_article (id) WHERE search_pairs IS NULL"
    )


def drop_phrase_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS article_search_pairs_unknown")
    schema_editor.execute("DROP INDEX IF EXISTS article_search_pairs_gin")
    schema_editor.execute("ALTER TABLE articles_article ALTER COLUMN search_vector SET STORAGE EXTENDED")
    schema_editor.execute("ALTER TABLE articles_article ALTER COLUMN search_vector SET COMPRESSION default")
    schema_editor.execute("DROP FUNCTION IF EXISTS newsroom_phrase_pairs(regconfig, text)")
    schema_editor.execute("DROP FUNCTION IF EXISTS newsroom_word_pairs(tsvector)")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_url_history"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_pairs",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("status", "published"), ("trashed_at__isnull", True)),
                fields=["-published_at"],
                name="article_public_newest",
            ),
        ),
        migrations.RunPython(create_phrase_index, drop_phrase_index),
    ]
