"""Logs an operator can read: each line once, with the request id; HEAD without gunicorn's warning."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections

from tests.factories import ArticleFactory

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def call_wsgi(method, path, **headers):
    """Call the WSGI application as gunicorn does (Django's test client hides HEAD bodies)."""
    environ = {}
    setup_testing_defaults(environ)
    environ.update(REQUEST_METHOD=method, PATH_INFO=path, **headers)
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started.update(status=status, headers=dict(response_headers))

    # As Django's test client does: the test's database connection must outlive the request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        result = WSGIHandler()(environ, start_response)
        body = b"".join(result)
        result.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return started["status"], started["headers"], body


@pytest.mark.parametrize("path", ["/", "/feeds/rss/", "/sitemap.xml", "/healthz"])
def test_head_gets_the_headers_of_get_and_no_body(db, path):
    """HEAD answers like GET, same length announced, but sends no body at all."""
    ArticleFactory()
    get_status, get_headers, get_body = call_wsgi("GET", path)
    head_status, head_headers, head_body = call_wsgi("HEAD", path)
    assert head_status == get_status == "200 OK"
    assert head_body == b""
    assert get_body
    assert head_headers["Content-Length"] == str(len(get_body))
    assert head_headers["Content-Type"] == get_headers["Content-Type"]


def test_head_of_a_compressed_page_announces_the_compressed_length(db):
    """A HEAD asking for gzip announces the size of the gzipped GET."""
    ArticleFactory()
    _, get_headers, get_body = call_wsgi("GET", "/", HTTP_ACCEPT_ENCODING="gzip")
    _, head_headers, head_body = call_wsgi("HEAD", "/", HTTP_ACCEPT_ENCODING="gzip")
    assert head_body == b""
    assert head_headers["Content-Encoding"] == "gzip"
    # Not equal to the byte: Django pads each gzip stream by a random amount (against BREACH).
    assert abs(int(head_headers["Content-Length"]) - len(get_body)) <= 100
    assert int(head_headers["Content-Length"]) < len(call_wsgi("GET", "/")[2])


def test_favicon_is_served_at_the_root_for_pages_without_html(client):
    """/favicon.ico answers with an icon, so feeds and tools asking for it get no 404."""
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_admin_pages_link_the_icon(client, superuser):
    """Admin pages say where the icon is, as reader pages do."""
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert 'rel="icon"' in html


def run_django(code, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "ALLOWED_HOSTS", "SECRET_KEY"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


LOG_FROM_A_REQUEST = """
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
response = Client().post("/healthz")
print("REQUEST-ID", response["X-Request-ID"])
"""


def test_a_request_log_line_is_printed_once_with_the_request_id(tmp_path):
    """Django's warning for a request comes out once, on stdout, carrying the request's id."""
    result = run_django(
        LOG_FROM_A_REQUEST, DJANGO_SETTINGS_MODULE="newsroom.settings", CACHE_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    request_id = result.stdout.split("REQUEST-ID ")[1].strip()
    lines = [line for line in (result.stdout + result.stderr).splitlines() if "Method Not Allowed" in line]
    assert len(lines) == 1, result.stdout + result.stderr
    assert f"[{request_id}]" in lines[0]
    assert "Method Not Allowed" in result.stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn_server(tmp_path):
    """The production server, started with deploy/gunicorn.conf.py, on a free local port."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DEBUG="false",
        SECRET_KEY="a-real-secret-key-for-the-gunicorn-test-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_DIR=str(tmp_path / "cache"),
    )
    with open(log, "w") as output:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield url, log
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_gunicorn_answers_head_without_warning_and_logs_access_with_request_id(gunicorn_server):
    """Under gunicorn, HEAD draws no 'body bytes on a no-body response' warning; access lines name the id."""
    url, log = gunicorn_server
    head = urllib.request.urlopen(urllib.request.Request(url + "/favicon.ico", method="HEAD"), timeout=5)
    assert head.status == 200
    try:
        urllib.request.urlopen(urllib.request.Request(url + "/healthz", method="HEAD"), timeout=5)
    except urllib.error.HTTPError as error:  # 503: no migrated database needed for this test
        assert error.code == 503
    response = urllib.request.urlopen(urllib.request.Request(url + "/favicon.ico"), timeout=5)
    request_id = response.headers["X-Request-ID"]
    time.sleep(0.5)
    text = log.read_text()
    assert "no-body response" not in text
    assert "HEAD /favicon.ico" in text
    assert f"request_id={request_id}" in text
