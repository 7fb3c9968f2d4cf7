"""Links that last: old slugs of articles, sections and tags answer 301 to the current address.

- lookups: what an old slug points at now (reader views and feeds ask)
- changes: recording old slugs on rename, and merging sections or tags (the admin's actions)
"""
