"""Forms for adding a child and merging two records of one child, and the GOV.UK date input
they (and Find a child) share. Each names what to fix in GOV.UK's words; the services check
again."""

from datetime import date

from django import forms

from harbour.web.forms import GovukForm

SEX = [("F", "Female"), ("M", "Male"), ("U", "Not known (or not yet born)")]


class DateParts:
    """A GOV.UK date input (day, month, year as three boxes) read into one date.

    A form using it declares `date_inputs = {"date_of_birth": ("Date of birth", required)}`;
    the fields `<name>_day`, `<name>_month`, `<name>_year` are added, and the date is in
    `cleaned_data[<name>]` (None when left empty and not required). Errors go on the day box,
    which the error summary links to."""

    date_inputs: dict[str, tuple[str, bool]] = {}

    def add_date_fields(self):
        for name in self.date_inputs:
            for part, label in (("day", "Day"), ("month", "Month"), ("year", "Year")):
                self.fields[f"{name}_{part}"] = forms.CharField(
                    label=label, required=False, max_length=4
                )

    def date_parts(self, name) -> list:
        return [self[f"{name}_{part}"] for part in ("day", "month", "year")]

    @property
    def born_parts(self) -> list:
        return self.date_parts("born")

    def clean_dates(self, cleaned):
        for name, (label, required) in self.date_inputs.items():
            parts = [(cleaned.get(f"{name}_{p}") or "").strip() for p in ("day", "month", "year")]
            where = f"{name}_day"
            cleaned[name] = None
            if not any(parts):
                if required:
                    self.add_error(where, f"Enter the {label.lower()}")
                continue
            missing = [p for p, v in zip(("day", "month", "year"), parts, strict=True) if not v]
            if missing:
                self.add_error(where, f"{label} must include a {' and '.join(missing)}")
                continue
            if not all(v.isdigit() for v in parts):
                self.add_error(where, f"{label} must be a real date, in numbers, like 27 3 2019")
                continue
            day, month, year = (int(v) for v in parts)
            if year < 1900 or len(parts[2]) != 4:
                self.add_error(where, f"{label} must have a year of 4 numbers, like 2019")
                continue
            try:
                cleaned[name] = date(year, month, day)
            except ValueError:
                self.add_error(where, f"{label} must be a real date")
        return cleaned


class ChildDetailsForm(DateParts, GovukForm):
    """Who the child is: asked first, so likely matches can be shown before anything is made."""

    date_inputs = {"born": ("Date of birth", True)}

    forename = forms.CharField(
        label="First name",
        max_length=100,
        error_messages={"required": "Enter the child's first name"},
    )
    surname = forms.CharField(
        label="Last name",
        max_length=100,
        error_messages={"required": "Enter the child's last name"},
    )
    unborn = forms.BooleanField(
        label="The child is not born yet (the date is when they are due)", required=False
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=SEX,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's sex"},
    )
    postcode = forms.CharField(
        label="Postcode (optional)",
        max_length=10,
        required=False,
        help_text="Where the child lives now, if known, like NE1 4AB.",
    )
    address_line_1 = forms.CharField(
        label="Address line 1 (optional)", max_length=200, required=False
    )
    town = forms.CharField(label="Town or city (optional)", max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_date_fields()
        self.fields["town"].widget.attrs["class"] += " govuk-!-width-two-thirds"
        self.fields["postcode"].widget.attrs["class"] += " govuk-input--width-10"
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"

    def clean(self):
        cleaned = self.clean_dates(super().clean())
        if cleaned.get("address_line_1", "").strip() and not cleaned.get("postcode", "").strip():
            self.add_error("postcode", "Enter the postcode of the address")
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        unborn = data.get("unborn")
        return {
            "forename": data["forename"],
            "surname": data["surname"],
            "sex": data["sex"],
            "date_of_birth": None if unborn else data["born"],
            "expected_date_of_birth": data["born"] if unborn else None,
            "postcode": data.get("postcode", ""),
            "address_line_1": data.get("address_line_1", ""),
            "town": data.get("town", ""),
        }


class ChooseForm(GovukForm):
    """After the likely matches: one of them, or a new record."""

    NEW = "new"
    choice = forms.CharField(
        error_messages={"required": "Select the child, or that they are not one of these"}
    )


class MergeForm(GovukForm):
    """The two references (the duplicate, and the record to keep), then a reason."""

    duplicate = forms.CharField(
        label="Reference of the duplicate record",
        max_length=20,
        help_text="The record to fold into the other. It will point to the record you keep.",
        error_messages={"required": "Enter the reference of the duplicate record"},
    )
    keep = forms.CharField(
        label="Reference of the record to keep",
        max_length=20,
        error_messages={"required": "Enter the reference of the record to keep"},
    )

    def clean(self):
        cleaned = super().clean()
        for name in ("duplicate", "keep"):
            if cleaned.get(name):
                cleaned[name] = "".join(cleaned[name].split()).upper()
        if cleaned.get("duplicate") and cleaned.get("duplicate") == cleaned.get("keep"):
            self.add_error(
                "keep", "Enter two different references: a record cannot be merged into itself"
            )
        return cleaned


class MergeConfirmForm(GovukForm):
    reason = forms.CharField(
        label="Why are these records the same child?",
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=10,
        max_length=2000,
        help_text="For example, the same NHS number, or the family confirmed it. This is kept "
        "in the audit log with both records.",
        error_messages={
            "required": "Enter why these records are the same child",
            "min_length": "Give the reason in a sentence, so others can understand it",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )
