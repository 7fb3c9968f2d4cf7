"""
The export format, version 1: the rules both commands follow (docs/export-format.md
explains it for people).

    OUT/manifest.json              what the folder holds, written last
    OUT/data/<app>.<model>.jsonl   one JSON object per row, in primary key order
    OUT/media/<storage name>       every file a FileField or ImageField names

A row's keys are the model's field names. Foreign keys hold the original primary
key of the row they point to, except keys to content types, permissions and groups,
which hold the natural key ([app_label, model], [codename, app_label, model],
[name]). Many-to-many fields without a through model of their own are lists of
those keys.
"""

import base64
import datetime
import decimal
import hashlib
import json
import uuid
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.db import models
from django.utils.duration import duration_iso_string

FORMAT_NAME = "newsroom-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"


class FormatError(Exception):
    """The folder is not an intact export that this Newsroom can read; the message says why."""


def newsroom_version():
    try:
        return metadata.version("newsroom")
    except metadata.PackageNotFoundError:
        return "unknown"


def encode(field, value):
    """A column's value as JSON can hold it (dates as ISO 8601 strings, bytes as base64)."""
    if value is None:
        return None
    if isinstance(field, models.BinaryField):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(field, models.JSONField):
        return value
    if isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        # Full precision: DjangoJSONEncoder would cut times to milliseconds.
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(f"{field.model._meta.label}.{field.name}: no JSON form for a {type(value).__name__}")


def decode(field, value):
    """The Python value of ``field`` for what ``encode`` wrote."""
    if value is None:
        return None
    if isinstance(field, models.BinaryField):
        return base64.b64decode(value)
    if isinstance(field, models.JSONField):
        return value
    if field.is_relation:
        field = field.target_field
    return field.to_python(value)


def dump_line(row):
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


class HashingWriter:
    """A file written once, front to back, whose size and SHA-256 are known when it closes."""

    def __init__(self, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(path, "wb")  # noqa: SIM115 (closed by close())
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        self._file.write(data)
        self._hash.update(data)
        self.size += len(data)

    def close(self):
        self._file.close()
        return self._hash.hexdigest()


def file_digest(path, chunk_size=1 << 20):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def member_path(folder, relative):
    """The file of the export named ``relative`` in the manifest; refuses names that leave the folder."""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts or "\\" in relative:
        raise FormatError(f"The manifest names a file outside the export folder: “{relative}”.")
    return Path(folder).joinpath(*parts)


def media_path(storage_name):
    return f"{MEDIA_DIR}/{storage_name}"


def read_manifest(folder):
    """The manifest of the export in ``folder``, checked for the parts every reader relies on."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FormatError(f"{folder} is not a folder; give the folder that export_newsroom wrote.")
    path = folder / MANIFEST
    if not path.is_file():
        raise FormatError(
            f"{folder} has no {MANIFEST}: it is not an export, or the export did not finish "
            "(the manifest is written last)."
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise FormatError(f"{MANIFEST} is not valid JSON ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise FormatError(f"{MANIFEST} does not describe a Newsroom export (no “format”: “{FORMAT_NAME}”).")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise FormatError(
            f"This export is in format version {version!r}, made by Newsroom {manifest.get('newsroom_version')}; "
            f"this Newsroom reads format version {FORMAT_VERSION} only."
        )
    for key, required in (("models", MODEL_ENTRY), ("files", FILE_ENTRY)):
        entries = manifest.get(key)
        if not isinstance(entries, list):
            raise FormatError(f"{MANIFEST} has no “{key}” list.")
        for number, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict) or any(
                not isinstance(entry.get(name), kind) for name, kind in required.items()
            ):
                raise FormatError(
                    f"{MANIFEST}: entry {number} of “{key}” must hold {', '.join(required)} ({entry!r:.200})."
                )
    return manifest


# What each entry of the manifest's lists must hold, and of which JSON type.
MODEL_ENTRY = {"model": str, "file": str, "key": str, "count": int, "fields": list}
FILE_ENTRY = {"path": str, "size": int, "sha256": str}
