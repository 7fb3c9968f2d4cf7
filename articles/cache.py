"""
Whole-page caching of reader pages, invalidated on publish.

Every cached page's key carries a *generation* number. Any change to what
readers can see (an article, section, author or tag saved or deleted) bumps
the generation after the transaction commits, so every cached page is stale
at once and no key has to be tracked or deleted one by one.

Scheduled articles need no cron job: no page is cached past the moment the
next scheduled article goes live.
"""

import hashlib
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.utils import timezone

GENERATION_KEY = "pages:generation"


def current_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Start from the clock, so that a restarted in-process cache never
        # reuses a generation number that an older page was stored under.
        generation = int(timezone.now().timestamp() * 1000)
        cache.add(GENERATION_KEY, generation, timeout=None)
        generation = cache.get(GENERATION_KEY, generation)
    return generation


def invalidate_pages():
    """Make every cached reader page stale once the current transaction commits."""
    transaction.on_commit(_bump_generation)


def _bump_generation():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        current_generation()
        cache.incr(GENERATION_KEY)


def seconds_until_next_scheduled(generation):
    """Seconds until the next scheduled article goes live (None: nothing scheduled)."""
    from .models import Article

    key = f"pages:{generation}:next-scheduled"
    next_at = cache.get(key)
    if next_at is None:
        next_at = (
            Article.objects.scheduled()
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        ) or ""
        cache.set(key, next_at, timeout=_seconds_until(next_at))
    return _seconds_until(next_at)


def _seconds_until(moment):
    if not moment:
        return settings.PAGE_CACHE_SECONDS
    return max(0, int((moment - timezone.now()).total_seconds()))


def page_timeout(generation):
    return min(settings.PAGE_CACHE_SECONDS, seconds_until_next_scheduled(generation))


# The only query parameters reader pages read (list pages and sitemaps paginate).
# Others, such as utm_source, neither change the page nor make a new cache entry.
PAGE_PARAMETERS = ("page", "p")


def page_cache_key(request, generation):
    params = urlencode(sorted((k, v) for k, v in request.GET.items() if k in PAGE_PARAMETERS))
    # Scheme and host are part of the key: pages carry absolute URLs (canonical, feeds).
    url = f"{request.scheme}://{request.get_host()}{request.path}?{params}"
    return f"pages:{generation}:{hashlib.sha256(url.encode()).hexdigest()}"


def cache_reader_page(view):
    """A read-only reader page: GET and HEAD only, served to anonymous readers from the cache."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        generation = current_generation()
        key = page_cache_key(request, generation)
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies:
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            timeout = page_timeout(generation)
            if timeout > 0:
                cache.set(key, response, timeout)
        return response

    return wrapper
