"""HTTP caching for browsers and shared caches: Cache-Control by kind of page, ETags and 304s,
surrogate keys, and purges of a shared cache after changes."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.editorial import services
from httpcache import purge
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def directives(response):
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",") if part.strip()}


@pytest.fixture
def article(db):
    return ArticleFactory(title="Harbour wall repaired")


def test_reader_pages_are_public_with_browser_and_shared_lifetimes(client, article, settings):
    """An anonymous reader page may be kept by browsers briefly and by shared caches longer."""
    settings.HTTP_BROWSER_MAX_AGE, settings.HTTP_SHARED_MAX_AGE = 30, 900
    for url in [
        "/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        reverse("articles:feed-rss"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"public", "max-age=30", "s-maxage=900"} <= directives(response), url
        assert any(d.startswith("stale-while-revalidate=") for d in directives(response))
        assert any(d.startswith("stale-if-error=") for d in directives(response))


def test_the_admin_and_signed_in_readers_get_private_no_store(client, editor, article):
    """Nothing personal is kept by any cache: the admin, and pages seen by a signed-in user."""
    assert {"private", "no-store"} <= directives(client.get(reverse("admin:login")))
    client.force_login(editor)
    assert {"private", "no-store"} <= directives(client.get(reverse("admin:index")))
    assert {"private", "no-store"} <= directives(client.get(article.get_absolute_url()))


def test_gone_and_missing_pages_have_a_short_public_lifetime(client, article, editor, settings):
    """A 410 is kept only briefly, so a republished article is not hidden by a browser's cache."""
    settings.HTTP_GONE_MAX_AGE = 45
    url = article.get_absolute_url()
    services.unpublish(article, by=editor)
    gone = client.get(url)
    assert gone.status_code == 410
    assert {"public", "max-age=45"} <= directives(gone)
    missing = client.get("/no-such-section/no-such-article/")
    assert missing.status_code == 404 and "max-age=45" in directives(missing)


def test_permanent_redirects_have_a_bounded_lifetime(client, article, settings):
    """A 301 from an old address carries a max-age: browsers otherwise keep it for ever."""
    settings.HTTP_REDIRECT_MAX_AGE = 600
    old = article.get_absolute_url()
    article.slug = "harbour-wall-fixed"
    article.save()
    response = client.get(old)
    assert response.status_code == 301
    assert {"public", "max-age=600"} <= directives(response)


def test_redirects_from_an_imported_sites_addresses_have_a_bounded_lifetime(client, article, settings):
    """An old WordPress address answers 301 with a max-age, like the site's own redirects."""
    from importers.models import LegacyPath

    settings.HTTP_REDIRECT_MAX_AGE = 600
    LegacyPath.objects.create(path="/2013/01/harbour-wall/", article=article)
    response = client.get("/2013/01/harbour-wall/")
    assert response.status_code == 301 and response.headers["Location"] == article.get_absolute_url()
    assert {"public", "max-age=600"} <= directives(response)


def test_previews_and_errors_stay_private(client, article, editor):
    """A shared preview sets its own private no-store; a method not allowed is not cached either."""
    link = services.share_preview(ArticleFactory(draft=True), by=editor)
    assert "no-store" in directives(client.get(link.get_absolute_url()))
    assert {"private", "no-store"} <= directives(client.post(article.get_absolute_url()))


def test_a_conditional_request_for_an_unchanged_page_gets_304(client, article, django_assert_num_queries):
    """A browser that sends back the page's ETag gets 304 Not Modified from the page cache, no query."""
    url = article.get_absolute_url()
    first = client.get(url)
    etag = first.headers["ETag"]
    with django_assert_num_queries(0):
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again.headers["ETag"] == etag


