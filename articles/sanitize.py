"""
The one place that decides which HTML an article body may contain.

Whatever reaches the database passes through ``sanitize_body()``: the admin's
rich-text editor, the shell, imports and seed data alike. The allow-list is
the editor's own vocabulary (paragraphs, headings, emphasis, links, lists,
quotes) plus figures and tables from pasted copy; everything else is dropped,
including every event handler, ``style`` and any URL scheme but http(s),
mailto and tel.
"""

import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr",
    "h2", "h3", "h4",
    "strong", "b", "em", "i", "u", "s", "sub", "sup", "code", "pre", "mark",
    "a",
    "ul", "ol", "li",
    "blockquote", "cite", "q",
    "figure", "figcaption", "img",
    "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "blockquote": {"cite"},
}

ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    # Outgoing links must not hand our page (window.opener) to the target.
    link_rel="noopener noreferrer",
    # Drop the content of these outright, rather than keeping their text.
    clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript"},
    strip_comments=True,
)


# C0 control characters but tab, newline and carriage return: invalid in XML feeds, and
# \x02 and \x03 mark search matches (articles/search.py).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(text: str) -> str:
    """``text`` with the control characters that no reader can see and feeds must not carry removed."""
    return _CONTROL_CHARACTERS.sub("", text) if text else text


def sanitize_body(html: str) -> str:
    """Return ``html`` reduced to the article-body allow-list."""
    if not html:
        return ""
    cleaned = _cleaner.clean(without_control_characters(html)).strip()
    # ProseMirror stores an empty document as one empty paragraph.
    if cleaned in {"<p></p>", "<p><br></p>"}:
        return ""
    return cleaned
