"""
Reading a load benchmark run: bench/load.lua's counters and wrk's summary, into the table.
"""

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from bench.load_mix import MIX

# bench/load.lua: bucket b holds latencies in [e^(b/100), e^((b+1)/100)) microseconds.
BUCKETS_PER_E = 100


# Values of the X-Cache header that mean "served from the page cache" (a stale copy served
# while one worker rebuilds the page counts too); any other value is a page built for the request.
CACHE_HIT_VALUES = ("hit", "stale")


def hit_share(cache):
    """(hits, counted) of a Counter of X-Cache values; values without the header ("-") are not counted."""
    counted = sum(count for value, count in cache.items() if value != "-")
    return sum(cache[value] for value in CACHE_HIT_VALUES), counted


@dataclass
class KindResult:
    responses: int = 0
    non_2xx: int = 0
    cache: Counter = field(default_factory=Counter)  # X-Cache value -> responses
    edge: Counter = field(default_factory=Counter)  # X-Varnish-Cache value (hit, miss) -> responses
    histogram: Counter = field(default_factory=Counter)  # latency bucket -> responses

    @property
    def hits(self):
        return hit_share(self.cache)[0]

    @property
    def misses(self):
        hits, counted = hit_share(self.cache)
        return counted - hits

    def add(self, other):
        self.responses += other.responses
        self.non_2xx += other.non_2xx
        self.cache.update(other.cache)
        self.edge.update(other.edge)
        self.histogram.update(other.histogram)

    def percentile_ms(self, share):
        """Latency (ms) under which ``share`` of the responses came, to 1%; None if none came."""
        total = sum(self.histogram.values())
        if not total:
            return None
        needed = share * total
        seen = 0
        for bucket in sorted(self.histogram):
            seen += self.histogram[bucket]
            if seen >= needed:
                return math.exp((bucket + 0.5) / BUCKETS_PER_E) / 1000
        return math.exp((max(self.histogram) + 0.5) / BUCKETS_PER_E) / 1000


def parse_lua_results(text):
    """bench/load.lua's results file ("kind|field count") by kind of page."""
    results = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        key, count = line.rsplit(" ", 1)
        kind, name, *rest = key.split("|", 2)
        result = results.setdefault(kind, KindResult())
        if name == "bucket":
            result.histogram[int(rest[0])] += int(count)
        elif name == "cache":
            result.cache[rest[0].lower()] += int(count)
        elif name == "edge":
            result.edge[rest[0].lower()] += int(count)
        else:
            setattr(result, name, getattr(result, name) + int(count))
    return results


WRK_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
WRK_TOTAL = re.compile(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h)")
WRK_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


@dataclass
class WrkSummary:
    requests: int
    seconds: float
    socket_errors: dict

    @property
    def errors(self):
        return sum(self.socket_errors.values())


def parse_wrk_summary(text):
    """Requests, the run's measured length and socket errors from wrk's printed summary."""
    total = WRK_TOTAL.search(text)
    if total is None:
        raise ValueError(f"not a wrk summary:\n{text}")
    errors = WRK_ERRORS.search(text)
    counts = [int(n) for n in errors.groups()] if errors else [0, 0, 0, 0]
    return WrkSummary(
        requests=int(total.group(1)),
        seconds=float(total.group(2)) * WRK_UNITS[total.group(3)],
        socket_errors=dict(zip(("connect", "read", "write", "timeout"), counts, strict=True)),
    )


def format_ms(value):
    if value is None:
        return "-"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def percent(part, whole):
    return f"{100 * part / whole:.1f}%" if whole else "-"


def results_table(floors, mix, mix_seconds, origin=None):
    """The table, as Markdown: the floors, each kind of page, then all reader pages together.

    ``floors`` is a list of (label, KindResult, seconds); shares are of the first one's rate.
    ``origin`` (with Varnish in front) maps each kind of page to the Counter of X-Cache
    values gunicorn answered Varnish with: the table then shows Varnish's hits as readers
    saw them (X-Varnish-Cache) and, of the requests that reached gunicorn, the page cache's.
    Returns the table and the overall KindResult.
    """
    _, reference, reference_seconds = floors[0]
    floor_rate = reference.responses / reference_seconds if reference_seconds else 0
    if origin is None:
        rows = [
            "| page | requests | req/s | share of floor | p50 ms | p99 ms | non-2xx | cache hits |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
    else:
        rows = [
            "| page | requests | req/s | share of floor | p50 ms | p99 ms | non-2xx "
            "| Varnish hits | origin requests | origin page-cache hits |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]

    def row(label, result, seconds, origin_cache=None):
        rate = result.responses / seconds if seconds else 0
        ratio = f"{rate / floor_rate:.3f}" if floor_rate else "-"
        cells = [
            label,
            f"{result.responses:,}",
            f"{rate:,.1f}",
            ratio,
            format_ms(result.percentile_ms(0.5)),
            format_ms(result.percentile_ms(0.99)),
            f"{result.non_2xx:,}",
        ]
        if origin is None:
            cells.append(percent(result.hits, result.hits + result.misses))
        else:
            cells.append(percent(result.edge["hit"], sum(result.edge.values())))
            if origin_cache is None:
                cells += ["-", "-"]
            else:
                cells += [f"{sum(origin_cache.values()):,}", percent(*hit_share(origin_cache))]
        rows.append("| " + " | ".join(cells) + " |")

    for label, result, seconds in floors:
        row(label, result, seconds)
    overall = KindResult()
    overall_origin = Counter()
    for kind in MIX:
        result = mix.get(kind, KindResult())
        overall.add(result)
        kind_origin = None
        if origin is not None:
            kind_origin = origin.get(kind, Counter())
            overall_origin.update(kind_origin)
        row(kind, result, mix_seconds, kind_origin)
    row("**all reader pages**", overall, mix_seconds, overall_origin if origin is not None else None)
    return "\n".join(rows), overall


def visibility_lines(events):
    """Median and max seconds until readers saw each kind of change, and the changes that failed."""
    lines = []
    labels = {"correction": "a correction on its article page", "publish": "a new article on the home page"}
    for kind, label in labels.items():
        tried = [e for e in events if e["kind"] == kind]
        if not tried:
            continue
        failed = [e for e in tried if e.get("error")]
        times = [e["visible_after"] for e in tried if not e.get("error")]
        seen = [t for t in times if t is not None]
        line = f"time until {label} was visible: "
        if seen:
            line += (
                f"median {statistics.median(seen):.2f} s, max {max(seen):.2f} s ({len(seen)} of {len(tried)})"
            )
        else:
            line += f"never ({len(tried)} tried)"
        if len(seen) < len(times):
            line += f"; {len(times) - len(seen)} not visible within the polling limit"
        if failed:
            line += f"; {len(failed)} failed to save, first: {failed[0]['error']}"
        lines.append(line)
    return lines
