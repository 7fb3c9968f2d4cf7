import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from taggit.models import Tag

from articles.lasting_urls.changes import merge_sections
from articles.models import Article, Section
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def assert_redirects_once(client, old_url, new_url):
    """``old_url`` answers 301 straight to ``new_url``, which answers 200."""
    response = client.get(old_url)
    assert response.status_code == 301, old_url
    assert response["Location"] == new_url
    assert client.get(new_url).status_code == 200


def rename(obj, slug):
    obj.slug = slug
    obj.save()
    return obj


class TestArticleRenames:
    def test_every_old_url_redirects_in_one_hop(self, client):
        """However many times the slug changes, each old URL goes straight to the current one."""
        city = SectionFactory(slug="city")
        article = ArticleFactory(title="Flood", slug="flood", section=city)
        for slug in ("flood-budget", "flood-budget-approved", "council-approves-flood-budget"):
            rename(article, slug)
        current = article.get_absolute_url()
        for old in ("flood", "flood-budget", "flood-budget-approved"):
            assert_redirects_once(client, f"/city/{old}/", current)

    def test_section_and_slug_change_together(self, client):
        article = ArticleFactory(slug="tide", section=SectionFactory(slug="city"))
        article.section = SectionFactory(slug="climate")
        article.slug = "king-tide"
        article.save()
        assert_redirects_once(client, "/city/tide/", "/climate/king-tide/")

    def test_a_new_article_taking_an_old_slug_wins(self, client, django_capture_on_commit_callbacks):
        """The history only answers for slugs no current article uses."""
        city = SectionFactory(slug="city")
        original = rename(ArticleFactory(title="Original", slug="budget", section=city), "budget-2025")
        rename(original, "budget-2025-final")
        newcomer = ArticleFactory(title="Newcomer", slug="budget", section=city)
        response = client.get(newcomer.get_absolute_url())
        assert response.status_code == 200
        assert response.context["article"] == newcomer
        assert_redirects_once(client, "/city/budget-2025/", "/city/budget-2025-final/")
        with django_capture_on_commit_callbacks(execute=True):  # the cached page goes stale
            rename(newcomer, "budget-2026")
        assert_redirects_once(client, "/city/budget/", "/city/budget-2026/")

    def test_old_url_of_an_unpublished_article_is_not_found(self, client):
        """A renamed draft stays invisible under its old address too."""
        draft = rename(ArticleFactory(slug="secret", draft=True), "still-secret")
        assert client.get(f"/{draft.section.slug}/secret/").status_code == 404

    def test_taking_back_an_old_slug_works(self, client):
        city = SectionFactory(slug="city")
        article = rename(ArticleFactory(slug="one", section=city), "two")
        rename(article, "one")
        assert client.get("/city/one/").status_code == 200
        assert_redirects_once(client, "/city/two/", "/city/one/")


