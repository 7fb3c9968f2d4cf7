"""Fresh cached pages answered before Django (articles/pagecache/front.py): the same answer
Django would give, for less; everything else still goes to Django."""

import gzip
import os
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.utils import timezone
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from articles.editorial import services
from articles.models import Correction
from articles.pagecache import front as front_module
from articles.pagecache import keys, page_cache_key
from articles.pagecache.front import NOT_CACHED_SECONDS, PageCacheFront
from articles.pagecache.schedule import NEXT_SCHEDULED_KEY, NOTHING_SCHEDULED
from articles.pagecache.versions import bump
from tests.caches import cache_settings
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

# Made per response, so never the same twice.
PER_RESPONSE = {"X-Request-ID"}


class Answer:
    def __init__(self, status, headers, body, by_django):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.body = body
        self.by_django = by_django

    def __getitem__(self, name):
        return self.headers[name]

    def comparable_headers(self):
        """The headers, but those made per response; Vary as a set (its order means nothing)."""
        headers = {name: value for name, value in self.headers.items() if name not in PER_RESPONSE}
        if "Vary" in headers:
            headers["Vary"] = {name.strip() for name in headers["Vary"].split(",")}
        return headers


class FrontClient:
    """Requests through the site's WSGI stack as gunicorn runs it: the front, then Django."""

    def __init__(self, kept_pages=None):
        self.django_requests = 0
        handler = WSGIHandler()

        def django(environ, start_response):
            self.django_requests += 1
            return handler(environ, start_response)

        self.application = PageCacheFront(django, kept_pages=kept_pages)

    def request(self, path, method="GET", headers=None, cookies=None):
        factory = RequestFactory()
        if cookies:
            factory.cookies.load(cookies)
        environ = factory.generic(method, path, headers=headers or {}).environ
        # As a WSGI server hands it over: the path's UTF-8 bytes as Latin-1 (the request
        # the factory made has decoded it in place).
        environ["PATH_INFO"] = environ["PATH_INFO"].encode().decode("iso-8859-1")
        before = self.django_requests
        started = {}

        def start_response(status, headers, exc_info=None):
            started["status"], started["headers"] = status, headers

        # As Django's test client: the test's database connection (inside the test's
        # transaction) must outlive the request, which a real server's would not.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            result = self.application(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                if hasattr(result, "close"):
                    result.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return Answer(started["status"], started["headers"], body, self.django_requests > before)

    def get(self, path, **options):
        return self.request(path, **options)


def until_the_front_answers(front, url, tries=3):
    """The front's answer for ``url``, once Django has built or renewed the page (at most
    ``tries`` requests: a page built just as one of its keys changed is stored stale, and
    built once more)."""
    for _ in range(tries):
        answer = front.get(url)
        if not answer.by_django:
            return answer
    raise AssertionError(f"Django answered {url} {tries} times")


@pytest.fixture
def front():
    return FrontClient()


@pytest.fixture(params=["file", "redis"])
def each_cache(request, settings, tmp_path):
    """The file cache (one machine) and Redis (several)."""
    settings.CACHES = {"default": cache_settings(request.param, tmp_path)}
    try:
        cache.set(NEXT_SCHEDULED_KEY, NOTHING_SCHEDULED)
    except Exception:  # noqa: BLE001 - no Redis on this machine
        pytest.skip("Redis is not reachable")
    yield request.param
    cache.clear()


@pytest.fixture
def story():
    city = SectionFactory(name="City", slug="city")
    ArticleFactory(title="Ferry fares rise", section=city, published_at=timezone.now() - timedelta(hours=2))
    return ArticleFactory(
        title="Flood wall fails",
        section=city,
        tags=["Flood"],
        authors=[AuthorFactory(name="Maria Lopez", slug="maria")],
        published_at=timezone.now() - timedelta(hours=1),
    )


