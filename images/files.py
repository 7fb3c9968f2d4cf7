"""What an uploaded or stored image file is: checked with Pillow before anything keeps it.

Everything reads files through file objects (an upload, or ``storage.open()``), never
through paths, so an object store works as the filesystem does.
"""

import hashlib
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

# Formats kept in the library. SVG is not a raster format Pillow can read, and a script
# inside one runs wherever the file is opened on its own: refused, with a message.
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "AVIF": "AVIF"}

HASH_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ImageFacts:
    """What the library stores about a file: its size as shown (EXIF orientation applied)."""

    width: int
    height: int
    has_alpha: bool
    content_hash: str
    format: str
    animated: bool


def content_hash(fileobj):
    """The SHA-256 of a file object's bytes, read in chunks from its start."""
    digest = hashlib.sha256()
    fileobj.seek(0)
    while chunk := fileobj.read(HASH_CHUNK):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def _looks_like_svg(head):
    text = head.lstrip().lower()
    return text.startswith(b"<?xml") or text.startswith(b"<svg") or b"<svg" in text[:1024]


def inspect_image(fileobj, *, name=""):
    """Check that ``fileobj`` is a whole raster image Newsroom can show; return its facts.

    Raises ``ValidationError`` with a message an editor understands: not an image, an
    SVG, a damaged or cut-off file, or a picture so large in pixels that decoding it
    would exhaust the server (a "decompression bomb", bounded by Pillow's MAX_IMAGE_PIXELS).
    """
    fileobj.seek(0)
    head = fileobj.read(2048)
    fileobj.seek(0)
    if name.lower().endswith((".svg", ".svgz")) or _looks_like_svg(head):
        raise ValidationError(
            "SVG files are not accepted: they can carry scripts. Export the picture as JPEG, PNG or WebP.",
            code="svg",
        )
    try:
        # Between MAX_IMAGE_PIXELS and twice that, Pillow only warns: refused here all the same.
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(fileobj) as picture:
                image_format = picture.format
                if image_format not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        f"{image_format or 'This'} files are not accepted; upload a JPEG, PNG, WebP or GIF.",
                        code="format",
                    )
                animated = getattr(picture, "is_animated", False)
                # Decode the first frame fully: a truncated or corrupt file fails here, not later.
                picture.load()
                oriented = ImageOps.exif_transpose(picture)
                width, height = oriented.size
                has_alpha = picture.mode in ("RGBA", "LA", "PA") or (
                    picture.mode == "P" and "transparency" in picture.info
                )
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise ValidationError(
            "This image has too many pixels to process safely "
            f"(the limit is {PILImage.MAX_IMAGE_PIXELS or 0:,} pixels). Scale it down and upload it again.",
            code="too_many_pixels",
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(
            "This file is not an image Newsroom can read. Upload a JPEG, PNG, WebP or GIF.", code="not_image"
        ) from None
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            "This image is damaged or incomplete (perhaps cut off during the upload). "
            "Open it in an image editor, save it again, and upload that.",
            code="damaged",
        ) from None
    finally:
        fileobj.seek(0)
    return ImageFacts(width, height, has_alpha, content_hash(fileobj), image_format, animated)


def validate_upload_size(fileobj):
    limit = settings.IMAGE_MAX_UPLOAD_BYTES
    if fileobj.size is not None and fileobj.size > limit:
        raise ValidationError(
            f"This file is {filesizeformat(fileobj.size)}; images may be at most {filesizeformat(limit)}. "
            "Export a smaller version (2,400 pixels wide is plenty for any page).",
            code="too_large",
        )


UPLOAD_HELP = (
    "A JPEG, PNG, WebP or GIF (an animated GIF is kept whole, and pages show its first frame). "
    "SVG is not accepted. Orientation from the camera is applied; location and other camera data "
    "never reach readers."
)


def validate_image_file(value):
    """The library's check of a new upload (a model field validator: every form on Image runs it)."""
    if getattr(value, "_committed", True):
        return  # already stored and checked when it was uploaded
    upload = value.file
    validate_upload_size(upload)
    inspect_image(upload, name=value.name or "")
