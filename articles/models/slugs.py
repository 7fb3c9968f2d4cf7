"""Slugs: the part of an address that names a section, article or tag."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify

# Top-level URL segments that a section slug may not take: sections live at
# /<section-slug>/, beside these routes.
RESERVED_SECTION_SLUGS = frozenset(
    {
        "admin", "author", "authors", "corrections", "feeds", "media", "preview",
        "robots.txt", "search", "sitemap.xml", "static", "tag", "tags",
    }
)  # fmt: skip


def validate_section_slug(value):
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            "“%(slug)s” is used by another part of the site; choose another slug.",
            params={"slug": value},
        )


def unique_slug(model, text, *, instance_pk=None, max_length=200, fallback="item"):
    """A unicode slug of ``text`` that no other row of ``model`` uses yet (-2, -3... added)."""
    base = slugify(text, allow_unicode=True)[: max_length - 6].strip("-") or fallback
    candidate, n = base, 1
    others = model._default_manager.exclude(pk=instance_pk) if instance_pk else model._default_manager
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
