"""
What an import remembers: which WordPress object became which Newsroom object, and the
old addresses that must keep answering.

The mapping makes an import idempotent (a second run finds every post it made) and
lets a newer export update exactly what changed.
"""

from django.db import models
from django.db.models import Q


class WordPressPost(models.Model):
    """A WordPress post or page and the article it became."""

    source = models.CharField(max_length=200, help_text="The export's site address (wp:base_site_url).")
    wp_id = models.PositiveBigIntegerField("WordPress post ID")
    post_type = models.CharField(max_length=40)
    article = models.OneToOneField(
        "articles.Article", on_delete=models.CASCADE, related_name="wordpress_post"
    )
    wp_modified_at = models.DateTimeField(null=True, blank=True)
    # A digest of everything the import wrote: equal on a rerun means nothing to do.
    content_digest = models.CharField(max_length=64)
    # The article's edit version right after the import; a higher one means an editor
    # changed it in Newsroom, and a newer export no longer overwrites it.
    article_version = models.PositiveIntegerField()
    original_title = models.TextField(
        blank=True, help_text="The full WordPress title, when it was shortened."
    )
    lead_image_reference = models.CharField(
        max_length=1000,
        blank=True,
        help_text="The WordPress featured image's URL, when its file was not imported.",
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "imported WordPress post"
        constraints = [models.UniqueConstraint(fields=["source", "wp_id"], name="wordpresspost_unique_id")]

    def __str__(self):
        return f"{self.post_type} {self.wp_id} → {self.article_id}"


class WordPressAttachment(models.Model):
    """An attachment of the export (an uploaded file) with its descriptions."""

    source = models.CharField(max_length=200)
    wp_id = models.PositiveBigIntegerField("WordPress post ID")
    parent_wp_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    menu_order = models.IntegerField(default=0)
    url = models.CharField(max_length=1000)
    relative_path = models.CharField(max_length=500, blank=True, help_text="Under wp-content/uploads/.")
    title = models.TextField(blank=True)
    alt = models.TextField(blank=True)
    caption = models.TextField(blank=True)
    credit = models.TextField(blank=True)
    stored_name = models.CharField(
        max_length=500, blank=True, help_text="The file in Newsroom's storage, once imported."
    )

    class Meta:
        verbose_name = "WordPress attachment"
        constraints = [
            models.UniqueConstraint(fields=["source", "wp_id"], name="wordpressattachment_unique_id")
        ]

    def __str__(self):
        return self.url


class WordPressTerm(models.Model):
    """A WordPress category, tag or author and what it became."""

    class Kind(models.TextChoices):
        CATEGORY = "category"
        TAG = "post_tag"
        AUTHOR = "author"

    source = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=200, help_text="The category or tag slug, or the author's login.")
    section = models.ForeignKey("articles.Section", null=True, blank=True, on_delete=models.CASCADE)
    tag = models.ForeignKey("taggit.Tag", null=True, blank=True, on_delete=models.CASCADE)
    author = models.ForeignKey("articles.Author", null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        verbose_name = "imported WordPress term"
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "key"], name="wordpressterm_unique_key")
        ]

    def __str__(self):
        return f"{self.kind} {self.key}"


class LegacyPath(models.Model):
    """An address of the old site (``/2013/01/hello-world/``, ``/?p=123``) and what now lives there.

    Looked up only when Newsroom has nothing at that address (importers.middleware).
    """

    path = models.CharField(
        max_length=500, unique=True, help_text="Path, and for ?p=ID forms the query, e.g. “/?p=123”."
    )
    article = models.ForeignKey("articles.Article", null=True, blank=True, on_delete=models.CASCADE)
    section = models.ForeignKey("articles.Section", null=True, blank=True, on_delete=models.CASCADE)
    tag = models.ForeignKey("taggit.Tag", null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        verbose_name = "old address"
        verbose_name_plural = "old addresses"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(article__isnull=False, section__isnull=True, tag__isnull=True)
                    | Q(article__isnull=True, section__isnull=False, tag__isnull=True)
                    | Q(article__isnull=True, section__isnull=True, tag__isnull=False)
                ),
                name="legacypath_one_target",
            )
        ]

    def __str__(self):
        return self.path