def test_a_changed_page_answers_a_stale_etag_with_the_new_page(
    client, article, editor, django_capture_on_commit_callbacks
):
    """After a correction the old ETag no longer matches: the reader gets the new page."""
    url = article.get_absolute_url()
    etag = client.get(url).headers["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        services.add_correction(article, kind="correction", text="The wall is 40 m long.", by=editor)
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert b"The wall is 40 m long." in response.content


def test_feeds_and_sitemaps_carry_validators(client, article):
    """Feeds and sitemaps say when they last changed and carry an ETag."""
    feed = client.get(reverse("articles:feed-rss"))
    assert feed.headers.get("ETag") and feed.headers.get("Last-Modified")
    sitemap = client.get(reverse("articles:sitemap-news"))
    assert sitemap.headers.get("ETag")


def test_reader_pages_name_their_surrogate_keys(client, article):
    """Each cacheable reader page names the keys a purge can use, for Varnish/Fastly and Cloudflare."""
    response = client.get(article.get_absolute_url())
    keys = response.headers["Surrogate-Key"].split()
    assert keys and response.headers["Cache-Tag"].split(",") == keys


class TestPurges:
    @pytest.fixture
    def purged(self, monkeypatch):
        sent = []
        monkeypatch.setattr(purge, "purge_in_background", lambda keys: sent.append(set(keys)))
        return sent

    def test_a_visible_change_purges_after_commit(
        self, article, editor, purged, django_capture_on_commit_callbacks
    ):
        """A correction is purged from shared caches once it is committed, not before."""
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.add_correction(article, kind="correction", text="Fixed.", by=editor)
        assert purged == []
        for callback in callbacks:
            callback()
        assert f"article:{article.pk}" in set().union(*purged)

    def test_a_draft_save_purges_nothing(self, editor, purged, django_capture_on_commit_callbacks):
        """Saving a draft changes nothing readers see, so nothing is purged from shared caches."""
        draft = ArticleFactory(draft=True)
        with django_capture_on_commit_callbacks(execute=True):
            draft.title = "Still a draft"
            draft.save()
        assert purged == []

    def test_publishing_purges_the_lists_that_show_the_article(
        self, editor, purged, django_capture_on_commit_callbacks
    ):
        """Publishing purges the home page and the article's section, so readers see it there."""
        draft = ArticleFactory(draft=True)
        with django_capture_on_commit_callbacks(execute=True):
            services.publish_article(draft, by=editor)
        keys = set().union(*purged)
        assert "home" in keys
        assert any(key.startswith(f"section:{draft.section_id}") for key in keys)

    def test_a_failing_cache_never_fails_a_save(self, article, editor, monkeypatch, caplog):
        """An unreachable Varnish is retried, then logged; the editor's change is saved all the same."""
        purger = purge.VarnishPurger(urls=["http://127.0.0.1:9/"], timeout=0.2)
        purger.backoff_seconds = 0
        assert purger.purge(["article:1"]) is False
        assert "Gave up purging" in caplog.text
        correction = services.add_correction(article, kind="correction", text="Still saved.", by=editor)
        assert correction.pk


def test_purges_are_sent_in_batches_of_keys(monkeypatch):
    """Many keys go out in a few requests, each naming up to 50 keys."""
    sent = []

    class Recording(purge.Purger):
        def send(self, keys):
            sent.append(list(keys))

    assert Recording().purge([f"article:{n}" for n in range(120)]) is True
    assert [len(batch) for batch in sent] == [50, 50, 20]


def test_refresh_pages_makes_every_cached_page_stale_and_purges_the_shared_cache(
    client, article, monkeypatch, django_capture_on_commit_callbacks
):
    """After a change the caches cannot see, one command refreshes every page, here and in front."""
    sent = []

    class Recording(purge.Purger):
        def send(self, keys):
            sent.append(list(keys))

    monkeypatch.setattr(purge, "configured_purger", Recording)
    urls = ["/", article.get_absolute_url()]
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit"
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("refresh_pages", stdout=output)
    purge.wait_for_purges()
    assert sent == [["site"]]
    assert "asked to purge key 'site'" in output.getvalue()
    assert [client.get(url)["X-Cache"] for url in urls] == ["miss", "miss"]  # built again
    assert [client.get(url)["X-Cache"] for url in urls] == ["hit", "hit"]


def test_refresh_pages_says_when_no_shared_cache_is_set_up(db):
    output = io.StringIO()
    call_command("refresh_pages", stdout=output)
    assert "No shared cache is set up" in output.getvalue()
