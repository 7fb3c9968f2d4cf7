"""Compression: reader HTML, feeds and sitemaps gzipped for clients that accept it; the admin never."""

import gzip

import pytest
from django.http import HttpResponse

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
