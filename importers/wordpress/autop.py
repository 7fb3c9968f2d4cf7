"""
WordPress's automatic paragraphs (``wpautop``), for content written in the classic editor.

WordPress stores classic posts with blank lines where paragraphs end and applies
this on display; block-editor content is stored as HTML and never gets it. The
rules follow WordPress's own function: double line breaks end paragraphs, single
ones become <br>, block-level elements are never wrapped, and nothing inside
<pre> is touched.
"""

import re

BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area"
    r"|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header"
    r"|footer|nav|figure|figcaption|details|menu|summary)"
)
_PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
_OPEN_BLOCK = re.compile(rf"(<{BLOCKS}[\s/>])", re.I)
_CLOSE_BLOCK = re.compile(rf"(</{BLOCKS}>)", re.I)
_BLOCK_TAG = rf"</?{BLOCKS}[^>]*>"


def autop(text, *, line_breaks=True):
    """``text`` with paragraphs and line breaks made as WordPress makes them on display."""
    if not text.strip():
        return ""
    kept = []

    def keep_pre(match):
        kept.append(match.group(0))
        return f"<pre wp-pre-tag-{len(kept) - 1}></pre>"

    text = _PRE.sub(keep_pre, text.replace("\r\n", "\n").replace("\r", "\n")) + "\n"
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.I)
    text = _OPEN_BLOCK.sub(r"\n\n\1", text)
    text = _CLOSE_BLOCK.sub(r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text, flags=re.I)
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [chunk for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]
    text = "".join(f"<p>{chunk.strip(chr(10))}</p>\n" for chunk in paragraphs)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text, flags=re.I)
    text = re.sub(rf"<p>\s*({_BLOCK_TAG})\s*</p>", r"\1", text, flags=re.I)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text, flags=re.I)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*({_BLOCK_TAG})", r"\1", text, flags=re.I)
    text = re.sub(rf"({_BLOCK_TAG})\s*</p>", r"\1", text, flags=re.I)
    if line_breaks:
        text = re.sub(r"<br\s*/?>", "<br />", text, flags=re.I)
        text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = re.sub(rf"({_BLOCK_TAG})\s*<br />", r"\1", text, flags=re.I)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text, flags=re.I)
    text = re.sub(r"\n</p>$", "</p>", text)
    for number, original in enumerate(kept):
        text = text.replace(f"<pre wp-pre-tag-{number}></pre>", original)
    return text
