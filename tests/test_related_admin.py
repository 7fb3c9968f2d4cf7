import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import RelatedLink
from tests.factories import ArticleFactory, SectionFactory, UserFactory
from tests.test_admin import article_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    world = SectionFactory(name="World", slug="world")
    story = ArticleFactory(title="Talks in Vienna", section=world, tags=["NATO", "Kremlin", "Ukraine"])
    match = ArticleFactory(title="Summit ends", section=world, tags=["NATO", "Kremlin", "Ukraine", "Vienna"])
    return {"story": story, "match": match}


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def pin_url(article, other):
    return reverse("admin:articles_article_pin", args=[article.pk, other.pk])


def test_change_form_lists_suggestions_with_their_reasons(admin_client_logged_in, desk):
    """Editing an article shows its current suggestions and why each was chosen."""
    response = admin_client_logged_in.get(change_url(desk["story"]))
    page = response.content.decode()
    assert "Suggested related articles" in page
    assert "Summit ends" in page
    assert "3 shared tags: Kremlin, NATO, Ukraine; same section" in page
    assert f'action="{pin_url(desk["story"], desk["match"])}"' in page


def test_pinning_a_suggestion_makes_it_a_pick(admin_client_logged_in, desk):
    """ "Pin as pick" adds the suggestion after the editor's picks and says so."""
    story, match = desk["story"], desk["match"]
    response = admin_client_logged_in.post(pin_url(story, match), follow=True)
    assert RelatedLink.objects.filter(from_article=story, to_article=match).exists()
    assert not RelatedLink.objects.filter(from_article=match, to_article=story).exists()
    assert "is now a pick of this article" in response.content.decode()


def test_pinning_both_ways_links_back(admin_client_logged_in, desk):
    """ "Pin both ways" relates the two articles to each other in one click."""
    story, match = desk["story"], desk["match"]
    admin_client_logged_in.post(pin_url(story, match), {"both_ways": "1"})
    assert RelatedLink.objects.filter(from_article=story, to_article=match).exists()
    assert RelatedLink.objects.filter(from_article=match, to_article=story).exists()


def test_pinning_needs_a_post(admin_client_logged_in, desk):
    """A GET on the pin address changes nothing and leads back to the form."""
    response = admin_client_logged_in.get(pin_url(desk["story"], desk["match"]))
    assert response.status_code == 302
    assert not RelatedLink.objects.exists()


def test_pinning_an_article_to_itself_is_refused_with_a_message(admin_client_logged_in, desk):
    """Pinning an article as its own related article is refused, with a message, not a 500."""
    story = desk["story"]
    response = admin_client_logged_in.post(pin_url(story, story), follow=True)
    assert response.status_code == 200
    assert "cannot be related to itself" in response.content.decode()
    assert not RelatedLink.objects.exists()


def test_pinning_a_missing_article_is_404(admin_client_logged_in, desk):
    response = admin_client_logged_in.post(
        reverse("admin:articles_article_pin", args=[desk["story"].pk, 999999])
    )
    assert response.status_code == 404


def test_pinning_needs_staff(client, desk):
    """Readers cannot pin: the admin sends them to log in."""
    client.force_login(UserFactory())
    response = client.post(pin_url(desk["story"], desk["match"]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not RelatedLink.objects.exists()


def test_link_back_checkbox_on_the_picks_inline(admin_client_logged_in, desk):
    """Ticking "Link back too" on a pick relates both articles when the form is saved."""
    story, match = desk["story"], desk["match"]
    data = article_form_data(
        title=story.title, slug=story.slug, section=story.section.pk, loaded_version=story.version,
        tags="NATO, Kremlin, Ukraine",
        published_at_0=timezone.localtime(story.published_at).strftime("%Y-%m-%d"),
        published_at_1=timezone.localtime(story.published_at).strftime("%H:%M:%S"),
        **{"related_links-TOTAL_FORMS": "1", "related_links-0-to_article": match.pk,
           "related_links-0-position": "0", "related_links-0-both_ways": "on"},
    )  # fmt: skip
    response = admin_client_logged_in.post(change_url(story), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert RelatedLink.objects.filter(from_article=story, to_article=match).exists()
    assert RelatedLink.objects.filter(from_article=match, to_article=story).exists()


def test_suggestions_switch_is_on_the_form(admin_client_logged_in, desk):
    """Editors can turn suggestions off for one article from its form."""
    response = admin_client_logged_in.get(change_url(desk["story"]))
    assert 'name="suggest_related"' in response.content.decode()
