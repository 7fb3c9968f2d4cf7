"""
Writes that keep old URLs answering with a 301: renames and merges.

When a slug changes, the old slug is recorded against the object that now
carries it (the receivers below notice the change on save). Every old slug
points at the object itself, never at another old slug, so however many times
something is renamed, an old URL redirects to the current one in a single hop.
"""

import hashlib

from django.db import transaction
from django.db.models.signals import post_init, post_save, pre_save
from django.dispatch import receiver
from django.utils.text import slugify
from taggit.models import Tag

from ..models import Article, ArticleSlugHistory, Section, SectionSlugHistory, TaggedArticle, TagSlugHistory
from ..pagecache.invalidation import invalidate_everything

HISTORY = {Article: ArticleSlugHistory, Section: SectionSlugHistory, Tag: TagSlugHistory}


def remember_old_slug(instance, old_slug):
    """Record that ``old_slug`` now means ``instance`` (called after its slug changed)."""
    model = type(instance)
    if not old_slug or old_slug == instance.slug:
        return
    history = HISTORY[model]
    history.objects.update_or_create(old_slug=old_slug, defaults={history.owner_field: instance})


@transaction.atomic
def merge_sections(sources, into):
    """Move every article of ``sources`` into ``into`` and delete them; their URLs redirect there."""
    for source in sources:
        if source.pk == into.pk:
            continue
        Article.objects.filter(section=source).update(section=into)
        SectionSlugHistory.objects.filter(section=source).update(section=into)
        SectionSlugHistory.objects.update_or_create(old_slug=source.slug, defaults={"section": into})
        source.delete()
    invalidate_everything()


@transaction.atomic
def merge_tags(sources, into):
    """Give the articles of ``sources`` the tag ``into`` instead, delete them; their URLs redirect there."""
    for source in sources:
        if source.pk == into.pk:
            continue
        already = TaggedArticle.objects.filter(tag=into).values("content_object")
        TaggedArticle.objects.filter(tag=source, content_object__in=already).delete()
        TaggedArticle.objects.filter(tag=source).update(tag=into)
        TagSlugHistory.objects.filter(tag=source).update(tag=into)
        TagSlugHistory.objects.update_or_create(old_slug=source.slug, defaults={"tag": into})
        source.delete()
    invalidate_everything()


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
        remember_old_slug(instance, getattr(instance, "_loaded_slug", None))
    instance._loaded_slug = instance.slug


@receiver(pre_save, sender=Tag)
def give_every_tag_a_slug(sender, instance, **kwargs):
    """A tag named only with symbols ("#", "+++") would get an empty slug and no URL."""
    if not slugify(instance.name, allow_unicode=True):
        instance.slug = tag_fallback_slug(instance.name)


def tag_fallback_slug(name):
    return "tag-" + hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:10]
