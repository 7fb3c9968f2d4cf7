"""The body vocabulary: legacy markup maps onto it, and the sanitizer's output is stable."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from articles.body import sanitize_body
from articles.body.vocabulary import EDITOR_ELEMENTS, EDITOR_EXTENSIONS, ELEMENTS, MARKS
from tests.factories import ArticleFactory

WORDPRESS_SAMPLE = Path("/work/shared/data/wordpress/wptest.xml")

# One body using every element of the vocabulary, in canonical form.
EVERY_ELEMENT = (
    "<h2>Heading two</h2><h3>Three</h3><h4>Four</h4>"
    "<p>Text with <strong>bold</strong>, <em>italic</em>, <s>struck</s>, H<sub>2</sub>O, "
    "x<sup>2</sup>, <code>code</code>, <cite>The Times</cite>, <q>quoted</q>, <mark>marked</mark>, "
    '<a href="https://example.com/a" title="Example" rel="noopener noreferrer">a link</a><br>and a break.</p>'
    '<ul><li><p>One</p><ol start="3" type="a"><li><p>Nested</p></li></ol></li><li><p>Two</p></li></ul>'
    '<blockquote cite="https://example.com/speech"><p>Words spoken.</p><p>— <cite>The mayor</cite></p></blockquote>'
    "<pre><code>def f():\n    return 1</code></pre>"
    '<table><caption>Turnout by district</caption><thead><tr><th scope="col"><p>District</p></th>'
    '<th scope="col"><p>Turnout</p></th></tr></thead><tbody><tr><th scope="row"><p>North</p></th>'
    '<td><p>61%</p></td></tr><tr><td colspan="2"><p>Total</p></td></tr></tbody></table>'
    "<hr>"
    '<figure><img src="/media/a.jpg" alt="A harbour" width="1600" height="900">'
    '<figcaption>The harbour at dawn. <span class="credit">Photo: Jane Doe</span></figcaption></figure>'
    '<figure class="wide"><img src="/media/b.jpg" alt="Wide" srcset="/media/b-640.jpg 640w" sizes="100vw"></figure>'
    '<figure class="wide" data-image="7"><img src="/media/renditions/7/k/w960.jpeg" alt="From the library" '
    'width="960" height="640"><figcaption>Caption. <span class="credit">Photo: Ann Lee</span></figcaption></figure>'
    '<figure data-image="8"><img src="/media/renditions/8/k/w480.png" alt="" width="480" height="480"></figure>'
    '<figure class="pullquote"><blockquote><p>We will rebuild.</p></blockquote><figcaption>The mayor</figcaption></figure>'
    '<figure class="embed" data-provider="youtube"><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" '
    'rel="noopener noreferrer">https://www.youtube.com/watch?v=dQw4w9WgXcQ</a></figure>'
)


def test_a_body_in_the_vocabulary_is_kept_as_it_is():
    """Every element of the vocabulary, in canonical form, comes out of the sanitizer unchanged."""
    assert sanitize_body(EVERY_ELEMENT) == EVERY_ELEMENT


@pytest.mark.parametrize(
    ("legacy", "canonical"),
    [
        ("<h1>Title</h1>", "<h2>Title</h2>"),
        ("<h5>Small</h5><h6>Smaller</h6>", "<h4>Small</h4><h4>Smaller</h4>"),
        ("<p><b>bold</b> <i>italic</i> <del>gone</del> <strike>old</strike></p>",
         "<p><strong>bold</strong> <em>italic</em> <s>gone</s> <s>old</s></p>"),
        ("<div><font>Kept</font> <span>text</span></div><section><p>More</p></section>",
         "<p>Kept text</p><p>More</p>"),
        ("<ul><li>Bare item</li></ul>", "<ul><li><p>Bare item</p></li></ul>"),
        ("<blockquote>Bare quote</blockquote>", "<blockquote><p>Bare quote</p></blockquote>"),
        ("<table><tr><th>A</th></tr><tr><td>1</td></tr></table>",
         '<table><thead><tr><th scope="col"><p>A</p></th></tr></thead><tbody><tr><td><p>1</p></td></tr></tbody></table>'),
        ("<pre>x = 1\n  y = 2</pre>", "<pre><code>x = 1\n  y = 2</code></pre>"),
        ("<p>Before<img src=\"/a.png\" alt=\"A\">after</p>", '<p>Beforeafter</p><figure><img src="/a.png" alt="A"></figure>'),
        ("Loose text", "<p>Loose text</p>"),
    ],
)  # fmt: skip
def test_legacy_markup_maps_onto_the_vocabulary(legacy, canonical):
    """Imported or pasted markup keeps its structure and text in the body's own elements."""
    assert sanitize_body(legacy) == canonical


