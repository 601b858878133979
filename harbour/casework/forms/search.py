"""Find a child's form: one box that takes a name (or a reference, NHS number, postcode or
date, recognised by its shape), and more ways to search: date of birth, an identifier, a
postcode."""

from django import forms

from harbour.casework.forms.children import DateParts
from harbour.people.search import postcode_key, street_key
from harbour.people.selectors import Question, read_box
from harbour.web.forms import GovukForm


class SearchForm(DateParts, GovukForm):
    date_inputs = {"born": ("Date of birth", False)}

    q = forms.CharField(
        label="Name, reference or NHS number",
        max_length=100,
        required=False,
        help_text="Spelling need not be exact. For example, Amy Brackby, SYN0001234, "
        "485 777 3456 or NE1 4AB.",
    )
    identifier = forms.CharField(
        label="Reference, NHS number or UPN",
        max_length=20,
        required=False,
        help_text="A former UPN is searched too.",
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        required=False,
        help_text="A whole postcode, or its first part, like NE1.",
    )
    address = forms.CharField(
        label="Address",
        max_length=200,
        required=False,
        help_text="The first line, like 12 Willow Gardens, or the street alone. Past "
        "addresses are searched too.",
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "Page must be a whole number",
            "min_value": "Page must be 1 or more",
        },
    )

    # The fields of "More ways to search" (open when any is used).
    MORE = ("born_day", "born_month", "born_year", "identifier", "postcode", "address")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_date_fields()
        self.fields["identifier"].widget.attrs["class"] += " govuk-input--width-20"
        self.fields["identifier"].widget.attrs["spellcheck"] = "false"
        self.fields["postcode"].widget.attrs["class"] += " govuk-input--width-10"
        self.fields["q"].widget.attrs["spellcheck"] = "false"

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if postcode and len(postcode_key(postcode)) < 2:
            raise forms.ValidationError("Enter a postcode, or its first part, like NE1")
        return postcode

    def clean_address(self):
        address = self.cleaned_data["address"].strip()
        if address and len(street_key(address)) < 3:
            raise forms.ValidationError("Enter more of the street, like Willow Gardens")
        return address

    def clean(self):
        return self.clean_dates(super().clean())

    @property
    def more_used(self) -> bool:
        return any((self.data.get(name) or "").strip() for name in self.MORE)

    def question(self) -> Question:
        """What is asked, the separate fields winning over what the box was read as."""
        data = self.cleaned_data
        asked = read_box(data.get("q", ""))
        if data.get("born"):
            asked.date_of_birth = data["born"]
        if data.get("identifier", "").strip():
            asked.identifier = data["identifier"].strip()
        if data.get("postcode"):
            asked.postcode = data["postcode"]
        if data.get("address", "").strip():
            asked.street = data["address"].strip()
        return asked

    def query_string_fields(self) -> dict:
        """The fields to carry to the next page (all but the page)."""
        return {
            name: (self.data.get(name) or "").strip()
            for name in ("q", *self.MORE)
            if (self.data.get(name) or "").strip()
        }
