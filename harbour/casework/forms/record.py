"""Forms of the child's record: the timeline's filter and the chronology's curation."""

from datetime import date

from django import forms

from harbour.journey.models import ChronologyEntry
from harbour.journey.selectors import KINDS
from harbour.web.forms import GovukForm


class TimelineFilterForm(forms.Form):
    """What the timeline shows: the kinds ticked (none ticked: every kind), and the page."""

    kind = forms.MultipleChoiceField(
        label="Show",
        choices=list(KINDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    page = forms.IntegerField(required=False, min_value=1)

    def kinds(self) -> list[str] | None:
        if not self.is_valid():
            return None
        return self.cleaned_data["kind"] or None

    def page_number(self) -> int:
        if self.is_valid() and self.cleaned_data["page"]:
            return self.cleaned_data["page"]
        return 1


class ChronologyEntryForm(GovukForm):
    """A worker's own chronology entry."""

    day = forms.IntegerField(label="Day", required=False)
    month = forms.IntegerField(label="Month", required=False)
    year = forms.IntegerField(label="Year", required=False)
    category = forms.ChoiceField(
        label="What kind of event was it?",
        choices=[("", "Select a kind of event"), *ChronologyEntry.Category.choices],
        error_messages={"required": "Select what kind of event it was"},
    )
    summary = forms.CharField(
        label="What happened",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter what happened",
            "max_length": "What happened must be 500 characters or fewer",
        },
    )
    annotation = forms.CharField(
        label="What it meant for the child (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "What it meant must be 5,000 characters or fewer"},
    )

    DATE_FIELDS = ("day", "month", "year")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.attrs["class"] = "govuk-select"
        for name in self.DATE_FIELDS:
            self.fields[name].error_messages["invalid"] = "The date must be a real date"

    def clean(self):
        data = super().clean()
        parts = [data.get(n) for n in self.DATE_FIELDS]
        if "day" in self.errors or "month" in self.errors or "year" in self.errors:
            return data
        if all(p is None for p in parts):
            self.add_error("day", "Enter the date the event happened")
        elif any(p is None for p in parts):
            self.add_error("day", "The date the event happened must include a day, month and year")
        else:
            try:
                data["occurred_on"] = date(parts[2], parts[1], parts[0])
            except (ValueError, OverflowError):
                self.add_error("day", "The date the event happened must be a real date")
        return data


class CurateForm(GovukForm):
    """Whether an event stays on the chronology, and the worker's note on it."""

    significant = forms.ChoiceField(
        label="Keep it on the chronology?",
        choices=[("yes", "Yes, it is significant"), ("no", "No, mark it not significant")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to keep it on the chronology"},
    )
    annotation = forms.CharField(
        label="What it meant for the child (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "What it meant must be 5,000 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["significant"].widget.attrs["class"] = "govuk-radios__input"
