from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Author, Byline, RelatedLink, Section
from images.models import Image


def image_bytes(size=(64, 36), image_format="PNG", colour=(30, 90, 160), mode="RGB", **save_options):
    """A real picture's bytes, made by Pillow."""
    import io

    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new(mode, size, colour).save(buffer, format=image_format, **save_options)
    return buffer.getvalue()


class ImageFactory(factory.django.DjangoModelFactory):
    """A library image: a small real PNG with alt text, caption and credit."""

    class Meta:
        model = Image

    file = factory.LazyAttribute(lambda o: image_file("library.png", size=o.size))
    alt = factory.Sequence(lambda n: f"A harbour wall, picture {n}")
    caption = "High water at noon."
    credit = "Photo: Jane Doe"

    class Params:
        size = (64, 36)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.Sequence(lambda n: f"author-{n}")
    bio = "Writes about things."


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article, an hour old, unless told otherwise."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Headline number {n}")
    section = factory.SubFactory(SectionFactory)
    dek = "What the story is about, in a sentence."
    body = "<p>The first paragraph of the story.</p>"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, published_at=None)
        scheduled = factory.Trait(
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
        )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            for position, author in enumerate(extracted):
                Byline.objects.create(article=self, author=author, position=position)

    @factory.post_generation
    def related(self, create, extracted, **kwargs):
        if create and extracted:
            for position, other in enumerate(extracted):
                RelatedLink.objects.create(from_article=self, to_article=other, position=position)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")


def image_file(name="lead.png", size=(64, 36)):
    """A small real PNG, as an editor would upload it."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
