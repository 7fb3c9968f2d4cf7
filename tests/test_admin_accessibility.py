import re

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def test_inputs_without_a_label_of_their_own_get_an_accessible_name(admin_client_logged_in):
    """The split publish time and every input in the inline table rows carry an aria-label."""
    article = ArticleFactory(authors=[AuthorFactory()])
    html = admin_client_logged_in.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert 'aria-label="Publish time (date)"' in html and 'aria-label="Publish time (time)"' in html
    for name, label in [("position", "Position"), ("DELETE", "Delete"), ("author", "Author")]:
        assert re.search(rf'name="bylines-0-{name}"[^>]* aria-label="{label}"', html), name
    assert "js/admin-accessible-names.js" in html
