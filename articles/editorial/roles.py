"""
The Writers and Editors groups and their permissions, by codename.

The data migration 0003_editorial_groups creates them; ``sync_groups()`` can be
run again at any time (it only adds what is missing), e.g. after a test flushed
the database.
"""

WRITERS = {
    "articles": [
        "add_article", "change_article", "view_article",
        "view_section", "view_author",
        "add_byline", "change_byline", "delete_byline", "view_byline",
        "add_relatedlink", "change_relatedlink", "delete_relatedlink", "view_relatedlink",
        "view_correction", "add_correctionsuggestion", "view_correctionsuggestion",
    ],
    "taggit": ["view_tag"],
    # Writers bring their own pictures to the library and describe them; editors may delete.
    "images": ["add_image", "change_image", "view_image"],
}  # fmt: skip
EDITOR_MODELS = {
    "articles": [
        "article", "section", "author", "byline", "relatedlink", "taggedarticle", "correction", "previewlink",
        "correctionsuggestion",
    ],
    "taggit": ["tag"],
    "images": ["image"],
}  # fmt: skip
EDITOR_EXTRA = {"articles": ["publish_article", "edit_any_article", "view_auditevent"]}


def editor_codenames():
    codenames = {app: list(extra) for app, extra in EDITOR_EXTRA.items()}
    for app, models in EDITOR_MODELS.items():
        for model in models:
            codenames.setdefault(app, []).extend(
                f"{action}_{model}" for action in ("add", "change", "delete", "view")
            )
    return codenames


GROUPS = {"Writers": WRITERS, "Editors": editor_codenames()}


def sync_groups(apps=None):
    """Create the groups and give them their permissions (``apps``: a migration's registry)."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    apps = apps or global_apps
    # Permissions are normally created after all migrations ran; make them now.
    for app_config in apps.get_app_configs():
        had_models_module = getattr(app_config, "models_module", None)
        app_config.models_module = had_models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = had_models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in by_app.items():
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )
