"""A real Varnish (deploy/varnish/newsroom.vcl) in front of the live test server: pages are
served from it, and a change readers can see is purged from it by key, and only that."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from articles.editorial import services
from httpcache import purge
from tests.factories import ArticleFactory

VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "newsroom.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.path.exists(VARNISHD), reason="varnishd is not installed (apt-get install varnish)"
    ),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def varnish(live_server):
    """varnishd with the project's VCL, its backend pointed at the live server; yields its URL."""
    backend_port = live_server.url.rsplit(":", 1)[1]
    workdir = tempfile.mkdtemp(prefix="newsroom-varnish-", dir="/tmp")
    os.chmod(workdir, 0o755)  # the varnish child runs as another user
    vcl = Path(workdir) / "newsroom.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";'))
    port = free_port()
    process = subprocess.Popen(
        [VARNISHD, "-F", "-a", f"127.0.0.1:{port}", "-T", "127.0.0.1:0", "-f", str(vcl),
         "-n", f"{workdir}/instance", "-s", "malloc,32m"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url + "/robots.txt", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = (
                        process.stdout.read().decode(errors="replace") if process.poll() is not None else ""
                    )
                    pytest.fail(f"varnishd did not start: {output[-2000:]}")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def purging_to(settings, varnish):
    settings.HTTP_CACHE_PURGE_URLS = [varnish + "/"]
    settings.HTTP_CACHE_PURGE_BACKEND = "httpcache.purge.VarnishPurger"
    purge.configured_purger.cache_clear()
    yield varnish
    purge.configured_purger.cache_clear()


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers.get("X-Varnish-Cache"), response.read().decode()


def test_varnish_serves_untouched_pages_and_drops_only_what_a_correction_changed(purging_to, editor):
    """An untouched article is a hit; after a correction the next request shows it; others stay cached."""
    corrected = ArticleFactory(title="Ferry timetable changes")
    untouched = ArticleFactory(title="Library opens late on Thursdays")
    corrected_url = purging_to + corrected.get_absolute_url()
    untouched_url = purging_to + untouched.get_absolute_url()
    for url in (corrected_url, untouched_url):
        assert fetch(url)[0] == "MISS"
        assert fetch(url)[0] == "HIT"

    services.add_correction(corrected, kind="correction", text="The last ferry leaves at 22:40.", by=editor)

    deadline = time.monotonic() + 10
    while "The last ferry leaves at 22:40." not in fetch(corrected_url)[1]:
        assert time.monotonic() < deadline, "the correction never reached readers through Varnish"
        time.sleep(0.1)
    assert fetch(untouched_url)[0] == "HIT"


def test_varnish_passes_the_admin_and_refuses_purges_without_keys(varnish):
    """The admin is never cached by Varnish; a PURGE without keys is a 400, not a flush of everything."""
    first = urllib.request.urlopen(varnish + "/admin/login/", timeout=10)
    second = urllib.request.urlopen(varnish + "/admin/login/", timeout=10)
    assert first.headers["X-Varnish-Cache"] == second.headers["X-Varnish-Cache"] == "MISS"
    request = urllib.request.Request(varnish + "/", method="PURGE")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 400