def test_a_fresh_page_is_answered_without_django_as_django_answered_it(
    front, story, each_cache, django_assert_num_queries
):
    url = story.get_absolute_url()
    built = front.get(url)
    assert built.by_django and built["X-Cache"] == "miss"
    through_django = front.get(url + "?utm_source=newsletter")  # Django serves the same stored page
    assert through_django.by_django and through_django["X-Cache"] == "hit"
    with django_assert_num_queries(0):
        answered = front.get(url)
    assert not answered.by_django
    assert answered.status_code == 200
    assert answered.body == built.body
    assert b"Flood wall fails" in answered.body
    assert answered.comparable_headers() == through_django.comparable_headers()
    for header in ("Content-Security-Policy", "Cache-Control", "Surrogate-Key", "X-Frame-Options", "ETag"):
        assert answered[header], header
    assert answered["X-Request-ID"] != through_django["X-Request-ID"]


def test_the_front_answers_each_kind_of_reader_page(front, story, each_cache):
    pages = [
        "/",
        "/city/",
        "/tag/flood/",
        "/author/maria/",
        "/feeds/rss/",
        "/sitemap-articles.xml",
        "/city/?page=1",
    ]
    for url in pages:
        assert front.get(url).status_code == 200, url
    for url in pages:
        answer = front.get(url)
        assert (answer.status_code, answer.by_django, answer["X-Cache"]) == (200, False, "hit"), url


def test_a_page_the_worker_answered_before_costs_one_small_read_of_redis(front, story, settings, tmp_path):
    """The worker keeps the pages it answered: it reads only the versions of what one shows,
    not the page again, and a change to any of them still reaches the next reader."""
    settings.CACHES = {"default": cache_settings("redis", tmp_path)}
    try:
        cache.set(NEXT_SCHEDULED_KEY, NOTHING_SCHEDULED)
    except Exception:  # noqa: BLE001 - no Redis on this machine
        pytest.skip("Redis is not reachable")
    url = story.get_absolute_url()
    front.get(url)
    front.get(url)
    client = cache._cache.get_client()
    sent = []
    send = client.execute_command
    client.execute_command = lambda *args, **options: sent.append(args[0]) or send(*args, **options)
    try:
        answered = front.get(url)
    finally:
        del client.execute_command
    assert not answered.by_django and b"Flood wall fails" in answered.body
    assert sent == ["MGET"]
    bump([keys.tag_key(story.tagged_items.get().tag_id)])
    assert front.get(url).by_django
    cache.clear()


def test_a_worker_keeps_only_the_pages_it_answered_last(story):
    front = FrontClient(kept_pages=2)
    pages = [story.get_absolute_url(), "/", "/city/"]
    for url in pages:
        front.get(url)
        front.get(url)
    kept = front.application.recent_pages
    assert len(kept) == 2
    assert [kept.get(page_cache_key(RequestFactory().get(url))) is not None for url in pages] == [
        False,
        True,
        True,
    ]
    assert not any(front.get(url).by_django for url in pages)  # the first one read from the cache again


def test_a_browser_that_takes_gzip_gets_the_stored_compressed_copy(front, story, each_cache):
    url = story.get_absolute_url()
    plain = front.get(url)
    through_django = front.get(url + "?ref=x", headers={"Accept-Encoding": "gzip, br"})
    answered = front.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert not answered.by_django
    assert answered["Content-Encoding"] == "gzip"
    assert gzip.decompress(answered.body) == plain.body
    assert answered.comparable_headers() == through_django.comparable_headers()
    assert answered["ETag"] == "W/" + plain["ETag"]
    assert "Accept-Encoding" in answered["Vary"]


def test_the_answer_carries_the_proxys_request_id_for_the_access_log(front, story, settings):
    settings.LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
    front.get("/")
    answered = front.get("/", headers={"X-Request-ID": "proxy-7f3a"})
    assert not answered.by_django and answered["X-Request-ID"] == "proxy-7f3a"


def test_a_head_request_gets_the_headers_and_no_body(front, story, each_cache):
    url = story.get_absolute_url()
    page = front.get(url)
    answered = front.get(url, method="HEAD")
    assert not answered.by_django
    assert answered.body == b""
    assert answered["Content-Length"] == str(len(page.body))


def test_a_signed_in_editor_is_always_answered_by_django(front, story, each_cache, client, editor):
    url = story.get_absolute_url()
    front.get(url)
    front.get(url)
    client.force_login(editor)
    answered = front.get(url, cookies=f"sessionid={client.cookies['sessionid'].value}")
    assert answered.by_django
    assert "X-Cache" not in answered.headers
    assert "private" in answered["Cache-Control"]


