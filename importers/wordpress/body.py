"""
Turning WordPress post content into a Newsroom body.

In order: block comments are read for what they carry (embed URLs, footnotes, the
"more" mark) and dropped; shortcodes become figures, links or nothing; footnotes are
rebuilt from post meta; classic content gets WordPress's automatic paragraphs; legacy
markup is mapped onto the body vocabulary; uploads are pointed at imported files. The
result still goes through ``articles.sanitize`` when the article is saved.
"""

import html
import json
import re
from dataclasses import dataclass

from django.utils.html import escape, strip_tags

from articles.body import sanitize_body
from articles.body.vocabulary import RENAMED

from .autop import autop
from .embeds import embed_html
from .shortcodes import ANY_SHORTCODE, looks_like_shortcode, parse_attributes, shortcode_pattern
from .wxr import wp_id

_BLOCK_COMMENT = re.compile(
    r"<!--\s+(/)?wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s+(\{.*?\}\s+)?(/)?-->", re.S
)
_EMBED_BLOCK = re.compile(
    r"<!--\s+wp:(core-embed/[a-z0-9-]+|embed)\s+(\{.*?\})\s+-->.*?<!--\s+/wp:\1\s+-->", re.S
)
# Blocks WordPress renders from the database at display time: nothing of them is in the content.
DYNAMIC_BLOCKS = {
    "latest-posts", "latest-comments", "archives", "categories", "search", "calendar", "tag-cloud",
    "rss", "page-list", "navigation", "query", "post-title", "post-content", "post-date", "post-excerpt",
    "post-featured-image", "post-terms", "site-title", "site-logo", "site-tagline", "loginout", "social-links",
}  # fmt: skip
_MORE = re.compile(r"<!--more(.*?)?-->", re.S)
_NEXTPAGE = re.compile(r"<!--nextpage-->")
_FOOTNOTE_REF = re.compile(r'<sup\b[^>]*\bdata-fn="([^"]+)"[^>]*>.*?</sup>', re.S)
_FOOTNOTES_MARK = "<!--newsroom-footnotes-->"
_MORE_TOKEN = "NEWSROOM-MORE-MARK-7f3a"
_MEDIA_ELEMENT = re.compile(r"<(video|audio)\b([^>]*)>(.*?)</\1>", re.S | re.I)
_IFRAME = re.compile(r"<iframe\b([^>]*)>.*?</iframe>|<iframe\b([^>]*)/?>", re.S | re.I)
_SRC = re.compile(r"""\bsrc\s*=\s*(["'])(.*?)\1""", re.S | re.I)
_URL_ATTRIBUTE = re.compile(r"""\b(src|href)\s*=\s*(["'])([^"']*/wp-content/uploads/[^"']*)\2""", re.I)
_IMG = re.compile(r"<img\b[^>]*>", re.I)

# Legacy tags and what they become: the body vocabulary's own list.
RENAMED_TAGS = RENAMED
_RENAMED = re.compile(r"<(/?)(" + "|".join(RENAMED_TAGS) + r")(?=[\s>/])", re.I)
_DEFINITION_TAG = re.compile(r"<(/?)(dl|dt|dd)\b[^>]*>", re.I)

KNOWN_SHORTCODES = shortcode_pattern(
    r"caption|wp_caption|gallery|audio|video|playlist|embed|youtube|vimeo|soundcloud|dailymotion|"
    r"wpvideo|videopress|tweet|instagram|spotify|googlemaps"
)
# Shortcodes whose first positional attribute or "url"/"src"/"id" is what to link to.
_URL_SHORTCODES = {
    "youtube",
    "vimeo",
    "soundcloud",
    "dailymotion",
    "tweet",
    "instagram",
    "spotify",
    "googlemaps",
}


@dataclass
class Body:
    html: str
    teaser_text: str  # the text before a "more" mark, as plain text ("" without one)


