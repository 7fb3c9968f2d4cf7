import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline, RelatedLink, Section
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


def article_form_data(**overrides):
    """The POST an editor's browser sends from the article add/change form."""
    data = {
        "title": "Harbour council votes on levy",
        "slug": "",
        "section": "",
        "kicker": "",
        "dek": "A standfirst.",
        "body": "<p>Hello <strong>readers</strong></p><script>alert(1)</script>",
        "tags": "Seawall, Budget",
        "status": Article.Status.PUBLISHED,
        "published_at_0": "",
        "published_at_1": "",
        "lead_image": "",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "1000",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_editor_adds_an_article_with_byline_tags_and_related_pick(admin_client_logged_in):
    """An article written in the admin is saved sanitized, with its authors, tags and picks."""
    section = SectionFactory(name="City", slug="city")
    author = AuthorFactory(name="Maria Lopez")
    other = ArticleFactory(title="Earlier story")
    data = article_form_data(
        section=section.pk,
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-author": author.pk,
            "bylines-0-position": "0",
            "related_links-TOTAL_FORMS": "1",
            "related_links-0-to_article": other.pk,
            "related_links-0-position": "0",
        },
    )
    response = admin_client_logged_in.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    article = Article.objects.get(title="Harbour council votes on levy")
    assert article.slug == "harbour-council-votes-on-levy"
    assert "<script" not in article.body and "<strong>readers</strong>" in article.body
    assert sorted(t.name for t in article.tags.all()) == ["Budget", "Seawall"]
    assert list(Byline.objects.filter(article=article).values_list("author__name", flat=True)) == [
        "Maria Lopez"
    ]
    assert list(RelatedLink.objects.filter(from_article=article).values_list("to_article", flat=True)) == [
        other.pk
    ]
    assert article.published_at is not None


def test_editor_changes_an_article(admin_client_logged_in):
    article = ArticleFactory(title="Old headline")
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert admin_client_logged_in.get(url).status_code == 200
    data = article_form_data(
        title="New headline", slug=article.slug, section=article.section.pk, loaded_version=article.version,
        published_at_0=timezone.localtime(article.published_at).strftime("%Y-%m-%d"),
        published_at_1=timezone.localtime(article.published_at).strftime("%H:%M:%S"),
    )  # fmt: skip
    response = admin_client_logged_in.post(url, data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "New headline"


def test_missing_section_is_a_form_error_and_keeps_the_body(admin_client_logged_in):
    """A validation error never throws the typed body away."""
    data = article_form_data(body="<p>Three hours of careful writing</p>")
    response = admin_client_logged_in.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "section" in response.context["adminform"].form.errors
    assert "Three hours of careful writing" in response.content.decode()


def test_relating_an_article_to_itself_is_a_form_error(admin_client_logged_in):
    article = ArticleFactory()
    data = article_form_data(
        title=article.title, slug=article.slug, section=article.section.pk,
        **{"related_links-TOTAL_FORMS": "1", "related_links-0-to_article": article.pk,
           "related_links-0-position": "0"},
    )  # fmt: skip
    response = admin_client_logged_in.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200
    assert "cannot be related to itself" in response.content.decode()


def test_deleting_a_section_with_articles_is_refused_in_the_admin(admin_client_logged_in):
    """The admin explains the refusal instead of cascading."""
    article = ArticleFactory()
    url = reverse("admin:articles_section_delete", args=[article.section.pk])
    response = admin_client_logged_in.post(url, {"post": "yes"})
    assert Section.objects.filter(pk=article.section.pk).exists()
    assert response.status_code == 200
    assert "protected related objects" in response.content.decode()


@pytest.mark.parametrize("name", ["articles_article", "articles_section", "articles_author"])
def test_admin_lists_and_add_forms_open(admin_client_logged_in, name):
    ArticleFactory(authors=[AuthorFactory()])
    assert admin_client_logged_in.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert admin_client_logged_in.get(reverse(f"admin:{name}_add")).status_code == 200


def test_article_list_search_and_filters(admin_client_logged_in):
    ArticleFactory(title="Seawall repairs begin")
    ArticleFactory(title="Jazz festival", draft=True)
    url = reverse("admin:articles_article_changelist")
    response = admin_client_logged_in.get(url, {"q": "seawall"})
    assert "Seawall repairs begin" in response.content.decode()
    assert "Jazz festival" not in response.content.decode()
    response = admin_client_logged_in.get(url, {"status__exact": "draft"})
    assert "Jazz festival" in response.content.decode()


def test_autocomplete_for_related_articles(admin_client_logged_in):
    ArticleFactory(title="Seawall repairs begin")
    response = admin_client_logged_in.get(
        reverse("admin:autocomplete"),
        {"term": "seawall", "app_label": "articles", "model_name": "relatedlink", "field_name": "to_article"},
    )
    assert response.status_code == 200
    assert "Seawall repairs begin" in response.content.decode()


def test_article_list_tells_scheduled_from_published(admin_client_logged_in):
    """An editor sees at a glance which published articles are still waiting for their time."""
    ArticleFactory(title="Embargoed budget", scheduled=True)
    ArticleFactory(title="Out already")
    response = admin_client_logged_in.get(reverse("admin:articles_article_changelist"))
    content = response.content.decode()
    assert content.count('<td class="field-state">Scheduled</td>') == 1
    assert content.count('<td class="field-state">Published</td>') == 1


def test_overlong_tag_is_a_form_error_not_a_crash(admin_client_logged_in):
    """A 150-character tag gets a message on every database (PostgreSQL would refuse it)."""
    section = SectionFactory()
    data = article_form_data(section=section.pk, tags="Fine tag, " + "x" * 150)
    response = admin_client_logged_in.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()
    assert not Article.objects.filter(title=data["title"]).exists()
