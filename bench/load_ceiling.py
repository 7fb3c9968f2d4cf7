"""
The best page-cache hit ratio the load benchmark's mix allows: ``python -m bench.load_ceiling``.

A page can only be a hit if it was requested before. For ``rate`` requests a second
for cached pages (the benchmark's mix without searches, bench/load_mix.py: Zipf over
100,000 articles), this draws the warm-up and the measured minute and counts the
requests whose page was already asked for: the hit ratio of a cache that never forgets
and never invalidates. A measured ratio close to it means the misses are first
visits, not invalidations. No database needed: pages are ranks, as in the mix.

    python -m bench.load_ceiling --rates 14 200 1000 --warmup 10 600
"""

import argparse
import random

from bench.load_mix import MIX, SECTION_PAGES, Zipf

CACHED = ("article", "home", "section", "tag", "author")


def ceiling(rng, warmup, measured, *, articles=100_000, tags=2_000, sections=12, authors=60, exponent=1.0):
    """(all cached kinds, articles only): the share of measured requests asking for a page seen before."""
    article_ranks, tag_ranks = Zipf(articles, exponent), Zipf(tags, exponent)
    page_weights = [4] + [1] * (SECTION_PAGES - 1)
    draw = {
        "article": lambda: article_ranks.pick(rng),
        "home": lambda: 0,
        "section": lambda: (rng.randrange(sections), rng.choices(range(SECTION_PAGES), page_weights)[0]),
        "tag": lambda: tag_ranks.pick(rng),
        "author": lambda: rng.randrange(authors),
    }
    weights = [MIX[kind] for kind in CACHED]
    seen = {(kind, draw[kind]()) for kind in rng.choices(CACHED, weights, k=warmup)}
    hits = articles_asked = article_hits = 0
    for kind in rng.choices(CACHED, weights, k=measured):
        page = (kind, draw[kind]())
        hit = page in seen
        seen.add(page)
        hits += hit
        if kind == "article":
            articles_asked += 1
            article_hits += hit
    return hits / measured, article_hits / max(articles_asked, 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", type=float, nargs="+", default=[14, 50, 200, 1000, 2000])
    parser.add_argument("--warmup", type=int, nargs="+", default=[10, 600], help="seconds of warm-up")
    parser.add_argument("--duration", type=int, default=60, help="seconds measured (60)")
    options = parser.parse_args()
    print("requests/s | warm-up s | ceiling, cached pages | ceiling, articles")
    for rate in options.rates:
        for warmup in options.warmup:
            overall, articles = ceiling(random.Random(1), int(rate * warmup), int(rate * options.duration))
            print(f"{rate:10,.0f} | {warmup:9} | {overall:21.1%} | {articles:17.1%}")


if __name__ == "__main__":
    main()
