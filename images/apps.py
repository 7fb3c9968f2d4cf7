from django.apps import AppConfig


class ImagesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "images"
    verbose_name = "Image library"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import pre_delete
        from PIL import Image as PILImage

        from .models import Image
        from .usage import before_deleting_an_image

        pre_delete.connect(before_deleting_an_image, sender=Image, dispatch_uid="images.before_deleting")

        # Pillow refuses pictures above this many pixels (twice it raises, above it warns;
        # images/files.py refuses both).
        PILImage.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
