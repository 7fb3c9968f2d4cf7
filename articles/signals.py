"""Derived data kept current from model changes: here, the reader-page cache."""

import hashlib

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save
from django.dispatch import receiver
from django.utils.text import slugify
from taggit.models import Tag

from . import renames, search_index
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


SEARCHED_FIELDS = {"title", "dek", "body"}


@receiver(post_save, sender=Article)
def index_for_search(sender, instance, raw=False, update_fields=None, **kwargs):
    """Keep the full-text index in step with the row, in the same transaction."""
    if raw or (update_fields is not None and not SEARCHED_FIELDS & set(update_fields)):
        return
    search_index.index_article(instance)


@receiver(post_delete, sender=Article)
def unindex_for_search(sender, instance, **kwargs):
    search_index.unindex_article(instance.pk)


@receiver(pre_save, sender=Tag)
def give_every_tag_a_slug(sender, instance, **kwargs):
    """A tag named only with symbols ("#", "+++") would get an empty slug and no URL."""
    if not slugify(instance.name, allow_unicode=True):
        instance.slug = tag_fallback_slug(instance.name)


def tag_fallback_slug(name):
    return "tag-" + hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:10]


@receiver(post_init, sender=Article)
@receiver(post_init, sender=Section)
@receiver(post_init, sender=Tag)
def note_loaded_slug(sender, instance, **kwargs):
    """Remember the slug as loaded, so that a save can tell it changed (without a query)."""
    # __dict__, not the attribute: reading a deferred slug would cost a query per row.
    instance._loaded_slug = instance.__dict__.get("slug") if instance.pk else None


@receiver(post_save, sender=Article)
@receiver(post_save, sender=Section)
@receiver(post_save, sender=Tag)
def keep_old_url(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    if not created:
        renames.remember_old_slug(instance, getattr(instance, "_loaded_slug", None))
    instance._loaded_slug = instance.slug
