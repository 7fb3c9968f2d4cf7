"""
The rules that map WordPress's notions onto Newsroom's (see the README, "Importing from WordPress").
"""

import html
import re
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

from django.utils.html import strip_tags
from django.utils.text import slugify

from articles.body import without_control_characters
from articles.models import Article

Status = Article.Status

# wp:status -> our status. Private and password-protected posts were never public: drafts.
STATUSES = {
    "publish": Status.PUBLISHED,
    "future": Status.PUBLISHED,  # with its future publish time: scheduled
    "draft": Status.DRAFT,
    "pending": Status.IN_REVIEW,
    "private": Status.DRAFT,
}
# Statuses that are not articles at all.
SKIPPED_STATUSES = {
    "trash": "in WordPress's trash",
    "auto-draft": "an automatic draft WordPress never showed",
    "inherit": "a revision",
}
ARTICLE_POST_TYPES = {"post", "page"}
# Post types that are the old site's design or machinery, not its content.
SITE_POST_TYPES = {
    "nav_menu_item", "wp_navigation", "wp_template", "wp_template_part", "wp_global_styles", "wp_block",
    "custom_css", "customize_changeset", "oembed_cache", "user_request", "wp_font_family", "wp_font_face",
    "revision",
}  # fmt: skip
PRIMARY_CATEGORY_META = ("_yoast_wpseo_primary_category", "rank_math_primary_category")
DEFAULT_CATEGORY = "uncategorized"
_WP_DATE = "%Y-%m-%d %H:%M:%S"


def status_for(item):
    """(our status, note or "") for an article item whose status is not skipped."""
    if item.password:
        return Status.DRAFT, "password-protected posts imported as drafts"
    if item.status == "private":
        return Status.DRAFT, "private posts imported as drafts"
    if item.status in STATUSES:
        return STATUSES[item.status], ""
    return Status.DRAFT, f"unknown status “{item.status}” imported as draft"


def parse_date(gmt, local, zone):
    """The moment of a WordPress date: GMT when the export has it, else the local time in ``zone``."""
    for value, tz in ((gmt, UTC), (local, zone)):
        if value and not value.startswith("0000"):
            try:
                moment = datetime.strptime(value.strip(), _WP_DATE).replace(tzinfo=tz)
                # A local time at either end of the calendar has no UTC equivalent (year 0 or 10000).
                moment.astimezone(UTC)
            except (ValueError, OverflowError):
                continue
            return moment
    return None


def plain(text):
    """A WordPress title or excerpt as plain text: tags dropped, entities decoded, one line."""
    return " ".join(without_control_characters(html.unescape(strip_tags(text or ""))).split())


def shorten(text, limit):
    """``text`` within ``limit`` characters, cut at a word with an ellipsis when too long."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def wp_slug(value, max_length):
    """A WordPress slug (percent-encoded for non-ASCII) as a Newsroom slug."""
    return slugify(unquote(value or ""), allow_unicode=True)[:max_length].strip("-")


def categories_of(item):
    return [slug for domain, slug, _name in item.terms if domain == "category" and slug]


def primary_category(item, term_slugs_by_id):
    """The category that gives the post its section.

    The SEO plugin's primary category (Yoast, Rank Math) when set; else the first of the
    post's categories in the export other than WordPress's default "Uncategorized";
    else "Uncategorized"; None for a post without categories.
    """
    categories = categories_of(item)
    for key in PRIMARY_CATEGORY_META:
        chosen = term_slugs_by_id.get(item.meta_value(key))
        if chosen in categories:
            return chosen
    preferred = [slug for slug in categories if slug != DEFAULT_CATEGORY]
    return (preferred or categories or [None])[0]


def site_path(url):
    """The path of a site address ("http://example.com/blog" -> "/blog"), without a final slash."""
    return urlsplit(url or "").path.rstrip("/")


def old_addresses(item, base_path):
    """Where the old site served the item: its permalink and the ?p=ID form, with and
    without the site's folder (a site at example.com/blog moved to a domain's root)."""
    paths = []
    link_path = urlsplit(item.link).path if item.link else ""
    if link_path and "?" not in item.link:
        paths.append(unquote(link_path))
        if base_path and link_path.startswith(base_path + "/"):
            paths.append(unquote(link_path[len(base_path) :]))
    parameter = "page_id" if item.post_type == "page" else "p"
    paths.append(f"{base_path}/?{parameter}={item.post_id}")
    if base_path:
        paths.append(f"/?{parameter}={item.post_id}")
    return [path for path in dict.fromkeys(paths) if path and len(path) <= 500]


def category_addresses(term, categories, base_path):
    """/category/parent/child/ (WordPress's default category base) and ?cat=ID, with and
    without the site's folder, as for posts."""
    chain, seen, current = [], set(), term
    while current is not None and current.slug not in seen:
        seen.add(current.slug)
        chain.insert(0, unquote(current.slug))
        current = categories.get(current.parent_slug)
    paths = [f"/category/{'/'.join(chain)}/"]
    if term.term_id:
        paths.append(f"/?cat={term.term_id}")
    return with_and_without_folder(paths, base_path)


def tag_addresses(slug, base_path):
    """/tag/slug/, with and without the site's folder."""
    return with_and_without_folder([f"/tag/{slug}/"], base_path)


def with_and_without_folder(paths, base_path):
    """The site-relative ``paths`` under the site's folder, then at the root (a site at
    example.com/blog moved to a domain's root); none longer than 500 characters."""
    return [
        prefix + path
        for prefix in dict.fromkeys([base_path, ""])
        for path in paths
        if len(prefix + path) <= 500
    ]


_SEO_VARIABLE = re.compile(r"%%\w+%%")


def seo_text(value, limit):
    """An SEO plugin's title or description, unless it is a template ("%%title%% %%sep%%")."""
    value = plain(value)
    return "" if _SEO_VARIABLE.search(value) else shorten(value, limit)
