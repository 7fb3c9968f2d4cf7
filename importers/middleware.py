"""Old addresses of an imported site answer 301 to where their content lives now."""

import re
from urllib.parse import urlencode

from django.http import HttpResponseGone
from django.shortcuts import redirect
from django.urls import reverse

from articles.models import Article, public_tags

from .models import LegacyPath

# WordPress's query-string permalinks: /?p=123 (posts), /?page_id=7, /?cat=3.
QUERY_FORMS = ("p", "page_id", "cat")

# WordPress's feeds: /feed/ (RSS 2.0; also /feed/rss2/, /feed/rss/, /feed/rdf/) and
# /feed/atom/, after the home's address or any archive's or post's.
FEED_ADDRESS = re.compile(r"(?P<base>.*/)feed/(?:(?P<kind>atom|rss2|rss|rdf)/)?")
TAG_ADDRESS = re.compile(r"(?P<folder>.*/)tag/(?P<slug>[^/]+)/")


class LegacyRedirectMiddleware:
    """Redirect a 404, or a WordPress ``?p=ID`` address, that an import recorded; and
    WordPress's search (``?s=``) and feed (``.../feed/``) addresses to ours.

    Only published content is a target (a redirect must not reveal a draft's address),
    plus taken-down articles, whose URL explains that they are gone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            # No import records such a path, and PostgreSQL refuses NUL in a query's text.
            return self.get_response(request)
        if "s" in request.GET and is_site_root(request.path):
            return redirect(search_url(request.GET["s"]), permanent=True)
        for name in QUERY_FORMS:
            value = request.GET.get(name, "")
            if value.isdigit():
                target = target_url(f"{request.path}?{name}={value}")
                if target:
                    return redirect(target, permanent=True)
        response = self.get_response(request)
        if response.status_code == 404:
            feed = FEED_ADDRESS.fullmatch(request.path if request.path.endswith("/") else f"{request.path}/")
            if feed:
                return feed_response(feed["base"], atom=feed["kind"] == "atom") or response
            target = target_url(request.path) or kept_tag_url(request.path)
            if target and target != request.path:
                return redirect(target, permanent=True)
        return response


def is_site_root(path):
    """Whether ``path`` is the old site's home: ``/``, or the folder an import recorded it in
    (its ``/blog/?p=ID`` addresses are on record)."""
    folder = path if path.endswith("/") else f"{path}/"
    if folder == "/":
        return True
    return LegacyPath.objects.filter(path__startswith=f"{folder}?").exists()


def search_url(terms):
    """Our search page for WordPress's ``?s=terms``: the empty search form when there are none."""
    terms = terms.strip()
    return f"{reverse('articles:search')}?{urlencode({'q': terms})}" if terms else reverse("articles:search")


def feed_response(base, *, atom):
    """The answer to the old feed of the page at ``base``: a 301 to our feed of the same
    subject (the site's, a section's or a tag's), or None (a 404).

    A post's own feed held its comments, which were not imported: it answers 410 Gone, so
    that feed readers drop it rather than follow a redirect to a page that is not a feed.
    """
    suffix = "atom" if atom else "rss"
    if is_site_root(base):
        return redirect(reverse(f"articles:feed-{suffix}"), permanent=True)
    if base.endswith("/comments/") and is_site_root(base.removesuffix("comments/")):
        return comments_gone()
    entry = legacy_entry(base)
    if entry is None:
        tag = kept_tag(base)
        if tag is None:
            return None
        return redirect(reverse(f"articles:tag-feed-{suffix}", kwargs={"slug": tag.slug}), permanent=True)
    if entry.article_id:
        if not visible_articles().filter(pk=entry.article_id).exists():
            return None
        return comments_gone()
    if entry.section_id:
        return redirect(
            reverse(f"articles:section-feed-{suffix}", kwargs={"slug": entry.section.slug}), permanent=True
        )
    if Article.objects.published().filter(tags=entry.tag).exists():
        return redirect(
            reverse(f"articles:tag-feed-{suffix}", kwargs={"slug": entry.tag.slug}), permanent=True
        )
    return None


def comments_gone():
    return HttpResponseGone("The old site's comments were not imported.", content_type="text/plain")


def kept_tag(path):
    """The tag whose old address ``path`` is (``/tag/<slug>/``, or in the import's folder) when
    it kept its slug, so that no old address of it is on record; None unless it has a
    published article (our tag page is a 404 without one)."""
    address = TAG_ADDRESS.fullmatch(path)
    if address is None or not is_site_root(address["folder"]):
        return None
    return public_tags().filter(slug=address["slug"]).first()


def kept_tag_url(path):
    """Our page of the tag that kept its slug, for its old address in the import's folder."""
    tag = kept_tag(path if path.endswith("/") else f"{path}/")
    return reverse("articles:tag", kwargs={"tag_slug": tag.slug}) if tag else None


def visible_articles():
    """Articles an old address may lead to: published ones, and taken-down ones (their URL
    explains that they are gone); never a draft."""
    return Article.objects.published() | Article.objects.gone()


def legacy_entry(path):
    """The LegacyPath recorded for ``path`` (with or without its final slash), or None."""
    # Old links often lack the final slash of WordPress's permalinks.
    paths = [path[:500]] if path.endswith("/") or "?" in path else [path[:500], f"{path}/"[:500]]
    return (
        LegacyPath.objects.filter(path__in=paths).select_related("article__section", "section", "tag").first()
    )


def target_url(path):
    """Where the content once at ``path`` lives now, or None."""
    entry = legacy_entry(path)
    if entry is None:
        return None
    if entry.article_id:
        return (
            entry.article.get_absolute_url()
            if visible_articles().filter(pk=entry.article_id).exists()
            else None
        )
    if entry.section_id:
        return entry.section.get_absolute_url()
    if Article.objects.published().filter(tags=entry.tag).exists():
        return reverse("articles:tag", kwargs={"tag_slug": entry.tag.slug})
    return None
