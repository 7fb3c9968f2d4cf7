import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pytest_django.asserts import assertContains
from reversion.models import Version
from taggit.models import Tag

from articles.editorial import revisions
from articles.models import Article, ArticleSlugHistory, Author, Section
from images.models import Image
from importers.models import LegacyPath, WordPressPost
from importers.wordpress import history
from importers.wordpress.importer import WordPressImport
from tests import wxr

pytestmark = pytest.mark.django_db

WPTEST = Path(__file__).resolve().parents[2] / "shared" / "data" / "wordpress" / "wptest.xml"
if not WPTEST.exists():
    WPTEST = Path("/work/shared/data/wordpress/wptest.xml")


def run(path, *args):
    out = io.StringIO()
    call_command("import_wordpress", str(path), "--no-progress", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def imported(tmp_path, *parts, **kwargs):
    return run(wxr.write(tmp_path, *parts, **kwargs))


# Statuses, dates ------------------------------------------------------------------------


def test_statuses_map_and_private_or_password_posts_never_become_public(tmp_path):
    """publish/future/draft/pending map to published/scheduled/draft/review; private and protected are drafts."""
    output = imported(
        tmp_path,
        wxr.item(1, status="publish"),
        wxr.item(2, status="future", date_gmt="2099-01-01 08:00:00"),
        wxr.item(3, status="draft"),
        wxr.item(4, status="pending"),
        wxr.item(5, status="private"),
        wxr.item(6, status="publish", password="secret"),
        wxr.item(7, status="trash"),
    )
    status = {a.slug: a.status for a in Article.objects.all()}
    assert status == {
        "post-1": "published", "post-2": "published", "post-3": "draft", "post-4": "review",
        "post-5": "draft", "post-6": "draft",
    }  # fmt: skip
    assert list(Article.objects.published().values_list("slug", flat=True)) == ["post-1"]
    assert Article.objects.scheduled().get().slug == "post-2"
    assert "private posts imported as drafts: 1" in output
    assert "password-protected posts imported as drafts: 1" in output
    assert "skipped: in WordPress's trash 1" in output


def test_dates_keep_their_time_zone_and_updated_is_wordpress_modified_time(tmp_path, client):
    """Publish time from post_date_gmt; the "Updated" line shows WordPress's modified time, not the import's."""
    imported(
        tmp_path,
        wxr.item(
            1, date_gmt="2019-03-01 22:30:00", date="2019-03-02 00:30:00", modified_gmt="2021-07-09 12:00:00"
        ),
        wxr.item(2, date_gmt="2019-03-01 22:30:00", modified_gmt="2019-03-01 22:30:00"),
    )
    edited, untouched = Article.objects.get(slug="post-1"), Article.objects.get(slug="post-2")
    assert edited.published_at == datetime(2019, 3, 1, 22, 30, tzinfo=UTC)
    assert edited.updated_at == datetime(2021, 7, 9, 12, 0, tzinfo=UTC)
    assert "Updated <time" in client.get(edited.get_absolute_url()).content.decode()
    assert "9 July 2021" in client.get(edited.get_absolute_url()).content.decode()
    assert "Updated" not in client.get(untouched.get_absolute_url()).content.decode()


def test_local_dates_are_read_in_the_given_time_zone_and_invalid_dates_reported(tmp_path):
    """Without a GMT date the local one is read in --time-zone; a post with no valid date is a draft, reported."""
    path = wxr.write(
        tmp_path,
        wxr.item(1, date_gmt="0000-00-00 00:00:00", date="2020-01-10 09:00:00"),
        wxr.item(2, date_gmt="0000-00-00 00:00:00", date="not a date"),
    )
    output = run(path, "--time-zone", "Europe/Berlin")
    assert Article.objects.get(slug="post-1").published_at == datetime(2020, 1, 10, 8, 0, tzinfo=UTC)
    assert Article.objects.get(slug="post-2").status == Article.Status.DRAFT
    assert "invalid or missing dates: imported as drafts: 1" in output


@pytest.mark.parametrize(
    ("zone", "local"), [("America/New_York", "9999-12-31 23:59:59"), ("Asia/Tokyo", "0001-01-01 00:00:00")]
)
def test_a_local_date_that_utc_cannot_hold_is_an_invalid_date(tmp_path, zone, local):
    """A local time at the calendar's edge (year 10000 or 0 in UTC) makes a reported draft, not a lost post."""
    path = wxr.write(tmp_path, wxr.item(1, date_gmt="0000-00-00 00:00:00", date=local, modified_gmt=""))
    output = run(path, "--time-zone", zone)
    assert Article.objects.get(slug="post-1").status == Article.Status.DRAFT
    assert "invalid or missing dates: imported as drafts: 1" in output and "failed" not in output


# Sections, tags, authors -------------------------------------------------------------


def test_primary_category_gives_the_section_and_other_categories_become_tags(tmp_path):
    """The SEO plugin's primary category, else the first besides Uncategorized, is the section; others are tags."""
    categories = [
        wxr.category("uncategorized", "Uncategorized", term_id=1),
        wxr.category("politics", "Politics", term_id=2),
        wxr.category("elections", "Elections", parent="politics", term_id=3),
    ]
    both = (("category", "uncategorized", "Uncategorized"), ("category", "politics", "Politics"),
            ("category", "elections", "Elections"))  # fmt: skip
    imported(
        tmp_path,
        wxr.item(1, categories=both),
        wxr.item(2, categories=both, meta=[("_yoast_wpseo_primary_category", "3")]),
        wxr.item(3, categories=(("category", "uncategorized", "Uncategorized"),)),
        categories=categories,
    )
    first, second, third = (Article.objects.get(slug=f"post-{n}") for n in (1, 2, 3))
    assert first.section.slug == "politics"
    assert list(first.tags.names()) == ["Elections"]
    assert second.section.slug == "elections"
    assert list(second.tags.names()) == ["Politics"]
    assert third.section.slug == "uncategorized"


def test_only_the_busiest_new_sections_join_the_navigation(tmp_path, client):
    """Of many categories, only the top N by post count are in the navigation; the others still have pages."""
    categories = [wxr.category(f"cat-{n}", f"Category {n}") for n in range(5)]
    items = [
        wxr.item(100 * n + k, categories=(("category", f"cat-{n}", f"Category {n}"),))
        for n in range(5)
        for k in range(n + 1)
    ]
    output = run(wxr.write(tmp_path, *items, categories=categories), "--navigation-sections", "2")
    assert "Items by post type:" in output
    assert list(Section.objects.filter(show_in_navigation=True).values_list("slug", flat=True)) == [
        "cat-4",
        "cat-3",
    ]
    page = client.get("/").content.decode()
    assert 'href="/cat-4/"' in page and 'href="/cat-0/"' not in page
    assert client.get("/cat-0/").status_code == 200


def test_a_category_slug_that_is_a_reserved_route_gets_a_new_slug_and_its_old_url_redirects(tmp_path, client):
    """A category "media" cannot be /media/ (uploaded files live there): new slug, /category/media/ answers 301."""
    output = imported(
        tmp_path,
        wxr.item(1, categories=(("category", "media", "Media"),)),
        categories=[wxr.category("media", "Media", term_id=7)],
    )
    section = Article.objects.get().section
    assert section.slug == "media-section" and section.name == "Media"
    assert "reserved addresses" in output
    response = client.get("/category/media/")
    assert response.status_code == 301 and response["Location"] == "/media-section/"
    assert client.get("/?cat=7")["Location"] == "/media-section/"


def test_tags_and_authors_become_tags_and_bylines(tmp_path):
    """Tags keep their names and slugs; the author's display name is the byline; an undeclared author is reported."""
    output = imported(
        tmp_path,
        wxr.item(1, categories=(("category", "news", "News"), ("post_tag", "sea-wall", "Sea wall"))),
        wxr.item(2, creator="ghost"),
    )
    first, second = Article.objects.get(slug="post-1"), Article.objects.get(slug="post-2")
    assert [(t.name, t.slug) for t in first.tags.all()] == [("Sea wall", "sea-wall")]
    assert [b.author.name for b in first.bylines.all()] == ["Maria Lopez"]
    assert [b.author.name for b in second.bylines.all()] == ["ghost"]
    assert "authors missing from the export's author list" in output
    assert Author.objects.count() == 2


# Standfirsts, titles, slugs, old addresses ------------------------------------------------------


def test_excerpt_or_text_before_more_becomes_the_standfirst(tmp_path):
    """The excerpt is the standfirst; without one, the text before <!--more--> is."""
    imported(
        tmp_path,
        wxr.item(1, excerpt="The <em>short</em> version.", content="<p>Long.</p>"),
        wxr.item(2, content="Opening lines.\n\n<!--more-->\n\nThe rest."),
    )
    assert Article.objects.get(slug="post-1").dek == "The short version."
    second = Article.objects.get(slug="post-2")
    assert second.dek == "Opening lines."
    assert second.body.replace("\n", "") == "<p>Opening lines.</p><p>The rest.</p>"


def test_long_titles_are_kept_whole_or_shortened_and_reported_without_a_database_error(tmp_path):
    """A 260-character title is kept whole; one over the headline's limit is shortened at a word, the
    full title kept and reported; neither raises a database error."""
    long_title, too_long = "word " * 52, "lengthy " * 70
    output = imported(tmp_path, wxr.item(1, title=long_title), wxr.item(2, title=too_long))
    assert Article.objects.get(slug="post-1").title == long_title.strip()
    shortened = Article.objects.get(slug="post-2")
    assert len(shortened.title) <= Article._meta.get_field("title").max_length == 500
    assert shortened.title.endswith("lengthy…")
    assert WordPressPost.objects.get(wp_id=2).original_title == too_long.strip()
    assert "titles over 500 characters: shortened (full title kept): 1" in output


def test_slugs_are_kept_where_free_and_duplicates_made_unique(tmp_path):
    """WordPress's slug is kept; one another article already has gets a suffix, and the report says so."""
    from tests.factories import ArticleFactory

    ArticleFactory(slug="taken")
    output = imported(tmp_path, wxr.item(1, slug="kept"), wxr.item(2, slug="taken"))
    assert Article.objects.filter(slug="kept").exists()
    assert WordPressPost.objects.get(wp_id=2).article.slug == "taken-2"
    assert "slugs taken by another article: made unique: 1" in output


def test_old_permalinks_and_query_ids_answer_301_and_drafts_do_not_leak(tmp_path, client):
    """The old permalink, /?p=ID and old slugs redirect to the new URL; a draft's old address stays a 404."""
    imported(
        tmp_path,
        wxr.item(1, slug="hello-world", meta=[("_wp_old_slug", "hello-wrld")]),
        wxr.item(2, slug="secret-plan", status="draft"),
        wxr.item(3, slug="about", post_type="page", categories=(), link="https://old.example.com/about/"),
    )
    article = Article.objects.get(slug="hello-world")
    old_addresses = (
        "/2020/05/04/hello-world/",
        "/2020/05/04/hello-world",
        "/?p=1",
        f"/{article.section.slug}/hello-wrld/",
    )
    for old in old_addresses:
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == article.get_absolute_url()
    assert client.get("/2020/05/04/secret-plan/").status_code == 404
    assert client.get("/?p=2").status_code == 200  # the home page, not the draft
    about = Article.objects.get(slug="about")
    assert about.section.slug == "pages" and not about.section.show_in_navigation
    assert client.get("/about/")["Location"] == about.get_absolute_url()
    assert client.get("/?page_id=3")["Location"] == about.get_absolute_url()
    assert ArticleSlugHistory.objects.filter(old_slug="hello-wrld").exists()


def test_wordpress_search_addresses_answer_301_to_our_search(tmp_path, client):
    """/?s=terms, and /blog/?s=terms for a site imported from a folder, lead to /search/?q=terms."""
    export = wxr.export(wxr.item(1, link="https://old.example.com/blog/2020/05/04/post-1/")).replace(
        "https://old.example.com</wp:base", "https://old.example.com/blog</wp:base"
    )
    path = tmp_path / "export.xml"
    path.write_text(export, encoding="utf-8")
    run(path)
    expected = {
        "/?s=test": "/search/?q=test",
        "/?s=ferry+times%26fares": "/search/?q=ferry+times%26fares",
        "/?s=": "/search/",
        "/?s=++": "/search/",
        "/blog/?s=test": "/search/?q=test",
        "/blog?s=test": "/search/?q=test",
    }
    for old, new in expected.items():
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    # A folder the import never recorded is not the old site's home.
    assert client.get("/elsewhere/?s=test").status_code == 404


def test_wordpress_feed_addresses_answer_301_to_our_feeds(tmp_path, client):
    """/feed/, /feed/atom/, the folder's, a category's and a tag's feeds lead to our feed of the
    same subject; a post's comments feed is 410 Gone, a draft's stays a 404."""
    export = wxr.export(
        wxr.item(
            1,
            link="https://old.example.com/blog/2020/05/04/post-1/",
            categories=(
                ("category", "news", "News"),
                ("category", "ferries", "Ferries"),
                ("post_tag", "harbour", "Harbour"),
                ("post_tag", "tides", "Tides"),
            ),
        ),
        wxr.item(2, link="https://old.example.com/blog/2020/05/04/post-2/", status="draft"),
        categories=[wxr.category("news", "News", term_id=7), wxr.category("ferries", "Ferries", term_id=9)],
    ).replace("https://old.example.com</wp:base", "https://old.example.com/blog</wp:base")
    path = tmp_path / "export.xml"
    path.write_text(export, encoding="utf-8")
    Tag.objects.create(name="Harbour", slug="the-harbour")  # reused: its old slug is on record
    run(path)
    expected = {
        "/feed/": "/feeds/rss/",
        "/feed": "/feeds/rss/",
        "/feed/rss2/": "/feeds/rss/",
        "/feed/atom/": "/feeds/atom/",
        "/blog/feed/": "/feeds/rss/",
        "/blog/feed/atom/": "/feeds/atom/",
        "/category/news/feed/": "/feeds/section/news/rss/",
        "/blog/category/news/feed/atom/": "/feeds/section/news/atom/",
        "/category/ferries/feed/": "/feeds/tag/ferries/rss/",  # a category that became a tag
        "/tag/harbour/feed/": "/feeds/tag/the-harbour/rss/",
        "/tag/tides/feed/": "/feeds/tag/tides/rss/",
        "/blog/tag/tides/feed/atom/": "/feeds/tag/tides/atom/",
    }
    for old, new in expected.items():
        response = client.get(old)
        assert (response.status_code, response.get("Location")) == (301, new), old
        assert client.get(new).status_code == 200, new
    for comments in ("/blog/2020/05/04/post-1/feed/", "/2020/05/04/post-1/feed/atom/", "/comments/feed/"):
        assert client.get(comments).status_code == 410, comments
    for missing in ("/2020/05/04/post-2/feed/", "/tag/unknown/feed/", "/elsewhere/feed/", "/tag/%00/feed/"):
        assert client.get(missing).status_code == 404, missing


# Bodies ----------------------------------------------------------------------------------------


def body_of(tmp_path, content, *parts, **kwargs):
    output = imported(tmp_path, wxr.item(1, content=content), *parts, **kwargs)
    return Article.objects.get(slug="post-1").body, output


def test_classic_content_gets_paragraphs_but_not_inside_pre(tmp_path):
    """Blank lines make paragraphs and single newlines <br> in classic content; <pre> is left alone."""
    body, _ = body_of(tmp_path, "One line\nnext line\n\nSecond paragraph\n\n<pre>code\n\n  indented</pre>")
    assert re.match(r"<p>One line<br>\s*next line</p>\s*<p>Second paragraph</p>\s*<pre>", body)
    assert "code\n\n  indented" in body and "<br>" not in body.split("<pre>")[1]


def test_block_content_gets_no_paragraphs_and_no_block_comments(tmp_path):
    """Block-editor content is kept as written: comments dropped, no <br> added, embeds become links."""
    content = (
        "<!-- wp:paragraph -->\n<p>Line one\nstill one</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video"} -->\n'
        '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n'
        "</div></figure>\n<!-- /wp:embed -->\n\n<!-- wp:latest-posts /-->"
    )
    body, output = body_of(tmp_path, content)
    assert "<!--" not in body and "<br>" not in body
    assert re.search(r"<p>Line one\s+still one</p>", body)
    assert (
        '<figure class="embed" data-provider="youtube"><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"'
        in body
    )
    assert "dynamic blocks dropped (wp:latest-posts" in output