class TestSectionRenames:
    def test_renamed_section_redirects_its_page_and_articles(self, client):
        section = SectionFactory(name="Local", slug="local")
        article = ArticleFactory(slug="fair", section=section)
        rename(section, "city")
        rename(section, "metro")
        assert_redirects_once(client, "/local/", "/metro/")
        assert_redirects_once(client, "/city/", "/metro/")
        assert_redirects_once(client, "/local/fair/", article.get_absolute_url())

    def test_a_new_section_taking_an_old_slug_wins(self, client):
        rename(SectionFactory(name="Local", slug="local"), "metro")
        SectionFactory(name="Local again", slug="local")
        assert client.get("/local/").status_code == 200

    def test_merge_moves_articles_and_keeps_old_pages(self, client):
        """Merged sections' pages and articles redirect to the section kept."""
        sport, games = SectionFactory(name="Sport", slug="sport"), SectionFactory(name="Games", slug="games")
        rename(games, "matches")
        article = ArticleFactory(slug="final", section=games)
        merge_sections([games], into=sport)
        assert not Section.objects.filter(pk=games.pk).exists()
        assert Article.objects.get(pk=article.pk).section == sport
        assert_redirects_once(client, "/matches/", "/sport/")
        assert_redirects_once(client, "/games/", "/sport/")
        assert_redirects_once(client, "/matches/final/", "/sport/final/")

    def test_admin_merge_action(self, admin_client_logged_in):
        sport, games = SectionFactory(name="Sport", slug="sport"), SectionFactory(name="Games", slug="games")
        ArticleFactory(section=games)
        response = admin_client_logged_in.post(
            reverse("admin:articles_section_changelist"),
            {"action": "merge_sections", ACTION_CHECKBOX_NAME: [games.pk], "merge_into": sport.pk},
            follow=True,
        )
        assert "Merged 1 section(s) into “Sport”" in response.content.decode()
        assert sport.articles.count() == 1
        assert admin_client_logged_in.get("/games/").status_code == 301

    def test_admin_merge_without_a_target_explains(self, admin_client_logged_in):
        games = SectionFactory(name="Games", slug="games")
        response = admin_client_logged_in.post(
            reverse("admin:articles_section_changelist"),
            {"action": "merge_sections", ACTION_CHECKBOX_NAME: [games.pk], "merge_into": ""},
            follow=True,
        )
        assert "Choose the section to keep" in response.content.decode()
        assert Section.objects.filter(pk=games.pk).exists()

    def test_feed_of_a_renamed_section_redirects(self, client):
        section = SectionFactory(slug="local")
        ArticleFactory(section=section)
        rename(section, "metro")
        response = client.get(reverse("articles:section-feed-rss", kwargs={"slug": "local"}))
        assert response.status_code == 301
        assert response["Location"] == reverse("articles:section-feed-rss", kwargs={"slug": "metro"})


class TestTagRenames:
    def test_renamed_tag_redirects(self, client):
        ArticleFactory(tags=["Sea wall"])
        tag = Tag.objects.get(name="Sea wall")
        rename(tag, "seawall")
        assert_redirects_once(client, "/tag/sea-wall/", "/tag/seawall/")
        feed = client.get(reverse("articles:tag-feed-atom", kwargs={"slug": "sea-wall"}))
        assert feed["Location"] == reverse("articles:tag-feed-atom", kwargs={"slug": "seawall"})

    def test_admin_merge_moves_articles_without_duplicates(self, admin_client_logged_in):
        """Merged tags' articles carry the kept tag once; the old tag pages redirect to it."""
        both = ArticleFactory(tags=["Seawall", "Sea wall"])
        only_old = ArticleFactory(tags=["Sea wall"])
        old = Tag.objects.get(name="Sea wall")
        response = admin_client_logged_in.post(
            reverse("admin:taggit_tag_changelist"),
            {"action": "merge_tags", ACTION_CHECKBOX_NAME: [old.pk], "merge_into": "seawall"},
            follow=True,
        )
        assert "Merged 1 tag(s) into “Seawall”" in response.content.decode()
        assert [t.name for t in both.tags.all()] == ["Seawall"]
        assert [t.name for t in only_old.tags.all()] == ["Seawall"]
        assert not Tag.objects.filter(name="Sea wall").exists()
        assert_redirects_once(admin_client_logged_in, "/tag/sea-wall/", "/tag/seawall/")

    def test_admin_merge_into_an_unknown_tag_explains(self, admin_client_logged_in):
        ArticleFactory(tags=["Sea wall"])
        old = Tag.objects.get(name="Sea wall")
        response = admin_client_logged_in.post(
            reverse("admin:taggit_tag_changelist"),
            {"action": "merge_tags", ACTION_CHECKBOX_NAME: [old.pk], "merge_into": "nothing"},
            follow=True,
        )
        assert "There is no tag named “nothing”" in response.content.decode()
        assert Tag.objects.filter(pk=old.pk).exists()


def test_unknown_addresses_are_still_404(client):
    SectionFactory(slug="city")
    for url in ("/nowhere/", "/city/nothing/", "/tag/nothing/", "/feeds/section/nowhere/rss/"):
        assert client.get(url).status_code == 404, url
