"""
Multi-step writes of the editorial workflow: every change of an article's state goes
through a function here.

Each service checks the rules in articles/editorial/workflow.py, changes the article
under a row lock (or claims its edit ``version`` in one UPDATE, for the admin form's
save), bumps that version (so a form opened before the change is stale), keeps a
revision (django-reversion) and writes the audit trail, all in one transaction.
Cached reader pages are invalidated by the model signals on commit.
"""

from copy import copy

import reversion
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from reversion.errors import RevertError

from ..body import without_control_characters
from ..models import Article, AuditEvent, Correction, CorrectionSuggestion, PreviewLink
from . import notifications, workflow

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


class EditConflict(Exception):
    """Someone else saved the article after this edit was loaded: nothing was written."""


# Each move to a status other than published: its audit action and revision comment.
MOVES = {
    Status.IN_REVIEW: (AuditEvent.Action.SUBMITTED, "Submitted for review"),
    Status.DRAFT: (AuditEvent.Action.RETURNED, "Returned to draft"),
    Status.UNPUBLISHED: (AuditEvent.Action.UNPUBLISHED, "Unpublished"),
}


def _publish_step(at):
    """The audit action and revision comment of going live at ``at`` (a future time schedules)."""
    if at > timezone.now():
        return (
            AuditEvent.Action.SCHEDULED,
            f"Scheduled for {date_format(timezone.localtime(at), 'DATETIME_FORMAT')}",
        )
    return AuditEvent.Action.PUBLISHED, "Published"


def save_article(article, *, by, loaded_status=None, loaded_version=None, publish_time_changed=False):
    """Save an edited article (the admin form's one write), with its workflow step, in one transaction.

    ``article`` carries the edited fields, its ``status`` the state asked for.
    ``loaded_status`` and ``loaded_version`` are what the editor loaded (None for
    a new article). The version is claimed in one UPDATE, so a stale edit raises
    EditConflict before anything is written; the step is checked against the
    rules once; the row is saved once; the audit trail gets the creation and the
    step. Returns the comment that describes the step (for the revision).
    """
    created = article.pk is None
    loaded_status = Status(loaded_status or Status.DRAFT)
    target = Status(article.status)
    publishing = target == Status.PUBLISHED and (loaded_status != target or publish_time_changed)
    moving = target != loaded_status
    with transaction.atomic():
        if publishing and loaded_status == Status.PUBLISHED:
            _refuse_if(workflow.schedule_refusal(by))
        elif moving:
            _refuse_if(workflow.transition_refusal(by, _as_loaded(article, loaded_status), target))
        if not created:
            claimed = Article.objects.filter(pk=article.pk, version=loaded_version).update(
                version=F("version") + 1
            )
            if not claimed:
                raise EditConflict
            article.version = loaded_version + 1
        else:
            article.created_by = by
        step, comment = None, ""
        if publishing:
            article.published_at = article.published_at or timezone.now()
            step, comment = _publish_step(article.published_at)
        elif moving:
            step, comment = MOVES[target]
        article.save()
        if created:
            record(article, AuditEvent.Action.CREATED, by=by)
        if step:
            record(article, step, by=by, detail=comment)
            _tell(article, step, by=by)
    return comment


def _tell(article, action, *, by):
    """E-mail the people a step concerns, once the transaction commits (notifications.py)."""
    if action == AuditEvent.Action.SUBMITTED:
        notifications.notify_submitted(article, by=by)
    elif action in (AuditEvent.Action.PUBLISHED, AuditEvent.Action.SCHEDULED):
        notifications.notify_published(article, by=by)
    elif action == AuditEvent.Action.RETURNED:
        notifications.notify_returned(article, by=by)


def _as_loaded(article, status):
    """The article as the rules should judge it: in the state the editor loaded it in."""
    judged = copy(article)
    judged.status = status
    return judged


def _move(article, target, *, by):
    action, comment = MOVES[target]
    with transaction.atomic():
        locked = _locked(article)
        _refuse_if(workflow.transition_refusal(by, locked, target))
        locked.status = target
        _save(locked, by=by, comment=comment, fields=["status"])
        record(locked, action, by=by, detail=comment)
        _tell(locked, action, by=by)
    return locked


