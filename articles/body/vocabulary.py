"""
The vocabulary of an article body: every element and attribute a stored body may hold.

It is defined here once. The sanitizer (``sanitize.py``) derives its allow-list from it,
the body field's editor configuration (``EDITOR_EXTENSIONS``) is written next to it, and
tests check that one against the other, so that what the editor produces is kept, and
what is kept the editor loads and saves back unchanged.

A stored body is a sequence of these blocks (their canonical form, as ``sanitize_body``
writes it and the editor's schema reads it):

- ``<p>``, ``<h2>`` to ``<h4>``, ``<hr>``;
- ``<ul>``/``<ol start type>`` of ``<li>`` holding blocks (text in a ``<p>``);
- ``<blockquote cite>`` holding blocks; a source is written in it, e.g. ``<cite>``;
- ``<pre><code>`` with text only;
- ``<table>`` with an optional ``<caption>`` (text), an optional ``<thead>`` (one row of
  ``<th scope="col">``) and a ``<tbody>`` of rows of ``<td>``/``<th scope="row">``,
  cells holding blocks, ``colspan``/``rowspan`` when above 1;
- a figure: ``<figure [class="wide"] [data-image="42"]><img src alt [width height srcset sizes]>
  [<figcaption>caption <span class="credit">credit</span></figcaption>]</figure>``;
  ``data-image`` names the image library's picture (``images.Image``) it was inserted from:
  the ``<img>`` holds one plain rendition (for the editor and feeds), and reader pages show
  the library's responsive ``<picture>`` in its place (``render.py``), with the alt text,
  caption and credit written in the figure;
- a pull quote: ``<figure class="pullquote"><blockquote><p>…</p></blockquote>
  [<figcaption>attribution</figcaption>]</figure>``;
- an embed: ``<figure class="embed" data-provider="youtube"><a href="URL">URL</a></figure>``,
  the URL and its provider only (``embeds.py``), never the provider's HTML.

Text inside blocks carries the marks of ``MARKS``, nested in that order (outermost first),
as the editor nests them, and ``<br>``.
"""

import re

# Marks in the order the editor's schema ranks them: the sanitizer nests them the same way.
MARKS = ("a", "strong", "em", "s", "sub", "sup", "cite", "q", "mark", "code")

BLOCKS = ("p", "h2", "h3", "h4", "hr", "ul", "ol", "li", "blockquote", "pre", "table", "figure")

# Every element of the vocabulary, with the attributes it may carry.
ELEMENTS = {
    "p": set(),
    "br": set(),
    "hr": set(),
    "h2": set(),
    "h3": set(),
    "h4": set(),
    "strong": set(),
    "em": set(),
    "s": set(),
    "sub": set(),
    "sup": set(),
    "code": set(),
    "cite": set(),
    "q": set(),
    "mark": set(),
    "a": {"href", "title"},
    "ul": set(),
    "ol": {"start", "type"},
    "li": set(),
    "blockquote": {"cite"},
    "pre": set(),
    "table": set(),
    "caption": set(),
    "thead": set(),
    "tbody": set(),
    "tr": set(),
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "figure": {"data-provider", "data-image"},
    "figcaption": set(),
    "img": {"src", "alt", "width", "height", "srcset", "sizes"},
    "span": set(),
}

# The only classes a body may use, and where.
CLASSES = {
    "figure": {"wide", "embed", "pullquote"},
    "span": {"credit"},
}

# Markup from other systems (imports, pasted copy) that maps onto the vocabulary.
RENAMED = {
    "h1": "h2",
    "h5": "h4",
    "h6": "h4",
    "b": "strong",
    "i": "em",
    "del": "s",
    "strike": "s",
    "ins": "mark",
    "kbd": "code",
    "samp": "code",
    "tt": "code",
}

# Containers that carry no meaning of their own: their blocks are kept, unwrapped.
WRAPPERS = {"div", "section", "article", "header", "footer", "aside", "main", "center", "address",
            "dl", "dt", "dd", "details", "summary", "tfoot"}  # fmt: skip

URL_SCHEMES = {"http", "https", "mailto", "tel"}

# The body field's django-prose-editor configuration (articles/body/editor.py completes it).
# tests/test_body_vocabulary.py checks that every element these produce is in ELEMENTS; the
# browser round trip (tests/browser/test_body_round_trip.py) checks the rest.
EDITOR_EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "BodyBlockquote": True,
    "PullQuote": True,
    "CodeBlock": True,
    "BodyTable": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "HorizontalRule": True,
    "BodyFigure": True,
    "Embed": True,
    "HardBreak": True,
    # Marks, in the order of MARKS (the link ranks first by its own priority).
    "BodyLink": {"enableTarget": False, "protocols": sorted(URL_SCHEMES)},
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Cite": True,
    "Quotation": True,
    "Marked": True,
    "BodyCode": True,
    "History": True,
}

# The elements each editor extension writes (for the check against ELEMENTS).
EDITOR_ELEMENTS = {
    "Heading": {"h2", "h3", "h4"},
    "BulletList": {"ul"},
    "OrderedList": {"ol"},
    "ListItem": {"li"},
    "BodyBlockquote": {"blockquote"},
    "PullQuote": {"figure", "blockquote", "figcaption"},
    "CodeBlock": {"pre", "code"},
    "BodyTable": {"table", "caption", "tbody"},
    "TableRow": {"tr"},
    "TableHeader": {"th"},
    "TableCell": {"td"},
    "HorizontalRule": {"hr"},
    "BodyFigure": {"figure", "img", "figcaption", "span"},
    "Embed": {"figure", "a"},
    "HardBreak": {"br"},
    "BodyLink": {"a"},
    "Bold": {"strong"},
    "Italic": {"em"},
    "Strike": {"s"},
    "Subscript": {"sub"},
    "Superscript": {"sup"},
    "Cite": {"cite"},
    "Quotation": {"q"},
    "Marked": {"mark"},
    "BodyCode": {"code"},
    "History": set(),
}

# The extensions static/js/body-editor.js adds to django-prose-editor's own.
CUSTOM_EDITOR_EXTENSIONS = ("BodyBlockquote", "PullQuote", "BodyTable", "BodyFigure", "Embed", "BodyLink",
                            "Cite", "Quotation", "Marked", "BodyCode")  # fmt: skip

# How a stored body opens a figure from the image library (the canonical form above): in
# text, "<" is always escaped, so these never match words about figures.
LIBRARY_FIGURE_OPENING = re.compile(r'<figure(?: class="wide")? data-image="([0-9]{1,18})">')


def library_figure_openings(image_id):
    """The two ways a stored body opens a figure of library image ``image_id``."""
    return (f'<figure data-image="{int(image_id)}">', f'<figure class="wide" data-image="{int(image_id)}">')
