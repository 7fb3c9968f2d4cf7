"""
What search engines and social networks read in a page's head: the canonical
URL, OpenGraph and Twitter card tags, and an article's JSON-LD NewsArticle.

The JSON-LD is built here as a dict and serialized with ``json``, never
written by hand in a template, so every value is escaped the same way.
"""

import json
from urllib.parse import quote, urlencode

from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe

from images.renditions import share_rendition

# Google asks for a publisher logo no larger than 600 x 60 pixels.
LOGO = ("img/logo.png", 600, 60)
# Shared when a page has no image of its own (OpenGraph's recommended 1.91:1).
SOCIAL_CARD = ("img/social-card.png", 1200, 630)

# In a <script> element, "</script>" or "<!--" inside a string would end or
# confuse it: these characters are written as JSON escapes instead.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def canonical_url(request, page_number=None):
    """The page's address without tracking or filter parameters; a list keeps the page it shows."""
    url = request.build_absolute_uri(request.path)
    if page_number and page_number > 1:
        url += "?" + urlencode({"page": page_number})
    return url


def page_image(request, article=None):
    """(absolute URL, width, height, alt text) of the image to share for a page: the lead
    image's 1200 px rendition (images/renditions.py), or the site's card."""
    if article is not None and article.lead_image and article.lead_image.can_render:
        shared = share_rendition(article.lead_image)
        return request.build_absolute_uri(shared.url), shared.width, shared.height, article.lead_image.alt
    path, width, height = SOCIAL_CARD
    return request.build_absolute_uri(static(path)), width, height, settings.SITE_NAME


def news_article_data(article, request, *, authors=None, keywords=None):
    """schema.org NewsArticle for ``article``: its byline's ``authors`` ((name, path) pairs) and
    its tags' names (``keywords``) are read from the article when not given."""
    if authors is None:
        authors = [(byline.author.name, byline.author.get_absolute_url()) for byline in article.bylines.all()]
    if keywords is None:
        keywords = [tag.name for tag in article.tag_list]
    canonical = request.build_absolute_uri(article.get_absolute_url())
    image_url, *_ = page_image(request, article)
    logo_path, logo_width, logo_height = LOGO
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.meta_description,
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.modified_at.isoformat(),
        "author": [
            {"@type": "Person", "name": name, "url": request.build_absolute_uri(path)}
            for name, path in authors
        ],
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": request.build_absolute_uri("/"),
            "logo": {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(static(logo_path)),
                "width": logo_width,
                "height": logo_height,
            },
        },
        "image": [image_url],
        "articleSection": article.section.name,
        "keywords": list(keywords),
        "inLanguage": _bcp47(settings.LANGUAGE_CODE),
    }


def _bcp47(language_code):
    """Django's "en-us" as the "en-US" that schema.org expects."""
    language, _, region = language_code.partition("-")
    return f"{language}-{region.upper()}" if region else language


def json_ld_script(data):
    """``data`` as a <script type="application/ld+json"> element, safe inside HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def share_links(article, request):
    """(network, URL) pairs to share ``article``: plain links, no third-party script."""
    url = request.build_absolute_uri(article.get_absolute_url())
    title = article.meta_title

    def q(text):
        return quote(text, safe="")

    email_body = f"{title}\n\n{url}"
    return [
        ("Email", f"mailto:?subject={q(title)}&body={q(email_body)}"),
        ("Facebook", f"https://www.facebook.com/sharer/sharer.php?u={q(url)}"),
        ("X", f"https://x.com/intent/post?url={q(url)}&text={q(title)}"),
        ("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={q(url)}"),
        ("Bluesky", f"https://bsky.app/intent/compose?text={q(f'{title} {url}')}"),
        ("WhatsApp", f"https://wa.me/?text={q(f'{title} {url}')}"),
        ("Reddit", f"https://www.reddit.com/submit?url={q(url)}&title={q(title)}"),
    ]
