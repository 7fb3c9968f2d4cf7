"""Search speed at 100,000 articles: ``python -m bench.search [--articles N --tags N --links N]``.

Times what a reader's search costs the database and Django: the result count
plus the first page (12 articles with sections, bylines and highlighted
snippets), through articles.search.search_articles(), the search page's code.

Queries are drawn (seeded) from the dataset's own vocabulary:

- "typical": one or two topic words (vocabulary ranks 50 to 5,000), a quoted
  phrase of two or three neighbouring headline words that begins and ends with
  a content word ("levy on tolls"), a word minus another, an OR, a filter by
  section. The fifty most frequent words are English function words, which
  PostgreSQL's English configuration drops as stop words; nobody searches them.
- "common words": single words among the fifty most frequent content words
  (ranks 50 to 100), each in a fifth to a third of the archive: the worst case,
  shown apart.
"""

import argparse
import random

from bench.build import dataset_arguments, prepare_dataset
from bench.common import machine_report, summarize, time_calls

RUNS = 200
SEED = 5


def headline_phrase(rng, titles, function_words):
    """Two or three neighbouring words of a headline, the first and last of them content words."""
    while True:
        words = rng.choice(titles).lower().split()
        spans = [
            words[start : start + length]
            for length in (2, 3)
            for start in range(len(words) - length + 1)
            if words[start] not in function_words and words[start + length - 1] not in function_words
        ]
        if spans:
            return '"' + " ".join(rng.choice(spans)) + '"'


def typical_queries(rng, words, titles, sections, function_words):
    topic = words[50:]
    kinds = {
        "one word": lambda: ({"raw_query": rng.choice(topic)}),
        "two words": lambda: ({"raw_query": f"{rng.choice(topic)} {rng.choice(topic)}"}),
        "quoted phrase": lambda: ({"raw_query": headline_phrase(rng, titles, function_words)}),
        "word -word": lambda: ({"raw_query": f"{rng.choice(topic)} -{rng.choice(topic)}"}),
        "word OR word": lambda: ({"raw_query": f"{rng.choice(topic)} OR {rng.choice(topic)}"}),
        "word + section": lambda: ({"raw_query": rng.choice(topic), "section": rng.choice(sections)}),
    }
    return {name: [make() for _ in range(RUNS)] for name, make in kinds.items()}


def main():
    options = dataset_arguments(argparse.ArgumentParser(description=__doc__)).parse_args()
    prepare_dataset(options)
    from articles import search
    from articles.models import Article, Section
    from articles.search import index as search_index
    from bench.dataset import FUNCTION_WORDS, Vocabulary
    from bench.dataset import SEED as DATASET_SEED

    if not search_index.index_is_complete():
        print(f"search index rebuilt: {search_index.rebuild_index():,} articles")

    rng = random.Random(SEED)
    words = Vocabulary(random.Random(DATASET_SEED)).words
    sample = rng.sample(range(Article.objects.count()), min(500, Article.objects.count()))
    titles = list(
        Article.objects.filter(slug__in=[f"bench-{n}" for n in sample]).values_list("title", flat=True)
    )
    sections = list(Section.objects.all())

    def run(arguments):
        results = search.search_articles(**arguments)
        results.count()
        page = results[0:12]
        return [article.snippet for article in page]

    everything = []
    with machine_report():
        for name, queries in typical_queries(rng, words, titles, sections, set(FUNCTION_WORDS)).items():
            timings = time_calls(run, queries)
            everything += timings
            print(summarize(f"search: {name}", timings))
        print(summarize("search: typical, all kinds", everything))
        common = [{"raw_query": rng.choice(words[50:100])} for _ in range(RUNS)]
        print(summarize("search: common words (worst case)", time_calls(run, common)))


if __name__ == "__main__":
    main()
