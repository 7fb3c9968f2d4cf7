"""
The export/import round trip of a whole newsroom, timed: export_newsroom from one
database, import_newsroom into a fresh one, each in its own process, with its wall
time and peak memory (maximum resident set size).

    python -m bench.portability --source postgres://postgres@127.0.0.1:5432/newsroom_bench \\
        --target postgres://postgres@127.0.0.1:5432/newsroom_export_rt

The source is only read (on PostgreSQL in a read-only transaction) and must hold the
complete benchmark dataset (bench/dataset.py); the target database is dropped and
created again, so it must be a scratch database.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import dj_database_url

from bench.common import machine_report

ROOT = Path(__file__).resolve().parent.parent

CHECK_DATASET = """
import django
django.setup()
from articles.models import Article, Section
from bench.dataset import SLUG_PREFIX, VERSION_NOTE
complete = Section.objects.filter(description=VERSION_NOTE).exists()
foreign = Article.objects.exclude(slug__startswith=SLUG_PREFIX).count()
print(Article.objects.count(), int(complete), foreign)
"""


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--source", required=True, help="DATABASE_URL of the benchmark dataset (only read)")
    parser.add_argument("--target", required=True, help="DATABASE_URL of a scratch PostgreSQL database")
    parser.add_argument("--folder", help="where to write the export (default: a temporary folder, removed)")
    options = parser.parse_args()
    source, target = dj_database_url.parse(options.source), dj_database_url.parse(options.target)
    if target["ENGINE"] != "django.db.backends.postgresql" or (source["NAME"], source["HOST"]) == (
        target["NAME"],
        target["HOST"],
    ):
        sys.exit("--target must be a scratch PostgreSQL database, other than the source.")
    work = Path(tempfile.mkdtemp(prefix="newsroom-portability-"))
    folder = Path(options.folder) if options.folder else work / "export"
    try:
        _round_trip(options, target, work, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _round_trip(options, target, work, folder):
    import psycopg

    check = subprocess.run(
        [sys.executable, "-c", CHECK_DATASET],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "DATABASE_URL": options.source},
        capture_output=True,
        text=True,
        check=True,
    )
    articles, complete, foreign = map(int, check.stdout.split())
    if not complete or foreign or not articles:
        sys.exit(f"The source holds no complete benchmark dataset ({articles} articles, {foreign} foreign).")
    print(f"source: {articles:,} articles (benchmark dataset)")

    with psycopg.connect(
        dbname="postgres", user=target["USER"], host=target["HOST"], port=target["PORT"], autocommit=True
    ) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{target["NAME"]}"')

    with machine_report():
        phases = [
            ("export", ["manage.py", "export_newsroom", folder], options.source, work / "source-media"),
            (
                "migrate (not timed in the round trip)",
                ["manage.py", "migrate", "-v0"],
                options.target,
                work / "m",
            ),
            ("import", ["manage.py", "import_newsroom", folder], options.target, work / "target-media"),
        ]
        for label, args, url, media in phases:
            media.mkdir(parents=True, exist_ok=True)
            seconds, output, usage = _timed(label, args, url, media)
            size = (
                sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if label == "export" else None
            )
            line = f"{label:<40} {seconds:8.1f} s   peak memory {usage.ru_maxrss / 1024:7.0f} MiB"
            if size is not None:
                line += f"   folder {size / 2**20:,.0f} MiB"
            print(line)
            if output.strip():
                print("   " + output.strip().splitlines()[-1])


def _timed(label, args, url, media):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(media),
        "CACHE_DIR": str(media.parent / "cache"),
    }
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, *map(str, args)], cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True
    )
    output = child.stdout.read()
    # wait4 rather than wait: the peak memory of this child alone.
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{label} failed:\n{output}")
    return seconds, output, usage


if __name__ == "__main__":
    main()
