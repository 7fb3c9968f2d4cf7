"""
The export's attachments and their files: the one place that knows where media comes from.

Attachments are recorded in pass one (``record``), so that galleries and featured
images can find them whatever the order of the file. With ``--media-dir`` (a copy of
``wp-content/uploads``), a file that a body or a featured image uses is copied into
Newsroom's storage once, under ``wordpress/<its path in uploads>``, and the URL is
rewritten to it; without it, or when the file is missing, the old URL stays and the
report says so. Nothing is ever downloaded. A featured image becomes an image of the
library (images.Image) with the attachment's alt text, caption and credit, once per
attachment; so does an imported file shown in a body's figure (``library_image``), and
the figure then names it (``data-image``), as a figure inserted from the library does.
"""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage

from articles.body import without_control_characters
from images.models import Image
from importers.models import WordPressAttachment
from importers.wordpress import mapping

UPLOADS_MARKER = "/wp-content/uploads/"
# A multisite's uploads live under uploads/sites/<blog id>/.
_MULTISITE = re.compile(r"^sites/\d+/")
_CREDIT = re.compile(r's:6:"credit";s:\d+:"(.*?)";')


def uploads_path(url):
    """The path of ``url`` under wp-content/uploads/ ("2013/03/photo.jpg"), or ""."""
    path = unquote(urlsplit(url).path)
    if UPLOADS_MARKER not in path:
        return ""
    return path.split(UPLOADS_MARKER, 1)[1].lstrip("/")


class MediaLibrary:
    # How many URLs of files to remember at once (memory stays flat on a large archive).
    REMEMBERED_URLS = 10_000

    def __init__(self, *, source, media_dir, dry_run, report):
        self.source = source
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.dry_run = dry_run
        self.report = report
        # URL -> URL in storage (or None: not found), and back to the storage name. Bounded:
        # only URLs that bodies use.
        self._resolved = {}
        self._stored = {}

    def record(self, item):
        """Keep an attachment item's file reference and descriptions (pass one)."""
        metadata = item.meta_value("_wp_attachment_metadata")
        credit = _CREDIT.search(metadata)
        url = item.attachment_url or item.guid
        WordPressAttachment.objects.update_or_create(
            source=self.source,
            wp_id=int(item.post_id),
            defaults={
                "parent_wp_id": int(item.parent) if item.parent.isdigit() and item.parent != "0" else None,
                "menu_order": int(item.menu_order) if item.menu_order.lstrip("-").isdigit() else 0,
                "url": url[:1000],
                "relative_path": (item.meta_value("_wp_attached_file") or uploads_path(url))[:500],
                "title": without_control_characters(item.title or ""),
                "alt": without_control_characters(item.meta_value("_wp_attachment_image_alt")),
                "caption": without_control_characters(item.excerpt or ""),
                "credit": without_control_characters(credit.group(1) if credit else ""),
            },
        )

    def attachments(self, *, ids=None, parent=None):
        """Attachments by WordPress ID (in that order), or those of post ``parent`` (in menu order)."""
        found = WordPressAttachment.objects.filter(source=self.source)
        if ids is not None:
            by_id = {a.wp_id: a for a in found.filter(wp_id__in=ids)}
            return [by_id[i] for i in ids if i in by_id]
        return list(found.filter(parent_wp_id=parent).order_by("menu_order", "wp_id"))

    def attachment(self, wp_id):
        return WordPressAttachment.objects.filter(source=self.source, wp_id=wp_id).first()

    def local_url(self, url):
        """The URL of ``url``'s file in Newsroom's storage, or None (kept as it is, and reported)."""
        relative = uploads_path(url)
        if not relative:
            return None
        if url in self._resolved:
            return self._resolved[url]
        if len(self._resolved) >= self.REMEMBERED_URLS:
            # Forget them all: an archive's posts mostly use their own files, rarely older ones.
            self._resolved.clear()
            self._stored.clear()
        name = self.store(relative)
        resolved = self._resolved[url] = default_storage.url(name) if name else None
        if name:
            self._stored[resolved] = name
        return resolved

    def stored_name(self, local_url):
        """The storage name of a file this import stored, from the URL ``local_url`` gave, or None."""
        return self._stored.get(local_url)

    def store(self, relative):
        """Copy uploads/``relative`` into storage (once); its storage name, or None if not found."""
        source_file = self.find(relative)
        if source_file is None:
            if self.media_dir:
                self.report.note("uses of media files not found in --media-dir (old URL kept)", relative)
            else:
                self.report.note("uses of media files kept at their old URL (no --media-dir)", relative)
            return None
        name = f"wordpress/{relative}"
        if not self.dry_run and not default_storage.exists(name):
            with source_file.open("rb") as handle:
                name = default_storage.save(name, File(handle))
        return name

    def find(self, relative):
        if self.media_dir is None:
            return None
        for candidate in (relative, _MULTISITE.sub("", relative)):
            path = (self.media_dir / candidate).resolve()
            # A crafted URL ("../../etc/passwd") must not reach outside the uploads folder.
            if path.is_relative_to(self.media_dir) and path.is_file():
                return path
        return None

    def lead_image(self, wp_id, *, fallback_alt):
        """(library image or None, attachment or None) for a featured image's attachment ID.

        The file is copied into storage and given a library image once; a file that is not
        a usable image (damaged, SVG, too large in pixels) is reported and left out.
        """
        attachment = self.attachment(wp_id)
        if attachment is None:
            return None, None
        name = attachment.stored_name
        if not name:
            name = self.store(attachment.relative_path) if attachment.relative_path else None
            if name and not self.dry_run:
                attachment.stored_name = name
                attachment.save(update_fields=["stored_name"])
        if not name or self.dry_run:
            return None, attachment
        alt = mapping.plain(attachment.alt) or mapping.plain(attachment.title) or fallback_alt
        image = self.library_image(
            name,
            alt=alt,
            caption=mapping.plain(attachment.caption),
            credit=mapping.plain(attachment.credit),
            kind="featured images",
        )
        return image, attachment

    def body_image(self, name, *, alt, caption):
        """The library image of a stored file a body shows. The export's attachment for the
        file, when there is one, describes it (as the featured image); else the figure does."""
        relative = name.removeprefix("wordpress/")
        attachment = WordPressAttachment.objects.filter(source=self.source, relative_path=relative).first()
        if attachment is not None:
            alt = mapping.plain(attachment.alt) or alt or mapping.plain(attachment.title)
            caption = mapping.plain(attachment.caption) or caption
        credit = mapping.plain(attachment.credit) if attachment is not None else ""
        if not alt:
            self.report.note("body images without alt text or caption (kept out of the library)", name)
            return None
        return self.library_image(name, alt=alt, caption=caption, credit=credit, kind="body images")

    def library_image(self, name, *, alt, caption="", credit="", kind="images"):
        """The library image of the stored file ``name``, made once; None (reported under
        ``kind``) if the file is not a usable image (damaged, SVG, too many pixels)."""
        image = Image.objects.filter(file=name).first()
        if image is None:
            image = Image(
                file=name,
                alt=mapping.shorten(alt, 250),
                caption=mapping.shorten(caption, 300),
                credit=mapping.shorten(credit, 120),
            )
            try:
                image.read_file_facts()
            except ValidationError as error:
                self.report.note(f"{kind} that are not usable images", f"{name}: {error.messages[0]}")
                return None
            image.save()
        return image
