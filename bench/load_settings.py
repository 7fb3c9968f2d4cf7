"""
Settings of the gunicorn that bench.load starts: Newsroom's own (newsroom.settings,
read from the same environment, so production checks and all), plus the floor page
(bench/floor.py) at /bench/floor/. Nothing else differs.
"""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
