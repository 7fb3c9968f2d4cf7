"""
Load benchmark: reader pages under a realistic mix while an editor works.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python -m bench.load
    DATABASE_URL=sqlite:////tmp/newsroom-bench.sqlite3 .venv/bin/python -m bench.load

On the database of DATABASE_URL, with the 100,000-article dataset (built once, as
the other benchmarks do; sizes are options), it:

1. starts gunicorn (``--workers`` sync workers, 2) with production settings: DEBUG off,
   a fresh SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, REDIS_URL on a Redis database of its own
   (``--redis-db``, 12), flushed first; bench.load_settings adds only the floor page;
2. measures the floor: wrk on a fixed 30 KB page (bench/floor.py) for ``--floor-seconds``;
3. with ``--warm-archive``, first visits every page of the mix's catalogue once (every
   article of the archive, section pages 1 to 5, tags, authors, the searches), as a
   day of readers and crawlers would have, so that the run measures a site whose cache
   holds its archive rather than one that has just started; with ``--keep-cache`` (and a
   fixed ``--port``: the host is part of a page's cache key) the cache is not flushed,
   so a later run starts from what an earlier one built;
   then warms up with the reader mix for ``--warmup`` seconds (not counted);
4. drives the reader mix for ``--duration`` seconds (60) with wrk and bench/load.lua,
   while bench/editor.py saves a draft every 2 s through the admin and every 20 s adds
   a correction to the most read article or publishes a new one, and polls until readers
   see it;
5. prints one table: per page kind and overall, requests/s and their ratio to the floor,
   p50 and p99 latency (as wrk's clients saw it), non-2xx answers, page-cache hits (from
   the X-Cache header); then the time until a change was visible, the editor's saves,
   load average and CPU steal, and the machine.

With ``--varnish``, Varnish (deploy/varnish/newsroom.vcl, bench/varnish.py) runs in front
of gunicorn and the app purges it (HTTP_CACHE_PURGE_URLS): the floor is measured twice,
at gunicorn and through Varnish (the share of floor is of the latter, the same path as
the readers'); the mix, the warm-up and the editor's visibility polls go through Varnish;
the table shows Varnish's hits per kind (X-Varnish-Cache) and, of the requests Varnish
passed on, the page cache's hits at the origin (varnishncsa's backend log), followed by
Varnish's own counters for the run (varnishstat).

The mix (bench/load_mix.py): article pages, Zipf-distributed over the whole archive (the popularity
order is a seeded shuffle, the same on every run and database), the home page, section
pages (some past page 1), tag pages (Zipf over tags, broad ones first), author pages and a
few searches. The request list goes to a file that the Lua script walks.

Whatever the run creates (the editor's draft, new articles, corrections) is deleted at
the end, so that every run starts from the same archive; the editor's account stays.
"""

import argparse
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from bench.build import dataset_arguments, prepare_dataset
from bench.common import cpu_counters, steal_percent
from bench.editor import CORRECTION_PREFIX
from bench.load_mix import EDITOR_SLUG_PREFIX, archive_pages, load_catalogue, request_list, write_request_list
from bench.load_results import (
    KindResult,
    WrkSummary,
    hit_share,
    parse_lua_results,
    parse_wrk_summary,
    results_table,
    visibility_lines,
)
from bench.varnish import (
    backend_log,
    edge_counters,
    origin_cache_by_kind,
    varnish_counters,
    varnish_version,
    varnishd,
)

ROOT = Path(__file__).resolve().parent.parent
LUA_SCRIPT = Path(__file__).with_name("load.lua")
FLOOR_PATH = "/bench/floor/"
SEED = 20261202

