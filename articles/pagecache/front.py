"""Fresh cached pages answered before Django handles the request.

Served through Django, a page from the cache costs the whole request handling (every
middleware, URL resolving, the session lookup that says the reader is anonymous) on top of
reading the page: as much again as the cache read. ``PageCacheFront`` wraps the site's WSGI
application (newsroom/wsgi.py) and answers a request itself when it can tell that Django
would answer it with a fresh stored page, unchanged:

- a GET or HEAD outside the admin, static files and media, with no session cookie (a signed-in editor sees pages built for them),
  no conditional header (Django answers 304s), and no query parameter other than
  ``page`` (others may be old WordPress addresses that redirect, or utm tags, which
  Django serves from the same stored page);
- the stored page is fresh: none of its keys changed, it is within its lifetime, none of
  its live regions needs rendering again, and no scheduled article is due;
- the headers Django's middleware gave that page are on record. The front records them on
  the way out of Django, whenever Django stored the page (or served it while the front
  found none on record), minus what is made per response: the length, the encoding, the
  ETag, the request id, the cache status. They are stored beside the page and read in the
  same round trip.

Each worker keeps the pages it answered last in memory (``RecentPages``, at most
PAGE_CACHE_FRONT_PAGES): for those, a request reads only the versions of the page's keys
and the next scheduled time, in one read, and compares them with the values the page was
checked against; the page itself is not read from the cache again. A kept page is
answered only while every one of those values is unchanged, so it is always the page the
cache would have given. An address the cache had no fresh page for is not looked up again
for NOT_CACHED_SECONDS: Django answers it meanwhile, from the cache if another worker
has stored it since, so requests for pages that are never cached (the health check, a
search that is being built) pay for one read, not one each.

Everything else goes to Django, which serves stale copies, builds pages, renders live
regions again and publishes scheduled articles, as without the front. So the front never
answers anything Django would not: it only skips the work of getting there.
"""

import functools
import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http.cookie import parse_cookie
from django.middleware.gzip import re_accepts_gzip

from .pages import (
    CACHE_STATUS_HEADER,
    HEADERS_SUFFIX,
    is_fresh_as_read,
    is_young_and_nothing_due,
    page_cache_key,
    page_keys_of,
    read_page,
)
from .schedule import NEXT_SCHEDULED_KEY
from .versions import version_names

# Parameters of the pages the front may answer. Any other goes to Django (see above).
FRONT_PARAMETERS = ("page",)
# How long an address without a fresh page in the cache goes straight to Django.
NOT_CACHED_SECONDS = 2.0
# Headers made for each response, never taken from the record.
PER_RESPONSE_HEADERS = {"content-length", "content-encoding", "etag", "date", "server", "x-cache"}
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)
logger = logging.getLogger(__name__)

# Set by the front on a request it handed to Django after finding the page without headers.
HEADERS_MISSING = "newsroom.page_headers_missing"


class UnchangedByReading:
    """``hold()``: whether the keys of ``values`` still hold them, for a cache with no cheaper
    way to tell (newsroom.cache.RedisCache has one: ``unchanged_values``)."""

    def __init__(self, values):
        self.values = values

    def hold(self):
        found = cache.get_many(list(self.values))
        return all(found.get(key, self) == value for key, value in self.values.items())


@dataclass(frozen=True)
class KeptPage:
    """A page the front answered, kept in memory with what it was found fresh against."""

    page: object  # a pages.CachedPage
    headers: tuple  # the record: (status, headers)
    checked: object  # ``hold()``: the versions and the next scheduled time are unchanged
    next_scheduled: object

    @classmethod
    def of(cls, page, headers, values):
        names = [*version_names(page_keys_of(page)), NEXT_SCHEDULED_KEY]
        checked = {name: values[name] for name in names}
        unchanged_values = getattr(cache, "unchanged_values", UnchangedByReading)
        return cls(page, headers, unchanged_values(checked), values[NEXT_SCHEDULED_KEY])

    def is_fresh(self):
        return is_young_and_nothing_due(self.page, self.next_scheduled) and self.checked.hold()


