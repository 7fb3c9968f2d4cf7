"""
Reading a WordPress export (WXR: RSS 2.0 with WordPress's own namespace) as a stream.

``read_export()`` yields the channel's authors, categories and tags and then one
``Item`` per <item>, clearing every element once read, so memory stays flat
however large the file is. The parser recovers from malformed XML (lxml's
``recover`` mode) and records what it had to repair in ``errors``: a broken post
is reported, not the end of the import.
"""

import os
import re
from dataclasses import dataclass, field

from lxml import etree

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"


@dataclass
class Author:
    login: str
    display_name: str
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    """A category or tag as the channel declares it."""

    taxonomy: str  # "category" or "post_tag"
    term_id: str
    slug: str
    name: str
    parent_slug: str = ""
    description: str = ""


@dataclass
class Item:
    line: int
    post_id: str = ""
    post_type: str = ""
    status: str = ""
    title: str = ""
    link: str = ""
    guid: str = ""
    slug: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date: str = ""
    date_gmt: str = ""
    modified: str = ""
    modified_gmt: str = ""
    password: str = ""
    parent: str = ""
    menu_order: str = ""
    attachment_url: str = ""
    # (taxonomy, slug, name) in the export's order.
    terms: list = field(default_factory=list)
    # meta key -> values, in the export's order (a key may repeat, e.g. _wp_old_slug).
    meta: dict = field(default_factory=dict)
    comment_count: int = 0
    # What the parser had to repair within the item ("line N: message"): a damaged item,
    # e.g. the last one of a file cut short, is not to be imported as if it were whole.
    damage: list = field(default_factory=list)

    def meta_value(self, key, default=""):
        values = self.meta.get(key)
        return values[0] if values else default


@dataclass
class Channel:
    wxr_version: str = ""  # every WordPress export has one
    base_site_url: str = ""
    base_blog_url: str = ""
    authors: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)  # slug -> Term
    tags: dict = field(default_factory=dict)  # slug -> Term


class ProgressFile:
    """A binary file that tells how many bytes the parser has read (for the progress bar)."""

    def __init__(self, path, on_read=None):
        self._file = open(path, "rb")  # noqa: SIM115 (closed by close())
        self.size = os.fstat(self._file.fileno()).st_size
        self._on_read = on_read

    def read(self, size=-1):
        data = self._file.read(size)
        if self._on_read:
            self._on_read(len(data))
        return data

    def close(self):
        self._file.close()


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _ns(tag):
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _text(element):
    return (element.text or "").strip() if element is not None else ""


def _children(element):
    """Child elements by local name (WordPress's namespace version varies: 1.0, 1.1, 1.2)."""
    found = {}
    for child in element:
        found.setdefault(_local(child.tag), child)
    return found


def parse_author(element):
    c = _children(element)
    return Author(
        login=_text(c.get("author_login")),
        display_name=_text(c.get("author_display_name")),
        first_name=_text(c.get("author_first_name")),
        last_name=_text(c.get("author_last_name")),
    )


def parse_category(element):
    c = _children(element)
    return Term(
        taxonomy="category",
        term_id=_text(c.get("term_id")),
        slug=_text(c.get("category_nicename")),
        name=_text(c.get("cat_name")),
        parent_slug=_text(c.get("category_parent")),
        description=_text(c.get("category_description")),
    )


def parse_tag(element):
    c = _children(element)
    return Term(
        taxonomy="post_tag",
        term_id=_text(c.get("term_id")),
        slug=_text(c.get("tag_slug")),
        name=_text(c.get("tag_name")),
        description=_text(c.get("tag_description")),
    )


# The largest WordPress ID a database column holds (a BIGINT); larger ones name nothing.
LARGEST_ID = 2**63 - 1
_ID = re.compile(r"[0-9]{1,19}")
_MENU_ORDER = re.compile(r"-?[0-9]{1,9}")


def wp_id(text):
    """``text`` as a WordPress ID (ASCII digits, "²" is not one, within a BIGINT), or None."""
    text = (text or "").strip()
    return int(text) if _ID.fullmatch(text) and int(text) <= LARGEST_ID else None