def test_caption_and_gallery_shortcodes_become_figures(tmp_path):
    """[caption] becomes a figure with its caption; [gallery] figures from the export's attachments."""
    url = "https://old.example.com/wp-content/uploads/2020/05/{}.jpg"
    content = (
        '[caption id="attachment_9" width="300"]<img src="' + url.format("harbour") + '" alt="The harbour" />'
        ' The harbour at dawn.[/caption]\n\n[gallery ids="11,10"]\n\n[gallery]'
    )
    body, _ = body_of(
        tmp_path,
        content,
        wxr.attachment(10, url.format("a"), parent=1, alt="Boat A", caption="First boat"),
        wxr.attachment(11, url.format("b"), parent=1, alt="Boat B"),
    )
    assert (
        '<figure><img src="' + url.format("harbour") + '" alt="The harbour"><figcaption>The harbour at dawn.'
        in body
    )
    figures = re.findall(r'<figure><img src="[^"]*/(\w)\.jpg" alt="([^"]*)">', body)
    assert figures == [("b", "Boat B"), ("a", "Boat A"), ("a", "Boat A"), ("b", "Boat B")]
    assert "<figcaption>First boat</figcaption>" in body
    assert "[" not in body


def test_a_caption_inside_a_paragraph_splits_it_without_leaving_empty_paragraphs(tmp_path):
    """A [caption] or [audio] amid a paragraph's text stands between its two halves; no empty <p> is left."""
    image = '<img src="https://old.example.com/wp-content/uploads/2020/05/a.jpg" alt="A" />'
    content = (
        f'[caption id="attachment_9" width="300"]{image} First.[/caption] Text after.\n\n'
        f'Text before [caption id="attachment_9"]{image} Second.[/caption]\n\n'
        f'Before, [caption id="attachment_9"]{image} Third.[/caption] after.\n\n'
        'Listen: [audio mp3="https://cdn.example.com/a.mp3"][/audio]'
    )
    body, _ = body_of(tmp_path, content)
    assert re.sub(r"<img [^>]*>", "IMG", body) == (
        "<figure>IMG<figcaption>First.</figcaption></figure><p>Text after.</p>"
        "<p>Text before</p><figure>IMG<figcaption>Second.</figcaption></figure>"
        "<p>Before,</p><figure>IMG<figcaption>Third.</figcaption></figure><p>after.</p>"
        '<p>Listen:</p><p><a href="https://cdn.example.com/a.mp3" rel="noopener noreferrer">'
        "https://cdn.example.com/a.mp3</a></p>"
    )


