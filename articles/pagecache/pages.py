"""Whole reader pages in the cache, each with the dependency keys of what it shows.

A view declares what it shows with ``depends_on(*keys)`` while it builds the
page; ``cache_reader_page`` stores the page with the versions of those keys
(plus the keys every page has) and serves it while they are unchanged and it is
younger than PAGE_CACHE_SECONDS.

No stampede: when a page is missing or stale, the worker that takes its lock
(``locks.acquire``) rebuilds it; the others serve the stale copy
meanwhile (``X-Cache: stale``), or, when there is none or the change took an
article away, wait for the new one up to PAGE_BUILD_WAIT seconds, then build it
themselves.

A page may hold live regions (``live_region()``): parts that change more often
than the rest, such as the "More in <section>" list under an article. Their keys
do not make the page stale: when one of them changes, the next request renders
only that region again, puts it in the stored page and serves that. So an
archive article's page can be kept for a day (ARTICLE_PAGE_CACHE_SECONDS) and
still list the section's newest article as soon as it is published.
"""

import contextvars
import hashlib
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils.cache import set_response_etag
from django.utils.safestring import mark_safe

from . import keys as k
from . import locks
from .compression import encoded_for, gzipped_copy
from .schedule import NEXT_SCHEDULED_KEY, go_live_if_due, may_be_due, remember_next_scheduled
from .versions import VERSION_PREFIX, current_versions, is_hard, token_time, version_names

# Says whether a reader page came from the page cache ("hit", or "stale" while it is
# rebuilt) or was built ("miss"), as caching proxies do; bench/load.lua counts it.
CACHE_STATUS_HEADER = "X-Cache"
# How long a worker rebuilding a page holds its lock, at most.
LOCK_SECONDS = 10
# How long others wait for a page being built before building it themselves.
PAGE_BUILD_WAIT = 2.0
WAIT_STEP = 0.02
# A stale copy is kept this long past PAGE_CACHE_SECONDS, to be served while rebuilt.
STALE_GRACE_SECONDS = 60
# A key whose version is younger than the build start (less this margin, for the clocks of
# several machines) changed while the page was built: the page is stored as already stale.
CLOCK_MARGIN = 0.1
CHANGED_DURING_BUILD = "changed-during-build"
# Beside a stored page: the headers Django's middleware gave it (front.record_headers).
HEADERS_SUFFIX = ":headers"

_collected = contextvars.ContextVar("page_cache_keys", default=None)
# The live regions of the page being built (a list), None outside a build.
_regions = contextvars.ContextVar("page_live_regions", default=None)
# Renderers of live regions by name (``live_region_renderer``).
_renderers = {}

# The only query parameters reader pages read (list pages and sitemaps paginate).
# Others, such as utm_source, neither change the page nor make a new cache entry.
PAGE_PARAMETERS = ("page", "p")


def depends_on(*keys):
    """Record that the page being built shows ``keys`` (no-op outside a cached page)."""
    collected = _collected.get()
    if collected is not None:
        for key in keys:
            if isinstance(key, str):
                collected.add(key)
            else:
                collected.update(key)  # an iterable of keys


@contextmanager
def collecting_keys():
    """The set of keys ``depends_on()`` records inside the block (a fragment being built),
    which the enclosing page, if any, records too."""
    collected = set()
    token = _collected.set(collected)
    try:
        yield collected
    finally:
        _collected.reset(token)
        depends_on(collected)


def versions_as_built(keys, started, known_versions, *, also=()):
    """``({key: token}, {other cache key: value})`` as ``current_versions()``, for something
    built from ``started`` on: a key that changed meanwhile (its token differs from the one in
    ``known_versions``, read before, or, for a key not known before, is younger than the
    build) gets CHANGED_DURING_BUILD, since what was built may show its old state."""
    versions, other = current_versions(keys, also=also)
    for key, version in versions.items():
        known = known_versions.get(key)
        if (known and known != version) or (not known and token_time(version) > started - CLOCK_MARGIN):
            versions[key] = CHANGED_DURING_BUILD
    return versions, other


@dataclass(frozen=True)
class LiveRegion:
    """A region of a stored page: the renderer's name, its arguments, the versions of its keys."""

    name: str
    args: tuple
    versions: dict


@dataclass
class CachedPage:
    response: object
    versions: dict
    built_at: float
    lifetime: int = 0  # seconds; 0: PAGE_CACHE_SECONDS
    regions: tuple = ()
    gzipped: bytes | None = None  # the body compressed (compression.gzipped_copy)

    def lifetime_seconds(self):
        return self.lifetime or settings.PAGE_CACHE_SECONDS

    def kept_until(self):
        """When the cache forgets it (its lifetime, then the grace of a stale copy)."""
        return self.built_at + self.lifetime_seconds() + STALE_GRACE_SECONDS


