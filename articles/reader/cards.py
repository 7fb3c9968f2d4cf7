"""The cards of list pages (a section, a tag, an author), each kept as a fragment.

The newest articles are on many lists at once (their section, each of their tags,
each of their authors): a card rendered for one list serves the others, so a list
page built for the first time mostly finds its cards in the cache and then reads
no article rows nor bylines, only the ids of its page.
"""

from django.template.loader import render_to_string

from ..models import Article
from ..pagecache import fragments_with_keys, keys


def list_cards(article_ids, *, in_section=False):
    """The rendered cards of ``article_ids``, in that order (``in_section``: on that section's own
    list, where the label does not repeat the section's name).

    Each card's keys: its article, its byline's authors and its section (the label).
    """
    variant = "in-section" if in_section else "list"
    names = {pk: f"card:{variant}:{pk}" for pk in article_ids}

    def build(missing):
        missing = set(missing)
        wanted = [pk for pk, name in names.items() if name in missing]
        built = {}
        for article in Article.objects.filter(pk__in=wanted).order_by().with_card_relations():
            html = render_to_string(
                "includes/article_card.html",
                {"article": article, "size": "", "level": 2, "in_section": in_section},
            )
            built[names[article.pk]] = (
                html,
                {*keys.shown_articles([article]), keys.section_key(article.section_id)},
            )
        return built

    cards = fragments_with_keys(list(names.values()), build)
    return [cards[name] for name in names.values() if name in cards]
