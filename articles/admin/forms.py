"""The article form of the admin: workflow status choices and the edit-conflict check."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from ..editorial import revisions, workflow
from ..models import Article

Status = Article.Status
PUBLISH_YEARS = (1000, 9998)


class ArticleAdminForm(forms.ModelForm):
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Set by ArticleWorkflowMixin.get_form: who is filling the form in.
    user = None
    check_conflicts = True

    class Meta:
        model = Article
        # The admin passes the fields of its fieldsets to get_form(); these are the workflow's own.
        fields = ["status", "published_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
        if "status" in self.fields and self.user is not None:
            reachable = {Status(self.instance.status)}
            reachable |= {target for target, _ in workflow.allowed_transitions(self.user, self.instance)}
            self.fields["status"].widget.choices = [
                (value, label) for value, label in Status.choices if value in reachable
            ]
            self.fields[
                "status"
            ].help_text = "Or use the buttons in the bar at the top. Published with a future publish time means scheduled."

    def clean_status(self):
        target = self.data.get("_transition") or self.cleaned_data["status"]
        if target not in Status.values:
            raise ValidationError("Choose a status from the list.")
        refusal = workflow.transition_refusal(self.user, self.instance, target)
        if refusal:
            raise ValidationError(refusal)
        return target

    def clean_published_at(self):
        published_at = self.cleaned_data["published_at"]
        # Near the ends of the calendar, the conversion to UTC for the database overflows.
        if published_at and not PUBLISH_YEARS[0] <= published_at.year <= PUBLISH_YEARS[1]:
            raise ValidationError(
                "Enter a publish time between the years %(first)s and %(last)s.",
                params={"first": PUBLISH_YEARS[0], "last": PUBLISH_YEARS[1]},
            )
        return published_at

    def clean(self):
        cleaned = super().clean()
        if self.check_conflicts and self.instance.pk:
            self._check_for_newer_save(cleaned.get("loaded_version"))
        return cleaned

    def _check_for_newer_save(self, loaded_version):
        current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if loaded_version == current:
            return
        # The next save of this (merged) form is measured against what is saved now.
        self.data = self.data.copy()
        self.data["loaded_version"] = current
        if loaded_version is None:
            raise ValidationError(
                "This form came without its edit stamp, so it cannot be checked against newer saves. "
                "Check the article below against the saved version and save again.",
                code="edit_conflict",
            )
        history = list(revisions.versions_of(self.instance)[:1])
        latest = history[0] if history else None
        base = revisions.version_with_edit_number(self.instance, loaded_version)
        who = latest.revision.user if latest and latest.revision.user else None
        when = latest.revision.date_created if latest else self.instance.updated_at
        self.conflict = {
            "who": (who.get_full_name() or who.get_username()) if who else "Someone",
            "when": when,
            "changes": revisions.compare(base, latest) if base and latest else [],
        }
        raise ValidationError(
            "%(who)s saved this article at %(when)s, after you opened it. Nothing was saved from this "
            "form; everything you typed is still below. Compare it with their changes listed above, "
            "merge, and save again.",
            code="edit_conflict",
            params={
                "who": self.conflict["who"],
                "when": date_format(timezone.localtime(when), "DATETIME_FORMAT"),
            },
        )
