"""
What an export holds: every model of the project's own apps and of the libraries
whose data belongs to the newsroom, in an order where each model comes after the
models it points to.

Nothing here names a Newsroom model: the list is read from the app registry, so a
model added later (by a new app of the project, too) is exported without a change
here. What cannot be exported safely makes the plan fail with the reason, rather
than being left out without a word.
"""

import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from . import derived

# Libraries whose rows are part of the newsroom (the project's own apps are found by their path).
LIBRARY_APPS = ("contenttypes", "auth", "admin", "taggit", "reversion")

# Installed apps with models whose rows do not move, and why (told to the operator in the docs).
LEFT_OUT_APPS = {
    "sessions": "logins do not move: everyone signs in again on the new site",
    "axes": "failed-login records and lock-outs belong to the old site's security, not to the newsroom",
}

# Rows that `migrate` creates in every database (content types, permissions, and the
# editorial groups of a data migration): matched by natural key, never by id, since
# their ids differ between databases.
NATURAL_KEY_MODELS = ("contenttypes.contenttype", "auth.permission", "auth.group")


class PlanError(Exception):
    """A model that the export cannot hold or cannot order; the message says which and why."""


@dataclass(frozen=True)
class ModelPlan:
    """How one model is written and read back."""

    model: type[models.Model]
    by_natural_key: bool

    @property
    def label(self):
        return self.model._meta.label_lower

    @property
    def file(self):
        return f"data/{self.label}.jsonl"

    @cached_property
    def fields(self):
        """The stored columns that are copied: every concrete field but derived ones (and the id
        of rows matched by natural key)."""
        return tuple(
            field
            for field in self.model._meta.concrete_fields
            if not derived.is_derived_field(field) and not (self.by_natural_key and field.primary_key)
        )

    @cached_property
    def many_to_many(self):
        """Many-to-many fields whose link table Django made itself: held inline, as lists of keys.

        A many-to-many with a through model of its own (bylines, tags, related picks) is
        exported as that model instead.
        """
        return tuple(
            field
            for field in self.model._meta.local_many_to_many
            if field.remote_field.through._meta.auto_created
        )

    @cached_property
    def file_fields(self):
        return tuple(field for field in self.fields if isinstance(field, models.FileField))

    def field_names(self):
        return [field.name for field in self.fields] + [field.name for field in self.many_to_many]


def is_project_app(app_config):
    """An app of this repository, rather than an installed library (which may sit in .venv/ below it)."""
    path = Path(app_config.path).resolve()
    environment = Path(sys.prefix).resolve()
    return path.is_relative_to(Path(settings.BASE_DIR).resolve()) and not path.is_relative_to(environment)


def exported_app_configs():
    """The apps whose rows are exported; an unknown app with models is refused."""
    chosen = []
    for app_config in apps.get_app_configs():
        has_models = any(True for _ in app_config.get_models())
        if app_config.label in LIBRARY_APPS or is_project_app(app_config):
            chosen.append(app_config)
        elif has_models and app_config.label not in LEFT_OUT_APPS:
            raise PlanError(
                f"The installed app “{app_config.label}” has models that the export does not know. "
                "Add it to LIBRARY_APPS (its rows move) or LEFT_OUT_APPS (with the reason they do not) "
                "in portability/registry.py."
            )
    return chosen


def _check_exportable(model):
    meta = model._meta
    if meta.pk is None or getattr(meta.pk, "field_names", None):
        raise PlanError(f"{meta.label} has a composite primary key, which the export does not support.")
    if not meta.managed and not derived.is_derived_model(model):
        raise PlanError(
            f"{meta.label} is not managed by Django (managed = False), so the export cannot know what its "
            "table holds. If its rows are derived from other data, declare it in portability/derived.py "
            "with the way to rebuild them."
        )


def _candidate_models():
    for app_config in exported_app_configs():
        for model in app_config.get_models():
            if model._meta.proxy:
                continue  # the same rows as the concrete model
            _check_exportable(model)
            if derived.is_derived_model(model):
                continue
            yield model


def _dependencies(model, plans_by_model):
    """The other exported models this one points to (foreign keys and inline many-to-many)."""
    targets = [field.related_model for field in model._meta.concrete_fields if field.is_relation]
    targets += [
        field.related_model
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]
    found = set()
    for target in targets:
        target = target._meta.concrete_model
        if target is model:
            continue  # rows pointing to rows of their own table: foreign keys are checked at commit
        if target not in plans_by_model:
            raise PlanError(
                f"{model._meta.label} points to {target._meta.label}, whose rows are not exported, so an "
                "import could not restore it."
            )
        found.add(target)
    return found


def unapplied_migrations(connection):
    """Migrations not yet applied to the database, as "app_label.name"."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def export_plan():
    """Every exported model, each after the models it points to."""
    candidates = list(_candidate_models())
    natural = {apps.get_model(label) for label in NATURAL_KEY_MODELS}
    plans_by_model = {model: ModelPlan(model, by_natural_key=model in natural) for model in candidates}
    waiting = {model: _dependencies(model, plans_by_model) for model in candidates}
    ordered = []
    while waiting:
        # Registry order among the models that are ready, so that the order is stable.
        ready = [model for model in candidates if model in waiting and not waiting[model]]
        if not ready:
            cycle = ", ".join(sorted(model._meta.label for model in waiting))
            raise PlanError(
                f"These models point to each other in a cycle, so no import order exists: {cycle}."
            )
        for model in ready:
            ordered.append(plans_by_model[model])
            del waiting[model]
        for dependencies in waiting.values():
            dependencies.difference_update(ready)
    return ordered