def test_a_conditional_request_gets_its_304_from_django(front, story, each_cache):
    url = story.get_absolute_url()
    etag = front.get(url)["ETag"]
    answered = front.get(url, headers={"If-None-Match": etag})
    assert answered.by_django and answered.status_code == 304


def test_addresses_with_other_parameters_are_left_to_django(front, story, each_cache):
    """``/?s=`` is an old WordPress search address: it redirects, though ``s`` is not part of
    the home page's cache key."""
    front.get("/")
    assert not front.get("/").by_django
    answered = front.get("/?s=flood")
    assert answered.by_django and answered.status_code == 301
    assert answered["Location"] == "/search/?q=flood"


def test_a_correction_is_shown_at_the_next_request(
    front, story, each_cache, editor, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    front.get(url)
    assert not front.get(url).by_django
    with django_capture_on_commit_callbacks(execute=True):
        services.add_correction(
            story, kind=Correction.Kind.CORRECTION, text="The wall held for an hour.", by=editor
        )
    rebuilt = front.get(url)
    assert rebuilt.by_django and rebuilt["X-Cache"] == "miss"
    assert b"The wall held for an hour." in rebuilt.body
    assert b"The wall held for an hour." in until_the_front_answers(front, url).body


def test_an_unpublished_article_is_never_answered_from_the_cache(
    front, story, each_cache, editor, django_capture_on_commit_callbacks
):
    url = story.get_absolute_url()
    for page in (url, "/"):
        front.get(page)
        assert not front.get(page).by_django  # and kept in the worker's memory
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(story, by=editor)
    gone = front.get(url)
    assert gone.by_django and gone.status_code in (404, 410)
    home = front.get("/")
    assert home.by_django and b"Flood wall fails" not in home.body


def test_a_new_article_in_more_in_is_rendered_by_django_then_answered(
    front, story, each_cache, django_capture_on_commit_callbacks
):
    """The "More in City" list under a cached article page changes: Django renders that
    region again; the front answers the renewed page after that."""
    url = story.get_absolute_url()
    front.get(url)
    assert not front.get(url).by_django
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="Bridge reopens", section=story.section, published_at=timezone.now())
    renewed = front.get(url)
    assert renewed.by_django and b"Bridge reopens" in renewed.body
    assert b"Bridge reopens" in until_the_front_answers(front, url).body


