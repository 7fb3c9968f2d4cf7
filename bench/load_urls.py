"""Newsroom's URLs with the load benchmark's floor page in front (see bench/load_settings.py)."""

from django.urls import path

from bench.floor import floor_page
from newsroom.urls import urlpatterns as newsroom_urlpatterns

FLOOR_PATH = "/bench/floor/"

urlpatterns = [
    path(FLOOR_PATH.lstrip("/"), floor_page, name="bench-floor"),
    *newsroom_urlpatterns,
]
