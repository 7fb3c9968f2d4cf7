"""The article page's own parts (the article, what is listed under it) kept as a fragment with their keys.

"Uncached" here is the page built again, its page-cache entry gone (an invalidation of a key
only the page has, an eviction): it takes the parts from their fragment, which must be
exactly as fresh as the page would have been.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.editorial import services
from articles.models import Correction
from articles.pagecache import bulk_changes, depends_on, fragment_with_keys, keys, page_cache_key
from articles.pagecache.versions import bump
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory
from tests.html_forms import form_data
from tests.test_body_figures import library_figure
from tests.test_workflow import change_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    """A City story by Maria tagged Flood, with a related Sport pick and City neighbours."""
    now = timezone.now()
    city, sport = SectionFactory(name="City", slug="city"), SectionFactory(name="Sport", slug="sport")
    maria = AuthorFactory(name="Maria Lopez", slug="maria")
    pick = ArticleFactory(title="Derby day", section=sport, published_at=now - timedelta(days=2))
    older = ArticleFactory(title="Ferry fares rise", section=city, published_at=now - timedelta(days=3))
    story = ArticleFactory(
        title="Flood wall fails",
        section=city,
        tags=["Flood"],
        authors=[maria],
        related=[pick],
        published_at=now - timedelta(days=1),
    )
    newer = ArticleFactory(title="Council meets", section=city, published_at=now - timedelta(hours=2))
    return {"story": story, "pick": pick, "older": older, "newer": newer, "city": city, "sport": sport,
            "maria": maria, "url": story.get_absolute_url()}  # fmt: skip


def uncached(client, url):
    """The page built again, its page-cache entry dropped first."""
    cache.delete(page_cache_key(RequestFactory().get(url)))
    response = client.get(url)
    assert response["X-Cache"] == "miss"
    return response


def test_a_second_uncached_view_reads_only_the_article_row(client, desk, django_assert_max_num_queries):
    """Built once, the article's parts come from the cache: one query for the article, the same page."""
    first = uncached(client, desk["url"])
    with django_assert_max_num_queries(1):
        second = uncached(client, desk["url"])
    assert second.content == first.content
    assert second.cache_keys == first.cache_keys  # so a page cached from the fragment goes stale with it
    for shown in (
        "Flood wall fails",
        "Maria Lopez",
        "Flood",
        "Derby day",
        "Ferry fares rise",
        "Council meets",
    ):
        assertContains(second, shown)


def test_the_fragment_keys_name_everything_the_parts_show(client, desk):
    """The article, its tags, authors and section, and every article listed with its section."""
    response = uncached(client, desk["url"])
    tag = desk["story"].tags.get()
    assert {
        keys.article_key(desk["story"].pk),
        keys.article_key(desk["pick"].pk),
        keys.article_key(desk["older"].pk),
        keys.article_key(desk["newer"].pk),
        keys.tag_key(tag.pk),
        keys.author_key(desk["maria"].pk),
        keys.section_key(desk["city"].pk),
        keys.section_key(desk["sport"].pk),
        keys.SITE,
    } <= response.cache_keys


def test_a_correction_shows_on_the_next_uncached_view(
    client, desk, editor, django_capture_on_commit_callbacks
):
    uncached(client, desk["url"])
    with django_capture_on_commit_callbacks(execute=True):
        services.add_correction(
            desk["story"], kind=Correction.Kind.CORRECTION, text="The wall held.", by=editor
        )
    assertContains(uncached(client, desk["url"]), "The wall held.")


def test_a_listed_article_that_is_unpublished_leaves_at_once(
    client, desk, editor, django_capture_on_commit_callbacks
):
    """The related pick and the previous article, unpublished, are gone from the next uncached view."""
    uncached(client, desk["url"])
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(desk["pick"], by=editor)
        services.unpublish(desk["older"], by=editor)
    response = uncached(client, desk["url"])
    assertNotContains(response, "Derby day")
    assertNotContains(response, "Ferry fares rise")


def test_a_listed_article_retitled_shows_its_new_title(client, desk, django_capture_on_commit_callbacks):
    uncached(client, desk["url"])
    with django_capture_on_commit_callbacks(execute=True):
        desk["newer"].title = "Council meets again"
        desk["newer"].save()
    assertContains(uncached(client, desk["url"]), "Council meets again")


def test_a_renamed_tag_shows_on_the_next_uncached_view(client, desk, django_capture_on_commit_callbacks):
    uncached(client, desk["url"])
    tag = desk["story"].tags.get()
    with django_capture_on_commit_callbacks(execute=True):
        tag.name = "Floods and storms"
        tag.save()
    response = uncached(client, desk["url"])
    assertContains(response, "Floods and storms", count=3)  # the tag list, OpenGraph and JSON-LD


