"""Forms of the front door: the screening decision, what the referrer was told, and a contact
typed in by a screener. Each says what to fix in GOV.UK's words; the services check again."""

from datetime import date, datetime, time

from django import forms
from django.utils import timezone

from harbour.codes import choices
from harbour.journey.models import Contact
from harbour.web.forms import GovukForm


class HintedRadios(forms.RadioSelect):
    """Radios whose options may carry a GOV.UK hint (`hints`: value -> text)."""

    def __init__(self, *args, hints=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = hints or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        return option


DECISION_HINTS = {
    Contact.Decision.NO_FURTHER_ACTION: "The child needs no service from children's services.",
    Contact.Decision.ADVICE: "Information and advice to the referrer or the family; no service.",
    Contact.Decision.EARLY_HELP: "An early help episode starts (the family agrees to it).",
    Contact.Decision.REFERRAL: "A child in need episode opens, for an assessment under section 17.",
    Contact.Decision.STRATEGY: "Reasonable cause to suspect significant harm: a child in need "
    "episode opens and a strategy discussion is needed (section 47). Record the discussion "
    "when it is held.",
    Contact.Decision.OPEN_CASE: "Only for a child whose case is already open.",
}

CONSENT = [
    ("given", "Sought, and the family agreed"),
    ("refused", "Sought, and the family refused"),
    ("overridden", "Sought and refused, and overridden"),
    ("overridden_unsought", "Not sought, and overridden: asking could put the child at risk"),
    ("not_sought", "Not sought: nothing is to be shared or done with the family"),
]
CONSENT_FIELDS = {
    "given": (True, True, False),
    "refused": (True, False, False),
    "overridden": (True, False, True),
    "overridden_unsought": (False, None, True),
    "not_sought": (False, None, False),
}


def consent_words(contact: Contact) -> str:
    """The contact's consent so far, in words."""
    return dict(CONSENT).get(consent_answer(contact), "Not sought")


def consent_answer(contact: Contact) -> str:
    """The consent answer the contact records so far (a partner's referral says one)."""
    if contact.consent_overridden:
        return "overridden" if contact.consent_sought else "overridden_unsought"
    if contact.consent_sought:
        return "given" if contact.consent_given else "refused"
    return ""


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="What is the decision?",
        choices=[(d.value, d.label) for d in Contact.Decision],
        widget=HintedRadios(hints=DECISION_HINTS),
        error_messages={"required": "Select the decision"},
    )
    threshold_reason = forms.CharField(
        label="Why does this meet (or not meet) the threshold?",
        help_text="Refer to the authority's threshold document: the need, the risk, the "
        "family's strengths. Seen by staff only, never by the referrer.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        error_messages={
            "required": "Enter why the decision meets (or does not meet) the threshold",
            "max_length": "Keep it to 10,000 characters or fewer",
        },
    )
    consent = forms.ChoiceField(
        label="The family's consent",
        choices=CONSENT,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the family's consent was sought"},
    )
    consent_override_rationale = forms.CharField(
        label="Why is consent overridden? (if it is)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
        error_messages={"max_length": "Keep it to 5,000 characters or fewer"},
    )
    outcome_for_referrer = forms.CharField(
        label="What are you telling the referrer?",
        help_text="The referrer reads this on their referrals sent page. Say what happens "
        "next; leave out the threshold reasoning and anyone else's details.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
        error_messages={
            "required": "Enter what the referrer is told",
            "max_length": "Keep it to 5,000 characters or fewer",
        },
    )

    def __init__(self, *args, partner: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner
        if not partner:
            field = self.fields["outcome_for_referrer"]
            field.required = False
            field.label = "What are you telling the referrer? (optional)"

    def clean(self):
        data = super().clean()
        if (
            data.get("consent") in ("overridden", "overridden_unsought")
            and not (data.get("consent_override_rationale") or "").strip()
        ):
            self.add_error("consent_override_rationale", "Enter why consent is overridden")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        sought, given, overridden = CONSENT_FIELDS[data["consent"]]
        return {
            "decision": data["decision"],
            "threshold_reason": data["threshold_reason"],
            "consent_sought": sought,
            "consent_given": given,
            "consent_overridden": overridden,
            "consent_override_rationale": data["consent_override_rationale"],
            "outcome_for_referrer": data.get("outcome_for_referrer", ""),
        }


class TellReferrerForm(GovukForm):
    outcome = forms.CharField(
        label="What did you tell the referrer?",
        help_text="The referrer reads this on their referrals sent page, if they referred "
        "online. Leave out the threshold reasoning and anyone else's details.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5_000,
        error_messages={
            "required": "Enter what the referrer was told",
            "max_length": "Keep it to 5,000 characters or fewer",
        },
    )


SOURCES = [("", "Select who the referrer is"), *choices.referral_source()]
TYPED_CHANNELS = [
    (c.value, c.label)
    for c in (
        Contact.Channel.PHONE,
        Contact.Channel.EMAIL,
        Contact.Channel.POLICE,
        Contact.Channel.IN_PERSON,
    )
]
TYPED_CONSENT = [
    ("given", "Yes, and they agree"),
    ("refused", "Yes, and they do not agree"),
    ("not_sought", "No, or the referrer does not know"),
]


def _date(cleaned, prefix):
    parts = [cleaned.get(f"{prefix}_{p}") for p in ("day", "month", "year")]
    if not any(parts):
        return None, "empty"
    if not all(parts):
        return None, "The date must include a day, month and year"
    try:
        return date(parts[2], parts[1], parts[0]), None
    except ValueError:
        return None, "The date must be a real date"


class NewContactForm(GovukForm):
    """A contact a screener types in: how it came, who from, what about, and the child."""

    DATES = ("received", "born")

    channel = forms.ChoiceField(
        label="How did the contact come?",
        choices=TYPED_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the contact came"},
    )
    received_day = forms.IntegerField(label="Day", required=False, min_value=1, max_value=31)
    received_month = forms.IntegerField(label="Month", required=False, min_value=1, max_value=12)
    received_year = forms.IntegerField(label="Year", required=False, min_value=2000, max_value=2100)
    received_time = forms.CharField(
        label="Time (optional)",
        required=False,
        max_length=5,
        help_text="For example, 14:30. Left blank: now, or the start of the day given.",
    )
    source = forms.ChoiceField(
        label="Who is the referrer?",
        choices=SOURCES,
        error_messages={"required": "Select who the referrer is"},
    )
    referrer_name = forms.CharField(label="Referrer's name", required=False, max_length=200)
    referrer_organisation = forms.CharField(
        label="Organisation (optional)", required=False, max_length=200
    )
    referrer_contact = forms.CharField(
        label="Referrer's phone number or email (optional)", required=False, max_length=200
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
    sex = forms.ChoiceField(
        label="Child's sex",
        choices=[("F", "Female"), ("M", "Male"), ("U", "Not known")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's sex, or Not known"},
    )
    postcode = forms.CharField(label="Child's postcode (optional)", required=False, max_length=8)
    concerns = forms.CharField(
        label="What is the referrer worried about?",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        error_messages={
            "required": "Enter what the referrer is worried about",
            "max_length": "Keep it to 10,000 characters or fewer",
        },
    )
    consent = forms.ChoiceField(
        label="Does the family know about this contact?",
        choices=TYPED_CONSENT,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the family knows about this contact"},
    )

    @staticmethod
    def _css(field) -> str:
        if isinstance(field.widget, forms.Select) and not isinstance(
            field.widget, forms.RadioSelect
        ):
            return "govuk-select"
        return GovukForm._css(field)

    # The second step: one of the likely matches (a child's reference), or "new".
    match = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("received_day", "received_month", "received_year", "born_day"):
            self.fields[name].error_messages["invalid"] = "The date must be a real date"
        for name in ("born_month", "born_year"):
            self.fields[name].error_messages["invalid"] = "The date must be a real date"

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        if not any(f"received_{p}" in self.errors for p in ("day", "month", "year")):
            received, problem = _date(data, "received")
            if problem == "empty":
                received = None
            elif problem:
                self.add_error("received_day", problem)
            elif received > today:
                self.add_error(
                    "received_day", "The date the contact came must not be in the future"
                )
            moment = None
            text = (data.get("received_time") or "").strip()
            if text:
                try:
                    moment = time.fromisoformat(text if len(text) > 2 else f"{text}:00")
                except ValueError:
                    self.add_error("received_time", "Enter the time like 14:30")
            if received is None and "received_day" not in self.errors:
                data["received_at"] = (
                    timezone.make_aware(datetime.combine(today, moment))
                    if moment
                    else timezone.now()
                )
            elif received is not None:
                data["received_at"] = timezone.make_aware(
                    datetime.combine(received, moment or time.min)
                )
            if data.get("received_at") and data["received_at"] > timezone.now():
                self.add_error(
                    "received_time", "The time the contact came must not be in the future"
                )
        if data.get("source") != "9" and not (data.get("referrer_name") or "").strip():
            self.add_error(
                "referrer_name", "Enter the referrer's name (or choose 9: Anonymous as who it is)"
            )
        if not any(f"born_{p}" in self.errors for p in ("day", "month", "year")):
            born, problem = _date(data, "born")
            if problem == "empty":
                self.add_error(
                    "born_day", "Enter the child's date of birth, or the date they are due"
                )
            elif problem:
                self.add_error("born_day", problem)
            elif data.get("unborn") and born <= today:
                self.add_error("born_day", "The date a child is due must be in the future")
            elif not data.get("unborn") and born > today:
                self.add_error("born_day", "The date of birth must be in the past")
            elif not data.get("unborn") and today.year - born.year > 18:
                self.add_error("born_day", "Harbour is for children: the child must be under 18")
            else:
                data["born"] = born
        return data

    def child_details(self) -> dict:
        data = self.cleaned_data
        unborn = bool(data.get("unborn"))
        return {
            "forename": data["forename"].strip(),
            "surname": data["surname"].strip(),
            "sex": data["sex"],
            "date_of_birth": None if unborn else data["born"],
            "expected_date_of_birth": data["born"] if unborn else None,
            "postcode": data.get("postcode", "").strip(),
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        sought = data["consent"] in ("given", "refused")
        return {
            "channel": data["channel"],
            "source": data["source"],
            "concerns": data["concerns"],
            "referrer_name": data.get("referrer_name", ""),
            "referrer_organisation": data.get("referrer_organisation", ""),
            "referrer_contact": data.get("referrer_contact", ""),
            "received_at": data["received_at"],
            "consent_sought": sought,
            "consent_given": (data["consent"] == "given") if sought else None,
        }
