"""Middleware of the site as a whole (not of the articles app)."""

from django.middleware.gzip import GZipMiddleware

# newsroom/urls.py mounts the admin here.
ADMIN_PATH_PREFIX = "/admin/"


class HeadWithoutBodyMiddleware:
    """Answer HEAD requests with the headers a GET would get, and no body.

    HTTP forbids a body in a HEAD response, and Django's handler does not remove it:
    runserver drops it quietly, gunicorn drops it with a warning on every HEAD request
    ("WSGI app sent body bytes on a no-body response"). Outermost in MIDDLEWARE, this runs
    after CommonMiddleware and GZipMiddleware have set Content-Length, so the length
    still tells the client how big the GET would be.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "HEAD":
            if response.streaming:
                # The file or generator behind it is closed with the response, unread.
                response.streaming_content = []
            else:
                response.content = b""
        return response


class ReaderGZipMiddleware(GZipMiddleware):
    """Django's gzip compression, for text responses outside the admin.

    The admin is left uncompressed against BREACH: its pages carry the CSRF token and
    editors' unpublished text next to input an attacker may be able to reflect. Django masks
    the CSRF token on each response, but not the other secrets, so the few kilobytes saved
    are not worth it there. Images and other binary media are left alone: compressing
    them costs CPU and saves nothing.
    """

    compressible_types = (
        "text/",
        "application/rss+xml",
        "application/atom+xml",
        "application/xml",
        "application/json",
        "application/javascript",
    )

    def process_response(self, request, response):
        if request.path_info.startswith(ADMIN_PATH_PREFIX):
            return response
        if not response.get("Content-Type", "").startswith(self.compressible_types):
            return response
        return super().process_response(request, response)
