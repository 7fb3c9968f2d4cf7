import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Section
from importers.models import LegacyPath, WordPressPost
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_addresses():
    news = Section.objects.create(name="News", slug="news")
    sport = Section.objects.create(name="Sport", slug="sport")
    return (
        LegacyPath.objects.create(path="/demo/category/news/", section=news),
        LegacyPath.objects.create(path="/demo/category/football/", section=sport),
    )


def test_a_superuser_lists_searches_and_deletes_old_addresses(client, superuser, old_addresses):
    """The list shows each old address and where it leads; deleting one makes it a 404 again."""
    wrong, right = old_addresses
    client.force_login(superuser)
    changelist = reverse("admin:importers_legacypath_changelist")
    assertContains(client.get(reverse("admin:index")), changelist)
    response = client.get(changelist, {"q": "football"})
    assertContains(response, "/demo/category/football/")
    assertContains(response, '<a href="/sport/">Sport</a>', html=False)
    assertNotContains(response, "/demo/category/news/")
    assertContains(client.get(changelist, {"kind": "section"}), "/demo/category/news/")
    assertNotContains(client.get(changelist, {"kind": "tag"}), "/demo/category/news/")
    assert client.get(reverse("admin:importers_legacypath_add")).status_code == 403
    change = client.get(reverse("admin:importers_legacypath_change", args=[wrong.pk]))
    assertNotContains(change, 'name="path"')  # read-only: no field to edit

    assert client.get("/demo/category/football/")["Location"] == "/sport/"
    response = client.post(reverse("admin:importers_legacypath_delete", args=[right.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert client.get("/demo/category/football/").status_code == 404
    assert client.get("/demo/category/news/")["Location"] == "/news/"


def test_a_writer_cannot_see_the_import_records(client, writer, old_addresses):
    client.force_login(writer)
    assertNotContains(client.get(reverse("admin:index")), "importers")
    for name in ("legacypath", "wordpresspost", "wordpressterm", "wordpressattachment"):
        assert client.get(reverse(f"admin:importers_{name}_changelist")).status_code == 403, name
    wrong = old_addresses[0]
    response = client.post(reverse("admin:importers_legacypath_delete", args=[wrong.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert LegacyPath.objects.filter(pk=wrong.pk).exists()


def test_the_other_import_records_are_listed_for_a_superuser(client, superuser):
    client.force_login(superuser)
    for name in ("wordpresspost", "wordpressterm", "wordpressattachment"):
        response = client.get(reverse(f"admin:importers_{name}_changelist"), {"q": "x"})
        assert response.status_code == 200, name


def test_records_a_second_import_run_relies_on_cannot_be_deleted(client, superuser):
    """Deleting which post became which article would make the next run import it again as a copy."""
    article = ArticleFactory(title="Imported once")
    record = WordPressPost.objects.create(
        source="https://old.example", wp_id=7, post_type="post", article=article, article_version=1
    )
    client.force_login(superuser)
    response = client.post(reverse("admin:importers_wordpresspost_delete", args=[record.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert WordPressPost.objects.filter(pk=record.pk).exists()
