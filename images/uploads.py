"""Several images uploaded at once, each with its own alt text: all are kept, or none.

The upload page (``ImageAdmin.upload_view``) sends the files in one ``files`` field and,
in the same order, one ``alt``, ``caption`` and ``credit`` per file (static/js/image-upload.js
adds those inputs as the files are picked). Every file goes through the library's own
checks (``Image.full_clean()``: size, format, SVG, damage, too many pixels); if any file
or description is refused, nothing is saved and each refusal is shown beside its file.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Image

# More than this in one go is more than an editor can describe carefully, and more than
# one request should carry; Django's DATA_UPLOAD_MAX_NUMBER_FILES (100) bounds it too.
MAX_FILES = 30


@dataclass
class UploadEntry:
    """One picked file, what the editor wrote about it, and what was wrong with it."""

    name: str
    alt: str = ""
    caption: str = ""
    credit: str = ""
    errors: list = field(default_factory=list)
    image: Image | None = None


class ImageBatch:
    """The files and descriptions of one upload form, checked together and saved together."""

    def __init__(self, files, data, *, uploaded_by):
        self.files = list(files)
        self.data = data
        self.uploaded_by = uploaded_by
        self.errors = []  # about the whole batch
        self.entries = []

    def _texts(self, name):
        values = self.data.getlist(name)
        return [value.strip() for value in values] + [""] * (len(self.files) - len(values))

    def is_valid(self):
        if not self.files:
            self.errors.append("Pick at least one image file.")
            return False
        if len(self.files) > MAX_FILES:
            self.errors.append(f"Upload at most {MAX_FILES} images at a time; you picked {len(self.files)}.")
            return False
        for upload, alt, caption, credit in zip(
            self.files, self._texts("alt"), self._texts("caption"), self._texts("credit"), strict=False
        ):
            entry = UploadEntry(upload.name or "(no name)", alt, caption, credit)
            image = Image(file=upload, alt=alt, caption=caption, credit=credit, uploaded_by=self.uploaded_by)
            if not alt:
                entry.errors.append("Alt text: describe the picture for readers who cannot see it.")
            try:
                image.full_clean(exclude=[] if alt else ["alt"])
            except ValidationError as error:
                entry.errors.extend(_messages(error))
            if not entry.errors:
                entry.image = image
            self.entries.append(entry)
        return not any(entry.errors for entry in self.entries)

    def save(self):
        """Save every checked image (call ``is_valid()`` first): all of them, or none on a failure."""
        with transaction.atomic():
            for entry in self.entries:
                entry.image.save()
        return [entry.image for entry in self.entries]

    def previous_values(self):
        """What the editor typed, by file name, for the form shown again after a refusal."""
        return {entry.name: {"alt": entry.alt, "caption": entry.caption, "credit": entry.credit}
                for entry in self.entries}  # fmt: skip


FIELD_NAMES = {"file": "", "alt": "Alt text: ", "caption": "Caption: ", "credit": "Credit: "}


def _messages(error):
    """The messages of a model ValidationError, each with the field it is about: “Caption: …”."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    messages = []
    for name, errors in error.message_dict.items():
        messages.extend(FIELD_NAMES.get(name, "") + message for message in errors)
    return messages
