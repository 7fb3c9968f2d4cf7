"""Parts of reader pages kept in the cache with the versions of their dependency keys.

A fragment is a value that pages show: the sections of the navigation (every page;
its keys are known before it is built: ``cached_fragment``), or the parts of an
article page that are the same for every reader (``fragment_with_keys``: its
keys are those the build records with ``depends_on()``, since what a related
block lists is known only once it is ranked), or the cards of list pages
(``fragments_with_keys``: many at once, each with its own keys). It is stored with the versions of
its keys and rebuilt when one of them changed or it is older than
PAGE_CACHE_SECONDS, exactly like a page, and the page being built records its
keys either way, so that a cached page holding it goes stale with it.
"""

import time

from django.conf import settings
from django.core.cache import cache

from .pages import collecting_keys, depends_on, versions_as_built
from .versions import current_versions

FRAGMENT_PREFIX = "pages:fragment:"


def fragment_entry_key(name):
    # A new release's templates build new fragments rather than reuse the old ones.
    return f"{FRAGMENT_PREFIX}{settings.RELEASE}:{name}"


def cached_fragment(name, build, *, keys):
    """``build()``, or its copy in the cache while none of ``keys`` changed since it was built."""
    depends_on(*keys)
    entry_key = fragment_entry_key(name)
    versions, found = current_versions(keys, also=[entry_key])
    entry = found.get(entry_key)
    if (
        entry
        and entry["versions"] == versions
        and time.time() - entry["built_at"] <= settings.PAGE_CACHE_SECONDS
    ):
        return entry["value"]
    built_at = time.time()
    value = build()
    # Stored with the versions read before the build: a change meanwhile makes it stale at once.
    cache.set(
        entry_key, {"versions": versions, "built_at": built_at, "value": value}, settings.PAGE_CACHE_SECONDS
    )
    return value


def fragment_with_keys(name, build, *, keys=()):
    """``build()``, or its copy in the cache while none of its keys changed since it was built.

    Its keys are ``keys`` and those ``build()`` records with ``depends_on()``, stored
    with the fragment: a copy costs two reads of the cache (the fragment, then the
    versions of its keys). Not for previews: what they show is not what readers see.
    """
    entry_key = fragment_entry_key(name)
    entry = cache.get(entry_key)
    known_versions = {}
    if entry is not None and time.time() - entry["built_at"] <= settings.PAGE_CACHE_SECONDS:
        known_versions, _ = current_versions(entry["versions"])
        if known_versions == entry["versions"]:
            depends_on(entry["versions"])
            return entry["value"]
    started = time.time()
    with collecting_keys() as collected:
        depends_on(*keys)
        value = build()
    # A key changed during the build stores the fragment as stale already.
    versions, _ = versions_as_built(collected, started, known_versions)
    cache.set(
        entry_key, {"versions": versions, "built_at": started, "value": value}, settings.PAGE_CACHE_SECONDS
    )
    return value


def fragments_with_keys(names, build):
    """``{name: value}`` for ``names``: each the copy in the cache while none of its keys changed,
    the others from one call of ``build(missing names)``, which returns ``{name: (value, keys)}``.

    Two reads of the cache in all, whatever the number of fragments (the fragments, then
    the versions of all their keys): for the dozen cards of a list page.
    """
    entry_names = {fragment_entry_key(name): name for name in names}
    now = time.time()
    entries = {
        entry_names[entry_key]: entry
        for entry_key, entry in cache.get_many(list(entry_names)).items()
        if now - entry["built_at"] <= settings.PAGE_CACHE_SECONDS
    }
    known_versions = {}
    if entries:
        known_versions, _ = current_versions(set().union(*(entry["versions"] for entry in entries.values())))
    values = {}
    for name, entry in entries.items():
        if all(known_versions[key] == token for key, token in entry["versions"].items()):
            depends_on(entry["versions"])
            values[name] = entry["value"]
    missing = [name for name in names if name not in values]
    if not missing:
        return values
    started = time.time()
    built = build(missing)
    # A key changed during the build stores its fragments as stale already.
    versions, _ = versions_as_built(
        set().union(*(keys for _, keys in built.values())), started, known_versions
    )
    stored = {}
    for name, (value, keys) in built.items():
        depends_on(keys)
        values[name] = value
        stored[fragment_entry_key(name)] = {
            "versions": {key: versions[key] for key in keys},
            "built_at": started,
            "value": value,
        }
    cache.set_many(stored, settings.PAGE_CACHE_SECONDS)
    return values