def test_media_shortcodes_become_links_and_unknown_ones_are_removed_and_counted(tmp_path):
    """[audio], [video], [embed] become links; an unknown shortcode goes (its text stays); "[sic]" is prose."""
    content = (
        '[audio mp3="https://cdn.example.com/a.mp3"][/audio]\n\n[video src="https://cdn.example.com/v.mp4"]\n\n'
        "[embed]https://vimeo.com/123[/embed]\n\n"
        'He said [sic] so. [contact-form-7 id="4"] [highlight]kept text[/highlight] [[gallery]]'
    )
    body, output = body_of(tmp_path, content)
    for url in ("https://cdn.example.com/a.mp3", "https://cdn.example.com/v.mp4", "https://vimeo.com/123"):
        assert f'<a href="{url}"' in body
    assert "[sic]" in body and "kept text" in body and "[gallery]" in body
    assert "contact-form-7" not in body and "highlight" not in body
    assert "unknown shortcode [contact-form-7] removed (enclosed text kept): 1" in output


def test_footnotes_are_rebuilt_from_post_meta(tmp_path):
    """Block-editor footnotes (text in post meta) become numbered references and a list of notes."""
    content = (
        '<!-- wp:paragraph -->\n<p>Claim<sup data-fn="f-1" class="fn"><a href="#f-1" id="f-1-link">1</a></sup>'
        ' and another<sup data-fn="f-2" class="fn"><a href="#f-2" id="f-2-link">2</a></sup>.</p>\n'
        "<!-- /wp:paragraph -->\n\n<!-- wp:footnotes /-->"
    )
    meta = [
        ("footnotes", '[{"content":"First <em>source</em>.","id":"f-1"},{"content":"Second.","id":"f-2"}]')
    ]
    output = imported(tmp_path, wxr.item(1, content=content, meta=meta))
    body = Article.objects.get().body
    assert "<p>Claim<sup>1</sup> and another<sup>2</sup>.</p>" in body
    notes = re.sub(r"</?p>", "", body.split("<h2>Notes</h2>")[1])
    assert notes == "<ol><li>First <em>source</em>.</li><li>Second.</li></ol>"
    assert "Notes" in output or output


