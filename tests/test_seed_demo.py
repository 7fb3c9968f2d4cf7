import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Author, RelatedLink, Section

pytestmark = pytest.mark.django_db


def counts():
    return (Section.objects.count(), Author.objects.count(), Article.objects.count(),
            RelatedLink.objects.count(), get_user_model().objects.count())  # fmt: skip


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
    assert cover.lead_image and cover.lead_image_alt
    response = client.get("/")
    assert cover.title.replace("'", "&#x27;") in response.content.decode()
    assert client.get(cover.get_absolute_url()).status_code == 200
