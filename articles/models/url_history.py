"""Old addresses of articles, sections and tags, so that a rename never breaks a link.

Each row maps a slug that was once in use to what carries it now. Views look
here only after the current slugs: a new article (or section, or tag) that
takes an old slug wins over the history.
"""

from django.db import models


class SlugHistory(models.Model):
    """An old slug and when it was left; subclasses add the foreign key named by ``owner_field``."""

    owner_field = None

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.old_slug} → {getattr(self, self.owner_field + '_id')}"


class ArticleSlugHistory(SlugHistory):
    owner_field = "article"
    old_slug = models.SlugField(max_length=220, unique=True, allow_unicode=True)
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="old_slugs")

    class Meta:
        verbose_name = "old article address"
        verbose_name_plural = "old article addresses"


class SectionSlugHistory(SlugHistory):
    owner_field = "section"
    old_slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)
    section = models.ForeignKey("articles.Section", on_delete=models.CASCADE, related_name="old_slugs")

    class Meta:
        verbose_name = "old section address"
        verbose_name_plural = "old section addresses"


class TagSlugHistory(SlugHistory):
    owner_field = "tag"
    old_slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="old_slugs")

    class Meta:
        verbose_name = "old tag address"
        verbose_name_plural = "old tag addresses"