def test_legacy_markup_maps_onto_the_body_vocabulary(tmp_path):
    """h1 -> h2, h5/h6 -> h4, b -> strong, i -> em, del -> s; a definition list becomes a list."""
    body, _ = body_of(
        tmp_path,
        "<h1>Top</h1><h5>Five</h5><h6>Six</h6><p><b>bold</b> <i>it</i> <del>gone</del></p>"
        "<dl><dt>Term</dt><dd>Meaning</dd></dl>",
    )
    body = body.replace("\n", "")
    assert "<h2>Top</h2><h4>Five</h4><h4>Six</h4>" in body
    assert "<strong>bold</strong> <em>it</em> <s>gone</s>" in body
    assert re.search(r"<ul><li>(<p>)?<strong>Term</strong>\s*<br>Meaning(</p>)?</li></ul>", body)


# Media -----------------------------------------------------------------------------------------


def test_with_media_dir_files_are_imported_and_urls_rewritten(tmp_path, settings):
    """Body images and the featured image come from --media-dir; a missing file keeps its URL and is reported."""
    from tests.factories import image_file

    uploads = tmp_path / "uploads" / "2020" / "05"
    uploads.mkdir(parents=True)
    (uploads / "photo.png").write_bytes(image_file("photo.png").read())
    base = "https://old.example.com/wp-content/uploads/2020/05/"
    content = f'<p><img src="{base}photo.png" alt="x"> <img src="{base}missing.jpg" alt="y"></p>'
    path = wxr.write(
        tmp_path,
        wxr.attachment(20, base + "photo.png", alt="A harbour", caption="At dawn"),
        wxr.item(1, content=content, meta=[("_thumbnail_id", "20")]),
    )
    output = run(path, "--media-dir", str(tmp_path / "uploads"))
    article = Article.objects.get()
    assert 'src="/media/wordpress/2020/05/photo.png"' in article.body
    assert f'src="{base}missing.jpg"' in article.body
    # The featured image is a library image, with the attachment's descriptions.
    assert article.lead_image.file.name == "wordpress/2020/05/photo.png"
    assert (article.lead_image.alt, article.lead_image.caption) == ("A harbour", "At dawn")
    assert (article.lead_image.width, article.lead_image.height) == (64, 36)
    assert Image.objects.count() == 1
    assert (Path(settings.MEDIA_ROOT) / "wordpress/2020/05/photo.png").exists()
    assert "uses of media files not found in --media-dir (old URL kept): 1" in output
    # Imported again: the same library image, not a second one.
    run(path, "--media-dir", str(tmp_path / "uploads"))
    assert Image.objects.count() == 1 and Article.objects.get().lead_image_id == article.lead_image_id


