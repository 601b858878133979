"""The fields every recording form is made of, each rendered as its GOV.UK Design System
component by `{% field %}` (casework/templatetags/govuk.py) and each failing in GOV.UK's words.

A field is told what it is about (`noun`: "the date of the visit") so its messages can name it:
"Enter the date of the visit", "The date of the visit must be a real date". A required field is
given its own message (`required=`): GOV.UK asks for "Enter ..." or "Select ...", never Django's
"This field is required."."""

import re
from datetime import date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

# Characters no one types: kept out of the record (a tab and new lines stay).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u2028\u2029\ufeff]")
LONG = 20_000  # a long answer: an assessment's analysis, a visit's observations
SHORT = 200


def without_control_characters(value: str) -> str:
    return CONTROL.sub("", value.replace("\r\n", "\n"))


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


class Field:
    """What each GOV.UK field carries beyond Django's: its kind (which template renders it),
    its noun for messages, and (for radios) the fields revealed by an option."""

    kind = "input"

    def govuk(self, *, noun: str, required: str | None, hint: str = "", **extra):
        self.noun = noun
        self.help_text = hint
        self.required = required is not None
        if required:
            self.error_messages["required"] = required
        for name, value in extra.items():
            setattr(self, name, value)


class TextField(Field, forms.CharField):
    """One line of text: a name, a subject, who was present."""

    def __init__(self, label, *, noun, required=None, hint="", max_length=SHORT, width=None):
        super().__init__(label=label, max_length=max_length, strip=True)
        self.govuk(noun=noun, required=required, hint=hint, width=width)
        self.error_messages["max_length"] = (
            f"{_first_upper(noun)} must be {max_length:,} characters or fewer"
        )

    def to_python(self, value):
        return without_control_characters(super().to_python(value))


class TextAreaField(TextField):
    """A long answer, with GOV.UK's character count as it nears its limit."""

    kind = "textarea"

    def __init__(self, label, *, noun, required=None, hint="", max_length=LONG, rows=5):
        super().__init__(label, noun=noun, required=required, hint=hint, max_length=max_length)
        self.rows = rows


class ChoiceField(Field, forms.ChoiceField):
    """GOV.UK radios (or a select, `kind="select"`, for a long list). `hints` gives an option
    a hint; `reveals` names the fields shown under an option (a reason where the answer is
    no), which the form's `clean` makes required."""

    kind = "radios"

    def __init__(
        self,
        label,
        *,
        choices,
        noun,
        required=None,
        hint="",
        hints=None,
        reveals=None,
        inline=False,
        select=False,
    ):
        super().__init__(label=label, choices=choices)
        self.govuk(
            noun=noun,
            required=required,
            hint=hint,
            hints=hints or {},
            reveals=reveals or {},
            inline=inline,
        )
        if select:
            self.kind = "select"
        self.error_messages["invalid_choice"] = f"Select {noun} from the list"


class YesNoField(ChoiceField):
    """A yes or no question, as inline radios, cleaned to True or False (None if unanswered
    and not required)."""

    def __init__(self, label, *, noun, required=None, hint="", reveals=None, yes="Yes", no="No"):
        super().__init__(
            label,
            choices=[("yes", yes), ("no", no)],
            noun=noun,
            required=required,
            hint=hint,
            reveals=reveals,
            inline=not reveals,
        )

    def clean(self, value):
        value = super().clean(value)
        return {"yes": True, "no": False}.get(value)

    def prepare_value(self, value):
        return {True: "yes", False: "no"}.get(value, value)


class ChecksField(Field, forms.MultipleChoiceField):
    """GOV.UK checkboxes: several of a list (the agencies invited). `grouped`: options named
    "Theme - detail" (the census's assessment factors) are shown under their theme."""

    kind = "checkboxes"

    def __init__(self, label, *, choices, noun, required=None, hint="", grouped=False):
        super().__init__(label=label, choices=choices)
        self.govuk(noun=noun, required=required, hint=hint, grouped=grouped)
        self.error_messages["invalid_choice"] = f"Select {noun} from the list"


class ChooseField(Field, forms.ModelChoiceField):
    """A person or record chosen from those Harbour holds (radios for a few, a select for
    many): chosen, never retyped."""

    kind = "radios"

    def __init__(self, label, *, queryset, noun, required=None, hint="", select=False):
        super().__init__(queryset=queryset, label=label, empty_label=None)
        self.govuk(noun=noun, required=required, hint=hint, hints={}, reveals={}, inline=False)
        if select:
            self.kind = "select"
        self.error_messages["invalid_choice"] = f"Select {noun} from the list"


