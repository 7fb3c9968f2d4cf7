from django.conf import settings

from .models import Section


def site(request):
    """Site name and the navigation sections (a lazy QuerySet: no query unless shown)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_description": settings.SITE_DESCRIPTION,
        "navigation_sections": Section.objects.filter(show_in_navigation=True),
    }