@dataclass(frozen=True)
class StoredPage:
    """On a response: the stored page it is (``built``: stored by this request)."""

    cache_key: str
    built: bool
    kept_until: float

    def seconds_left(self):
        return max(1, int(self.kept_until - time.time()))


def live_region_renderer(name):
    """Register ``render(*args)`` (returns HTML, records its keys with ``depends_on()``) as
    the live region ``name``."""

    def register(render):
        _renderers[name] = render
        return render

    return register


def live_region(name, *args):
    """The HTML of live region ``name`` for ``args``, between markers, to put in a page.

    In a cached page the region is kept current apart from the page: its keys are
    not the page's, and when one of them changes, serving the page renders the region
    again (``with_current_regions``). A page holds each region name at most once.
    """
    regions = _regions.get()
    if regions is None:
        html, _ = _render_region(name, args, None)
        return mark_safe(_marked(name, html))
    html, versions = _render_region(name, args, {})
    regions.append(LiveRegion(name, tuple(args), versions))
    return mark_safe(_marked(name, html))


def _marked(name, html):
    return f"<!--live:{name}-->{html}<!--/live:{name}-->"


def _render_region(name, args, known_versions):
    """``(html, versions)``; versions (as ``versions_as_built``) only when ``known_versions``
    is not None, else ``None``. The region's keys are not recorded for the enclosing page."""
    started = time.time()
    collected = set()
    token = _collected.set(collected)
    try:
        html = _renderers[name](*args)
    finally:
        _collected.reset(token)
    if known_versions is None:
        return html, None
    versions, _ = versions_as_built(collected, started, known_versions)
    return html, versions


def _splice(content, name, html):
    start_marker, end_marker = f"<!--live:{name}-->".encode(), f"<!--/live:{name}-->".encode()
    start = content.find(start_marker)
    end = content.find(end_marker, start)
    if start < 0 or end < 0:
        return content
    return content[:start] + _marked(name, html).encode() + content[end + len(end_marker) :]


def with_current_regions(cache_key, page, versions):
    """``page``, or, when a key of one of its live regions changed (``versions``: the current
    tokens), a copy with those regions rendered again, which is also stored in its place."""
    changed = [
        region
        for region in page.regions
        if any(versions.get(key) != token for key, token in region.versions.items())
    ]
    if not changed:
        return page
    content = page.response.content
    regions = []
    for region in page.regions:
        if region in changed:
            html, region_versions = _render_region(region.name, region.args, versions)
            content = _splice(content, region.name, html)
            region = LiveRegion(region.name, region.args, region_versions)
        regions.append(region)
    response = HttpResponse(content, status=page.response.status_code)
    for header, value in page.response.items():
        if header.lower() not in ("content-length", "etag"):
            response[header] = value
    set_response_etag(response)
    renewed = CachedPage(
        response, page.versions, page.built_at, page.lifetime, tuple(regions), gzipped_copy(response)
    )
    remaining = page.kept_until() - time.time()
    if remaining >= 1:
        store_page(cache_key, renewed, int(remaining))
    return renewed


def page_cache_key(request, parameters=PAGE_PARAMETERS):
    params = urlencode(sorted((key, v) for key, v in request.GET.items() if key in parameters))
    # Scheme and host are part of the key: pages carry absolute URLs (canonical, feeds).
    url = f"{request.scheme}://{request.get_host()}{request.path}?{params}"
    return f"pages:page:{settings.RELEASE}:{hashlib.sha256(url.encode()).hexdigest()}"


def page_keys_of(page):
    return set(page.versions).union(*(region.versions for region in page.regions))


def store_page(cache_key, page, timeout):
    """Store ``page``; on Redis with the names of what serving it reads, so that a hit reads
    the page and those in one round trip (``read_page``)."""
    store_with_companions = getattr(cache, "set_with_companions", None)
    if store_with_companions is None:
        cache.set(cache_key, page, timeout)
        return
    names = [*version_names(page_keys_of(page)), NEXT_SCHEDULED_KEY, cache_key + HEADERS_SUFFIX]
    store_with_companions(cache_key, page, names, timeout)


def read_page(cache_key):
    """``(page or None, {cache key: value})``: the stored page and, where the cache can read
    them in the same round trip, the versions and other values serving it needs."""
    read_with_companions = getattr(cache, "get_with_companions", None)
    if read_with_companions is None:
        return cache.get(cache_key), {}
    return read_with_companions(cache_key)


def freshness(page, already_read=None):
    """``(fresh, hard, versions)``: whether ``page`` may be served as it is; if not, whether a
    stale copy must not be served either; the current versions of its keys. Also publishes
    scheduled articles whose time has come. ``already_read``: cache values read with the page."""
    keys = page_keys_of(page)
    versions, other = current_versions(keys, also=[NEXT_SCHEDULED_KEY], already_read=already_read)
    if go_live_if_due(other.get(NEXT_SCHEDULED_KEY)):
        versions, _ = current_versions(keys)
    changed = [key for key, token in page.versions.items() if versions[key] != token]
    if changed:
        return False, any(is_hard(versions[key]) for key in changed), versions
    return time.time() - page.built_at <= page.lifetime_seconds(), False, versions


