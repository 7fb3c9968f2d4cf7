"""The health check load balancers poll: is this app server able to answer readers?"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

HEALTH_CACHE_KEY = "newsroom:healthz"


@never_cache
@require_safe
def healthz(request):
    """200 "ok" when the database and the cache answer, else 503.

    The answer names nothing (no hosts, no error text): it is public. What failed goes to
    the log, once per failed check.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        cache.set(HEALTH_CACHE_KEY, "ok", timeout=60)
        if cache.get(HEALTH_CACHE_KEY) != "ok":
            raise RuntimeError("the cache did not return what was just stored in it")
    except Exception:
        logger.exception("Health check failed")
        response = HttpResponse("unavailable\n", status=503, content_type="text/plain; charset=utf-8")
        # Logged above with the reason; Django's own "Service Unavailable" line would repeat it.
        response._has_been_logged = True
        return response
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
