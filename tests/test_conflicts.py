import pytest
from django.test import Client
from pytest_django.asserts import assertContains

from articles.admin.forms import ArticleAdminForm
from articles.editorial import services
from articles.models import Article
from tests.factories import ArticleFactory
from tests.html_forms import form_data
from tests.test_workflow import change_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(editor, second_editor):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(second_editor)
    return first, second


def test_second_save_of_a_stale_form_is_refused_with_who_when_and_what(two_editors, editor):
    """Two editors open the article; the later save is refused, naming who changed what, input kept."""
    article = ArticleFactory(title="Council meets", body="<p>The council met on Monday.</p>")
    first, second = two_editors
    first_form = form_data(first.get(change_url(article)))
    second_form = form_data(second.get(change_url(article)))

    first_form["title"] = "Council meets at last"
    assert first.post(change_url(article), first_form).status_code == 302

    second_form["body"] = "<p>The council met on Tuesday, not Monday.</p>"
    response = second.post(change_url(article), second_form)
    assert response.status_code == 200
    assertContains(response, "edna saved this article at")
    assertContains(response, "Nothing was saved from this form")
    assertContains(
        response, '<th scope="row">Headline</th><td>Council meets<ins> at last</ins></td>', html=False
    )
    # Their own text is still in the form, ready to merge.
    assertContains(response, "The council met on Tuesday, not Monday.")
    article.refresh_from_db()
    assert article.title == "Council meets at last" and "Monday." in article.body

    # After merging, saving the returned form works: it now carries the newer edit stamp.
    merged = form_data(response)
    merged["title"] = "Council meets at last"
    assert second.post(change_url(article), merged).status_code == 302
    article.refresh_from_db()
    assert article.title == "Council meets at last" and "Tuesday" in article.body


def test_a_workflow_step_makes_open_forms_stale(two_editors, editor):
    """Publishing from the list while someone edits: their save is refused too."""
    article = ArticleFactory(draft=True, title="Draft in progress")
    first, _ = two_editors
    stale = form_data(first.get(change_url(article)))
    services.submit_for_review(article, by=editor)
    stale["title"] = "Overwrite attempt"
    response = first.post(change_url(article), stale)
    assertContains(response, "after you opened it")
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW


def test_losing_the_race_after_validation_shows_the_conflict(two_editors, monkeypatch, second_editor):
    """If the other save lands between validation and the UPDATE, the form still comes back intact."""
    article = ArticleFactory(title="Race")
    first, second = two_editors
    data = form_data(first.get(change_url(article)))
    data["body"] = "<p>Words that must not be lost.</p>"
    other = form_data(second.get(change_url(article)))
    other["title"] = "Race won by the other editor"
    assert second.post(change_url(article), other).status_code == 302

    # The first validation passes as if it ran just before the other save committed.
    original_check = ArticleAdminForm._check_for_newer_save
    calls = []

    def check_after_the_first(form, loaded_version):
        calls.append(loaded_version)
        if len(calls) > 1:
            original_check(form, loaded_version)

    monkeypatch.setattr(ArticleAdminForm, "_check_for_newer_save", check_after_the_first)
    response = first.post(change_url(article), data)
    assert response.status_code == 200
    assert len(calls) == 2
    assertContains(response, "after you opened it")
    assertContains(response, "Words that must not be lost.")
    assert Article.objects.get(pk=article.pk).title == "Race won by the other editor"


def test_validation_error_keeps_everything_typed(client, editor):
    """A form with an error comes back with the body and other fields as typed."""
    article = ArticleFactory()
    client.force_login(editor)
    data = form_data(client.get(change_url(article)))
    data.update({"title": "", "body": "<p>A long paragraph typed under deadline.</p>", "dek": "New dek"})
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assertContains(response, "This field is required")
    assertContains(response, "A long paragraph typed under deadline.")
    assertContains(response, "New dek")
