import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def get_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locations(root):
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)]


@pytest.fixture
def newsroom():
    city = SectionFactory(name="City", slug="city")
    maria = AuthorFactory(name="Maria Lopez", slug="maria-lopez")
    story = ArticleFactory(title="Flood budget", section=city, tags=["Seawall"], authors=[maria])
    old = ArticleFactory(title="Old story", section=city, published_at=timezone.now() - timedelta(days=5))
    ArticleFactory(title="Secret draft", section=city, draft=True, tags=["Hidden"])
    ArticleFactory(title="Scheduled", section=city, scheduled=True)
    return {"story": story, "old": old}


def test_index_lists_every_sitemap(client, newsroom):
    """The sitemap index points at the articles, sections, tags, authors and news sitemaps."""
    root = get_xml(client, reverse("articles:sitemap"))
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    listed = locations(root)
    for name in ("home", "articles", "sections", "tags", "authors", "news"):
        assert f"http://testserver/sitemap-{name}.xml" in listed
    for url in listed:
        get_xml(client, url.removeprefix("http://testserver"))


def test_article_sitemap_lists_published_articles_with_lastmod(client, newsroom):
    """Published articles appear with their last change time; drafts and scheduled ones do not."""
    root = get_xml(client, "/sitemap-articles.xml")
    urls = {url.find("sm:loc", NS).text: url.find("sm:lastmod", NS).text for url in root}
    story = newsroom["story"]
    assert set(urls) == {
        f"http://testserver{story.get_absolute_url()}",
        f"http://testserver{newsroom['old'].get_absolute_url()}",
    }
    lastmod = parse_datetime(urls[f"http://testserver{story.get_absolute_url()}"])
    assert abs(lastmod - story.updated_at) < timedelta(seconds=1)


def test_section_tag_and_author_sitemaps(client, newsroom):
    """Sections, tags with published articles, and authors with published articles are listed."""
    assert locations(get_xml(client, "/sitemap-sections.xml")) == ["http://testserver/city/"]
    assert locations(get_xml(client, "/sitemap-tags.xml")) == ["http://testserver/tag/seawall/"]
    assert locations(get_xml(client, "/sitemap-authors.xml")) == ["http://testserver/author/maria-lopez/"]


def test_news_sitemap_holds_the_last_48_hours(client, newsroom, settings):
    """Google News tags: publication name and language, publication date and title."""
    settings.LANGUAGE_CODE = "en-us"
    root = get_xml(client, reverse("articles:sitemap-news"))
    [url] = root.findall("sm:url", NS)
    story = newsroom["story"]
    assert url.find("sm:loc", NS).text == f"http://testserver{story.get_absolute_url()}"
    assert url.find("news:news/news:publication/news:name", NS).text == "The Newsroom"
    assert url.find("news:news/news:publication/news:language", NS).text == "en"
    published = parse_datetime(url.find("news:news/news:publication_date", NS).text)
    assert abs(published - story.published_at) < timedelta(seconds=1)
    assert url.find("news:news/news:title", NS).text == "Flood budget"


def test_news_sitemap_is_valid_when_empty(client):
    """With nothing published lately the news sitemap is still a well-formed, empty urlset."""
    ArticleFactory(published_at=timezone.now() - timedelta(days=3))
    root = get_xml(client, reverse("articles:sitemap-news"))
    assert root.tag == f"{{{NS['sm']}}}urlset"
    assert list(root) == []


def test_news_sitemap_escapes_titles(client):
    """A headline with markup characters stays well-formed XML."""
    ArticleFactory(title='Fish & chips <b>"tax"</b>')
    root = get_xml(client, reverse("articles:sitemap-news"))
    assert root.find(".//news:title", NS).text == 'Fish & chips <b>"tax"</b>'


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out(client):
    """robots.txt points at the sitemaps and disallows admin, search and previews."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for path in ("/admin/", "/search/", "/preview/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
