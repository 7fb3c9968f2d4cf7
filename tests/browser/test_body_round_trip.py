"""The body editor keeps what it is given: an unchanged save in the admin stores the same body."""

import re

import pytest
from playwright.sync_api import expect

from articles.body import sanitize_body
from articles.models import Article
from tests.browser.support import put_caret_at_end_of
from tests.factories import ArticleFactory
from tests.test_body_vocabulary import EVERY_ELEMENT

# Bodies that together use every element of the vocabulary (articles/body/vocabulary.py).
BODIES = {
    "every element": EVERY_ELEMENT,
    "deep structure": (
        "<ol><li><p>First</p><ul><li><p>Nested <em>once</em></p><ul><li><p>Twice</p></li></ul></li></ul></li>"
        "<li><p>Second</p><blockquote><p>Quoted inside a list</p></blockquote></li></ol>"
        "<blockquote><p>Outer</p><blockquote><p>Inner</p></blockquote><p>— <cite>Source</cite></p></blockquote>"
        '<table><tbody><tr><th scope="row"><p>Row head</p></th><td><ul><li><p>List in a cell</p></li></ul></td></tr>'
        '<tr><td rowspan="2"><p>Tall</p></td><td><p>a</p></td></tr><tr><td><p>b</p></td></tr></tbody></table>'
    ),
    "overlapping marks and links": (
        "<p><strong>Bold <em>bold italic</em></strong><em> italic</em> plain "
        '<a href="https://example.com/x" rel="noopener noreferrer"><strong>bold link</strong> link '
        "<code>code link</code></a> <s>x<sub>1</sub></s> and&nbsp;more &amp; &lt;less&gt;</p>"
        '<h3>Heading with <em>emphasis</em> and <a href="/city/" rel="noopener noreferrer">a link</a></h3>'
        "<pre><code>  indented &lt;html&gt;\n\n    after a blank line</code></pre>"
    ),
    "embeds": "<p>Eleven providers:</p>"
    + "".join(
        f'<figure class="embed" data-provider="{provider}"><a href="{url}" rel="noopener noreferrer">{url}</a></figure>'
        for provider, url in [
            ("youtube", "https://youtu.be/dQw4w9WgXcQ"),
            ("vimeo", "https://vimeo.com/76979871"),
            ("x", "https://x.com/newsroom/status/1234567890"),
            ("instagram", "https://www.instagram.com/p/CxYz123abc/"),
            ("tiktok", "https://www.tiktok.com/@scout2015/video/6718335390845095173"),
            ("bluesky", "https://bsky.app/profile/newsroom.example/post/3kgbz2gb7ma2x"),
            ("mastodon", "https://mastodon.social/@Gargron/109926409137398474"),
            ("soundcloud", "https://soundcloud.com/forss/flickermood"),
            ("spotify", "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC"),
            ("openstreetmap", "https://www.openstreetmap.org/#map=15/52.5200/13.4050"),
            ("googlemaps", "https://www.google.com/maps/@52.52,13.405,14z"),
        ]
    ),
}


def normalised(html):
    return re.sub(r"\s+", " ", html).strip()


def open_change_form(page, article):
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    expect(page.get_by_role("textbox", name="Body")).to_be_visible()


def save(page, article):
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    article.refresh_from_db()
    return article.body


@pytest.mark.parametrize("name", BODIES)
def test_an_unchanged_save_stores_the_same_body(editor_page, name):
    """Opening the form and clicking Save, touching nothing, changes nothing in the body."""
    body = sanitize_body(BODIES[name])
    assert normalised(body) == normalised(BODIES[name]), "the test's body is not in canonical form"
    article = ArticleFactory(body=body)
    open_change_form(editor_page, article)
    assert normalised(save(editor_page, article)) == normalised(body)


@pytest.mark.parametrize("name", BODIES)
def test_the_editor_writes_back_what_it_loaded(editor_page, name):
    """After an edit that is undone, the editor's own HTML of the body is stored, and it is the same body."""
    article = ArticleFactory(body=sanitize_body(BODIES[name]))
    page = editor_page
    open_change_form(page, article)
    page.get_by_role("textbox", name="Body").locator("p").first.click()  # wherever the caret lands
    page.keyboard.type("x")
    page.keyboard.press("Backspace")
    # The form now holds what the editor serialised, not the text it was given.
    assert page.locator("textarea[name=body]").input_value() != ""
    assert normalised(save(page, article)) == normalised(sanitize_body(BODIES[name]))


def test_typing_right_after_a_link_does_not_extend_it(editor_page):
    """Text typed at the end of a link is plain text."""
    article = ArticleFactory(body='<p>See <a href="https://example.com/report">the report</a></p>')
    page = editor_page
    open_change_form(page, article)
    put_caret_at_end_of(page, page.get_by_role("textbox", name="Body").locator("p").first)
    page.keyboard.type(" today")
    body = save(page, article)
    assert body == (
        '<p>See <a href="https://example.com/report" rel="noopener noreferrer">the report</a> today</p>'
    )
    assert 'title=""' not in body


