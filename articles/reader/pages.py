"""Building the article page, for readers and for previews of what readers will see.

Most of the page is the same for every reader: the article itself (headline,
byline, lead image, body, corrections, tags) and what sits under it (related
articles, "More in", previous and next). Those parts are rendered once and kept
as a fragment (``fragment_with_keys``) with the keys of everything they show;
each reader's request adds only the head, the share links and the page around
them. Previews build the parts every time and never touch the fragment: they
show what readers do not see (yet).
"""

from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from ..body.vocabulary import LIBRARY_FIGURE_OPENING
from ..models import page_prefetches
from ..pagecache import depends_on, fragment_with_keys, keys
from ..related import related_block


@dataclass(frozen=True)
class ArticleParts:
    """The parts of an article page shown alike to every reader, rendered."""

    story: str  # the <article> element
    reading_next: str  # related articles, "More in <section>", previous and next
    # What the page's head shows of the relations (its tags; the byline's names and
    # addresses), so that a page built from the fragment needs no query for them.
    tag_names: tuple
    authors: tuple  # (name, path)


def article_page_context(article):
    """What the article template needs, for readers; ``article`` comes from ``with_own_row()``.

    The parts are the article's fragment. Its keys (and so the page's): the article,
    its section, the names it shows (tags, authors), the library images of its body's
    figures, and every article listed under it with its section. So a listed article that is unpublished, retitled or corrected
    refreshes the parts at once; a newly published one joins these lists when they are
    next built (within PAGE_CACHE_SECONDS), and no list can ever show an article that is
    no longer published.
    """
    parts = fragment_with_keys(f"article:{article.pk}", lambda: article_parts(article), keys=[keys.SITE])
    return {"article": article, "parts": parts, "current_section_slug": article.section.slug}


def article_parts(article):
    """Render the parts of ``article``'s page, recording their keys with ``depends_on()``
    (its relations are prefetched here unless they were: ``page_prefetches()``)."""
    prefetch_related_objects([article], *page_prefetches())
    reading_next = related_block(article)
    depends_on(keys.shown_articles([article, *reading_next.shown]))
    depends_on(keys.tag_key(item.tag_id) for item in article.tagged_items.all())
    depends_on(keys.image_key(int(number)) for number in LIBRARY_FIGURE_OPENING.findall(article.body or ""))
    # Section names: the label above the headline, "More in", and related articles' labels.
    depends_on(
        keys.section_key(pk)
        for pk in {article.section_id, *(other.section_id for other in reading_next.related)}
    )
    return ArticleParts(
        story=render_to_string("includes/article_story.html", {"article": article}),
        reading_next=render_to_string(
            "includes/reading_next.html", {"section": article.section, "reading_next": reading_next}
        ),
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
    context = {
        "article": article,
        "parts": article_parts(article),
        "current_section_slug": article.section.slug,
    }
    response = render(request, "articles/article_detail.html", {**context, "preview_note": note})
    return private_response(response)
