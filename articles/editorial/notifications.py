"""
E-mail about the workflow: editors hear when an article is submitted for review (or
a writer suggests a correction); writers hear when their article is published,
scheduled or sent back to draft, and when their suggestion is decided.

The services call ``notify_*`` inside their transaction; the mail goes out only
after it commits (nothing is said about a step that was rolled back), and a mail
server that fails is logged, never raised: sending can never make a save fail.
``settings.EDITORIAL_EMAILS = False`` turns all of it off.
"""

import logging
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from ..models import Byline

logger = logging.getLogger(__name__)


def _absolute(path):
    return urljoin(settings.SITE_URL, path)


def _editors(exclude=None):
    """Active staff with an address who may publish (the Editors group, superusers)."""
    User = get_user_model()
    may_publish = (
        Q(is_superuser=True)
        | Q(groups__permissions__codename="publish_article")
        | Q(user_permissions__codename="publish_article")
    )
    people = User.objects.filter(may_publish, is_active=True, is_staff=True).exclude(email="").distinct()
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people)


def _writers(article, exclude=None):
    """Who wrote the article: the person who started it and the logins behind its bylines."""
    User = get_user_model()
    bylined = Byline.objects.filter(article=article, author__user__isnull=False).values("author__user")
    people = User.objects.filter(Q(pk=article.created_by_id) | Q(pk__in=bylined), is_active=True).exclude(
        email=""
    )
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people)


def _send_after_commit(messages):
    """Queue ``(subject, body, [addresses])`` messages to go once the transaction commits."""
    messages = [(subject, body, to) for subject, body, to in messages if to]
    if not messages or not settings.EDITORIAL_EMAILS:
        return

    def send():
        sender = settings.DEFAULT_FROM_EMAIL
        try:
            send_mass_mail([(subject, body, sender, to) for subject, body, to in messages])
        except Exception:  # Whatever the mail server does, the editor's save has happened.
            logger.exception("Could not send %d workflow e-mail(s)", len(messages))

    transaction.on_commit(send)


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else "Someone"


def notify_submitted(article, *, by):
    """Tell the editors an article waits for their review."""
    link = _absolute(reverse("admin:articles_article_change", args=[article.pk]))
    body = f"{_name(by)} submitted “{article.title}” for review.\n\nReview it: {link}\n"
    _send_after_commit(
        [(f"For review: {article.title}", body, [user.email]) for user in _editors(exclude=by)]
    )


def notify_published(article, *, by):
    """Tell the writers their article is published, or when it will be."""
    if article.published_at and article.published_at > timezone.now():
        when = date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
        subject = f"Scheduled for {when}: {article.title}"
        body = f"{_name(by)} scheduled “{article.title}”; it goes live on {when}.\n"
    else:
        subject = f"Published: {article.title}"
        body = f"{_name(by)} published “{article.title}”.\n\nView it on the site: {_absolute(article.get_absolute_url())}\n"
    _send_after_commit([(subject, body, [user.email]) for user in _writers(article, exclude=by)])


def notify_returned(article, *, by):
    """Tell the writers their article was sent back to draft."""
    link = _absolute(reverse("admin:articles_article_change", args=[article.pk]))
    body = f"{_name(by)} sent “{article.title}” back to draft.\n\nOpen it: {link}\n"
    _send_after_commit(
        [
            (f"Sent back to draft: {article.title}", body, [user.email])
            for user in _writers(article, exclude=by)
        ]
    )


def notify_correction_suggested(suggestion, *, by):
    link = _absolute(reverse("admin:articles_correctionsuggestion_change", args=[suggestion.pk]))
    body = (
        f"{_name(by)} suggests a correction to “{suggestion.article.title}”:\n\n{suggestion.text}\n\n"
        f"Approve or reject it: {link}\n"
    )
    _send_after_commit(
        [
            (f"Correction suggested: {suggestion.article.title}", body, [user.email])
            for user in _editors(exclude=by)
        ]
    )


def notify_correction_decided(suggestion, *, by):
    writer = suggestion.suggested_by
    if writer is None or writer == by or not writer.email:
        return
    verdict = suggestion.get_status_display().lower()
    body = f"{_name(by)} {verdict} your suggested correction to “{suggestion.article.title}”.\n"
    if suggestion.decision_note:
        body += f"\n{suggestion.decision_note}\n"
    _send_after_commit([(f"Correction {verdict}: {suggestion.article.title}", body, [writer.email])])
