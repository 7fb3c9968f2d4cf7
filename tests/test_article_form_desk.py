"""The article form built for deadline work: field order, the workflow bar, word count,
and tags (suggestions of existing tags, a warning for near-duplicates)."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains
from taggit.models import Tag

from articles.editorial.tag_names import near_duplicates, tag_key
from tests.factories import ArticleFactory
from tests.test_workflow import edit

pytestmark = pytest.mark.django_db
SUGGESTIONS = reverse("admin:articles_article_tag_suggestions")


def test_form_follows_the_order_of_work(client, editor):
    """Title, standfirst, body, section and bylines, tags, lead image, publishing, related, SEO, corrections."""
    article = ArticleFactory()
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    landmarks = [
        'name="title"', 'name="dek"', 'name="body"', 'name="section"', 'id="bylines-group"', 'name="tags"',
        'Lead image</h2>', 'name="status"', 'id="related_links-group"', 'name="seo_title"', 'id="corrections-group"',
    ]  # fmt: skip
    positions = [page.index(landmark) for landmark in landmarks]
    assert positions == sorted(positions)


def test_workflow_steps_sit_in_the_bar_above_the_form(client, editor):
    """Save, preview and every workflow step the user may take come before the first field, in the sticky bar."""
    article = ArticleFactory(draft=True)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    bar = page.index('class="workflow-bar"')
    for button in [
        'value="Save"',
        "Preview unsaved changes",
        "Save and publish",
        "Save and submit for review",
    ]:
        assert bar < page.index(button) < page.index('name="title"')


def test_writer_bar_has_no_publish_button(client, writer):
    """A writer's bar offers submitting for review, never publishing."""
    article = ArticleFactory(draft=True, created_by=writer)
    client.force_login(writer)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Save and submit for review" in page
    assert "Save and publish" not in page


def test_bar_counts_words_and_reading_time(client, editor):
    """The bar shows the body's word count and reading time (230 words a minute)."""
    article = ArticleFactory(body="<p>" + "word " * 461 + "</p><p>Café owner’s tale.</p>")
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assertContains(response, "464 words · 3 min read")


def test_tag_names_that_nearly_match():
    """Case, plurals and accents make near-duplicates; different words do not."""
    assert tag_key("Elections") == tag_key("election")
    assert tag_key("Café Society") == tag_key("cafe society")
    assert tag_key("Policies") == tag_key("policy")
    assert tag_key("Taxes") == tag_key("tax")
    assert tag_key("Press") != tag_key("Pres")
    assert tag_key("Ukraine") != tag_key("Russia")


def test_near_duplicates_names_the_existing_tag():
    """A new name close to an existing tag is paired with it; an existing name or a new word is not."""
    Tag.objects.create(name="Election", slug="election")
    Tag.objects.create(name="Café", slug="cafe")
    pairs = near_duplicates(["elections", "Election", "cafe", "Harbour"])
    assert pairs == [("elections", "Election"), ("cafe", "Café")]


def test_tag_suggestions_offer_existing_tags(client, writer):
    """Typing part of a tag suggests existing tags, those starting with it first."""
    for name in ["Harbour", "Harbour wall", "Old harbour", "Rail"]:
        Tag.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    client.force_login(writer)
    data = client.get(SUGGESTIONS, {"q": "harb"}).json()
    assert data["matches"] == ["Harbour", "Harbour wall", "Old harbour"]


def test_tag_suggestions_check_near_duplicates(client, writer):
    """The tags box asks whether typed names nearly match existing tags."""
    Tag.objects.create(name="Election", slug="election")
    client.force_login(writer)
    data = client.get(SUGGESTIONS, {"check": "elections\nbudget"}).json()
    assert data["near"] == [["elections", "Election"]]


def test_tag_suggestions_need_a_login(client):
    """Anonymous visitors get the login page, not the tag list."""
    response = client.get(SUGGESTIONS, {"q": "a"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_saving_a_near_duplicate_tag_warns_but_saves(client, editor):
    """Saving an article with a new tag close to an old one saves it and warns, naming both."""
    Tag.objects.create(name="Election", slug="election")
    article = ArticleFactory()
    client.force_login(editor)
    response = edit(client, article, tags="Elections, Budget")
    assert response.status_code == 302
    assert sorted(article.tags.names()) == ["Budget", "Elections"]
    said = [str(m) for m in response.wsgi_request._messages]
    assert any("“Elections” is close to the existing “Election”" in message for message in said)
