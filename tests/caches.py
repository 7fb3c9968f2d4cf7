"""The cache back ends the page cache is tested on."""

import time


def cache_settings(kind, tmp_path):
    return {
        "file": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "c"),
        },
        "redis": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": f"test-{time.time_ns()}",
        },  # fmt: skip
        "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)},
    }[kind]
