"""Admin widgets that hold up against forged input.

Django's autocomplete select looks its submitted value up in the database to show it
again when the form comes back with errors; a value that is not an id ("abc", " ")
then raises ValueError, and an id past a 64-bit integer an OverflowError on SQLite: a
500 instead of the form's own "Select a valid choice".
"""

from django.contrib.admin.widgets import AutocompleteSelect

from .forged_input import is_possible_id


class ForgivingAutocompleteSelect(AutocompleteSelect):
    """An autocomplete select that leaves out, when re-rendering, values that cannot be ids."""

    def optgroups(self, name, value, attr=None):
        target = self.field.remote_field.model._meta.get_field(self.field.remote_field.field_name)
        usable = [item for item in value if is_possible_id(target, item)]
        return super().optgroups(name, usable, attr)


class ForgivingAutocompleteMixin:
    """For ModelAdmin and inlines: their autocomplete fields use ForgivingAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ForgivingAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
