"""Compression: reader HTML, feeds and sitemaps gzipped for clients that accept it; the admin never."""

import gzip
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.middleware import gzip as gzip_middleware
from django.utils import timezone

from articles.editorial import services
from articles.pagecache import compression
from newsroom.middleware import ReaderGZipMiddleware
from tests.factories import ArticleFactory


@pytest.fixture
def article(db):
    return ArticleFactory()


@pytest.mark.parametrize("url", ["/", "/feeds/rss/", "/feeds/atom/", "/sitemap.xml", "/corrections/"])
def test_reader_pages_feeds_and_sitemaps_are_gzipped_when_accepted(client, article, url):
    """A client that accepts gzip gets the same content, compressed."""
    plain = client.get(url)
    compressed = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content).decode().count("<") == plain.content.decode().count("<")
    assert len(compressed.content) < len(plain.content)


def test_article_page_is_gzipped(client, article):
    """The article page, the one readers load most, is compressed."""
    response = client.get(article.get_absolute_url(), headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert article.title in gzip.decompress(response.content).decode()


@pytest.mark.parametrize("url", ["/admin/", "/admin/articles/article/", "/admin/articles/article/add/"])
def test_admin_pages_are_never_compressed(admin_client_logged_in, url):
    """Pages with the CSRF token and unpublished text stay uncompressed (BREACH)."""
    response = admin_client_logged_in.get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_admin_login_page_is_not_compressed(client, db):
    """The login form carries a CSRF token too."""
    response = client.get("/admin/login/", headers={"accept-encoding": "gzip"})
    assert "Content-Encoding" not in response


@pytest.mark.parametrize("content_type", ["image/png", "image/jpeg", "application/pdf"])
def test_binary_media_is_not_recompressed(rf, content_type):
    """Images and other binary files pass through untouched: gzip would only cost CPU."""
    middleware = ReaderGZipMiddleware(
        lambda request: HttpResponse(b"\x89PNG" * 500, content_type=content_type)
    )
    response = middleware(rf.get("/media/photo", headers={"accept-encoding": "gzip"}))
    assert "Content-Encoding" not in response


@pytest.fixture
def compressions(monkeypatch):
    """Every gzip compression made from now on, by the middleware or the page cache."""
    made = []

    def counting(compress):
        return lambda content, **options: made.append(len(content)) or compress(content, **options)

    monkeypatch.setattr(gzip_middleware, "compress_string", counting(gzip_middleware.compress_string))
    monkeypatch.setattr(compression, "compress_string", counting(compression.compress_string))
    return made


def test_a_page_from_the_cache_is_not_compressed_again_for_each_reader(client, article, compressions):
    """The page cache keeps a compressed copy: readers get the same page, no compression per hit."""
    url = article.get_absolute_url()
    plain = client.get(url)
    compressions.clear()
    first, second = (client.get(url, headers={"accept-encoding": "gzip"}) for _ in range(2))
    assert first["X-Cache"] == second["X-Cache"] == "hit"
    assert compressions == []
    assert first["Content-Encoding"] == "gzip" and "Accept-Encoding" in first["Vary"]
    assert gzip.decompress(first.content) == plain.content
    assert int(first["Content-Length"]) == len(first.content)
    # The ETag names the uncompressed page, so the compressed one is a weak match of it.
    assert first["ETag"] == "W/" + plain["ETag"]
    again = client.get(url, headers={"accept-encoding": "gzip", "if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert "Content-Encoding" not in client.get(url)  # a client that does not accept gzip


def test_the_compressed_copy_follows_a_refreshed_region(client, editor, django_capture_on_commit_callbacks):
    """A new article in the section shows in "More in" under a cached page, compressed or not."""
    now = timezone.now()
    older = ArticleFactory(
        title="Ferry fares rise", section__name="City", published_at=now - timedelta(hours=4)
    )
    ArticleFactory(title="Flood wall fails", section=older.section, published_at=now - timedelta(hours=3))
    url = older.get_absolute_url()  # not next to the new article: its page stays cached
    client.get(url, headers={"accept-encoding": "gzip"})
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(
            ArticleFactory(title="Breaking: wall holds", section=older.section, draft=True), by=editor
        )
    compressed = client.get(url, headers={"accept-encoding": "gzip"})
    assert compressed["X-Cache"] == "hit"
    assert "Breaking: wall holds" in gzip.decompress(compressed.content).decode()
    assert gzip.decompress(compressed.content) == client.get(url).content
