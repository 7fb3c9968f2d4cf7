"""
A large, realistic newsroom for benchmarks: by default 100,000 published
articles over five years, 2,000 tags and 500,000 tag links.

Tags follow a long tail, as in a real archive: a few broad tags sit on about
5% of articles, most tags on a few dozen. Each tag belongs mostly to one
section, so articles of a section share vocabulary. Text is made of generated
words with a Zipf-like frequency, so full-text search has realistic work too.

Everything is seeded: the same sizes give the same dataset on SQLite and
PostgreSQL. Rows go in with bulk_create and raw multi-row inserts (COPY on
PostgreSQL); building the default size takes about a minute.

Usage from a benchmark::

    from bench.dataset import ensure_dataset
    info = ensure_dataset()          # builds once, reuses afterwards
"""

import itertools
import random
from bisect import bisect
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Author, Byline, RelatedLink, Section, TaggedArticle
from articles.search import index as search_index

SLUG_PREFIX = "bench-"
SEED = 20261125
# Bumped whenever the generated text changes: an older dataset is refused, not reused.
DATASET_VERSION = 2
VERSION_NOTE = f"Benchmark dataset, version {DATASET_VERSION}."
# The most frequent words of English text are function words, about half of all
# words written; PostgreSQL's English configuration drops them as stop words,
# as it would in a real archive. ("or" is left out: readers type it as OR.)
FUNCTION_WORDS = [
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "was", "on", "with", "as",
    "he", "be", "at", "by", "this", "had", "not", "are", "but", "from", "have", "an", "they",
    "which", "you", "were", "her", "she", "there", "their", "we", "him", "been", "has", "when",
    "who", "will", "no", "if", "out", "so", "his", "its", "into", "than", "them",
]  # fmt: skip
SECTION_NAMES = [
    "World", "Nation", "City", "Politics", "Business", "Markets", "Science", "Health",
    "Technology", "Culture", "Sport", "Opinion",
]  # fmt: skip
SYLLABLES = [
    "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "bar", "den", "fal", "gor", "han", "jis",
    "kel", "lum", "mor", "nat", "pel", "quin", "ros", "sil", "tam", "ul", "ven", "wik", "zor",
    "ash", "bri", "cal", "dor", "eth", "fin", "gal", "hel", "ist", "jor", "kin", "lar", "mun",
]  # fmt: skip


class ForeignDataError(Exception):
    """The database holds articles that the benchmark did not make, or an outdated dataset."""


@dataclass(frozen=True)
class DatasetInfo:
    articles: int
    tags: int
    links: int
    built: bool  # False when an existing dataset was reused

    def describe(self):
        verb = "built" if self.built else "reused"
        return f"dataset {verb}: {self.articles:,} articles, {self.tags:,} tags, {self.links:,} tag links"


def ensure_dataset(articles=100_000, tags=2_000, links=500_000, *, log=print):
    """Build the benchmark dataset in the current database, or reuse the one already there.

    Refuses (ForeignDataError) to touch a database that holds other articles, so
    that a benchmark pointed at the wrong DATABASE_URL cannot pollute a real newsroom.
    """
    if not articles <= links <= 9 * articles or tags < 9:
        raise ValueError("each article gets 1 to 9 distinct tags: need articles <= links <= 9 * articles")
    foreign = Article.objects.exclude(slug__startswith=SLUG_PREFIX).count()
    if foreign:
        raise ForeignDataError(
            f"This database holds {foreign} articles that the benchmark did not create. "
            "Point DATABASE_URL at an empty database, e.g. sqlite:////tmp/newsroom-bench.sqlite3."
        )
    existing = Article.objects.count()
    if existing and not Section.objects.filter(description=VERSION_NOTE).exists():
        raise ForeignDataError(
            "This database holds a dataset made by an older version of bench/dataset.py. "
            "Drop and recreate the database (or delete the SQLite file) to build the current one."
        )
    if existing:
        found = DatasetInfo(existing, Tag.objects.count(), TaggedArticle.objects.count(), built=False)
        if (found.articles, found.tags, found.links) != (articles, tags, links):
            log(f"note: the existing dataset has other sizes ({found.describe()}); using it as it is.")
        return found
    build_dataset(articles, tags, links, log=log)
    return DatasetInfo(articles, tags, links, built=True)