def parse_item(element):
    item = Item(line=element.sourceline or 0)
    simple = {
        "post_id": "post_id", "post_type": "post_type", "status": "status", "post_name": "slug",
        "post_date": "date", "post_date_gmt": "date_gmt", "post_modified": "modified",
        "post_modified_gmt": "modified_gmt", "post_password": "password", "post_parent": "parent",
        "menu_order": "menu_order", "attachment_url": "attachment_url",
    }  # fmt: skip
    for child in element:
        name, ns = _local(child.tag), _ns(child.tag)
        if name == "title" and not ns:
            item.title = child.text or ""
        elif name == "link" and not ns:
            item.link = _text(child)
        elif name == "guid" and not ns:
            item.guid = _text(child)
        elif name == "creator" and ns == DC_NS:
            item.creator = _text(child)
        elif name == "encoded":
            if ns == CONTENT_NS:
                item.content = child.text or ""
            else:
                item.excerpt = child.text or ""
        elif name == "category" and not ns:
            item.terms.append(
                (child.get("domain", ""), child.get("nicename", ""), (child.text or "").strip())
            )
        elif name == "postmeta":
            c = _children(child)
            key = _text(c.get("meta_key"))
            if key:
                item.meta.setdefault(key, []).append(
                    (c.get("meta_value").text or "") if "meta_value" in c else ""
                )
        elif name == "comment":
            item.comment_count += 1
        elif name in simple:
            setattr(item, simple[name], _text(child))
    # What cannot be a number of its column is read as missing (and reported as such).
    item.post_id = item.post_id if wp_id(item.post_id) is not None else ""
    item.parent = item.parent if wp_id(item.parent) is not None else ""
    item.menu_order = item.menu_order if _MENU_ORDER.fullmatch(item.menu_order) else ""
    return item


def read_export(path, *, on_read=None, errors=None):
    """Yield ("channel", Channel) once the items begin (or at the end), then ("item", Item) for each item.

    ``errors`` (a list) receives (line, message) for every repair the parser made.
    """
    source = ProgressFile(path, on_read)
    channel = Channel()
    channel_sent = False
    wanted = ("item", "{*}author", "{*}category", "{*}tag", "{*}base_site_url", "{*}base_blog_url",
              "{*}wxr_version")  # fmt: skip
    held = None  # the last item read: whether it is whole is known once the next one begins
    damage = _Damage()
    context = etree.iterparse(
        source,
        events=("end",),
        tag=wanted,
        recover=True,
        resolve_entities=False,
        no_network=True,
        huge_tree=True,
        remove_comments=True,
    )
    try:
        for _event, element in context:
            name, ns = _local(element.tag), _ns(element.tag)
            if name == "item" and not ns:
                if not channel_sent:
                    channel_sent = True
                    yield "channel", channel
                item = parse_item(element)
                if held is not None:
                    held.damage = damage.of(held, context.error_log, before_line=item.line)
                    yield "item", held
                held = item
            elif (
                not ns.startswith("http://wordpress.org/export/") or _local(element.getparent().tag) == "item"
            ):
                continue  # an item's own <category> is read with the item
            elif name == "author":
                author = parse_author(element)
                if author.login:
                    channel.authors[author.login] = author
            elif name == "category":
                term = parse_category(element)
                if term.slug:
                    channel.categories[term.slug] = term
            elif name == "tag":
                term = parse_tag(element)
                if term.slug:
                    channel.tags[term.slug] = term
            elif name == "base_site_url":
                channel.base_site_url = _text(element)
            elif name == "base_blog_url":
                channel.base_blog_url = _text(element)
            elif name == "wxr_version":
                channel.wxr_version = _text(element)
            parent = element.getparent()
            if parent is not None and _local(parent.tag) == "channel":
                # Free what was read: the element and everything before it in the channel.
                element.clear(keep_tail=False)
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as error:
        # Past what recovery can mend (e.g. a file cut short before any element): say so.
        fatal = (getattr(error, "lineno", 0) or 0, str(error))
        damage.fatal = fatal
        if errors is not None:
            errors.append(fatal)
    finally:
        if errors is not None:
            for entry in context.error_log:
                errors.append((entry.line, entry.message))
        source.close()
    if not channel_sent:
        yield "channel", channel
    if held is not None:
        held.damage = damage.of(held, context.error_log, before_line=None)
        yield "item", held


class _Damage:
    """Attributes the parser's repairs to the items they were made in, by line."""

    def __init__(self):
        self.taken = 0  # error log entries already attributed (or before any item)
        self.fatal = None

    def of(self, item, log, *, before_line):
        """The repairs made between ``item``'s first line and ``before_line`` (None: the end)."""
        found = []
        if len(log) > self.taken:
            entries = list(log)[self.taken :]
            for entry in entries:
                if before_line is not None and entry.line >= before_line:
                    break
                self.taken += 1
                if entry.line >= item.line:
                    found.append(f"line {entry.line}: {entry.message.strip()}")
        if before_line is None and self.fatal:
            found.append(f"line {self.fatal[0]}: {self.fatal[1].strip()}")
        return found
