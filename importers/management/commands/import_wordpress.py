"""python manage.py import_wordpress EXPORT.xml [--media-dir DIR] [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from importers.wordpress.importer import NotAnExport, WordPressImport


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools > Export > All content) into Newsroom: posts and pages become "
        "articles, categories sections, tags tags, authors bylines; old URLs redirect. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WXR file WordPress exported.")
        parser.add_argument(
            "--media-dir",
            help="A copy of the site's wp-content/uploads folder: the files posts use are imported from it. "
            "Without it, images keep their old URLs (nothing is ever downloaded).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; write nothing.")
        parser.add_argument(
            "--navigation-sections",
            type=int,
            default=8,
            metavar="N",
            help="Show the N new sections with the most posts in the navigation (default 8).",
        )
        parser.add_argument(
            "--time-zone",
            help="The WordPress site's time zone, for dates the export has only in local time "
            "(default: TIME_ZONE).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, export, media_dir=None, dry_run=False, navigation_sections=8, time_zone=None,
               no_progress=False, **options):  # fmt: skip
        if not Path(export).is_file():
            raise CommandError(f"No such file: {export}")
        if media_dir and not Path(media_dir).is_dir():
            raise CommandError(f"No such folder: {media_dir}")
        if navigation_sections < 0:
            raise CommandError("--navigation-sections must be 0 or more.")

        def progress(total, unit, description):
            return tqdm(
                total=total, unit=unit, unit_scale=unit == "B", desc=description, disable=no_progress or None,
                leave=False, file=self.stderr._out,
            )  # fmt: skip

        try:
            importer = WordPressImport(
                export,
                media_dir=media_dir,
                dry_run=dry_run,
                navigation_sections=navigation_sections,
                time_zone=time_zone,
                progress=progress,
            )
        except Exception as error:  # an unknown time zone, for one
            raise CommandError(str(error)) from error
        try:
            report = importer.run()
        except NotAnExport as error:
            raise CommandError(
                f"{export} is not a WordPress export: {error}. Nothing was imported."
            ) from error
        for line in report.lines():
            self.stdout.write(line)
        summary = "Dry run: nothing was written." if dry_run else "Import finished."
        self.stdout.write(self.style.SUCCESS(f"{summary} {report.total_items} items read."))