class BodyConverter:
    """Converts the content of one export; ``media`` is the MediaLibrary, ``report`` the Report."""

    def __init__(self, *, media, report):
        self.media = media
        self.report = report

    def convert(self, content, *, post_id, footnotes_meta=""):
        content = content or ""
        has_blocks = "<!-- wp:" in content
        # The "more" mark survives the conversion as a token, so the teaser is read from the result.
        content = _MORE.sub("", _MORE.sub(f"\n\n{_MORE_TOKEN}\n\n", _NEXTPAGE.sub("", content), count=1))
        content = self.read_blocks(content)
        if not has_blocks:
            # As WordPress does: paragraphs first, then shortcodes standing alone are unwrapped.
            content = unwrap_shortcodes(autop(collapse_captions(content)))
        content = self.expand(content, post_id)
        content = self.footnotes(content, footnotes_meta)
        content = self.media_elements(content)
        content = map_legacy_markup(content)
        content = self.point_at_imported_files(content).replace(_FOOTNOTES_MARK, "")
        teaser, token, _rest = content.partition(_MORE_TOKEN)
        if token:
            content = re.sub(
                r"<p>\s*</p>", "", re.sub(r"<br />\s*</p>", "</p>", content.replace(_MORE_TOKEN, ""))
            )
        html_body = self.figures_into_library(without_empty_paragraphs(content))
        return Body(html=html_body, teaser_text=plain_text(teaser) if token else "")

    # Blocks -------------------------------------------------------------------

    def read_blocks(self, content):
        content = _EMBED_BLOCK.sub(self._embed_block, content)

        def block_comment(match):
            closing, name, attributes, self_closing = match.groups()
            short = name.removeprefix("core/")
            if closing or not self_closing:
                return ""
            if short == "footnotes":
                return _FOOTNOTES_MARK
            if short == "block":
                self.report.note("reusable blocks dropped (wp:block)")
            elif short in DYNAMIC_BLOCKS:
                self.report.note(f"dynamic blocks dropped (wp:{short}: made by WordPress at display time)")
            return ""

        return _BLOCK_COMMENT.sub(block_comment, content)

    def _embed_block(self, match):
        try:
            url = json.loads(match.group(2)).get("url", "")
        except (ValueError, AttributeError):
            url = ""
        if not url:
            self.report.note("embed blocks without a URL dropped")
            return ""
        return embed_html(url)

    # Shortcodes ---------------------------------------------------------------

    def expand(self, content, post_id):
        """``content`` with known shortcodes converted and unknown ones removed (their content kept)."""
        if "[" not in content:
            return content
        content = KNOWN_SHORTCODES.sub(lambda m: self._known(m, post_id), content)
        for _ in range(5):  # unknown shortcodes may enclose others
            changed = ANY_SHORTCODE.sub(self._unknown, content)
            if changed == content:
                break
            content = changed
        return content

    def _known(self, match, post_id):
        if match.group(1) and match.group(6):
            return match.group(0)[1:-1]  # [[gallery]]: the literal text "[gallery]"
        name, (named, positional), inner = match.group(2), parse_attributes(match.group(3)), match.group(5)
        if name in {"caption", "wp_caption"}:
            return self.caption(named, self.expand(inner or "", post_id))
        if name == "gallery":
            return self.gallery(named, post_id)
        if name == "playlist":
            ids = _ids(named.get("ids", ""))
            attachments = self.media.attachments(ids=ids) if ids else self.media.attachments(parent=post_id)
            return "".join(embed_html(a.url, label=a.title or a.url) for a in attachments)
        if name in {"wpvideo", "videopress"}:
            video_id = positional[0] if positional else named.get("id", "")
            return embed_html(f"https://videopress.com/v/{video_id}") if video_id else ""
        if name == "embed":
            return embed_html(strip_tags(inner or "").strip() or named.get("src", ""))
        if name in {"audio", "video"}:
            return self.audio_video(named, inner)
        url = named.get("url") or named.get("src") or (positional[0] if positional else "")
        if name in _URL_SHORTCODES and url:
            return embed_html(url)
        self.report.note(f"shortcode [{name}] without a URL removed")
        return ""

    def _unknown(self, match):
        if match.group(1) and match.group(6):
            return match.group(0)[1:-1]
        if not looks_like_shortcode(match):
            return match.group(0)
        self.report.note(f"unknown shortcode [{match.group(2)}] removed (enclosed text kept)")
        return match.group(5) or ""

    def caption(self, named, inner):
        image = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", inner, re.S)
        if image is None:
            self.report.note("[caption] without an image: kept its text")
            return inner
        text = named.get("caption") or image.group(2).strip()
        caption = f"<figcaption>{text}</figcaption>" if strip_tags(text).strip() else ""
        return f"<figure>{image.group(1)}{caption}</figure>"

    def gallery(self, named, post_id):
        ids = _ids(named.get("ids") or named.get("include", ""))
        if ids:
            attachments = self.media.attachments(ids=ids)
        else:
            source = wp_id(named.get("id"))
            source = post_id if source is None else source
            attachments = self.media.attachments(parent=source)
            excluded = set(_ids(named.get("exclude", "")))
            attachments = [a for a in attachments if a.wp_id not in excluded]
        if not attachments:
            self.report.note("[gallery] with no attachment in the export: removed")
            return ""
        return "".join(figure_html(a.url, a.alt or a.title, a.caption) for a in attachments)

    def audio_video(self, named, inner):
        url = named.get("src") or next(
            (
                named[key]
                for key in ("mp3", "m4a", "ogg", "wav", "wma", "mp4", "m4v", "webm", "ogv", "flv")
                if key in named
            ),
            "",
        )
        if not url and inner:
            url = strip_tags(inner).strip()
        return embed_html(url) if url else ""

    # Footnotes, media elements, files -----------------------------------------------

    def footnotes(self, content, meta):
        """Footnotes of the block editor (WordPress 6.3+: the text in post meta, a marker in the body)."""
        if not meta:
            return content
        try:
            notes = {note["id"]: note.get("content", "") for note in json.loads(meta)}
        except (ValueError, TypeError, KeyError):
            self.report.note("footnotes meta unreadable: footnotes dropped")
            return _FOOTNOTE_REF.sub("", content)
        order = []

        def reference(match):
            note_id = match.group(1)
            if note_id not in notes:
                return ""
            if note_id not in order:
                order.append(note_id)
            return f"<sup>{order.index(note_id) + 1}</sup>"

        content = _FOOTNOTE_REF.sub(reference, content)
        if not order:
            return content
        listing = "<h2>Notes</h2><ol>" + "".join(f"<li>{notes[n]}</li>" for n in order) + "</ol>"
        if _FOOTNOTES_MARK in content:
            return content.replace(_FOOTNOTES_MARK, listing, 1)
        return content + listing

    def media_elements(self, content):
        """<video>, <audio> and <iframe> (which the sanitizer drops) as links to what they played."""

        def media(match):
            source = _SRC.search(match.group(2)) or _SRC.search(match.group(3))
            return embed_html(html.unescape(source.group(2))) if source else ""

        def iframe(match):
            source = _SRC.search(match.group(1) or match.group(2) or "")
            return embed_html(html.unescape(source.group(2))) if source else ""

        return _IFRAME.sub(iframe, _MEDIA_ELEMENT.sub(media, content))

    def point_at_imported_files(self, content):
        def rewrite(match):
            attribute, quote, url = match.groups()
            local = self.media.local_url(html.unescape(url))
            return f"{attribute}={quote}{escape(local)}{quote}" if local else match.group(0)

        return _URL_ATTRIBUTE.sub(rewrite, content)

    def figures_into_library(self, content):
        """Figures of files this import stored become figures of the image library (``data-image``),
        so readers get its responsive renditions. The library needs alt text: a picture
        described nowhere (no alt text, caption or attachment) stays a plain figure, reported."""

        def into_library(match):
            attributes = {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(match["attrs"])}
            name = self.media.stored_name(attributes.get("src", ""))
            if not name or self.media.dry_run:
                return match[0]
            caption = plain_text(match["caption"] or "")
            image = self.media.body_image(
                name, alt=attributes.get("alt", "").strip() or caption, caption=caption
            )
            if image is None:
                return match[0]
            attrs = match["attrs"]
            if not attributes.get("alt", "").strip():
                # The picture's description lives in its attachment: readers get it as alt text.
                alt = f' alt="{html.escape(image.alt)}"'
                attrs = _ALT.sub(alt, attrs) if _ALT.search(attrs) else attrs + alt
            figure = "<figure" + (match["wide"] or "") + f' data-image="{image.pk}"><img{attrs}>'
            return figure + match[0][match.end("attrs") - match.start() + 1 :]

        return _PLAIN_FIGURE.sub(into_library, content)


