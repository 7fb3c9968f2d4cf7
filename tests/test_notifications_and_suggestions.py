"""E-mail about the workflow (Django's mail outbox), and corrections suggested by writers."""

import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.editorial import services
from articles.models import AuditEvent, Correction, CorrectionSuggestion
from tests.factories import ArticleFactory
from tests.test_workflow import edit

pytestmark = pytest.mark.django_db
Status = CorrectionSuggestion.Status


def test_editors_get_an_email_when_a_writer_submits(
    writer, editor, second_editor, django_capture_on_commit_callbacks
):
    """Submitting for review e-mails every editor (not the writer), with a link to the article."""
    article = ArticleFactory(title="Pier reopens", draft=True, created_by=writer)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(article, by=writer)
    assert sorted(to for message in mail.outbox for to in message.to) == [
        "edna@example.com",
        "eric@example.com",
    ]
    assert mail.outbox[0].subject == "For review: Pier reopens"
    assert f"/admin/articles/article/{article.pk}/change/" in mail.outbox[0].body


def test_submitting_through_the_form_emails_editors(
    client, writer, editor, django_capture_on_commit_callbacks
):
    """The admin form's "Save and submit for review" sends the same e-mail, once."""
    article = ArticleFactory(title="Pier reopens", draft=True, created_by=writer)
    client.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        edit(client, article, _transition="review")
    assert [message.to for message in mail.outbox] == [["edna@example.com"]]


def test_writer_gets_an_email_when_published_with_the_live_link(
    writer, editor, django_capture_on_commit_callbacks
):
    """Publishing tells the writer, with the address of the live page."""
    article = ArticleFactory(title="Pier reopens", draft=True, created_by=writer)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(article, by=editor)
    assert [message.to for message in mail.outbox] == [["wendy@example.com"]]
    assert mail.outbox[0].subject == "Published: Pier reopens"
    assert article.get_absolute_url() in mail.outbox[0].body


def test_writer_gets_an_email_when_sent_back(client, writer, editor, django_capture_on_commit_callbacks):
    """Returning an article to draft tells its writer."""
    article = ArticleFactory(title="Pier reopens", draft=True, created_by=writer)
    services.submit_for_review(article, by=writer)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        edit(client, article, _transition="draft")
    assert [message.subject for message in mail.outbox] == ["Sent back to draft: Pier reopens"]


def test_a_setting_turns_emails_off(settings, writer, editor, django_capture_on_commit_callbacks):
    """EDITORIAL_EMAILS = False sends nothing."""
    settings.EDITORIAL_EMAILS = False
    article = ArticleFactory(draft=True, created_by=writer)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(article, by=writer)
    assert mail.outbox == []


