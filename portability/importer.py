"""
Reading an export folder into an empty, migrated database, in one transaction.

Everything is checked before anything is written: the manifest, every file's size
and SHA-256, that the export's models and fields are this Newsroom's, that the
database holds no newsroom yet, and that no media file would overwrite another.
Rows then go in with their original ids; a bad line or a row the database refuses
rolls everything back and deletes the media files copied so far.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

from . import derived, format, registry

PROGRESS_EVERY = 50_000
INSERT_BATCH = 2000


class ImportRefused(Exception):
    """The import would not be faithful or would overwrite something; the message says why."""


@dataclass
class ImportSummary:
    counts: dict = field(default_factory=dict)  # model label -> rows
    media_files: int = 0
    media_bytes: int = 0
    media_already_there: int = 0


def import_newsroom(folder, *, log=lambda message: None):
    """Load the export in ``folder`` into this (empty) database and its media storage."""
    folder = Path(folder)
    manifest = format.read_manifest(folder)
    plans = registry.export_plan()
    entries = _match_models(manifest, plans, log)
    media = _media_entries(manifest, plans)
    _verify_files(folder, manifest, log)
    if pending := registry.unapplied_migrations(connection):
        raise ImportRefused(
            f"The database is not migrated ({len(pending)} migrations not applied, e.g. {pending[0]}): "
            "run `python manage.py migrate` first, then import."
        )
    _refuse_unless_empty(plans)
    to_copy = _refuse_media_clashes(folder, media)
    summary = ImportSummary(media_already_there=len(media) - len(to_copy))
    written = []
    try:
        with transaction.atomic():
            keys = {}  # model -> {natural key: id in this database}, for rows matched by natural key
            for number, plan in enumerate(plans, start=1):
                log(f"[{number}/{len(plans)}] {plan.label}")
                entry = entries.get(plan.label)
                summary.counts[plan.label] = _read_model(folder, plan, entry, keys, log) if entry else 0
            _reset_sequences(plans)
            derived.rebuild(log)
            _copy_media(folder, to_copy, written, summary, log)
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    return summary


def _match_models(manifest, plans, log):
    """The manifest's entry of each model, once sure that both sides hold the same fields."""
    plans_by_label = {plan.label: plan for plan in plans}
    entries = {}
    for entry in manifest["models"]:
        label = entry.get("model")
        plan = plans_by_label.get(label)
        if plan is None:
            raise ImportRefused(
                f"The export holds {label}, which this Newsroom does not have (an app missing, or a different "
                "version). Import it into the Newsroom version that made it, then upgrade."
            )
        expected_key = "natural" if plan.by_natural_key else "id"
        if entry.get("fields") != plan.field_names() or entry.get("key") != expected_key:
            theirs, ours = set(entry.get("fields") or []), set(plan.field_names())
            raise ImportRefused(
                f"{label} differs between the export (Newsroom {manifest.get('newsroom_version')}) and this "
                f"Newsroom: only in the export: {sorted(theirs - ours) or 'nothing'}; only here: "
                f"{sorted(ours - theirs) or 'nothing'}. Import into the version that made the export, then "
                "upgrade."
            )
        entries[label] = entry
    for label in plans_by_label.keys() - entries.keys():
        log(f"  note: the export has no {label} (made before that model existed); it stays empty.")
    return entries


def _media_entries(manifest, plans):
    """(file entry, storage) for every media file, the storage being the one of the field that named it."""
    storages = {f"{plan.label}.{ff.name}": ff.storage for plan in plans for ff in plan.file_fields}
    media = []
    for entry in manifest["files"]:
        if not entry.get("path", "").startswith(format.MEDIA_DIR + "/"):
            continue
        storage = storages.get(entry.get("field"))
        if storage is None or not entry.get("storage_name"):
            raise format.FormatError(
                f"The manifest's entry for {entry.get('path')} names no file field of a model."
            )
        media.append((entry, storage))
    return media