# In the sanitizer's canonical form: a figure of one picture, not yet from the library.
_PLAIN_FIGURE = re.compile(
    r'<figure(?P<wide> class="wide")?><img(?P<attrs>(?: [a-z-]+="[^"]*")*)>'
    r"(?:<figcaption>(?P<caption>.*?)</figcaption>)?</figure>",
    re.S,
)
_ATTRIBUTE = re.compile(r' ([a-z-]+)="([^"]*)"')
_ALT = re.compile(r' alt="[^"]*"')
# In the sanitizer's canonical form: a paragraph holding nothing a reader can see.
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")
_EDGE_BREAKS = re.compile(r"(<p>)(?:\s|<br>)+|(?:\s|<br>)+(</p>)")


def without_empty_paragraphs(content):
    """The body in canonical form without the empty paragraphs conversion leaves behind.

    A [caption] or a media shortcode in the middle of a paragraph becomes a figure
    there; the sanitizer moves the figure out, splitting the paragraph, and a split
    at its start or end leaves ``<p></p>``. Block content has empty paragraph blocks
    of its own (an editor's stray Enter). Readers would see them as gaps.
    """
    content = sanitize_body(tidy_blank_lines(content).strip())
    return _EMPTY_PARAGRAPH.sub("", _EDGE_BREAKS.sub(lambda m: m.group(1) or m.group(2), content))


