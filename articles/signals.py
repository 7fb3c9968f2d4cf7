"""Derived data kept current from model changes: here, the reader-page cache."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag

from .cache import invalidate_pages
from .models import Article, Author, Byline, Correction, RelatedLink, Section, TaggedArticle

READER_VISIBLE_MODELS = (Article, Section, Author, Byline, RelatedLink, TaggedArticle, Tag, Correction)


@receiver(post_save)
@receiver(post_delete)
def invalidate_on_change(sender, **kwargs):
    if sender in READER_VISIBLE_MODELS:
        invalidate_pages()


@receiver(m2m_changed)
def invalidate_on_m2m_change(sender, **kwargs):
    if kwargs.get("model") in READER_VISIBLE_MODELS or sender in READER_VISIBLE_MODELS:
        invalidate_pages()
