"""
Worker CPU of an uncached article page: ``python -m bench.article_cpu``.

Renders published article pages of the database in DATABASE_URL (all of the demo
newsroom of ``seed_demo``; of a larger one, a seeded sample of ``--sample``) through
Django's test client with production-like settings (DEBUG off), and prints this
process's CPU time per page (``time.process_time``: on a shared machine it leaves out
the waiting for a CPU) in two states of the cache:

- **cold**: no cache at all (a dummy backend): the page and every fragment built;
- **page cache off**: the page itself is built for each request (its cache entry
  removed first, untimed); the fragments pages share (the navigation) come from
  the cache, as when a page is rebuilt after an invalidation.

On PostgreSQL the database's own work is not in the CPU figures (another process).
Also prints each state's wall-clock time per page (with the database's work, and any
waiting for a CPU) and queries per page. ``--profile`` writes a pyinstrument
report of the cold pages (``pip install pyinstrument``).

Example::

    DATABASE_URL=sqlite:////tmp/newsroom-demo.sqlite3 python manage.py seed_demo --no-superuser
    DATABASE_URL=sqlite:////tmp/newsroom-demo.sqlite3 python -m bench.article_cpu
"""

import argparse
import random
import statistics
import time

from bench.common import (
    NO_CACHE,
    PRODUCTION_LIKE,
    ROOMY_CACHE,
    machine_report,
    render_ok,
    setup_django,
    summarize,
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="times each article page is rendered")
    parser.add_argument(
        "--sample", type=int, default=200, help="at most this many articles, a seeded random sample (200)"
    )
    parser.add_argument("--profile", metavar="HTML", help="write a pyinstrument report of the cold pages")
    options = parser.parse_args()
    setup_django()

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from articles.models import Article

    ids = list(Article.objects.published().values_list("pk", flat=True))
    ids = sorted(random.Random(12).sample(ids, min(options.sample, len(ids))))
    urls = [
        article.get_absolute_url() for article in Article.objects.filter(pk__in=ids).select_related("section")
    ]
    if not urls:
        raise SystemExit("error: no published article (run `manage.py seed_demo` first)")
    print(f"{len(urls)} article pages, {options.rounds} rounds, {connection.vendor}")
    client = Client()

    def render(url):
        return render_ok(client, url)

    def cpu_per_page(label, before_each=None):
        """Two lines: this process's CPU per page, and the wall clock (the database's work too)."""
        for url in urls:  # untimed: templates compiled, connections open
            render(url)
        cpu, wall = {url: [] for url in urls}, {url: [] for url in urls}
        for _round in range(options.rounds):
            for url in urls:
                if before_each:
                    before_each(url)
                started, started_wall = time.process_time(), time.perf_counter()
                render(url)
                cpu[url].append((time.process_time() - started) * 1000)
                wall[url].append((time.perf_counter() - started_wall) * 1000)
        return "\n".join(
            summarize(f"{label}, {clock}", [ms for page in timings.values() for ms in page])
            # Each page's fastest round, averaged: what a page costs when nothing else disturbs
            # the CPU's caches (on a shared machine the median moves with the other work).
            + f"   best {statistics.mean(min(page) for page in timings.values()):6.2f} ms"
            for clock, timings in (("CPU", cpu), ("wall", wall))
        )

    def queries_per_page(before_each=None):
        counts = []
        for url in urls:
            if before_each:
                before_each(url)
            with CaptureQueriesContext(connection) as queries:
                render(url)
            counts.append(len(queries))
        return f"{min(counts)} to {max(counts)} queries per page"

    with machine_report():
        with override_settings(CACHES=NO_CACHE, **PRODUCTION_LIKE):
            print(cpu_per_page("cold (no cache)"), "|", queries_per_page())
            if options.profile:
                profile(options.profile, urls, render)
        with override_settings(CACHES=ROOMY_CACHE, **PRODUCTION_LIKE):
            cache.clear()
            keys = {url: page_key(client, url) for url in urls}
            forget = lambda url: cache.delete(keys[url])  # noqa: E731
            print(cpu_per_page("page cache off", forget), "|", queries_per_page(forget))


def page_key(client, url):
    from articles.pagecache import page_cache_key

    return page_cache_key(client.get(url).wsgi_request)


def profile(path, urls, render):
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    with profiler:
        for _round in range(5):
            for url in urls:
                render(url)
    with open(path, "w") as report:
        report.write(profiler.output_html())
    print(profiler.output_text(unicode=True, color=False, show_all=False)[:12000])


if __name__ == "__main__":
    main()
