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
