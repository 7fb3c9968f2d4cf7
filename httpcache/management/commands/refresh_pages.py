"""``refresh_pages``: every cached reader page goes stale, here and in the shared cache in front."""

from django.core.management.base import BaseCommand

from articles.pagecache import invalidate_everything, keys
from httpcache import purge


class Command(BaseCommand):
    help = (
        "Make every cached reader page stale, for a change the caches cannot see (a deployment "
        "that changed templates without a new RELEASE, an edited setting): each page is built "
        "again at its next request, and the shared cache in front is asked to purge them all."
    )

    def handle(self, *args, **options):
        invalidate_everything()
        purge.wait_for_purges()
        self.stdout.write("Every cached reader page is stale: each is built again at its next request.")
        if isinstance(purge.configured_purger(), purge.NoPurger):
            self.stdout.write("No shared cache is set up (HTTP_CACHE_PURGE_BACKEND), so none was purged.")
        else:
            self.stdout.write(
                f"The shared cache was asked to purge key {keys.SITE!r} (every page); "
                "a failure is logged above."
            )
