"""
``WordPressImport``: an export read twice, as a stream.

Pass one records the channel (authors, categories, tags), every attachment, and how
many posts each category is the primary category of; then it creates the authors and
the sections. Pass two imports each post and page in a transaction of its own, so an
interrupted import leaves complete articles behind and a rerun goes on from there;
the mapping tables (importers.models) make reruns idempotent.
"""

import hashlib
import json
from collections import Counter
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import reset_queries, transaction
from django.db.models import Max
from django.utils import timezone
from taggit.models import Tag

from articles.models import (
    RESERVED_SECTION_SLUGS,
    Article,
    ArticleSlugHistory,
    Author,
    Byline,
    Section,
    TaggedArticle,
    unique_slug,
)
from articles.pagecache import bulk_changes
from importers.models import LegacyPath, WordPressPost, WordPressTerm

from . import history, mapping
from .body import BodyConverter
from .media import MediaLibrary
from .report import Report
from .wxr import Term, read_export, wp_id

TITLE_LIMIT = Article._meta.get_field("title").max_length
PAGES_SECTION = ("Pages", "pages")
# Posts committed together: an interrupted import loses at most these (a rerun imports them),
# and the database is not asked to make each post durable on its own (a disk flush each).
POSTS_PER_TRANSACTION = 100


class DryRunRollback(Exception):
    """Raised at the end of a dry run to roll everything back."""


class NotAnExport(Exception):
    """The file is not a WordPress export at all (nothing was written); the message says why."""


