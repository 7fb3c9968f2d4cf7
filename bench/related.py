"""
Related-articles benchmark: ``python -m bench.related`` on the database in DATABASE_URL.

Builds (once) the benchmark dataset of bench/dataset.py, then prints p50/p95 for

- computing one article's related articles (picks and suggestions) as the
  article page does, its tags loaded with the page's other relations (wall
  clock, and this process's CPU time, which leaves out waiting for a CPU);
- the same from a bare article, tag frequencies counted too;
- on PostgreSQL, the server's own planning and execution time for that query;
- the whole article page through Django's test client, page cache bypassed.

Example::

    DATABASE_URL=sqlite:////tmp/newsroom-bench.sqlite3 python -m bench.related
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench python -m bench.related
"""

import argparse
import random
import time

from bench.build import dataset_arguments, prepare_dataset
from bench.common import machine_report, summarize, time_calls


def main():
    parser = dataset_arguments(argparse.ArgumentParser(description=__doc__.split("\n\n")[0]))
    parser.add_argument("--samples", type=int, default=500, help="articles timed per measurement")
    options = parser.parse_args()
    prepare_dataset(options)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from articles.models import Article
    from articles.related import related_for

    rng = random.Random(4)
    ids = list(Article.objects.published().values_list("pk", flat=True))
    sample = rng.sample(ids, min(options.samples, len(ids)))
    page_articles = {a.pk: a for a in Article.objects.filter(pk__in=sample).with_page_relations()}
    bare_articles = {a.pk: a for a in Article.objects.filter(pk__in=sample)}
    urls = [page_articles[pk].get_absolute_url() for pk in sample]

    suggested = [len(related_for(page_articles[pk])) for pk in sample[:50]]
    print(f"related articles per page (first 50 samples): min {min(suggested)}, max {max(suggested)}")

    def page_loaded(pk):
        return related_for(page_articles[pk])

    def bare(pk):
        return related_for(bare_articles[pk])

    with machine_report():
        print(summarize("related_for, page-loaded article", time_calls(page_loaded, sample)))
        print(summarize("related_for, bare article", time_calls(bare, sample)))
        # CPU time of this process: all of the work on SQLite, the client's share on PostgreSQL.
        cpu = time_calls(page_loaded, sample, clock=time.process_time)
        print(summarize("related_for, page-loaded, CPU time", cpu))
        if connection.vendor == "postgresql":
            print(
                summarize(
                    "related query, PostgreSQL server time", server_times(connection, page_articles, sample)
                )
            )

        uncached = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        with override_settings(CACHES=uncached, DEBUG=False, ALLOWED_HOSTS=["testserver"]):
            client = Client()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(urls[0])
            if response.status_code != 200:
                raise SystemExit(f"error: {urls[0]} answered {response.status_code}")
            print(f"article page: {len(queries)} queries, {len(response.content):,} bytes")
            print(summarize("article page (test client, no cache)", time_calls(client.get, urls)))


def server_times(connection, articles, sample):
    """Planning plus execution time of the related query, as PostgreSQL reports it (EXPLAIN ANALYZE)."""
    from articles.related import related_queryset

    timings = []
    with connection.cursor() as cursor:
        for pk in sample:
            sql, params = related_queryset(articles[pk])[:4].query.sql_with_params()
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0][0]
            timings.append(plan["Planning Time"] + plan["Execution Time"])
    return timings


if __name__ == "__main__":
    main()
