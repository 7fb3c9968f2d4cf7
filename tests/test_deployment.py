"""The documented production profile: .env.example, `check --deploy`, .env files, key rotation."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from newsroom.env import load_env_file

ROOT = Path(__file__).resolve().parent.parent
ENV_EXAMPLE = ROOT / ".env.example"
# Where the code that reads the environment lives (tests and the benchmark are tools, not the site).
CODE_DIRS = ["newsroom", "articles", "deploy"]
ENV_NAME = r"[\"']([A-Z][A-Z0-9_]+)[\"']"
ENV_READS = [
    re.compile(r"os\.environ\.get\(\s*" + ENV_NAME),
    re.compile(r"os\.environ\[\s*" + ENV_NAME),
    re.compile(r"os\.getenv\(\s*" + ENV_NAME),
    re.compile(ENV_NAME + r"\s+(?:not\s+)?in\s+os\.environ"),
    re.compile(r"\benv_\w+\(\s*" + ENV_NAME),
    re.compile(r"\benv=" + ENV_NAME),  # dj_database_url.config(env="DATABASE_URL")
]


def example_variables():
    """Every NAME in .env.example, set or commented out (`# NAME=default`)."""
    return dict(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=(.*)$", ENV_EXAMPLE.read_text(), re.M))


def variables_read_by_the_code():
    names = set()
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text()
            for pattern in ENV_READS:
                names.update(pattern.findall(text))
    return names


def test_env_example_lists_every_variable_the_code_reads():
    """An operator finds every setting in .env.example; none is only in the code."""
    read = variables_read_by_the_code()
    assert {"SECRET_KEY", "DATABASE_URL", "GUNICORN_BIND"} <= read  # the scan itself works
    missing = read - set(example_variables())
    assert not missing, f"read by the code but missing from .env.example: {sorted(missing)}"


def test_env_example_lists_nothing_the_code_ignores():
    """A variable in .env.example that nothing reads would mislead whoever sets it."""
    unused = set(example_variables()) - variables_read_by_the_code()
    assert not unused, f"in .env.example but read by nothing: {sorted(unused)}"


def production_profile(tmp_path, **overrides):
    """The environment .env.example documents, with a real key and a scratch database."""
    env = {k: v for k, v in os.environ.items() if k not in example_variables()}
    env.update({name: value for name, value in example_variables().items() if value})
    env.update(
        SECRET_KEY="a-real-secret-key-made-for-this-test-0123456789abcdef",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    env.update(overrides)
    return env


def run_manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_finds_nothing_in_the_documented_production_profile(tmp_path):
    """`manage.py check --deploy` with .env.example's settings reports no issue at all."""
    result = run_manage(production_profile(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_does_warn_without_hsts(tmp_path):
    """The same check complains when HSTS is switched off, so the test above can fail."""
    env = production_profile(tmp_path, SECURE_HSTS_SECONDS="0")
    result = run_manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr


PRINT_SECURITY_SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
    "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, '|'.join(s.SECRET_KEY_FALLBACKS))"
)


def test_production_has_a_year_of_hsts_by_default(tmp_path):
    """Without SECURE_HSTS_* in the environment, production sends HSTS for a year, subdomains included."""
    env = production_profile(tmp_path)
    for name in ("SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"):
        env.pop(name)
    result = run_manage(env, "shell", "-c", PRINT_SECURITY_SETTINGS)
    assert result.stdout.splitlines()[-1].split()[:5] == ["31536000", "True", "False", "True", "True"], (
        result.stderr
    )


def test_the_documented_profile_purges_no_varnish_that_the_production_steps_never_install(tmp_path):
    """A copy of .env.example purges nothing: the steps set up no Varnish, so each change would log failed purges."""
    env = production_profile(tmp_path)
    result = run_manage(
        env, "shell", "-c", "from django.conf import settings as s; print(s.HTTP_CACHE_PURGE_BACKEND)"
    )
    assert result.stdout.splitlines()[-1] == "httpcache.purge.NoPurger", result.stderr
    env = production_profile(tmp_path, HTTP_CACHE_PURGE_URLS="http://127.0.0.1:6081/")
    result = run_manage(
        env, "shell", "-c", "from django.conf import settings as s; print(s.HTTP_CACHE_PURGE_BACKEND)"
    )
    assert result.stdout.splitlines()[-1] == "httpcache.purge.VarnishPurger", result.stderr


def test_the_production_steps_leave_env_readable_by_the_service_and_no_one_else():
    """README step 3 makes .env readable by the group the service runs as (root's alone, gunicorn could not start)."""
    service = (ROOT / "deploy" / "newsroom.service").read_text()
    group = re.search(r"^Group=(\S+)$", service, re.M).group(1)
    readme = (ROOT / "README.md").read_text().splitlines()
    line = next(line for line in readme if line.startswith("cp .env.example .env"))
    assert f"chown root:{group} .env" in line and "chmod 640 .env" in line, line


def test_secret_key_fallbacks_come_from_the_environment_comma_separated(tmp_path):
    """SECRET_KEY_FALLBACKS="old1, old2" gives the two old keys, in order."""
    old = [
        "an-older-secret-key-that-was-rotated-out-000000001",
        "an-even-older-secret-key-rotated-out-0000002",
    ]
    env = production_profile(tmp_path, SECRET_KEY_FALLBACKS=f"{old[0]}, {old[1]}")
    result = run_manage(env, "shell", "-c", PRINT_SECURITY_SETTINGS)
    assert result.stdout.splitlines()[-1].split()[-1] == "|".join(old), result.stderr


def test_after_a_key_rotation_editors_stay_logged_in(superuser, settings):
    """An editor logged in under the old key is still logged in once it is a fallback, not without it."""
    old_key, new_key = "the-old-key-" + "o" * 40, "the-new-key-" + "n" * 40
    settings.SECRET_KEY = old_key
    kept, dropped = Client(), Client()
    kept.force_login(superuser)
    dropped.force_login(superuser)
    settings.SECRET_KEY = new_key
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert kept.get(reverse("admin:index")).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert dropped.get(reverse("admin:index")).status_code == 302
    # The first request after the rotation moved the kept session to the new key.
    assert kept.get(reverse("admin:index")).status_code == 200


def test_env_file_is_read_and_the_environment_wins(tmp_path, monkeypatch):
    """A .env file fills in what the environment does not set, and never overrides it."""
    env_file = tmp_path / ".env"
    env_file.write_text("NEWSROOM_TEST_FROM_FILE=file\nNEWSROOM_TEST_BOTH=file\n")
    monkeypatch.delenv("NEWSROOM_TEST_FROM_FILE", raising=False)
    monkeypatch.setenv("NEWSROOM_TEST_BOTH", "environment")
    load_env_file(env_file)
    assert os.environ["NEWSROOM_TEST_FROM_FILE"] == "file"
    assert os.environ["NEWSROOM_TEST_BOTH"] == "environment"
    monkeypatch.delenv("NEWSROOM_TEST_FROM_FILE")


def test_missing_env_file_is_fine(tmp_path):
    """No .env file: nothing happens (the environment alone configures the site)."""
    load_env_file(tmp_path / "absent.env")


@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_settings_read_the_env_file_beside_manage_py(tmp_path, variable):
    """settings.py loads .env from the project folder (seen here through a copy of the project)."""
    project = tmp_path / "project"
    project.mkdir()
    # newsroom/ and manage.py copied, not linked: settings find the project folder from
    # their own file's place. The apps and templates are linked.
    shutil.copytree(ROOT / "newsroom", project / "newsroom")
    shutil.copy(ROOT / "manage.py", project / "manage.py")
    for entry in ROOT.iterdir():
        if entry.name not in {"newsroom", "manage.py", ".env"} and (
            (entry / "__init__.py").exists() or entry.name in {"templates", "static", "public"}
        ):
            (project / entry.name).symlink_to(entry)
    (project / ".env").write_text(
        "DEBUG=false\nSECRET_KEY=a-key-that-only-the-env-file-knows-0123456789\nALLOWED_HOSTS=file.example.com\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in example_variables()}
    env["CACHE_DIR"] = str(tmp_path / "cache")
    code = f"from django.conf import settings; print(settings.{variable})"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert ("only-the-env-file" if variable == "SECRET_KEY" else "file.example.com") in result.stdout
