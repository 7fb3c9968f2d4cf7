"""The image chooser: the library in a dialog, for the lead-image field and the body editor.

The admin page opens the chooser (``ImageAdmin.chooser_view``) in an ``<iframe>`` inside a
``<dialog>`` (static/js/image-chooser.js). Choosing an image posts its ``chooser_entry()``
to the page that opened it, which fills its field or inserts a figure into the body.
"""

from .pictures import thumbnail_html
from .renditions import Spec, fallback_format, output_size, rendition_url, widths_for

PER_PAGE = 24
# The picture a body figure shows in the editor and in feeds (reader pages serve the
# responsive <picture> instead, articles/body/render.py).
FIGURE_WIDTH = 960


def figure_source(image):
    """``(url, width, height)`` of the plain rendition a body figure's ``<img>`` stores."""
    spec = Spec(widths_for(image, None, (FIGURE_WIDTH,))[0], fallback_format(image))
    width, height = output_size(image, spec)
    return rendition_url(image, spec), width, height


def chooser_entry(image):
    """What the opening page needs to show or insert ``image`` (sent as JSON)."""
    src, width, height = figure_source(image)
    return {
        "id": image.pk,
        "alt": image.alt,
        "caption": image.caption,
        "credit": image.credit,
        "thumbnail": str(thumbnail_html(image, width=160)),
        "src": src,
        "width": width,
        "height": height,
    }
