"""Make ahead of readers the renditions pages ask for: after an import, or to warm a new site.

Pages work without it (a rendition is made at its first request); this only spares the
first readers of each picture the wait.
"""

from django.core.management.base import BaseCommand

from images.models import Image
from images.pictures import ROLES, role_specs
from images.renditions import RenditionBusy, ensure_rendition, share_rendition


class Command(BaseCommand):
    help = "Make every rendition that pages and shares use, for every image of the library (or some)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--roles",
            default=",".join(ROLES),
            help=f"Comma-separated page roles, of: {', '.join(ROLES)} (default: all).",
        )
        parser.add_argument("--ids", default="", help="Comma-separated image ids (default: every image).")

    def handle(self, *args, roles, ids, **options):
        wanted = [role.strip() for role in roles.split(",") if role.strip()]
        unknown = sorted(set(wanted) - set(ROLES))
        if unknown:
            self.stderr.write(f"Unknown roles: {', '.join(unknown)}. Known: {', '.join(ROLES)}.")
            return
        images = Image.objects.filter(width__gt=0).order_by("pk")
        if ids:
            images = images.filter(pk__in=[int(i) for i in ids.split(",") if i.strip().isdigit()])
        made = failed = 0
        for image in images.iterator(chunk_size=200):
            specs = {share_rendition(image).spec}
            for role in wanted:
                specs.update(role_specs(image, role))
            for spec in sorted(specs, key=str):
                try:
                    ensure_rendition(image, spec)
                    made += 1
                except (OSError, RenditionBusy) as error:
                    failed += 1
                    self.stderr.write(f"Image {image.pk} ({image.file.name}), {spec}: {error}")
        self.stdout.write(f"{made} renditions ready, {failed} not made.")
