"""A stored body as reader pages show it: figures from the image library become responsive
<picture> elements, embeds become placeholders that load on request, tables and code
blocks scroll inside their own box.

A figure inserted from the image library carries the image's number (``data-image``) and
one plain rendition in its ``<img>``. Reader pages replace that ``<img>`` with the
library's ``<picture>`` (sizes in several widths and formats, width and height, lazy),
keeping the alt text, caption and credit written in the figure. All the figures of a
body cost one query together. A figure whose image is gone keeps its stored ``<img>``.

The stored body (canonical, from ``sanitize_body``) holds an embed as a figure with a
link. Reader pages turn it into a placeholder: the provider's name, the link, and a
"Load" button, hidden until static/js/embeds.js shows it, that inserts the provider's
iframe when clicked. Without JavaScript a reader has the link; until a reader asks, no
page makes any request to a third party.

Feeds get ``feed_body``: the stored body with every ``src``, ``href`` and ``srcset`` made
absolute (a feed reader has no base URL), and each library figure as one plain ``<img>`` of
the image's 1200 px share rendition, with the figure's alt text, caption and credit. Embeds
stay the stored link.
"""

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from images.models import Image
from images.pictures import PICTURE_FIELDS, picture_html
from images.renditions import share_rendition

from . import embeds

# The canonical form written by sanitize._embed(); nothing else in a stored body matches.
_EMBED = re.compile(
    r'<figure class="embed" data-provider="(?P<provider>[a-z]+)"><a href="(?P<href>[^"]*)" '
    r'rel="noopener noreferrer">[^<]*</a></figure>'
)

# The shape of each provider's player, as a CSS modifier (static/css/site.css).
_SHAPES = {"youtube": "video", "vimeo": "video", "tiktok": "portrait", "instagram": "portrait",
           "x": "post", "bluesky": "post", "mastodon": "post", "soundcloud": "audio",
           "spotify": "audio", "openstreetmap": "map", "googlemaps": "map"}  # fmt: skip


_TABLE = re.compile(r"<table>(?:<caption>(?P<caption>[^<]*)</caption>)?")


# The canonical form written by sanitize._figure() for a figure from the library.
_LIBRARY_FIGURE = re.compile(
    r'<figure(?P<wide> class="wide")? data-image="(?P<id>[0-9]{1,18})">'
    r'<img(?P<attrs>(?: [a-z-]+="[^"]*")*)>(?P<caption><figcaption>.*?</figcaption>)?</figure>'
)
_ATTRIBUTE = re.compile(r' ([a-z-]+)="([^"]*)"')


def reader_body(body: str) -> SafeString:
    """``body`` (sanitized when it was saved) as reader pages show it."""
    html = _library_figures(body or "")
    html = _EMBED.sub(_placeholder, html)
    # A table or a code block wider than the column scrolls in its own box, which keyboard
    # users can reach (and scroll) as well.
    html = _TABLE.sub(_scrolling_table, html).replace("</table>", "</table></div>")
    html = html.replace("<pre>", '<pre tabindex="0">')
    return mark_safe(html)  # noqa: S308 (stored bodies are sanitized)


def _scrolling_table(match):
    caption = unescape(match["caption"]) if match["caption"] else ""
    label = f"Table: {caption}" if caption else "Table"
    return (
        format_html('<div class="table-scroll" tabindex="0" role="region" aria-label="{}">', label) + match[0]
    )


def _placeholder(match):
    url = unescape(match["href"])
    provider = embeds.provider_for(url)
    if provider is None:  # stored before the provider table changed: a plain link
        return format_html('<p><a href="{}" rel="noopener noreferrer">{}</a></p>', url, url)
    player = embeds.iframe_url(url)
    load = (
        format_html(
            '<button type="button" class="embed__load" hidden>Load {label} content</button>'
            '<span class="embed__notice" hidden>Loading it connects to {label}, which will see your IP address and may store data in your browser.</span>',
            label=provider.label,
        )
        if player
        else ""
    )
    return format_html(
        '<figure class="embed embed--{shape}" data-provider="{name}"{player_attr}>'
        '<figcaption class="embed__provider">{label}</figcaption>'
        '<p class="embed__link"><a href="{url}" rel="noopener noreferrer">View on {label}: {url}</a></p>'
        "{load}</figure>",
        shape=_SHAPES.get(provider.name, "video"),
        name=provider.name,
        player_attr=format_html(' data-embed-src="{}"', player) if player else "",
        label=provider.label,
        url=url,
        load=load,
    )


def figure_images(bodies):
    """{number: Image} of the library images the figures of ``bodies`` show: one query for
    them all (none without figures)."""
    ids = {int(match["id"]) for body in bodies for match in _LIBRARY_FIGURE.finditer(body or "")}
    return Image.objects.only(*PICTURE_FIELDS).in_bulk(ids) if ids else {}


def _library_figures(html):
    images = figure_images([html])
    if not images:
        return html

    def picture(match):
        image = images.get(int(match["id"]))
        if image is None or not image.can_render:
            return match[0]
        alt = unescape(dict(_ATTRIBUTE.findall(match["attrs"])).get("alt", ""))
        wide = bool(match["wide"])
        return format_html(
            '<figure class="{}" data-image="{}">{}{}</figure>',
            "figure--library wide" if wide else "figure--library",
            image.pk,
            picture_html(image, "figure-wide" if wide else "figure", alt=alt),
            mark_safe(match["caption"] or ""),  # noqa: S308 (from the sanitized body)
        )

    return _LIBRARY_FIGURE.sub(picture, html)


# A tag as the sanitizer writes it. Attribute values in double quotes hold no quote (a ">"
# they may hold), and text holds no "<": so only real attributes are rewritten, never words.
_TAG = re.compile(r'<[a-z][a-z0-9]*(?: [a-z-]+="[^"]*")*>')
_URL_ATTRIBUTE = re.compile(r' (src|href|srcset)="([^"]*)"')


def feed_body(body: str, *, base_url: str, images: dict) -> str:
    """``body`` for feeds: URLs absolute against ``base_url`` (the article's own absolute URL,
    so "#notes" stays on it), library figures as a plain ``<img>`` of a rendition every feed
    reader can show. ``images``: ``figure_images()`` of the feed's bodies."""

    def plain_figure(match):
        image = images.get(int(match["id"]))
        if image is None or not image.can_render:
            return match[0]
        share = share_rendition(image)
        return format_html(
            '<figure><img src="{}" alt="{}" width="{}" height="{}">{}</figure>',
            share.url,
            unescape(dict(_ATTRIBUTE.findall(match["attrs"])).get("alt", "")),
            share.width,
            share.height,
            mark_safe(match["caption"] or ""),  # noqa: S308 (from the sanitized body)
        )

    def absolute(url):
        url = url.strip()
        # A full address (https:, mailto:) stays exactly as written.
        return url if not url or urlsplit(url).scheme else urljoin(base_url, url)

    def absolute_attribute(match):
        name, value = match[1], unescape(match[2])
        if name == "srcset":
            candidates = (candidate.split(None, 1) for candidate in value.split(",") if candidate.strip())
            value = ", ".join(" ".join([absolute(url), *descriptor]) for url, *descriptor in candidates)
        else:
            value = absolute(value)
        return format_html(' {}="{}"', name, value)

    html = _LIBRARY_FIGURE.sub(plain_figure, body or "")
    return _TAG.sub(lambda tag: _URL_ATTRIBUTE.sub(absolute_attribute, tag[0]), html)
