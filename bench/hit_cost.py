"""
What a page-cache hit costs the worker, in process: ``python -m bench.hit_cost``.

Sends requests through the WSGI application as gunicorn runs it (``newsroom.wsgi``: the
page cache front around Django's handler) and through Django's handler alone, with the
production settings and the floor page of bench.load (bench.load_settings), on the
database in DATABASE_URL and the Redis in REDIS_URL (a database of its own: it is
flushed first). Prints the wall time per request of the floor page, and of a hit on the
home page and on an article page answered by the front and by Django, in interleaved
rounds (each figure its own loop; every request builds its WSGI environ, as gunicorn does).

Example::

    DATABASE_URL=sqlite:////tmp/newsroom-demo.sqlite3 python manage.py seed_demo --no-superuser
    DATABASE_URL=sqlite:////tmp/newsroom-demo.sqlite3 REDIS_URL=redis://127.0.0.1:6379/13 \\
        DEBUG=false SECRET_KEY=... ALLOWED_HOSTS=localhost python -m bench.hit_cost
"""

import argparse
import os
import time

from bench.common import machine_report, setup_django

HOST = "localhost"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per figure and round (2000)")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("error: set REDIS_URL to a Redis database this may flush")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.load_settings"
    setup_django()
    import redis
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    from articles.models import Article
    from bench.load_urls import FLOOR_PATH
    from newsroom.wsgi import application as front

    if HOST not in settings.ALLOWED_HOSTS:
        raise SystemExit(f"error: ALLOWED_HOSTS must name {HOST}")
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    article = Article.objects.published().order_by("-published_at").first()
    if article is None:
        raise SystemExit("error: no published article in this database")
    django = WSGIHandler()

    def request(application, path):
        environ = RequestFactory().get(path, headers={"X-Forwarded-Proto": "https", "Host": HOST}).environ
        started = {}
        result = application(environ, lambda status, headers, exc_info=None: started.update(headers))
        b"".join(result)
        if hasattr(result, "close"):
            result.close()
        return started.get("X-Cache")

    figures = {
        "floor (through Django)": (django, FLOOR_PATH),
        "article page, hit through Django": (django, article.get_absolute_url()),
        "article page, hit by the front": (front, article.get_absolute_url()),
        "home page, hit through Django": (django, "/"),
        "home page, hit by the front": (front, "/"),
    }
    for _, path in figures.values():
        for _ in range(3):  # built, then kept by the front
            status = request(front, path)
        if path != FLOOR_PATH and status != "hit":
            raise SystemExit(f"error: {path} is not served from the cache ({status})")
    timings = {label: [] for label in figures}
    with machine_report():
        for _ in range(options.rounds):
            for label, (application, path) in figures.items():
                started = time.perf_counter()
                for _ in range(options.requests):
                    request(application, path)
                timings[label].append((time.perf_counter() - started) / options.requests * 1000)
    for label, values in timings.items():
        print(f"{label:<36} " + "  ".join(f"{value:.3f}" for value in values) + " ms per request")


if __name__ == "__main__":
    main()
