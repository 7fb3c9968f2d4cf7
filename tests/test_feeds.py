import io

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


def jpeg_upload(name="lead.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), (180, 40, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def story():
    maria, dan = AuthorFactory(name="Maria Lopez", slug="maria-lopez"), AuthorFactory(name="Dan Ok")
    return ArticleFactory(
        title="The tide is coming",
        section=SectionFactory(name="Cover Story", slug="cover-story"),
        dek="The wall is failing.",
        body="<p>At low tide the <strong>crack</strong> is wide.</p>",
        tags=["Seawall", "Climate"],
        authors=[maria, dan],
        lead_image=jpeg_upload(),
        lead_image_alt="A cracked sea wall at low tide",
    )


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


FEED_URLS = [
    ("articles:feed-rss", {}),
    ("articles:feed-atom", {}),
    ("articles:section-feed-rss", {"slug": "cover-story"}),
    ("articles:section-feed-atom", {"slug": "cover-story"}),
    ("articles:tag-feed-rss", {"slug": "seawall"}),
    ("articles:tag-feed-atom", {"slug": "seawall"}),
    ("articles:author-feed-rss", {"slug": "maria-lopez"}),
    ("articles:author-feed-atom", {"slug": "maria-lopez"}),
]


@pytest.mark.parametrize(("name", "kwargs"), FEED_URLS)
def test_every_feed_carries_the_whole_article(client, story, name, kwargs):
    """Title, link, summary, full body, authors, categories, times and the lead image as enclosure."""
    _, feed = parse(client, reverse(name, kwargs=kwargs))
    assert feed.version in ("rss20", "atom10")
    [entry] = feed.entries
    assert entry.title == "The tide is coming"
    assert entry.link == f"http://testserver{story.get_absolute_url()}"
    assert entry.summary == "The wall is failing."
    assert "<strong>crack</strong>" in entry.content[0].value
    assert entry.author == "Maria Lopez, Dan Ok"
    assert {tag.term for tag in entry.tags} == {"Cover Story", "Seawall", "Climate"}
    assert entry.published_parsed[:6] == story.published_at.utctimetuple()[:6]
    assert entry.updated_parsed[:6] == story.updated_at.utctimetuple()[:6]
    [enclosure] = [link for link in entry.links if link.rel == "enclosure"]
    assert enclosure.href == f"http://testserver{story.lead_image.url}"
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == story.lead_image.size > 0


def test_feeds_list_published_articles_only_newest_first(client):
    """Drafts and scheduled articles stay out of feeds; the newest article comes first."""
    section = SectionFactory()
    ArticleFactory(title="Older", section=section)
    ArticleFactory(title="Secret draft", section=section, draft=True)
    ArticleFactory(title="Scheduled", section=section, scheduled=True)
    ArticleFactory(title="Newest", section=section)
    for name in ("articles:feed-rss", "articles:feed-atom"):
        _, feed = parse(client, reverse(name))
        assert [entry.title for entry in feed.entries] == ["Newest", "Older"]


def test_section_feed_holds_only_that_section(client, story):
    """A section's feed leaves out the other sections' articles."""
    ArticleFactory(title="Elsewhere", section=SectionFactory(slug="city"))
    _, feed = parse(client, reverse("articles:section-feed-rss", kwargs={"slug": "cover-story"}))
    assert [entry.title for entry in feed.entries] == ["The tide is coming"]
    assert feed.feed.title.startswith("Cover Story")


def test_guid_survives_a_slug_change(client, story, django_capture_on_commit_callbacks):
    """Feed readers see an edited article as the same item after its slug changes."""
    _, before = parse(client, reverse("articles:feed-atom"))
    with django_capture_on_commit_callbacks(execute=True):
        story.slug = "the-tide-is-here"
        story.save()
    _, after = parse(client, reverse("articles:feed-atom"))
    assert before.entries[0].id == after.entries[0].id
    assert before.entries[0].link != after.entries[0].link


def test_an_empty_feed_is_valid(client):
    """A new site with nothing published still serves a well-formed feed."""
    for name in ("articles:feed-rss", "articles:feed-atom"):
        _, feed = parse(client, reverse(name))
        assert feed.entries == []


@pytest.mark.parametrize("name", ["section-feed-rss", "tag-feed-atom", "author-feed-rss"])
def test_feed_of_an_unknown_subject_is_404(client, name):
    assert client.get(reverse(f"articles:{name}", kwargs={"slug": "nope"})).status_code == 404


def test_pages_link_their_feeds_in_the_head(client, story):
    """Every page names the site feeds; section, tag and author pages also their own."""
    home = client.get("/").content.decode()
    assert f'type="application/rss+xml" title="{"The Newsroom"} (RSS)" href="/feeds/rss/"' in home
    assert 'type="application/atom+xml"' in home
    pages = {
        "/cover-story/": "/feeds/section/cover-story/rss/",
        "/tag/seawall/": "/feeds/tag/seawall/atom/",
        "/author/maria-lopez/": "/feeds/author/maria-lopez/rss/",
    }
    for page, feed_url in pages.items():
        html = client.get(page).content.decode()
        assert f'href="{feed_url}"' in html, page
        parse(client, feed_url)


def test_feed_query_count_is_fixed(client, django_assert_max_num_queries):
    """A feed costs the same few queries however many articles it lists."""
    section = SectionFactory()
    author = AuthorFactory()
    for n in range(8):
        ArticleFactory(title=f"Story {n}", section=section, tags=[f"t{n}", "common"], authors=[author])
    with django_assert_max_num_queries(4):
        parse(client, reverse("articles:feed-rss"))
