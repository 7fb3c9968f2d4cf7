"""What every benchmark script needs: Django set up, and percentiles of timed runs."""

import os
import statistics
import time


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


def database_label():
    from django.db import connection

    return f"{connection.vendor} {connection.settings_dict['NAME']}"
