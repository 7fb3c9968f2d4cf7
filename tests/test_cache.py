from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_second_view_of_a_page_costs_no_queries(client, django_assert_num_queries):
    """Reader pages are served from the cache once rendered."""
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200


def test_publishing_invalidates_cached_pages(client, django_capture_on_commit_callbacks):
    """A newly published article shows on the cached home page at once."""
    section = SectionFactory()
    ArticleFactory(title="Old news", section=section)
    assert b"Fresh scoop" not in client.get("/").content
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(title="Fresh scoop", section=section)
    assert b"Fresh scoop" in client.get("/").content


def test_unpublishing_removes_the_article_from_cached_pages(client, django_capture_on_commit_callbacks):
    """A pulled article disappears from cached pages and its URL stops answering 200."""
    article = ArticleFactory(title="Pulled story")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    assert b"Pulled story" in client.get("/").content
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.UNPUBLISHED
        article.save()
    assert client.get(url).status_code != 200
    assert b"Pulled story" not in client.get("/").content


def test_scheduled_article_appears_on_cached_home_at_its_time(client, time_machine):
    """No page is cached past the moment the next scheduled article goes live."""
    time_machine.move_to(timezone.now(), tick=False)
    ArticleFactory(title="Already out")
    ArticleFactory(title="Embargoed story", published_at=timezone.now() + timedelta(minutes=5))
    assert b"Embargoed story" not in client.get("/").content
    time_machine.shift(timedelta(minutes=5, seconds=1))
    assert b"Embargoed story" in client.get("/").content


def test_logged_in_editors_bypass_the_cache(client, superuser):
    """Editors always see the live page, never a cached copy."""
    article = ArticleFactory(title="Before edit")
    client.get(article.get_absolute_url())
    client.force_login(superuser)
    Article.objects.filter(pk=article.pk).update(title="After edit")
    assert b"After edit" in client.get(article.get_absolute_url()).content


def test_tracking_parameters_share_the_cached_page(client, django_assert_num_queries):
    """?utm_source=... neither renders the page again nor fills the cache."""
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(article.get_absolute_url(), {"utm_source": "newsletter", "fbclid": "x"})
    assert response.status_code == 200


def test_cached_pages_are_kept_apart_per_host(client, settings):
    """A page cached for one host name never serves another host's absolute URLs."""
    settings.ALLOWED_HOSTS = ["news.example.com", "www.example.com"]
    article = ArticleFactory()
    client.get(article.get_absolute_url(), HTTP_HOST="news.example.com")
    response = client.get(article.get_absolute_url(), HTTP_HOST="www.example.com")
    assert b"http://www.example.com/" in response.content
    assert b"http://news.example.com/" not in response.content


def test_reader_pages_say_whether_they_came_from_the_cache(client, superuser):
    """X-Cache says "miss" when a page is built and "hit" when served from the page cache."""
    article = ArticleFactory()
    assert client.get(article.get_absolute_url())["X-Cache"] == "miss"
    assert client.get(article.get_absolute_url())["X-Cache"] == "hit"
    client.force_login(superuser)
    assert "X-Cache" not in client.get(article.get_absolute_url())
