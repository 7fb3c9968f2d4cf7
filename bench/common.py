"""What every benchmark script needs: Django set up, and percentiles of timed runs."""

import os
import statistics
import time
from contextlib import contextmanager


def setup_django():
    """Configure Django for a script run as ``python -m bench.<name>`` and migrate the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def time_calls(function, arguments, *, warmup=20, clock=time.perf_counter):
    """Milliseconds per call of ``function(argument)`` for each argument, after ``warmup`` untimed calls.

    ``clock=time.process_time`` measures this process's CPU time instead of the wall
    clock: on a machine shared with other work, that leaves out the waiting for a CPU.
    """
    for argument in arguments[:warmup]:
        function(argument)
    timings = []
    for argument in arguments:
        started = clock()
        function(argument)
        timings.append((clock() - started) * 1000)
    return timings


def summarize(label, timings):
    """One line: p50, p95 and max of ``timings`` (milliseconds)."""
    cuts = statistics.quantiles(timings, n=100, method="inclusive")
    return (
        f"{label:<34} n={len(timings):<5} p50 {cuts[49]:7.2f} ms   p95 {cuts[94]:7.2f} ms   "
        f"max {max(timings):7.2f} ms"
    )


# Settings for rendering reader pages in process, as production would (bench.article_cpu, bench.list_pages).
PRODUCTION_LIKE = {"DEBUG": False, "ALLOWED_HOSTS": ["testserver"]}
# No cache at all: every page and fragment is built ("cold").
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# Room for every page, fragment and key version of a sample: at LocMemCache's default of 300
# entries they pushed each other out, which Redis in production does not.
ROOMY_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "bench",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}


def render_ok(client, url):
    """``client.get(url)``; anything but a 200 ends the benchmark with the URL."""
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"error: {url} answered {response.status_code}")
    return response


def database_label():
    from django.db import connection

    return f"{connection.vendor} {connection.settings_dict['NAME']}"


def cpu_counters():
    """(stolen, all) jiffies of the machine's CPUs since boot, or None off Linux."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    return fields[7], sum(fields)


@contextmanager
def machine_report():
    """Print, after the block, the load average and the share of CPU time that the
    hypervisor gave to other machines ("steal"): on a shared virtual machine the
    wall-clock tail follows it, so a run is only comparable with runs like it."""
    before = cpu_counters()
    yield
    steal = steal_percent(before, cpu_counters())
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    line = f"load average during the run: {load} ({os.cpu_count()} CPUs)"
    if steal is not None:
        line += f"; CPU time stolen by the hypervisor: {steal:.1f}%"
    print(line)


def steal_percent(before, after):
    """Share (%) of CPU time stolen between two cpu_counters() readings, or None."""
    if before and after and after[1] > before[1]:
        return 100 * (after[0] - before[0]) / (after[1] - before[1])
    return None
