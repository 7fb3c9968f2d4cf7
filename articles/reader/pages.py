"""Building the article page, for readers and for previews of what readers will see.

Most of the page is the same for every reader: the article itself (headline,
byline, lead image, body, corrections, tags) and what sits under it (related
articles, previous and next). Those parts are rendered once and kept as a
fragment (``fragment_with_keys``) with the keys of everything they show; each
reader's request adds only the head, the share links and the page around them.
"More in <section>" changes with the section, not with the article: it is a
live region of the cached page (``live_region``), built from one fragment per
section, so that a new article shows under every other of its section at once
while their pages stay cached. Previews build the parts every time and never touch the fragment: they
show what readers do not see (yet).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe

from ..body.vocabulary import LIBRARY_FIGURE_OPENING
from ..models import page_prefetches
from ..pagecache import depends_on, fragment_with_keys, keys, live_region, live_region_renderer
from ..related import related_block, section_newest


@dataclass(frozen=True)
class ArticleParts:
    """The parts of an article page shown alike to every reader, rendered."""

    story: str  # the <article> element
    related: str  # the related articles
    pager: str  # previous and next in the section
    related_ids: tuple  # what "More in <section>" leaves out, besides the article
    # What the page's head shows of the relations (its tags; the byline's names and
    # addresses), so that a page built from the fragment needs no query for them.
    tag_names: tuple
    authors: tuple  # (name, path)


def article_page_context(article):
    """What the article template needs, for readers; ``article`` comes from ``with_own_row()``.

    The parts are the article's fragment. Its keys (and so the page's): the article,
    its section, the names it shows (tags, authors), the library images of its body's
    figures, every article listed under it with its section, and its neighbours
    (``article:<id>:neighbours``, changed when an article is published next to it).
    So a listed article that is unpublished, retitled or corrected refreshes the parts
    at once, and no list can ever show an article that is no longer published; a newly
    published one joins "More in" at once (a live region with the section's list
    keys) and other articles' related suggestions when their parts are next built.
    """
    parts = fragment_with_keys(f"article:{article.pk}", lambda: article_parts(article), keys=[keys.SITE])
    return page_context(article, parts)


def page_context(article, parts):
    more_in_section = live_region("more_in_section", article.section_id, (article.pk, *parts.related_ids))
    return {
        "article": article,
        "parts": parts,
        "more_in_section": more_in_section,
        "current_section_slug": article.section.slug,
    }


def article_parts(article):
    """Render the parts of ``article``'s page, recording their keys with ``depends_on()``
    (its relations are prefetched here unless they were: ``page_prefetches()``)."""
    prefetch_related_objects([article], *page_prefetches())
    reading_next = related_block(article)
    depends_on(keys.shown_articles([article, *reading_next.shown]))
    depends_on(keys.tag_key(item.tag_id) for item in article.tagged_items.all())
    depends_on(keys.image_key(int(number)) for number in LIBRARY_FIGURE_OPENING.findall(article.body or ""))
    depends_on(keys.neighbours_key(article.pk))
    # Section names: the label above the headline, "More in", and related articles' labels.
    depends_on(
        keys.section_key(pk)
        for pk in {article.section_id, *(other.section_id for other in reading_next.related)}
    )
    return ArticleParts(
        story=render_to_string("includes/article_story.html", {"article": article}),
        related=render_to_string(
            "includes/related_articles.html", {"related_articles": reading_next.related}
        ),
        pager=render_to_string(
            "includes/section_pager.html",
            {"section": article.section, "previous": reading_next.previous, "next": reading_next.next},
        ),
        related_ids=tuple(other.pk for other in reading_next.related),
        tag_names=tuple(tag.name for tag in article.tag_list),
        authors=tuple(
            (byline.author.name, byline.author.get_absolute_url()) for byline in article.bylines.all()
        ),
    )


def private_response(response):
    """Mark a preview response: never stored by any cache, never indexed."""
    add_never_cache_headers(response)
    response["Cache-Control"] = "private, no-store, no-cache, max-age=0, must-revalidate"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def render_preview(request, article, *, note):
    """The article page as readers would see it, marked as a preview and kept out of every cache."""
    context = page_context(article, article_parts(article))
    response = render(request, "articles/article_detail.html", {**context, "preview_note": note})
    return private_response(response)


@live_region_renderer("more_in_section")
def render_more_in_section(section_id, leave_out):
    """ "More in <section>": the section's newest articles but those in ``leave_out`` (the
    article and its related ones), from the section's fragment of list items."""
    count = settings.MORE_IN_SECTION_COUNT
    # Enough for every article to leave its own out, so that one fragment serves the section.
    size = max(count + settings.RELATED_ARTICLES_COUNT + 1, count + len(leave_out))
    newest = fragment_with_keys(f"more-in:{section_id}:{size}", lambda: section_list_items(section_id, size))
    if newest is None:
        return ""
    items = [item for pk, item in newest["items"] if pk not in leave_out][:count]
    return render_to_string("includes/more_in_section.html", {**newest["section"], "items": items})


def section_list_items(section_id, size):
    """The rendered list items of the section's ``size`` newest articles, with its name and
    address; None when it has none."""
    depends_on(keys.section_key(section_id), keys.section_articles_key(section_id))
    newest = section_newest(section_id, size)
    depends_on(keys.shown_articles(newest))
    if not newest:
        return None
    section = newest[0].section
    return {
        "section": {"section_name": section.name, "section_url": section.get_absolute_url()},
        "items": [
            (other.pk, mark_safe(render_to_string("includes/more_in_section_item.html", {"other": other})))
            for other in newest
        ],
    }
