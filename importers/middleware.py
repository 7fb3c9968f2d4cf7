"""Old addresses of an imported site answer 301 to where their content lives now."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from articles.models import Article

from .models import LegacyPath

# WordPress's query-string permalinks: /?p=123 (posts), /?page_id=7, /?cat=3.
QUERY_FORMS = ("p", "page_id", "cat")


class LegacyRedirectMiddleware:
    """Redirect a 404, or a WordPress ``?p=ID`` address, that an import recorded.

    Only published content is a target (a redirect must not reveal a draft's address),
    plus taken-down articles, whose URL explains that they are gone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
            target = target_url(request.path)
            if target and target != request.path:
                return redirect(target, permanent=True)
        return response


def is_site_root(path):
    """Whether ``path`` is the old site's home: ``/``, or the folder an import recorded it in
    (its ``/blog/?p=ID`` addresses are on record)."""
    folder = path if path.endswith("/") else f"{path}/"
    if folder == "/":
        return True
    return "\x00" not in folder and LegacyPath.objects.filter(path__startswith=f"{folder}?").exists()


def search_url(terms):
    """Our search page for WordPress's ``?s=terms``: the empty search form when there are none."""
    terms = terms.strip()
    return f"{reverse('articles:search')}?{urlencode({'q': terms})}" if terms else reverse("articles:search")


def target_url(path):
    """Where the content once at ``path`` lives now, or None."""
    if "\x00" in path:
        # No import records such a path, and PostgreSQL refuses NUL in a query's text.
        return None
    # Old links often lack the final slash of WordPress's permalinks.
    paths = [path[:500]] if path.endswith("/") or "?" in path else [path[:500], f"{path}/"[:500]]
    entry = (
        LegacyPath.objects.filter(path__in=paths).select_related("article__section", "section", "tag").first()
    )
    if entry is None:
        return None
    if entry.article_id:
        visible = Article.objects.published() | Article.objects.gone()
        return entry.article.get_absolute_url() if visible.filter(pk=entry.article_id).exists() else None
    if entry.section_id:
        return entry.section.get_absolute_url()
    if Article.objects.published().filter(tags=entry.tag).exists():
        return reverse("articles:tag", kwargs={"tag_slug": entry.tag.slug})
    return None