def test_a_renamed_byline_author_shows_on_the_next_uncached_view(
    client, desk, django_capture_on_commit_callbacks
):
    uncached(client, desk["url"])
    with django_capture_on_commit_callbacks(execute=True):
        desk["maria"].name = "María López"
        desk["maria"].save()
    response = uncached(client, desk["url"])
    assertContains(response, "María López", count=2)  # the byline and the JSON-LD
    assertNotContains(response, "Maria Lopez")


def test_renamed_sections_show_on_the_next_uncached_view(client, desk, django_capture_on_commit_callbacks):
    """The article's own section ("More in", previous and next) and a related article's (its label)."""
    uncached(client, desk["url"])
    with django_capture_on_commit_callbacks(execute=True):
        desk["city"].name = "Town"
        desk["city"].save()
        desk["sport"].name = "Sports"
        desk["sport"].save()
    response = uncached(client, desk["url"])
    assertContains(response, 'More in <a href="/city/">Town</a>', html=True)
    assertContains(response, '<p class="related__label">Sports</p>', html=True)


def test_a_newly_published_article_joins_the_lists_within_the_page_cache_time(
    client, desk, settings, time_machine
):
    """Publishing refreshes no article fragment; the fragment ages out like a page."""
    time_machine.move_to(timezone.now(), tick=False)
    uncached(client, desk["url"])
    ArticleFactory(title="Bridge reopens", section=desk["city"], published_at=timezone.now())
    time_machine.shift(timedelta(seconds=settings.PAGE_CACHE_SECONDS + 1))
    assertContains(uncached(client, desk["url"]), "Bridge reopens")


def test_a_preview_neither_reads_nor_writes_the_fragment(client, desk, editor):
    """The editor previews unsaved changes of the live story: the preview shows them, readers do not."""
    reader = Client()
    uncached(reader, desk["url"])
    client.force_login(editor)
    data = form_data(client.get(change_url(desk["story"])))
    data.update({"title": "Unsaved headline", "body": "<p>Unsaved paragraph.</p>"})
    preview = client.post(reverse("admin:articles_article_preview", args=[desk["story"].pk]), data)
    assertContains(preview, "Unsaved headline")
    assertContains(preview, "Unsaved paragraph.")
    response = uncached(reader, desk["url"])
    assertContains(response, "Flood wall fails")
    assertNotContains(response, "Unsaved")


def test_a_draft_preview_link_leaves_no_fragment(client, desk, editor):
    """A draft shown through its preview link is never kept for readers."""
    draft = ArticleFactory(title="Secret plan", section=desk["city"], draft=True)
    link = services.share_preview(draft, by=editor)
    assertContains(client.get(link.get_absolute_url()), "Secret plan")
    assert cache.get(f"pages:fragment:article:{draft.pk}") is None


def test_a_fragment_whose_key_changed_while_it_was_built_is_built_again():
    """What was built may show the old state of a key changed meanwhile: it is kept as stale."""
    builds = []

    def build():
        depends_on("article:1")
        if not builds:
            bump(["article:1"])  # an editor's change commits during the first build
        builds.append(1)
        return len(builds)

    assert fragment_with_keys("test", build) == 1
    assert fragment_with_keys("test", build) == 2
    assert fragment_with_keys("test", build) == 2


def test_changes_in_bulk_refresh_the_fragment(client, desk, django_capture_on_commit_callbacks):
    """An import retitling a listed article makes every page stale at the end, fragments included."""
    uncached(client, desk["url"])
    with django_capture_on_commit_callbacks(execute=True), bulk_changes():
        desk["older"].title = "Ferry fares fall"
        desk["older"].save()
    assertContains(uncached(client, desk["url"]), "Ferry fares fall")


def test_a_new_focal_point_of_a_body_figure_shows_on_the_next_uncached_view(
    client, desk, django_capture_on_commit_callbacks
):
    """A figure of the library in the body: its renditions follow the image's new focal point."""
    image = ImageFactory(size=(1200, 800))
    desk["story"].body = f"<p>Before the figure.</p>{library_figure(image)}"
    desk["story"].save()
    assertContains(uncached(client, desk["url"]), image.rendition_key)
    with django_capture_on_commit_callbacks(execute=True):
        image.focal_x, image.focal_y = 0.9, 0.1
        image.save()
    response = uncached(client, desk["url"])
    assertContains(response, image.rendition_key)
