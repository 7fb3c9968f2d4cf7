"""The page cache of reader pages, with dependency keys (keys.py).

- pages: the ``cache_reader_page`` decorator, ``depends_on()``, stampede protection, live regions;
- front: fresh stored pages answered before Django handles the request (a WSGI wrapper);
- versions: a version token per key, invalidation after commit;
- invalidation: which keys each change readers can see invalidates (model receivers);
- fragments: parts of pages (the navigation, an article's own parts, list cards), cached with their keys;
- schedule: scheduled articles going live with no job running.
"""

from . import keys
from .fragments import cached_fragment, fragment_with_keys, fragments_with_keys
from .invalidation import bulk_changes, invalidate_everything
from .pages import (
    CACHE_STATUS_HEADER,
    cache_reader_page,
    depends_on,
    live_region,
    live_region_renderer,
    page_cache_key,
)
from .versions import invalidate, keys_invalidated

__all__ = [
    "bulk_changes",
    "CACHE_STATUS_HEADER",
    "cached_fragment",
    "fragment_with_keys",
    "fragments_with_keys",
    "cache_reader_page",
    "depends_on",
    "invalidate",
    "invalidate_everything",
    "keys",
    "keys_invalidated",
    "live_region",
    "live_region_renderer",
    "page_cache_key",
]