def test_unknown_wrappers_keep_their_text():
    """An element outside the vocabulary goes, its words stay."""
    cleaned = sanitize_body(
        "<article><header>Byline</header><marquee>Moving</marquee> <blink>news</blink></article>"
    )
    assert cleaned == "<p>Byline</p><p>Moving news</p>"


def test_no_empty_title_is_stored_on_links():
    """An empty title (what the link dialog leaves) is dropped; a real one is kept."""
    assert 'title=""' not in sanitize_body('<p><a href="https://example.com" title="">x</a></p>')
    assert 'title="More"' in sanitize_body('<p><a href="https://example.com" title="More">x</a></p>')


def test_marks_nest_in_the_editors_order():
    """Overlapping emphasis is written as the editor writes it, so an unchanged save changes nothing."""
    assert sanitize_body("<p><em>a <b>b</b></em></p>") == "<p><em>a </em><strong><em>b</em></strong></p>"


def test_a_provider_url_on_its_own_line_becomes_an_embed():
    """Stored as the URL and the provider, whether typed as text or as a link."""
    for body in [
        "<p>https://vimeo.com/76979871</p>",
        '<p><a href="https://vimeo.com/76979871">https://vimeo.com/76979871</a></p>',
    ]:
        assert sanitize_body(body) == (
            '<figure class="embed" data-provider="vimeo"><a href="https://vimeo.com/76979871" '
            'rel="noopener noreferrer">https://vimeo.com/76979871</a></figure>'
        )


def test_unknown_urls_stay_links_and_forged_embeds_are_unwrapped():
    """Only a known provider's URL is an embed; its provider is worked out, never trusted."""
    assert sanitize_body("<p>https://example.com/video</p>") == "<p>https://example.com/video</p>"
    forged = '<figure class="embed" data-provider="youtube"><a href="https://evil.example/x">x</a></figure>'
    assert sanitize_body(forged) == '<p><a href="https://evil.example/x" rel="noopener noreferrer">x</a></p>'
    relabelled = (
        '<figure class="embed" data-provider="spotify"><a href="https://vimeo.com/76979871">v</a></figure>'
    )
    assert 'data-provider="vimeo"' in sanitize_body(relabelled)


def test_provider_html_is_never_stored():
    """A pasted provider snippet keeps no iframe or script."""
    pasted = (
        '<blockquote class="twitter-tweet"><p>Hello</p><a href="https://twitter.com/a/status/123456">'
        'date</a></blockquote><script async src="https://platform.twitter.com/widgets.js"></script>'
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>'
    )
    cleaned = sanitize_body(pasted)
    assert "<script" not in cleaned and "<iframe" not in cleaned and "widgets.js" not in cleaned


def test_every_element_the_editor_writes_is_in_the_vocabulary():
    """The editor's configuration and the sanitizer's allow-list are checked against each other."""
    assert set(EDITOR_EXTENSIONS) <= set(EDITOR_ELEMENTS)
    written = set().union(*(EDITOR_ELEMENTS[name] for name in EDITOR_EXTENSIONS))
    assert written <= set(ELEMENTS)
    assert set(MARKS) <= set(ELEMENTS)


def _wordpress_bodies():
    if not WORDPRESS_SAMPLE.exists():
        return []
    namespace = "{http://purl.org/rss/1.0/modules/content/}encoded"
    items = ET.parse(WORDPRESS_SAMPLE).getroot().iter("item")
    return [item.findtext(namespace) or "" for item in items]


@pytest.mark.skipif(not WORDPRESS_SAMPLE.exists(), reason=f"no WordPress sample at {WORDPRESS_SAMPLE}")
def test_every_wordpress_sample_post_sanitizes_to_a_stable_body():
    """The WordPress theme-test posts all sanitize, and sanitizing the result changes nothing."""
    bodies = _wordpress_bodies()
    assert len(bodies) > 100
    unstable = []
    for body in bodies:
        cleaned = sanitize_body(body)
        if sanitize_body(cleaned) != cleaned:
            unstable.append(body[:200])
    assert not unstable


@pytest.mark.django_db
def test_a_saved_body_is_in_canonical_form():
    """Whatever saves an article, the stored body is the sanitizer's canonical form."""
    article = ArticleFactory(body="<h1>Big</h1><div>Loose <b>words</b></div>")
    article.refresh_from_db()
    assert article.body == "<h2>Big</h2><p>Loose <strong>words</strong></p>"
