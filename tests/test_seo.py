import json
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.utils.dateparse import parse_datetime
from PIL import Image

from images.models import Image as ImageModel
from images.renditions import rendition_url
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from tests.test_feeds import jpeg_upload

pytestmark = pytest.mark.django_db


class HeadReader(HTMLParser):
    """Collects the <head>'s meta tags, links, title and JSON-LD blocks."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self.title = [], [], [], ""
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.append(attrs)
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json"
            self.json_ld.append("")
        elif tag == "title":
            self._in = "title"

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "json":
            self.json_ld[-1] += data
        elif self._in == "title":
            self.title += data

    def property(self, name):
        values = [m["content"] for m in self.meta if m.get("property") == name or m.get("name") == name]
        return values

    def one(self, name):
        [value] = self.property(name)
        return value

    def canonical(self):
        [link] = [link for link in self.links if link.get("rel") == "canonical"]
        return link["href"]


def read_head(client, url):
    response = client.get(url)
    assert response.status_code == 200
    reader = HeadReader()
    reader.feed(response.content.decode())
    return reader


@pytest.fixture
def story():
    maria = AuthorFactory(name="Maria Lopez", slug="maria-lopez")
    dan = AuthorFactory(name="Dan Ok", slug="dan-ok")
    return ArticleFactory(
        title="The tide is coming",
        section=SectionFactory(name="Cover Story", slug="cover-story"),
        dek="The wall is failing.",
        tags=["Seawall", "Climate"],
        authors=[maria, dan],
        lead_image=ImageModel.objects.create(file=jpeg_upload(), alt="A cracked sea wall at low tide"),
    )


class TestArticleHead:
    def test_title_description_and_canonical(self, client, story):
        head = read_head(client, story.get_absolute_url() + "?utm_source=newsletter")
        assert head.title == "The tide is coming — The Newsroom"
        assert head.one("description") == "The wall is failing."
        assert head.canonical() == f"http://testserver{story.get_absolute_url()}"

    def test_opengraph_and_twitter_card(self, client, story):
        """og:type=article with times, section, tags and the lead image with its alt text."""
        head = read_head(client, story.get_absolute_url())
        url = f"http://testserver{story.get_absolute_url()}"
        assert head.one("og:type") == "article"
        assert head.one("og:title") == "The tide is coming"
        assert head.one("og:description") == "The wall is failing."
        assert head.one("og:url") == url
        # The share rendition: 1200 px wide at most, never wider than the original (64 x 32).
        assert head.one("og:image") == f"http://testserver{rendition_url(story.lead_image, 'w64.jpeg')}"
        assert head.one("og:image:alt") == "A cracked sea wall at low tide"
        assert (head.one("og:image:width"), head.one("og:image:height")) == ("64", "32")
        assert parse_datetime(head.one("article:published_time")) == story.published_at
        assert parse_datetime(head.one("article:modified_time")) == story.modified_at
        assert head.one("article:section") == "Cover Story"
        assert sorted(head.property("article:tag")) == ["Climate", "Seawall"]
        assert head.one("twitter:card") == "summary_large_image"
        assert head.one("twitter:title") == "The tide is coming"
        assert head.one("twitter:image:alt") == "A cracked sea wall at low tide"

    def test_json_ld_news_article(self, client, story):
        """Each NewsArticle field matches the article."""
        head = read_head(client, story.get_absolute_url())
        [block] = head.json_ld
        data = json.loads(block)
        url = f"http://testserver{story.get_absolute_url()}"
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == "The tide is coming"
        assert data["description"] == "The wall is failing."
        assert parse_datetime(data["datePublished"]) == story.published_at
        assert parse_datetime(data["dateModified"]) == story.modified_at
        assert data["author"] == [
            {"@type": "Person", "name": "Maria Lopez", "url": "http://testserver/author/maria-lopez/"},
            {"@type": "Person", "name": "Dan Ok", "url": "http://testserver/author/dan-ok/"},
        ]
        assert data["publisher"]["@type"] == "Organization"
        assert data["publisher"]["name"] == "The Newsroom"
        logo = data["publisher"]["logo"]
        assert logo["url"].endswith("/static/img/logo.png")
        assert (logo["width"], logo["height"]) == (600, 60)
        with Image.open(finders.find("img/logo.png")) as image:
            assert image.size == (600, 60)
        assert data["image"] == [f"http://testserver{rendition_url(story.lead_image, 'w64.jpeg')}"]
        assert data["articleSection"] == "Cover Story"
        assert sorted(data["keywords"]) == ["Climate", "Seawall"]
        assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}

    def test_json_ld_cannot_break_out_of_its_script(self, client):
        """A headline containing </script> stays inside the JSON-LD block."""
        article = ArticleFactory(title="Why </script><script>alert(1)</script> & <!-- matter")
        html = client.get(article.get_absolute_url()).content.decode()
        assert "<script>alert(1)" not in html
        head = HeadReader()
        head.feed(html)
        assert json.loads(head.json_ld[0])["headline"] == article.title

    def test_editor_overrides_title_and_description(self, client, story):
        """The SEO title and description replace the headline and dek in the head and JSON-LD."""
        story.seo_title = "Seawall failing: what Harborview must do"
        story.seo_description = "Engineers say the 1920s wall has ten years left."
        story.save()
        head = read_head(client, story.get_absolute_url())
        assert head.title == "Seawall failing: what Harborview must do — The Newsroom"
        assert head.one("description") == "Engineers say the 1920s wall has ten years left."
        assert head.one("og:title") == "Seawall failing: what Harborview must do"
        assert head.one("twitter:description") == "Engineers say the 1920s wall has ten years left."
        assert (
            json.loads(head.json_ld[0])["description"] == "Engineers say the 1920s wall has ten years left."
        )

    def test_article_without_image_shares_the_site_card(self, client):
        article = ArticleFactory(dek="")
        head = read_head(client, article.get_absolute_url())
        assert head.one("og:image").endswith("/static/img/social-card.png")
        assert head.one("twitter:card") == "summary"
        assert head.one("description") == article.title
        assert json.loads(head.json_ld[0])["image"][0].endswith("/static/img/social-card.png")

    def test_share_links_are_plain_links(self, client, story):
        """Email and the major networks, each carrying the article's address; no third-party script."""
        response = client.get(story.get_absolute_url())
        html = response.content.decode()
        url = f"http://testserver{story.get_absolute_url()}"
        reader = LinkReader()
        reader.feed(html)
        shares = {text: href for href, text in reader.links if "share__link" in reader.classes.get(href, "")}
        assert set(shares) == {"Email", "Facebook", "X", "LinkedIn", "Bluesky", "WhatsApp", "Reddit"}
        assert shares["Email"].startswith("mailto:?")
        assert url in parse_qs(urlsplit(shares["Email"]).query)["body"][0]
        assert parse_qs(urlsplit(shares["Facebook"]).query)["u"] == [url]
        assert parse_qs(urlsplit(shares["LinkedIn"]).query)["url"] == [url]
        assert "<script src=" not in html


class LinkReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.classes, self._href = [], {}, None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            attrs = dict(attrs)
            self._href = attrs.get("href")
            self.classes[self._href] = attrs.get("class", "")

    def handle_data(self, data):
        if self._href and data.strip():
            self.links.append((self._href, data.strip()))
            self._href = None


@pytest.mark.parametrize(
    ("path", "title", "description"),
    [
        ("/", "The Newsroom", "Independent reporting on the city, the country and the world."),
        ("/city/", "City — The Newsroom", "News from the city."),
        ("/tag/seawall/", "Seawall — The Newsroom", "Articles about Seawall."),
        ("/author/maria-lopez/", "Maria Lopez — The Newsroom", "Writes about things."),
    ],
)
def test_every_page_has_title_description_canonical_and_social_tags(client, path, title, description):
    """Home, section, tag and author pages: title, description, canonical, OpenGraph, Twitter card."""
    city = SectionFactory(name="City", slug="city", description="News from the city.")
    ArticleFactory(
        section=city, tags=["Seawall"], authors=[AuthorFactory(name="Maria Lopez", slug="maria-lopez")]
    )
    head = read_head(client, path + "?page=1&utm_campaign=x")
    assert head.title == title
    assert head.one("description") == description
    assert head.canonical() == f"http://testserver{path}"
    assert head.one("og:type") == "website"
    assert head.one("og:url") == f"http://testserver{path}"
    assert head.one("og:title") in title
    assert head.one("og:image").endswith("/static/img/social-card.png")
    assert head.one("twitter:card") == "summary"


def test_canonical_of_a_later_page_keeps_the_page_number(client):
    section = SectionFactory(slug="city")
    for _ in range(13):
        ArticleFactory(section=section)
    head = read_head(client, "/city/?page=2&ref=home")
    assert head.canonical() == "http://testserver/city/?page=2"
    past_the_end = read_head(client, "/city/?page=" + "9" * 5000)
    assert past_the_end.canonical() == "http://testserver/city/"
