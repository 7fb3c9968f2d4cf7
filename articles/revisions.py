"""
Revisions of articles, kept by django-reversion, and readable differences between them.

Every save of an article through the admin or articles/services.py stores one
revision holding the article row and, through ``follow``, its bylines, tags and
related picks, so that restoring a revision brings all of them back together.
"""

import difflib
import json
import re
from html import unescape

import reversion
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from reversion.models import Version
from taggit.models import Tag

from .models import Article, Author, Byline, RelatedLink, Section, TaggedArticle


def register_models():
    reversion.register(Article, follow=["bylines", "tagged_items", "related_links"])
    reversion.register(Byline)
    reversion.register(TaggedArticle)
    reversion.register(RelatedLink)


def versions_of(article):
    """The article's stored versions, newest first, with their revisions' user loaded."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def edit_version_of(version):
    """The optimistic-lock ``version`` number the article had in a stored version."""
    return json.loads(version.serialized_data)[0]["fields"].get("version")


def version_with_edit_number(article, number):
    for version in versions_of(article).only("serialized_data", "revision_id"):
        if edit_version_of(version) == number:
            return version
    return None


BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote)>|<br\s*/?>|<hr\s*/?>", re.IGNORECASE)


def readable_body(html):
    """Article body HTML as plain text, one paragraph a line, for diffs."""
    text = unescape(strip_tags(BLOCK_END.sub("\n", html or "")))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def snapshot(version):
    """What a stored article version says, as {label: text}, relations included."""
    fields = version.field_dict
    related = [v for v in version.revision.version_set.all() if v.object_id != version.object_id]

    def rows(model):
        return sorted(
            (v.field_dict for v in related if v.content_type.model_class() is model),
            key=lambda row: (row.get("position", 0), row.get("id", 0)),
        )

    bylines = rows(Byline)
    author_names = dict(
        Author.objects.filter(pk__in=[b["author"] for b in bylines]).values_list("pk", "name")
    )
    tag_ids = [t["tag"] for t in rows(TaggedArticle)]
    tag_names = sorted(Tag.objects.filter(pk__in=tag_ids).values_list("name", flat=True), key=str.lower)
    links = rows(RelatedLink)
    titles = dict(Article.objects.filter(pk__in=[r["to_article"] for r in links]).values_list("pk", "title"))
    section = Section.objects.filter(pk=fields.get("section_id")).values_list("name", flat=True).first()
    published_at = fields.get("published_at")
    return {
        "Headline": fields.get("title", ""),
        "Slug": fields.get("slug", ""),
        "Section": section or "",
        "Kicker": fields.get("kicker", ""),
        "Standfirst": fields.get("dek", ""),
        "Body": readable_body(fields.get("body", "")),
        "Authors": ", ".join(
            author_names.get(b["author"], f"(deleted author {b['author']})") for b in bylines
        ),
        "Tags": ", ".join(tag_names),
        "Related articles": "\n".join(titles.get(r["to_article"], "(deleted article)") for r in links),
        "Status": Article.Status(fields["status"]).label if fields.get("status") else "",
        "Publish time": timezone.localtime(published_at).strftime("%d %b %Y %H:%M") if published_at else "",
        "Cover story": "yes" if fields.get("featured") else "no",
        "Lead image": str(fields.get("lead_image") or ""),
        "Lead image alt text": fields.get("lead_image_alt", ""),
        "Caption": fields.get("lead_image_caption", ""),
        "Credit": fields.get("lead_image_credit", ""),
        "Redirect when gone": fields.get("redirect_url", ""),
    }


def _tokens(text):
    return re.findall(r"\s+|[^\s]+", text)


def inline_diff(old, new):
    """HTML marking words removed (<del>) and added (<ins>) between two texts."""
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old_tokens[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(''.join(old_tokens[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(''.join(new_tokens[b1:b2]))}</ins>")
    return mark_safe("".join(parts).replace("\n", "<br>"))


def compare(old_version, new_version):
    """The fields that differ between two stored versions: [(label, diff HTML)]."""
    old, new = snapshot(old_version), snapshot(new_version)
    return [(label, inline_diff(old[label], new[label])) for label in new if old[label] != new[label]]
