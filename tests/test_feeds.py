import io
import re
from xml.etree import ElementTree

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from images.models import Image as ImageModel
from images.renditions import rendition_url, share_rendition
from tests import wxr
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, image_file

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
        lead_image=ImageModel.objects.create(file=jpeg_upload(), alt="A cracked sea wall at low tide"),
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
    # The lead image's share rendition (64 px: the original is narrower than 1200), as served.
    assert enclosure.href == f"http://testserver{rendition_url(story.lead_image, 'w64.jpeg')}"
    assert enclosure.type == "image/jpeg"
    served = client.get(enclosure.href)
    assert served["Content-Type"] == "image/jpeg"
    assert int(enclosure.length) == len(b"".join(served.streaming_content)) > 0


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


def test_a_tag_only_drafts_carry_has_no_feed(client):
    """As its page, the feed of a tag no published article carries is a 404: its name stays unpublished."""
    ArticleFactory(title="Secret draft", draft=True, tags=["Takeover of Acme"])
    for name in ("articles:tag-feed-rss", "articles:tag-feed-atom"):
        response = client.get(reverse(name, kwargs={"slug": "takeover-of-acme"}))
        assert response.status_code == 404
        assert b"Takeover of Acme" not in response.content
    assert client.get(reverse("articles:tag", kwargs={"tag_slug": "takeover-of-acme"})).status_code == 404


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
    """A feed costs the same few queries however many articles it lists; the library figures
    of all the bodies cost one together."""
    section = SectionFactory()
    author = AuthorFactory()
    for n in range(8):
        picture = ImageModel.objects.create(file=jpeg_upload(), alt=f"Picture {n}")
        ArticleFactory(
            title=f"Story {n}",
            section=section,
            tags=[f"t{n}", "common"],
            authors=[author],
            body=f'<figure data-image="{picture.pk}"><img src="/old.jpeg" alt="A"></figure>',
        )
    with django_assert_max_num_queries(5):
        _, feed = parse(client, reverse("articles:feed-rss"))
    assert all("/media/renditions/" in entry.content[0].value for entry in feed.entries)


def feed_bodies(response):
    """Each item's body exactly as sent (feedparser would resolve relative URLs itself)."""
    root = ElementTree.fromstring(response.content)
    tags = ("{http://purl.org/rss/1.0/modules/content/}encoded", f"{{{ATOM}}}content")
    return [element.text for element in root.iter() if element.tag in tags]


ATOM = "http://www.w3.org/2005/Atom"
RELATIVE_URL = re.compile(r' (?:src|href)="(?!https?://|mailto:)|srcset="(?:[^"]*, )?/')


@pytest.mark.parametrize("name", ["articles:feed-rss", "articles:feed-atom"])
def test_body_urls_are_absolute_and_library_figures_plain_images(client, name):
    """Feed readers have no base URL: links, images and srcsets become absolute (an external link
    stays as written), and a library figure is one plain <img> of a rendition, with the words
    written in the figure."""
    picture = ImageModel.objects.create(file=jpeg_upload(), alt="Library alt")
    article = ArticleFactory(
        section=SectionFactory(slug="news"),
        slug="sea-wall",
        body=(
            '<p>See <a href="/news/other-story/">the other story</a>, '
            '<a href="https://example.org/report?a=1&amp;b=2">the report</a> and <a href="#notes">the notes</a>.</p>'
            f'<figure data-image="{picture.pk}"><img src="/media/renditions/{picture.pk}/old/w960.jpeg" '
            'alt="The pier at noon" width="64" height="32"><figcaption>The pier. '
            '<span class="credit">Photo: Bo Ek</span></figcaption></figure>'
            '<figure><img src="/media/uploads/old.jpg" alt="An old picture" '
            'srcset="/media/uploads/old.jpg 1x, /media/uploads/old-2x.jpg 2x"></figure>'
        ),
    )

    response = client.get(reverse(name))
    [body] = feed_bodies(response)

    assert 'href="http://testserver/news/other-story/"' in body
    assert 'href="https://example.org/report?a=1&amp;b=2"' in body
    assert f'href="http://testserver{article.get_absolute_url()}#notes"' in body
    share = share_rendition(picture)
    assert (
        f'<figure><img src="http://testserver{share.url}" alt="The pier at noon" width="64" height="32">'
        '<figcaption>The pier. <span class="credit">Photo: Bo Ek</span></figcaption></figure>'
    ) in body
    assert client.get(share.url).status_code == 200
    assert (
        'srcset="http://testserver/media/uploads/old.jpg 1x, http://testserver/media/uploads/old-2x.jpg 2x"'
        in body
    )
    assert "<picture" not in body and "data-image" not in body
    assert not RELATIVE_URL.search(body), body


def test_an_imported_wordpress_post_reaches_feeds_with_absolute_images(client, tmp_path):
    """Figures of an imported post (library figures and plain copied files) carry absolute URLs in feeds."""
    uploads = tmp_path / "uploads" / "2021" / "07"
    uploads.mkdir(parents=True)
    for name in ("quay.png", "bare.png"):
        (uploads / name).write_bytes(image_file(name).read())
    base = "https://old.example.com/wp-content/uploads/2021/07/"
    content = (
        f'[caption id="attachment_30" width="640"]<img src="{base}quay.png" alt=""> The quay at dawn[/caption]\n\n'
        f'<figure><img src="{base}bare.png" alt=""></figure>\n\n<a href="https://old.example.com/about/">About</a>'
    )
    path = wxr.write(
        tmp_path,
        wxr.attachment(30, base + "quay.png", alt="Fishing boats moored at the quay", caption="The old quay"),
        wxr.item(1, content=content),
    )
    call_command(
        "import_wordpress",
        str(path),
        "--no-progress",
        "--media-dir",
        str(tmp_path / "uploads"),
        stdout=io.StringIO(),
    )

    [body] = feed_bodies(client.get(reverse("articles:feed-rss")))

    quay = ImageModel.objects.get(file="wordpress/2021/07/quay.png")
    assert f'<figure><img src="http://testserver{share_rendition(quay).url}"' in body
    assert 'src="http://testserver/media/wordpress/2021/07/bare.png"' in body
    assert 'href="https://old.example.com/about/"' in body
    assert not RELATIVE_URL.search(body), body
