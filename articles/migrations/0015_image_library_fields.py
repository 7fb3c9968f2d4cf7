"""Lead images and author photos move to the image library (images.Image): step 1 of 3.

The old file columns are renamed out of the way and the foreign keys added beside them;
0016 copies every file with its alt text, caption and credit into the library, 0017 drops
the old columns. Three migrations, so that PostgreSQL commits the copied rows before
their tables are altered again.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_audit_imported"),
        ("images", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("article", "lead_image", "legacy_lead_image"),
        migrations.RenameField("author", "photo", "legacy_photo"),
        migrations.AddField(
            model_name="article",
            name="lead_image",
            field=models.ForeignKey(
                blank=True,
                help_text="From the image library, with its alt text, caption and credit. Shown at the top of the article, on cards and when the article is shared.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lead_of_articles",
                to="images.image",
            ),
        ),
        migrations.AddField(
            model_name="author",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                help_text="A portrait from the image library, shown round beside the name.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="authors_pictured",
                to="images.image",
            ),
        ),
    ]