def build_dataset(articles, tags, links, *, log=print):
    rng = random.Random(SEED)
    words = Vocabulary(rng)
    now = timezone.now().replace(microsecond=0)
    with transaction.atomic():
        sections = Section.objects.bulk_create(
            Section(
                name=f"{name} (bench)",
                slug=f"{SLUG_PREFIX}{name.lower()}",
                position=n,
                description=VERSION_NOTE,
            )
            for n, name in enumerate(SECTION_NAMES)
        )
        authors = Author.objects.bulk_create(
            Author(name=words.name(), slug=f"{SLUG_PREFIX}author-{n}") for n in range(60)
        )
        tag_objects = Tag.objects.bulk_create(
            Tag(name=f"{words.title_word()} {n}", slug=f"{SLUG_PREFIX}tag-{n}") for n in range(tags)
        )
        log(f"  {len(sections)} sections, {len(authors)} authors, {len(tag_objects)} tags")

        # Publish times spread over five years; ids follow publish order, as in a real archive.
        moments = sorted(now - timedelta(seconds=rng.randrange(5 * 365 * 86400)) for _ in range(articles))
        article_sections = [rng.randrange(len(sections)) for _ in range(articles)]
        batch = []
        for n, (moment, section_index) in enumerate(zip(moments, article_sections, strict=True)):
            title = words.sentence(rng.randint(5, 10)).rstrip(".")
            batch.append(
                Article(
                    title=title,
                    slug=f"{SLUG_PREFIX}{n}",
                    section=sections[section_index],
                    dek=words.sentence(rng.randint(15, 30)),
                    body="".join(f"<p>{words.sentence(rng.randint(40, 70))}</p>" for _ in range(3)),
                    status=Article.Status.PUBLISHED,
                    published_at=moment,
                )
            )
            if len(batch) == 5_000:
                Article.objects.bulk_create(batch)
                batch = []
        Article.objects.bulk_create(batch)
        # Not edited since they went out (auto_now stamped them with today).
        Article.objects.update(created_at=F("published_at"), updated_at=F("published_at"))
        article_ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
        log(f"  {len(article_ids):,} articles")

        tag_ids = [tag.pk for tag in tag_objects]
        pairs = list(tag_pairs(rng, article_ids, article_sections, tag_ids, len(sections), links))
        copy_rows(TaggedArticle, ["content_object_id", "tag_id"], pairs)
        log(f"  {len(pairs):,} tag links")

        copy_rows(
            Byline,
            ["article_id", "author_id", "position"],
            ((pk, rng.choice(authors).pk, 0) for pk in article_ids),
        )
        # One article in ten carries one to three editor's picks among its neighbours.
        picks = set()
        for index in rng.sample(range(len(article_ids)), len(article_ids) // 10):
            for position in range(rng.randint(1, 3)):
                other = article_ids[max(0, index - rng.randint(1, 500))]
                if other != article_ids[index]:
                    picks.add((article_ids[index], other, position))
        unique_pairs = {}
        for source, target, position in sorted(picks):
            unique_pairs.setdefault((source, target), position)
        copy_rows(
            RelatedLink,
            ["from_article_id", "to_article_id", "position"],
            ((s, t, p) for (s, t), p in unique_pairs.items()),
        )
        log(f"  {len(article_ids):,} bylines, {len(unique_pairs):,} editor's picks")
        # Bulk inserts send no signals: index the text for search in one pass.
        log(f"  {search_index.rebuild_index():,} articles in the search index")
    analyze()


def tag_pairs(rng, article_ids, article_sections, tag_ids, section_count, total_links):
    """(article, tag) pairs: ``total_links`` of them, 1 to 9 distinct tags per article.

    Tag popularity is a long tail (weight 1 / (rank + 20)); two thirds of an
    article's tags come from its own section's share of the tags.
    """
    weights = [1 / (rank + 20) for rank in range(1, len(tag_ids) + 1)]
    everywhere = WeightedChoice(tag_ids, weights)
    by_section = [
        WeightedChoice(tag_ids[s::section_count], weights[s::section_count]) for s in range(section_count)
    ]
    counts = spread(rng, len(article_ids), total_links, low=1, high=9)
    for article_id, section_index, count in zip(article_ids, article_sections, counts, strict=True):
        chosen = set()
        while len(chosen) < count:
            source = by_section[section_index] if rng.random() < 2 / 3 else everywhere
            chosen.add(source.pick(rng))
        for tag_id in sorted(chosen):
            yield article_id, tag_id


def spread(rng, items, total, *, low, high):
    """``items`` integers in [low, high] that add up to ``total``."""
    mean = total / items
    if not low <= mean <= high:
        raise ValueError(f"{total} links cannot be spread over {items} articles with {low}-{high} each")
    counts = [min(high, max(low, round(rng.gauss(mean, 2)))) for _ in range(items)]
    difference = total - sum(counts)
    step = 1 if difference > 0 else -1
    while difference:
        index = rng.randrange(items)
        if low <= counts[index] + step <= high:
            counts[index] += step
            difference -= step
    return counts


class WeightedChoice:
    def __init__(self, values, weights):
        self.values = values
        self.cumulative = list(itertools.accumulate(weights))

    def pick(self, rng):
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


class Vocabulary:
    """Words drawn with a Zipf-like frequency (a few common, a long tail): English function
    words first, then generated words of two to four syllables (none of them English)."""

    def __init__(self, rng, size=5_000):
        self.rng = rng
        seen, words = set(FUNCTION_WORDS), list(FUNCTION_WORDS)
        while len(words) < size:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.words = words
        self.choice = WeightedChoice(words, [1 / rank for rank in range(1, size + 1)])

    def word(self):
        return self.choice.pick(self.rng)

    def title_word(self):
        return self.rng.choice(self.words[100:]).capitalize()

    def name(self):
        return f"{self.title_word()} {self.title_word()}"

    def sentence(self, length):
        text = " ".join(self.word() for _ in range(length))
        return text[0].upper() + text[1:] + "."


def copy_rows(model, columns, rows, batch_size=10_000):
    """Insert plain tuples into ``model``'s table fast: COPY on PostgreSQL, multi-row INSERTs elsewhere."""
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
        # SQLite allows at most 32,766 parameters in one statement.
        per_statement = max(1, 30_000 // len(columns))
        iterator = iter(rows)
        while chunk := list(itertools.islice(iterator, min(batch_size, per_statement))):
            cursor.execute(
                f"INSERT INTO {table} ({column_list}) VALUES {', '.join([placeholders] * len(chunk))}",
                [value for row in chunk for value in row],
            )


def analyze():
    """Fresh planner statistics and visibility maps, as a long-running database would have
    (autovacuum on PostgreSQL; ``ANALYZE`` or ``PRAGMA optimize`` on SQLite).

    On PostgreSQL the table is also compacted: filling the search index rewrote every
    article row once, which leaves the table twice its size with half of it free, a
    state a live archive (whose free space new rows take up) is never in.
    """
    with connection.cursor() as cursor:
        # VACUUM cannot run in a transaction (the test suite builds small datasets in one).
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM (FULL) articles_article")
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
