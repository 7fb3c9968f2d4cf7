"""The body field's editor configuration, from the vocabulary and the embed providers."""

from django.urls import reverse_lazy

from . import embeds
from .vocabulary import CUSTOM_EDITOR_EXTENSIONS, EDITOR_EXTENSIONS

BODY_EDITOR_EXTENSIONS = EDITOR_EXTENSIONS | {
    "Embed": {"providers": embeds.editor_patterns()},
    # The toolbar's "image from the library" opens the image chooser (images/admin.py).
    "BodyFigure": {"chooserUrl": reverse_lazy("admin:images_image_chooser")},
}


def _no_allowlist(extension_config, shared_config):
    """django-prose-editor's own allow-list is not used: the body field sanitizes with sanitize_body()."""


def prose_editor_extensions(script_url):
    """The value of settings.DJANGO_PROSE_EDITOR_EXTENSIONS: our extensions, in ``script_url``."""
    return [{"js": [script_url], "extensions": dict.fromkeys(CUSTOM_EDITOR_EXTENSIONS, _no_allowlist)}]
