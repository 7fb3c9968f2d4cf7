"""Renditions: an image in one width, shape and format, made with Pillow and stored.

A rendition is named by its *spec*: ``w640.webp`` (640 px wide, the original's shape)
or ``crop-3x2-w480.jpeg`` (cut to 3:2 around the focal point, then 480 px wide).
Its URL is known from the ``Image`` row alone (``rendition_url``), so a page with
twenty cards asks the database nothing more; the first request for a URL makes the
file (``ensure_rendition``) and every later one gets it from storage.
"""

import io
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageOps, features

from .models import Rendition

# Widths that may be asked for: a fixed list, so that nobody can make the server draw
# every width from 1 to 5000. An image's own width is allowed too (never upscaled).
WIDTHS = (96, 160, 192, 320, 480, 640, 960, 1200, 1280, 1600, 2048)
CROPS = {(3, 2), (16, 9), (1, 1), (4, 3)}
FORMATS = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
SHARE_WIDTH = 1200

SPEC_PATTERN = re.compile(
    r"^(?:crop-(?P<crop_w>\d{1,2})x(?P<crop_h>\d{1,2})-)?w(?P<width>\d{1,4})\.(?P<format>avif|webp|jpeg|png)$"
)
# How long a claim may stand before another worker takes it over (its maker died).
CLAIM_LIFETIME = timedelta(minutes=2)
WAIT_FOR_OTHER_WORKER = 20  # seconds

# Encoder settings. AVIF's quality scale is not WebP's: at 45 it is about as sharp as WebP at 78
# and half its size on the demo's photographs (at 55 it was larger than the WebP).
QUALITY = {"avif": {"quality": 45, "speed": 8}, "webp": {"quality": 78, "method": 4},
           "jpeg": {"quality": 80, "optimize": True, "progressive": True}, "png": {"optimize": True}}  # fmt: skip


class SpecError(ValueError):
    """A spec that does not name a rendition of this image."""


@cache
def avif_supported():
    return features.check("avif")


def modern_formats():
    """The formats offered before the fallback, best first."""
    return ("avif", "webp") if avif_supported() else ("webp",)


def fallback_format(image):
    """JPEG, or PNG for a picture with transparency."""
    return "png" if image.has_alpha else "jpeg"


@dataclass(frozen=True)
class Spec:
    width: int
    format: str
    crop: tuple | None = None

    def __str__(self):
        crop = f"crop-{self.crop[0]}x{self.crop[1]}-" if self.crop else ""
        return f"{crop}w{self.width}.{self.format}"

    @property
    def mime_type(self):
        return FORMATS[self.format]


def crop_box_size(image, crop):
    """(width, height) of the largest ``crop`` shape inside the picture."""
    if crop is None:
        return image.width, image.height
    ratio_w, ratio_h = crop
    if image.width * ratio_h > image.height * ratio_w:  # wider than the shape: full height
        return max(1, round(image.height * ratio_w / ratio_h)), image.height
    return image.width, max(1, round(image.width * ratio_h / ratio_w))


def output_size(image, spec):
    box_w, box_h = crop_box_size(image, spec.crop)
    return spec.width, max(1, round(spec.width * box_h / box_w))


def widths_for(image, crop=None, wanted=WIDTHS):
    """The widths of ``wanted`` that the picture has pixels for, and its own width if narrower
    than the widest wanted (so a small picture is still shown at its best)."""
    box_w, _ = crop_box_size(image, crop)
    widths = [width for width in wanted if width <= box_w]
    if box_w < max(wanted) and box_w not in widths:
        widths.append(box_w)
    return widths or [box_w]


def parse_spec(image, text):
    """The ``Spec`` named by ``text`` for ``image``; ``SpecError`` if it names none."""
    match = SPEC_PATTERN.match(text)
    if not match:
        raise SpecError(f"“{text}” is not a rendition name.")
    crop = (int(match["crop_w"]), int(match["crop_h"])) if match["crop_w"] else None
    if crop is not None and crop not in CROPS:
        raise SpecError(f"No rendition is cut to {crop[0]}:{crop[1]}.")
    spec = Spec(int(match["width"]), match["format"], crop)
    if spec.format == "avif" and not avif_supported():
        raise SpecError("This server's Pillow cannot write AVIF.")
    if spec.width not in widths_for(image, crop, WIDTHS + (SHARE_WIDTH,)):
        raise SpecError(f"No rendition of this image is {spec.width} pixels wide.")
    return spec


def rendition_url(image, spec):
    return reverse(
        "images:rendition", kwargs={"image_id": image.pk, "key": image.rendition_key, "spec": str(spec)}
    )


