"""Which keys a saved or deleted object invalidates (receivers registered in AppConfig.ready()).

A save that changes nothing readers can see invalidates nothing: a draft, an
article in review, a scheduled article until its time, a revision, an audit
entry, a preview link (none of those models is listened to). An article readers
could see before or can see after the save invalidates its own key (``article:<id>``:
its page and every list showing it) and the sitemaps; when it also joins or
leaves lists (published, unpublished, trashed, moved, re-timed, featured), the
keys of those lists: home, feeds, its section's, tags' and authors' lists, the
corrections page and the tag index. Taking an article away is a "hard" change:
no stale copy of a page showing it is served while that page is rebuilt.
"""

from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.dispatch import receiver
from taggit.models import Tag

from images.models import Image

from ..models import Article, Author, Byline, Correction, RelatedLink, Section, TaggedArticle
from . import keys as k
from .lists import invalidate_lists_of, list_keys
from .schedule import schedule_changed
from .versions import deferred, invalidate

# What decides the lists an article is on (besides its tags and bylines).
LIST_FIELDS = ("status", "published_at", "trashed_at", "section_id", "featured")
UNKNOWN = object()


def invalidate_everything():
    """Every cached page goes stale (bulk changes: merges)."""
    invalidate([k.SITE])


@contextmanager
def bulk_changes():
    """For writes of thousands of rows (an import): the changes made inside invalidate
    nothing one by one, which would cost a query and a cache write per row and, inside a
    transaction, keep a callback per row until it commits; every page goes stale once at
    the end instead (after the commit of the transaction around it, if any), and the
    next scheduled time is looked up again, if any change asked for it."""
    if deferred.get() is not None:
        yield  # already inside one
        return
    gathered = {"changed": False, "hard": False, "schedule": False}
    token = deferred.set(gathered)
    try:
        yield
    finally:
        deferred.reset(token)
        if gathered["schedule"]:
            transaction.on_commit(schedule_changed)
        if gathered["changed"]:
            invalidate([k.SITE], hard=gathered["hard"])


def _schedule_changed_on_commit():
    gathered = deferred.get()
    if gathered is not None:
        gathered["schedule"] = True
    else:
        transaction.on_commit(schedule_changed)


def _visible(state):
    """``Article.is_published`` for a ``values()`` row of LIST_FIELDS."""
    if state is None:
        return False
    probe = Article(**{name: state[name] for name in LIST_FIELDS})
    return probe.is_published


def _scheduled(state):
    return (
        state is not None
        and state["status"] == Article.Status.PUBLISHED
        and not _visible(state)
        and (state["published_at"] is not None and state["trashed_at"] is None)
    )


def _state(article):
    return {name: getattr(article, name) for name in LIST_FIELDS}


@receiver(post_init, sender=Article)
def remember_reader_state(sender, instance, **kwargs):
    """Keep what readers saw of the article as loaded, to compare on save (no query)."""
    if instance.pk and not instance.get_deferred_fields().intersection(LIST_FIELDS):
        instance._reader_state_before = _state(instance)


@receiver(post_save, sender=Article)
def article_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        # Restoring a revision writes the old row as it is (then the current workflow state
        # back): what readers saw before is unknown, so every list it is on now goes stale.
        invalidate(list_keys([instance.pk]))
        return
    after = _state(instance)
    before = None if created else getattr(instance, "_reader_state_before", UNKNOWN)
    instance._reader_state_before = after
    if before is UNKNOWN:
        # Loaded without these fields (only(), defer()): assume readers saw it and it moved.
        _schedule_changed_on_commit()
        invalidate(list_keys([instance.pk]), hard=not _visible(after))
        return
    if _scheduled(before) or _scheduled(after):
        _schedule_changed_on_commit()
    was_visible, is_visible = _visible(before), _visible(after)
    if not (was_visible or is_visible):
        return  # a draft, an article in review or scheduled: nothing readers see changed
    if deferred.get() is not None:
        invalidate([k.SITE], hard=was_visible and not is_visible)  # (no query for the list keys)
        return
    if was_visible and is_visible and before == after:
        invalidate([k.article_key(instance.pk), k.SITEMAPS])  # content only: the pages showing it
        return
    moved_from = [before["section_id"]] if before and before["section_id"] != after["section_id"] else []
    # (hard: readers saw it and may no longer.)
    invalidate(list_keys([instance.pk], extra_sections=moved_from), hard=was_visible and not is_visible)


@receiver(post_delete, sender=Article)
def article_deleted(sender, instance, **kwargs):
    if _visible(_state(instance)):
        keys = {k.article_key(instance.pk), k.HOME, k.FEEDS, k.SITEMAPS, k.CORRECTIONS, k.TAG_INDEX, k.SEARCH}
        invalidate({*keys, k.section_articles_key(instance.section_id)}, hard=True)