class WordPressImport:
    def __init__(self, path, *, media_dir=None, dry_run=False, navigation_sections=8, time_zone=None,
                 progress=None):  # fmt: skip
        self.path = path
        self.dry_run = dry_run
        self.navigation_sections = navigation_sections
        self.zone = ZoneInfo(time_zone or settings.TIME_ZONE)
        # progress(total, unit, description) -> an object with update(n) and close()
        self.progress = progress or (lambda total, unit, description: _NoProgress())
        self.media_dir = media_dir
        self.report = Report()
        self.source = ""
        self.base_path = ""
        self.channel = None
        self.sections = {}  # category slug -> Section
        self.tags = {}  # (kind, slug) -> Tag; bounded by the site's vocabulary
        self.authors = {}  # login -> Author
        self.seen_ids = set()  # post IDs met (posts and pages share one sequence): ~60 bytes each
        # (article id, revision comment, audit detail) of the batch's imported articles.
        self.imported_batch = []

    # The run ----------------------------------------------------------------

    def run(self):
        # Cached pages go stale once, at the end, rather than once per post (pagecache.bulk_changes).
        if not self.dry_run:
            with bulk_changes():
                self._run()
            return self.report
        try:
            with transaction.atomic(), bulk_changes():
                self._run()
                raise DryRunRollback
        except DryRunRollback:
            pass
        return self.report

    def _run(self):
        with transaction.atomic():
            primary_counts, item_count = self.first_pass()
            self.prepare_authors()
            self.prepare_sections(primary_counts)
        bar = self.progress(item_count, "post", "Importing")
        items = (value for kind, value in read_export(self.path) if kind == "item")
        try:
            while batch := list(islice(items, POSTS_PER_TRANSACTION)):
                # Each post in a savepoint of its own (import_item): one that fails leaves the others.
                with transaction.atomic():
                    for item in batch:
                        self.import_item(item)
                        bar.update(1)
                    history.record_imports(self.imported_batch)
                    self.imported_batch = []
                # With DEBUG on, Django keeps the last 9,000 queries (bodies and all): not here.
                reset_queries()
        finally:
            bar.close()

    def first_pass(self):
        errors = []
        primary_counts, item_count = Counter(), 0
        bar = self.progress(None, "B", "Reading the export")
        for kind, value in read_export(self.path, on_read=bar.update, errors=errors):
            if kind == "channel":
                self.start(value)
                continue
            item_count += 1
            if value.damage:
                continue  # skipped, and reported, in pass two
            if value.post_type == "attachment" and value.post_id.isdigit():
                self.media.record(value)
                reset_queries()
            elif value.post_type == "post" and value.status not in mapping.SKIPPED_STATUSES:
                primary = mapping.primary_category(value, self.term_slugs_by_id)
                if primary:
                    primary_counts[primary] += 1
                    self._remember_undeclared_category(value, primary)
        bar.close()
        if not item_count and not self.channel.wxr_version:
            raise NotAnExport(self._not_an_export_reason(errors))
        for line, message in errors:
            self.report.note(
                "malformed XML (the parser skipped or repaired it)", f"line {line}: {message.strip()}"
            )
        return primary_counts, item_count

    def _not_an_export_reason(self, errors):
        if Path(self.path).stat().st_size == 0:
            return "the file is empty"
        if errors:
            line, message = errors[0]
            return f"it is not readable as XML (line {line}: {message.strip()})"
        return (
            "it holds no WordPress data (no <wp:wxr_version>, no <item>); "
            "WordPress writes one at Tools → Export → All content"
        )

    def start(self, channel):
        self.channel = channel
        self.source = (channel.base_site_url or channel.base_blog_url or str(self.path))[:200]
        self.base_path = mapping.site_path(channel.base_blog_url or channel.base_site_url)
        self.term_slugs_by_id = {t.term_id: t.slug for t in channel.categories.values() if t.term_id}
        self.media = MediaLibrary(
            source=self.source, media_dir=self.media_dir, dry_run=self.dry_run, report=self.report
        )
        self.body = BodyConverter(media=self.media, report=self.report)

    def _remember_undeclared_category(self, item, slug):
        if slug not in self.channel.categories:
            name = next((name for domain, s, name in item.terms if domain == "category" and s == slug), slug)
            self.channel.categories[slug] = Term("category", "", slug, name or slug)

    # Authors, sections, tags ---------------------------------------------------------

    def prepare_authors(self):
        for login, author in self.channel.authors.items():
            name = (
                author.display_name or " ".join(filter(None, [author.first_name, author.last_name])) or login
            )
            self.authors[login] = self._author(login, name)

    def _author(self, login, name):
        term = WordPressTerm.objects.filter(source=self.source, kind="author", key=login[:200]).first()
        if term and term.author_id:
            return term.author
        name = mapping.shorten(mapping.plain(name), 120)
        author = Author.objects.create(
            name=name, slug=unique_slug(Author, name, max_length=140, fallback="author")
        )
        WordPressTerm.objects.update_or_create(
            source=self.source, kind="author", key=login[:200], defaults={"author": author}
        )
        return author

    def author_for(self, item):
        login = item.creator
        if not login:
            self.report.note("posts without an author: no byline", f"{item.post_type} {item.post_id}")
            return None
        if login not in self.authors:
            self.report.note("authors missing from the export's author list: made from the login", login)
            self.authors[login] = self._author(login, login)
        return self.authors[login]

    def prepare_sections(self, primary_counts):
        """Sections for the categories that are some post's primary one, most used first;
        the first ``navigation_sections`` new ones are shown in the navigation."""
        position = (Section.objects.aggregate(Max("position"))["position__max"] or 0) + 1
        shown = 0
        for slug, _count in primary_counts.most_common():
            term = self.channel.categories[slug]
            section, created = self._section(term)
            if created:
                section.show_in_navigation = shown < self.navigation_sections
                section.position = position
                section.save(update_fields=["show_in_navigation", "position"])
                shown += 1
                position += 1
            self.sections[slug] = section
            for path in mapping.category_addresses(term, self.channel.categories, self.base_path):
                self._legacy_path(path, section=section)

    def _section(self, term):
        """(Section, created) for a category: the one it became before, or a section with its slug
        or name, or a new one."""
        mapped = WordPressTerm.objects.filter(
            source=self.source, kind="category", key=term.slug[:200]
        ).first()
        if mapped and mapped.section_id:
            return mapped.section, False
        slug = mapping.wp_slug(term.slug, 80)
        name = mapping.shorten(mapping.plain(term.name) or slug or "Section", 80)
        section = (
            slug and slug not in RESERVED_SECTION_SLUGS and Section.objects.filter(slug=slug).first()
        ) or (Section.objects.filter(name__iexact=name).first())
        created = section is None
        if created:
            if not slug or slug in RESERVED_SECTION_SLUGS:
                self.report.note(
                    "category slugs that are reserved addresses: given a new slug, old URL redirected",
                    term.slug,
                )
                slug = unique_slug(Section, f"{slug or 'section'}-section", max_length=80)
            elif Section.objects.filter(slug=slug).exists():
                slug = unique_slug(Section, slug, max_length=80)
            section = Section.objects.create(
                name=name, slug=slug, description=mapping.plain(term.description), show_in_navigation=False
            )
        WordPressTerm.objects.update_or_create(
            source=self.source, kind="category", key=term.slug[:200], defaults={"section": section}
        )
        return section, created

    def pages_section(self):
        if "\0pages" not in self.sections:
            name, slug = PAGES_SECTION
            section = Section.objects.filter(slug=slug).first()
            if section is None:
                section = Section.objects.create(name=name, slug=unique_slug(Section, slug, max_length=80),
                                                 show_in_navigation=False)  # fmt: skip
            self.sections["\0pages"] = section
        return self.sections["\0pages"]

    def tag_for(self, kind, slug, name):
        """The Tag for a WordPress tag, or for a category that is not the post's section."""
        key = (kind, slug)
        if key not in self.tags:
            mapped = WordPressTerm.objects.filter(source=self.source, kind=kind, key=slug[:200]).first()
            tag = mapped.tag if mapped and mapped.tag_id else None
            if tag is None:
                name = mapping.shorten(mapping.plain(name) or slug, 100)
                new_slug = mapping.wp_slug(slug, 100)
                tag = Tag.objects.filter(name__iexact=name).first()
                if tag is None:
                    taken = not new_slug or Tag.objects.filter(slug=new_slug).exists()
                    tag = Tag.objects.create(name=name, slug=None if taken else new_slug)
                WordPressTerm.objects.update_or_create(
                    source=self.source, kind=kind, key=slug[:200], defaults={"tag": tag}
                )
                if kind == "post_tag" and tag.slug != new_slug:
                    for path in mapping.tag_addresses(slug, self.base_path):
                        self._legacy_path(path, tag=tag)
            term = self.channel.categories.get(slug) if kind == "category" else None
            if term is not None and slug not in self.sections:
                # A category that is no post's section lives on as this tag: its address leads here.
                for path in mapping.category_addresses(term, self.channel.categories, self.base_path):
                    self._legacy_path(path, tag=tag)
            self.tags[key] = tag
        return self.tags[key]

    # Items ------------------------------------------------------------------

    def import_item(self, item):
        post_type = item.post_type
        if item.damage:
            self.report.outcome(post_type or "(no type)", "skipped: damaged in the file")
            self.report.note(
                "items damaged in the file (malformed XML): skipped; repair the file and run again",
                f"{post_type or 'item'} {item.post_id or '(no ID)'} “{item.title[:60]}” (line {item.line}): "
                f"{item.damage[0]}"[:300],
            )
            return
        if not item.post_id.isdigit():
            self.report.outcome(post_type, "skipped: no post ID")
            self.report.note("items without a post ID (malformed)", f"line {item.line}: “{item.title[:60]}”")
            return
        if post_type == "attachment":
            self.report.outcome(post_type, "recorded")
            return
        if post_type in mapping.SITE_POST_TYPES:
            self.report.outcome(post_type, "skipped: the old site's design or settings, not content")
            return
        if post_type not in mapping.ARTICLE_POST_TYPES:
            self.report.outcome(post_type or "(no type)", "skipped: unknown post type")
            self.report.note("unknown post types skipped", f"{post_type or '(none)'} {item.post_id}")
            return
        if item.status in mapping.SKIPPED_STATUSES:
            self.report.outcome(post_type, f"skipped: {mapping.SKIPPED_STATUSES[item.status]}")
            return
        if int(item.post_id) in self.seen_ids:
            self.report.note("post IDs found twice in the export: the later item wins", item.post_id)
        self.seen_ids.add(int(item.post_id))
        try:
            with transaction.atomic():
                outcome, article = self.import_article(item)
        except Exception as error:  # one broken post must not stop the import
            outcome, article = "skipped: failed", None
            self.report.note("posts that failed to import", f"{post_type} {item.post_id}: {error!r}"[:300])
        self.report.outcome(post_type, outcome)
        if outcome in ("created", "updated"):
            self.imported_batch.append((article.pk, *self.history_entry(item, outcome)))

    def history_entry(self, item, outcome):
        """(revision comment, audit detail) of an article this import created or updated."""
        post = f"{item.post_type} {item.post_id}"
        if outcome == "created":
            return f"Imported from WordPress ({post})", f"From WordPress: {post} of {self.source}"
        return (
            f"Updated from a newer WordPress export ({post})",
            f"Updated from WordPress: {post} of {self.source}",
        )

    def import_article(self, item):
        wp_id = int(item.post_id)
        record = (
            WordPressPost.objects.filter(source=self.source, wp_id=wp_id).select_related("article").first()
        )
        if record and record.article.version != record.article_version:
            self.report.note("posts edited in Newsroom since the import: not overwritten", item.post_id)
            return "skipped: edited in Newsroom since the import", record.article
        fields, tags, author, extra = self.article_fields(item, record)
        digest = hashlib.sha256(
            json.dumps([fields, [t.pk for t in tags], author and author.pk, extra], default=str).encode()
        ).hexdigest()
        if record and record.content_digest == digest:
            return "unchanged", record.article
        article = record.article if record else Article()
        for name, value in fields.items():
            if name != "lead_image_id":
                setattr(article, name, value)
        if fields["lead_image_id"]:
            article.lead_image_id = fields["lead_image_id"]
        article.save()
        Article.objects.filter(pk=article.pk).update(
            created_at=extra["created_at"] or article.created_at,
            updated_at=extra["modified_at"] or extra["created_at"] or article.updated_at,
        )
        if record:
            article.tags.set(tags)
            Byline.objects.filter(article=article).exclude(author=author).delete()
            if author:
                Byline.objects.get_or_create(article=article, author=author, defaults={"position": 0})
        else:  # a new article: its links made at once (the tags manager looks each tag up again)
            TaggedArticle.objects.bulk_create(TaggedArticle(content_object=article, tag=tag) for tag in tags)
            if author:
                Byline.objects.create(article=article, author=author, position=0)
        for old_slug in extra["old_slugs"]:
            taken = (
                Article.objects.filter(slug=old_slug).exists()
                or ArticleSlugHistory.objects.filter(old_slug=old_slug).exists()
            )
            if not taken:
                ArticleSlugHistory.objects.create(old_slug=old_slug, article=article)
        for path in mapping.old_addresses(item, self.base_path):
            self._legacy_path(path, article=article)
        imported = {
            "post_type": item.post_type,
            "article": article,
            "wp_modified_at": extra["modified_at"],
            "content_digest": digest,
            "article_version": article.version,  # (saving does not change it)
            "original_title": extra["original_title"],
            "lead_image_reference": extra["lead_image_reference"][:1000],
        }
        if record:
            WordPressPost.objects.filter(pk=record.pk).update(**imported, imported_at=timezone.now())
        else:
            WordPressPost.objects.create(source=self.source, wp_id=wp_id, **imported)
        return ("updated" if record else "created"), article

    def article_fields(self, item, record):
        """(fields of the Article, tags, author, other facts) for an item."""
        label = f"{item.post_type} {item.post_id}"
        status, status_note = mapping.status_for(item)
        if status_note:
            self.report.note(status_note, label)
        published_at = mapping.parse_date(item.date_gmt, item.date, self.zone)
        modified_at = mapping.parse_date(item.modified_gmt, item.modified, self.zone)
        if published_at is None and status != Article.Status.DRAFT:
            self.report.note("invalid or missing dates: imported as drafts", f"{label} ({item.date_gmt!r})")
            status = Article.Status.DRAFT
        elif (
            published_at
            and (not item.date_gmt or item.date_gmt.startswith("0000"))
            and item.status != "draft"
        ):
            self.report.note(f"dates without GMT: read in {self.zone.key}", label)

        title = mapping.plain(item.title)
        if not title:
            title = "Untitled"
            self.report.note("posts without a title: titled “Untitled”", label)
        original_title = ""
        if len(title) > TITLE_LIMIT:
            original_title, title = title, mapping.shorten(title, TITLE_LIMIT)
            self.report.note(f"titles over {TITLE_LIMIT} characters: shortened (full title kept)", label)

        if item.post_type == "page":
            section = self.pages_section()
        else:
            primary = mapping.primary_category(item, self.term_slugs_by_id)
            section = self.sections.get(primary) if primary else None
            if section is None:
                section = self._fallback_section()
        tags = [
            self.tag_for("post_tag", slug, name)
            for domain, slug, name in item.terms
            if domain == "post_tag" and slug
        ]
        primary = None if item.post_type == "page" else mapping.primary_category(item, self.term_slugs_by_id)
        tags += [self.tag_for("category", slug, name) for domain, slug, name in item.terms
                 if domain == "category" and slug and slug != primary and slug != mapping.DEFAULT_CATEGORY]  # fmt: skip
        tags = list({tag.pk: tag for tag in tags}.values())

        body = self.body.convert(
            item.content, post_id=int(item.post_id), footnotes_meta=item.meta_value("footnotes")
        )
        dek = mapping.plain(item.excerpt) or body.teaser_text
        lead_image, lead_reference = None, ""
        thumbnail = wp_id(item.meta_value("_thumbnail_id"))
        if thumbnail is not None:
            lead_image, attachment = self.media.lead_image(thumbnail, fallback_alt=title)
            if attachment is None:
                self.report.note("featured images missing from the export", label)
            elif lead_image is None:
                lead_reference = attachment.url
                self.report.note("featured images not imported: reference kept", f"{label}: {attachment.url}")

        fields = {
            "title": title,
            "slug": self.slug_for(item, title, record),
            "section": section,
            "dek": dek,
            "body": body.html,
            "status": status,
            "published_at": published_at,
            "seo_title": mapping.seo_text(item.meta_value("_yoast_wpseo_title"), 110),
            "seo_description": mapping.seo_text(item.meta_value("_yoast_wpseo_metadesc"), 300),
            # The library image (made once per attachment): its id, so the digest sees a change.
            "lead_image_id": lead_image.pk if lead_image else None,
        }
        extra = {
            "created_at": published_at,
            "modified_at": modified_at,
            "original_title": original_title,
            "lead_image_reference": lead_reference,
            "old_slugs": [
                s for s in (mapping.wp_slug(v, 220) for v in item.meta.get("_wp_old_slug", [])) if s
            ],
        }
        return fields, tags, self.author_for(item), extra

    def _fallback_section(self):
        term = self.channel.categories.get(mapping.DEFAULT_CATEGORY) or Term(
            "category", "", mapping.DEFAULT_CATEGORY, "Uncategorized"
        )
        if mapping.DEFAULT_CATEGORY not in self.sections:
            self.sections[mapping.DEFAULT_CATEGORY], _ = self._section(term)
        return self.sections[mapping.DEFAULT_CATEGORY]

    def slug_for(self, item, title, record):
        """WordPress's slug where no other article has it; else one made unique (and reported)."""
        wanted = mapping.wp_slug(item.slug, 220) or mapping.wp_slug(title, 200) or f"post-{item.post_id}"
        others = Article.objects.filter(slug=wanted)
        if record:
            if record.article.slug == wanted:
                return wanted
            others = others.exclude(pk=record.article_id)
        if not others.exists():
            return wanted
        if record and record.article.slug.startswith(wanted):
            return record.article.slug  # made unique on an earlier run: keep it
        self.report.note(
            "slugs taken by another article: made unique", f"{item.post_type} {item.post_id}: {wanted}"
        )
        return unique_slug(Article, wanted, instance_pk=record and record.article_id, max_length=220)

    def _legacy_path(self, path, **target):
        if not path or path == "/":
            return
        entry, created = LegacyPath.objects.get_or_create(path=path, defaults=target)
        if not created and any(getattr(entry, f"{name}_id") != obj.pk for name, obj in target.items()):
            self.report.note("old addresses used twice: the first kept", path)


class _NoProgress:
    def update(self, n=1):
        pass

    def close(self):
        pass
