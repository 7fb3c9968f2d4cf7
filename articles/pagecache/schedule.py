"""Scheduled articles go live at their time with no job running.

The time of the next scheduled article is kept in the cache (and so is the
answer "nothing is scheduled", for PAGE_CACHE_SECONDS). The first reader
request after that time publishes it to the page cache: it invalidates the
lists the article joins, exactly as a publish by an editor does, once (a lock
key), then looks up the following time.
"""

import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from ..models import Article
from .lists import invalidate_lists_of

NEXT_SCHEDULED_KEY = "pages:next-scheduled"
NOTHING_SCHEDULED = "none"
GO_LIVE_LOCK_KEY = "pages:go-live-lock"
# Articles that went live since the last check, published to the cache at most this many at a time.
GO_LIVE_BATCH = 200


def next_scheduled_time():
    """The next publish time of a scheduled article, as seconds since the epoch (None: none)."""
    moment = (
        Article.objects.scheduled().order_by("published_at").values_list("published_at", flat=True).first()
    )
    return moment.timestamp() if moment else None


def remember_next_scheduled(previous=None):
    """Look the next scheduled time up and keep it (an earlier one not yet gone live stays)."""
    upcoming = next_scheduled_time()
    if isinstance(previous, float) and (upcoming is None or previous < upcoming):
        upcoming = previous
    if upcoming is None:
        cache.set(NEXT_SCHEDULED_KEY, NOTHING_SCHEDULED, timeout=settings.PAGE_CACHE_SECONDS)
    else:
        # No timeout: the time must still be there when it comes, to publish what went live.
        cache.set(NEXT_SCHEDULED_KEY, upcoming, timeout=None)
    return upcoming


def schedule_changed():
    """An article was scheduled, rescheduled or unscheduled (called after commit)."""
    previous = cache.get(NEXT_SCHEDULED_KEY)
    now = timezone.now().timestamp()
    # A time already due stays until go_live() has dealt with it.
    remember_next_scheduled(previous if isinstance(previous, float) and previous <= now else None)


def may_be_due(cached_value):
    """Whether, by the cached next time (None: not cached), scheduled articles may have to go
    live now (``go_live_if_due`` then says, and publishes them)."""
    return not (
        cached_value == NOTHING_SCHEDULED or (isinstance(cached_value, float) and cached_value > time.time())
    )


def go_live_if_due(cached_value):
    """Called on every cached page request with the cached next time (None: not cached).
    Returns whether scheduled articles went live (and lists were invalidated) just now."""
    if cached_value is None:
        cached_value = remember_next_scheduled()
    if not isinstance(cached_value, float) or cached_value > timezone.now().timestamp():
        return False
    if not cache.add(GO_LIVE_LOCK_KEY, 1, timeout=30):
        return False  # another worker is at it
    try:
        go_live(datetime.fromtimestamp(cached_value, tz=UTC))
    finally:
        cache.delete(GO_LIVE_LOCK_KEY)
    return True


def go_live(since):
    now = timezone.now()
    went_live = list(
        Article.objects.published()
        .filter(published_at__gte=since, published_at__lte=now)
        .order_by("published_at")
        .values_list("pk", flat=True)[:GO_LIVE_BATCH]
    )
    invalidate_lists_of(went_live, after_commit=False)
    remember_next_scheduled()
