"""Every lead image and author photo becomes a library image: step 2 of 3 (see 0015).

The files stay where they are in storage (the library image names the same file); one
library image per file, shared by the articles that used the same one. Alt text,
caption and credit come along. A file missing from storage keeps its name, so nothing
an editor can still recover is forgotten; it is measured as 0 x 0 and shown nowhere.
"""

from django.db import migrations

from articles.editorial.roles import sync_groups
from images.files import inspect_image


def _measure(image, storage):
    try:
        with storage.open(image.file.name, "rb") as fileobj:
            facts = inspect_image(fileobj, name=image.file.name)
    except Exception:  # missing, damaged or refused today: keep the row, show it nowhere
        return
    image.width, image.height, image.has_alpha = facts.width, facts.height, facts.has_alpha
    image.content_hash = facts.content_hash


def forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Author = apps.get_model("articles", "Author")
    Image = apps.get_model("images", "Image")
    by_name = {}

    storage = Image._meta.get_field("file").storage

    def library_image(name, alt="", caption="", credit=""):
        if name not in by_name:
            image = Image(file=name, alt=alt, caption=caption, credit=credit)
            _measure(image, storage)
            image.save()
            by_name[name] = image
        return by_name[name]

    # Values, not instances: loading an old ImageField row could open its file.
    articles = (
        Article.objects.exclude(legacy_lead_image="")
        .exclude(legacy_lead_image__isnull=True)
        .order_by("pk")
        .values_list("pk", "legacy_lead_image", "lead_image_alt", "lead_image_caption", "lead_image_credit")
    )
    for pk, name, alt, caption, credit in articles.iterator(chunk_size=500):
        Article.objects.filter(pk=pk).update(lead_image=library_image(name, alt, caption, credit))
    authors = (
        Author.objects.exclude(legacy_photo="")
        .exclude(legacy_photo__isnull=True)
        .order_by("pk")
        .values_list("pk", "legacy_photo", "name")
    )
    for pk, name, author_name in authors:
        Author.objects.filter(pk=pk).update(photo=library_image(name, alt=f"Portrait of {author_name}"))


def library_permissions(apps, schema_editor):
    """Writers and Editors may use the library (articles/editorial/roles.py)."""
    sync_groups(apps)


def backwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Author = apps.get_model("articles", "Author")
    for article in Article.objects.exclude(lead_image=None).select_related("lead_image"):
        image = article.lead_image
        Article.objects.filter(pk=article.pk).update(
            legacy_lead_image=image.file.name,
            lead_image_width=image.width or None,
            lead_image_height=image.height or None,
            lead_image_alt=image.alt[:250],
            lead_image_caption=image.caption[:300],
            lead_image_credit=image.credit[:120],
        )
    for author in Author.objects.exclude(photo=None).select_related("photo"):
        Author.objects.filter(pk=author.pk).update(legacy_photo=author.photo.file.name)


class Migration(migrations.Migration):
    dependencies = [("articles", "0015_image_library_fields")]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.RunPython(library_permissions, migrations.RunPython.noop),
    ]
