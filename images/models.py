"""The image library: each picture uploaded once (``Image``), and the sizes made of it (``Rendition``)."""

import contextlib
import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone

from .files import UPLOAD_HELP, inspect_image, validate_image_file

# Characters no reader can see and feeds must not carry (as articles' plain-text fields).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TEXT_FIELDS = ("alt", "caption", "credit")

FOCAL_VALIDATORS = [MinValueValidator(0.0), MaxValueValidator(1.0)]


def original_upload_to(image, filename):
    return f"images/{image.uploaded_at_or_now:%Y/%m}/{filename}"


class ImageQuerySet(models.QuerySet):
    def search(self, text):
        return self.filter(
            models.Q(alt__icontains=text)
            | models.Q(caption__icontains=text)
            | models.Q(credit__icontains=text)
        )


class Image(models.Model):
    """A picture in the library, with what readers are told about it.

    ``width`` and ``height`` are the picture as shown (its EXIF orientation applied);
    ``content_hash`` is the SHA-256 of the file, so rendition names change with the file.
    """

    file = models.FileField(
        upload_to=original_upload_to, max_length=255, validators=[validate_image_file], help_text=UPLOAD_HELP
    )
    alt = models.CharField(
        "alt text",
        max_length=250,
        help_text="Describe the picture for readers who cannot see it, e.g. “Flood water on Harbour "
        "Street, reaching the shop windows”.",
    )
    caption = models.CharField(max_length=300, blank=True, help_text="Shown under the picture.")
    credit = models.CharField(max_length=120, blank=True, help_text="E.g. “Photo: Jane Doe / Agency”.")
    focal_x = models.FloatField(
        "focal point, across",
        default=0.5,
        validators=FOCAL_VALIDATORS,
        help_text="What must stay in view when the picture is cropped to a card's shape: 0 is the left "
        "edge, 0.5 the centre, 1 the right edge.",
    )
    focal_y = models.FloatField(
        "focal point, down",
        default=0.5,
        validators=FOCAL_VALIDATORS,
        help_text="0 is the top, 0.5 the middle, 1 the bottom.",
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    has_alpha = models.BooleanField(default=False, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
            ),
        ]

    def __str__(self):
        return self.alt or self.file.name

    def save(self, *args, **kwargs):
        for name in TEXT_FIELDS:
            setattr(self, name, _CONTROL_CHARACTERS.sub("", getattr(self, name) or ""))
        if self.file and not getattr(self.file, "_committed", True):
            self.read_file_facts()
        elif self.file and not self.content_hash:
            # A stored file named by code (a migration, an import): measured if it can be;
            # one that is missing or unusable stays unmeasured, shown nowhere, never lost.
            with contextlib.suppress(OSError, ValidationError):
                self.read_file_facts()
        old_key = None
        if self.pk:
            old = Image.objects.filter(pk=self.pk).values("content_hash", "focal_x", "focal_y").first()
            if old:
                old_key = Image(**old).rendition_key
        super().save(*args, **kwargs)
        if old_key is not None and old_key != self.rendition_key:
            # Old renditions are dropped with their files; pages point to the new names.
            stale = list(self.renditions.all())
            self.renditions.all().delete()
            transaction.on_commit(lambda: [r.file.delete(save=False) for r in stale if r.file])

    @property
    def uploaded_at_or_now(self):
        return self.uploaded_at or timezone.now()

    @property
    def rendition_key(self):
        """Part of every rendition's name: changes when the file or the focal point does."""
        source = f"{self.content_hash}:{self.focal_x:.4f}:{self.focal_y:.4f}"
        return hashlib.sha256(source.encode()).hexdigest()[:16]

    @property
    def can_render(self):
        return bool(self.width and self.height and self.content_hash)

    def read_file_facts(self):
        """Measure the file (new upload or already stored): size, transparency, hash."""
        if not self.file._committed:
            # A new upload: read it where it is, and leave it open for the storage to save.
            facts = inspect_image(self.file.file, name=self.file.name)
        else:
            with self.file.storage.open(self.file.name, "rb") as fileobj:
                facts = inspect_image(fileobj, name=self.file.name)
        self.width, self.height, self.has_alpha = facts.width, facts.height, facts.has_alpha
        self.content_hash = facts.content_hash
        return facts


def rendition_upload_to(rendition, filename):
    return rendition.storage_name


class Rendition(models.Model):
    """One size and format of an image, made once and stored (images/renditions.py makes them).

    A row with an empty ``file`` is a claim: a worker is making it (``claimed_at``).
    """

    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=40, help_text="E.g. “w640.webp” or “crop-3x2-w480.jpeg”.")
    file = models.FileField(upload_to=rendition_upload_to, max_length=255, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField("bytes", default=0)
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["image", "spec"], name="rendition_unique_spec")]

    def __str__(self):
        return f"{self.image_id}/{self.spec}"

    @property
    def storage_name(self):
        return f"renditions/{self.image_id}/{self.image.rendition_key}/{self.spec}"
