"""
Time an import of a generated WordPress export, and its peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_wxr_bench \
        .venv/bin/python -m bench.wxr_import --posts 10000

Writes the export (bench/wxr_generate.py) unless --export names one, imports it into
the database of DATABASE_URL (which must hold no articles), and prints the wall-clock
and CPU time, the peak resident memory (getrusage maxrss), the load average and the CPU
time the hypervisor stole during the run. Then it runs the import again, which must
change nothing, and times that too.
"""

import argparse
import io
import os
import resource
import tempfile
import time

from bench.common import cpu_counters, database_label, setup_django
from bench.wxr_generate import write_export


def timed_import(path):
    from django.core.management import call_command

    out = io.StringIO()
    stolen_before = cpu_counters()
    wall, cpu = time.perf_counter(), time.process_time()
    call_command("import_wordpress", str(path), "--no-progress", stdout=out)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    stolen_after = cpu_counters()
    steal = ""
    if stolen_before and stolen_after:
        stolen = stolen_after[0] - stolen_before[0]
        steal = f", {100 * stolen / max(1, stolen_after[1] - stolen_before[1]):.1f}% of CPU time stolen"
    return wall, cpu, steal, out.getvalue()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--export", help="An export to import instead of a generated one.")
    options = parser.parse_args()
    setup_django()
    from articles.models import Article

    if Article.objects.exists():
        raise SystemExit(
            f"{database_label()} holds articles already: point DATABASE_URL at an empty database."
        )
    path = options.export
    if not path:
        path = os.path.join(tempfile.mkdtemp(), f"wordpress-{options.posts}.xml")
        write_export(path, options.posts)
    size = os.path.getsize(path) / 1e6
    print(f"{database_label()}: importing {path} ({size:.1f} MB)")
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    wall, cpu, steal, report = timed_import(path)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(report)
    print(
        f"first import: {wall:.1f} s wall, {cpu:.1f} s CPU, peak RSS {peak:.0f} MB "
        f"(before the import: {baseline:.0f} MB), load average {os.getloadavg()[0]:.2f}{steal}"
    )
    wall, cpu, steal, report = timed_import(path)
    print(
        f"second run (nothing to change): {wall:.1f} s wall, {cpu:.1f} s CPU, "
        f"load average {os.getloadavg()[0]:.2f}{steal}"
    )
    print(f"articles: {Article.objects.count()}")


if __name__ == "__main__":
    main()
