"""
Cost of an uncached list page: ``python -m bench.list_pages``.

Renders reader list pages of the benchmark dataset (``bench/dataset.py``, in the
database of DATABASE_URL) through Django's test client with production-like settings
(DEBUG off), in two states of the cache:

- **cold**: no cache at all (a dummy backend): the page and every fragment built;
- **page cache off**: each page's entry removed first (untimed); the fragments pages
  share (the navigation, the cards of list pages) come from the cache, as when a page
  is rebuilt. A list page's first visit lies between the two: its cards are those of
  other lists it shares articles with.

Per state and kind of page it prints this process's CPU time (``time.process_time``), the wall
time (which includes the database's work, another process on PostgreSQL) and the
queries per page. The pages are a seeded sample drawn like the load benchmark's mix
(``bench/load_mix.py``):

- **tag, popular**: the 20 most used tags (thousands of articles each);
- **tag, tail**: tags drawn from the rest by the mix's Zipf law;
- **author**: every author's page (about 1,700 articles each);
- **section, page 1** and **section, pages 2-5**;
- **search**: one or two topic words, as the load benchmark searches.

``--explain KIND`` prints ``EXPLAIN ANALYZE`` of every query of the first page of a kind.

Example::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench python -m bench.list_pages
"""

import argparse
import random
import statistics
import time

from bench.common import (
    NO_CACHE,
    PRODUCTION_LIKE,
    ROOMY_CACHE,
    database_label,
    machine_report,
    render_ok,
    setup_django,
)

SEED = 12
KINDS = ("tag, popular", "tag, tail", "author", "section, page 1", "section, pages 2-5", "search")
POPULAR_TAGS = 20


def sample_urls(per_kind):
    """``per_kind`` URLs of each kind (fewer when the dataset has fewer), seeded."""
    from bench.load_mix import SECTION_PAGES, Zipf, load_catalogue

    rng = random.Random(SEED)
    catalogue, _ = load_catalogue(random.Random(SEED))
    if not catalogue.tags:
        raise SystemExit("error: no benchmark dataset here (run `python -m bench.build` first)")
    tail = Zipf(len(catalogue.tags) - POPULAR_TAGS)
    return {
        "tag, popular": catalogue.tags[:POPULAR_TAGS][:per_kind],
        "tag, tail": [catalogue.tags[POPULAR_TAGS + tail.pick(rng)] for _ in range(per_kind)],
        "author": (catalogue.authors * per_kind)[:per_kind],
        "section, page 1": (catalogue.sections * per_kind)[:per_kind],
        "section, pages 2-5": [
            f"{rng.choice(catalogue.sections)}?page={rng.randint(2, SECTION_PAGES)}" for _ in range(per_kind)
        ],
        "search": rng.sample(catalogue.searches, min(per_kind, len(catalogue.searches))),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[0])
    parser.add_argument("--per-kind", type=int, default=40, help="pages of each kind (40)")
    parser.add_argument("--rounds", type=int, default=3, help="times each page is rendered (3)")
    parser.add_argument("--kind", choices=KINDS, action="append", help="only these kinds (repeatable)")
    parser.add_argument("--explain", choices=KINDS, help="EXPLAIN ANALYZE the queries of one page of KIND")
    parser.add_argument(
        "--state", choices=("cold", "page cache off"), action="append", help="only these states"
    )
    options = parser.parse_args()
    setup_django()

    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import override_settings

    from articles.pagecache import page_cache_key

    urls = sample_urls(options.per_kind)
    kinds = options.kind or list(KINDS)
    client = Client()

    def render(url):
        return render_ok(client, url)

    if options.explain:
        with override_settings(CACHES=ROOMY_CACHE, **PRODUCTION_LIKE):
            explain(urls[options.explain][0], render)
        return
    print(f"{database_label()}: {options.per_kind} pages per kind, {options.rounds} rounds")
    with machine_report():
        for state in options.state or ("cold", "page cache off"):
            print(f"{state:<20} {'CPU p50':>8} {'wall p50':>9} {'wall p95':>9}  queries")
            with override_settings(CACHES=NO_CACHE if state == "cold" else ROOMY_CACHE, **PRODUCTION_LIKE):
                cache.clear()
                page_keys = {
                    url: page_cache_key(render(url).wsgi_request) for kind in kinds for url in urls[kind]
                }

                for kind in kinds:
                    print(measure(kind, urls[kind], options.rounds, page_keys, render))


def measure(kind, urls, rounds, page_keys, render):
    """One line: CPU p50, wall p50 and p95 and queries of building the pages ``urls`` (each page's
    cache entry, ``page_keys[url]``, removed first)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def forget(url):
        cache.delete(page_keys[url])

    cpu, wall = [], []
    for url in urls:  # untimed: templates compiled, the database's pages read
        forget(url)
        render(url)
    for _round in range(rounds):
        for url in urls:
            forget(url)
            started_cpu, started_wall = time.process_time(), time.perf_counter()
            render(url)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started_wall) * 1000)
    counts = []
    for url in urls:
        forget(url)
        with CaptureQueriesContext(connection) as queries:
            render(url)
        counts.append(len(queries))
    wall_cuts = statistics.quantiles(wall, n=100, method="inclusive")
    return (
        f"  {kind:<18} {statistics.median(cpu):8.1f} {wall_cuts[49]:9.1f} {wall_cuts[94]:9.1f}"
        f"  {min(counts)}-{max(counts)}  (ms; n={len(wall)})"
    )


def explain(url, render):
    """Print EXPLAIN ANALYZE of every query that building ``url`` runs (PostgreSQL), cache empty."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        render(url)
    print(url)
    for query in queries.captured_queries:
        print("\n" + query["sql"][:600])
        if connection.vendor != "postgresql" or not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join("    " + row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
