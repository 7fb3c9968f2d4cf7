import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Author, RelatedLink, Section
from images.models import Image

pytestmark = pytest.mark.django_db


def counts():
    return (Section.objects.count(), Author.objects.count(), Article.objects.count(),
            RelatedLink.objects.count(), get_user_model().objects.count(), Image.objects.count())  # fmt: skip


def test_seed_demo_builds_a_newsroom_and_is_idempotent(capsys, client):
    """Running seed_demo twice gives the same newsroom, and the password is shown once."""
    call_command("seed_demo")
    first_output = capsys.readouterr().out
    first = counts()
    call_command("seed_demo")
    second_output = capsys.readouterr().out
    assert counts() == first
    assert "Created the superuser 'admin' with the password" in first_output
    assert "password" in second_output and "Created the superuser" not in second_output

    assert Section.objects.filter(name="Cover Story").exists()
    assert Article.objects.published().count() >= 20
    assert Article.objects.published().filter(featured=True).count() == 1
    assert RelatedLink.objects.exists()
    cover = Article.objects.published().get(featured=True)
    assert cover.lead_image and cover.lead_image.alt
    # Every article has a picture of its own in the library, wide enough that renditions matter.
    images = [article.lead_image for article in Article.objects.select_related("lead_image")]
    assert all(image and image.width >= 2400 and image.alt for image in images)
    assert len({image.content_hash for image in images}) == len(images)
    assert Image.objects.count() == len(images) + 1  # and the cover story's body figure
    response = client.get("/")
    assert cover.title.replace("'", "&#x27;") in response.content.decode()
    assert client.get(cover.get_absolute_url()).status_code == 200


def test_the_demo_shows_a_rich_body(client):
    """One demo article holds a pull quote, a table, a code block and an embed, and readers see them."""
    call_command("seed_demo", "--no-superuser", stdout=io.StringIO())
    article = Article.objects.get(slug="king-tides-map-quayside")
    for element in ['<figure class="pullquote">', "<table><caption>", "<pre><code>", '<figure class="embed"']:
        assert element in article.body
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'data-provider="openstreetmap"' in page and "Load OpenStreetMap content" in page


def test_the_cover_story_holds_a_wide_figure_from_the_library(client):
    """The cover story shows a library picture inside its body, served in several sizes."""
    call_command("seed_demo", "--no-superuser", stdout=io.StringIO())
    cover = Article.objects.published().get(featured=True)
    assert '<figure class="wide" data-image="' in cover.body
    page = client.get(cover.get_absolute_url()).content.decode()
    figure = page[page.index('<figure class="figure--library wide"') :]
    figure = figure[: figure.index("</figure>")]
    assert "srcset=" in figure and 'loading="lazy"' in figure and "The old harbour wall at low tide" in figure
