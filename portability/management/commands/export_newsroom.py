"""python manage.py export_newsroom OUT: the whole newsroom as a folder (docs/export-format.md)."""

import time

from django.core.management.base import BaseCommand, CommandError

from portability.exporter import ExportRefused, export_newsroom
from portability.format import FormatError
from portability.registry import PlanError
from portability.report import summary_lines


class Command(BaseCommand):
    help = (
        "Write the whole newsroom (every model's rows as JSON Lines, the media files and a manifest) "
        "to a new folder, for import_newsroom on another machine or database."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="A folder that does not exist yet (or is empty).")

    def handle(self, *args, out, **options):
        started = time.monotonic()
        self.stdout.write(f"Exporting the newsroom to {out}…")
        try:
            summary = export_newsroom(out, log=self.stdout.write)
        except (ExportRefused, PlanError, FormatError) as error:
            raise CommandError(str(error)) from error
        for missing in summary.missing_media:
            self.stderr.write(
                f"warning: {missing['field']} of row {missing['pk']} names {missing['name']}, "
                "which is not in the media storage; the reference is exported as it is."
            )
        *table, total = summary_lines(
            summary.counts,
            media_files=summary.media_files,
            media_bytes=summary.media_bytes,
            seconds=time.monotonic() - started,
            verb="Exported",
        )
        self.stdout.write("\n".join(table))
        self.stdout.write(self.style.SUCCESS(total))
