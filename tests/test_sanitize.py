import pytest

from articles.body import sanitize_body
from tests.factories import ArticleFactory, ImageFactory

# Payloads from the usual XSS cheat sheets: each must come out harmless.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<img src=javascript:alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href=" JaVaScRiPt:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div onmouseover="alert(1)">hover</div>',
    '<form action="https://evil.example"><input name=x></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<details open ontoggle="alert(1)">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!--<img src=x onerror=alert(1)>-->",
    '<p><a href="https://example.com" onclick="steal()" target="_blank">ok</a></p>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<video><source onerror="alert(1)"></video>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<textarea><script>alert(1)</script></textarea>",
]

FORBIDDEN = ["<script", "onerror", "onload", "onclick", "onmouseover", "ontoggle", "javascript:",
             "vbscript:", "data:text", "<iframe", "<object", "<embed", "<style", "style=", "<form",
             "<meta", "<base", "<link", "<svg", "formaction", "<!--"]  # fmt: skip


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitizer_defuses_payload(payload):
    """No script, event handler or dangerous URL survives sanitizing."""
    cleaned = sanitize_body(payload).lower()
    for marker in FORBIDDEN:
        assert marker not in cleaned, f"{marker!r} survived in {cleaned!r}"


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS[:10])
def test_saved_body_is_sanitized(payload):
    """Whoever saves the article (admin, shell, import), the stored body is clean."""
    article = ArticleFactory(body=f"<p>Intro</p>{payload}")
    article.refresh_from_db()
    assert "<script" not in article.body.lower()
    assert "javascript:" not in article.body.lower()
    assert "<p>Intro</p>" in article.body


def test_editorial_markup_is_kept():
    """What the rich-text editor produces survives unchanged in meaning."""
    html = (
        "<h2>Heading</h2><p><strong>Bold</strong> and <em>italic</em> with "
        '<a href="https://example.com/story">a link</a>.</p>'
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote><p>quote</p></blockquote>"
    )
    cleaned = sanitize_body(html)
    for fragment in ["<h2>Heading</h2>", "<strong>Bold</strong>", "<em>italic</em>",
                     'href="https://example.com/story"', "<ul><li><p>one</p></li></ul>",
                     "<ol><li><p>two</p></li></ol>", "<blockquote><p>quote</p></blockquote>"]:  # fmt: skip
        assert fragment in cleaned


def test_outgoing_links_cannot_reach_back_into_the_page():
    cleaned = sanitize_body('<a href="https://example.com">x</a>')
    assert 'rel="noopener noreferrer"' in cleaned


def test_empty_editor_document_is_stored_empty():
    assert sanitize_body("<p></p>") == ""


def test_invisible_control_characters_are_dropped():
    """They cannot be seen, break XML feeds, and two of them mark search matches."""
    assert sanitize_body("<p>a\x02b\x03c\x1fd\te</p>") == "<p>abcd e</p>"


def test_plain_text_fields_lose_control_characters_on_save(db):
    from tests.factories import ArticleFactory

    article = ArticleFactory(
        title="Tide\x02 report", dek="Seawall\x03 holds\x00", lead_image=ImageFactory(alt="a\x1fb")
    )
    article.refresh_from_db()
    assert (article.title, article.dek, article.lead_image.alt) == ("Tide report", "Seawall holds", "ab")


@pytest.mark.parametrize("opening", ["<b>", "<div>", "<blockquote>", "<ul><li>", "<table><tr><td>"])
def test_deeply_nested_markup_keeps_its_text(opening):
    """A body nested thousands of levels deep is flattened past a depth, its words kept, not an error."""
    closing = "".join(f"</{tag[1:]}" for tag in reversed(opening.split("<")[1:]))
    body = "<p>Intro</p>" + opening * 2000 + "deep words" + closing * 2000 + "<p>Outro</p>"
    cleaned = sanitize_body(body)
    assert "deep words" in cleaned and cleaned.startswith("<p>Intro</p>") and "Outro" in cleaned


def test_nesting_an_editor_can_make_is_kept():
    """Lists nested twenty deep (forty elements) come back as written."""
    body = "<ul><li><p>level</p>" * 20 + "</li></ul>" * 20
    assert sanitize_body(body) == body


def test_a_deeply_nested_body_saves_from_the_admin(client, editor):
    """Pasting absurdly nested markup into the article form saves the article (no server error)."""
    from articles.models import Article
    from tests.test_workflow import new_article_data

    client.force_login(editor)
    data = new_article_data(client, body="<blockquote>" * 1000 + "Nested quote" + "</blockquote>" * 1000)
    response = client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302
    assert "Nested quote" in Article.objects.get(title="Bridge closes for repairs").body


@pytest.mark.parametrize(
    "body",
    [
        '<figure><img src="/a.jpg" srcset="javascript:alert(1) 1x" alt="a"></figure>',
        '<figure><img src="/a.jpg" srcset="/a-320.jpg 320w, data:image/svg+xml,x 640w" alt="a"></figure>',
        '<blockquote cite="javascript:alert(1)"><p>Quoted.</p></blockquote>',
        '<blockquote cite=" JavaScript:alert(1)"><p>Quoted.</p></blockquote>',
    ],
)
def test_picture_sources_and_quote_sources_keep_no_script_or_data_address(body):
    """srcset and cite are addresses too: only relative, http(s), mailto and tel ones are kept."""
    cleaned = sanitize_body(body)
    assert "javascript" not in cleaned.lower() and "data:" not in cleaned
    assert "Quoted." in cleaned or 'src="/a.jpg"' in cleaned


def test_safe_picture_and_quote_sources_are_kept():
    body = (
        '<figure><img src="/a.jpg" alt="a" srcset="/a-320.jpg 320w, https://cdn.example/a.jpg 640w"></figure>'
        '<blockquote cite="https://council.example/minutes"><p>Quoted.</p></blockquote>'
    )
    assert sanitize_body(body) == body
