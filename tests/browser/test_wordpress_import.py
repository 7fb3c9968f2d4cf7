"""The imported WordPress theme unit test export, as readers see it on a phone."""

import io

import pytest
from django.core.management import call_command

from articles.models import Article, Byline
from tests.browser.support import DESKTOP, PHONE, article_list_columns_cut_off
from tests.factories import AuthorFactory
from tests.test_import_wordpress import WPTEST


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_imported_articles_fit_a_phone_screen(page, transactional_db, viewport, screenshot):
    """At 390 px no imported article page scrolls sideways: long words, images, tables and code fit."""
    call_command("import_wordpress", str(WPTEST), "--no-progress", stdout=io.StringIO())
    too_wide = {}
    for article in Article.objects.published().select_related("section"):
        page.goto(article.get_absolute_url())
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport["width"]:
            too_wide[article.slug] = width
    screenshot("imported-markup-and-formatting")
    assert not too_wide, f"pages wider than {viewport['width']} px: {too_wide}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_article_list_of_an_import_shows_every_column(editor_page, viewport):
    """At 1280 px, beside the filter sidebar, no column of the imported list (longer states,
    several long bylines) is cut off; at 390 px the list scrolls in its own box, not the page."""
    call_command("import_wordpress", str(WPTEST), "--no-progress", stdout=io.StringIO())
    article = Article.objects.published().order_by("-published_at").first()
    for position, name in enumerate(["Maria Lopez-Fernández", "Benedict Okonkwo-Hale", "Catherine Zeta"]):
        Byline.objects.create(article=article, author=AuthorFactory(name=name), position=position + 1)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.IN_REVIEW)
    another = Article.objects.published().order_by("-published_at").first()
    Article.objects.filter(pk=another.pk).update(status=Article.Status.UNPUBLISHED)
    page = editor_page
    page.set_viewport_size(viewport)
    page.goto("/admin/articles/article/")
    for state in ("Scheduled", "In review", "Unpublished", "Draft"):
        assert page.locator("#result_list .field-state", has_text=state).count(), state
    if viewport == DESKTOP:
        assert not article_list_columns_cut_off(page)
    else:
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        results = page.locator("#changelist .results")
        results.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        last = page.get_by_role("columnheader", name="Last edited").bounding_box()
        assert last["x"] + last["width"] <= PHONE["width"] + 0.5
