"""
Multi-step writes of the editorial workflow.

Each service checks the rules in articles/workflow.py, changes the article under a
row lock, bumps its edit ``version`` (so a form opened before the change is stale),
keeps a revision (django-reversion) and writes the audit trail, all in one
transaction. Cached reader pages are invalidated by the model signals on commit.
"""

import reversion
from django.db import IntegrityError, transaction
from django.utils import timezone
from reversion.errors import RevertError

from . import workflow
from .models import Article, AuditEvent, Correction, PreviewLink

Status = Article.Status

# What a restored revision does not bring back: where the article is in the
# workflow stays as it is now, so restoring old wording never unpublishes a story.
WORKFLOW_FIELDS = ("status", "published_at", "trashed_at", "created_by", "version", "redirect_url")


class WorkflowError(Exception):
    """A refused step; the message is meant for the person who tried it."""


def record(article, action, *, by, detail=""):
    return AuditEvent.objects.create(
        article=article, article_title=article.title[:200], action=action, actor=by, detail=detail[:300]
    )


def _refuse_if(message):
    if message:
        raise WorkflowError(message)


def _locked(article):
    return Article.objects.select_for_update().get(pk=article.pk)


def _save(article, *, by, comment, fields):
    """Save ``fields`` of an article locked by ``_locked`` as a new edit version and revision."""
    article.version += 1
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(comment)
        article.save(update_fields=[*fields, "version", "updated_at"])
    return article


def article_created(article, *, by):
    """Note a new article and who started it (the admin calls this after the first save)."""
    if article.created_by_id is None:
        Article.objects.filter(pk=article.pk).update(created_by=by)
        article.created_by = by
    record(article, AuditEvent.Action.CREATED, by=by)


@transaction.atomic
def change_status(article, target, *, by):
    """Move ``article`` to status ``target`` through the matching service."""
    target = Status(target)
    if target == article.status:
        return article
    steps = {
        Status.IN_REVIEW: submit_for_review,
        Status.DRAFT: return_to_draft,
        Status.PUBLISHED: publish_article,
        Status.UNPUBLISHED: unpublish,
    }
    return steps[target](article, by=by)


def _move(article, target, *, by, action, comment, extra_fields=(), **changes):
    with transaction.atomic():
        locked = _locked(article)
        _refuse_if(workflow.transition_refusal(by, locked, target))
        locked.status = target
        for name, value in changes.items():
            setattr(locked, name, value)
        _save(locked, by=by, comment=comment, fields=["status", *extra_fields])
        record(locked, action, by=by, detail=comment)
    return locked


def submit_for_review(article, *, by):
    return _move(
        article, Status.IN_REVIEW, by=by, action=AuditEvent.Action.SUBMITTED, comment="Submitted for review"
    )


def return_to_draft(article, *, by):
    return _move(article, Status.DRAFT, by=by, action=AuditEvent.Action.RETURNED, comment="Returned to draft")


def publish_article(article, *, by, at=None):
    """Publish now, or schedule: a future ``at`` (or publish time already set) goes live then."""
    at = at or article.published_at or timezone.now()
    scheduled = at > timezone.now()
    when = timezone.localtime(at).strftime("%d %b %Y %H:%M")
    with transaction.atomic():
        locked = _locked(article)
        if locked.status == Status.PUBLISHED:
            _refuse_if(workflow.schedule_refusal(by))
        else:
            _refuse_if(workflow.transition_refusal(by, locked, Status.PUBLISHED))
        locked.status = Status.PUBLISHED
        locked.published_at = at
        comment = f"Scheduled for {when}" if scheduled else "Published"
        _save(locked, by=by, comment=comment, fields=["status", "published_at"])
        action = AuditEvent.Action.SCHEDULED if scheduled else AuditEvent.Action.PUBLISHED
        record(locked, action, by=by, detail=comment)
    return locked


def unpublish(article, *, by):
    return _move(
        article, Status.UNPUBLISHED, by=by, action=AuditEvent.Action.UNPUBLISHED, comment="Unpublished"
    )


def trash(article, *, by):
    """Soft-delete: out of every reader page (its URL answers 410), restorable by an editor."""
    _refuse_if(None if by.has_perm("articles.delete_article") else "Only editors can delete articles.")
    with transaction.atomic():
        locked = _locked(article)
        if locked.trashed_at is None:
            locked.trashed_at = timezone.now()
            _save(locked, by=by, comment="Moved to trash", fields=["trashed_at"])
            record(locked, AuditEvent.Action.TRASHED, by=by)
    return locked


def restore_from_trash(article, *, by):
    _refuse_if(None if by.has_perm("articles.delete_article") else "Only editors can restore from the trash.")
    with transaction.atomic():
        locked = _locked(article)
        if locked.trashed_at is not None:
            locked.trashed_at = None
            _save(locked, by=by, comment="Restored from trash", fields=["trashed_at"])
            record(locked, AuditEvent.Action.RESTORED, by=by)
    return locked


@transaction.atomic
def delete_permanently(article, *, by):
    _refuse_if(None if by.has_perm("articles.delete_article") else "Only editors can delete articles.")
    if article.trashed_at is None:
        raise WorkflowError(
            "Move the article to the trash first; only trashed articles can be deleted for good."
        )
    record(article, AuditEvent.Action.DELETED, by=by)
    article.delete()


def restore_revision(article, version, *, by):
    """Bring back the article's content as it was in ``version`` (a reversion Version).

    Fields, body, tags, bylines and related picks come back; the workflow state does
    not. Restoring makes a new revision, so it can itself be undone.
    """
    try:
        with transaction.atomic():
            locked = _locked(article)
            _refuse_if(workflow.edit_refusal(by, locked))
            keep = {name: getattr(locked, name) for name in WORKFLOW_FIELDS}
            with reversion.create_revision():
                reversion.set_user(by)
                when = timezone.localtime(version.revision.date_created).strftime("%d %b %Y %H:%M")
                reversion.set_comment(f"Restored the revision of {when}")
                version.revision.revert(delete=True)
                restored = Article.objects.get(pk=locked.pk)
                for name, value in keep.items():
                    setattr(restored, name, value)
                restored.version = keep["version"] + 1
                restored.save()
            record(restored, AuditEvent.Action.REVERTED, by=by, detail=f"Revision of {when}")
    except (RevertError, IntegrityError) as error:
        raise WorkflowError(
            "That revision refers to something that no longer exists (a deleted author, tag or "
            f"article), so it cannot be restored as a whole. ({error})"
        ) from error
    return restored


@transaction.atomic
def add_correction(article, *, kind, text, by):
    _refuse_if(None if by.has_perm("articles.add_correction") else "Only editors can add corrections.")
    correction = Correction.objects.create(article=article, kind=kind, text=text, created_by=by)
    record(article, AuditEvent.Action.CORRECTED, by=by, detail=text[:300])
    return correction


@transaction.atomic
def share_preview(article, *, by, expires_at=None):
    _refuse_if(workflow.edit_refusal(by, article) and "You may not share a preview of this article.")
    link = PreviewLink(article=article, created_by=by)
    if expires_at:
        link.expires_at = expires_at
    link.save()
    record(article, AuditEvent.Action.PREVIEW_SHARED, by=by)
    return link


@transaction.atomic
def revoke_preview(link, *, by):
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        record(link.article, AuditEvent.Action.PREVIEW_REVOKED, by=by)
    return link
