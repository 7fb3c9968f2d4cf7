"""The names of what a reader page shows, for its dependency keys.

A cached page records the keys of everything it shows; a change readers can see
invalidates the keys it touches (invalidation.py), and with them exactly the
pages that showed it. The names are plain strings, the same in the page cache
and, later, in a CDN's Surrogate-Key / Cache-Tag header.

- ``article:<id>``: an article's own content (its page, and every card, related
  link, "More in" entry or neighbour link showing it);
- ``section:<id>``, ``tag:<id>``, ``author:<id>``: the thing itself (name, slug,
  description, bio), wherever it is shown;
- ``article:<id>:neighbours``: the previous and next links under an article, changed when
  an article is published or re-timed next to it;
- ``image:<id>``: a library image where pages show it by its number (figures in a body;
  a lead image or photo is its article's or author's key);
- ``section:<id>:articles``, ``tag:<id>:articles``, ``author:<id>:articles``: which
  articles a list holds (its page and its feeds), changed when one joins or leaves;
- ``home``, ``feeds`` (the site feeds), ``sitemaps``, ``corrections``, ``tags``
  (the tag index): those pages' lists;
- ``search``: which articles search results may hold, changed when an article joins or
  leaves the published ones or a tag is put on or taken off one (an edit to the text of
  an article a result page does not show reaches it within PAGE_CACHE_SECONDS);
- ``navigation``: the sections in the menu, shown on every page; ``site``:
  everything at once (merges and other bulk changes).
"""

SITE = "site"
NAVIGATION = "navigation"
HOME = "home"
FEEDS = "feeds"
SITEMAPS = "sitemaps"
CORRECTIONS = "corrections"
TAG_INDEX = "tags"
SEARCH = "search"

# Every page shows the navigation, and every page goes when everything does.
EVERY_PAGE = (SITE, NAVIGATION)


def article_key(pk):
    return f"article:{pk}"


def neighbours_key(pk):
    return f"article:{pk}:neighbours"


def section_key(pk):
    return f"section:{pk}"


def tag_key(pk):
    return f"tag:{pk}"


def author_key(pk):
    return f"author:{pk}"


def image_key(pk):
    return f"image:{pk}"


def section_articles_key(pk):
    return f"section:{pk}:articles"


def tag_articles_key(pk):
    return f"tag:{pk}:articles"


def author_articles_key(pk):
    return f"author:{pk}:articles"


def shown_articles(articles):
    """The keys of a list of articles as cards show them: each article and its byline's authors.

    Bylines are read only where they were prefetched (with_card_relations()): no query.
    """
    keys = set()
    for article in articles:
        if article is None:
            continue
        keys.add(article_key(article.pk))
        if "bylines" in getattr(article, "_prefetched_objects_cache", {}):
            keys.update(author_key(byline.author_id) for byline in article.bylines.all())
    return keys