def test_an_archive_using_more_files_than_are_remembered_imports_every_post(tmp_path, monkeypatch):
    """The importer forgets the files it resolved every so often (flat memory): no post is lost to it."""
    from importers.wordpress.media import MediaLibrary

    monkeypatch.setattr(MediaLibrary, "REMEMBERED_URLS", 2)
    base = "https://old.example.com/wp-content/uploads/2020/05/"
    posts = [
        wxr.item(
            n,
            title=f"Post {n}",
            slug=f"post-{n}",
            content=f'<p>Text.</p><p><img src="{base}photo-{n}.jpg" alt="Photo {n}"></p>',
        )
        for n in range(1, 6)
    ]
    output = run(wxr.write(tmp_path, *posts))
    assert "failed" not in output
    bodies = dict(Article.objects.values_list("title", "body"))
    assert len(bodies) == 5
    for n in range(1, 6):
        assert f'src="{base}photo-{n}.jpg"' in bodies[f"Post {n}"]


def test_figures_of_imported_files_join_the_image_library_and_readers_get_renditions(tmp_path, client):
    """A [caption]ed upload becomes a library figure described by its attachment; readers get a <picture>."""
    from tests.factories import image_file

    uploads = tmp_path / "uploads" / "2021" / "07"
    uploads.mkdir(parents=True)
    for name in ("quay.png", "crane.png", "bare.png"):
        (uploads / name).write_bytes(image_file(name).read())
    base = "https://old.example.com/wp-content/uploads/2021/07/"
    content = (
        f'[caption id="attachment_30" width="640"]<img src="{base}quay.png" alt=""> The quay at dawn[/caption]\n\n'
        f'[caption width="640"]<img src="{base}crane.png" alt="A crane over the dock"> Cranes[/caption]\n\n'
        f'<figure><img src="{base}bare.png" alt=""></figure>'
    )
    path = wxr.write(
        tmp_path,
        wxr.attachment(30, base + "quay.png", alt="Fishing boats moored at the quay", caption="The old quay"),
        wxr.item(1, content=content),
    )
    output = run(path, "--media-dir", str(tmp_path / "uploads"))
    article = Article.objects.get()
    quay = Image.objects.get(file="wordpress/2021/07/quay.png")
    crane = Image.objects.get(file="wordpress/2021/07/crane.png")
    assert (quay.alt, quay.caption) == ("Fishing boats moored at the quay", "The old quay")
    assert (crane.alt, crane.caption) == ("A crane over the dock", "Cranes")
    assert f'data-image="{quay.pk}"' in article.body and f'data-image="{crane.pk}"' in article.body
    # Described nowhere: it stays a plain figure, outside the library, and the report says so.
    assert not Image.objects.filter(file="wordpress/2021/07/bare.png").exists()
    assert 'src="/media/wordpress/2021/07/bare.png"' in article.body
    assert "body images without alt text or caption (kept out of the library): 1" in output
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count('<figure class="figure--library"') == 2
    # The attachment's description reaches readers as the picture's alt text.
    assert 'alt="Fishing boats moored at the quay"' in page and 'alt="A crane over the dock"' in page
    assert f"/media/renditions/{quay.pk}/" in page and 'type="image/webp"' in page
    # Imported again: no second library image.
    run(path, "--media-dir", str(tmp_path / "uploads"))
    assert Image.objects.count() == 2


