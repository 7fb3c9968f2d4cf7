"""Embeds: a known provider's URL, stored as URL and provider, shown as a click-to-load placeholder."""

import socket

import pytest

from articles.body import embeds, sanitize_body
from articles.body.render import reader_body
from tests.factories import ArticleFactory

PROVIDER_URLS = {
    "youtube": "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m5s",
    "vimeo": "https://vimeo.com/76979871",
    "x": "https://twitter.com/newsroom/status/1234567890",
    "instagram": "https://www.instagram.com/reel/CxYz123abc/",
    "tiktok": "https://www.tiktok.com/@scout2015/video/6718335390845095173",
    "bluesky": "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3kgbz2gb7ma2x",
    "mastodon": "https://mastodon.social/@Gargron/109926409137398474",
    "soundcloud": "https://soundcloud.com/forss/flickermood",
    "spotify": "https://open.spotify.com/episode/4uLU6hMCjMI75M1A2tKUQC",
    "openstreetmap": "https://www.openstreetmap.org/?mlat=52.52&mlon=13.405#map=15/52.5200/13.4050",
    "googlemaps": "https://www.google.com/maps/place/Berlin/@52.52,13.405,11z/data=x",
}


@pytest.mark.parametrize(("name", "url"), PROVIDER_URLS.items())
def test_each_provider_is_recognised_and_played_from_a_listed_host(name, url):
    """Every provider's URL gets its player address, on a host that frame-src can list."""
    assert embeds.provider_for(url).name == name
    player = embeds.iframe_url(url)
    assert player.startswith("https://")
    assert player.split("/")[2] in embeds.EMBED_FRAME_HOSTS


def test_video_players_use_the_providers_no_cookie_addresses():
    """YouTube plays from youtube-nocookie.com, Vimeo with do-not-track; the start time is kept."""
    assert (
        embeds.iframe_url(PROVIDER_URLS["youtube"])
        == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=65"
    )
    assert embeds.iframe_url(PROVIDER_URLS["vimeo"]).endswith("?dnt=1")


@pytest.mark.parametrize(
    "url",
    ["https://example.com/watch?v=dQw4w9WgXcQ", "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
     "http://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://mastodon.evil.example/@a/109926409137398474",
     "javascript:alert(1)//https://youtu.be/dQw4w9WgXcQ", "https://youtu.be/dQw4w9WgXcQ extra"],
)  # fmt: skip
def test_other_urls_are_not_embeds(url):
    """Lookalike hosts, plain http, unknown Mastodon servers and anything odd stay links."""
    assert embeds.provider_for(url) is None


def test_a_bluesky_post_by_handle_is_a_link_only():
    """Without the author's DID the embed would need the network: readers get the link, no Load button."""
    body = sanitize_body("<p>https://bsky.app/profile/newsroom.example/post/3kgbz2gb7ma2x</p>")
    page = reader_body(body)
    assert 'data-provider="bluesky"' in page and "embed__load" not in page and "data-embed-src" not in page


def test_readers_get_a_placeholder_with_a_link_and_a_hidden_load_button():
    """No iframe or script in the page; the link works without JavaScript; the button waits for embeds.js."""
    page = reader_body(sanitize_body(f"<p>{PROVIDER_URLS['youtube']}</p>"))
    assert "<iframe" not in page and "<script" not in page
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=1m5s"' in page
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=65"' in page
    assert '<button type="button" class="embed__load" hidden>Load YouTube content</button>' in page


def test_nothing_calls_the_network_at_save_or_render_time(db, monkeypatch):
    """Saving and rendering a body full of embeds opens no connection."""

    def refuse(*args, **kwargs):
        raise AssertionError("a connection was opened")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    article = ArticleFactory(body="".join(f"<p>{url}</p>" for url in PROVIDER_URLS.values()))
    assert article.body.count('class="embed"') == len(PROVIDER_URLS)
    assert reader_body(article.body).count('<figure class="embed') == len(PROVIDER_URLS)


def test_wide_tables_and_code_scroll_in_a_box_keyboard_users_can_reach():
    """Tables are wrapped in a named, focusable scrolling region; code blocks are focusable."""
    page = reader_body(
        sanitize_body("<table><caption>Tides</caption><tr><td>1</td></tr></table><pre>x</pre>")
    )
    assert page.startswith(
        '<div class="table-scroll" tabindex="0" role="region" aria-label="Table: Tides"><table>'
    )
    assert "</table></div>" in page
    assert '<pre tabindex="0"><code>x</code></pre>' in page


@pytest.mark.django_db
def test_the_article_page_shows_embeds_as_placeholders(client):
    """The reader page carries the placeholder and the script, never the provider's player."""
    article = ArticleFactory(body=f"<p>Watch:</p><p>{PROVIDER_URLS['vimeo']}</p>")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert 'class="embed embed--video"' in html
    assert "<iframe" not in html and "player.vimeo.com/video/76979871?dnt=1" in html
    assert "js/embeds" in html
