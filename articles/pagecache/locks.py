"""The lock a worker holds while it rebuilds a page, so that others do not build it too.

On Redis and in memory a cache ``add()`` is atomic, and is the lock. Django's file cache
implements ``add()`` as "has_key, then set", which two workers can both pass, so on the
file cache the lock is a file created with ``O_EXCL`` beside the cache's own files:
atomic for every process of the machine that shares the cache directory.
"""

import os
import time
import uuid

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.filebased import FileBasedCache


def acquire(lock_key, seconds):
    """A token if this worker now holds ``lock_key`` (for ``seconds`` at most), else None."""
    token = uuid.uuid4().hex
    if _is_file_cache():
        return token if _acquire_file(_lock_path(lock_key), token, seconds) else None
    return token if cache.add(lock_key, token, timeout=seconds) else None


def release(lock_key, token):
    """Give up ``lock_key`` if this worker still holds it (never another worker's lock)."""
    if _is_file_cache():
        path = _lock_path(lock_key)
        try:
            with open(path) as held:
                if held.read() != token:
                    return
            os.unlink(path)
        except OSError:
            pass
        return
    if cache.get(lock_key) == token:
        cache.delete(lock_key)


def _is_file_cache():
    return isinstance(caches[DEFAULT_CACHE_ALIAS], FileBasedCache)


def _lock_path(lock_key):
    # The cache's own key -> file name mapping, with another suffix than its ".djcache".
    return cache._key_to_file(lock_key)[: -len(cache.cache_suffix)] + ".lock"


def _acquire_file(path, token, seconds):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    for _attempt in range(2):
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            if not _break_if_expired(path, seconds):
                return False
            continue
        with os.fdopen(descriptor, "w") as lock:
            lock.write(token)
        return True
    return False


def _break_if_expired(path, seconds):
    """Remove a lock left by a worker that died while building; True if it was removed."""
    try:
        if time.time() - os.path.getmtime(path) <= seconds:
            return False
        os.unlink(path)
    except FileNotFoundError:
        pass  # released meanwhile: try again
    return True
