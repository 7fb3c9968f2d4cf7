from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        # Derived data kept current on every save: each module's receivers sit
        # beside what they maintain (cached pages, the search index, old addresses).
        from .editorial import revisions
        from .lasting_urls import changes  # noqa: F401
        from .pagecache import invalidation  # noqa: F401
        from .search import index  # noqa: F401

        revisions.register_models()

        # The image library asks where its images are used (it knows nothing of articles).
        from images import usage

        from .models.image_uses import image_uses

        usage.register_finder(image_uses)
