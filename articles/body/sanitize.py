"""
``sanitize_body()``: any HTML in, a body in the vocabulary (``vocabulary.py``) out.

Two passes. nh3 first, with the allow-list derived from the vocabulary plus the legacy
markup that maps onto it: it removes everything unsafe and hands back well-formed HTML.
Then that HTML is rebuilt in the canonical form the editor's schema reads and writes
(legacy elements renamed, text at block level in paragraphs, marks nested in the editor's
order, whitespace collapsed as the editor collapses it), so that saving a body in the
editor unchanged stores exactly what was there.
"""

import html
import re
from html.parser import HTMLParser

import nh3

from . import embeds
from .vocabulary import BLOCKS, CLASSES, ELEMENTS, MARKS, RENAMED, URL_SCHEMES, WRAPPERS

_HEADINGS = {"h2", "h3", "h4"}
_VOID = {"br", "hr", "img"}
_LINK_REL = "noopener noreferrer"
# C0 control characters but tab, newline and carriage return: invalid in XML feeds, and
# \x02 and \x03 mark search matches (articles/search/).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Whitespace as HTML (and the editor) collapses it; not the no-break space.
_WHITESPACE = re.compile(r"[ \t\r\n\f]+")


def _keep_attribute(element, attribute, value):
    """nh3's attribute filter: drops empty and meaningless values."""
    value = value.strip()
    if not value:
        return None
    if attribute in {"colspan", "rowspan", "width", "height", "start"}:
        return value if value.isdigit() and 0 < int(value) < 100_000 else None
    # nh3 checks the schemes of href and src only.
    if attribute == "cite":
        return value if _allowed_url(value) else None
    if attribute == "srcset":
        candidates = [candidate.strip().split()[0] for candidate in value.split(",") if candidate.strip()]
        return value if candidates and all(_allowed_url(url) for url in candidates) else None
    return value


def _allowed_url(url):
    """Whether ``url`` is relative or has one of the body's URL schemes (no javascript:, data:...)."""
    scheme, colon, _ = _CONTROL_CHARACTERS.sub("", url).strip().partition(":")
    if not colon or any(mark in scheme for mark in "/?#"):
        return True  # relative: a path, or a colon after the path began
    return scheme.lower() in URL_SCHEMES


_cleaner = nh3.Cleaner(
    tags=set(ELEMENTS) | set(RENAMED) | WRAPPERS,
    attributes=ELEMENTS,
    allowed_classes=CLASSES,
    url_schemes=URL_SCHEMES,
    link_rel=None,
    attribute_filter=_keep_attribute,
    # Drop the content of these outright, rather than keeping their text.
    clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript"},
    strip_comments=True,
)


def without_control_characters(text: str) -> str:
    """``text`` with the control characters that no reader can see and feeds must not carry removed."""
    return _CONTROL_CHARACTERS.sub("", text) if text else text


def sanitize_body(body: str) -> str:
    """Return ``body`` reduced to the article-body vocabulary, in its canonical form."""
    if not body:
        return ""
    tree = _parse(_cleaner.clean(without_control_characters(body)))
    blocks = _Blocks().of(tree.children)
    # The editor stores an empty document as one empty paragraph.
    if all(block.tag == "p" and not block.children for block in blocks):
        return ""
    return "".join(_serialize(block) for block in blocks)


# A small tree of the well-formed HTML that nh3 writes.


class _Element:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag, attrs=None, children=None):
        self.tag = tag
        self.attrs = attrs or {}
        self.children = children if children is not None else []

    def classes(self):
        return set(self.attrs.get("class", "").split())

    def text(self):
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)


# Deeper than this, elements are dropped and their content kept in the deepest one kept:
# the rebuild recurses per level, and no real body nests this deep.
MAX_DEPTH = 48


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Element("root")
        self.stack = [self.root]
        self.dropped = 0

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID and len(self.stack) > MAX_DEPTH:
            self.dropped += 1
            return
        element = _Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if self.dropped:
            # nh3 writes well-formed HTML: this closes the innermost element, one of those dropped.
            self.dropped -= 1
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _parse(markup):
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def _tag(element):
    return RENAMED.get(element.tag, element.tag)


