"""Forged input in the admin's own machinery, answered as a person would expect.

Django's changelist filters the selected rows with ``pk__in`` on whatever the request
sent as ``_selected_action``; a value that is not an id ("", "abc", a number past 2**63)
raises ValueError or OverflowError, a 500. Such values cannot have been ticked in the list, so they are dropped: the action
then runs on the rows that exist, or says that nothing was selected.

The autocomplete boxes' view passes the typed term to the database as it came; a NUL in
it is a 500 on PostgreSQL (the changelist's own search form refuses one).
"""

from django.contrib.admin import helpers
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import ValidationError

from ..body import without_control_characters

# The range of a database's integer ids (BigAutoField): larger numbers name no row, and
# SQLite's driver refuses them with an OverflowError.
LARGEST_ID = 2**63 - 1


def is_possible_id(field, value):
    """Whether ``value`` could name a row through ``field`` (a primary or target key)."""
    try:
        id_value = field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    return not isinstance(id_value, int) or -LARGEST_ID <= id_value <= LARGEST_ID


class ForgedSelectionMixin:
    def changelist_view(self, request, extra_context=None):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME) if request.method == "POST" else []
        pk_field = self.opts.pk
        if any(not is_possible_id(pk_field, value) for value in selected):
            request.POST = request.POST.copy()
            request.POST.setlist(
                helpers.ACTION_CHECKBOX_NAME, [value for value in selected if is_possible_id(pk_field, value)]
            )
        return super().changelist_view(request, extra_context)


class AutocompleteView(AutocompleteJsonView):
    """Django's autocomplete view, searching for the term without its control characters."""

    def process_request(self, request):
        term, *rest = super().process_request(request)
        return (without_control_characters(term), *rest)
