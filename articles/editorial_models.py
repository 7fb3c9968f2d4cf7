"""The editorial workflow's records: corrections, shareable preview links and the audit trail."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

PREVIEW_LINK_LIFETIME = timedelta(hours=48)


class CorrectionQuerySet(models.QuerySet):
    def on_published_articles(self):
        from .models import Article

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


def new_preview_token():
    return secrets.token_urlsafe(24)


def default_preview_expiry():
    return timezone.now() + PREVIEW_LINK_LIFETIME


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """A read-only link to an unpublished article for a reviewer without an account.

    The URL carries a token signed with SECRET_KEY (see articles/previews.py), so a
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
        from .previews import sign_preview_token

        return reverse("articles:preview", kwargs={"signed_token": sign_preview_token(self.token)})

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class AuditEvent(models.Model):
    """Who did what to which article, and when. Written by articles/services.py only."""

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
