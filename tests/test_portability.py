"""export_newsroom and import_newsroom in one database: what they hold, and what they refuse."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article, Section
from articles.search import index as search_index
from portability import derived, format, registry
from tests.portability_support import CONTENT_MODELS, populate, snapshot

pytestmark = pytest.mark.django_db


def export(folder):
    call_command("export_newsroom", str(folder), stdout=_Quiet(), stderr=_Quiet())
    return json.loads((folder / "manifest.json").read_text())


def run_import(folder):
    out = _Quiet()
    call_command("import_newsroom", str(folder), stdout=out)
    return out.text


class _Quiet:
    def __init__(self):
        self.text = ""

    def write(self, message):
        self.text += message

    def flush(self):
        pass


def empty_the_newsroom(settings):
    """What a freshly migrated database holds: only content types, permissions and groups."""
    plans = registry.export_plan()
    with connection.cursor() as cursor:
        for plan in reversed(plans):
            for m2m in plan.many_to_many:
                if not plan.by_natural_key:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(m2m.m2m_db_table())}")
            if not plan.by_natural_key:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(plan.model._meta.db_table)}")
    search_index.rebuild_index()
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def move_content_type_ids():
    """Gives every content type another id, as in a database migrated in another order."""

    def move():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE django_content_type SET id = id + 1000")
            cursor.execute("UPDATE auth_permission SET content_type_id = content_type_id + 1000")
        ContentType.objects.clear_cache()

    yield move
    # The test's transaction is rolled back: the cache must not keep the moved ids.
    ContentType.objects.clear_cache()


def media_files(root):
    root = Path(root)
    return {str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def rewrite(folder, relative, change):
    """Edit a file of an export and put its new size and checksum in the manifest (a careful forger)."""
    path = folder / relative
    path.write_text(change(path.read_text()))
    manifest = json.loads((folder / "manifest.json").read_text())
    for entry in manifest["files"]:
        if entry["path"] == relative:
            entry["size"], entry["sha256"] = path.stat().st_size, format.file_digest(path)
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_every_model_of_every_app_is_exported_or_left_out_for_a_stated_reason():
    """No model is skipped silently: each is in the export plan, derived, or in an app left out on purpose."""
    planned = {plan.model for plan in registry.export_plan()}
    for model in apps.get_models():
        meta = model._meta
        if model in planned or meta.proxy:
            continue
        assert meta.app_label in registry.LEFT_OUT_APPS or derived.is_derived_model(model), meta.label
    assert {"articles.article", "reversion.version", "taggit.tag", "auth.user"} <= {
        plan.label for plan in registry.export_plan()
    }


def test_export_plan_puts_every_model_after_those_it_points_to():
    """Each model comes after the models its foreign keys point to, so an import can follow the order."""
    seen = set()
    for plan in registry.export_plan():
        for field in plan.fields:
            if field.is_relation and field.related_model is not plan.model:
                assert field.related_model in seen, (plan.label, field.name)
        seen.add(plan.model)


def test_an_app_with_models_the_export_does_not_know_makes_it_fail(monkeypatch, tmp_path):
    """A new library with models stops the export with its name, rather than being left out."""
    monkeypatch.setattr(registry, "LIBRARY_APPS", tuple(a for a in registry.LIBRARY_APPS if a != "reversion"))
    with pytest.raises(CommandError, match="“reversion” has models that the export does not know"):
        export(tmp_path / "out")


def test_a_model_whose_table_the_export_cannot_read_makes_it_fail(monkeypatch, tmp_path):
    """An unmanaged model not declared as derived data stops the export, naming it."""
    monkeypatch.setattr(derived, "DERIVED_MODELS", {})
    with pytest.raises(CommandError, match="articles.ArticleSearchEntry is not managed by Django"):
        export(tmp_path / "out")


def test_round_trip_keeps_every_field_of_every_model(settings, tmp_path, move_content_type_ids):
    """Export, empty the database, import: every row of every model comes back field by field, files too."""
    populate()
    before, files_before = snapshot(), media_files(settings.MEDIA_ROOT)
    for label in CONTENT_MODELS:
        assert before[label], f"populate() makes no {label}, so the round trip would not prove it"
    manifest = export(tmp_path / "out")

    empty_the_newsroom(settings)
    move_content_type_ids()
    output = run_import(tmp_path / "out")

    assert snapshot() == before
    assert media_files(settings.MEDIA_ROOT) == files_before
    assert {entry["model"]: entry["count"] for entry in manifest["models"]} == {
        label: len(rows) for label, rows in before.items()
    }
    assert re.search(rf"articles.article +{len(before['articles.article'])}\n", output)
    assert "Imported" in output


def test_after_an_import_search_finds_articles_and_new_rows_get_new_ids(settings, tmp_path):
    """The search index is rebuilt from the imported articles, and ids continue after the imported ones."""
    populate()
    export(tmp_path / "out")
    empty_the_newsroom(settings)
    run_import(tmp_path / "out")
    assert search_index.index_is_complete()
    highest = Section.objects.order_by("-pk").first().pk
    assert Section.objects.create(name="New desk", slug="new-desk").pk > highest


def test_import_into_a_database_that_holds_a_newsroom_is_refused(tmp_path):
    """Importing over existing articles is refused, saying what is there, and changes nothing."""
    populate()
    export(tmp_path / "out")
    before = snapshot()
    with pytest.raises(CommandError, match=r"already holds a newsroom: .*articles \(articles.article\)"):
        run_import(tmp_path / "out")
    assert snapshot() == before


def test_export_into_a_folder_that_holds_files_is_refused(tmp_path):
    """The export never writes into a folder that already holds something."""
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("keep me")
    with pytest.raises(CommandError, match="not an empty folder"):
        export(tmp_path / "out")
    assert (tmp_path / "out" / "notes.txt").read_text() == "keep me"


@pytest.fixture
def emptied_export(settings, tmp_path):
    """An export of the populated newsroom, and the database emptied again, ready to import."""
    populate(demo_images=False)
    export(tmp_path / "out")
    empty_the_newsroom(settings)
    return tmp_path / "out"


def _break_article_line(text):
    lines = text.splitlines(keepends=True)
    lines[-1] = lines[-1][:40] + "\n"
    return "".join(lines)


def _drop_last_line(text):
    return "".join(text.splitlines(keepends=True)[:-1])


def _first_media_file(folder):
    manifest = json.loads((folder / "manifest.json").read_text())
    return next(e["path"] for e in manifest["files"] if e["path"].startswith("media/"))


CORRUPTIONS = {
    "no manifest": (lambda f: (f / "manifest.json").unlink(), "has no manifest.json"),
    "missing data file": (
        lambda f: (f / "data/articles.correction.jsonl").unlink(),
        "data/articles.correction.jsonl is listed in the manifest but missing",
    ),
    "missing media file": (
        lambda f: (f / _first_media_file(f)).unlink(),
        "listed in the manifest but missing",
    ),
    "checksum mismatch": (
        lambda f: (f / "data/articles.article.jsonl").write_text(
            (f / "data/articles.article.jsonl").read_text().replace("Tides rise", "Tides fall")
        ),
        "data/articles.article.jsonl is not the file the export wrote",
    ),
    "bad JSON line": (
        lambda f: rewrite(f, "data/articles.articleslughistory.jsonl", _break_article_line),
        r"data/articles.articleslughistory.jsonl, line 1: not valid JSON",
    ),
    "fewer rows than the manifest": (
        lambda f: rewrite(f, "data/articles.auditevent.jsonl", _drop_last_line),
        "holds 1 rows where the manifest says 2",
    ),
    "wrong format version": (
        lambda f: (f / "manifest.json").write_text(
            (f / "manifest.json").read_text().replace('"format_version": 1', '"format_version": 2')
        ),
        "format version 2.*reads format version 1 only",
    ),
    "value that does not fit": (
        lambda f: rewrite(
            f,
            "data/articles.correction.jsonl",
            lambda t: t.replace('"created_at":"', '"created_at":"not a date'),
        ),
        "data/articles.correction.jsonl, line 1: a value does not fit its field",
    ),
    "row the database refuses": (
        lambda f: rewrite(f, "data/taggit.tag.jsonl", lambda t: t.splitlines(keepends=True)[0] + t),
        r"data/taggit.tag.jsonl, lines 1–\d+: the database refused these rows",
    ),
    "manifest entry without a checksum": (
        lambda f: (f / "manifest.json").write_text(
            (f / "manifest.json").read_text().replace('"sha256":', '"sha":', 1)
        ),
        r"entry 1 of “files” must hold path, size, sha256",
    ),
    "file outside the folder": (
        lambda f: (f / "manifest.json").write_text(
            (f / "manifest.json").read_text().replace('"path": "media/', '"path": "../media/', 1)
        ),
        "names a file outside the export folder",
    ),
}


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_a_damaged_export_is_refused_and_writes_nothing(settings, emptied_export, corruption):
    """A missing file, a bad line, a wrong version or checksum: refused with the reason, nothing written."""
    damage, message = CORRUPTIONS[corruption]
    damage(emptied_export)
    with pytest.raises(CommandError, match=message):
        run_import(emptied_export)
    assert not Article.objects.exists() and not Section.objects.exists()
    assert media_files(settings.MEDIA_ROOT) == {}


def test_an_export_edited_to_carry_a_script_is_imported_without_it(settings, emptied_export):
    """Rows go in as exported, except what no save would store: a forged body loses its script."""
    rewrite(
        emptied_export,
        "data/articles.article.jsonl",
        lambda t: t.replace(
            "<p>Water &amp; wind", '<script>alert(1)</script><p onclick=\\"x()\\">Water &amp; wind'
        ),
    )
    output = run_import(emptied_export)
    article = Article.objects.get(title__startswith="Tides rise")
    assert article.body.startswith("<p>Water &amp; wind at 3 &lt; 4.</p>")
    assert "script" not in article.body and "onclick" not in article.body
    assert "1 of its rows held markup or characters that a save does not keep" in output


def test_a_media_file_that_would_overwrite_another_is_refused(settings, emptied_export):
    """An import never replaces a different file already in the media storage."""
    relative = _first_media_file(emptied_export)
    clash = Path(settings.MEDIA_ROOT) / relative.removeprefix("media/")
    clash.parent.mkdir(parents=True)
    clash.write_bytes(b"another picture")
    with pytest.raises(CommandError, match="already holds another file named"):
        run_import(emptied_export)
    assert clash.read_bytes() == b"another picture"
    assert not Article.objects.exists()


def test_a_missing_media_file_is_exported_as_a_reference_with_a_warning(settings, tmp_path):
    """A file already lost from the storage does not stop the export; it is named in the manifest."""
    populate()
    image = Article.objects.exclude(lead_image=None).first().lead_image
    (Path(settings.MEDIA_ROOT) / image.file.name).unlink()
    errors = _Quiet()
    call_command("export_newsroom", str(tmp_path / "out"), stdout=_Quiet(), stderr=errors)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["missing_media"] == [
        {"model": "images.image", "pk": image.pk, "field": "images.image.file", "name": image.file.name}
    ]
    assert f"names {image.file.name}, which is not in the media storage" in errors.text
