from datetime import date

from django import forms
from taggit.models import Tag

from ..models import Section


class SearchForm(forms.Form):
    """The reader's search: words, optional section, topic and date filters, and the order.

    Every field is optional and forgiving: a bad filter becomes a message
    under that field, never an error page.
    """

    q = forms.CharField(label="Search for", required=False, strip=True)
    section = forms.ModelChoiceField(
        queryset=Section.objects.all(), to_field_name="slug", required=False, empty_label="All sections"
    )
    tag = forms.CharField(label="Topic", required=False, help_text="E.g. “seawall”.")
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    NEWEST = "newest"
    ORDERS = [("", "Best match"), (NEWEST, "Newest first")]
    # A CharField, not a ChoiceField: an order nobody offered is best match, not an error.
    sort = forms.CharField(label="Order", required=False, widget=forms.Select(choices=ORDERS))
    # Dates far enough out for any archive, near enough that a day's start is a valid time everywhere.
    EARLIEST, LATEST = date(1000, 1, 1), date(9998, 12, 31)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The search module drops NUL and other control characters itself; a
        # pasted NUL is no reason to refuse the whole search.
        self.fields["q"].validators = []

    def clean_tag(self):
        name = self.cleaned_data["tag"]
        if not name:
            return None
        tag = Tag.objects.filter(slug=name).first() or Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            raise forms.ValidationError("No topic is called “%(name)s”.", params={"name": name[:80]})
        return tag

    def clean_sort(self):
        return self.cleaned_data["sort"] if self.cleaned_data["sort"] == self.NEWEST else ""

    def _clean_day(self, name):
        day = self.cleaned_data[name]
        if day is not None and not self.EARLIEST <= day <= self.LATEST:
            raise forms.ValidationError(
                "Enter a date between the years %(first)s and %(last)s.",
                params={"first": self.EARLIEST.year, "last": self.LATEST.year},
            )
        return day

    def clean_date_from(self):
        return self._clean_day("date_from")

    def clean_date_to(self):
        return self._clean_day("date_to")

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date comes before the start date.")
        return cleaned

    def filters(self):
        """The valid filters, as keyword arguments of search_articles()."""
        data = getattr(self, "cleaned_data", {})
        filters = {name: data.get(name) for name in ("section", "tag", "date_from", "date_to")}
        return {**filters, "newest_first": data.get("sort") == self.NEWEST}
