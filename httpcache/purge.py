"""
Purging shared caches by key.

When the page cache invalidates keys (``articles.pagecache.keys_invalidated``, sent
after the change is committed), the configured purger is asked to drop every
object tagged with them. Purges run in a background thread with retries, so a
slow or unreachable cache never delays or fails an editor's save; a purge that
still fails is logged, and the page's ``s-maxage`` bounds how long it stays stale.

Backends (setting ``HTTP_CACHE_PURGE_BACKEND``):

- ``httpcache.purge.NoPurger``: nothing in front (the default).
- ``httpcache.purge.VarnishPurger``: ``PURGE`` requests with an ``xkey-purge``
  header to each URL of ``HTTP_CACHE_PURGE_URLS`` (deploy/varnish/newsroom.vcl).
- Fastly and Cloudflare purge by the same keys (README, "Behind a CDN"); write a
  subclass of ``Purger`` whose ``send`` calls their API.
"""

import logging
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Keys per PURGE request: xkey takes them space-separated in one header.
BATCH = 50


class Purger:
    """Drops every object tagged with any of ``keys`` from a shared cache."""

    attempts = 3
    backoff_seconds = 0.5

    def purge(self, keys):
        """Purge ``keys`` with retries; returns whether every batch was purged. Never raises."""
        keys = sorted(set(keys))
        ok = True
        for start in range(0, len(keys), BATCH):
            ok = self._with_retries(keys[start : start + BATCH]) and ok
        return ok

    def _with_retries(self, keys):
        for attempt in range(1, self.attempts + 1):
            try:
                self.send(keys)
                return True
            except Exception as error:  # noqa: BLE001 (a purge must never break a save)
                logger.warning(
                    "Purge of %s failed (attempt %d of %d): %s", keys, attempt, self.attempts, error
                )
                if attempt < self.attempts:
                    time.sleep(self.backoff_seconds * 2 ** (attempt - 1))
        logger.error("Gave up purging %s; those pages stay stale until their s-maxage runs out.", keys)
        return False

    def send(self, keys):
        raise NotImplementedError


class NoPurger(Purger):
    def purge(self, keys):
        return True


class VarnishPurger(Purger):
    def __init__(self, urls=None, timeout=2.0):
        self.urls = list(urls if urls is not None else settings.HTTP_CACHE_PURGE_URLS)
        self.timeout = timeout

    def send(self, keys):
        for url in self.urls:
            request = urllib.request.Request(url, method="PURGE", headers={"xkey-purge": " ".join(keys)})
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
                if response.status != 200:
                    raise urllib.error.HTTPError(
                        url, response.status, response.reason, response.headers, None
                    )


@cache
def configured_purger():
    return import_string(settings.HTTP_CACHE_PURGE_BACKEND)()


# One worker: purges go out in the order the changes were committed.
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="purge")


def purge_in_background(keys):
    """Hand ``keys`` to the purger without waiting for it (returns a Future)."""
    return _executor.submit(configured_purger().purge, list(keys))


def wait_for_purges():
    """Return once every purge handed over so far has been sent or given up (a command's last step)."""
    _executor.submit(lambda: None).result()


def on_keys_invalidated(sender, keys, **kwargs):
    if keys:
        purge_in_background(keys)


def connect_to_page_cache():
    """Purge from shared caches what the page cache invalidates."""
    from articles.pagecache import keys_invalidated

    keys_invalidated.connect(on_keys_invalidated, dispatch_uid="httpcache.purge")