# Blocks


class _Blocks:
    """Rebuilds block content: what a document, list item, quote or table cell holds."""

    def of(self, nodes):
        self.out = []
        self.run = []
        self._walk(nodes)
        self._flush()
        return self.out

    def _walk(self, nodes):
        for node in nodes:
            tag = None if isinstance(node, str) else _tag(node)
            if tag is None or (tag not in BLOCKS and tag not in WRAPPERS and tag not in _STRAY):
                self.run.append(node)
                continue
            self._flush()
            if tag in WRAPPERS or tag in _STRAY:
                self._walk(node.children)
                self._flush()
            else:
                self.out.extend(_BLOCK_BUILDERS[tag](node, tag))

    def _flush(self):
        run, self.run = self.run, []
        if any(not isinstance(node, str) or node.strip() for node in run):
            self.out.extend(_paragraph(_Element("p", children=run), "p"))


# Parts of a structure found outside it: their content is kept as blocks.
_STRAY = {"caption", "figcaption", "thead", "tbody", "tr", "td", "th"}


def _blocks(nodes):
    return _Blocks().of(nodes) or [_Element("p")]


def _paragraph(element, tag):
    inline, figures = _inline(element.children)
    url = _lone_embed_url(inline)
    if tag == "p" and url:
        return [_embed(url)] + figures
    if tag != "p" and not inline and figures:
        return figures
    return [_Element(tag, children=inline)] + figures


def _lone_embed_url(inline):
    """The URL of a paragraph that holds nothing but a provider's URL (as text or link)."""
    text = "".join(leaf for leaf, _marks in inline if isinstance(leaf, str)).strip()
    links = {dict(attrs).get("href") for _leaf, marks in inline for name, attrs in marks if name == "a"}
    if len(inline) == 0 or any(not isinstance(leaf, str) for leaf, _ in inline) or len(links) > 1:
        return None
    if links and links != {text}:
        return None
    return text if embeds.provider_for(text) else None


def _list(element, tag):
    items = []
    for child in element.children:
        if isinstance(child, str) and not child.strip():
            continue
        if not isinstance(child, str) and _tag(child) == "li":
            items.append(_Element("li", children=_blocks(child.children)))
        elif items:
            items[-1].children.extend(_Blocks().of([child]))
        else:
            items.append(_Element("li", children=_blocks([child])))
    if not items:
        return []
    attrs = {}
    if tag == "ol":
        if element.attrs.get("start", "1") != "1":
            attrs["start"] = element.attrs["start"]
        if element.attrs.get("type") in {"a", "A", "i", "I"}:
            attrs["type"] = element.attrs["type"]
    return [_Element(tag, attrs, items)]


def _blockquote(element, tag):
    attrs = {"cite": element.attrs["cite"]} if element.attrs.get("cite") else {}
    return [_Element("blockquote", attrs, _blocks(element.children))]


def _code_block(element, tag):
    def text(node):
        if isinstance(node, str):
            return node
        if node.tag == "br":
            return "\n"
        return "".join(text(child) for child in node.children)

    return [_Element("pre", children=[_Element("code", children=[text(element)])])]


def _rule(element, tag):
    return [_Element("hr")]


def _heading(element, tag):
    return _paragraph(element, tag)


