from datetime import date

from django import forms
from django.utils import timezone

from harbour.web.fields import DateField


def _years() -> list[tuple[int, str]]:
    today = timezone.localdate()
    latest = today.year if today.month > 3 else today.year - 1  # the last year that has ended
    latest += 1  # and the year in progress, for a check before the census date
    return [
        (y, f"{y - 1} to {y} (1 April {y - 1} to 31 March {y})") for y in range(latest, 2012, -1)
    ]


class YearReturnForm(forms.Form):
    year = forms.TypedChoiceField(label="Collection year", coerce=int, choices=_years)


# Before this no record Harbour holds could be listed (and year 1 breaks date arithmetic).
EARLIEST_INSPECTION = date(2000, 1, 1)


class AnnexAForm(forms.Form):
    as_of = DateField(
        "Inspection date",
        noun="the inspection date",
        required="Enter the inspection date",
        hint="The lists cover the months before this date, as Ofsted asks. For example, "
        "27 3 2026.",
        past=True,
        earliest=None,  # clean_as_of says how early
    )

    def clean_as_of(self) -> date:
        as_of = self.cleaned_data["as_of"]
        if as_of < EARLIEST_INSPECTION:
            raise forms.ValidationError("The inspection date must be 1 January 2000 or later")
        return as_of
