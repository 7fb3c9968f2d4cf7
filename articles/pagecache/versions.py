"""Versioned keys: a version token per dependency key, kept in the cache.

A page stores the tokens of its keys when it is built; it is fresh while every
one of them is unchanged. Invalidating a key writes a new token: one cache
write per key, no scan of the pages. A token lost to eviction is recreated as a
new one, so that a page can only ever become stale, never wrongly fresh.

A token says when it was made (so that a page built while one of its keys
changed is never stored as fresh) and whether the change removed something
readers may no longer see ("hard": an unpublished article, which no stale copy
may show while the page is rebuilt).
"""

import secrets
import time
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal

VERSION_PREFIX = "pages:version:"

# Sent with ``keys`` (a frozenset) once they are invalidated, after the commit: shared
# caches in front (httpcache.purge) purge the same keys.
keys_invalidated = Signal()
SOFT, HARD = "s", "h"

# Inside invalidation.bulk_changes(): what the changes asked for, gathered, instead of one
# invalidation each (a dict with "changed", "hard" and "schedule"); None outside.
deferred = ContextVar("pagecache_deferred", default=None)


def new_token(kind=SOFT, *, initial=False):
    """A token never made before; an ``initial`` one (a key seen for the first time, or whose
    token was evicted) is dated 0: it records no change."""
    return f"{kind}{0 if initial else time.time_ns()}-{secrets.token_hex(4)}"


def token_time(token):
    """When ``token`` was made, in seconds since the epoch."""
    return int(token[1:].split("-", 1)[0]) / 1e9


def is_hard(token):
    return token.startswith(HARD)


def version_names(keys):
    """The cache keys holding the tokens of ``keys``."""
    return [VERSION_PREFIX + key for key in keys]


def current_versions(keys, *, also=(), already_read=None):
    """``({key: token}, {other cache key: value})``: the tokens of ``keys`` (made for those that
    have none yet) and the values of the cache keys ``also``, in one read of the cache, or
    none when ``already_read`` (cache key: value, read just before) holds them all."""
    names = {VERSION_PREFIX + key: key for key in keys}
    found = dict(already_read or {})
    missing = [name for name in (*names, *also) if name not in found]
    if missing:
        found.update(cache.get_many(missing))
    versions = {names[name]: token for name, token in found.items() if name in names}
    for name, key in names.items():
        if key not in versions:
            token = new_token(initial=True)
            if not cache.add(name, token, timeout=None):
                token = cache.get(name) or token
            versions[key] = token
    return versions, {name: found[name] for name in also if name in found}


def bump(keys, *, hard=False):
    """New tokens for ``keys`` now (prefer ``invalidate()``, which waits for the commit)."""
    if keys:
        kind = HARD if hard else SOFT
        cache.set_many({VERSION_PREFIX + key: new_token(kind) for key in keys}, timeout=None)
        keys_invalidated.send(sender=None, keys=frozenset(keys))


def invalidate(keys, *, hard=False):
    """Make the pages showing ``keys`` stale once the current transaction commits (at once
    outside one); nothing happens if it rolls back. ``hard``: no stale copy may be served."""
    keys = frozenset(keys)
    gathered = deferred.get()
    if keys and gathered is not None:
        gathered["changed"] = True
        gathered["hard"] = gathered["hard"] or hard
    elif keys:
        transaction.on_commit(lambda: bump(keys, hard=hard))