def _article_is_visible(article_id, link=None, field=None):
    """Whether readers see the article now. In bulk changes, a link saved with its article
    in hand (``link.<field>`` loaded) is judged by it, with no query per row."""
    if deferred.get() is not None and link is not None and link._meta.get_field(field).is_cached(link):
        return getattr(link, field).is_published
    return Article.objects.published().filter(pk=article_id).exists()


@receiver(post_save, sender=TaggedArticle)
@receiver(post_delete, sender=TaggedArticle)
def tag_link_changed(sender, instance, **kwargs):
    """A tag added to or taken from a published article: its page, the tag's list, the tag index."""
    if _article_is_visible(instance.content_object_id, instance, "content_object"):
        keys = [k.article_key(instance.content_object_id), k.tag_articles_key(instance.tag_id)]
        invalidate([*keys, k.TAG_INDEX, k.SITEMAPS, k.SEARCH], hard=kwargs.get("signal") is post_delete)


@receiver(post_save, sender=Byline)
@receiver(post_delete, sender=Byline)
def byline_changed(sender, instance, **kwargs):
    """An author added to or taken from a published article's byline."""
    if _article_is_visible(instance.article_id, instance, "article"):
        keys = [k.article_key(instance.article_id), k.author_articles_key(instance.author_id)]
        invalidate([*keys, k.SITEMAPS], hard=kwargs.get("signal") is post_delete)


@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Correction)
def correction_changed(sender, instance, **kwargs):
    """A correction shows on its article's page (and in feeds, sitemaps' times, the corrections page)."""
    if _article_is_visible(instance.article_id):
        invalidate([k.article_key(instance.article_id), k.CORRECTIONS, k.SITEMAPS])


@receiver(post_save, sender=RelatedLink)
@receiver(post_delete, sender=RelatedLink)
def pick_changed(sender, instance, **kwargs):
    """An editor's pick shows under its article only."""
    if _article_is_visible(instance.from_article_id):
        invalidate([k.article_key(instance.from_article_id)])


@receiver(m2m_changed)
def relations_set_in_bulk(sender, instance, action, **kwargs):
    """Bylines, tags or picks set through a many-to-many manager without saving each link."""
    if sender in (Byline, TaggedArticle, RelatedLink) and action.startswith("post_"):
        if deferred.get() is not None and isinstance(instance, Article):
            if not instance.is_published:
                return  # (bulk changes: judged by the article in hand, no query)
            taken_away = action == "post_clear" or (action == "post_remove" and kwargs.get("pk_set"))
            invalidate([k.SITE], hard=bool(taken_away))
            return
        article_ids = [instance.pk] if isinstance(instance, Article) else list(kwargs.get("pk_set") or ())
        visible = Article.objects.published().filter(pk__in=article_ids).values_list("pk", flat=True)
        invalidate_lists_of(list(visible), hard=action != "post_add")


@receiver(post_save, sender=Section)
@receiver(post_delete, sender=Section)
def section_changed(sender, instance, **kwargs):
    """A section's name, slug, place or description: every page shows the navigation."""
    invalidate([k.section_key(instance.pk), k.section_articles_key(instance.pk), k.NAVIGATION, k.SITEMAPS])


@receiver(post_save, sender=Tag)
@receiver(post_delete, sender=Tag)
def tag_changed(sender, instance, created=False, **kwargs):
    """A renamed tag: the pages that name it (its articles' pages, its page and feeds, the index)."""
    if not created:
        invalidate([k.tag_key(instance.pk), k.tag_articles_key(instance.pk), k.TAG_INDEX, k.SITEMAPS])


@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
def author_changed(sender, instance, created=False, **kwargs):
    """A byline's name or bio: every page showing it (cards, articles, the author's page and feeds)."""
    if not created:
        invalidate([k.author_key(instance.pk), k.author_articles_key(instance.pk), k.SITEMAPS])


@receiver(post_save, sender=Image)
def image_changed(sender, instance, created=False, **kwargs):
    """A library image's alt text, caption, credit, focal point or file: every page showing it
    (the articles it leads, with the lists their cards are on, its authors' pages, and the
    articles showing it as a figure in their body)."""
    if created:
        return  # nothing shows an image before something points to it (a save of that invalidates)
    article_ids = list(Article.objects.published().filter(lead_image=instance).values_list("pk", flat=True))
    author_ids = list(Author.objects.filter(photo=instance).values_list("pk", flat=True))
    keys = [k.article_key(pk) for pk in article_ids] + [k.author_key(pk) for pk in author_ids]
    invalidate([k.image_key(instance.pk), *keys])
