"""Accessible names for admin inputs that Django renders without a label.

Tabular inlines show each field's label once, as a column header, so the inputs in
the rows have no name of their own; a split date/time field is one label for two
inputs. Screen readers (and axe-core) then announce a bare "edit text". The rich-text
editor and the autocomplete selects get their names in the browser, from
static/js/admin-accessible-names.js, because their widgets are built there.
"""

from django import forms
from django.forms.models import BaseInlineFormSet

ADMIN_MEDIA = forms.Media(
    js=["js/admin-accessible-names.js"],
    css={"all": ["css/admin-accessibility.css"]},
)


def name_split_inputs(formfield):
    """Give the date and the time input of a split date/time field names of their own."""
    widget = getattr(formfield, "widget", None)
    subwidgets = getattr(widget, "widgets", None)
    if isinstance(formfield, forms.SplitDateTimeField) and subwidgets and len(subwidgets) == 2:
        label = formfield.label or "Date and time"
        subwidgets[0].attrs.setdefault("aria-label", f"{label} (date)")
        subwidgets[1].attrs.setdefault("aria-label", f"{label} (time)")
    return formfield


class LabelledRowsFormSet(BaseInlineFormSet):
    """An inline formset whose every input is named after its column (tabular inlines)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for field in form.fields.values():
            # Past the admin's "add another" wrapper, to the input itself.
            widget = getattr(field.widget, "widget", field.widget)
            if field.label and not widget.is_hidden:
                widget.attrs.setdefault("aria-label", str(field.label))


class AccessibleNamesMixin:
    """For ModelAdmin and inlines: names for split inputs, plus the script and CSS above."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        return name_split_inputs(formfield) if formfield else formfield

    @property
    def media(self):
        return super().media + ADMIN_MEDIA
