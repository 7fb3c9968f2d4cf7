"""WSGI entry point, for gunicorn: gunicorn newsroom.wsgi."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()


def _with_page_cache_front(application):
    from django.conf import settings

    if not settings.PAGE_CACHE_FRONT:
        return application
    from articles.pagecache.front import PageCacheFront

    # Fresh cached reader pages are answered before Django's request handling.
    return PageCacheFront(application)


application = _with_page_cache_front(application)