CACHED_KINDS = ("article", "home", "section", "tag", "author", "search")
REQUEST_LIST_SIZE = 300_000


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load_average():
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def database_version():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def prepare_editor():
    """The benchmark's editor account (in the Editors group) and the draft it keeps saving."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles.models import Article, Section
    from bench.dataset import SLUG_PREFIX

    user, created = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "first_name": "Bench", "last_name": "Editor"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    draft, _ = Article.objects.get_or_create(
        slug=f"{EDITOR_SLUG_PREFIX}draft",
        defaults={
            "title": "A story in the works",
            "section": Section.objects.filter(slug__startswith=SLUG_PREFIX).order_by("position").first(),
            "dek": "The draft the load benchmark's editor keeps saving.",
            "body": "<p>Draft in progress.</p>",
            "created_by": user,
        },
    )
    return user, draft


def remove_run_leftovers():
    """Delete what a run created (its draft, new articles, corrections): every run starts alike."""
    from articles.models import Article, Correction

    Correction.objects.filter(text__startswith=CORRECTION_PREFIX).delete()
    Article.objects.filter(slug__startswith=EDITOR_SLUG_PREFIX).delete()


def server_environment(options, varnish_url=None):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.load_settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        REDIS_URL=f"redis://127.0.0.1:6379/{options.redis_db}",
        LOG_LEVEL="WARNING",
    )
    if varnish_url:
        # gunicorn and the editor process purge Varnish by key after each visible change.
        env.update(
            HTTP_CACHE_PURGE_URLS=varnish_url + "/", HTTP_CACHE_PURGE_BACKEND="httpcache.purge.VarnishPurger"
        )
    return env


def warm_archive(reader_url, catalogue, connections):
    """Visit every page of the catalogue once, ``connections`` at a time; print how long it took."""
    from concurrent.futures import ThreadPoolExecutor

    def visit(path):
        request = urllib.request.Request(reader_url + path, headers={"X-Forwarded-Proto": "https"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return "no answer"

    pages = archive_pages(catalogue)
    started = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        statuses = Counter(pool.map(visit, pages, chunksize=64))
    seconds = time.monotonic() - started
    others = {status: count for status, count in statuses.items() if status != 200}
    print(
        f"archive warmed: {len(pages):,} pages in {seconds:.0f} s ({len(pages) / seconds:.0f}/s)"
        + (f", not 200: {others}" if others else "")
        + f"; load average {load_average()}"
    )


def flush_redis(env):
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()


@contextmanager
def gunicorn(options, env, workdir, port):
    base_url = f"http://127.0.0.1:{port}"
    log = workdir / "gunicorn.log"
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "newsroom.wsgi",
        f"--workers={options.workers}",
        "--worker-class=sync",
        f"--bind=127.0.0.1:{port}",
        f"--error-logfile={log}",
        # gunicorn's control socket has one default path per user: another gunicorn on the machine has it.
        "--no-control-socket",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(
                    base_url + FLOOR_PATH, headers={"X-Forwarded-Proto": "https"}
                )
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"error: gunicorn did not start; see {log}")
            time.sleep(0.2)
        yield base_url, log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_wrk(base_url, requests_file, results_file, seconds, connections):
    """wrk with one connection per thread (bench/load.lua times each thread's requests)."""
    command = [
        shutil.which("wrk") or "/usr/bin/wrk",
        f"--threads={connections}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={LUA_SCRIPT}",
        base_url + "/",
        "--",
        str(requests_file),
        str(results_file),
        str(connections),
    ]
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        raise SystemExit(f"error: wrk failed ({finished.returncode}):\n{finished.stdout}\n{finished.stderr}")
    return parse_wrk_summary(finished.stdout), parse_lua_results(Path(results_file).read_text())


@contextmanager
def editor_process(options, env, base_url, user, draft, popular_id, out):
    command = [
        sys.executable, "-m", "bench.editor",
        f"--base-url={base_url}",
        f"--duration={options.duration}",
        f"--draft-interval={options.draft_interval}",
        f"--event-interval={options.event_interval}",
        f"--user-id={user.pk}",
        f"--draft-id={draft.pk}",
        f"--popular-id={popular_id}",
        f"--new-slug-prefix={EDITOR_SLUG_PREFIX}new-",
        f"--out={out}",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        if process.stdout.readline().strip() != "ready":
            raise SystemExit("error: the editor process did not start")
        yield process
    finally:
        process.wait(timeout=options.duration + 120)
    if process.returncode != 0:
        raise SystemExit(f"error: the editor process failed ({process.returncode})")


@dataclass
class Phase:
    """A wrk run with the machine's state around it."""

    summary: WrkSummary
    results: dict
    load_before: str
    load_after: str
    steal: float | None


def measured(run):
    load_before, counters_before = load_average(), cpu_counters()
    summary, results = run()
    return Phase(
        summary, results, load_before, load_average(), steal_percent(counters_before, cpu_counters())
    )


def count_server_errors(log):
    """Tracebacks in gunicorn's error log (Django logs each 500 there)."""
    try:
        return log.read_text(errors="replace").count("Traceback (most recent call last)")
    except OSError:
        return 0


def arguments():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    dataset_arguments(parser)
    parser.add_argument("--duration", type=int, default=60, help="seconds of the measured reader mix (60)")
    parser.add_argument("--floor-seconds", type=int, default=15, help="seconds of the floor run (15)")
    parser.add_argument("--warmup", type=int, default=10, help="seconds of the mix before measuring (10)")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections, one thread each (4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument(
        "--redis-db", type=int, default=12, help="Redis database for the page cache, flushed (12)"
    )
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    parser.add_argument(
        "--warm-archive",
        action="store_true",
        help="visit every page of the catalogue once before the warm-up (the archive in the cache)",
    )
    parser.add_argument(
        "--keep-cache",
        action="store_true",
        help="do not flush the page cache's Redis database first (needs --port)",
    )
    parser.add_argument("--zipf", type=float, default=1.0, help="Zipf exponent of article and tag popularity")
    parser.add_argument("--draft-interval", type=float, default=2, help="seconds between draft saves (2)")
    parser.add_argument(
        "--event-interval", type=float, default=20, help="seconds between a correction or a publish (20)"
    )
    parser.add_argument("--no-editor", action="store_true", help="readers only")
    parser.add_argument(
        "--varnish",
        action="store_true",
        help="Varnish (deploy/varnish/newsroom.vcl) in front of gunicorn, purged by the app",
    )
    parser.add_argument(
        "--varnish-storage", default="1g", help="Varnish's malloc storage size (1g: the whole run fits)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, request list)")
    return parser.parse_args()


@dataclass
class EdgeRun:
    """What Varnish saw during the measured mix (bench.load --varnish)."""

    counters: object  # bench.varnish.EdgeCounters
    origin: dict  # kind of page -> Counter of X-Cache values gunicorn answered Varnish with
    version: str


def main():
    options = arguments()
    if options.keep_cache and not options.port:
        sys.exit("--keep-cache needs --port: the host and port are part of every page's cache key")
    prepare_dataset(options)
    from django.db import connection

    rng = random.Random(SEED)
    catalogue, popular_id = load_catalogue(rng)
    remove_run_leftovers()
    user, draft = prepare_editor()
    database = database_version()
    connection.close()

    workdir = Path(tempfile.mkdtemp(prefix="newsroom-load-"))
    mix_requests = request_list(rng, catalogue, REQUEST_LIST_SIZE, zipf_exponent=options.zipf)
    # A list of its own, so that the warm-up does not cache the very pages the run asks for first.
    warmup_requests = request_list(rng, catalogue, REQUEST_LIST_SIZE // 4, zipf_exponent=options.zipf)
    write_request_list(workdir / "mix.txt", mix_requests)
    write_request_list(workdir / "warmup.txt", warmup_requests)
    write_request_list(workdir / "floor.txt", [("floor", FLOOR_PATH)])
    gunicorn_port = options.port or free_port()
    varnish_port = free_port() if options.varnish else None
    varnish_url = f"http://127.0.0.1:{varnish_port}" if options.varnish else None
    env = server_environment(options, varnish_url)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    if not options.keep_cache:
        flush_redis(env)

    def wrk(url, name, seconds):
        return run_wrk(url, workdir / f"{name}.txt", workdir / f"{name}.out", seconds, options.connections)

    print(f"load average before: {load_average()}")
    editor_result = {"draft_saves": [], "events": []}
    floors = []
    edge = None
    with gunicorn(options, env, workdir, gunicorn_port) as (origin_url, log):
        floors.append(
            ("floor at gunicorn", measured(lambda: wrk(origin_url, "floor", options.floor_seconds)))
        )
        if options.varnish:
            varnish = varnishd(
                port=varnish_port,
                backend_port=gunicorn_port,
                workdir=workdir,
                storage=options.varnish_storage,
            )
        else:
            varnish = nullcontext((origin_url, None))
        with varnish as (reader_url, instance):
            if instance:
                floors.insert(
                    0,
                    (
                        "floor through Varnish",
                        measured(lambda: wrk(reader_url, "floor", options.floor_seconds)),
                    ),
                )
            if options.warm_archive:
                warm_archive(reader_url, catalogue, options.connections)
            if options.warmup:
                wrk(reader_url, "warmup", options.warmup)
            editor = (
                nullcontext()
                if options.no_editor
                else editor_process(
                    options, env, reader_url, user, draft, popular_id, workdir / "editor.json"
                )
            )
            origin_log = workdir / "origin.log"
            with editor as editor_running:
                counters_before = varnish_counters(instance) if instance else None
                with backend_log(instance, origin_log) if instance else nullcontext():
                    if editor_running:
                        editor_running.stdin.write("go\n")
                        editor_running.stdin.flush()
                    mix = measured(lambda: wrk(reader_url, "mix", options.duration))
                if instance:
                    kind_of_path = {path: kind for kind, path in warmup_requests + mix_requests}
                    edge = EdgeRun(
                        counters=edge_counters(counters_before, varnish_counters(instance)),
                        origin=origin_cache_by_kind(origin_log.read_text(), kind_of_path),
                        version=varnish_version(),
                    )
            if not options.no_editor:
                editor_result = json.loads((workdir / "editor.json").read_text())
        server_errors = count_server_errors(log)

    remove_run_leftovers()
    connection.close()
    report(options, database, floors, mix, editor_result, server_errors, edge)
    if options.keep:
        print(f"work folder: {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


def report(options, database, floors, mix, editor_result, server_errors, edge):
    floor_label = "floor (fixed 30 KB page)" if edge is None else "{} (fixed 30 KB page)"
    table, overall = results_table(
        [
            (floor_label.format(name), phase.results.get("floor", KindResult()), phase.summary.seconds)
            for name, phase in floors
        ],
        mix.results,
        mix.summary.seconds,
        origin=edge.origin if edge else None,
    )
    print()
    print(table)
    print(
        f"share of floor: requests/s over those of the {floors[0][0]}; the page kinds add up to the overall row. "
        "Latency is wrk's, queueing for a worker included."
    )
    print()
    if edge is None:
        cached = KindResult()
        for kind in CACHED_KINDS:
            cached.add(mix.results.get(kind, KindResult()))
        counted = cached.hits + cached.misses
        if counted:
            print(
                f"page-cache hit ratio (cached kinds): {100 * cached.hits / counted:.1f}% ({cached.hits:,} of {counted:,})"
            )
    else:
        counters = edge.counters
        ratio = f"{100 * counters.ratio:.1f}%" if counters.ratio is not None else "-"
        print(
            f"hit ratio at Varnish (varnishstat, mix run, the editor's polls included): {ratio} "
            f"({counters.hits:,} hits, {counters.grace_hits:,} of them stale copies in grace; "
            f"{counters.misses:,} misses; {counters.hit_passes:,} hits-for-pass); "
            f"{counters.passes:,} passes, {counters.backend_requests:,} requests to gunicorn, "
            f"{counters.lru_nuked:,} objects evicted"
        )
        origin_cached = Counter()
        for kind in CACHED_KINDS:
            origin_cached.update(edge.origin.get(kind, Counter()))
        hits, counted = hit_share(origin_cached)
        if counted:
            print(
                f"page-cache hit ratio at the origin (cached kinds, requests Varnish passed on): "
                f"{100 * hits / counted:.1f}% ({hits:,} of {counted:,})"
            )
    for line in visibility_lines(editor_result["events"]):
        print(line + (" (polled through Varnish)" if edge else ""))
    saves = editor_result["draft_saves"]
    if saves:
        failed = [s for s in saves if not s["ok"]]
        print(
            f"draft saves through the admin: {len(saves)}, failed {len(failed)}, "
            f"median {statistics.median(s['seconds'] for s in saves):.2f} s, max {max(s['seconds'] for s in saves):.2f} s"
        )
        if failed:
            print(f"  first failed save: HTTP {failed[0]['status']}: {failed[0].get('excerpt', '')[:200]!r}")
    phases = [*floors, ("mix", mix)]
    for name, phase in phases:
        errors = ", ".join(f"{k} {v}" for k, v in phase.summary.socket_errors.items())
        print(f"wrk socket errors ({name}): {errors}")
    print(f"server errors (tracebacks in gunicorn's log): {server_errors}")
    for name, phase in phases:
        steal = f"{phase.steal:.1f}%" if phase.steal is not None else "unknown"
        print(
            f"{name} run: load average before {phase.load_before}, after {phase.load_after}; CPU steal {steal}"
        )
    front = f"{edge.version} (malloc {options.varnish_storage}) in front, " if edge else ""
    print(
        f"machine: {os.cpu_count()} CPUs (nproc), {database}, {front}gunicorn {options.workers} sync workers, "
        f"wrk {options.connections} connections, Redis db {options.redis_db}; "
        f"floor {floors[0][1].summary.seconds:.0f} s, mix {mix.summary.seconds:.0f} s after {options.warmup} s of warm-up"
    )


if __name__ == "__main__":
    main()
