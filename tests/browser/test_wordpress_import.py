"""The imported WordPress theme unit test export, as readers see it on a phone."""

import io

import pytest
from django.core.management import call_command

from articles.models import Article
from tests.browser.support import PHONE
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
