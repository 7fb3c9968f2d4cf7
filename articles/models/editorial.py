"""The editorial workflow's records: corrections, shareable preview links and the audit trail."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .content import Article

PREVIEW_LINK_LIFETIME = timedelta(hours=48)


class CorrectionQuerySet(models.QuerySet):
    def on_published_articles(self):
        return self.filter(article__in=Article.objects.published())


class Correction(models.Model):
    """A dated note appended to an article, shown to readers at its end."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        help_text="What was wrong and what is right now, e.g. “An earlier version gave the levy as "
        "£2m; it is £2.4m.”"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["article", "created_at"], name="correction_article_created")]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.article}"


PREVIEW_SALT = "articles.preview-link"


def sign_preview_token(token):
    return signing.Signer(salt=PREVIEW_SALT).sign(token)


def unsign_preview_token(signed_token):
    """The token inside a signed preview URL, or None if it was altered or made up."""
    try:
        return signing.Signer(salt=PREVIEW_SALT).unsign(signed_token)
    except signing.BadSignature:
        return None


def new_preview_token():
    return secrets.token_urlsafe(24)


def default_preview_expiry():
    return timezone.now() + PREVIEW_LINK_LIFETIME


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A read-only link to an unpublished article for a reviewer without an account.

    The URL carries a token signed with SECRET_KEY (``sign_preview_token``), so a
    guessed or altered URL is refused before the database is asked.
    """

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="preview_links")
    token = models.CharField(max_length=64, unique=True, default=new_preview_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField(
        default=default_preview_expiry, help_text="After this the link stops working (48 hours by default)."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Preview of {self.article}"

    def get_absolute_url(self):
        return reverse("articles:preview", kwargs={"signed_token": sign_preview_token(self.token)})

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class AuditEvent(models.Model):
    """Who did what to which article, and when. Written by articles/services.py, and by
    importers for the articles they bring in."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Returned to draft"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        UNPUBLISHED = "unpublished", "Unpublished"
        TRASHED = "trashed", "Moved to trash"
        RESTORED = "restored", "Restored from trash"
        DELETED = "deleted", "Deleted permanently"
        REVERTED = "reverted", "Restored an earlier revision"
        CORRECTED = "corrected", "Correction added"
        PREVIEW_SHARED = "preview_shared", "Preview link shared"
        PREVIEW_REVOKED = "preview_revoked", "Preview link revoked"
        CORRECTION_SUGGESTED = "suggested", "Correction suggested"
        SUGGESTION_REJECTED = "suggestion_rejected", "Suggested correction rejected"
        IMPORTED = "imported", "Imported"

    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    # Kept so the trail still says what was deleted after the article is gone.
    article_title = models.CharField(max_length=200)
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["article", "-at"], name="auditevent_article_at")]

    def __str__(self):
        return f"{self.get_action_display()}: {self.article_title}"


class CorrectionSuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=CorrectionSuggestion.Status.PENDING)


class CorrectionSuggestion(models.Model):
    """A writer's proposed correction note on a published article, until an editor decides.

    Approved, it becomes a Correction (readers see that one); rejected, it stays here
    with the editor's reason. Written by articles/editorial/services.py only.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an editor"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="correction_suggestions"
    )
    kind = models.CharField(
        max_length=12, choices=Correction.Kind.choices, default=Correction.Kind.CORRECTION
    )
    text = models.TextField(
        "suggested note",
        max_length=2000,
        help_text="The note as readers would read it, e.g. “An earlier version gave the levy as £2m; "
        "it is £2.4m.” An editor approves or rejects it.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(
        "reason", max_length=300, blank=True, help_text="Optional: why it was rejected, for the writer."
    )
    correction = models.OneToOneField(
        Correction, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestion"
    )

    objects = CorrectionSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-suggested_at", "-pk"]
        indexes = [models.Index(fields=["status", "suggested_at"], name="suggestion_status_at")]

    def __str__(self):
        return f"Suggested {self.get_kind_display().lower()} on {self.article}"
