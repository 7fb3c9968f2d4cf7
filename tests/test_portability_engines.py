"""Moving a newsroom from SQLite to PostgreSQL and back (or the reverse), as an operator runs the commands."""

import json
import os
import pickle
import subprocess
import sys
from itertools import count
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from tests.portability_support import populate, snapshot
from tests.test_portability import media_files

pytestmark = pytest.mark.django_db

_numbers = count(1)


class Newsroom:
    """A database and a media folder of their own, driven through manage.py in another process."""

    def __init__(self, url, folder):
        self.url, self.folder = url, folder
        self.media = folder / "media"

    def manage(self, *args, succeed=True):
        return self.run("manage.py", *args, succeed=succeed)

    def python(self, code):
        """Run ``code`` with Django set up for this newsroom."""
        return self.run("-c", f"import django\ndjango.setup()\n{code}")

    def run(self, *args, succeed=True):
        environment = {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            **os.environ,
            "DATABASE_URL": self.url,
            "MEDIA_ROOT": str(self.media),
            "CACHE_DIR": str(self.folder / "cache"),
        }
        done = subprocess.run(
            [sys.executable, *map(str, args)],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if not succeed:
            assert done.returncode != 0, f"{' '.join(map(str, args))} should have failed:\n{done.stdout}"
            return done.stderr
        assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout


def postgres_server():
    """Where to make scratch PostgreSQL databases: the test database's server, or PORTABILITY_TEST_POSTGRES_URL."""
    if connection.vendor == "postgresql":
        default = settings.DATABASES["default"]
        return {key.lower(): default[key] for key in ("USER", "PASSWORD", "HOST", "PORT") if default.get(key)}
    url = os.environ.get("PORTABILITY_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parsed = dj_database_url.parse(url)
    return {key.lower(): parsed[key] for key in ("USER", "PASSWORD", "HOST", "PORT") if parsed.get(key)}


@pytest.fixture
def newsrooms(tmp_path):
    """Makes empty newsrooms on SQLite or PostgreSQL; drops the PostgreSQL databases afterwards."""
    import psycopg

    server = postgres_server()
    made = []

    def admin():
        return psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **server)

    def new(engine):
        number = next(_numbers)
        folder = tmp_path / f"newsroom-{number}"
        folder.mkdir()
        if engine == "sqlite":
            return Newsroom(f"sqlite:///{folder / 'db.sqlite3'}", folder)
        name = f"newsroom_portability_{os.getpid()}_{number}"
        try:
            with admin() as server_connection:
                server_connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
                server_connection.execute(f'CREATE DATABASE "{name}"')
        except psycopg.OperationalError as error:
            pytest.skip(f"no PostgreSQL server to move the newsroom to ({error})")
        made.append(name)
        auth = f"{server.get('user', '')}:{server.get('password', '')}@" if server.get("user") else ""
        return Newsroom(
            f"postgres://{auth}{server.get('host', '')}:{server.get('port', 5432)}/{name}", folder
        )

    yield new
    for name in made:
        with admin() as server_connection:
            server_connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


MOVE_CONTENT_TYPE_IDS = """
from django.db import connection, transaction
with transaction.atomic(), connection.cursor() as cursor:
    cursor.execute("UPDATE django_content_type SET id = id + 500")
    cursor.execute("UPDATE auth_permission SET content_type_id = content_type_id + 500")
"""

# Run by the newsroom's own process: its rows as snapshot() reads them, and what an operator checks next.
TAKE_PICTURE = """
import pickle, sys
from django.db import transaction
from articles.search import index as search_index
from articles.models import Section
from tests.portability_support import snapshot

picture = {"rows": snapshot(), "search_index_complete": search_index.index_is_complete()}
with transaction.atomic():
    highest = Section.objects.order_by("-pk").values_list("pk", flat=True).first()
    picture["new_id_follows"] = Section.objects.create(name="New desk", slug="new-desk").pk > highest
    transaction.set_rollback(True)
with open(PATH, "wb") as file:
    pickle.dump(picture, file)
"""


def picture(newsroom):
    path = newsroom.folder / "picture.pickle"
    newsroom.python(f"PATH = {str(path)!r}\n{TAKE_PICTURE}")
    with open(path, "rb") as file:
        return pickle.load(file)


def test_a_newsroom_moves_to_the_other_database_engine_and_back(settings, tmp_path, newsrooms):
    """SQLite → PostgreSQL → SQLite (or the reverse): every field of every model, and every file, arrives."""
    populate()
    before, files_before = snapshot(), media_files(settings.MEDIA_ROOT)
    call_command("export_newsroom", str(tmp_path / "first"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    here = connection.vendor
    there = "postgresql" if here == "sqlite" else "sqlite"

    moved = newsrooms(there)
    moved.manage("migrate", "--no-input")
    moved.python(MOVE_CONTENT_TYPE_IDS)  # content types must be matched by name, not id
    assert "Imported" in moved.manage("import_newsroom", tmp_path / "first")
    assert picture(moved) == {"rows": before, "search_index_complete": True, "new_id_follows": True}
    assert media_files(moved.media) == files_before

    moved.manage("export_newsroom", tmp_path / "second")
    manifest = json.loads(Path(tmp_path / "second" / "manifest.json").read_text())
    assert manifest["source_database"] == there
    back = newsrooms(here)
    back.manage("migrate", "--no-input")
    back.manage("import_newsroom", tmp_path / "second")
    assert picture(back) == {"rows": before, "search_index_complete": True, "new_id_follows": True}
    assert media_files(back.media) == files_before


def test_an_import_into_a_database_that_was_never_migrated_is_refused(tmp_path, newsrooms):
    """Without `migrate` first, the import says so instead of failing on a missing table."""
    populate(demo_images=False)
    call_command("export_newsroom", str(tmp_path / "export"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    bare = newsrooms("sqlite")
    error = bare.manage("import_newsroom", tmp_path / "export", succeed=False)
    assert "The database is not migrated" in error and "run `python manage.py migrate` first" in error
    assert "Traceback" not in error
