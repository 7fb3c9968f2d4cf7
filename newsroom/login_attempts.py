"""The account a login attempt named, as login throttling (django-axes) records it."""

# django-axes keeps it in a 255-character column: longer names (no account has one;
# Django's usernames stop at 150) would make PostgreSQL refuse the row, and the login a 500.
RECORDED_LENGTH = 255


def attempted_username(request, credentials=None):
    """The username typed into the login form, cut to what axes can record."""
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get("username")
    return username[:RECORDED_LENGTH] if isinstance(username, str) else username
