from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

PAGE_SIZE = 12
# Counting every article of a section, tag or author reads every one of them: past
# this many, readers see "Page 3 of more than 100" and can page that far (older
# articles remain in search, the sitemaps and the feeds' archives).
MAX_COUNTED = 1200
# A page counts only this many pages past itself: page 1 of a long list reads 121 rows
# (a tenth of the cap), yet always knows its next page and the exact size of a short list.
PAGES_AHEAD = 9


class CappedPaginator(Paginator):
    """A Paginator whose COUNT stops at ``PAGES_AHEAD`` pages past the page asked for, and
    never past ``max_counted`` rows: the cost of a list page depends on how far the reader
    pages, not on the size of the archive."""

    def __init__(self, object_list, per_page, *, max_counted=MAX_COUNTED):
        super().__init__(object_list, per_page)
        self.max_counted = max_counted
        self.wanted = 1
        self._capped = False

    def get_page(self, number):
        try:
            self.wanted = int(number)
        except (TypeError, ValueError, OverflowError):
            self.wanted = 1  # Paginator.get_page() gives the first page too
        return super().get_page(number)

    @property
    def counted_rows(self):
        """How many rows the count reads at most for the page asked for (one more tells "more than")."""
        if self.wanted < 1:  # Paginator.get_page() gives the last page
            return self.max_counted
        return min(self.max_counted, (self.wanted + PAGES_AHEAD) * self.per_page)

    @cached_property
    def count(self):
        if not isinstance(self.object_list, QuerySet):
            return super().count  # search results count themselves, capped their own way
        limit = self.counted_rows
        counted = self.object_list.order_by().values("pk")[: limit + 1].count()
        self._capped = counted > limit
        return min(counted, limit)

    @property
    def is_capped(self):
        """Whether there are more items than counted (and pages past the last one shown)."""
        return self.count and self._capped


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The page of ``queryset`` that ``?page=`` asks for.

    Readers and crawlers send anything in ``?page=``: a word gives the first
    page and a number past the end gives the last, never an error.
    """
    paginator = CappedPaginator(queryset, per_page, max_counted=MAX_COUNTED)
    return paginator.get_page(request.GET.get("page"))
