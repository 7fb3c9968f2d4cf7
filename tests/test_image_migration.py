"""Migrations 0015-0017: lead images and author photos move into the image library without loss."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article, Author
from images.models import Image
from tests.factories import image_bytes

BEFORE = [("articles", "0014_audit_imported")]
AFTER = [("articles", "0017_remove_old_image_columns")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_lead_images_and_photos_move_into_the_library_and_back():
    """Every file, alt text, caption and credit arrives; a shared file is one library image; a lost
    file keeps its name; going back restores the old columns."""
    old = migrate(BEFORE)
    Section, OldArticle, OldAuthor = (
        old.get_model("articles", name) for name in ("Section", "Article", "Author")
    )
    tide = default_storage.save("lead-images/2025/01/tide.png", ContentFile(image_bytes((300, 200))))
    face = default_storage.save("authors/ann.png", ContentFile(image_bytes((90, 120))))
    section = Section.objects.create(name="City", slug="city")

    def article(slug, **image):
        return OldArticle.objects.create(title=slug, slug=slug, section=section, status="published", **image)

    described = {
        "lead_image": tide,
        "lead_image_alt": "Waves on the sea wall",
        "lead_image_caption": "High water at noon.",
        "lead_image_credit": "Photo: Jane Doe",
        "lead_image_width": 300,
        "lead_image_height": 200,
    }
    first, second = article("first", **described), article("second", **described)
    lost = article(
        "lost",
        lead_image="lead-images/2025/01/gone.jpg",
        lead_image_alt="A lost picture",
        lead_image_width=8,
        lead_image_height=8,
    )
    plain = article("plain")
    ann = OldAuthor.objects.create(name="Ann Lee", slug="ann-lee", photo=face)

    migrate(AFTER)

    moved = Article.objects.select_related("lead_image").get(pk=first.pk)
    image = moved.lead_image
    assert (image.file.name, image.alt, image.caption, image.credit) == (
        tide, "Waves on the sea wall", "High water at noon.", "Photo: Jane Doe",
    )  # fmt: skip
    assert (image.width, image.height, image.can_render) == (300, 200, True)
    assert Article.objects.get(pk=second.pk).lead_image_id == image.pk  # one file, one library image
    gone = Article.objects.get(pk=lost.pk).lead_image
    assert (gone.file.name, gone.alt, gone.can_render) == (
        "lead-images/2025/01/gone.jpg",
        "A lost picture",
        False,
    )
    assert Article.objects.get(pk=plain.pk).lead_image is None
    photo = Author.objects.get(pk=ann.pk).photo
    assert (photo.file.name, photo.alt, photo.width, photo.height) == (face, "Portrait of Ann Lee", 90, 120)
    assert Image.objects.count() == 3

    old = migrate(BEFORE)
    back = old.get_model("articles", "Article").objects.get(pk=first.pk)
    assert (back.lead_image.name, back.lead_image_alt, back.lead_image_credit) == (
        tide, "Waves on the sea wall", "Photo: Jane Doe",
    )  # fmt: skip
    assert old.get_model("articles", "Author").objects.get(pk=ann.pk).photo.name == face
    migrate(AFTER)