def tidy_blank_lines(content):
    """Blank lines left where block comments were removed, outside <pre>."""
    parts = re.split(r"(<pre\b.*?</pre>)", content, flags=re.S | re.I)
    return "".join(
        part if part.lower().startswith("<pre") else re.sub(r"\n\s*\n", "\n", part) for part in parts
    )


def collapse_captions(content):
    """No paragraphs inside a [caption] (WordPress's autop keeps them out the same way)."""
    return re.sub(
        r"\[caption\b.*?\[/caption\]", lambda m: re.sub(r"\s*\n\s*", " ", m.group(0)), content, flags=re.S
    )


def unwrap_shortcodes(content):
    """``<p>[gallery]</p>`` -> ``[gallery]``: a shortcode alone in a paragraph makes its own block."""
    return re.sub(
        r"<p>\s*(\[([a-z][\w-]*)[^\]]*\](?:(?:(?!</p>).)*?\[/\2\])?)\s*(?:<br />)?\s*</p>",
        r"\1",
        content,
        flags=re.S,
    )


def figure_html(url, alt, caption):
    caption = f"<figcaption>{caption}</figcaption>" if caption.strip() else ""
    return f'<figure><img src="{escape(url)}" alt="{escape(alt)}">{caption}</figure>'


def map_legacy_markup(content):
    """h1 -> h2, h5/h6 -> h4, b -> strong, i -> em, del -> s...; a definition list becomes a list
    of "<strong>term</strong><br>definition" items."""
    content = _RENAMED.sub(lambda m: f"<{m.group(1)}{RENAMED_TAGS[m.group(2).lower()]}", content)
    if "<d" not in content.lower():
        return content
    open_items = []  # per open <dl>: whether a <li> is open

    def definition(match):
        closing, tag = match.group(1), match.group(2).lower()
        if tag == "dl":
            if not closing:
                open_items.append(False)
                return "<ul>"
            was_open = open_items.pop() if open_items else False
            return ("</li>" if was_open else "") + "</ul>"
        if not open_items:
            return ""
        if tag == "dt":
            if closing:
                return "</strong>"
            was_open, open_items[-1] = open_items[-1], True
            return ("</li>" if was_open else "") + "<li><strong>"
        if closing:
            return ""
        if open_items[-1]:
            return "<br>"
        open_items[-1] = True
        return "<li>"

    return _DEFINITION_TAG.sub(definition, content)


def plain_text(fragment):
    """Text of an HTML fragment, on one line."""
    return " ".join(html.unescape(strip_tags(_BLOCK_COMMENT.sub(" ", fragment))).split())


def _ids(text):
    return [number for part in re.split(r"[\s,]+", text or "") if (number := wp_id(part)) is not None]
