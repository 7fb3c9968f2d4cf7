"""
Varnish in front of the load benchmark's gunicorn (``python -m bench.load --varnish``).

- ``varnishd()`` starts Varnish with the project's own VCL (deploy/varnish/newsroom.vcl),
  its backend pointed at gunicorn, in a private instance folder (``-n``) on free ports,
  and stops it afterwards;
- ``varnish_counters()`` reads varnishstat's counters, and ``edge_hit_ratio()`` the hit
  ratio between two readings: hits over hits, misses and hits-for-pass;
- ``backend_log()`` records, with varnishncsa in backend mode, every request Varnish made
  to gunicorn with the ``X-Cache`` header of the answer, and ``origin_cache_by_kind()``
  turns that log into the page cache's hits at the origin, by kind of page.

The ``X-Cache`` header readers receive through Varnish is the one stored with Varnish's
copy, so it says nothing about the origin on a Varnish hit: the origin's hit ratio comes
from what gunicorn answered Varnish, background refreshes (grace) included.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "newsroom.vcl"
VCL_BACKEND_PORT = '.port = "8000";'
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"

# varnishncsa's line per backend request: the page cache's X-Cache ("-" when absent),
# the status, the URL as Varnish asked for it.
BACKEND_LOG_FORMAT = "%{X-Cache}o %s %U%q"


def backend_vcl(backend_port):
    """The project's VCL with its backend on ``backend_port``."""
    text = VCL.read_text()
    if VCL_BACKEND_PORT not in text:
        raise ValueError(f"{VCL} no longer names its backend port as {VCL_BACKEND_PORT}")
    return text.replace(VCL_BACKEND_PORT, f'.port = "{backend_port}";')


@contextmanager
def varnishd(*, port, backend_port, workdir, storage):
    """varnishd on 127.0.0.1:``port`` in front of 127.0.0.1:``backend_port``; yields (URL, instance)."""
    if not os.path.exists(VARNISHD):
        raise SystemExit("error: varnishd is not installed (apt-get install varnish varnish-modules)")
    workdir = Path(workdir)
    # Varnish's child runs as its own user and loads the compiled VCL from the instance folder.
    os.chmod(workdir, 0o755)
    vcl = workdir / "newsroom.vcl"
    vcl.write_text(backend_vcl(backend_port))
    instance = workdir / "varnish"
    log = workdir / "varnishd.log"
    command = [
        VARNISHD, "-F",
        "-a", f"127.0.0.1:{port}",
        "-T", "127.0.0.1:0",
        "-f", str(vcl),
        "-n", str(instance),
        "-s", f"malloc,{storage}",
    ]  # fmt: skip
    with open(log, "w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                # Any HTTP answer (the synthetic 400 of a PURGE without keys) means it listens.
                request = urllib.request.Request(url + "/", method="PURGE")
                urllib.request.urlopen(request, timeout=2).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"error: varnishd did not start; see {log}") from None
                time.sleep(0.2)
        yield url, instance
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def varnish_version():
    """ "varnish-7.1.1", say, from ``varnishd -V``."""
    finished = subprocess.run([VARNISHD, "-V"], capture_output=True, text=True, check=False)
    match = re.search(r"\((varnish-[^ )]+)", finished.stderr + finished.stdout)
    return match.group(1) if match else "varnishd"


def parse_varnishstat(text):
    """Counter name -> value from ``varnishstat -1 -j`` (Varnish 6.5 and later nest them
    under "counters"; earlier versions put them at the top level)."""
    data = json.loads(text)
    counters = data.get("counters", data)
    return {
        name: counter["value"]
        for name, counter in counters.items()
        if isinstance(counter, dict) and "value" in counter
    }


def varnish_counters(instance):
    finished = subprocess.run(
        ["varnishstat", "-n", str(instance), "-1", "-j"], capture_output=True, text=True, check=True
    )
    return parse_varnishstat(finished.stdout)


@dataclass
class EdgeCounters:
    """What Varnish did between two varnishstat readings."""

    hits: int  # MAIN.cache_hit: served from Varnish's copy (stale ones in grace included)
    grace_hits: int  # MAIN.cache_hit_grace: of those, a stale copy while a fresh one was fetched
    misses: int  # MAIN.cache_miss: fetched from gunicorn for the request (hits-for-miss included)
    hit_passes: int  # MAIN.cache_hitpass: known uncacheable, passed to gunicorn
    passes: int  # MAIN.s_pass: passed by the VCL (the admin, signed-in editors)
    backend_requests: int  # MAIN.backend_req: requests Varnish sent to gunicorn
    lru_nuked: int  # MAIN.n_lru_nuked: objects evicted for lack of room

    @property
    def ratio(self):
        """Share of cache lookups answered from Varnish's copy, or None without lookups."""
        lookups = self.hits + self.misses + self.hit_passes
        return self.hits / lookups if lookups else None


def edge_counters(before, after):
    def delta(name):
        return after.get(name, 0) - before.get(name, 0)

    return EdgeCounters(
        hits=delta("MAIN.cache_hit"),
        grace_hits=delta("MAIN.cache_hit_grace"),
        misses=delta("MAIN.cache_miss"),
        hit_passes=delta("MAIN.cache_hitpass"),
        passes=delta("MAIN.s_pass"),
        backend_requests=delta("MAIN.backend_req"),
        lru_nuked=delta("MAIN.n_lru_nuked"),
    )


@contextmanager
def backend_log(instance, out):
    """varnishncsa writing one BACKEND_LOG_FORMAT line per backend request to ``out``
    while the block runs (new requests only)."""
    process = subprocess.Popen(
        ["varnishncsa", "-n", str(instance), "-b", "-F", BACKEND_LOG_FORMAT, "-w", str(out)]
    )
    try:
        time.sleep(0.5)  # attached to Varnish's log before the first request
        yield
    finally:
        time.sleep(0.5)  # lets it read the last transactions
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def origin_cache_by_kind(log_text, kind_of_path):
    """Kind of page -> Counter of the X-Cache values gunicorn answered Varnish with
    ("-": no header, a page the page cache does not keep); unknown paths are "other"."""
    by_kind = {}
    for line in log_text.splitlines():
        parts = line.split(" ", 2)
        if len(parts) != 3:
            continue
        cache_status, _status, path = parts
        kind = kind_of_path.get(path, "other")
        by_kind.setdefault(kind, Counter())[cache_status.lower()] += 1
    return by_kind
