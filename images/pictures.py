"""<picture> markup for library images: a srcset per format, sized boxes, lazy loading off-screen.

Built from the ``Image`` row alone (width, height, hash, focal point): rendering asks the
database nothing and never touches the files.
"""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .renditions import Spec, fallback_format, modern_formats, output_size, rendition_url, widths_for

# What picture_html() reads of an Image: a query for pictures alone loads no more of the row.
PICTURE_FIELDS = ("id", "width", "height", "has_alpha", "content_hash", "focal_x", "focal_y", "alt")


@dataclass(frozen=True)
class Role:
    """How a kind of place on a page shows an image."""

    crop: tuple | None
    widths: tuple
    sizes: str
    src_width: int  # the <img src>'s width, for browsers without srcset


ROLES = {
    # The article's lead image: the column's width (42rem) or the screen's.
    "lead": Role(None, (320, 480, 640, 960, 1280, 1600, 2048), "(min-width: 44rem) 42rem, 100vw", 960),
    # The home page's cover story: 16:9, three fifths of the wide column from 48rem up.
    "cover": Role(
        (16, 9),
        (320, 480, 640, 960, 1280, 1600),
        "(min-width: 72rem) 42rem, (min-width: 48rem) 58vw, 100vw",
        960,
    ),
    # A figure in an article's body, from the library: the column's width, or wider
    # ("wide", 54rem from 64rem up: static/css/site.css).
    "figure": Role(None, (320, 480, 640, 960, 1280, 1600), "(min-width: 44rem) 42rem, 100vw", 960),
    "figure-wide": Role(
        None,
        (320, 480, 640, 960, 1280, 1600, 2048),
        "(min-width: 64rem) 54rem, (min-width: 44rem) 42rem, 100vw",
        960,
    ),
    # A card's thumbnail beside its headline.
    "card": Role((3, 2), (160, 320, 480), "(min-width: 48rem) 9rem, 7rem", 320),
    # An author's portrait, a 96 px circle.
    "author": Role((1, 1), (96, 192), "96px", 192),
}


def role_specs(image, role_name):
    """Every rendition a <picture> of ``role_name`` may ask for (see ``picture_html``)."""
    role = ROLES[role_name]
    return [
        Spec(width, image_format, role.crop)
        for image_format in (*modern_formats(), fallback_format(image))
        for width in widths_for(image, role.crop, role.widths)
    ]


def srcset(image, role, image_format):
    return ", ".join(
        f"{rendition_url(image, Spec(width, image_format, role.crop))} {width}w"
        for width in widths_for(image, role.crop, role.widths)
    )


def picture_html(image, role_name, *, sizes=None, main=False, css_class="", alt=None):
    """The <picture> for ``image`` in the role ``role_name`` (see ROLES); "" without a usable image.

    ``main``: the page's most important image (its largest paint), fetched first and never
    lazily. ``alt`` overrides the library's alt text (e.g. "" for a portrait beside its name).
    """
    if image is None or not image.can_render:
        return ""
    role = ROLES[role_name]
    sizes = sizes or role.sizes
    widths = widths_for(image, role.crop, role.widths)
    src_width = max((width for width in widths if width <= role.src_width), default=min(widths))
    fallback = Spec(src_width, fallback_format(image), role.crop)
    width, height = output_size(image, fallback)
    sources = format_html_join(
        "",
        '<source type="image/{}" srcset="{}" sizes="{}">',
        ((image_format, srcset(image, role, image_format), sizes) for image_format in modern_formats()),
    )
    # The main image is the page's largest paint: fetched first, and decoded with the page
    # (decoding="async" would let the browser paint the page without it first).
    loading = mark_safe(' fetchpriority="high"' if main else ' loading="lazy" decoding="async"')
    return format_html(
        '<picture>{}<img{} src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}></picture>',
        sources,
        format_html(' class="{}"', css_class) if css_class else "",
        rendition_url(image, fallback),
        srcset(image, role, fallback.format),
        sizes,
        width,
        height,
        image.alt if alt is None else alt,
        loading,
    )


def thumbnail_html(image, width=160):
    """A small 3:2 thumbnail for admin lists and forms."""
    if image is None or not image.can_render:
        return ""
    spec = Spec(widths_for(image, (3, 2), (width,))[0], fallback_format(image), (3, 2))
    shown_w, shown_h = output_size(image, spec)
    return format_html(
        '<img class="image-thumbnail" src="{}" width="{}" height="{}" alt="{}" loading="lazy">',
        rendition_url(image, spec),
        shown_w,
        shown_h,
        image.alt,
    )