def is_young_and_nothing_due(page, next_scheduled):
    """Whether ``page`` is within its lifetime and, by the cached next scheduled time, no
    scheduled article may have to go live: what freshness asks besides its keys' versions."""
    return time.time() - page.built_at <= page.lifetime_seconds() and not may_be_due(next_scheduled)


def is_fresh_as_read(page, values):
    """Whether ``page`` may be served as it is, judged from ``values`` (cache key: value) alone,
    with no query and no write: not when a value it needs is not among them, a scheduled
    article may be due, or a live region would be rendered again (``freshness`` does those)."""
    if not is_young_and_nothing_due(page, values.get(NEXT_SCHEDULED_KEY)):
        return False
    return all(
        values.get(VERSION_PREFIX + key) == token
        for versions in (page.versions, *(region.versions for region in page.regions))
        for key, token in versions.items()
    )


def served(response, status, page_keys, stored=None):
    response[CACHE_STATUS_HEADER] = status
    response.cache_keys = page_keys
    response.stored_page = stored
    return response


def served_from_cache(request, cache_key, page, status):
    return served(
        encoded_for(request, page.response, page.gzipped),
        status,
        frozenset(page.versions),
        StoredPage(cache_key, built=False, kept_until=page.kept_until()),
    )


def cache_reader_page(view=None, *, keys=(), lifetime=None, parameters=PAGE_PARAMETERS):
    """A read-only reader page: GET and HEAD only, served to anonymous readers from the cache.

    ``keys``: dependency keys the page always has, besides those its view records.
    ``lifetime``: the name of the setting that says how long the page is kept while
    its keys are unchanged (PAGE_CACHE_SECONDS when None).
    ``parameters``: the query parameters the view reads; each value makes its own page.
    """
    if view is None:
        return lambda view: cache_reader_page(view, keys=keys, lifetime=lifetime, parameters=parameters)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        cache_key = page_cache_key(request, parameters)
        page, already_read = read_page(cache_key)
        hard, known_versions = True, {}
        if page is not None:
            fresh, hard, known_versions = freshness(page, already_read)
            if fresh:
                page = with_current_regions(cache_key, page, known_versions)
                return served_from_cache(request, cache_key, page, "hit")
        lock_key = cache_key + ":lock"
        lock = locks.acquire(lock_key, LOCK_SECONDS)
        if lock is None:
            if page is not None and not hard:
                return served_from_cache(request, cache_key, page, "stale")
            waited, status = wait_for_page(cache_key, page)
            if waited is not None:
                return served_from_cache(request, cache_key, waited, status)
        try:
            return build(request, view, args, kwargs, cache_key, keys, known_versions, lifetime)
        finally:
            if lock is not None:
                locks.release(lock_key, lock)

    return wrapper


def wait_for_page(cache_key, stale):
    """``(page, status)``: the page another worker is building, once stored ("hit"; "stale" if it
    changed again meanwhile and may be served stale), or (None, None) after PAGE_BUILD_WAIT."""
    deadline = time.monotonic() + PAGE_BUILD_WAIT
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        page = cache.get(cache_key)
        if page is None or (stale is not None and page.built_at == stale.built_at):
            continue
        fresh, hard, _ = freshness(page)
        if fresh or not hard:
            return page, "hit" if fresh else "stale"
    return None, None


def build(request, view, args, kwargs, cache_key, static_keys, known_versions, lifetime):
    """Build the page and store it with the versions of its keys. A key that changed while
    it was built (its version differs from ``known_versions``, read before, or, for a key
    the page did not have before, is younger than the build) is stored as changed."""
    started = time.time()
    collected = {*k.EVERY_PAGE, *static_keys}
    regions = []
    token, regions_token = _collected.set(collected), _regions.set(regions)
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
    finally:
        _collected.reset(token)
        _regions.reset(regions_token)
    page_keys = frozenset(collected)
    stored = None
    if response.status_code == 200 and not response.cookies:
        # A key changed while the page was built makes it stored stale.
        versions, other = versions_as_built(page_keys, started, known_versions, also=[NEXT_SCHEDULED_KEY])
        if NEXT_SCHEDULED_KEY not in other:
            remember_next_scheduled()  # so that serving this page needs no query
        seconds = getattr(settings, lifetime) if lifetime else settings.PAGE_CACHE_SECONDS
        # The ETag ConditionalGetMiddleware would compute at every request, once.
        set_response_etag(response)
        page = CachedPage(response, versions, started, seconds, tuple(regions), gzipped_copy(response))
        # Stored before the headers below, so that the stored copy never says "miss".
        store_page(cache_key, page, page.lifetime_seconds() + STALE_GRACE_SECONDS)
        stored = StoredPage(cache_key, built=True, kept_until=page.kept_until())
    return served(response, "miss", page_keys, stored)