def _table(element, tag):
    caption = ""
    rows = []

    def collect(node):
        nonlocal caption
        for child in node.children:
            if isinstance(child, str):
                continue
            if child.tag == "caption":
                caption = caption or _plain_text(child)
            elif child.tag in {"thead", "tbody", "tfoot"}:
                collect(child)
            elif child.tag == "tr":
                cells = [
                    cell for cell in child.children if not isinstance(cell, str) and cell.tag in {"td", "th"}
                ]
                if cells:
                    rows.append(cells)

    collect(element)
    if not rows:
        return []
    header = all(cell.tag == "th" for cell in rows[0]) and len(rows) > 1

    def row(cells, in_head):
        built = []
        for cell in cells:
            attrs = {
                name: cell.attrs[name] for name in ("colspan", "rowspan") if cell.attrs.get(name, "1") != "1"
            }
            if cell.tag == "th":
                attrs["scope"] = "col" if in_head else "row"
            built.append(_Element(cell.tag, attrs, _blocks(cell.children)))
        return _Element("tr", children=built)

    children = [_Element("caption", children=[caption])] if caption else []
    if header:
        children.append(_Element("thead", children=[row(rows[0], True)]))
        rows = rows[1:]
    children.append(_Element("tbody", children=[row(cells, False) for cells in rows]))
    return [_Element("table", children=children)]


def _figure(element, tag):
    classes = element.classes()
    links = _descendants(element, "a")
    if "embed" in classes and links:
        url = links[0].attrs.get("href", "")
        return [_embed(url)] if embeds.provider_for(url) else _blocks([links[0]])
    captions = _descendants(element, "figcaption")
    if "pullquote" in classes:
        quotes = _descendants(element, "blockquote")
        content = [child for child in (quotes[0] if quotes else element).children
                   if isinstance(child, str) or child.tag != "figcaption"]  # fmt: skip
        paragraphs = [block for block in _blocks(content) if block.tag == "p"] or [_Element("p")]
        figure = _Element("figure", {"class": "pullquote"}, [_Element("blockquote", children=paragraphs)])
        if captions and (attribution := _plain_text(captions[0])):
            figure.children.append(_Element("figcaption", children=[attribution]))
        return [figure]
    images = _descendants(element, "img")
    if not images:
        return _Blocks().of(element.children)
    figures = [_image_figure(image, "wide" in classes) for image in images]
    library_id = element.attrs.get("data-image", "").strip()
    if len(images) == 1 and library_id.isdigit() and len(library_id) <= 18 and int(library_id):
        figures[0].attrs["data-image"] = str(int(library_id))
    if captions:
        credits = [span for span in _descendants(captions[0], "span") if "credit" in span.classes()]
        credit = _plain_text(credits[0]) if credits else ""
        for span in credits:
            span.children = []
        _caption(figures[-1], _plain_text(captions[0]), credit)
    return figures


def _image_figure(image, wide=False):
    # alt is always written, in its place (as the editor writes it), empty for a decorative picture.
    attrs = {name: image.attrs.get(name, "") for name in ("src", "alt", "width", "height", "srcset", "sizes")
             if image.attrs.get(name) or name == "alt"}  # fmt: skip
    return _Element("figure", {"class": "wide"} if wide else {}, [_Element("img", attrs)])


def _caption(figure, caption, credit):
    if not (caption or credit):
        return
    children = [caption + (" " if caption and credit else "")] if caption else []
    if credit:
        children.append(_Element("span", {"class": "credit"}, [credit]))
    figure.children.append(_Element("figcaption", children=children))


def _embed(url):
    url = url.strip()
    provider = embeds.provider_for(url)
    return _Element(
        "figure",
        {"class": "embed", "data-provider": provider.name},
        [_Element("a", {"href": url, "rel": _LINK_REL}, [url])],
    )


def _descendants(element, tag):
    found = []
    for child in element.children:
        if not isinstance(child, str):
            if _tag(child) == tag:
                found.append(child)
            found.extend(_descendants(child, tag))
    return found


def _plain_text(element):
    return _WHITESPACE.sub(" ", element.text()).strip()


_BLOCK_BUILDERS = {
    "p": _paragraph,
    "h2": _heading,
    "h3": _heading,
    "h4": _heading,
    "hr": _rule,
    "ul": _list,
    "ol": _list,
    "li": lambda element, tag: _Blocks().of(element.children),
    "blockquote": _blockquote,
    "pre": _code_block,
    "table": _table,
    "figure": _figure,
}


