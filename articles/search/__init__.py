"""Full-text search of articles, the same on PostgreSQL and SQLite.

- query: parsing what readers type, matching, ranking, results with snippets
- index: keeping the indexes current on every save, and rebuilding them
"""

from .query import (
    FIRST_WINDOW,
    MAX_TERMS,
    RANK_ALL_UP_TO,
    RANKING_POOL,
    ParsedQuery,
    match_articles,
    parse_query,
    rank_articles,
    search_articles,
)

__all__ = [
    "FIRST_WINDOW", "MAX_TERMS", "RANK_ALL_UP_TO", "RANKING_POOL", "ParsedQuery", "match_articles",
    "parse_query", "rank_articles", "search_articles",
]  # fmt: skip
