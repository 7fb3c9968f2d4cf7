"""Reader pages whose cost does not grow with the archive: query counts and query plans."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Author, Byline, TaggedArticle
from articles.reader import pagination
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

ARTICLE_TABLE = Article._meta.db_table


def grow_archive(sections, count):
    """``count`` more published articles, older than any already there, spread over ``sections``."""
    start = Article.objects.count()
    long_ago = timezone.now() - timedelta(days=3650)
    Article.objects.bulk_create(
        Article(
            title=f"Archive story {n}",
            slug=f"archive-story-{n}",
            section=sections[n % len(sections)],
            status=Article.Status.PUBLISHED,
            published_at=long_ago + timedelta(minutes=n),
        )
        for n in range(start, start + count)
    )


def plan(sql):
    """The query plan of ``sql`` as a list of lines, costs and estimates left out.

    On PostgreSQL sequential scans are switched off for the EXPLAIN, so that a
    small test table gets the plan a large one would: a query that can only be
    answered by reading the whole table still shows "Seq Scan".
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Statistics, as a live database has them (autovacuum), so that the planner knows
            # how few articles are featured.
            cursor.execute(f"ANALYZE {ARTICLE_TABLE}")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            lines = [row[0] for row in cursor.fetchall()]
            cursor.execute("SET LOCAL enable_seqscan = on")
            # Costs and constants (times, id lists) differ from run to run; the shape must not.
            return [re.sub(r"'[^']*'|\s*\(cost=.*\)", "", line) for line in lines]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return [row[3] for row in cursor.fetchall()]


def whole_table_reads(lines):
    """The lines of a plan that read every row of the article table (or sort all of it)."""
    if connection.vendor == "postgresql":
        return [line for line in lines if f"Seq Scan on {ARTICLE_TABLE}" in line or "WindowAgg" in line]
    # SQLite: "SCAN" walks a whole table or index ("SEARCH" looks up a range of one).
    return [line for line in lines if line.strip().startswith(f"SCAN {ARTICLE_TABLE}")]


def page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def home_queries(client):
    return page_queries(client, "/")


@pytest.fixture
def sections():
    return [SectionFactory(name=f"Desk {n}", slug=f"desk-{n}") for n in range(5)]


def test_home_queries_are_the_same_whatever_the_archive_size(client, sections):
    """The home page runs the same number of queries with the same plans at 30 and at 300 articles."""
    grow_archive(sections, 30)
    ArticleFactory(title="Newest story", section=sections[0])
    small = home_queries(client)
    cache.clear()  # the next request builds the page again
    grow_archive(sections, 270)
    large = home_queries(client)
    assert len(small) == len(large) <= 7
    assert [plan(sql) for sql in small] == [plan(sql) for sql in large]


def test_home_queries_never_read_the_whole_article_table(client, sections):
    """Cover story (none featured), latest and per-section blocks: every query reads the article table
    through an index, never row by row."""
    grow_archive(sections, 60)
    for sql in home_queries(client):
        if ARTICLE_TABLE in sql:
            assert whole_table_reads(plan(sql)) == [], sql


@pytest.mark.parametrize("featured", [True, False])
def test_cover_story_query_reads_only_featured_articles(client, sections, featured):
    """The cover story comes from an index of featured articles, with or without one featured."""
    grow_archive(sections, 60)
    ArticleFactory(title="Cover", section=sections[1], featured=featured)
    queries = home_queries(client)
    featured = [sql for sql in queries if re.search(r'"featured"\)', sql)]
    assert featured
    for sql in featured:
        # Not the index of all published articles: with none featured, it would read them all.
        assert "article_featured_newest" in " ".join(plan(sql)), sql


