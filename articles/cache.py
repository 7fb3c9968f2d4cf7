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

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
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


def cache_reader_page(view):
    """Serve anonymous GET requests of ``view`` from the cache."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        generation = current_generation()
        url_hash = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"pages:{generation}:{url_hash}"
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
