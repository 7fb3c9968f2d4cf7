"""Template tags of the site as a whole, registered as the library "csp_media" in settings.TEMPLATES."""

from django import template
from js_asset import Media

register = template.Library()


@register.simple_tag(takes_context=True)
def media_with_csp_nonce(context, media):
    """Render form media with the request's Content-Security-Policy nonce on its scripts.

    Django 5.2's admin renders ``{{ media }}`` without a nonce; js_asset's Media (which
    django-prose-editor already uses for its import map) can carry one.
    """
    request = context.get("request")
    nonce = getattr(request, "csp_nonce", "") if request is not None else ""
    return Media.from_media(media, nonce=str(nonce)).render()