class DateWidget(forms.MultiWidget):
    """GOV.UK's date input: day, month and year boxes named `<name>_day` and so on."""

    def __init__(self):
        box = {"inputmode": "numeric"}
        super().__init__({"day": forms.TextInput(box), "month": forms.TextInput(box),
                          "year": forms.TextInput(box)})  # fmt: skip

    def value_from_datadict(self, data, files, name):
        """The three boxes; or, from a link, one `name=YYYY-MM-DD` (a dashboard's day)."""
        boxes = super().value_from_datadict(data, files, name)
        if not any(boxes) and data.get(name):
            given = str(data[name])[:20]
            year, _, rest = given.partition("-")
            month, _, day = rest.partition("-")
            # Not a day as links write it: judged "not a real date", not "missing a month".
            return [day, month, year] if day and month and year else [given, "-", "-"]
        return boxes

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class DateField(Field, forms.MultiValueField):
    """A date in GOV.UK's date input, with GOV.UK's messages: "Enter the date of the visit",
    "The date of the visit must include a month", "... must be a real date", "... must be
    today or in the past" (`past=True`)."""

    kind = "date"
    widget = DateWidget

    def __init__(
        self,
        label,
        *,
        noun,
        required=None,
        hint="For example, 27 3 2026",
        past=False,
        earliest: date | None = date(1900, 1, 1),
    ):
        parts = [forms.CharField(required=False, max_length=4) for _ in range(3)]
        super().__init__(fields=parts, label=label, require_all_fields=False, required=False)
        self.govuk(noun=noun, required=required, hint=hint, past=past, earliest=earliest)
        # Which of the boxes were wrong, for the template to mark (all three by default).
        self.wrong_parts = ()

    def clean(self, value):
        parts = [(v or "").strip() for v in (value or [None, None, None])]
        self.wrong_parts = ("day", "month", "year")
        Noun = _first_upper(self.noun)
        if not any(parts):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            self.wrong_parts = ()
            return None
        missing = [p for p, v in zip(("day", "month", "year"), parts, strict=True) if not v]
        if missing:
            self.wrong_parts = tuple(missing)
            raise ValidationError(f"{Noun} must include a {' and '.join(missing)}")
        if not all(v.isdigit() for v in parts):
            raise ValidationError(f"{Noun} must be a real date")
        if len(parts[2]) != 4:
            self.wrong_parts = ("year",)
            raise ValidationError("Year must include 4 numbers")
        day, month, year = (int(v) for v in parts)
        try:
            value = date(year, month, day)
        except ValueError:
            raise ValidationError(f"{Noun} must be a real date") from None
        if self.earliest and value < self.earliest:
            self.wrong_parts = ("year",)
            earliest = f"{self.earliest.day} {self.earliest:%B} {self.earliest.year}"
            raise ValidationError(f"{Noun} must be the same as or after {earliest}")
        if self.past and value > timezone.localdate():
            raise ValidationError(f"{Noun} must be today or in the past")
        self.wrong_parts = ()
        return value

    def compress(self, data_list):  # clean() above does the work
        return data_list


TIME = re.compile(r"^\s*(\d{1,2})(?:[:.]?(\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


class TimeField(TextField):
    """A time of day typed as people write it: 14:30, 2.30pm, 1430, 9am."""

    def __init__(self, label, *, noun, required=None, hint="For example, 9:30 or 14:15"):
        super().__init__(label, noun=noun, required=required, hint=hint, max_length=8, width=5)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        found = TIME.match(text)
        if not found:
            raise ValidationError(f"Enter {self.noun} as a time, like 9:30 or 14:15")
        hour, minute, half = int(found[1]), int(found[2] or 0), (found[3] or "").lower()
        if half:
            if not 1 <= hour <= 12:
                raise ValidationError(f"{_first_upper(self.noun)} must be a real time")
            hour = hour % 12 + (12 if half == "pm" else 0)
        if hour > 23 or minute > 59:
            raise ValidationError(f"{_first_upper(self.noun)} must be a real time")
        return time(hour, minute)

    def prepare_value(self, value):
        return value.strftime("%H:%M") if isinstance(value, time) else value


def moment(day: date | None, at: time | None) -> datetime | None:
    """A date and a time of day (midday where no time was given) as an aware datetime."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day, at or time(12, 0)))