# Inline content: text and line breaks, each with its marks, as the editor's schema holds it.

_MARK_RANK = {name: rank for rank, name in enumerate(MARKS)}


def _inline(nodes):
    """``([(text or <br>, marks)], [figures])`` of inline ``nodes``, whitespace collapsed."""
    leaves = []
    figures = []

    def walk(children, marks):
        for child in children:
            if isinstance(child, str):
                leaves.append((child, marks))
                continue
            tag = _tag(child)
            if tag == "br":
                leaves.append((_Element("br"), marks))
            elif tag == "img":
                figures.append(_image_figure(child))
            elif tag in _MARK_RANK:
                walk(child.children, _with_mark(marks, tag, child))
            else:
                walk(child.children, marks)

    walk(nodes, ())
    return _collapse_whitespace(leaves), figures


def _with_mark(marks, tag, element):
    if tag == "a":
        href = element.attrs.get("href", "").strip()
        if not href:
            return marks
        attrs = (("href", href),) + (
            (("title", element.attrs["title"]),) if element.attrs.get("title") else ()
        )
        mark = ("a", attrs)
    else:
        mark = (tag, ())
    if tag == "code":
        # The code mark holds no other mark but a link.
        return tuple(m for m in marks if m[0] == "a") + (mark,)
    if any(m[0] == "code" for m in marks):
        return marks
    kept = tuple(m for m in marks if m[0] != tag)
    return tuple(sorted(kept + (mark,), key=lambda m: _MARK_RANK[m[0]]))


def _collapse_whitespace(leaves):
    collapsed = []
    for leaf, marks in leaves:
        if not isinstance(leaf, str):
            collapsed.append((leaf, marks))
            continue
        text = _WHITESPACE.sub(" ", leaf)
        previous = collapsed[-1][0] if collapsed else None
        if text.startswith(" ") and (
            previous is None or not isinstance(previous, str) or previous.endswith(" ")
        ):
            text = text[1:]
        if text:
            collapsed.append((text, marks))
    while collapsed and isinstance(collapsed[-1][0], str) and collapsed[-1][0].endswith(" "):
        text, marks = collapsed.pop()
        if text.rstrip():
            collapsed.append((text.rstrip(), marks))
    # Neighbours with the same marks are one text node.
    merged = []
    for leaf, marks in collapsed:
        if merged and isinstance(leaf, str) and isinstance(merged[-1][0], str) and merged[-1][1] == marks:
            merged[-1] = (merged[-1][0] + leaf, marks)
        else:
            merged.append((leaf, marks))
    return merged


def _marked(inline):
    """Element children for ``inline``, marks nested as ProseMirror's serializer nests them."""
    root = _Element("root")
    active = []  # (mark, element) from the outermost
    for leaf, marks in inline:
        keep = 0
        while keep < len(active) and keep < len(marks) and active[keep][0] == marks[keep]:
            keep += 1
        del active[keep:]
        for mark in marks[keep:]:
            name, attrs = mark
            attrs = dict(attrs)
            if name == "a":
                attrs["rel"] = _LINK_REL
            element = _Element(name, attrs)
            (active[-1][1] if active else root).children.append(element)
            active.append((mark, element))
        (active[-1][1] if active else root).children.append(leaf)
    return root.children


# Serialization, escaped as browsers and nh3 escape.


def _serialize(node):
    if isinstance(node, str):
        return html.escape(node, quote=False).replace("\xa0", "&nbsp;")
    if node.tag in {"p", "h2", "h3", "h4"} and node.children and isinstance(node.children[0], tuple):
        node.children = _marked(node.children)
    attrs = "".join(
        f' {name}="{value.replace("&", "&amp;").replace(chr(34), "&quot;").replace(chr(160), "&nbsp;")}"'
        for name, value in node.attrs.items()
    )
    if node.tag in _VOID:
        return f"<{node.tag}{attrs}>"
    return f"<{node.tag}{attrs}>{''.join(_serialize(child) for child in node.children)}</{node.tag}>"
