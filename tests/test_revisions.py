from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains
from reversion.models import Revision

from articles.editorial import revisions, services
from articles.models import Article, AuditEvent
from tests.factories import ArticleFactory, AuthorFactory
from tests.html_forms import form_data
from tests.test_workflow import change_url, edit

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(client, editor):
    """An article edited twice in the admin by an editor: two revisions."""
    first, second = AuthorFactory(name="Maria Lopez"), AuthorFactory(name="Sam Okafor")
    article = ArticleFactory(title="Original headline", body="<p>First draft text.</p>", authors=[first])
    article.tags.add("Harbour")
    client.force_login(editor)
    assert edit(client, article, title="Original headline").status_code == 302
    data = form_data(client.get(change_url(article)))
    data.update(
        {
            "title": "Sharper headline",
            "body": "<p>Second draft text.</p>",
            "tags": "Harbour, Budget",
            "bylines-0-author": str(second.pk),
        }
    )
    assert client.post(change_url(article), data).status_code == 302
    return article


def test_every_admin_save_keeps_a_revision_with_relations(story, editor):
    """A revision holds the fields, body, bylines and tags, with who saved it."""
    versions = list(revisions.versions_of(story))
    assert len(versions) == 3
    newest, older, baseline = versions
    assert baseline.revision.comment == "As it was before its first edit in the admin"
    assert newest.revision.user == editor
    assert newest.revision.comment == "Changed Title, Body, Tags, bylines"
    old, new = revisions.snapshot(older), revisions.snapshot(newest)
    assert (old["Headline"], new["Headline"]) == ("Original headline", "Sharper headline")
    assert (old["Authors"], new["Authors"]) == ("Maria Lopez", "Sam Okafor")
    assert (old["Tags"], new["Tags"]) == ("Harbour", "Budget, Harbour")
    assert old["Body"] == "First draft text."


def test_history_shows_a_readable_diff_between_two_revisions(client, story):
    """The admin history page marks removed and added words between two chosen revisions."""
    newest, older = revisions.versions_of(story)[:2]
    url = reverse("admin:articles_article_history", args=[story.pk])
    response = client.get(url, {"old": older.pk, "new": newest.pk})
    assertContains(response, "<del>Original</del><ins>Sharper</ins> headline", html=False)
    assertContains(response, "<del>Maria Lopez</del><ins>Sam Okafor</ins>", html=False)
    assertContains(response, "Restore this revision")


def test_restoring_a_revision_brings_back_content_and_relations_as_a_new_revision(client, story, editor):
    """Restore puts back headline, body, byline and tags, keeps the workflow state, and adds a revision."""
    newest, older = revisions.versions_of(story)[:2]
    services.unpublish(story, by=editor)
    url = reverse("admin:articles_article_restore_revision", args=[story.pk, older.pk])
    assert client.post(url).status_code == 302
    story.refresh_from_db()
    assert story.title == "Original headline"
    assert "First draft text." in story.body
    assert [b.author.name for b in story.bylines.all()] == ["Maria Lopez"]
    assert sorted(t.name for t in story.tags.all()) == ["Harbour"]
    assert story.status == Article.Status.UNPUBLISHED
    latest = revisions.versions_of(story).first()
    assert latest.revision.comment.startswith("Restored the revision of")
    assert story.audit_events.filter(action=AuditEvent.Action.REVERTED).exists()
    # The restore itself can be undone: the text it replaced is still in the history.
    assert any(revisions.snapshot(v)["Headline"] == "Sharper headline" for v in revisions.versions_of(story))


def test_restore_needs_edit_rights(client, story, writer):
    """A writer cannot restore a revision of an article that is not theirs."""
    newest, older = revisions.versions_of(story)[:2]
    client.force_login(writer)
    url = reverse("admin:articles_article_restore_revision", args=[story.pk, older.pk])
    client.post(url)
    story.refresh_from_db()
    assert story.title == "Sharper headline"


def test_workflow_steps_keep_revisions_too(editor):
    article = ArticleFactory(draft=True)
    services.publish_article(article, by=editor)
    assert revisions.versions_of(article).first().revision.comment == "Published"


class TestRetention:
    def make_revision(self, article, editor, *, days_ago, status):
        Article.objects.filter(pk=article.pk).update(status=status)
        article.refresh_from_db()
        with_time = timezone.now() - timedelta(days=days_ago)
        import reversion

        with reversion.create_revision():
            reversion.set_user(editor)
            reversion.set_date_created(with_time)
            reversion.add_to_revision(article)

    def test_prune_keeps_recent_published_and_one_a_day(self, editor, time_machine):
        """Old drafts are thinned to one a day; recent, published and newest revisions stay."""
        time_machine.move_to("2026-06-15 12:00Z", tick=False)
        article = ArticleFactory(draft=True)
        for hours in (0, 1, 2):  # three saves on one old day: only the newest stays
            self.make_revision(article, editor, days_ago=60 + hours / 24, status="draft")
        self.make_revision(article, editor, days_ago=50, status="published")
        self.make_revision(article, editor, days_ago=50 - 1 / 24, status="published")
        for _ in range(2):
            self.make_revision(article, editor, days_ago=1, status="draft")
        assert Revision.objects.count() == 7
        out = StringIO()
        call_command("prune_revisions", "--dry-run", stdout=out)
        assert "2 revisions would be deleted" in out.getvalue()
        assert Revision.objects.count() == 7
        call_command("prune_revisions", stdout=out)
        assert Revision.objects.count() == 5
        statuses = [revisions.snapshot(v)["Status"] for v in revisions.versions_of(article)]
        assert statuses.count("Published") == 2

    def test_prune_keeps_the_newest_revision_even_when_old(self, editor):
        article = ArticleFactory(draft=True)
        self.make_revision(article, editor, days_ago=90, status="draft")
        call_command("prune_revisions", stdout=StringIO())
        assert revisions.versions_of(article).count() == 1


def test_restoring_a_revision_refreshes_the_cached_article_page(
    client, story, editor, django_capture_on_commit_callbacks
):
    """Readers see the restored headline at once, on the article page and in its section's list."""
    client.logout()
    older = revisions.versions_of(story)[1]
    assert b"Sharper headline" in client.get(story.get_absolute_url()).content
    section_url = story.section.get_absolute_url()
    assert b"Sharper headline" in client.get(section_url).content
    with django_capture_on_commit_callbacks(execute=True):
        services.restore_revision(story, older, by=editor)
    assert b"Original headline" in client.get(story.get_absolute_url()).content
    assert b"Original headline" in client.get(section_url).content