class RecentPages:
    """The ``size`` pages a process answered last (least recently answered first out)."""

    def __init__(self, size):
        self.size = size
        self._pages = OrderedDict()
        self._not_cached = {}  # cache key: until when the front leaves it to Django
        self._lock = threading.Lock()  # for threaded workers

    def recently_not_cached(self, cache_key):
        until = self._not_cached.get(cache_key)
        return until is not None and until > time.time()

    def not_cached(self, cache_key):
        with self._lock:
            if len(self._not_cached) >= max(self.size, 100):
                now = time.time()
                self._not_cached = {key: until for key, until in self._not_cached.items() if until > now}
            self._not_cached[cache_key] = time.time() + NOT_CACHED_SECONDS

    def stored(self, cache_key):
        """This process has just stored the page of ``cache_key``."""
        with self._lock:
            self._not_cached.pop(cache_key, None)

    def get(self, cache_key):
        with self._lock:
            kept = self._pages.get(cache_key)
            if kept is not None:
                self._pages.move_to_end(cache_key)
            return kept

    def keep(self, cache_key, kept):
        if self.size <= 0:
            return
        with self._lock:
            self._pages[cache_key] = kept
            self._pages.move_to_end(cache_key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def forget(self, cache_key):
        with self._lock:
            self._pages.pop(cache_key, None)

    def __len__(self):
        return len(self._pages)


class PageCacheFront:
    """A WSGI application: ``application``, with fresh cached pages answered before it."""

    def __init__(self, application, kept_pages=None):
        self.application = application
        self.recent_pages = RecentPages(settings.PAGE_CACHE_FRONT_PAGES if kept_pages is None else kept_pages)

    def __call__(self, environ, start_response):
        if may_answer(environ):
            try:
                answer = cached_answer(environ, self.recent_pages)
            except Exception:  # noqa: BLE001 - the front must never be why a request fails
                logger.exception("The page cache front could not read the cache; Django answers")
                answer = None
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return [body]
        recorded = {}

        def recording_start_response(status, headers, exc_info=None):
            recorded["status"], recorded["headers"] = status, headers
            return start_response(status, headers, exc_info)

        response = self.application(environ, recording_start_response)
        stored = getattr(response, "stored_page", None)
        if stored is not None and (stored.built or environ.get(HEADERS_MISSING) == stored.cache_key):
            try:
                record_headers(stored, recorded.get("status", ""), recorded.get("headers", ()))
            except Exception:  # noqa: BLE001 - Django's answer stands; the next store records them
                logger.exception("The page cache front could not record a page's headers")
            self.recent_pages.stored(stored.cache_key)
        return response


def may_answer(environ):
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return False
    if environ.get("PATH_INFO", "").startswith(never_cached_prefixes()):
        return False
    if any(name in environ for name in CONDITIONAL_HEADERS):
        return False
    cookies = environ.get("HTTP_COOKIE")
    if cookies and settings.SESSION_COOKIE_NAME in parse_cookie(cookies):
        return False
    query = environ.get("QUERY_STRING", "")
    return not query or all(part.split("=", 1)[0] in FRONT_PARAMETERS for part in query.split("&"))


def cached_answer(environ, recent_pages):
    """``(status, headers, body)`` for the fresh stored page this request asks for, else None."""
    request = WSGIRequest(dict(environ))  # a copy: it decodes PATH_INFO in place
    try:
        cache_key = page_cache_key(request)
    except DisallowedHost:
        return None  # Django answers 400
    kept = recent_pages.get(cache_key)
    if kept is not None:
        if kept.is_fresh():
            return answer_with(environ, kept.page, kept.headers)
        recent_pages.forget(cache_key)
    elif recent_pages.recently_not_cached(cache_key):
        return None
    page, values = read_page(cache_key)
    if page is None:
        recent_pages.not_cached(cache_key)
        return None
    headers_key = cache_key + HEADERS_SUFFIX
    if not values:  # a cache that reads no companions with the page
        values = cache.get_many([*version_names(page_keys_of(page)), NEXT_SCHEDULED_KEY, headers_key])
    if not is_fresh_as_read(page, values):
        return None
    recorded = values.get(headers_key)
    if recorded is None or recorded[0] != headers_fingerprint():
        environ[HEADERS_MISSING] = cache_key
        return None
    recent_pages.keep(cache_key, KeptPage.of(page, recorded, values))
    return answer_with(environ, page, recorded)


@functools.cache
def never_cached_prefixes():
    """Paths that are never a cached reader page: the admin, static files, media."""
    prefixes = {*settings.HTTP_CACHE_PRIVATE_PREFIXES}
    for url in (settings.STATIC_URL, settings.MEDIA_URL):
        if url and not url.startswith(("http://", "https://", "//")):
            prefixes.add("/" + url.lstrip("/"))
    return tuple(prefix for prefix in prefixes if prefix != "/")


def answer_with(environ, page, recorded):
    """``(status, headers, body)``: ``page`` with the ``recorded`` headers, for this request."""
    _, status, recorded_headers = recorded
    body, etag = page.response.content, page.response.get("ETag", "")
    headers = list(recorded_headers)
    if page.gzipped is not None and re_accepts_gzip.search(environ.get("HTTP_ACCEPT_ENCODING", "")):
        body = page.gzipped
        headers.append(("Content-Encoding", "gzip"))
        if etag.startswith('"'):  # a strong ETag names the uncompressed body
            etag = "W/" + etag
    if etag:
        headers.append(("ETag", etag))
    headers.append(("Content-Length", str(len(body))))
    headers.append((CACHE_STATUS_HEADER, "hit"))
    request_id_header = getattr(settings, "REQUEST_ID_RESPONSE_HEADER", None)
    if request_id_header:
        headers.append((request_id_header, request_id(environ)))
    return status, headers, b"" if environ["REQUEST_METHOD"] == "HEAD" else body


def request_id(environ):
    """The request's id, as django-log-request-id makes it: the proxy's, else a new one."""
    taken = getattr(settings, "LOG_REQUEST_ID_HEADER", None)
    return environ[taken] if taken and taken in environ else uuid.uuid4().hex


def record_headers(stored, status, headers):
    """Keep the headers Django's middleware gave a stored page, for the front's answers."""
    if not status.startswith("200 ") or any(name.lower() == "set-cookie" for name, _ in headers):
        return
    made_per_response = {
        *PER_RESPONSE_HEADERS,
        (getattr(settings, "REQUEST_ID_RESPONSE_HEADER", None) or "").lower(),
    }
    kept = tuple((name, value) for name, value in headers if name.lower() not in made_per_response)
    cache.set(stored.cache_key + HEADERS_SUFFIX, (headers_fingerprint(), status, kept), stored.seconds_left())


# Settings that shape the headers the middleware adds to a page.
HEADER_SETTINGS_PREFIXES = (
    "MIDDLEWARE",
    "SECURE_",
    "HTTP_",
    "CONTENT_SECURITY_POLICY",
    "PERMISSIONS_POLICY",
    "X_FRAME_OPTIONS",
    "REQUEST_ID",
    "RELEASE",
    "DEBUG",
)


@functools.cache
def headers_fingerprint():
    """A digest of the settings that shape a page's headers: a record made under other
    settings (before a restart with a changed policy, say) is made again, not replayed."""
    shaping = sorted(
        (name, repr(getattr(settings, name)))
        for name in dir(settings)
        if name.startswith(HEADER_SETTINGS_PREFIXES)
    )
    return hashlib.sha256(repr(shaping).encode()).hexdigest()[:16]
