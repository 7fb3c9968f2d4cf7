"""Where library images are used, and what deleting one must respect.

The library knows nothing of what shows its images: each app that does (articles: lead
images, author photos, figures in bodies) registers a *finder* in its ``AppConfig.ready()``.
The admin's "Used in" list and its refusal to delete an image in use ask here, and so does
the guard that stops any other code from deleting one.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models.deletion import ProtectedError

_finders = []


@dataclass(frozen=True)
class Use:
    """One place that shows an image: ``role`` there ("lead image", "figure in the body",
    "photo"), the row ``shown_by`` (an article, an author), and an editor's ``note`` on that
    row ("Draft", "in the trash") or ""."""

    role: str
    shown_by: models.Model
    note: str = ""
    # Whether readers see it there now (a published article, an author's page).
    public: bool = True


def register_finder(finder):
    """``finder(image_ids)`` yields ``(image_id, Use)`` for every use of those images it knows."""
    if finder not in _finders:
        _finders.append(finder)


def uses_of_images(images):
    """{image pk: [Use, ...]} for those of ``images`` (Images or numbers) used anywhere; a fixed
    number of queries per finder, whatever the number of images."""
    ids = {getattr(image, "pk", image) for image in images}
    uses = defaultdict(list)
    if ids:
        for finder in _finders:
            for image_id, use in finder(ids):
                uses[image_id].append(use)
    return dict(uses)


def shown_to_readers(image):
    """Whether any page readers can see now shows ``image``."""
    return any(use.public for use in uses_of(image))


def uses_of(image):
    """Every place ``image`` is shown, in the finders' order ([] when it is unused)."""
    return uses_of_images([image]).get(image.pk, [])


def delete_files_with_image(image):
    """After the deletion commits, remove the image's rendition files and its original (unless
    another library row names the same stored file, as an import may)."""
    files = [rendition.file for rendition in image.renditions.exclude(file="").only("file")]
    if image.file and not type(image).objects.filter(file=image.file.name).exclude(pk=image.pk).exists():
        files.append(image.file)
    names = [(file.storage, file.name) for file in files]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def before_deleting_an_image(sender, instance, **kwargs):
    """A ``pre_delete`` receiver: an image still shown somewhere is never deleted (lead images
    and photos are protected by their foreign keys; figures in bodies only by this)."""
    uses = uses_of(instance)
    if uses:
        raise ProtectedError(
            f"The image “{instance}” is in use ({len(uses)} place{'s' if len(uses) != 1 else ''}) "
            "and cannot be deleted.",
            {use.shown_by for use in uses},
        )
    delete_files_with_image(instance)
