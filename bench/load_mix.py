"""
The reader mix of the load benchmark (bench/load.py): which pages readers ask for, how often.

Article pages are Zipf-distributed over the whole archive (rank k is read in proportion
to 1 / k; the popularity order is a seeded shuffle, the same on every run and database),
tags likewise (the dataset's tag ids follow its tag popularity); sections (page 1 four
times as often as pages 2 to 5), authors and searches of one or two topic words are
picked uniformly. bench.load writes the list to a file that bench/load.lua walks.
"""

import bisect
import itertools
import random
from dataclasses import dataclass
from urllib.parse import urlencode

# Share of reader requests, in percent, by kind of page.
MIX = {"article": 70, "home": 10, "section": 8, "tag": 6, "author": 4, "search": 2}
SECTION_PAGES = 5  # section pages 1 to 5 are requested; page 1 four times as often as the others
# Articles the benchmark's editor makes start so; they are never part of the mix.
EDITOR_SLUG_PREFIX = "bench-load-"


@dataclass
class Catalogue:
    """Reader URLs of the dataset; ``articles`` and ``tags`` in order of popularity."""

    articles: list
    sections: list
    tags: list
    authors: list
    searches: list


class Zipf:
    """Ranks 0..n-1 with P(rank k) proportional to 1 / (k + 1) ** exponent."""

    def __init__(self, n, exponent=1.0):
        self.cumulative = list(itertools.accumulate(1 / (rank**exponent) for rank in range(1, n + 1)))

    def pick(self, rng):
        return bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])


def paged(path, page):
    return path if page == 1 else f"{path}?page={page}"


def archive_pages(catalogue):
    """Every page the mix may ask for, once (bench.load --warm-archive): the articles first, so
    that the list pages, which are kept for less time (PAGE_CACHE_SECONDS), are the freshest."""
    sections = [paged(path, page) for path in catalogue.sections for page in range(1, SECTION_PAGES + 1)]
    return [*catalogue.articles, "/", *sections, *catalogue.tags, *catalogue.authors, *catalogue.searches]


def request_list(rng, catalogue, size, *, mix=MIX, zipf_exponent=1.0):
    """``size`` (kind, path) pairs drawn from ``mix``, in random order."""
    articles = Zipf(len(catalogue.articles), zipf_exponent)
    tags = Zipf(len(catalogue.tags), zipf_exponent)
    page_weights = [4] + [1] * (SECTION_PAGES - 1)

    draw = {
        "article": lambda: catalogue.articles[articles.pick(rng)],
        "home": lambda: "/",
        "section": lambda: paged(
            rng.choice(catalogue.sections), rng.choices(range(1, SECTION_PAGES + 1), page_weights)[0]
        ),
        "tag": lambda: catalogue.tags[tags.pick(rng)],
        "author": lambda: rng.choice(catalogue.authors),
        "search": lambda: rng.choice(catalogue.searches),
    }
    kinds = rng.choices(list(mix), weights=list(mix.values()), k=size)
    return [(kind, draw[kind]()) for kind in kinds]


def write_request_list(path, requests):
    with open(path, "w") as out:
        for kind, url in requests:
            if " " in url or "\n" in url:
                raise ValueError(f"a request path must have no spaces: {url!r}")
            out.write(f"{kind} {url}\n")


def load_catalogue(rng):
    """The dataset's reader URLs; the popularity order of articles is a seeded shuffle."""
    from django.urls import reverse
    from taggit.models import Tag

    from articles.models import Article, Author, Section
    from bench.dataset import SEED as DATASET_SEED
    from bench.dataset import SLUG_PREFIX, Vocabulary

    rows = (
        Article.objects.published()
        .filter(slug__startswith=SLUG_PREFIX)
        .exclude(slug__startswith=EDITOR_SLUG_PREFIX)
        .order_by("pk")
        .values_list("pk", "slug", "section__slug")
    )
    articles = [
        (pk, reverse("articles:article", kwargs={"section_slug": section, "article_slug": slug}))
        for pk, slug, section in rows
    ]
    rng.shuffle(articles)
    sections = [s.get_absolute_url() for s in Section.objects.filter(slug__startswith=SLUG_PREFIX)]
    # Tag ids follow popularity in the dataset (bench/dataset.py weighs tag n by 1 / (n + 20)).
    tags = [
        reverse("articles:tag", kwargs={"tag_slug": slug})
        for slug in Tag.objects.filter(slug__startswith=SLUG_PREFIX)
        .order_by("pk")
        .values_list("slug", flat=True)
    ]
    authors = [a.get_absolute_url() for a in Author.objects.filter(slug__startswith=SLUG_PREFIX)]
    topic_words = Vocabulary(random.Random(DATASET_SEED)).words[50:2000]
    searches = [
        reverse("articles:search")
        + "?"
        + urlencode({"q": " ".join(rng.sample(topic_words, rng.choice((1, 2))))})
        for _ in range(200)
    ]
    return Catalogue([url for _, url in articles], sections, tags, authors, searches), articles[0][0]
