"""Old addresses of articles, sections and tags, so that a rename never breaks a link.

Each row maps a slug that was once in use to what carries it now. Views look
here only after the current slugs: a new article (or section, or tag) that
takes an old slug wins over the history.
"""

from django.db import models


class ArticleSlugHistory(models.Model):
    old_slug = models.SlugField(max_length=220, unique=True, allow_unicode=True)
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "old article address"
        verbose_name_plural = "old article addresses"

    def __str__(self):
        return f"{self.old_slug} → {self.article_id}"


class SectionSlugHistory(models.Model):
    old_slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)
    section = models.ForeignKey("articles.Section", on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "old section address"
        verbose_name_plural = "old section addresses"

    def __str__(self):
        return f"{self.old_slug} → {self.section_id}"


class TagSlugHistory(models.Model):
    old_slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "old tag address"
        verbose_name_plural = "old tag addresses"

    def __str__(self):
        return f"{self.old_slug} → {self.tag_id}"