def test_a_featured_image_that_is_not_a_usable_image_is_reported(tmp_path):
    """A damaged featured image does not enter the library; the import goes on and says so."""
    uploads = tmp_path / "uploads" / "2020" / "05"
    uploads.mkdir(parents=True)
    (uploads / "broken.jpg").write_bytes(b"\xff\xd8\xff not really a photo")
    base = "https://old.example.com/wp-content/uploads/2020/05/"
    path = wxr.write(
        tmp_path, wxr.attachment(20, base + "broken.jpg"), wxr.item(1, meta=[("_thumbnail_id", "20")])
    )
    output = run(path, "--media-dir", str(tmp_path / "uploads"))
    assert Article.objects.get().lead_image is None and not Image.objects.exists()
    assert "featured images that are not usable images: 1" in output


def test_without_media_dir_the_featured_image_reference_is_kept_and_reported(tmp_path):
    """No --media-dir: nothing is downloaded; the featured image's URL is kept on the import record."""
    url = "https://old.example.com/wp-content/uploads/2020/05/photo.jpg"
    output = imported(tmp_path, wxr.attachment(20, url), wxr.item(1, meta=[("_thumbnail_id", "20")]))
    assert not Article.objects.get().lead_image
    assert not Image.objects.exists()
    assert WordPressPost.objects.get().lead_image_reference == url
    assert "featured images not imported: reference kept: 1" in output


# Reruns, dry runs, broken input --------------------------------------------------------------


def test_a_second_run_changes_nothing_and_a_newer_export_updates_what_changed(tmp_path):
    """Rerunning the same export changes nothing; a newer one updates changed posts and leaves edited ones."""
    first = wxr.write(
        tmp_path, wxr.item(1, title="One"), wxr.item(2, title="Two"), wxr.item(3, title="Three")
    )
    run(first)
    before = {a.pk: (a.title, a.updated_at, a.version) for a in Article.objects.all()}
    output = run(first)
    assert "post: 3 (unchanged 3)" in output
    assert {a.pk: (a.title, a.updated_at, a.version) for a in Article.objects.all()} == before

    edited = Article.objects.get(slug="post-3")
    edited.title, edited.version = "Three, edited in Newsroom", edited.version + 1
    edited.save()
    newer = wxr.write(
        tmp_path,
        wxr.item(1, title="One"),
        wxr.item(2, title="Two, revised", modified_gmt="2020-06-01 09:00:00"),
        wxr.item(3, title="Three, revised", modified_gmt="2020-06-01 09:00:00"),
        wxr.item(4, title="Four"),
        name="newer.xml",
    )
    output = run(newer)
    assert "created 1" in output and "unchanged 1" in output and "updated 1" in output
    assert Article.objects.get(slug="post-2").title == "Two, revised"
    assert Article.objects.get(slug="post-3").title == "Three, edited in Newsroom"
    assert "skipped: edited in Newsroom since the import 1" in output
    assert Article.objects.count() == 4


def test_imported_articles_start_their_history_with_the_import(tmp_path, client, editor):
    """Each imported article has a revision and an audit line saying it came from WordPress; an update
    from a newer export adds one more; an unchanged rerun adds none; an editor can restore the import."""
    path = wxr.write(tmp_path, wxr.item(1, title="One", categories=(("post_tag", "flood", "Flood"),)))
    run(path)
    article = Article.objects.get(slug="post-1")
    (version,) = revisions.versions_of(article)
    assert version.revision.comment == "Imported from WordPress (post 1)"
    snapshot = revisions.snapshot(version)
    assert (snapshot["Headline"], snapshot["Authors"], snapshot["Tags"]) == ("One", "Maria Lopez", "Flood")
    (event,) = article.audit_events.all()
    assert event.get_action_display() == "Imported"
    assert event.detail == "From WordPress: post 1 of https://old.example.com"

    run(path)
    assert revisions.versions_of(article).count() == 1 and article.audit_events.count() == 1
    newer = wxr.write(tmp_path, wxr.item(1, title="One, revised", modified_gmt="2020-06-01 09:00:00"),
                      name="newer.xml")  # fmt: skip
    run(newer)
    comments = [v.revision.comment for v in revisions.versions_of(article)]
    assert comments == ["Updated from a newer WordPress export (post 1)", "Imported from WordPress (post 1)"]
    assert article.audit_events.count() == 2

    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assertContains(page, "Imported from WordPress (post 1)")
    assertContains(page, "<del>Flood</del>", html=False)  # the update dropped the tag
    first = revisions.versions_of(article).last()
    restore = reverse("admin:articles_article_restore_revision", args=[article.pk, first.pk])
    assert client.post(restore).status_code == 302
    article.refresh_from_db()
    assert article.title == "One" and [t.name for t in article.tags.all()] == ["Flood"]


