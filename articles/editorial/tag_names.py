"""Tags that are nearly the same: "Election" and "elections", "Café" and "cafe".

Editors type tags freely; a near-duplicate splits a topic's page in two. These
functions find, for names typed, the existing tag each one nearly matches.
"""

import unicodedata

from taggit.models import Tag

from ..body import without_control_characters

SUGGESTIONS = 10


def tag_key(name):
    """What two nearly-equal tag names share: no accents, no case, single spaces, singular last word."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    words = plain.casefold().replace("-", " ").split()
    if not words:
        return ""
    last = words[-1]
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith(("ches", "shes", "sses", "xes", "zes")):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        last = last[:-1]
    return " ".join([*words[:-1], last])


def near_duplicates(names):
    """(typed, existing) pairs: each typed name that is not an existing tag but nearly matches one.

    Reads every tag's name once (a few thousand short strings in a large newsroom).
    """
    # Control characters (NUL above all: PostgreSQL refuses it) never make a tag name.
    typed = [without_control_characters(name).strip() for name in names if name]
    typed = [name for name in typed if name]
    if not typed:
        return []
    by_key = {}
    for existing in Tag.objects.order_by("name").values_list("name", flat=True):
        by_key.setdefault(tag_key(existing), existing)
    exact = set(Tag.objects.filter(name__in=typed).values_list("name", flat=True))
    pairs = []
    for name in typed:
        match = by_key.get(tag_key(name))
        if name not in exact and match is not None and match != name:
            pairs.append((name, match))
    return pairs


def suggestions(term):
    """Existing tags for a term being typed: names that start with it first, then those containing it."""
    term = without_control_characters(term).strip()[:100]
    if not term:
        return []
    starting = list(
        Tag.objects.filter(name__istartswith=term)
        .order_by("name")
        .values_list("name", flat=True)[:SUGGESTIONS]
    )
    containing = (
        Tag.objects.filter(name__icontains=term)
        .exclude(name__in=starting)
        .order_by("name")
        .values_list("name", flat=True)[: SUGGESTIONS - len(starting)]
    )
    return starting + list(containing) if len(starting) < SUGGESTIONS else starting