def submit_for_review(article, *, by):
    return _move(article, Status.IN_REVIEW, by=by)


def return_to_draft(article, *, by):
    return _move(article, Status.DRAFT, by=by)


def publish_article(article, *, by, at=None):
    """Publish now, or schedule: a future ``at`` (or publish time already set) goes live then."""
    at = at or article.published_at or timezone.now()
    with transaction.atomic():
        locked = _locked(article)
        if locked.status == Status.PUBLISHED:
            _refuse_if(workflow.schedule_refusal(by))
        else:
            _refuse_if(workflow.transition_refusal(by, locked, Status.PUBLISHED))
        locked.status = Status.PUBLISHED
        locked.published_at = at
        action, comment = _publish_step(at)
        _save(locked, by=by, comment=comment, fields=["status", "published_at"])
        record(locked, action, by=by, detail=comment)
        _tell(locked, action, by=by)
    return locked


def unpublish(article, *, by):
    return _move(article, Status.UNPUBLISHED, by=by)


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
                when = date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT")
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


def add_correction(article, *, kind, text, by):
    """Append a correction (or update) note to ``article``, shown to readers at its end."""
    return file_correction(Correction(article=article, kind=kind, text=text), by=by)


@transaction.atomic
def file_correction(correction, *, by):
    """Save a new correction note made elsewhere (the admin's forms) and note it in the audit trail."""
    _refuse_if(None if by.has_perm("articles.add_correction") else "Only editors can add corrections.")
    correction.created_by = by
    correction.save()
    record(correction.article, AuditEvent.Action.CORRECTED, by=by, detail=correction.text[:300])
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


# -- corrections suggested by writers ---------------------------------------------


def suggest_correction(article, *, kind, text, by):
    """A writer proposes a correction note on a published article; editors approve or reject it."""
    _refuse_if(
        None if by.has_perm("articles.add_correctionsuggestion") else "You may not suggest corrections."
    )
    _refuse_if(
        None
        if article.is_published
        else "Corrections are for articles readers can see; change the draft itself instead."
    )
    text = without_control_characters(text or "").strip()
    _refuse_if(None if text else "Write the correction note readers should see.")
    with transaction.atomic():
        suggestion = CorrectionSuggestion.objects.create(
            article=article, kind=kind, text=text, suggested_by=by
        )
        record(article, AuditEvent.Action.CORRECTION_SUGGESTED, by=by, detail=text[:300])
        notifications.notify_correction_suggested(suggestion, by=by)
    return suggestion


def _pending_locked(suggestion, by):
    _refuse_if(None if by.has_perm("articles.add_correction") else "Only editors can decide on corrections.")
    locked = CorrectionSuggestion.objects.select_for_update().select_related("article").get(pk=suggestion.pk)
    _refuse_if(
        None
        if locked.status == CorrectionSuggestion.Status.PENDING
        else f"This suggestion was already {locked.get_status_display().lower()}."
    )
    return locked


def approve_correction_suggestion(suggestion, *, by, text=None):
    """File the suggested note (as the editor worded it, if given) as a correction readers see."""
    with transaction.atomic():
        locked = _pending_locked(suggestion, by)
        wording = without_control_characters(text or "").strip() or locked.text
        correction = file_correction(
            Correction(article=locked.article, kind=locked.kind, text=wording), by=by
        )
        locked.status = CorrectionSuggestion.Status.APPROVED
        locked.correction = correction
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.save(update_fields=["status", "correction", "decided_by", "decided_at"])
        notifications.notify_correction_decided(locked, by=by)
    return locked


def reject_correction_suggestion(suggestion, *, by, note=""):
    with transaction.atomic():
        locked = _pending_locked(suggestion, by)
        locked.status = CorrectionSuggestion.Status.REJECTED
        locked.decision_note = without_control_characters(note or "").strip()[:300]
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
        record(locked.article, AuditEvent.Action.SUGGESTION_REJECTED, by=by, detail=locked.text[:300])
        notifications.notify_correction_decided(locked, by=by)
    return locked
