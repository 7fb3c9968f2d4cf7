"""
The first entries in an imported article's history: a revision holding the article as
the import wrote it (with its bylines and tags, as an admin save stores them) and a line
in the audit trail, so an editor sees "Imported from WordPress" and can later compare
or restore what the import brought.

Written for a batch of posts at once, a few queries per batch, where django-reversion's
own ``create_revision()`` would cost about ten queries per article.
"""

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import router
from django.utils import timezone
from django.utils.encoding import force_str
from reversion.models import Revision, Version

# django-reversion's registration of a model (serialization format, fields, what to follow):
# read, not copied, so these revisions are the ones the admin's history stores.
from reversion.revisions import _get_options

from articles.models import Article, AuditEvent


def record_imports(entries):
    """``entries``: (article id, revision comment, audit detail) of articles just created or
    updated by an import, in the current transaction."""
    if not entries:
        return
    now = timezone.now()
    articles = Article.objects.in_bulk([article_id for article_id, _comment, _detail in entries])
    revisions, rows = [], []
    for article_id, comment, _detail in entries:
        article = articles.get(article_id)
        if article is None:
            continue
        revisions.append(Revision(date_created=now, user=None, comment=comment))
        rows.append(article)
    Revision.objects.bulk_create(revisions)
    related = _followed_rows(rows, _get_options(Article).follow)
    versions = []
    for revision, article in zip(revisions, rows, strict=True):
        for obj in (article, *related.get(article.pk, ())):
            versions.append(_version(revision, obj))
    Version.objects.bulk_create(versions)
    AuditEvent.objects.bulk_create(
        AuditEvent(article=articles[article_id], article_title=articles[article_id].title[:200],
                   action=AuditEvent.Action.IMPORTED, at=now, detail=detail[:300])
        for article_id, _comment, detail in entries
        if article_id in articles
    )  # fmt: skip


def _followed_rows(articles, followed):
    """{article id: [its bylines, tagged items, related links...]}, one query per relation, with
    what their names (``object_repr``) show loaded."""
    by_id = {article.pk: article for article in articles}
    found = {}
    for name in followed:
        relation = Article._meta.get_field(name)
        model, to_article = relation.related_model, relation.field
        others = [f.name for f in model._meta.concrete_fields if f.is_relation and f is not to_article]
        rows = model._base_manager.filter(**{f"{to_article.attname}__in": list(by_id)}).select_related(
            *others
        )
        for obj in rows.order_by("pk"):
            article = by_id[getattr(obj, to_article.attname)]
            setattr(obj, to_article.name, article)
            found.setdefault(article.pk, []).append(obj)
    return found


def _version(revision, obj):
    options = _get_options(type(obj))
    return Version(
        revision=revision,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=force_str(getattr(obj, options.object_id_field)),
        db=router.db_for_write(type(obj)),
        format=options.format,
        serialized_data=serializers.serialize(
            options.format,
            (obj,),
            fields=options.fields,
            use_natural_foreign_keys=options.use_natural_foreign_keys,
        ),
        object_repr=force_str(obj),
    )
