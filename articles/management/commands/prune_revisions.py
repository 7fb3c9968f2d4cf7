"""Thin out old article revisions, following the retention policy in README.md."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from reversion.models import Revision

from articles.editorial.revisions import revisions_to_prune

BATCH = 500


class Command(BaseCommand):
    help = (
        "Delete old article revisions: keep everything from the last --days days, every revision "
        "saved while the article was published, the newest revision of each article, and, of the "
        "rest, the last revision of each article per day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="Keep every revision younger than this.")
        parser.add_argument("--dry-run", action="store_true", help="Only say how many would go.")

    def handle(self, *args, days, dry_run, **options):
        if days < 1:
            self.stderr.write(self.style.ERROR("--days must be at least 1."))
            raise SystemExit(2)
        doomed = revisions_to_prune(before=timezone.now() - timedelta(days=days))
        if dry_run:
            self.stdout.write(f"{len(doomed)} revisions would be deleted (dry run).")
            return
        # In batches: SQLite limits the number of parameters in one query.
        for start in range(0, len(doomed), BATCH):
            Revision.objects.filter(pk__in=doomed[start : start + BATCH]).delete()
        self.stdout.write(self.style.SUCCESS(f"Deleted {len(doomed)} old revisions."))
