"""Admin widgets of the image library: the chooser field, and the focal-point preview."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html

from .models import Image
from .pictures import thumbnail_html
from .renditions import Spec, fallback_format, output_size, rendition_url, widths_for

PREVIEW_WIDTH = 640


class ImageChooserWidget(forms.NumberInput):
    """A library image for a foreign key: its thumbnail, “Choose…” (the chooser dialog) and
    “Remove”. The image's number stays an ordinary input, so the field works without
    JavaScript and from the keyboard (the library list shows each image's number)."""

    template_name = "images/widgets/image_chooser.html"

    class Media:
        js = ["js/image-chooser.js"]
        css = {"all": ["css/admin-images.css"]}

    def __init__(self, attrs=None, purpose="lead"):
        super().__init__({"class": "image-chooser__id", "min": "1", **(attrs or {})})
        self.purpose = purpose

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        image = chosen_image(value)
        context["image"] = image
        context["thumbnail"] = thumbnail_html(image, width=160) if image else ""
        context["chooser_url"] = f"{reverse('admin:images_image_chooser')}?for={self.purpose}"
        context["library_url"] = reverse("admin:images_image_changelist")
        return context


def chosen_image(value):
    """The Image a submitted or saved value names, or None (forged values are no ids)."""
    text = str(value or "").strip()
    if not text.isdigit() or len(text) > 18:
        return None
    return Image.objects.filter(pk=int(text)).first()


def focal_point_preview(image):
    """The picture, uncropped, on which a click sets the focal point (static/js/image-focal-point.js)."""
    if image is None or not image.pk or not image.can_render:
        return "—"
    spec = Spec(widths_for(image, None, (PREVIEW_WIDTH,))[0], fallback_format(image))
    width, height = output_size(image, spec)
    return format_html(
        '<div class="focal-point" data-focal-point>'
        '<img class="focal-point__image" src="{}" width="{}" height="{}" alt="{}">'
        '<span class="focal-point__marker" aria-hidden="true" hidden></span></div>'
        '<p class="help focal-point__help" hidden>Click the picture on what must stay in view when '
        "it is cropped (a face, the subject); the focal point fields below change with it.</p>",
        rendition_url(image, spec),
        width,
        height,
        image.alt,
    )


class ImageChooserAdminMixin:
    """For a ModelAdmin: the foreign keys to Image named in ``image_chooser_fields``
    (field name -> purpose: "lead", "photo", "body") use the chooser widget."""

    image_chooser_fields = {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.image_chooser_fields:
            kwargs["widget"] = ImageChooserWidget(purpose=self.image_chooser_fields[db_field.name])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
