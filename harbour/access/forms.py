from django import forms

from harbour.web.forms import GovukForm


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=8,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("The code is 6 digits, like 123456")
        return code


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=10,
        max_length=2000,
        error_messages={
            "required": "Enter why you need to open this record",
            "min_length": "Give the reason in a sentence, so a manager can understand it",
            "max_length": "The reason must be 2,000 characters or fewer",
        },
    )


class EnrolmentCodeForm(GovukForm):
    enrolment_code = forms.CharField(
        label="Enrolment code",
        max_length=40,
        error_messages={
            "required": "Enter the enrolment code your manager or administrator gave you",
            "max_length": "The enrolment code is 12 letters and numbers, like ABCD-EFGH-JKMN",
        },
    )

    def clean_enrolment_code(self):
        from harbour.access.second_factor import ALPHABET, CODE_LENGTH, normalise

        code = normalise(self.cleaned_data["enrolment_code"])
        if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
            raise forms.ValidationError(
                "The enrolment code is 12 letters and numbers, like ABCD-EFGH-JKMN"
            )
        return code
