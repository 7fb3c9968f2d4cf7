"""
Cache-Control for every response, by what it is:

- anonymous reader pages (GET/HEAD, 200): ``public``, a short ``max-age`` for
  browsers, a longer ``s-maxage`` for shared caches, ``stale-while-revalidate``
  and ``stale-if-error``; their surrogate keys go out as ``Surrogate-Key``
  (Varnish xkey, Fastly) and ``Cache-Tag`` (Cloudflare), so a purge can name them;
- 404 and 410: public for a short while (``HTTP_GONE_MAX_AGE``), so that a
  republished article is never hidden for long by a browser's cache;
- permanent redirects: public, bounded by ``HTTP_REDIRECT_MAX_AGE`` (browsers
  otherwise keep a 301 for ever);
- everything else, the admin, signed-in users, responses setting a cookie and
  other errors: ``private, no-store``.

A view that sets Cache-Control itself (previews, the health check) is left alone.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

PERMANENT_REDIRECTS = {301, 308}
GONE = {404, 410}


def surrogate_keys(response):
    """The keys of what a page shows, as the page cache recorded them (empty: none)."""
    return sorted(getattr(response, "cache_keys", None) or ())


def add_surrogate_keys(response):
    keys = surrogate_keys(response)
    if keys:
        response["Surrogate-Key"] = " ".join(keys)
        response["Cache-Tag"] = ",".join(keys)


def is_personal(request, response):
    if request.path.startswith(settings.HTTP_CACHE_PRIVATE_PREFIXES):
        return True
    if response.cookies or response.status_code >= 500:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class CachePolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        status = response.status_code
        if request.method not in ("GET", "HEAD") or is_personal(request, response):
            patch_cache_control(response, private=True, no_store=True)
        elif status == 200:
            patch_cache_control(
                response,
                public=True,
                max_age=settings.HTTP_BROWSER_MAX_AGE,
                s_maxage=settings.HTTP_SHARED_MAX_AGE,
                stale_while_revalidate=settings.HTTP_STALE_WHILE_REVALIDATE,
                stale_if_error=settings.HTTP_STALE_IF_ERROR,
            )
            add_surrogate_keys(response)
        elif status in GONE:
            patch_cache_control(
                response, public=True, max_age=settings.HTTP_GONE_MAX_AGE, s_maxage=settings.HTTP_GONE_MAX_AGE
            )
            add_surrogate_keys(response)
        elif status in PERMANENT_REDIRECTS:
            patch_cache_control(response, public=True, max_age=settings.HTTP_REDIRECT_MAX_AGE)
        else:
            patch_cache_control(response, private=True, no_store=True)
        return response
