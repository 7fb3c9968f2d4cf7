"""python manage.py import_newsroom IN: load an export into an empty, migrated database."""

import time

from django.core.management.base import BaseCommand, CommandError

from portability.format import FormatError
from portability.importer import ImportRefused, import_newsroom
from portability.registry import PlanError
from portability.report import summary_lines


class Command(BaseCommand):
    help = (
        "Load a folder written by export_newsroom into this database and media storage. The database "
        "must be empty and migrated; everything goes in one transaction, or nothing does."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="IN", help="The folder that export_newsroom wrote.")

    def handle(self, *args, folder, **options):
        started = time.monotonic()
        self.stdout.write(f"Importing the newsroom from {folder}…")
        try:
            summary = import_newsroom(folder, log=self.stdout.write)
        except (ImportRefused, PlanError, FormatError) as error:
            raise CommandError(f"{error}\nNothing was imported.") from error
        *table, total = summary_lines(
            summary.counts,
            media_files=summary.media_files,
            media_bytes=summary.media_bytes,
            seconds=time.monotonic() - started,
            verb="Imported",
        )
        if summary.media_already_there:
            table.append(f"  ({summary.media_already_there:,} media files were already in the storage)")
        self.stdout.write("\n".join(table))
        self.stdout.write(self.style.SUCCESS(total))
