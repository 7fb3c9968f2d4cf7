import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    "secret",
    [
        "",
        "short",
        "change-me-to-50-random-characters-from-secrets-token-urlsafe",
        "django-insecure-" + "x" * 40,
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    """DEBUG off and no proper SECRET_KEY: the process stops with a clear message."""
    result = run_check(DEBUG="false", SECRET_KEY=secret, ALLOWED_HOSTS="news.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("hosts", [None, "*"])
def test_production_refuses_to_start_without_real_allowed_hosts(hosts):
    """Production must name its hosts; '*' would accept forged Host headers."""
    env = {"DEBUG": "false", "SECRET_KEY": "x" * 50}
    if hosts is not None:
        env["ALLOWED_HOSTS"] = hosts
    result = run_check(**env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_naming_hosts_without_debug_means_production():
    """A deployment that sets ALLOWED_HOSTS but forgets DEBUG gets production, not debug mode."""
    result = run_check(ALLOWED_HOSTS="news.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_real_configuration():
    """With a real key and host names, the checks pass."""
    result = run_check(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="news.example.com")
    assert result.returncode == 0, result.stderr


def test_default_cache_is_shared_by_every_process_on_the_machine():
    """Without Redis, pages live in a cache on disk, so a publish from any process invalidates them."""
    environment = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG", "ALLOWED_HOSTS"}}
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip().endswith("FileBasedCache"), result.stderr


def test_sqlite_connections_stay_open_between_requests():
    """On SQLite too, a worker keeps its database connection (DB_CONN_MAX_AGE) instead of reopening it."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from newsroom import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": "sqlite:////tmp/newsroom-settings-check.sqlite3",
            "DB_CONN_MAX_AGE": "60",
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "60", result.stderr