def test_a_scheduled_article_due_goes_live_through_django(front, story, each_cache, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    ArticleFactory(
        title="Embargoed report", section=story.section, published_at=timezone.now() + timedelta(minutes=5)
    )
    cache.delete(NEXT_SCHEDULED_KEY)
    front.get("/")
    assert not front.get("/").by_django
    time_machine.shift(timedelta(minutes=5, seconds=1))
    home = front.get("/")
    assert home.by_django and b"Embargoed report" in home.body
    assert b"Embargoed report" in until_the_front_answers(front, "/").body


def test_an_unknown_host_gets_djangos_400(front, story, each_cache):
    front.get("/")
    answered = front.get("/", headers={"Host": "evil.example"})
    assert answered.by_django and answered.status_code == 400


def test_a_page_stored_without_headers_on_record_is_served_by_django_once(front, story, each_cache):
    """A page stored by Django alone (a process without the front) has no headers on record:
    Django serves it, and the front records them for the next reader."""
    url = story.get_absolute_url()
    front.get(url)
    assert cache.delete(page_cache_key(RequestFactory().get(url)) + ":headers")
    first = front.get(url)
    assert first.by_django and first["X-Cache"] == "hit"
    assert not front.get(url).by_django


def test_when_the_cache_cannot_be_read_django_answers(front, story, each_cache, monkeypatch, caplog):
    url = story.get_absolute_url()
    front.get(url)

    def unreachable(cache_key):
        raise ConnectionError("Connection refused")

    monkeypatch.setattr("articles.pagecache.front.read_page", unreachable)
    answered = front.get(url)
    assert answered.by_django and answered.status_code == 200
    assert b"Flood wall fails" in answered.body
    assert "could not read the cache" in caplog.text


@hyp_settings(
    max_examples=200,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    path=st.one_of(
        st.sampled_from(["/", "/city/"]),
        st.text(st.characters(max_codepoint=255), max_size=40).map(lambda text: "/" + text),
    ),
    query=st.text(st.sampled_from("page=1&p2s%0x\x00é"), max_size=20),
    cookie=st.text(max_size=30),
    host=st.sampled_from(["testserver", "evil.example", "", "testserver:80", "[::1", "a" * 300]),
    method=st.sampled_from(["GET", "HEAD", "POST", "get", ""]),
)
def test_whatever_a_client_sends_the_front_answers_or_hands_on(
    front, story, path, query, cookie, host, method
):
    """Odd paths, query strings, cookies, hosts and methods, beside cached pages: the front
    answers from the cache or hands the request to Django; it never fails itself."""
    for url in ("/", "/city/"):
        front.get(url)
    handed_on = []

    def django(environ, start_response):
        handed_on.append(environ)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    environ = RequestFactory().get("/").environ
    environ.update(
        PATH_INFO=path, QUERY_STRING=query, HTTP_COOKIE=cookie, HTTP_HOST=host, REQUEST_METHOD=method
    )
    started = []
    body = b"".join(
        PageCacheFront(django)(environ, lambda status, headers, exc_info=None: started.append(status))
    )
    event("handed on" if handed_on else "answered by the front")
    if handed_on:
        assert body == b"not found"
    else:
        assert started == ["200 OK"] and method in ("GET", "HEAD") and host == "testserver"
        assert path in ("/", "/city/") and b"Flood wall fails" in body or method == "HEAD"


def test_gunicorns_application_is_the_front_around_django():
    from newsroom.wsgi import application

    assert isinstance(application, PageCacheFront)
    assert isinstance(application.application, WSGIHandler)


def test_addresses_without_a_cached_page_cost_one_look_in_the_cache_then_none_for_a_while(
    front, story, monkeypatch, time_machine
):
    """The health check, static files, the admin: the front does not look for them in the
    cache every time; a page built meanwhile is answered by the front again."""
    time_machine.move_to(timezone.now(), tick=False)
    looked_up = []
    read_page = front_module.read_page
    monkeypatch.setattr(front_module, "read_page", lambda key: looked_up.append(key) or read_page(key))
    for _ in range(3):
        assert front.get("/healthz").by_django
    assert len(looked_up) == 1
    for url in ("/static/css/site.css", "/media/images/x.jpg", "/admin/login/"):
        front.get(url)
    assert len(looked_up) == 1
    url = story.get_absolute_url()
    assert front.get(url)["X-Cache"] == "miss"  # not cached: looked up once, then built
    assert not front.get(url).by_django  # built by this worker: looked up again at once
    time_machine.shift(NOT_CACHED_SECONDS + 1)
    front.get("/healthz")
    assert len(looked_up) == 4


def test_addresses_in_any_alphabet_reach_django_intact(front, each_cache):
    """The front reads the request's path without changing what Django is handed."""
    culture = SectionFactory(name="Culture", slug="culture")
    café = ArticleFactory(title="Le café ouvre", slug="café-ouvre", section=culture)
    tokyo = ArticleFactory(title="Tokyo tower", section=culture, tags=["東京"])
    for url in (café.get_absolute_url(), "/tag/東京/"):
        built = front.get(url)
        assert (built.status_code, built.by_django, built["X-Cache"]) == (200, True, "miss"), url
        answered = until_the_front_answers(front, url)
        assert answered.body == built.body
    assert b"Tokyo tower" in front.get("/tag/東京/").body
    assert tokyo.tags.get().slug == "東京"


def test_a_page_recorded_under_other_header_settings_gets_the_new_headers(front, story, settings):
    """After a restart with a changed policy, cached pages are sent with the new headers."""
    url = story.get_absolute_url()
    front.get(url)
    assert front.get(url)["X-Frame-Options"] == "DENY"
    settings.X_FRAME_OPTIONS = "SAMEORIGIN"
    front_module.headers_fingerprint.cache_clear()
    try:
        restarted = FrontClient()
        through_django = restarted.get(url)
        assert through_django.by_django and through_django["X-Frame-Options"] == "SAMEORIGIN"
        answered = restarted.get(url)
        assert not answered.by_django and answered["X-Frame-Options"] == "SAMEORIGIN"
    finally:
        front_module.headers_fingerprint.cache_clear()