def test_the_history_of_a_batch_costs_the_same_few_queries_however_many_posts(
    tmp_path, django_assert_max_num_queries
):
    """Revisions and audit lines are written for a batch at once, not with queries per article."""
    run(
        wxr.write(
            tmp_path, *(wxr.item(n, categories=(("post_tag", f"t{n}", f"T{n}"),)) for n in range(1, 31))
        )
    )
    entries = [(a.pk, "Imported", "From WordPress") for a in Article.objects.all()]
    Version.objects.all().delete()
    with django_assert_max_num_queries(8):
        history.record_imports(entries)
    assert Version.objects.count() == 30 * 3  # article, byline, tag


def test_dry_run_writes_nothing(tmp_path):
    """--dry-run reports what would be imported and leaves the database as it was."""
    output = run(wxr.write(tmp_path, wxr.item(1), wxr.item(2)), "--dry-run")
    assert "post: 2 (created 2)" in output and "Dry run" in output
    assert not Article.objects.exists() and not Section.objects.exists() and not Author.objects.exists()
    assert not LegacyPath.objects.exists() and not Version.objects.exists()


def test_malformed_xml_and_unknown_types_are_reported_and_the_rest_imported(tmp_path):
    """A broken item, an unknown post type and an item without an ID get report lines; the others import."""
    broken = wxr.item(2).replace("<title>A post</title>", "<title>A & broken <b post</title>")
    output = imported(tmp_path, wxr.item(1), broken, wxr.item(3, post_type="product"), wxr.item(4))
    assert {"post-1", "post-4"} <= set(Article.objects.values_list("slug", flat=True))
    assert "malformed XML" in output
    assert "product: 1 (skipped: unknown post type 1)" in output


def test_ids_that_are_not_numbers_of_a_column_are_read_as_missing(tmp_path):
    """A superscript digit or an ID past a BIGINT, as a post, parent, gallery or featured image ID,
    is reported or ignored; it neither stops the import nor loses the post."""
    photo = "https://old.example.com/wp-content/uploads/a.jpg"
    output = imported(
        tmp_path,
        wxr.attachment(2, photo, parent="9" * 30),
        wxr.attachment("²", photo),
        wxr.item("²", title="Bad ID"),
        wxr.item(1, title="Gallery", content='[gallery ids="²,99999999999999999999999"][gallery id="²"]'),
        wxr.item(3, title="Featured", parent="²", meta=(("_thumbnail_id", "²"),)),
    )
    assert set(Article.objects.values_list("title", flat=True)) == {"Gallery", "Featured"}
    assert "failed" not in output
    assert "items without a post ID (malformed): 2" in output


def test_a_post_id_found_twice_is_reported_and_the_later_item_wins(tmp_path):
    """Two items with one post ID (a file pasted together) make one article, from the later item."""
    output = imported(tmp_path, wxr.item(7, title="First copy"), wxr.item(7, title="Second copy"))
    assert "post IDs found twice in the export: the later item wins: 1" in output
    assert list(Article.objects.values_list("title", flat=True)) == ["Second copy"]


def test_an_interrupted_import_can_be_run_again(tmp_path, monkeypatch):
    """A post that fails leaves the others complete; the next run imports it and changes nothing else."""
    path = wxr.write(tmp_path, wxr.item(1), wxr.item(2), wxr.item(3))
    original = WordPressImport.import_article

    def failing(self, item):
        if item.post_id == "2":
            raise RuntimeError("connection lost")
        return original(self, item)

    monkeypatch.setattr(WordPressImport, "import_article", failing)
    output = run(path)
    assert "skipped: failed 1" in output and "connection lost" in output
    assert set(Article.objects.values_list("slug", flat=True)) == {"post-1", "post-3"}
    monkeypatch.setattr(WordPressImport, "import_article", original)
    output = run(path)
    assert "post: 3 (created 1, unchanged 2)" in output


def test_a_file_cut_short_imports_whole_posts_only_and_loses_nothing(tmp_path):
    """The post a truncated file ends in is skipped and reported, not imported half; what was imported stays."""
    run(wxr.write(tmp_path, wxr.item(1, title="One"), wxr.item(2, title="Two"), wxr.item(3, title="Three")))
    newer = wxr.export(
        wxr.item(1, title="One"),
        wxr.item(2, title="Two, revised", modified_gmt="2020-06-01 09:00:00"),
        wxr.item(3, title="Three, revised", modified_gmt="2020-06-01 09:00:00", content="<p>Whole text.</p>"),
    )
    cut = tmp_path / "cut.xml"
    cut.write_text(newer[: newer.index("Whole text.") + 5], encoding="utf-8")
    output = run(cut)
    assert "(no type): 1 (skipped: damaged in the file 1)" in output  # cut before its type
    assert "post: 2 (unchanged 1, updated 1)" in output
    assert "items damaged in the file (malformed XML): skipped; repair the file and run again: 1" in output
    assert "item (no ID) “Three, revised” (line " in output
    assert [a.title for a in Article.objects.order_by("pk")] == ["One", "Two, revised", "Three"]


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "it is not readable as XML (line 1"),
        (b"<html><body><p>Hello</p></body></html>", "it holds no WordPress data"),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><title>A feed</title></channel></rss>',
            "no WordPress",
        ),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_with_a_clear_message(tmp_path, content, reason):
    """An empty file, an image, a web page or a plain RSS feed: a command error saying why; nothing written."""
    path = tmp_path / "export.xml"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="is not a WordPress export: ") as refusal:
        run(path)
    assert reason in str(refusal.value) and "Nothing was imported." in str(refusal.value)
    assert not Section.objects.exists() and not Author.objects.exists() and not Article.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    """A wrong path is a command error, not a traceback."""
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_wordpress", str(tmp_path / "nope.xml"))


