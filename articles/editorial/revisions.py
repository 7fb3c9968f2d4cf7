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
from django.utils.formats import date_format
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from reversion.models import Version
from taggit.models import Tag

from images.models import Image

from ..models import Article, Author, Byline, RelatedLink, Section, TaggedArticle


def register_models():
    reversion.register(Article, follow=["bylines", "tagged_items", "related_links"])
    reversion.register(Byline)
    reversion.register(TaggedArticle)
    reversion.register(RelatedLink)


def versions_of(article):
    """The article's stored versions, newest first, with their revisions' user loaded."""
    return Version.objects.get_for_object(article).select_related("revision__user")


def ensure_baseline(article, *, user):
    """Store the article as it is now if it has no revision yet (made outside the admin, e.g. imported).

    Without it the first edit could not be diffed against, or restored to, what came before.
    """
    if not Version.objects.get_for_object(article).exists():
        with reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment("As it was before its first edit in the admin")
            reversion.add_to_revision(article)


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


def lead_image_label(fields):
    """The lead image as an editor recognises it: its alt text and file.

    Versions saved before the image library (0016) hold the file's name and its own alt text.
    """
    if "lead_image_id" not in fields:
        name, alt = fields.get("lead_image") or "", fields.get("lead_image_alt", "")
        return f"{alt} ({name})" if name and alt else str(name)
    image = Image.objects.filter(pk=fields["lead_image_id"]).first() if fields["lead_image_id"] else None
    if image is None:
        return "(deleted image)" if fields["lead_image_id"] else ""
    return f"{image.alt} ({image.file.name})"


def snapshot(version):
    """What a stored article version says, as {label: text}, relations included."""
    fields = version.field_dict
    related = list(version.revision.version_set.select_related("content_type"))

    def rows(model):
        return sorted(
            (v.field_dict for v in related if v.content_type.model_class() is model),
            key=lambda row: (row.get("position", 0), row.get("id", 0)),
        )

    bylines = rows(Byline)
    author_names = dict(
        Author.objects.filter(pk__in=[b["author_id"] for b in bylines]).values_list("pk", "name")
    )
    tag_ids = [t["tag_id"] for t in rows(TaggedArticle)]
    tag_names = sorted(Tag.objects.filter(pk__in=tag_ids).values_list("name", flat=True), key=str.lower)
    links = rows(RelatedLink)
    titles = dict(
        Article.objects.filter(pk__in=[r["to_article_id"] for r in links]).values_list("pk", "title")
    )
    section = Section.objects.filter(pk=fields.get("section_id")).values_list("name", flat=True).first()
    published_at = fields.get("published_at")
    return {
        "Headline": fields.get("title", ""),
        "Slug": fields.get("slug", ""),
        "Section": section or "",
        "Kicker": fields.get("kicker", ""),
        "Standfirst": fields.get("dek", ""),
        "Body": readable_body(fields.get("body", "")),
        "Authors": ", ".join(author_names.get(b["author_id"], "(deleted author)") for b in bylines),
        "Tags": ", ".join(tag_names),
        "Related articles": "\n".join(titles.get(r["to_article_id"], "(deleted article)") for r in links),
        "Status": Article.Status(fields["status"]).label if fields.get("status") else "",
        "Publish time": date_format(timezone.localtime(published_at), "DATETIME_FORMAT")
        if published_at
        else "",
        "Cover story": "yes" if fields.get("featured") else "no",
        "Lead image": lead_image_label(fields),
        "Redirect when gone": fields.get("redirect_url", ""),
    }


def _tokens(text):
    return re.findall(r"\s+|[^\s]+", text)


def inline_diff(old, new):
    """HTML marking words removed (<del>) and added (<ins>) between two texts."""
    old_tokens, new_tokens = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    # Runs of [same, removed, added]; a lone space between two changes joins them,
    # so "Maria Lopez" -> "Sam Okafor" reads as one change, not two.
    runs = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed, added = "".join(old_tokens[a1:a2]), "".join(new_tokens[b1:b2])
        if op == "equal":
            runs.append([removed, "", ""])
        elif runs and not runs[-1][0]:
            runs[-1][1] += removed
            runs[-1][2] += added
        else:
            runs.append(["", removed, added])
    merged = []
    for run in runs:
        bridge = merged and len(merged) >= 2 and merged[-1][0].isspace() and not merged[-2][0]
        if bridge and not run[0]:
            space = merged.pop()[0]
            merged[-1][1] += space + run[1]
            merged[-1][2] += space + run[2]
        else:
            merged.append(run)
    parts = []
    for same, removed, added in merged:
        parts.append(escape(same))
        if removed:
            parts.append(f"<del>{escape(removed)}</del>")
        if added:
            parts.append(f"<ins>{escape(added)}</ins>")
    return mark_safe("".join(parts).replace("\n", "<br>"))


def compare(old_version, new_version):
    """The fields that differ between two stored versions: [(label, diff HTML)]."""
    old, new = snapshot(old_version), snapshot(new_version)
    return [(label, inline_diff(old[label], new[label])) for label in new if old[label] != new[label]]


def revisions_to_prune(*, before):
    """Ids of the revisions the retention policy lets go (see README, "Revisions").

    Of article revisions saved before ``before``, kept are: those in which the article
    was published, the newest of each article, and the newest of each article per
    calendar day. Everything newer than ``before`` is kept.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Max

    article_versions = Version.objects.filter(content_type=ContentType.objects.get_for_model(Article))
    keep = set(
        article_versions.values("object_id")
        .annotate(newest=Max("revision_id"))
        .values_list("newest", flat=True)
    )
    doomed, seen_days = [], set()
    old = (
        article_versions.filter(revision__date_created__lt=before)
        .order_by("object_id", "-revision__date_created", "-revision_id")
        .values_list("object_id", "revision_id", "revision__date_created", "serialized_data")
    )
    for object_id, revision_id, created, data in old.iterator():
        day = (object_id, timezone.localtime(created).date())
        status = json.loads(data)[0]["fields"].get("status")
        if revision_id in keep or status == Article.Status.PUBLISHED or day not in seen_days:
            seen_days.add(day)
            continue
        doomed.append(revision_id)
    return doomed
