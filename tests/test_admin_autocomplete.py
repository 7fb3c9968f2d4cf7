import warnings

import pytest
from django.core.paginator import UnorderedObjectListWarning
from django.urls import reverse

from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


def test_section_autocomplete_lists_sections_in_menu_order(admin_client_logged_in):
    """The article form's section picker pages through sections in their menu order."""
    SectionFactory(name="Sport", slug="sport", position=2)
    SectionFactory(name="City", slug="city", position=1)
    with warnings.catch_warnings():
        # An unordered queryset warns that its pages may overlap.
        warnings.simplefilter("error", UnorderedObjectListWarning)
        response = admin_client_logged_in.get(
            reverse("admin:autocomplete"),
            {"app_label": "articles", "model_name": "article", "field_name": "section", "term": ""},
        )
    assert [result["text"] for result in response.json()["results"]] == ["City", "Sport"]


@pytest.mark.parametrize(
    ("model_name", "field_name", "found"),
    [
        ("article", "section", "City"),
        ("article", "related_articles", "City budget passes"),
        ("byline", "author", "City Desk"),
        ("author", "user", "chief"),
    ],
)
def test_autocomplete_terms_with_a_nul_byte_are_searched_without_it(
    admin_client_logged_in, model_name, field_name, found
):
    """Every autocomplete box answers a term holding a NUL (PostgreSQL refuses it in a query) as if typed without."""
    from tests.factories import ArticleFactory, AuthorFactory

    ArticleFactory(title="City budget passes", section=SectionFactory(name="City", slug="city"))
    AuthorFactory(name="City Desk")
    term = {"user": "chi\x00ef"}.get(field_name, "Ci\x00ty")
    response = admin_client_logged_in.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    assert found in [result["text"] for result in response.json()["results"]]


def test_autocomplete_still_needs_a_login(client):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "section", "term": "x"},
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
