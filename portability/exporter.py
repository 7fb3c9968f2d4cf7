"""Writing the whole newsroom to an export folder (the format: format.py, docs/export-format.md)."""

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from . import derived, format, registry

PROGRESS_EVERY = 50_000


class ExportRefused(Exception):
    """The export cannot start; the message says why."""


@dataclass
class ExportSummary:
    folder: Path
    counts: dict = field(default_factory=dict)  # model label -> rows
    media_files: int = 0
    media_bytes: int = 0
    missing_media: list = field(default_factory=list)


def export_newsroom(folder, *, log=lambda message: None, chunk_size=2000):
    """Write every exported model's rows and every media file to ``folder`` (new or empty)."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ExportRefused(f"{folder} already exists and is not an empty folder; give a new folder.")
    plans = registry.export_plan()
    if pending := registry.unapplied_migrations(connection):
        raise ExportRefused(
            f"The database is not up to date ({len(pending)} migrations not applied, e.g. {pending[0]}): "
            "run `python manage.py migrate` first."
        )
    # The export holds password hashes and e-mail addresses: readable by its owner only.
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    summary = ExportSummary(folder)
    files, models = [], []
    media = _MediaCopier(folder, files, summary)
    with _consistent_snapshot():
        natural_keys = {plan.model: _natural_keys(plan.model) for plan in plans if plan.by_natural_key}
        for number, plan in enumerate(plans, start=1):
            log(f"[{number}/{len(plans)}] {plan.label}")
            count, digest, size = _write_model(plan, folder, natural_keys, media, log, chunk_size)
            summary.counts[plan.label] = count
            files.append({"path": plan.file, "size": size, "sha256": digest})
            models.append(
                {
                    "model": plan.label,
                    "file": plan.file,
                    "key": "natural" if plan.by_natural_key else "id",
                    "count": count,
                    "fields": plan.field_names(),
                }
            )
    manifest = {
        "format": format.FORMAT_NAME,
        "format_version": format.FORMAT_VERSION,
        "newsroom_version": format.newsroom_version(),
        "created_at": timezone.now().isoformat(),
        "source_database": connection.vendor,
        "models": models,
        "files": files,
        "missing_media": summary.missing_media,
        "left_out": {**registry.LEFT_OUT_APPS, **_derived_note()},
    }
    # Written last: a folder without a manifest is an export that did not finish.
    (folder / format.MANIFEST).write_text(
        json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    return summary


def _derived_note():
    return {**derived.DERIVED_MODELS, "search vectors": "rebuilt after the import"}


@contextlib.contextmanager
def _consistent_snapshot():
    """On PostgreSQL, every table read as of one moment while the site keeps running.

    SQLite gets no wrapping transaction: Newsroom opens its transactions IMMEDIATE,
    which would stop editors from saving for the length of the export (see the docs).
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield  # (inside a caller's transaction, its snapshot applies)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _natural_keys(model):
    return {obj.pk: list(obj.natural_key()) for obj in model._base_manager.order_by("pk")}


def _key_encoder(model_field, natural_keys):
    """How a value pointing to another row is written: that row's natural key, or its id as is."""
    target = model_field.related_model._meta.concrete_model
    if target in natural_keys:
        keys = natural_keys[target]
        return lambda value: None if value is None else keys[value]
    return lambda value: format.encode(model_field.target_field, value)


def _column_encoders(plan, natural_keys):
    return [
        _key_encoder(model_field, natural_keys)
        if model_field.is_relation
        else (lambda value, model_field=model_field: format.encode(model_field, value))
        for model_field in plan.fields
    ]


def _batches(plan, chunk_size):
    """Rows as tuples (pk, then the plan's fields), a chunk at a time, in primary key order.

    Keyset pagination: each chunk starts after the last primary key read, so memory
    stays flat and no cursor is held open between chunks.
    """
    rows = plan.model._base_manager.order_by("pk").values_list(
        "pk", *(model_field.attname for model_field in plan.fields)
    )
    last = None
    while True:
        chunk = list((rows if last is None else rows.filter(pk__gt=last))[:chunk_size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1][0]


def _links(many_to_many, pks):
    """{source pk: [target pk, ...]} for the rows ``pks`` of an inline many-to-many field."""
    through = many_to_many.remote_field.through
    source = through._meta.get_field(many_to_many.m2m_field_name()).attname
    target = through._meta.get_field(many_to_many.m2m_reverse_field_name()).attname
    links = {}
    pairs = through._base_manager.filter(**{f"{source}__in": pks}).order_by("pk").values_list(source, target)
    for source_pk, target_pk in pairs:
        links.setdefault(source_pk, []).append(target_pk)
    return links


def _write_model(plan, folder, natural_keys, media, log, chunk_size):
    encoders = _column_encoders(plan, natural_keys)
    names = [model_field.name for model_field in plan.fields]
    file_columns = [(plan.fields.index(model_field), model_field) for model_field in plan.file_fields]
    link_encoders = [(m2m, _key_encoder(m2m, natural_keys)) for m2m in plan.many_to_many]
    writer = format.HashingWriter(folder / plan.file)
    count = 0
    try:
        for chunk in _batches(plan, chunk_size):
            pks = [row[0] for row in chunk]
            links = [(m2m, encoder, _links(m2m, pks)) for m2m, encoder in link_encoders]
            for pk, *values in chunk:
                line = {
                    name: encode(value) for name, encode, value in zip(names, encoders, values, strict=True)
                }
                for m2m, encoder, found in links:
                    line[m2m.name] = [encoder(target) for target in found.get(pk, [])]
                for index, file_field in file_columns:
                    if values[index]:
                        media.copy(plan, file_field, pk, values[index])
                writer.write(format.dump_line(line))
                count += 1
                if count % PROGRESS_EVERY == 0:
                    log(f"  {count:,} rows…")
    finally:
        digest = writer.close()
    return count, digest, writer.size


class _MediaCopier:
    """Copies each file named by a FileField once, through that field's storage (local or S3)."""

    def __init__(self, folder, files, summary):
        self.folder, self.files, self.summary = folder, files, summary
        self.copied = set()

    def copy(self, plan, file_field, pk, name):
        if name in self.copied:
            return
        self.copied.add(name)
        where = f"{plan.label}.{file_field.name}"
        path = format.media_path(name)
        try:
            source = file_field.storage.open(name, "rb")
        except FileNotFoundError:
            # Already lost on this site: say so, and keep the reference as it is.
            self.summary.missing_media.append({"model": plan.label, "pk": pk, "field": where, "name": name})
            return
        writer = format.HashingWriter(format.member_path(self.folder, path))
        try:
            with source:
                for chunk in source.chunks():
                    writer.write(chunk)
        finally:
            digest = writer.close()
        self.files.append(
            {"path": path, "size": writer.size, "sha256": digest, "storage_name": name, "field": where}
        )
        self.summary.media_files += 1
        self.summary.media_bytes += writer.size
