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


@pytest.mark.parametrize("secret", ["", "short"])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    """DEBUG off and no proper SECRET_KEY: the process stops with a clear message."""
    result = run_check(DEBUG="false", SECRET_KEY=secret, ALLOWED_HOSTS="news.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_check(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_real_configuration():
    result = run_check(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="news.example.com")
    assert result.returncode == 0, result.stderr
