"""The page cache's dependency keys: what each change refreshes, and what it leaves cached."""

import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.editorial import services
from articles.models import Article, Correction
from articles.pagecache import bulk_changes, cache_reader_page, depends_on, keys, keys_invalidated, locks
from articles.pagecache.schedule import NEXT_SCHEDULED_KEY, NOTHING_SCHEDULED
from articles.pagecache.versions import bump
from tests.caches import cache_settings
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(django_capture_on_commit_callbacks):
    """Two sections with articles, tags and authors, every page of interest visited once."""
    now = timezone.now()
    city, sport = SectionFactory(name="City", slug="city"), SectionFactory(name="Sport", slug="sport")
    maria, dan = AuthorFactory(name="Maria Lopez", slug="maria"), AuthorFactory(name="Dan Ok", slug="dan")
    story = ArticleFactory(
        title="Flood wall fails",
        section=city,
        tags=["Flood"],
        authors=[maria],
        published_at=now - timedelta(hours=3),
    )
    neighbour = ArticleFactory(
        title="Ferry fares rise",
        section=city,
        tags=["Flood"],
        authors=[maria],
        published_at=now - timedelta(hours=4),
    )
    match = ArticleFactory(
        title="Derby day", section=sport, tags=["Derby"], authors=[dan], published_at=now - timedelta(hours=5)
    )
    other = ArticleFactory(
        title="Cup final", section=sport, tags=["Derby"], authors=[dan], published_at=now - timedelta(hours=6)
    )
    pages = {
        "home": "/",
        "story": story.get_absolute_url(),
        "neighbour": neighbour.get_absolute_url(),
        "match": match.get_absolute_url(),
        "other": other.get_absolute_url(),
        "city": "/city/",
        "sport": "/sport/",
        "flood": "/tag/flood/",
        "derby": "/tag/derby/",
        "maria": "/author/maria/",
        "dan": "/author/dan/",
        "feed": "/feeds/rss/",
        "city-feed": "/feeds/section/city/rss/",
        "sport-feed": "/feeds/section/sport/rss/",
        "sitemap": "/sitemap-articles.xml",
        "tags": "/tags/",
    }
    return {"story": story, "neighbour": neighbour, "match": match, "other": other, "city": city,
            "sport": sport, "maria": maria, "dan": dan, "pages": pages}  # fmt: skip


def visit_all(client, pages):
    for url in pages.values():
        response = client.get(url)
        assert response.status_code == 200, url


def rebuilt(client, pages):
    """The names of the pages that were built again (X-Cache: miss) on this visit."""
    statuses = {name: client.get(url)["X-Cache"] for name, url in pages.items()}
    assert set(statuses.values()) <= {"hit", "miss"}
    return {name for name, status in statuses.items() if status == "miss"}


def test_a_draft_save_leaves_every_cached_page_cached(
    client, desk, editor, django_capture_on_commit_callbacks
):
    """Writing a draft, sending it to review, a revision, an audit entry, a preview link: nothing is rebuilt."""
    visit_all(client, desk["pages"])
    with django_capture_on_commit_callbacks(execute=True):
        draft = Article(title="Secret plan", section=desk["city"], status=Article.Status.DRAFT)
        services.save_article(draft, by=editor)
        draft.tags.add("Flood")
        draft.title = "Secret plan, second try"
        services.save_article(draft, by=editor, loaded_status="draft", loaded_version=draft.version)
        services.submit_for_review(draft, by=editor)
        services.share_preview(draft, by=editor)
        scheduled = ArticleFactory(title="Tomorrow's news", section=desk["city"], scheduled=True)
        scheduled.tags.add("Flood")
    assert rebuilt(client, desk["pages"]) == set()


def test_publishing_refreshes_exactly_the_pages_that_list_it(
    client, desk, editor, django_capture_on_commit_callbacks
):
    """A new City article tagged Flood by Maria: home, City, Flood, Maria, the feeds and sitemaps,
    and the page of the City article it follows (whose "Next in City" it becomes); not Sport."""
    visit_all(client, desk["pages"])
    with django_capture_on_commit_callbacks(execute=True):
        fresh = ArticleFactory(title="Breaking: wall holds", section=desk["city"], draft=True)
        fresh.tags.add("Flood")
        fresh.bylines.create(author=desk["maria"])
        services.publish_article(fresh, by=editor)
    assert rebuilt(client, desk["pages"]) == {
        "home",
        "city",
        "flood",
        "maria",
        "feed",
        "city-feed",
        "sitemap",
        "tags",
        "story",
    }
    assert b"Breaking: wall holds" in client.get("/").content
    assert (
        f'rel="next" href="{fresh.get_absolute_url()}"'.encode() in client.get(desk["pages"]["story"]).content
    )


