"""The address of the client a request came from, behind as many proxies as the settings say."""

from django.conf import settings


def client_ip_address(request):
    """The client's address: REMOTE_ADDR, or the entry our own proxies added to X-Forwarded-For.

    Each trusted proxy appends the address it received the request from, so with N proxies
    the client is the N-th entry from the right. Entries further left were sent by the
    client itself and prove nothing, so they are never used (login throttling would
    otherwise be dodged by inventing a new address on every attempt).
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
