"""The old lead image and photo columns go: step 3 of 3 (see 0015)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_images_into_the_library")]

    operations = [
        migrations.RemoveField("article", "legacy_lead_image"),
        migrations.RemoveField("article", "lead_image_width"),
        migrations.RemoveField("article", "lead_image_height"),
        migrations.RemoveField("article", "lead_image_alt"),
        migrations.RemoveField("article", "lead_image_caption"),
        migrations.RemoveField("article", "lead_image_credit"),
        migrations.RemoveField("author", "legacy_photo"),
    ]
