"""HTTP caching at the edge: Cache-Control and surrogate keys on responses, and purges of
shared caches (Varnish, a CDN) by key when what a page shows changes.

- policy: which responses browsers and shared caches may keep, and for how long
- purge: one interface to purge keys, with a Varnish (xkey) implementation
"""