# The real export ---------------------------------------------------------------------------------


def test_the_wordpress_theme_unit_test_export_imports_cleanly(client):
    """Every item of wptest.xml is accounted for; every published article answers 200 with no raw shortcode
    or block comment."""
    output = run(WPTEST)
    items = WPTEST.read_text(encoding="utf-8").count("<item>")
    assert f"{items} items read" in output
    counts = [int(n) for n in re.findall(r"^  [\w-]+: (\d+) \(", output, re.M)]
    assert sum(counts) == items
    assert Article.objects.count() == 52
    published = list(Article.objects.published().select_related("section"))
    assert len(published) == 50
    for article in published:
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200, article.slug
        page = response.content.decode()
        for raw in ("[caption", "[gallery", "[audio", "[video", "[embed", "[wpvideo", "<!-- wp:"):
            assert raw not in page, (article.slug, raw)
        # (A table cell's empty paragraph is how the body stores an empty cell.)
        outside_tables = re.sub(r"<table>.*?</table>", "", article.body, flags=re.S)
        assert not re.search(r"<p>(\s|&nbsp;|<br>)*</p>", outside_tables), article.slug
    assert Tag.objects.exists()


def test_a_site_in_a_folder_keeps_its_category_and_tag_addresses_with_and_without_the_folder(
    tmp_path, client
):
    """A site once at example.com/blog: /blog/category/x/, /category/x/, /blog/?cat=ID and /?cat=ID answer 301."""
    export = wxr.export(
        wxr.item(
            1,
            link="https://old.example.com/blog/2020/05/04/post-1/",
            categories=(("category", "news", "News"), ("post_tag", "harbour", "Harbour")),
        ),
        categories=[wxr.category("news", "News", term_id=7)],
    ).replace("https://old.example.com</wp:base", "https://old.example.com/blog</wp:base")
    path = tmp_path / "export.xml"
    path.write_text(export, encoding="utf-8")
    tag = Tag.objects.create(name="Harbour", slug="the-harbour")  # reused: the old slug must redirect
    run(path)
    section = Section.objects.get(slug="news")
    for old in ("/blog/category/news/", "/category/news/", "/blog/?cat=7", "/?cat=7"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, section.get_absolute_url()), old
    for old in ("/blog/tag/harbour/", "/tag/harbour/"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, f"/tag/{tag.slug}/"), old


def test_a_category_that_became_a_tag_keeps_its_old_addresses(tmp_path, client):
    """A category that is no post's section became a tag: /category/parent/child/ and ?cat=ID lead to the tag."""
    imported(
        tmp_path,
        wxr.item(1, categories=(("category", "news", "News"), ("category", "ferries", "Ferries"))),
        categories=[
            wxr.category("news", "News", term_id=7),
            wxr.category("transport", "Transport", term_id=8),
            wxr.category("ferries", "Ferries", parent="transport", term_id=9),
        ],
    )
    tag = Tag.objects.get(name="Ferries")
    for old in ("/category/transport/ferries/", "/?cat=9"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, f"/tag/{tag.slug}/"), old
    assert client.get("/category/news/")["Location"] == "/news/"


def test_a_tag_that_kept_its_slug_answers_301_from_its_old_address_in_the_folder(tmp_path, client):
    """A site once at example.com/blog: /blog/tag/x/ of a tag that kept its slug leads to /tag/x/
    (nothing is on record for it), as /blog/category/x/ leads to the section; a tag without a
    published article, an unknown tag and a folder that is not the import's stay 404s."""
    export = wxr.export(
        wxr.item(
            1,
            link="https://old.example.com/blog/2020/05/04/post-1/",
            categories=(("category", "news", "News"), ("post_tag", "tides", "Tides")),
        ),
        wxr.item(
            2,
            link="https://old.example.com/blog/2020/05/04/post-2/",
            status="draft",
            categories=(("post_tag", "secret", "Secret"),),
        ),
        categories=[wxr.category("news", "News", term_id=7)],
    ).replace("https://old.example.com</wp:base", "https://old.example.com/blog</wp:base")
    path = tmp_path / "export.xml"
    path.write_text(export, encoding="utf-8")
    run(path)
    for old, new in {"/blog/tag/tides/": "/tag/tides/", "/blog/tag/tides": "/tag/tides/",
                     "/blog/category/news/": "/news/"}.items():  # fmt: skip
        response = client.get(old)
        assert (response.status_code, response.get("Location")) == (301, new), old
        assert client.get(new).status_code == 200, new
    for missing in ("/blog/tag/secret/", "/blog/tag/unknown/", "/elsewhere/tag/tides/", "/blog/tag/%00/"):
        assert client.get(missing).status_code == 404, missing
