"""
How media that WordPress embedded (a YouTube URL, an audio file) appears in an imported body.

Everything goes through ``embed_html()``: a URL of a provider Newsroom embeds becomes an
embed block (the URL and the provider's name, as articles/body/embeds.py defines them);
any other URL, an audio file for one, a link in its own paragraph.
"""

from urllib.parse import urlsplit

from django.utils.html import escape

from articles.body.embeds import provider_for


def embed_html(url, *, label=""):
    """The body HTML for media at ``url`` (``label`` is a plain link's text, the URL by default)."""
    url = (url or "").strip()
    if urlsplit(url).scheme not in {"http", "https"}:
        return ""
    secure = "https://" + url.removeprefix("http://") if url.startswith("http://") else url
    provider = provider_for(secure)
    if provider is not None:
        return f'<figure class="embed" data-provider="{provider.name}"><a href="{escape(secure)}">{escape(secure)}</a></figure>'
    return f'<p><a href="{escape(url)}">{escape(label or url)}</a></p>'