def _verify_files(folder, manifest, log):
    """Every listed file is there, with its size and SHA-256; data files not listed are refused."""
    listed = set()
    log(f"Checking {len(manifest['files']):,} files…")
    for entry in manifest["files"]:
        relative = entry.get("path", "")
        path = format.member_path(folder, relative)
        listed.add(path.resolve())
        if not path.is_file():
            raise format.FormatError(f"{relative} is listed in the manifest but missing from the folder.")
        if path.stat().st_size != entry.get("size") or format.file_digest(path) != entry.get("sha256"):
            raise format.FormatError(
                f"{relative} is not the file the export wrote (its size or SHA-256 checksum differs): "
                "the copy is damaged or was edited."
            )
    for entry in manifest["models"]:
        if format.member_path(folder, entry.get("file", "")).resolve() not in listed:
            raise format.FormatError(f"The manifest gives no checksum for {entry.get('file')}.")
    for path in (folder / "data").glob("*"):
        if path.resolve() not in listed:
            raise format.FormatError(
                f"data/{path.name} is not in the manifest: the folder was changed after export."
            )


def _refuse_unless_empty(plans):
    """Only content types, permissions and groups may exist: what `migrate` creates."""
    found = []
    for plan in plans:
        if plan.by_natural_key:
            continue
        count = plan.model._base_manager.count()
        if count:
            found.append(f"{count:,} {plan.model._meta.verbose_name_plural} ({plan.label})")
    if found:
        raise ImportRefused(
            f"This database already holds a newsroom: {', '.join(found)}. An import only goes into an "
            "empty database: create a new one, run `python manage.py migrate`, then import."
        )


def _refuse_media_clashes(folder, media):
    """The media files still to copy; refuses when the storage holds another file under the same name."""
    to_copy = []
    for entry, storage in media:
        name = entry["storage_name"]
        if not storage.exists(name):
            to_copy.append((entry, storage))
            continue
        with storage.open(name, "rb") as existing:
            digest = hashlib.sha256()
            for chunk in existing.chunks():
                digest.update(chunk)
        if digest.hexdigest() != entry["sha256"]:
            raise ImportRefused(
                f"The media storage already holds another file named {name}; the import would overwrite "
                "it. Import into an empty media storage."
            )
    return to_copy


