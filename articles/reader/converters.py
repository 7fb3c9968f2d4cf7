class UnicodeSlugConverter:
    """Like Django's ``slug`` converter, but also accepts non-ASCII letters (ä, ß, ж...)."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
