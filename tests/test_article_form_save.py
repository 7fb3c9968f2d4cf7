"""The admin's article form writes through one service call: one save of the row per submit."""

from contextlib import contextmanager

import pytest
from django.db.models.signals import post_save, pre_save
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEvent
from tests.factories import ArticleFactory
from tests.test_workflow import edit, new_article_data

pytestmark = pytest.mark.django_db
Status = Article.Status


@contextmanager
def article_saves():
    """Count the pre_save and post_save signals sent for articles inside the block."""
    counts = {"pre_save": 0, "post_save": 0}

    def on_pre_save(sender, **kwargs):
        counts["pre_save"] += 1

    def on_post_save(sender, **kwargs):
        counts["post_save"] += 1

    pre_save.connect(on_pre_save, sender=Article, weak=False)
    post_save.connect(on_post_save, sender=Article, weak=False)
    try:
        yield counts
    finally:
        pre_save.disconnect(on_pre_save, sender=Article)
        post_save.disconnect(on_post_save, sender=Article)


def test_publishing_from_the_form_saves_the_article_once(client, editor):
    """Save and publish: the row is written once, so each save signal fires once, with one version bump."""
    article = ArticleFactory(draft=True)
    client.force_login(editor)
    with article_saves() as counts:
        response = edit(client, article, title="Council approves budget", _transition=Status.PUBLISHED)
    assert response.status_code == 302
    assert counts == {"pre_save": 1, "post_save": 1}
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.title == "Council approves budget"
    assert article.version == 2
    assert list(article.audit_events.values_list("action", flat=True)) == [AuditEvent.Action.PUBLISHED]


def test_a_new_article_submitted_for_review_is_saved_once(client, writer):
    """Creating and submitting in one go writes the row once and notes both steps in the audit trail."""
    client.force_login(writer)
    data = new_article_data(client, _transition=Status.IN_REVIEW)
    with article_saves() as counts:
        assert client.post(reverse("admin:articles_article_add"), data).status_code == 302
    assert counts == {"pre_save": 1, "post_save": 1}
    article = Article.objects.get(title="Bridge closes for repairs")
    actions = list(article.audit_events.order_by("at", "pk").values_list("action", flat=True))
    assert actions == [AuditEvent.Action.CREATED, AuditEvent.Action.SUBMITTED]


def test_rescheduling_a_published_article_saves_it_once(client, editor):
    """A new publish time on a published article is one save and one 'Scheduled' entry."""
    article = ArticleFactory()
    later = timezone.localtime(timezone.now() + timezone.timedelta(days=2)).replace(second=0, microsecond=0)
    client.force_login(editor)
    with article_saves() as counts:
        response = edit(
            client,
            article,
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1=later.strftime("%H:%M:%S"),
        )
    assert response.status_code == 302
    assert counts == {"pre_save": 1, "post_save": 1}
    article.refresh_from_db()
    assert article.published_at == later
    assert list(article.audit_events.values_list("action", flat=True)) == [AuditEvent.Action.SCHEDULED]