def _rows(folder, plan, entry):
    """(line number, row) for each line of a model's file, each checked to hold exactly its fields."""
    expected = set(plan.field_names())
    with open(format.member_path(folder, entry["file"]), encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                row = json.loads(line)
            except ValueError as error:
                raise format.FormatError(
                    f"{entry['file']}, line {number}: not valid JSON ({error})."
                ) from error
            if not isinstance(row, dict) or row.keys() != expected:
                raise format.FormatError(
                    f"{entry['file']}, line {number}: not a {plan.label} row (it must hold exactly the "
                    f"fields {', '.join(sorted(expected))})."
                )
            yield number, row


class _BadValue(Exception):
    """A value that does not fit its field; _read_model adds where it was."""


def _decoder(model_field, keys):
    """A function from a field's exported value to the value it has in this database."""
    target = model_field.related_model._meta.concrete_model if model_field.is_relation else None
    if target not in keys:
        return lambda value: format.decode(model_field, value)
    found = keys[target]

    def to_id(value):
        if value is None:
            return None
        try:
            return found[tuple(value)]
        except (KeyError, TypeError):
            raise _BadValue(
                f"it points to the {target._meta.verbose_name} {value!r}, which the export does not hold"
            ) from None

    return to_id


def _read_model(folder, plan, entry, keys, log):
    if plan.by_natural_key:
        keys[plan.model] = {}
    columns = [(model_field, model_field.name, _decoder(model_field, keys)) for model_field in plan.fields]
    link_columns = [(m2m, _decoder(m2m, keys)) for m2m in plan.many_to_many]
    # Rows go in without save(), so they get here what a save would do to them (a sanitized body).
    cleaners = {
        model_field: clean
        for model_field in plan.fields
        if (clean := getattr(plan.model, "CLEANED_ON_SAVE", {}).get(model_field.name))
    }
    cleaned = 0
    count = 0
    pending = []
    for number, row in _rows(folder, plan, entry):
        try:
            values = {model_field: decode(row[name]) for model_field, name, decode in columns}
            links = {m2m: [decode(target) for target in row[m2m.name]] for m2m, decode in link_columns}
        except (_BadValue, ValidationError, ValueError, TypeError) as error:
            message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            raise format.FormatError(
                f"{entry['file']}, line {number}: a value does not fit its field ({message})."
            ) from error
        changed = False
        for model_field, clean in cleaners.items():
            if values[model_field] and (kept := clean(values[model_field])) != values[model_field]:
                values[model_field], changed = kept, True
        cleaned += changed
        if plan.by_natural_key:
            _match_natural(plan, values, links, keys[plan.model])
        else:
            pending.append((number, values, links))
            if len(pending) == INSERT_BATCH:
                _insert(plan, entry, pending)
                pending = []
        count += 1
        if count % PROGRESS_EVERY == 0:
            log(f"  {count:,} rows…")
    _insert(plan, entry, pending)
    if cleaned:
        log(
            f"  {cleaned:,} of its rows held markup or characters that a save does not keep (a script, say): "
            "stored as a save would have cleaned them."
        )
    if count != entry.get("count"):
        raise format.FormatError(
            f"{entry['file']} holds {count:,} rows where the manifest says {entry.get('count')}: "
            "the export is incomplete."
        )
    return count


def _match_natural(plan, values, links, found):
    """A content type, permission or group: the one of this database with the same natural key, or a new one.

    A group's permissions become the export's.
    """
    candidate = plan.model(**{model_field.attname: value for model_field, value in values.items()})
    natural_key = tuple(candidate.natural_key())
    try:
        obj = plan.model._default_manager.get_by_natural_key(*natural_key)
    except plan.model.DoesNotExist:
        candidate.save()
        obj = candidate
    for m2m, targets in links.items():
        getattr(obj, m2m.name).set(targets)
    found[natural_key] = obj.pk


def _insert(plan, entry, pending):
    """Insert rows as they are, with their ids: no save(), so no signal, no auto_now and no re-sanitizing."""
    if not pending:
        return
    columns = [model_field.column for model_field in plan.fields]
    rows = [
        [model_field.get_db_prep_save(value, connection) for model_field, value in values.items()]
        for _number, values, _links in pending
    ]
    statements = [(plan.model._meta.db_table, columns, rows)]
    for m2m in plan.many_to_many:
        pairs = [
            [values[plan.model._meta.pk], target]
            for _number, values, links in pending
            for target in links[m2m]
        ]
        statements.append((m2m.m2m_db_table(), [m2m.m2m_column_name(), m2m.m2m_reverse_name()], pairs))
    try:
        with connection.cursor() as cursor, connection.wrap_database_errors:
            for table, table_columns, table_rows in statements:
                if table_rows:
                    _write_rows(cursor, table, table_columns, table_rows)
    except DatabaseError as error:
        raise ImportRefused(
            f"{entry['file']}, lines {pending[0][0]}–{pending[-1][0]}: the database refused these rows "
            f"({error})."
        ) from error


def _write_rows(cursor, table, columns, rows):
    """COPY on PostgreSQL (several times faster than INSERTs), executemany elsewhere."""
    quote = connection.ops.quote_name
    column_list = ", ".join(map(quote, columns))
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {quote(table)} ({column_list}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {quote(table)} ({column_list}) VALUES ({placeholders})", rows)


def _reset_sequences(plans):
    """Make new rows get ids after the imported ones (PostgreSQL's sequences; SQLite needs nothing)."""
    models = [plan.model for plan in plans]
    models += [m2m.remote_field.through for plan in plans for m2m in plan.many_to_many]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _copy_media(folder, to_copy, written, summary, log):
    if to_copy:
        log(f"Copying {len(to_copy):,} media files…")
    for entry, storage in to_copy:
        name = entry["storage_name"]
        with open(format.member_path(folder, entry["path"]), "rb") as source:
            saved = storage.save(name, File(source, name=name))
        written.append((storage, saved))
        if saved != name:
            raise ImportRefused(f"The media storage saved {name} as {saved}; the import is undone.")
        summary.media_files += 1
        summary.media_bytes += entry["size"]
