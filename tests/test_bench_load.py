"""The load benchmark's own parts (bench/load_mix.py, bench/load_results.py, bench/varnish.py), untimed."""

import json
import random
from collections import Counter

import pytest

from bench.dataset import ensure_dataset
from bench.floor import FLOOR_PAGE_SIZE
from bench.load_mix import (
    MIX,
    Catalogue,
    Zipf,
    archive_pages,
    load_catalogue,
    request_list,
    write_request_list,
)
from bench.load_results import KindResult, parse_lua_results, parse_wrk_summary, results_table
from bench.varnish import backend_vcl, edge_counters, origin_cache_by_kind, parse_varnishstat

WRK_OUTPUT = """Running 1m test @ http://127.0.0.1:8123/
  4 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   120.51ms  300.10ms   2.00s    91.00%
    Req/Sec    10.12      8.30    50.00     70.00%
  2471 requests in 1.00m, 80.15MB read
  Socket errors: connect 0, read 2, write 0, timeout 7
  Non-2xx or 3xx responses: 3
Requests/sec:     41.14
Transfer/sec:      1.33MB
"""


def small_catalogue():
    return Catalogue(
        articles=[f"/s/a{n}/" for n in range(1_000)],
        sections=["/s/", "/t/"],
        tags=[f"/tag/t{n}/" for n in range(100)],
        authors=["/author/x/"],
        searches=["/search/?q=storm"],
    )


def test_zipf_ranks_follow_one_over_rank():
    """The most popular article is asked about twice as often as the second, ten times the tenth."""
    rng = random.Random(1)
    zipf = Zipf(10_000)
    counts = Counter(zipf.pick(rng) for _ in range(200_000))
    assert 1.8 < counts[0] / counts[1] < 2.2
    assert 8 < counts[0] / counts[9] < 12.5
    # The long tail is reached: over a thousand distinct articles.
    assert len(counts) > 1_000


def test_request_list_follows_the_mix():
    """Each kind of page gets its share of requests, and only URLs of the catalogue are asked for."""
    catalogue = small_catalogue()
    requests = request_list(random.Random(2), catalogue, 50_000)
    shares = Counter(kind for kind, _ in requests)
    for kind, percent in MIX.items():
        assert abs(100 * shares[kind] / len(requests) - percent) < 1, kind
    articles = [path for kind, path in requests if kind == "article"]
    assert set(articles) <= set(catalogue.articles)
    assert Counter(articles).most_common(1)[0][0] == catalogue.articles[0]
    sections = {path for kind, path in requests if kind == "section"}
    assert "/s/" in sections and "/s/?page=2" in sections and "/s/?page=6" not in sections


def test_warming_the_archive_visits_every_page_the_mix_asks_for_once():
    """bench.load --warm-archive: a run after it finds every page it asks for in the cache."""
    catalogue = small_catalogue()
    pages = archive_pages(catalogue)
    assert len(pages) == len(set(pages))
    assert {path for _, path in request_list(random.Random(5), catalogue, 20_000)} <= set(pages)
    assert set(catalogue.articles) <= set(pages)


def test_request_list_file_is_one_request_a_line(tmp_path):
    """The Lua script reads "kind path" lines; a path with a space would break it and is refused."""
    path = tmp_path / "requests.txt"
    write_request_list(path, [("home", "/"), ("search", "/search/?q=a+b")])
    assert path.read_text() == "home /\nsearch /search/?q=a+b\n"
    with pytest.raises(ValueError):
        write_request_list(path, [("search", "/search/?q=a b")])


def test_wrk_summary_is_read():
    """Requests, the run's length and wrk's socket errors (timeouts included) come from its output."""
    summary = parse_wrk_summary(WRK_OUTPUT)
    assert summary.requests == 2471
    assert summary.seconds == 60
    assert summary.socket_errors == {"connect": 0, "read": 2, "write": 0, "timeout": 7}
    assert summary.errors == 9


def test_lua_results_give_counts_and_percentiles():
    """Per kind: responses, non-2xx, cache hits (a stale copy too) and misses, latencies to 1%."""
    # Bucket b holds latencies around e^(b/100) microseconds: 691 is about 1 ms, 921 about 10 ms.
    text = "article|responses 100\narticle|non_2xx 1\narticle|cache|hit 70\narticle|cache|HIT 10\n"
    text += "article|cache|stale 10\n"
    text += "article|cache|miss 10\n"
    text += "article|bucket|691 98\narticle|bucket|921 2\nhome|responses 1\nhome|bucket|691 1\n"
    results = parse_lua_results(text)
    article = results["article"]
    assert (article.responses, article.non_2xx, article.hits, article.misses) == (100, 1, 90, 10)
    assert article.percentile_ms(0.5) == pytest.approx(1.0, rel=0.02)
    assert article.percentile_ms(0.99) == pytest.approx(10.0, rel=0.02)
    assert results["home"].responses == 1 and results["home"].hits == 0
    assert KindResult().percentile_ms(0.5) is None


