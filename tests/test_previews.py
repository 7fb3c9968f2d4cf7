from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.editorial import services
from articles.models import Article, AuditEvent, PreviewLink, sign_preview_token
from tests.factories import ArticleFactory, AuthorFactory
from tests.html_forms import form_data
from tests.test_workflow import change_url

pytestmark = pytest.mark.django_db


def assert_private_and_noindex(response):
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


class TestAdminPreview:
    def test_preview_renders_unsaved_changes_with_the_article_template(self, client, editor):
        """The form as typed is shown with the real template, marked as a preview; nothing is saved."""
        article = ArticleFactory(draft=True, title="Draft headline")
        author = AuthorFactory(name="Ana Byline")
        client.force_login(editor)
        data = form_data(client.get(change_url(article)))
        data.update(
            {
                "title": "Unsaved headline",
                "body": "<p>Unsaved paragraph.</p>",
                "tags": "Floods",
                "bylines-TOTAL_FORMS": "1",
                "bylines-0-author": str(author.pk),
                "bylines-0-position": "0",
            }
        )
        response = client.post(reverse("admin:articles_article_preview", args=[article.pk]), data)
        assert response.status_code == 200
        assertContains(response, "Unsaved headline")
        assertContains(response, "Unsaved paragraph.")
        assertContains(response, "Ana Byline")
        assertContains(response, "Floods")
        assertContains(response, "Preview of unsaved changes")
        assertContains(response, '<meta name="robots" content="noindex, nofollow">', html=False)
        assert_private_and_noindex(response)
        article.refresh_from_db()
        assert (
            article.title == "Draft headline" and not article.tags.exists() and not article.bylines.exists()
        )

    def test_preview_of_a_new_article_saves_nothing(self, client, editor):
        from tests.test_workflow import new_article_data

        client.force_login(editor)
        response = client.post(reverse("admin:articles_article_preview"), new_article_data(client))
        assertContains(response, "Bridge closes for repairs")
        assert not Article.objects.filter(title="Bridge closes for repairs").exists()

    def test_preview_with_form_errors_says_what_to_fix(self, client, editor):
        article = ArticleFactory(draft=True)
        client.force_login(editor)
        data = form_data(client.get(change_url(article)))
        data["title"] = ""
        response = client.post(reverse("admin:articles_article_preview", args=[article.pk]), data)
        assertContains(response, "can't be previewed yet", status_code=400)
        assertContains(response, "Title", status_code=400)

    def test_preview_of_the_saved_draft(self, client, writer):
        article = ArticleFactory(draft=True, title="Saved draft", created_by=writer)
        client.force_login(writer)
        response = client.get(reverse("admin:articles_article_preview", args=[article.pk]))
        assertContains(response, "Saved draft")
        assert_private_and_noindex(response)

    def test_view_on_site_of_a_draft_opens_the_preview(self, client, editor):
        """The admin's "View on site" leads to the preview until the article is public."""
        draft, live = ArticleFactory(draft=True), ArticleFactory()
        client.force_login(editor)
        assertContains(
            client.get(change_url(draft)), reverse("admin:articles_article_preview", args=[draft.pk])
        )
        assertContains(
            client.get(change_url(live)), f'href="{live.get_absolute_url()}" class="viewsitelink"', html=False
        )

    def test_preview_needs_a_login(self, client):
        article = ArticleFactory(draft=True)
        response = client.get(reverse("admin:articles_article_preview", args=[article.pk]))
        assert response.status_code == 302 and "/login/" in response["Location"]


class TestShareableLinks:
    @pytest.fixture
    def link(self, editor):
        article = ArticleFactory(draft=True, title="Embargoed investigation")
        return services.share_preview(article, by=editor)

    def test_valid_link_shows_the_draft_read_only_and_noindex(self, client, link):
        """Anyone with the link sees the draft, marked as a preview, never cached or indexed."""
        response = client.get(link.get_absolute_url())
        assertContains(response, "Embargoed investigation")
        assertContains(response, "not published yet")
        assert_private_and_noindex(response)
        assertNotContains(response, "csrfmiddlewaretoken")
        assert client.post(link.get_absolute_url()).status_code == 405
        assert link.article.audit_events.filter(action=AuditEvent.Action.PREVIEW_SHARED).exists()

    def test_link_expires_after_48_hours(self, client, link, time_machine):
        time_machine.move_to(timezone.now() + timedelta(hours=47), tick=False)
        assert client.get(link.get_absolute_url()).status_code == 200
        time_machine.move_to(timezone.now() + timedelta(hours=2), tick=False)
        response = client.get(link.get_absolute_url())
        assertContains(response, "expired", status_code=410)
        assertNotContains(response, "Embargoed investigation", status_code=410)

    def test_tampered_link_is_refused(self, client, link):
        signed = sign_preview_token(link.token)
        tampered = signed[:-1] + ("A" if signed[-1] != "A" else "B")
        response = client.get(reverse("articles:preview", args=[tampered]))
        assertContains(response, "not valid", status_code=404)
        other_token = sign_preview_token("made-up-token")
        assert client.get(reverse("articles:preview", args=[other_token])).status_code == 404
        # The bare token without its signature does not work either.
        assert client.get(reverse("articles:preview", args=[link.token])).status_code == 404

    def test_revoked_link_stops_working(self, client, editor, link):
        client.force_login(editor)
        client.post(reverse("admin:articles_article_revoke_preview", args=[link.pk]))
        client.logout()
        link.refresh_from_db()
        assert link.revoked_at is not None
        assertContains(client.get(link.get_absolute_url()), "withdrawn", status_code=410)

    def test_editor_shares_from_the_edit_form(self, client, editor):
        article = ArticleFactory(draft=True)
        client.force_login(editor)
        response = client.post(reverse("admin:articles_article_share", args=[article.pk]), follow=True)
        link = PreviewLink.objects.get(article=article)
        assertContains(response, link.get_absolute_url())
        assert abs(link.expires_at - link.created_at - timedelta(hours=48)) < timedelta(seconds=1)

    def test_link_to_a_since_published_article_goes_to_the_live_page(self, client, editor, link):
        services.publish_article(link.article, by=editor)
        response = client.get(link.get_absolute_url())
        assert response.status_code == 302 and response["Location"] == link.article.get_absolute_url()
