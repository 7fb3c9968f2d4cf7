"""Head tags for search engines and social networks; the logic lives in articles/seo.py."""

from django import template
from django.conf import settings

from articles import seo

register = template.Library()


def _canonical(context):
    page_obj = context.get("page_obj")
    return seo.canonical_url(context["request"], page_obj.number if page_obj else None)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    return _canonical(context) if context.get("request") else ""


@register.inclusion_tag("includes/social_meta.html", takes_context=True)
def social_meta(context, title=None, description=None, article=None):
    """OpenGraph and Twitter card tags; given an ``article``, its own title, image and times."""
    request = context["request"]
    image_url, width, height, alt = seo.page_image(request, article)
    return {
        "site_name": settings.SITE_NAME,
        "title": article.meta_title if article else title or settings.SITE_NAME,
        "description": article.meta_description if article else description or settings.SITE_DESCRIPTION,
        "url": _canonical(context),
        "article": article,
        "tags": article.tag_list if article else [],
        "image": {"url": image_url, "width": width, "height": height, "alt": alt},
        "has_own_image": bool(article and article.lead_image),
    }


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article):
    return seo.json_ld_script(seo.news_article_data(article, context["request"]))


@register.inclusion_tag("includes/share_links.html", takes_context=True)
def share_links(context, article):
    return {"links": seo.share_links(article, context["request"])}
