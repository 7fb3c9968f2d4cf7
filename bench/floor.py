"""
The floor of the load benchmark: a fixed 30 KB page that costs Django nothing but
its request handling (middleware, URL resolving, the WSGI round trip through gunicorn).

No reader page can be faster than this on the same set-up, so bench.load reports
each page's throughput as a share of it. It is served only by bench.load_settings,
which bench.load gives to the gunicorn it starts; a deployment of Newsroom
(newsroom.settings) has no such URL.
"""

from django.http import HttpResponse

FLOOR_PAGE_SIZE = 30 * 1024


def _floor_body():
    head = b"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Floor</title></head><body>"
    tail = b"</body></html>"
    paragraph = b"<p>" + b"The floor page of the load benchmark. " * 5 + b"</p>\n"
    filler = paragraph * (FLOOR_PAGE_SIZE // len(paragraph) + 1)
    return head + filler[: FLOOR_PAGE_SIZE - len(head) - len(tail)] + tail


FLOOR_BODY = _floor_body()


def floor_page(request):
    return HttpResponse(FLOOR_BODY, content_type="text/html; charset=utf-8")
