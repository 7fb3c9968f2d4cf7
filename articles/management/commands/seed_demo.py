"""Load the demo newsroom. Safe to run again: what exists is left as it is."""

import io
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from articles import demo_content
from articles.models import Article, Author, Byline, RelatedLink, Section

SECTION_COLOURS = {
    "cover-story": ((20, 48, 82), (64, 132, 168)),
    "city": ((70, 70, 78), (168, 150, 120)),
    "politics": ((96, 20, 26), (200, 96, 70)),
    "business": ((16, 72, 60), (110, 170, 120)),
    "science": ((12, 60, 96), (90, 190, 200)),
    "culture": ((70, 30, 90), (220, 150, 90)),
    "sport": ((20, 80, 30), (200, 200, 80)),
}


class Command(BaseCommand):
    help = "Create the demo newsroom: sections, authors, tags, articles and a local superuser."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-superuser", action="store_true", help="Do not create the local 'admin' account."
        )
        parser.add_argument("--no-images", action="store_true", help="Skip generating lead images (faster).")

    def handle(self, *args, no_superuser=False, no_images=False, **options):
        with transaction.atomic():
            sections = self.seed_sections()
            authors = self.seed_authors()
            created = self.seed_articles(sections, authors, with_images=not no_images)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom ready: {len(sections)} sections, {len(authors)} authors, "
                f"{created} new articles ({Article.objects.count()} in all)."
            )
        )
        if not no_superuser:
            self.seed_superuser()

    def seed_sections(self):
        sections = {}
        for position, (name, slug, description, in_nav) in enumerate(demo_content.SECTIONS):
            sections[slug], _ = Section.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "description": description,
                    "position": position,
                    "show_in_navigation": in_nav,
                },
            )
        return sections

    def seed_authors(self):
        authors = {}
        for name, slug, bio in demo_content.AUTHORS:
            authors[slug], _ = Author.objects.get_or_create(slug=slug, defaults={"name": name, "bio": bio})
        return authors

    def seed_articles(self, sections, authors, *, with_images):
        now = timezone.now()
        created = 0
        for data in demo_content.ARTICLES:
            if Article.objects.filter(slug=data["slug"]).exists():
                continue
            hours_ago = data["hours_ago"]
            article = Article(
                slug=data["slug"],
                section=sections[data["section"]],
                kicker=data.get("kicker", ""),
                title=data["title"],
                dek=data["dek"],
                body=render_body(data["body"]),
                status=data.get("status", Article.Status.PUBLISHED),
                published_at=None if hours_ago is None else now - timedelta(hours=hours_ago),
                featured=data.get("featured", False),
            )
            if with_images:
                article.lead_image.save(
                    f"{data['slug']}.jpg", lead_image_for(data["section"], data["slug"]), save=False
                )
                article.lead_image_alt = f"Illustration for the article “{data['title']}”"
                article.lead_image_caption = "An illustration made for the demo newsroom."
                article.lead_image_credit = "Illustration: Newsroom demo"
            article.save()
            # Demo articles have not been edited since they went out: no "Updated" line.
            Article.objects.filter(pk=article.pk).update(
                created_at=article.published_at or now, updated_at=article.published_at or now
            )
            article.tags.set(data["tags"])
            for position, author_slug in enumerate(data["authors"]):
                Byline.objects.create(article=article, author=authors[author_slug], position=position)
            created += 1

        for data in demo_content.ARTICLES:
            article = Article.objects.get(slug=data["slug"])
            for position, related_slug in enumerate(data.get("related", [])):
                RelatedLink.objects.get_or_create(
                    from_article=article,
                    to_article=Article.objects.get(slug=related_slug),
                    defaults={"position": position},
                )
        return created

    def seed_superuser(self):
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            self.stdout.write(
                "The superuser 'admin' exists already; its password is unchanged "
                "(python manage.py changepassword admin sets a new one)."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@example.com", password)
        self.stdout.write(
            self.style.WARNING(
                f"Created the superuser 'admin' with the password: {password}\n"
                "It is shown only this once. Log in at http://127.0.0.1:8000/admin/"
            )
        )


def render_body(blocks):
    """Demo body blocks (plain strings, ("h2", text), ("quote", text)) as HTML."""
    html = []
    for block in blocks:
        if isinstance(block, tuple):
            kind, text = block
            if kind == "quote":
                html.append(f"<blockquote><p>{escape(text)}</p></blockquote>")
            else:
                html.append(f"<{kind}>{escape(text)}</{kind}>")
        else:
            html.append(f"<p>{escape(block)}</p>")
    return "\n".join(html)


def lead_image_for(section_slug, seed_text):
    """A generated 16:9 illustration: a sky gradient with waves, coloured by section."""
    from PIL import Image, ImageDraw

    width, height = 1200, 675
    top, bottom = SECTION_COLOURS.get(section_slug, ((40, 40, 40), (160, 160, 160)))
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    rng = sum(map(ord, seed_text))
    for i in range(6):
        y = int(height * (0.45 + i * 0.09))
        amplitude = 12 + (rng + i * 7) % 22
        shade = tuple(max(0, c - 18 * (i + 1)) for c in bottom)
        points = [(x, y + amplitude * ((x // 60 + i + rng) % 2 * 2 - 1)) for x in range(0, width + 60, 60)]
        draw.line(points, fill=shade, width=10 + i * 3, joint="curve")
    sun_x = 150 + rng % (width - 300)
    draw.ellipse([sun_x, 90, sun_x + 140, 230], fill=(250, 236, 200))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue())