def test_home_blocks_hold_each_sections_latest_without_the_cover_story(client, sections):
    """Each section block shows its four latest published articles, newest first; the cover story
    is not repeated, drafts and scheduled articles never appear."""
    now = timezone.now()
    for n in range(6):
        ArticleFactory(
            title=f"Desk story {n}", section=sections[0], published_at=now - timedelta(hours=10 - n)
        )
    ArticleFactory(
        title="Desk cover", section=sections[0], featured=True, published_at=now - timedelta(hours=1)
    )
    ArticleFactory(title="Desk draft", section=sections[0], draft=True)
    ArticleFactory(title="Desk scheduled", section=sections[0], scheduled=True)
    page = client.get("/").content.decode()
    block = page.split(f'id="section-{sections[0].pk}"')[1].split("</section>")[0]
    shown = re.findall(r"Desk story \d", block)
    assert shown == ["Desk story 5", "Desk story 4", "Desk story 3", "Desk story 2"]
    assert "Desk cover" not in block
    assert "Desk draft" not in page and "Desk scheduled" not in page


def tag_and_author(articles):
    """Tag "Harbour" and author Maria Lopez on every one of ``articles`` that has neither."""
    tag, _ = Tag.objects.get_or_create(name="Harbour", slug="harbour")
    author = Author.objects.filter(slug="maria-lopez").first() or AuthorFactory(
        name="Maria Lopez", slug="maria-lopez"
    )
    untagged = list(articles.filter(tagged_items=None))
    TaggedArticle.objects.bulk_create(TaggedArticle(content_object=article, tag=tag) for article in untagged)
    Byline.objects.bulk_create(Byline(article=article, author=author) for article in untagged)


@pytest.mark.parametrize("url", ["/tag/harbour/", "/author/maria-lopez/", "/desk-0/", "/desk-0/?page=2"])
def test_list_pages_queries_are_the_same_whatever_the_list_size(client, sections, url):
    """A tag, author or section page runs the same queries with the same plans whether the list holds
    40 or 400 articles: its tag is found without reading the tag's articles, its count stops a few
    pages past the page."""
    grow_archive(sections[:1], 40)
    tag_and_author(Article.objects.all())
    small = page_queries(client, url)
    cache.clear()
    grow_archive(sections[:1], 360)
    tag_and_author(Article.objects.all())
    large = page_queries(client, url)
    assert len(small) == len(large) <= 7
    assert [plan(sql) for sql in small] == [plan(sql) for sql in large]


def most_rows_of_one_step(sql):
    """The most rows any step of ``sql``'s plan handled when run (PostgreSQL's EXPLAIN ANALYZE).

    Whole-table plans are switched off, so that small test tables get the index walks and
    nested loops of a large archive: what remains to read is what the query asks for.
    """
    whole_table_plans = ("enable_seqscan", "enable_bitmapscan", "enable_hashjoin", "enable_mergejoin")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {ARTICLE_TABLE}")
        for setting in whole_table_plans:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN ANALYZE {sql}")
        lines = [row[0] for row in cursor.fetchall()]
        for setting in whole_table_plans:
            cursor.execute(f"SET LOCAL {setting} = on")
    return max(int(rows) for rows in re.findall(r"actual time=\S+ rows=(\d+)", "\n".join(lines)))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="rows read are measured on PostgreSQL")
@pytest.mark.parametrize("url", ["/tag/harbour/", "/author/maria-lopez/", "/desk-0/", "/desk-0/?page=2"])
def test_list_pages_find_their_subject_and_count_without_reading_a_long_list(client, sections, url):
    """With 400 articles in the list, the tag's lookup and the page count handle no more rows than the
    ten pages the count looks ahead (a join with DISTINCT read all 400 to find the tag, the count
    read up to 1,201)."""
    grow_archive(sections[:1], 400)
    tag_and_author(Article.objects.all())
    lookups_and_counts = [
        sql for sql in page_queries(client, url) if sql.startswith("SELECT COUNT(*)") or "taggit_tag" in sql
    ]
    assert len(lookups_and_counts) == (2 if "tag" in url else 1)
    ten_pages = (1 + pagination.PAGES_AHEAD) * pagination.PAGE_SIZE
    for sql in lookups_and_counts:
        assert most_rows_of_one_step(sql) <= ten_pages + 1 + pagination.PAGE_SIZE, sql
