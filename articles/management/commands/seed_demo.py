"""Load the demo newsroom. Safe to run again: what exists is left as it is."""

import functools
import hashlib
import io
import random
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from articles.management import demo_content
from articles.models import Article, Author, Byline, RelatedLink, Section
from images.chooser import figure_source
from images.models import Image

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
                body=render_body(data["body"], figure=self.library_figure if with_images else None),
                status=data.get("status", Article.Status.PUBLISHED),
                published_at=None if hours_ago is None else now - timedelta(hours=hours_ago),
                featured=data.get("featured", False),
            )
            if with_images:
                article.lead_image = self.library_image(data)
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

    def library_image(self, data):
        """The article's own picture in the image library (found again by its file's hash)."""
        return self.generated_picture(
            data["section"],
            data["slug"],
            alt=f"A generated scene for the demo article “{data['title']}”: a horizon in soft evening light",
            caption="A picture made by the demo newsroom.",
            credit="Image: Newsroom demo",
        )

    def generated_picture(self, section_slug, seed, **description):
        content = lead_image_for(section_slug, seed)
        existing = Image.objects.filter(content_hash=hashlib.sha256(content).hexdigest()).first()
        if existing:
            return existing
        image = Image(**description)
        image.file.save(f"{seed}.jpg", ContentFile(content), save=False)
        image.save()
        return image

    def library_figure(self, spec):
        """A body figure from the image library, as the editor's library button writes it."""
        image = self.generated_picture(
            "city", spec["seed"], alt=spec["alt"], caption=spec["caption"], credit=spec["credit"]
        )
        src, width, height = figure_source(image)
        return format_html(
            '<figure{} data-image="{}"><img src="{}" alt="{}" width="{}" height="{}">'
            '<figcaption>{} <span class="credit">{}</span></figcaption></figure>',
            mark_safe(' class="wide"') if spec.get("wide") else "",
            image.pk,
            src,
            image.alt,
            width,
            height,
            image.caption,
            image.credit,
        )

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


def render_body(blocks, figure=None):
    """Demo body blocks (plain strings, ("h2", text), ("quote", text), ("html", markup),
    ("library_figure", spec)) as HTML; ``figure(spec)`` writes a library figure (none without it)."""
    html = []
    for block in blocks:
        if isinstance(block, tuple):
            kind, text = block
            if kind == "library_figure":
                if figure is not None:
                    html.append(figure(text))
            elif kind == "quote":
                html.append(f"<blockquote><p>{escape(text)}</p></blockquote>")
            elif kind == "html":  # markup of the body vocabulary, sanitized on save as any body
                html.append(text)
            else:
                html.append(f"<{kind}>{escape(text)}</{kind}>")
        else:
            html.append(f"<p>{escape(block)}</p>")
    return "\n".join(html)


@functools.cache
def lead_image_for(section_slug, seed_text):
    """A generated photograph-like picture, 2400 x 1600: soft light, a horizon, blurred lights and
    film grain, coloured by section and laid out by ``seed_text`` (the same text, the same picture).

    Wide enough that renditions matter; cached per process, since tests seed many databases.
    """
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    rng = random.Random(seed_text)
    top, bottom = SECTION_COLOURS.get(section_slug, ((40, 40, 40), (160, 160, 160)))

    def jitter(colour, amount=28):
        return tuple(max(0, min(255, c + rng.randint(-amount, amount))) for c in colour)

    # Light: a few coloured patches on a tiny canvas, blown up smooth (as an out-of-focus scene).
    light = Image.new("RGB", (6, 4))
    for x in range(6):
        for y in range(4):
            base = tuple(a + (b - a) * y // 3 for a, b in zip(top, bottom, strict=True))
            light.putpixel((x, y), jitter(base, 14))
    work = (1200, 800)
    scene = light.resize(work, Image.Resampling.BICUBIC)
    # A low sun or lamp, glowing, then the horizon: hills or a skyline in the section's dark colour.
    sun_x, sun_y = rng.randint(150, 1050), rng.randint(120, 380)
    glow = Image.new("RGBA", work, (0, 0, 0, 0))
    ImageDraw.Draw(glow).ellipse(
        [sun_x - 160, sun_y - 160, sun_x + 160, sun_y + 160], fill=(255, 220, 170, 150)
    )
    scene = Image.alpha_composite(scene.convert("RGBA"), glow.filter(ImageFilter.GaussianBlur(90)))
    draw = ImageDraw.Draw(scene, "RGBA")
    draw.ellipse([sun_x - 45, sun_y - 45, sun_x + 45, sun_y + 45], fill=(255, 240, 215, 235))
    dark = tuple(c // 3 for c in top)
    horizon = rng.randint(430, 560)
    if rng.random() < 0.5:
        points = [(0, 800), (0, horizon)]
        for x in range(0, 1300, 100):
            points.append((x, horizon + rng.randint(-70, 40)))
        points.append((1200, 800))
        draw.polygon(points, fill=dark + (255,))
    else:
        x = 0
        while x < 1200:
            width, height = rng.randint(40, 130), rng.randint(60, 320)
            draw.rectangle([x, horizon - height, x + width, 800], fill=jitter(dark, 10) + (255,))
            for _ in range(rng.randint(0, 8)):  # lit windows
                wx, wy = rng.randint(x + 4, x + width - 10), rng.randint(horizon - height + 8, 780)
                draw.rectangle([wx, wy, wx + 6, wy + 9], fill=(255, 214, 150, 200))
            x += width + rng.randint(0, 12)
    # Water or a street in front, catching the light.
    for y in range(650, 800, 4):  # darker towards the viewer
        draw.rectangle([0, y, 1200, y + 4], fill=jitter(bottom, 6) + (60 + (y - 650) // 2,))
    scene = scene.filter(ImageFilter.GaussianBlur(2))
    # Lights out of focus in front of everything.
    bokeh = Image.new("RGBA", work, (0, 0, 0, 0))
    bokeh_draw = ImageDraw.Draw(bokeh)
    for _ in range(rng.randint(8, 18)):
        x, y, r = rng.randint(0, 1200), rng.randint(300, 800), rng.randint(12, 60)
        bokeh_draw.ellipse([x - r, y - r, x + r, y + r], fill=(255, 230, 190, rng.randint(40, 110)))
    scene = Image.alpha_composite(scene, bokeh.filter(ImageFilter.GaussianBlur(6))).convert("RGB")
    picture = scene.resize((2400, 1600), Image.Resampling.BICUBIC)
    # Film grain from the seeded generator (Pillow's own noise is not seedable), then a vignette.
    grain = Image.frombytes("L", (800, 534), rng.randbytes(800 * 534)).resize((2400, 1600))
    picture = Image.blend(picture, Image.merge("RGB", (grain, grain, grain)), 0.07)
    vignette = Image.radial_gradient("L").resize((2400, 1600)).point(lambda v: 255 - v // 3)
    picture = ImageChops.multiply(picture, Image.merge("RGB", (vignette, vignette, vignette)))
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=84, optimize=True, progressive=True)
    return buffer.getvalue()