def test_a_provider_url_pasted_on_its_own_line_becomes_an_embed(editor_page):
    """Pasting a YouTube address into an empty paragraph stores an embed; elsewhere it is text."""
    article = ArticleFactory(body="<p>Watch it:</p>")
    page = editor_page
    open_change_form(page, article)
    put_caret_at_end_of(page, page.get_by_role("textbox", name="Body").locator("p").first)
    page.keyboard.press("Enter")
    url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    page.evaluate(
        """url => {
            const data = new DataTransfer();
            data.setData("text/plain", url);
            document.querySelector(".prose-editor [role=textbox]")
                .dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        url,
    )
    expect(page.locator(".prose-editor figure.embed")).to_be_visible()
    body = save(page, article)
    assert body == (
        f'<p>Watch it:</p><figure class="embed" data-provider="youtube"><a href="{url}" '
        f'rel="noopener noreferrer">{url}</a></figure>'
    )
    assert Article.objects.filter(pk=article.pk, body__contains="iframe").count() == 0


def test_an_editor_builds_a_pull_quote_and_a_table_with_header_row_and_caption(editor_page):
    """The toolbar makes a pull quote with attribution and a table; rows and columns come and go."""
    article = ArticleFactory(body="<p>Quote me on this.</p>")
    page = editor_page
    open_change_form(page, article)
    page.get_by_role("textbox", name="Body").locator("p").first.click()
    page.get_by_role("button", name="Pull quote", exact=True).click()
    page.get_by_role("button", name="Pull quote attribution").click()
    page.get_by_role("dialog").get_by_label("Who said it").fill("Ada Lovelace")
    page.get_by_role("dialog").get_by_role("button", name="Update").click()
    put_caret_at_end_of(page, page.get_by_role("textbox", name="Body").locator("blockquote p"))
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # an empty paragraph leaves the pull quote

    page.get_by_role("button", name="Insert table").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Rows").fill("2")
    dialog.get_by_label("Columns").fill("3")
    dialog.get_by_label("Include header row").select_option("Yes")
    dialog.get_by_role("button", name="Insert Table").click()
    for number, cell in enumerate(["Date", "Height", "Place", "14 Jan", "5.31 m", "Pier"]):
        if number:
            page.keyboard.press("Tab")  # the next cell (in the last one, Tab would add a row)
        page.keyboard.type(cell)
    page.get_by_role("textbox", name="Body").locator("td", has_text="Pier").click()
    page.get_by_role("button", name="Delete column").click()
    page.get_by_role("button", name="Add row").click()
    page.get_by_role("button", name="Table caption").click()
    page.get_by_role("dialog").get_by_label("Caption").fill("Next king tide")
    page.get_by_role("dialog").get_by_role("button", name="Update").click()
    expect(page.get_by_role("textbox", name="Body").locator("caption")).to_have_text("Next king tide")

    body = save(page, article)
    assert body.startswith(
        '<figure class="pullquote"><blockquote><p>Quote me on this.</p></blockquote>'
        "<figcaption>Ada Lovelace</figcaption></figure>"
    )
    assert (
        '<table><caption>Next king tide</caption><thead><tr><th scope="col"><p>Date</p></th>'
        '<th scope="col"><p>Height</p></th></tr></thead><tbody><tr><td><p>14 Jan</p></td><td><p>5.31 m</p></td></tr>'
        "<tr><td><p></p></td><td><p></p></td></tr></tbody></table>"
    ) in body
    assert sanitize_body(body) == body


def test_an_editor_edits_a_figures_caption_credit_and_width(editor_page):
    """Selecting a figure offers its alt text, caption, credit and width; the body stores them."""
    article = ArticleFactory(
        body='<figure><img src="/static/img/social-card.png" alt="Card" width="1200" height="630"></figure>'
    )
    page = editor_page
    open_change_form(page, article)
    page.get_by_role("textbox", name="Body").locator("figure img").click()
    page.get_by_role("button", name="Edit figure: alt text, caption, credit, width").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Alternative text (describe the image)").fill("The Newsroom's card")
    dialog.get_by_label("Caption").fill("Our card.")
    dialog.get_by_label("Credit (e.g. Photo: Jane Doe)").fill("Image: Newsroom")
    dialog.get_by_label("Wide (wider than the text column)").check()
    dialog.get_by_role("button", name="Update").click()
    assert save(page, article) == (
        '<figure class="wide"><img src="/static/img/social-card.png" alt="The Newsroom\'s card" width="1200" '
        'height="630"><figcaption>Our card. <span class="credit">Image: Newsroom</span></figcaption></figure>'
    )