@dataclass(frozen=True)
class ShareImage:
    url: str
    width: int
    height: int
    mime_type: str
    spec: Spec


def share_rendition(image):
    """The rendition for OpenGraph, Twitter and feeds: 1200 px wide (less if the picture is
    narrower), in the fallback format every client reads."""
    spec = Spec(min(SHARE_WIDTH, image.width), fallback_format(image))
    width, height = output_size(image, spec)
    return ShareImage(rendition_url(image, spec), width, height, spec.mime_type, spec)


# Making them


def render(image, spec):
    """The rendition's bytes, width and height, from the stored original.

    EXIF orientation is applied and no metadata is written (EXIF with its GPS position,
    XMP, comments): a rendition holds pixels and, for colour, the ICC profile only.
    An animated GIF gives its first frame.
    """
    with image.file.storage.open(image.file.name, "rb") as source, PILImage.open(source) as picture:
        width, height = output_size(image, spec)
        if picture.format == "JPEG":
            # Decode at a reduced scale when the output is much smaller: far faster for big photos
            # (at least twice the pixels needed are kept, for a sharp downscale).
            box_w, _ = crop_box_size(image, spec.crop)
            scale = 2 * width / box_w
            picture.draft("RGB", (round(picture.width * scale), round(picture.height * scale)))
        picture.seek(0)
        # The colour profile stays (colours would shift without it), unless it describes CMYK.
        icc_profile = picture.info.get("icc_profile") if picture.mode != "CMYK" else None
        oriented = ImageOps.exif_transpose(picture)
        mode = "RGBA" if image.has_alpha and spec.format != "jpeg" else "RGB"
        frame = oriented.convert(mode)
    if spec.crop:
        box_w, box_h = crop_box_size(image, spec.crop)
        scale_x, scale_y = frame.width / image.width, frame.height / image.height  # after draft()
        box_w, box_h = round(box_w * scale_x), round(box_h * scale_y)
        left = min(max(round(image.focal_x * frame.width - box_w / 2), 0), frame.width - box_w)
        top = min(max(round(image.focal_y * frame.height - box_h / 2), 0), frame.height - box_h)
        frame = frame.crop((left, top, left + box_w, top + box_h))
    output = frame.resize((width, height), PILImage.Resampling.LANCZOS)
    output.info = {}
    buffer = io.BytesIO()
    options = dict(QUALITY[spec.format])
    if icc_profile:
        options["icc_profile"] = icc_profile
    output.save(buffer, format=spec.format.upper(), **options)
    return buffer.getvalue(), width, height


def ensure_rendition(image, spec):
    """The stored ``Rendition`` of ``image`` for ``spec``, made now if it does not exist yet.

    Two workers asked for the same new rendition do not both make it: the first inserts
    the row (unique per image and spec) as a claim and makes the file; the other waits
    for it. A claim older than CLAIM_LIFETIME is taken over (its worker died).
    Raises ``OSError`` when the original file is missing or unreadable.
    """
    spec_name = str(spec)
    existing = Rendition.objects.filter(image=image, spec=spec_name).first()
    if existing is not None and existing.file:
        return existing
    claim = _claim(image, spec_name, existing)
    if claim is None:
        return _wait_for(image, spec_name)
    try:
        data, width, height = render(image, spec)
    except BaseException:
        Rendition.objects.filter(pk=claim.pk, file="").delete()
        raise
    claim.image = image
    storage = claim.file.storage
    if storage.exists(claim.storage_name):
        storage.delete(claim.storage_name)  # left by a worker that died before saving its row
    claim.file.save(spec_name, ContentFile(data), save=False)
    claim.width, claim.height, claim.size = width, height, len(data)
    claim.save(update_fields=["file", "width", "height", "size"])
    return claim


def _claim(image, spec_name, existing):
    if existing is None:
        try:
            with transaction.atomic():
                return Rendition.objects.create(image=image, spec=spec_name)
        except IntegrityError:
            return None
    now = timezone.now()
    taken_over = Rendition.objects.filter(
        pk=existing.pk, file="", claimed_at__lt=now - CLAIM_LIFETIME
    ).update(claimed_at=now)
    return existing if taken_over else None


def _wait_for(image, spec_name):
    deadline = time.monotonic() + WAIT_FOR_OTHER_WORKER
    while time.monotonic() < deadline:
        rendition = Rendition.objects.filter(image=image, spec=spec_name).exclude(file="").first()
        if rendition is not None:
            return rendition
        time.sleep(0.2)
    raise RenditionBusy(spec_name)


class RenditionBusy(Exception):
    """Another worker is still making this rendition."""
