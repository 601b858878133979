"""Forms shared across Harbour's pages, rendered with GOV.UK Frontend's classes."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class GovukForm(forms.Form):
    """Gives text inputs GOV.UK's classes and links an input in error to its message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = self._css(field)

    @staticmethod
    def _css(field) -> str:
        return "govuk-textarea" if isinstance(field.widget, forms.Textarea) else "govuk-input"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                css = self._css(self.fields[name])
                attrs["class"] = f"{css} {css}--error"
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"


class SignInForm(GovukForm, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password (both are case-sensitive)",
        "inactive": "This account has been closed",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs["spellcheck"] = "false"

    def clean(self):
        # GOV.UK puts every error against a field, so the error summary can link to it.
        try:
            return super().clean()
        except ValidationError as error:
            self.add_error("username", error)
            return self.cleaned_data