@pytest.mark.django_db
def test_every_kind_of_request_in_the_mix_answers_200(client):
    """The mix built from the benchmark dataset asks only for pages that exist."""
    ensure_dataset(articles=300, tags=30, links=900, log=lambda line: None)
    catalogue, popular_id = load_catalogue(random.Random(3))
    assert len(catalogue.articles) == 300 and popular_id
    requests = request_list(random.Random(4), catalogue, 400)
    first_of_each = {}
    for kind, path in requests:
        first_of_each.setdefault(kind, path)
    assert set(first_of_each) == set(MIX)
    for kind, path in first_of_each.items():
        assert client.get(path).status_code == 200, (kind, path)


@pytest.mark.django_db
def test_the_floor_page_is_not_part_of_newsroom(client, settings):
    """Only the benchmark's URL conf serves the fixed 30 KB floor page; a deployment has no such URL."""
    assert client.get("/bench/floor/").status_code == 404
    settings.ROOT_URLCONF = "bench.load_urls"
    response = client.get("/bench/floor/")
    assert response.status_code == 200
    assert len(response.content) == FLOOR_PAGE_SIZE


def varnishstat_json(**values):
    """``varnishstat -1 -j`` as Varnish 7 prints it (counters nested, with descriptions)."""
    counters = {
        f"MAIN.{name}": {"description": name, "flag": "c", "format": "i", "value": value}
        for name, value in values.items()
    }
    return json.dumps({"version": 1, "timestamp": "2026-12-02T11:24:29", "counters": counters})


def test_varnish_hit_ratio_comes_from_counter_deltas():
    """Only what happened between the two readings counts; hits-for-pass count as lookups Varnish missed."""
    before = parse_varnishstat(varnishstat_json(cache_hit=100, cache_miss=50, cache_hitpass=0, s_pass=3))
    after = parse_varnishstat(
        varnishstat_json(
            cache_hit=1_000, cache_hit_grace=7, cache_miss=130, cache_hitpass=20, s_pass=5, backend_req=160
        )
    )
    counters = edge_counters(before, after)
    assert (counters.hits, counters.grace_hits, counters.misses, counters.hit_passes) == (900, 7, 80, 20)
    assert (counters.passes, counters.backend_requests, counters.lru_nuked) == (2, 160, 0)
    assert counters.ratio == pytest.approx(0.9)
    assert edge_counters(after, after).ratio is None


def test_varnishstat_of_older_varnish_is_read_too():
    """Varnish before 6.5 puts the counters at the top level, next to the timestamp."""
    text = json.dumps({"timestamp": "2020-01-01T00:00:00", "MAIN.cache_hit": {"value": 5, "flag": "c"}})
    assert parse_varnishstat(text) == {"MAIN.cache_hit": 5}


def test_origin_cache_is_counted_by_kind_from_the_backend_log():
    """Each request Varnish sent to gunicorn counts for its page kind; unknown paths are "other"."""
    log = "miss 200 /news/a/\nhit 200 /news/a/\nstale 200 /\n- 200 /search/?q=storm\nmiss 200 /new/\n\n"
    kinds = {"/news/a/": "article", "/": "home", "/search/?q=storm": "search"}
    by_kind = origin_cache_by_kind(log, kinds)
    assert by_kind["article"] == Counter({"miss": 1, "hit": 1})
    assert by_kind["home"] == Counter({"stale": 1})
    assert by_kind["search"] == Counter({"-": 1})
    assert by_kind["other"] == Counter({"miss": 1})


def test_the_table_with_varnish_shows_hits_at_varnish_and_at_the_origin():
    """Varnish's hits as readers saw them, then how many requests reached gunicorn and its page-cache hits."""
    mix = parse_lua_results(
        "article|responses 10\narticle|edge|HIT 8\narticle|edge|MISS 2\narticle|cache|hit 9\n"
        "article|bucket|691 10\nsearch|responses 2\nsearch|edge|MISS 2\nsearch|bucket|691 2\n"
    )
    floor = parse_lua_results("floor|responses 100\nfloor|edge|HIT 100\nfloor|bucket|691 100\n")["floor"]
    origin = {"article": Counter({"miss": 1, "hit": 1}), "search": Counter({"-": 2})}
    table, overall = results_table([("floor through Varnish", floor, 10)], mix, 1, origin=origin)
    rows = {line.split(" | ")[0].strip("| "): line.split(" | ") for line in table.splitlines()}
    assert rows["page"][-3:] == ["Varnish hits", "origin requests", "origin page-cache hits |"]
    assert rows["floor through Varnish"][1:4] == ["100", "10.0", "1.000"]
    assert rows["article"][-3:] == ["80.0%", "2", "50.0% |"]
    assert rows["search"][-3:] == ["0.0%", "2", "- |"]
    assert rows["**all reader pages**"][-3:] == ["66.7%", "4", "50.0% |"]
    assert overall.responses == 12


def test_varnish_runs_the_projects_vcl_with_gunicorns_port():
    """bench.load --varnish uses deploy/varnish/newsroom.vcl itself, only its backend port changed."""
    vcl = backend_vcl(8123)
    assert '.port = "8123";' in vcl and '.port = "8000";' not in vcl
    assert "xkey.purge" in vcl
