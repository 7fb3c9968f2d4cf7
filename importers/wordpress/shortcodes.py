"""
Finding WordPress shortcodes (``[gallery ids="1,2"]``, ``[caption]...[/caption]``) in post content.

The patterns follow WordPress's own (``get_shortcode_regex``, ``shortcode_parse_atts``):
``[[name]]`` is an escaped, literal ``[name]``; a shortcode may enclose content up to
``[/name]``. WordPress only expands shortcodes a plugin registered; the export does
not say which were, so an unknown one is recognised by its form (see
``looks_like_shortcode``), and bracketed prose such as "[sic]" or "[Update: ...]" stays.
"""

import html
import re

_ATTRIBUTES = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)


def shortcode_pattern(names):
    """A regex for the shortcodes ``names`` (a name pattern), with WordPress's groups:
    1 an extra "[" (escaped), 2 the name, 3 the attributes, 4 "/" (self-closing),
    5 the enclosed content, 6 an extra "]" (escaped).
    """
    return re.compile(
        r"\[(\[?)(" + names + r")(?![\w-])([^\]/]*+(?:/(?!\])[^\]/]*+)*+)"
        r"(?:(/)\]|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)(\]?)",
        re.S,
    )


def parse_attributes(text):
    """Named attributes (lower-cased names, HTML entities decoded) and positional ones, as
    ({name: value}, [values])."""
    named, positional = {}, []
    text = re.sub(r"[\u00a0\u200b]", " ", html.unescape(text or ""))
    for match in _ATTRIBUTES.finditer(text):
        groups = match.groups()
        if groups[0]:
            named[groups[0].lower()] = groups[1]
        elif groups[2]:
            named[groups[2].lower()] = groups[3]
        elif groups[4]:
            named[groups[4].lower()] = groups[5]
        else:
            value = next((g for g in groups[6:] if g is not None), "")
            positional.append(value)
    return named, positional


ANY_NAME = r"[a-z][a-z0-9_-]*"
ANY_SHORTCODE = shortcode_pattern(ANY_NAME)


def looks_like_shortcode(match):
    """Whether a bracketed ``[name ...]`` is a plugin's shortcode rather than prose.

    It is one when it encloses content up to ``[/name]``, closes itself (``[name /]``),
    carries a ``key=value`` attribute, or has a name no one writes in prose
    (``[contact-form]``, ``[rev_slider]``).
    """
    name, attributes, self_closing, content = match.group(2), match.group(3), match.group(4), match.group(5)
    if content is not None or self_closing:
        return True
    named, positional = parse_attributes(attributes)
    if named:
        return True
    return ("_" in name or "-" in name) and not positional
