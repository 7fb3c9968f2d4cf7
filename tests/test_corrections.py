from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.editorial import services
from articles.models import AuditEvent, Correction
from tests.factories import ArticleFactory
from tests.html_forms import form_data
from tests.test_workflow import change_url

pytestmark = pytest.mark.django_db


def test_readers_see_corrections_at_the_end_and_updated_in_the_byline(client, editor, time_machine):
    """A correction shows after the body with its date; the byline says Updated with its time."""
    article = ArticleFactory(body="<p>The levy is £2m.</p>")
    time_machine.move_to(timezone.now() + timedelta(minutes=1), tick=False)
    services.add_correction(
        article,
        kind=Correction.Kind.CORRECTION,
        text="An earlier version gave the levy as £2m; it is £2.4m.",
        by=editor,
    )
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert html.index("The levy is £2m.") < html.index("An earlier version gave the levy")
    assertContains(response, "Corrections and updates")
    assertContains(response, "Updated <time", html=False)
    assert article.audit_events.filter(action=AuditEvent.Action.CORRECTED, actor=editor).exists()


def test_corrections_page_lists_recent_ones_across_the_site(client, editor):
    """/corrections/ lists corrections newest first, only of articles readers can see."""
    live, draft = ArticleFactory(title="Live story"), ArticleFactory(draft=True, title="Hidden draft")
    services.add_correction(live, kind="correction", text="Fixed a name.", by=editor)
    services.add_correction(live, kind="update", text="Added the council's reply.", by=editor)
    Correction.objects.create(article=draft, text="Secret fix.")
    response = client.get(reverse("articles:corrections"))
    assertContains(response, "Live story")
    assertNotContains(response, "Secret fix.")
    html = response.content.decode()
    assert html.index("Added the council") < html.index("Fixed a name.")


def test_corrections_page_is_friendly_when_empty(client, db):
    assertContains(client.get("/corrections/"), "No corrections have been published.")


def test_editor_adds_a_correction_inline_in_the_article_form(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    data = form_data(client.get(change_url(article)))
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "update",
            "corrections-0-text": "Now confirmed.",
        }
    )
    assert client.post(change_url(article), data).status_code == 302
    correction = Correction.objects.get(article=article)
    assert correction.created_by == editor and correction.kind == "update"
    assertContains(client.get(article.get_absolute_url()), "Now confirmed.")


def test_writer_cannot_add_a_correction_through_the_form(client, writer):
    """A correction posted by a writer in the article form is not saved."""
    article = ArticleFactory(draft=True, created_by=writer)
    client.force_login(writer)
    data = form_data(client.get(change_url(article)))
    data.update(
        {"corrections-TOTAL_FORMS": "1", "corrections-0-kind": "update", "corrections-0-text": "Sneaky."}
    )
    client.post(change_url(article), data)
    assert not Correction.objects.exists()


def test_article_page_with_corrections_stays_within_its_query_budget(
    client, editor, django_assert_max_num_queries
):
    article = ArticleFactory(tags=["a", "b"])
    for n in range(5):
        services.add_correction(article, kind="correction", text=f"Fix {n}", by=editor)
    # The article page's budget (tests/test_views.py): 9 with its section's "More in" list.
    with django_assert_max_num_queries(9):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_a_correction_from_the_corrections_list_is_filed_like_any_other(client, editor):
    """Adding a correction on its own admin page records who filed it and notes it in the audit trail."""
    article = ArticleFactory()
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_correction_add"),
        {
            "article": article.pk,
            "kind": "correction",
            "text": "The levy is £2.4m.",
            "created_at_0": timezone.localdate().isoformat(),
            "created_at_1": "09:30:00",
        },
    )
    assert response.status_code == 302
    correction = Correction.objects.get(article=article)
    assert correction.created_by == editor
    event = article.audit_events.get()
    assert (event.action, event.actor, event.detail) == (AuditEvent.Action.CORRECTED, editor, correction.text)
