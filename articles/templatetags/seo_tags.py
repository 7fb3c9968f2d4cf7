"""Head tags for search engines and social networks; the logic lives in articles/seo.py."""

from django import template
from django.conf import settings

from articles.reader import seo

register = template.Library()


def _canonical(context):
    page_obj = context.get("page_obj")
    return seo.canonical_url(context["request"], page_obj.number if page_obj else None)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    return _canonical(context) if context.get("request") else ""


@register.inclusion_tag("includes/social_meta.html", takes_context=True)
def social_meta(context, title=None, description=None, article=None, tag_names=None):
    """OpenGraph and Twitter card tags; given an ``article``, its own title, image, times and tags
    (``tag_names``, or else read from the article)."""
    request = context["request"]
    image_url, width, height, alt = seo.page_image(request, article)
    return {
        "site_name": settings.SITE_NAME,
        "title": article.meta_title if article else title or settings.SITE_NAME,
        "description": article.meta_description if article else description or settings.SITE_DESCRIPTION,
        "url": _canonical(context),
        "article": article,
        "tag_names": (tag_names if tag_names is not None else [tag.name for tag in article.tag_list])
        if article
        else [],
        "image": {"url": image_url, "width": width, "height": height, "alt": alt},
        "has_own_image": bool(article and article.lead_image and article.lead_image.can_render),
    }


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article, authors=None, keywords=None):
    data = seo.news_article_data(article, context["request"], authors=authors, keywords=keywords)
    return seo.json_ld_script(data)


@register.inclusion_tag("includes/share_links.html", takes_context=True)
def share_links(context, article):
    return {"links": seo.share_links(article, context["request"])}
