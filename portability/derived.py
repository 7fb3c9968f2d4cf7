"""
Derived data: what the export leaves out because the import computes it again.

- The full-text search index (PostgreSQL's ``search_vector`` and ``search_pairs``
  columns, SQLite's FTS5 table): it depends on the database engine, so it is rebuilt
  from the imported articles rather than copied.
- Generated columns (``GeneratedField``): the database computes them.

After an import, ``rebuild()`` refills the search index and drops cached reader pages.
"""

from django.contrib.postgres.search import SearchVectorField

# Models whose rows are derived, by label, with what rebuilds them.
DERIVED_MODELS = {
    "articles.articlesearchentry": "the SQLite full-text index, rebuilt after the import",
    "images.rendition": "image renditions (sizes and formats), made again at their first request",
}


def is_derived_field(field):
    return isinstance(field, SearchVectorField) or getattr(field, "generated", False)


def is_derived_model(model):
    return model._meta.label_lower in DERIVED_MODELS


def rebuild(log):
    """Compute the derived data from the imported rows (inside the import's transaction)."""
    # Imported here: these are the articles app's own services, loaded once the apps are ready.
    from articles.pagecache import invalidate_everything
    from articles.search.index import rebuild_index

    log("Rebuilding the search index…")
    count = rebuild_index()
    log(f"  {count:,} articles indexed")
    invalidate_everything()
