"""Article bodies on reader pages: nothing scrolls sideways, embeds load only on request, axe passes."""

import pytest
from playwright.sync_api import expect

from tests.browser.support import PHONE, assert_no_serious_violations, at_phone_and_desktop
from tests.factories import ArticleFactory

LONG_URL = "https://example.com/" + "a-very-long-path-segment-without-any-break" * 4
WIDE_TABLE = (
    "<table><caption>Tide heights at twelve gauges, in centimetres above chart datum</caption><tr>"
    + "".join(f"<th>Gauge number {n} (Quayside)</th>" for n in range(12))
    + "</tr><tr>"
    + "".join(f"<td>{400 + n}</td>" for n in range(12))
    + "</tr></table>"
)
RICH_BODY = (
    f'<p>Read the full data at {LONG_URL} or at <a href="{LONG_URL}">{LONG_URL}</a>.</p>'
    "<p>Pneumonoultramicroscopicsilicovolcanoconiosisandsomemoreletterstomakeitlonger is one word.</p>"
    + WIDE_TABLE
    + "<pre><code>curl 'https://data.harborview.example/api/v2/tide-gauges/quayside/readings?from=2026-01-01&amp;to=2026-12-31&amp;format=csv'</code></pre>"
    '<figure class="wide"><img src="/static/img/social-card.png" alt="The Newsroom card" width="1200" height="630">'
    '<figcaption>A wide figure. <span class="credit">Image: Newsroom</span></figcaption></figure>'
    '<figure class="pullquote"><blockquote><p>We cannot argue with the sea.</p></blockquote>'
    "<figcaption>Priya Raman, chief coastal engineer</figcaption></figure>"
    "<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ</p>"
    "<p>H<sub>2</sub>O, x<sup>2</sup>, <mark>marked</mark>, <q>quoted</q>, <code>inline code</code>.</p>"
)


@pytest.fixture
def rich_article(transactional_db):
    return ArticleFactory(
        title="Supercalifragilisticexpialidociouslylongheadlinewordthatneverends", body=RICH_BODY
    )


@pytest.fixture
def outside_requests(page, live_server):
    """Every request the page tries to make to a host but the test server; all of them refused."""
    attempted = []

    def refuse(route):
        attempted.append(route.request.url)
        route.abort()

    page.route(lambda url: not url.startswith(live_server.url), refuse)
    return attempted


@at_phone_and_desktop
def test_nothing_makes_the_page_scroll_sideways(page, rich_article, screenshot, viewport, outside_requests):
    """Long URLs and words wrap, the wide table and the code scroll in their own box, figures fit."""
    page.goto(rich_article.get_absolute_url())
    screenshot("body-rich-article")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    if viewport == PHONE:
        for selector in [".table-scroll", ".article__body pre"]:
            box = page.locator(selector).first
            assert box.evaluate("e => e.scrollWidth > e.clientWidth"), f"{selector} does not scroll"
    image = page.locator(".article__body figure.wide img")
    assert image.evaluate("e => e.getBoundingClientRect().right") <= viewport["width"]


def test_an_embed_loads_nothing_until_the_reader_asks(page, rich_article, outside_requests):
    """No request leaves for the provider until Load is clicked; then its no-cookie player is inserted."""
    page.goto(rich_article.get_absolute_url())
    embed = page.locator("figure.embed")
    expect(embed).to_contain_text("YouTube")
    expect(embed.get_by_role("link")).to_have_attribute("href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    page.wait_for_load_state("networkidle")
    assert outside_requests == []
    embed.get_by_role("button", name="Load YouTube content").click()
    frame = embed.locator("iframe")
    expect(frame).to_have_attribute("src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    expect(frame).to_have_attribute("title", "YouTube content")


def test_without_javascript_an_embed_is_a_plain_link(browser, live_server, rich_article):
    """No button that cannot work: the reader has the link to the original."""
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto(rich_article.get_absolute_url())
    embed = page.locator("figure.embed")
    expect(embed.get_by_role("link")).to_be_visible()
    expect(embed.get_by_role("button")).to_have_count(0)
    expect(embed.locator(".embed__notice")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_figures_tables_pull_quotes_and_embeds_pass_axe(page, rich_article, color_scheme, outside_requests):
    """The body's elements meet contrast and naming rules in both themes, before and after loading an embed."""
    page.emulate_media(color_scheme=color_scheme)
    page.goto(rich_article.get_absolute_url())
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Load YouTube content").click()
    assert_no_serious_violations(page, context="main")