def test_a_new_article_joins_more_in_its_section_under_cached_pages_at_once(
    client, desk, editor, django_capture_on_commit_callbacks
):
    """The older City article's page stays cached, and its "More in City" lists the new one."""
    visit_all(client, desk["pages"])
    etag = client.get(desk["pages"]["neighbour"])["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        fresh = ArticleFactory(title="Breaking: wall holds", section=desk["city"], draft=True)
        services.publish_article(fresh, by=editor)
    response = client.get(desk["pages"]["neighbour"], HTTP_IF_NONE_MATCH=etag)  # a browser's copy is old
    assert response.status_code == 200 and response["X-Cache"] == "hit"
    more_in_city = response.content.decode().split('id="more-in-section-heading"')[1]
    assert more_in_city.index("Breaking: wall holds") < more_in_city.index("Flood wall fails")
    assert "Ferry fares rise" not in more_in_city  # the article itself
    # Sport's articles are untouched, list and all.
    assert "Breaking: wall holds" not in client.get(desk["pages"]["match"]).content.decode()


def test_an_article_that_leaves_a_section_leaves_more_in_under_cached_pages(
    client, desk, editor, django_capture_on_commit_callbacks
):
    """Unpublished: no page lists it, not even the "More in" of a page that stays cached."""
    transfer = ArticleFactory(title="Transfer window", section=desk["sport"], published_at=timezone.now())
    more = client.get(desk["pages"]["other"]).content.decode().split('id="more-in-section-heading"')[1]
    assert "Transfer window" in more
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(transfer, by=editor)
    response = client.get(desk["pages"]["other"])
    assert response["X-Cache"] == "hit"
    assert "Transfer window" not in response.content.decode()


def test_unpublishing_refreshes_every_page_that_showed_it(
    client, desk, editor, django_capture_on_commit_callbacks
):
    """A pulled article leaves its lists, the related and "More in" blocks of its neighbours; Sport stays cached."""
    assert b"Ferry fares rise" in client.get(desk["pages"]["story"]).content  # More in City, related
    visit_all(client, desk["pages"])
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(desk["neighbour"], by=editor)
    refreshed = rebuilt(client, desk["pages"])
    assert refreshed >= {
        "home",
        "story",
        "neighbour",
        "city",
        "flood",
        "maria",
        "feed",
        "city-feed",
        "sitemap",
    }
    assert not refreshed & {"match", "other", "sport", "derby", "dan", "sport-feed"}
    for name in ("home", "story", "city", "flood", "maria", "feed"):
        assert b"Ferry fares rise" not in client.get(desk["pages"][name]).content, name


def test_a_correction_refreshes_the_pages_showing_the_article(
    client, desk, editor, django_capture_on_commit_callbacks
):
    """A correction: the article's page and the pages listing it; other pages stay cached."""
    visit_all(client, desk["pages"])
    with django_capture_on_commit_callbacks(execute=True):
        services.add_correction(
            desk["match"], kind=Correction.Kind.CORRECTION, text="The score was 2-1.", by=editor
        )
    refreshed = rebuilt(client, desk["pages"])
    assert {"match", "home", "sport", "derby", "dan", "feed", "sport-feed", "sitemap"} <= refreshed
    assert not refreshed & {"story", "neighbour", "city", "flood", "maria", "city-feed"}
    assert b"The score was 2-1." in client.get(desk["pages"]["match"]).content


def test_a_renamed_section_refreshes_every_page(client, desk, django_capture_on_commit_callbacks):
    """Every page shows the navigation, so renaming a section refreshes them all."""
    visit_all(client, desk["pages"])
    with django_capture_on_commit_callbacks(execute=True):
        desk["sport"].name = "Sports"
        desk["sport"].save()
    assert rebuilt(client, desk["pages"]) == set(desk["pages"])
    assert b"Sports" in client.get(desk["pages"]["story"]).content


def test_the_navigation_is_read_once_for_every_page(client, desk):
    """Pages built after the first take the menu's sections from the cache: no query for them."""
    client.get(desk["pages"]["story"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(desk["pages"]["neighbour"])
    assert response["X-Cache"] == "miss"
    assert b'class="site-nav__link" href="/sport/"' in response.content
    assert not [
        query
        for query in queries
        if query["sql"].startswith("SELECT") and 'FROM "articles_section" WHERE' in query["sql"]
    ]


def test_a_list_page_takes_the_cards_another_list_built(client, desk):
    """Maria's page, built after the Flood tag's (the same two articles), reads no article rows and no
    bylines: its cards come from the cache. Three queries in all."""
    client.get(desk["pages"]["flood"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(desk["pages"]["maria"])
    assert response["X-Cache"] == "miss"
    assert b"Flood wall fails" in response.content and b"Ferry fares rise" in response.content
    assert b'href="/author/maria/" rel="author">Maria Lopez</a>' in response.content
    assert not [query for query in queries if '"articles_article"."title"' in query["sql"]]
    assert not [query for query in queries if query["sql"].startswith('SELECT "articles_byline"')]
    assert len(queries) == 3  # the author, the count, the ids of the page


def test_a_cached_card_never_outlives_a_change_it_shows(client, desk, django_capture_on_commit_callbacks):
    """A retitled article, a renamed author or section: lists built afterwards, even for the first
    time, show the change, never the card built before it."""
    client.get(desk["pages"]["flood"])
    with django_capture_on_commit_callbacks(execute=True):
        desk["story"].title = "Flood wall holds"
        desk["story"].save()
    maria = client.get(desk["pages"]["maria"]).content
    assert b"Flood wall holds" in maria and b"Flood wall fails" not in maria

    with django_capture_on_commit_callbacks(execute=True):
        desk["maria"].name = "María López"
        desk["maria"].save()
    assert "María López" in client.get(desk["pages"]["city"]).content.decode()

    client.get(desk["pages"]["derby"])
    with django_capture_on_commit_callbacks(execute=True):
        desk["sport"].name = "Sports"
        desk["sport"].save()
    assert b'<p class="article-card__label">Sports</p>' in client.get(desk["pages"]["dan"]).content


def test_a_renamed_tag_refreshes_the_pages_naming_it(client, desk, django_capture_on_commit_callbacks):
    """Renaming "Derby": the pages of its articles, its page and the tag index; not City's pages."""
    visit_all(client, desk["pages"])
    derby = desk["match"].tags.get()
    with django_capture_on_commit_callbacks(execute=True):
        derby.name = "Local derby"
        derby.save()
    refreshed = rebuilt(client, desk["pages"])
    assert {"match", "other", "derby", "tags", "sitemap"} <= refreshed
    assert not refreshed & {"story", "neighbour", "home", "city", "flood", "maria", "dan"}
    assert b"Local derby" in client.get(desk["pages"]["match"]).content


def test_a_changed_byline_refreshes_the_pages_showing_it(client, desk, django_capture_on_commit_callbacks):
    """Renaming an author refreshes the cards and pages with their byline; adding one to an article,
    that article's pages and the author's lists."""
    visit_all(client, desk["pages"])
    with django_capture_on_commit_callbacks(execute=True):
        desk["dan"].name = "Daniel Ok"
        desk["dan"].save()
    refreshed = rebuilt(client, desk["pages"])
    assert {"match", "other", "home", "sport", "derby", "dan", "feed", "sport-feed"} <= refreshed
    assert not refreshed & {"story", "neighbour", "city", "flood", "maria", "city-feed"}
    assert b"Daniel Ok" in client.get("/").content

    with django_capture_on_commit_callbacks(execute=True):
        desk["story"].bylines.create(author=desk["dan"], position=1)
    refreshed = rebuilt(client, desk["pages"])
    assert {"story", "dan", "home", "city"} <= refreshed
    assert not refreshed & {"match", "other", "sport", "derby"}


def test_bulk_changes_make_every_page_stale_once_at_the_end(client, desk, django_capture_on_commit_callbacks):
    """Inside bulk_changes() (an import), saves keep no callback each: every page goes stale once, at the end."""
    visit_all(client, desk["pages"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic(), bulk_changes():
        for n in range(10):
            ArticleFactory(
                title=f"Imported {n}", section=desk["city"], tags=["Flood"], authors=[desk["maria"]]
            )
    assert len(callbacks) == 1
    assert rebuilt(client, desk["pages"]) == set(desk["pages"])


def test_bulk_changes_ask_the_database_nothing_for_the_cache(desk, django_assert_max_num_queries):
    """A published article with a tag and a byline, saved in bulk: no query to find which lists it is on."""
    with CaptureQueriesContext(connection) as one_by_one:
        ArticleFactory(title="One", section=desk["city"], tags=["Flood"], authors=[desk["maria"]])
    with bulk_changes(), django_assert_max_num_queries(len(one_by_one) - 3):
        ArticleFactory(title="Two", section=desk["city"], tags=["Flood"], authors=[desk["maria"]])


def test_bulk_changes_of_drafts_leave_every_page_cached(client, desk, django_capture_on_commit_callbacks):
    """Drafts written in bulk (an import of unpublished posts) make no page stale."""
    visit_all(client, desk["pages"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks, bulk_changes():
        for n in range(5):
            ArticleFactory(title=f"Draft {n}", section=desk["city"], tags=["Flood"], draft=True)
    assert callbacks == []
    assert rebuilt(client, desk["pages"]) == set()


def test_article_page_keys_name_everything_it_shows(client, desk):
    """An article page's keys: itself, its tags and authors, and every article listed under it."""
    response = client.get(desk["pages"]["story"])
    story, neighbour = desk["story"], desk["neighbour"]
    tag = story.tags.get()
    assert {
        keys.article_key(story.pk),
        keys.article_key(neighbour.pk),
        keys.tag_key(tag.pk),
        keys.author_key(desk["maria"].pk),
        keys.NAVIGATION,
    } <= response.cache_keys
    assert keys.article_key(desk["match"].pk) not in response.cache_keys
    assert client.get(desk["pages"]["story"]).cache_keys == response.cache_keys  # from the cache too


def test_a_listed_article_that_is_unpublished_is_never_served_from_a_stale_copy(
    client, desk, editor, django_capture_on_commit_callbacks
):
    """While a page showing an unpublished article is rebuilt, other readers wait instead of getting the old copy."""
    story_url = desk["pages"]["story"]
    client.get(story_url)
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(desk["neighbour"], by=editor)
    from articles.pagecache.pages import page_cache_key

    request = RequestFactory().get(story_url)
    cache.add(page_cache_key(request) + ":lock", 1, timeout=1)  # someone else is rebuilding it
    response = client.get(story_url)
    assert response["X-Cache"] == "miss"  # waited for the lock to expire, then built it
    assert b"Ferry fares rise" not in response.content


def test_scheduled_article_goes_live_in_the_lists_it_joins_only(client, desk, time_machine):
    """At its time, a scheduled City article shows on the cached home and City pages; Sport stays cached."""
    time_machine.move_to(timezone.now(), tick=False)
    ArticleFactory(
        title="Embargoed report", section=desk["city"], published_at=timezone.now() + timedelta(minutes=5)
    )
    visit_all(client, desk["pages"])
    time_machine.shift(timedelta(minutes=5, seconds=1))
    assert b"Embargoed report" in client.get("/").content
    assert b"Embargoed report" in client.get("/city/").content
    assert client.get("/sport/")["X-Cache"] == "hit"


def test_scheduled_article_going_live_joins_more_in_under_cached_pages(client, desk, time_machine):
    """At its time, the City article's cached page lists it under "More in City", and the
    newest City article's page links to it as next."""
    time_machine.move_to(timezone.now(), tick=False)
    embargoed = ArticleFactory(
        title="Embargoed report", section=desk["city"], published_at=timezone.now() + timedelta(minutes=5)
    )
    visit_all(client, desk["pages"])
    time_machine.shift(timedelta(minutes=5, seconds=1))
    response = client.get(desk["pages"]["neighbour"])
    assert response["X-Cache"] == "hit"
    assert "Embargoed report" in response.content.decode().split('id="more-in-section-heading"')[1]
    assert (
        f'rel="next" href="{embargoed.get_absolute_url()}"'
        in client.get(desk["pages"]["story"]).content.decode()
    )


def test_article_pages_outlive_list_pages_in_the_cache(client, desk, settings, time_machine):
    """Past PAGE_CACHE_SECONDS a list page is built again but an article page, whose every
    change invalidates it, is kept until ARTICLE_PAGE_CACHE_SECONDS."""
    settings.PAGE_CACHE_SECONDS, settings.ARTICLE_PAGE_CACHE_SECONDS = 600, 86400
    time_machine.move_to(timezone.now(), tick=False)
    visit_all(client, desk["pages"])
    time_machine.shift(timedelta(minutes=11))
    assert client.get("/city/")["X-Cache"] == "miss"
    assert client.get(desk["pages"]["story"])["X-Cache"] == "hit"
    time_machine.shift(timedelta(hours=24))
    assert client.get(desk["pages"]["story"])["X-Cache"] == "miss"


class TestSearchPagesInTheCache:
    """Search results are kept per query, filters and page, and never outlive a change they show."""

    def search(self, client, **params):
        return client.get("/search/", params)

    def test_each_query_and_filter_is_its_own_page(self, client, desk):
        assert self.search(client, q="flood")["X-Cache"] == "miss"
        assert self.search(client, q="flood")["X-Cache"] == "hit"
        assert self.search(client, q="derby")["X-Cache"] == "miss"
        assert self.search(client, q="flood", sort="newest")["X-Cache"] == "miss"
        assert self.search(client, q="flood", utm_source="mail")["X-Cache"] == "hit"
        assert b"Derby day" in self.search(client, q="derby").content

    def test_a_draft_save_leaves_results_cached(
        self, client, desk, editor, django_capture_on_commit_callbacks
    ):
        self.search(client, q="flood")
        with django_capture_on_commit_callbacks(execute=True):
            services.save_article(Article(title="Flood plan", section=desk["city"]), by=editor)
        assert self.search(client, q="flood")["X-Cache"] == "hit"

    def test_a_published_article_is_found_at_once(
        self, client, desk, editor, django_capture_on_commit_callbacks
    ):
        assert b"Flood barrier" not in self.search(client, q="flood").content
        with django_capture_on_commit_callbacks(execute=True):
            fresh = ArticleFactory(title="Flood barrier opens", section=desk["sport"], draft=True)
            services.publish_article(fresh, by=editor)
        assert b"Flood barrier opens" in self.search(client, q="flood").content

    def test_an_unpublished_result_is_gone_at_once(
        self, client, desk, editor, django_capture_on_commit_callbacks
    ):
        assert b"Flood wall fails" in self.search(client, q="flood").content
        with django_capture_on_commit_callbacks(execute=True):
            services.unpublish(desk["story"], by=editor)
        response = self.search(client, q="flood")
        assert response["X-Cache"] == "miss"
        assert b"Flood wall fails" not in response.content

    def test_a_retitled_result_shows_its_new_headline(
        self, client, desk, editor, django_capture_on_commit_callbacks
    ):
        self.search(client, q="flood")
        with django_capture_on_commit_callbacks(execute=True):
            desk["story"].title = "Flood wall fails again"
            desk["story"].save()
        assert b"Flood wall fails again" in self.search(client, q="flood").content


def test_nothing_scheduled_is_remembered(client, desk, django_assert_num_queries):
    """With nothing scheduled, a cached page costs no query (the empty answer is cached too)."""
    client.get("/")
    assert cache.get(NEXT_SCHEDULED_KEY) == NOTHING_SCHEDULED
    with django_assert_num_queries(0):
        assert client.get("/")["X-Cache"] == "hit"


class SlowPage:
    """A reader view that takes a while to build and counts its builds."""

    def __init__(self, seconds=0.3):
        self.seconds, self.builds = seconds, 0
        self.lock = threading.Lock()
        self.view = cache_reader_page(self.build)
        self.building = threading.Event()
        self.may_finish = None

    def hold_builds(self):
        """Builds from now on wait for ``finish_builds()``: what other requests get meanwhile."""
        self.building.clear()
        self.may_finish = threading.Event()

    def finish_builds(self):
        self.may_finish.set()

    def build(self, request):
        with self.lock:
            self.builds += 1
            number = self.builds
        self.building.set()
        if self.may_finish is None:
            time.sleep(self.seconds)
        else:
            assert self.may_finish.wait(10), "the test never let the build finish"
        depends_on("article:1")
        return HttpResponse(f"build {number}")

    def get(self):
        request = RequestFactory().get("/slow/")
        request.user = AnonymousUser()
        return self.view(request)


def concurrently(function, count):
    results = [None] * count

    def run(index):
        results[index] = function()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture(params=["file", "redis", "locmem"])
def any_cache(request, settings, tmp_path):
    """The page cache on disk (one machine), on Redis (several) and in memory."""
    settings.CACHES = {"default": cache_settings(request.param, tmp_path)}
    try:
        cache.set(NEXT_SCHEDULED_KEY, NOTHING_SCHEDULED)  # the threads need no database
    except Exception:  # noqa: BLE001 - no Redis on this machine
        pytest.skip("Redis is not reachable")
    yield request.param
    cache.clear()


def test_the_redis_backend_makes_its_client_once(settings, tmp_path):
    """Making a Redis client cost more than Redis answering; the one made first serves every later call."""
    settings.CACHES = {"default": cache_settings("redis", tmp_path)}
    try:
        cache.get("anything")
    except Exception:  # noqa: BLE001 - no Redis on this machine
        pytest.skip("Redis is not reachable")
    made = []
    make_client = cache._cache._client
    cache._cache._client = lambda **options: made.append(options) or make_client(**options)
    for n in range(20):
        cache.set(f"key:{n}", n)
        assert cache.get(f"key:{n}") == n
    assert sorted(cache.get_many([f"key:{n}" for n in range(20)]).values()) == list(range(20))
    assert made == []
    cache.clear()


def redis_commands_of(function):
    """``(result, [command name, ...])``: what ``function()`` sent to Redis."""
    client = cache._cache.get_client()
    sent = []
    send = client.execute_command
    client.execute_command = lambda *args, **options: sent.append(args[0]) or send(*args, **options)
    try:
        return function(), sent
    finally:
        del client.execute_command


def test_a_page_served_from_redis_costs_one_round_trip(settings, tmp_path, client):
    """On Redis, a hit reads the page and the versions of what it shows together; a change
    to one of them still makes the next request rebuild it."""
    settings.CACHES = {"default": cache_settings("redis", tmp_path)}
    try:
        cache.get("anything")
    except Exception:  # noqa: BLE001 - no Redis on this machine
        pytest.skip("Redis is not reachable")
    article = ArticleFactory(title="Harbour wall approved")
    url = article.get_absolute_url()
    assert client.get(url)["X-Cache"] == "miss"
    response, sent = redis_commands_of(lambda: client.get(url))
    assert response["X-Cache"] == "hit"
    assert len(sent) == 1
    bump([keys.article_key(article.pk)])
    assert client.get(url)["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"
    # Redis may evict the names stored beside the page (allkeys-lru): two reads again, same answers.
    redis = cache._cache.get_client(write=True)
    assert redis.delete(*redis.keys(cache.make_key("*:companions"))) == 1
    response, sent = redis_commands_of(lambda: client.get(url))
    assert response["X-Cache"] == "hit" and len(sent) == 2
    bump([keys.article_key(article.pk)])
    assert client.get(url)["X-Cache"] == "miss"
    cache.clear()


def test_a_redis_that_refuses_scripts_still_serves_cached_pages(settings, tmp_path, client):
    """A managed Redis may deny Lua scripts to the site's user: pages are read in two trips
    then, still served from the cache and still rebuilt after a change."""
    redis = pytest.importorskip("redis")
    admin = redis.Redis.from_url("redis://127.0.0.1:6379/14")
    try:
        admin.acl_setuser(
            "newsroom-test-no-scripts",
            enabled=True,
            nopass=True,
            keys=["*"],
            categories=["+@all", "-@scripting"],
        )
    except redis.exceptions.RedisError:
        pytest.skip("Redis is not reachable, or has no users (before Redis 6)")
    previous = settings.CACHES
    settings.CACHES = {
        "default": {
            **cache_settings("redis", tmp_path),
            "LOCATION": "redis://newsroom-test-no-scripts@127.0.0.1:6379/14",
        }
    }
    try:
        article = ArticleFactory(title="Harbour wall approved")
        url = article.get_absolute_url()
        assert client.get(url)["X-Cache"] == "miss"
        assert [client.get(url)["X-Cache"] for _ in range(2)] == ["hit", "hit"]
        bump([keys.article_key(article.pk)])
        assert client.get(url)["X-Cache"] == "miss"
    finally:
        cache.clear()
        settings.CACHES = previous  # before the user goes: the suite's own teardown clears the cache
        admin.acl_deluser("newsroom-test-no-scripts")


def test_one_worker_builds_a_missing_page_while_the_others_wait(any_cache):
    """Eight concurrent requests for a page nobody has cached: one build, every reader gets it."""
    page = SlowPage()
    responses = concurrently(page.get, 8)
    assert page.builds == 1
    assert all(response.status_code == 200 for response in responses)
    assert sorted(response["X-Cache"] for response in responses).count("miss") == page.builds


def test_a_stale_page_is_served_while_one_worker_rebuilds_it(any_cache):
    """After a change, one request rebuilds the page; the others get the stale copy without waiting for it."""
    page = SlowPage()
    page.get()
    bump(["article:1"])
    page.hold_builds()
    rebuilt = []
    rebuilding = threading.Thread(target=lambda: rebuilt.append(page.get()))
    rebuilding.start()
    assert page.building.wait(10)
    during_the_rebuild = concurrently(page.get, 5)  # they would wait here if they queued behind it
    page.finish_builds()
    rebuilding.join()
    assert [response["X-Cache"] for response in during_the_rebuild] == ["stale"] * 5
    assert all(response.content == b"build 1" for response in during_the_rebuild)
    assert rebuilt[0]["X-Cache"] == "miss" and rebuilt[0].content == b"build 2"
    assert page.builds == 2
    assert page.get()["X-Cache"] == "hit"


def test_more_in_is_refreshed_under_a_cached_page_on_every_cache(
    any_cache,
    client,
    desk,
    editor,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
    time_machine,
):
    """On disk, on Redis and in memory: the region is rendered again once (one query for the
    section's list), then served as stored (none)."""
    time_machine.move_to(timezone.now(), tick=False)
    client.get(desk["pages"]["neighbour"])
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(
            ArticleFactory(title="Late news", section=desk["city"], draft=True), by=editor
        )
    time_machine.shift(timedelta(seconds=1))  # (a change within CLOCK_MARGIN of a build counts as during it)
    for queries in (1, 0):
        with django_assert_max_num_queries(queries):
            response = client.get(desk["pages"]["neighbour"])
        assert response["X-Cache"] == "hit"
        assert response.content.decode().count("Late news") == 1


def test_invalidated_keys_are_announced_after_commit(desk, editor, django_capture_on_commit_callbacks):
    """A correction announces its article's key once committed, for the shared caches in front to purge."""
    received = []

    def record(sender, keys, **kwargs):
        received.append(keys)

    keys_invalidated.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.add_correction(desk["match"], kind=Correction.Kind.CORRECTION, text="2-1.", by=editor)
        assert received == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        keys_invalidated.disconnect(record)
    assert any(keys.article_key(desk["match"].pk) in announced for announced in received)


def test_the_build_lock_is_held_by_one_worker_at_a_time(any_cache):
    """Of many workers asking for one page's build lock at once, exactly one gets it, until it lets go."""
    tokens = concurrently(lambda: locks.acquire("pages:page:x:lock", 10), 16)
    held = [token for token in tokens if token is not None]
    assert len(held) == 1
    locks.release("pages:page:x:lock", "somebody else's token")
    assert locks.acquire("pages:page:x:lock", 10) is None
    locks.release("pages:page:x:lock", held[0])
    assert locks.acquire("pages:page:x:lock", 10) is not None


def test_a_build_lock_left_by_a_dead_worker_expires(settings, tmp_path, time_machine):
    """A worker that died while building does not block the page for longer than the lock's lifetime."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    time_machine.move_to(timezone.now(), tick=False)
    assert locks.acquire("pages:page:y:lock", 10) is not None
    assert locks.acquire("pages:page:y:lock", 10) is None
    time_machine.shift(timedelta(seconds=11))
    assert locks.acquire("pages:page:y:lock", 10) is not None


def test_a_new_release_builds_its_own_pages_and_parts(client, settings):
    """After a deployment (RELEASE changed), no page or part cached by the old release is served."""
    article = ArticleFactory(title="Bridge reopens", tags=["Bridges"])
    url = article.get_absolute_url()
    settings.RELEASE = "2026.12.1"
    client.get(url)
    assert client.get(url)["X-Cache"] == "hit"
    settings.RELEASE = "2026.12.2"
    first_of_the_new_release = client.get(url)
    assert first_of_the_new_release["X-Cache"] == "miss"
    assert client.get(url)["X-Cache"] == "hit"
    settings.RELEASE = "2026.12.3"
    with CaptureQueriesContext(connection) as built:
        assert client.get(url)["X-Cache"] == "miss"
    # Its parts built again too: the old release's fragment would leave one query, for the row.
    assert len(built.captured_queries) > 1
