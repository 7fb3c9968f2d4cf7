from django.conf import settings
from django.utils.functional import SimpleLazyObject

from ..models import Section
from ..pagecache import cached_fragment, keys


def navigation_sections():
    """The sections of the menu, shown on every page: from the cache while none changed."""
    return cached_fragment(
        "navigation",
        lambda: list(Section.objects.filter(show_in_navigation=True)),
        keys=keys.EVERY_PAGE,
    )


def site(request):
    """Site name and the navigation sections (lazy: nothing read unless shown)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "navigation_sections": SimpleLazyObject(navigation_sections),
    }
