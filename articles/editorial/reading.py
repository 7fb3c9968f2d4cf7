"""How long an article is: words and reading time, as the form's bar shows them."""

import math
import re
from html import unescape

WORDS_PER_MINUTE = 230  # an adult reading news on screen
WORD = re.compile(r"\w[\w'’-]*")
# A tag becomes a space: "</p><p>" ends a word (Django's strip_tags would glue the two).
TAG = re.compile(r"<[^>]*>")


def word_count(*texts):
    """Words in the given texts (plain or HTML), as static/js/article-form.js counts them."""
    return sum(len(WORD.findall(unescape(TAG.sub(" ", text or "")))) for text in texts)


def reading_minutes(words):
    return max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else 0