def test_a_failing_mail_server_never_fails_the_save(
    settings, writer, editor, django_capture_on_commit_callbacks, caplog
):
    """When sending fails the step is still saved, and the failure is logged."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    article = ArticleFactory(draft=True, created_by=writer)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_for_review(article, by=writer)
    article.refresh_from_db()
    assert article.status == "review"
    assert "Could not send" in caplog.text


def test_no_email_for_a_step_that_was_rolled_back(writer, editor, django_capture_on_commit_callbacks):
    """A refused step sends nothing."""
    article = ArticleFactory(draft=True, created_by=writer)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.WorkflowError):
        services.publish_article(article, by=writer)
    assert mail.outbox == []


# -- corrections suggested by writers -------------------------------------------------


def test_writer_suggests_and_editor_approves_a_correction(
    client, writer, editor, django_capture_on_commit_callbacks
):
    """A writer's suggestion reaches the editors; approved, readers see it as a correction."""
    article = ArticleFactory(title="Council votes", created_by=writer)
    client.force_login(writer)
    add = reverse("admin:articles_correctionsuggestion_add")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            add, {"article": article.pk, "kind": "correction", "text": "The vote was 7-2."}
        )
    assert response.status_code == 302
    suggestion = CorrectionSuggestion.objects.get()
    assert suggestion.status == Status.PENDING and suggestion.suggested_by == writer
    assert [message.subject for message in mail.outbox] == ["Correction suggested: Council votes"]
    assertNotContains(client.get(article.get_absolute_url()), "The vote was 7-2.")

    client.force_login(editor)
    decide = reverse("admin:articles_correctionsuggestion_decide", args=[suggestion.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(decide, {"_approve": "1", "text": "The vote was 7-2, not 6-3."})
    suggestion.refresh_from_db()
    assert suggestion.status == Status.APPROVED
    assert suggestion.correction.text == "The vote was 7-2, not 6-3."
    assertContains(client.get(article.get_absolute_url()), "The vote was 7-2, not 6-3.")
    assert mail.outbox[-1].to == ["wendy@example.com"]


def test_editor_rejects_with_a_reason(writer, editor):
    """A rejected suggestion files no correction and keeps the editor's reason."""
    article = ArticleFactory()
    suggestion = services.suggest_correction(article, kind="correction", text="Wrong.", by=writer)
    services.reject_correction_suggestion(suggestion, by=editor, note="The date was right.")
    suggestion.refresh_from_db()
    assert suggestion.status == Status.REJECTED and suggestion.decision_note == "The date was right."
    assert not Correction.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SUGGESTION_REJECTED).exists()


def test_writer_cannot_approve(writer):
    """Only editors decide: a writer approving their own suggestion is refused."""
    suggestion = services.suggest_correction(ArticleFactory(), kind="correction", text="Wrong.", by=writer)
    with pytest.raises(services.WorkflowError):
        services.approve_correction_suggestion(suggestion, by=writer)
    assert not Correction.objects.exists()


def test_writer_cannot_approve_through_the_admin(client, writer):
    """The decide URL answers a writer 403 and files nothing."""
    suggestion = services.suggest_correction(ArticleFactory(), kind="correction", text="Wrong.", by=writer)
    client.force_login(writer)
    response = client.post(
        reverse("admin:articles_correctionsuggestion_decide", args=[suggestion.pk]), {"_approve": "1"}
    )
    assert response.status_code == 403
    assert not Correction.objects.exists()


def test_a_suggestion_is_decided_once(writer, editor, second_editor):
    """Approving an already rejected suggestion is refused."""
    suggestion = services.suggest_correction(ArticleFactory(), kind="correction", text="Wrong.", by=writer)
    services.reject_correction_suggestion(suggestion, by=editor)
    with pytest.raises(services.WorkflowError, match="already rejected"):
        services.approve_correction_suggestion(suggestion, by=second_editor)


def test_suggestions_only_on_published_articles(client, writer):
    """A draft cannot get a suggested correction: the form says why."""
    draft = ArticleFactory(draft=True, created_by=writer)
    client.force_login(writer)
    response = client.post(
        reverse("admin:articles_correctionsuggestion_add"),
        {"article": draft.pk, "kind": "correction", "text": "x"},
    )
    assertContains(response, "Corrections are for articles readers can see")
    assert not CorrectionSuggestion.objects.exists()


def test_writer_sees_only_own_suggestions(client, writer, other_writer):
    """Writers list their own suggestions, not their colleagues'."""
    article = ArticleFactory()
    services.suggest_correction(article, kind="correction", text="Mine to suggest.", by=writer)
    services.suggest_correction(article, kind="correction", text="Walter's idea.", by=other_writer)
    client.force_login(writer)
    response = client.get(reverse("admin:articles_correctionsuggestion_changelist"))
    assert [s.text for s in response.context["cl"].result_list] == ["Mine to suggest."]


def test_published_article_page_offers_writers_to_suggest_a_correction(client, writer):
    """A writer looking at a published article (read-only for them) finds "Suggest a correction"."""
    article = ArticleFactory(created_by=writer)
    client.force_login(writer)
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assertContains(response, f"{reverse('admin:articles_correctionsuggestion_add')}?article={article.pk}")


def test_editors_desk_lists_pending_suggestions(client, writer, editor):
    """The editor's desk lists suggestions waiting for a decision."""
    article = ArticleFactory(title="Council votes")
    services.suggest_correction(article, kind="correction", text="The vote was 7-2.", by=writer)
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    assertContains(response, "Suggested corrections waiting")
    assertContains(response, "The vote was 7-2.")
