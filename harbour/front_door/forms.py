"""A partner agency's referral, in the GOV.UK pattern: one question a section, plain words."""

from datetime import date

from django import forms

from harbour.web.forms import GovukForm

AGENCIES = [
    ("6", "Police"),
    ("2A", "School"),
    ("2B", "Other education service"),
    ("3A", "GP"),
    ("3B", "Health visitor"),
    ("3C", "School nurse"),
    ("3E", "Hospital emergency department"),
    ("3F", "Other health service"),
    ("4", "Housing"),
    ("7", "Courts, probation or another legal agency"),
    ("8", "Another agency or a voluntary organisation"),
]


class ReferralForm(GovukForm):
    agency = forms.ChoiceField(
        label="Which kind of agency are you referring from?",
        choices=AGENCIES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of agency you are referring from"},
    )
    forename = forms.CharField(
        label="Child's first name",
        max_length=100,
        error_messages={"required": "Enter the child's first name"},
    )
    surname = forms.CharField(
        label="Child's last name",
        max_length=100,
        error_messages={"required": "Enter the child's last name"},
    )
    born_day = forms.IntegerField(label="Day", required=False, min_value=1, max_value=31)
    born_month = forms.IntegerField(label="Month", required=False, min_value=1, max_value=12)
    born_year = forms.IntegerField(label="Year", required=False, min_value=1990, max_value=2100)
    unborn = forms.BooleanField(
        label="The child is not yet born (give the date they are due)", required=False
    )
    concerns = forms.CharField(
        label="What are you worried about?",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        error_messages={
            "required": "Say what you are worried about",
            "max_length": "Keep it to 10,000 characters or fewer",
        },
    )
    consent = forms.ChoiceField(
        label="Does the family know you are making this referral?",
        choices=[
            ("yes", "Yes, and they agree"),
            ("no_risk", "No: telling them could put the child at risk of significant harm"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the family knows about this referral"},
    )

    def clean(self):
        cleaned = super().clean()
        parts = [cleaned.get(f"born_{p}") for p in ("day", "month", "year")]
        if "born_day" in self.errors or "born_month" in self.errors or "born_year" in self.errors:
            return cleaned
        if not any(parts):
            self.add_error("born_day", "Enter the child's date of birth, or the date they are due")
            return cleaned
        if not all(parts):
            self.add_error("born_day", "The date must include a day, month and year")
            return cleaned
        try:
            day = date(parts[2], parts[1], parts[0])
        except ValueError:
            self.add_error("born_day", "The date must be a real date")
            return cleaned
        today = date.today()
        if cleaned.get("unborn") and day <= today:
            self.add_error("born_day", "The date a child is due must be in the future")
        elif not cleaned.get("unborn") and day > today:
            self.add_error("born_day", "The date of birth must be in the past")
        elif not cleaned.get("unborn") and today.year - day.year > 18:
            self.add_error("born_day", "Harbour is for children: the child must be under 18")
        cleaned["born"] = day
        return cleaned
