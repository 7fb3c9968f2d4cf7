from django.core.paginator import Paginator

PAGE_SIZE = 12


def paginate(request, queryset, per_page=PAGE_SIZE):
    """The page of ``queryset`` that ``?page=`` asks for.

    Readers and crawlers send anything in ``?page=``: a word gives the first
    page and a number past the end gives the last, never an error.
    """
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))
