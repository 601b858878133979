"""The form every step of the child's journey is recorded with (casework/recording.py).

It knows the child (and the record being changed, if any), carries the version the person
opened so a stale save can be refused, enforces the answers revealed under a radio option (a
reason where the child was not seen alone), and gives back a service's refusal against the
field it names."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict


class RecordingForm(forms.Form):
    # Sections of a long form: [(heading, [field names])]; None shows the fields in order.
    sections: list[tuple[str, list[str]]] | None = None
    # A service's argument, where the form names it differently: {service name: field name}.
    service_names: dict[str, str] = {}

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, child=None, record=None, user=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.child, self.record, self.user, self.today = child, record, user, today
        self._revealed = {}
        for name, field in self.fields.items():
            for value, shown in getattr(field, "reveals", {}).items():
                for revealed in [shown] if isinstance(shown, str) else shown:
                    target = self.fields[revealed]
                    target.revealed_by = name
                    self._revealed[revealed] = (name, value, target.required)
                    target.required = False
        if record is not None and not self.is_bound:
            self.initial.setdefault("version", record.version)
        self.setup()

    def setup(self) -> None:
        """Set choices that depend on the child (their plans, the people around them)."""

    # ----- rendering -------------------------------------------------------------------------

    def revealed_fields(self, name: str, value) -> list:
        """The bound fields shown under option `value` of radios `name`."""
        shown = getattr(self.fields[name], "reveals", {}).get(str(value), ())
        return [self[n] for n in ([shown] if isinstance(shown, str) else shown)]

    def main_fields(self, names=None) -> list:
        """The visible fields not revealed under an option (those render inside it)."""
        names = names if names is not None else list(self.fields)
        return [
            self[n]
            for n in names
            if n not in self._revealed and not self[n].is_hidden and n in self.fields
        ]

    def grouped(self) -> list[tuple[str, list]]:
        if not self.sections:
            return [("", self.main_fields())]
        return [(heading, self.main_fields(names)) for heading, names in self.sections]

    def hide_errors(self) -> None:
        """Show what was typed without judging it (a draft kept or restored)."""
        self._errors = ErrorDict()
        self.cleaned_data = {}

    # ----- cleaning ---------------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        for name, (by, value, was_required) in self._revealed.items():
            chosen = self.data.get(self.add_prefix(by))
            if was_required and chosen == value and data.get(name) in (None, "", []):
                if name not in self.errors:
                    self.add_error(name, self.fields[name].error_messages["required"])
            elif chosen != value and name in data and name not in self.errors:
                data[name] = "" if isinstance(self.fields[name], forms.CharField) else None
        return data

    def refused(self, error: ValidationError) -> None:
        """A service's ValidationError shown on the form: against the field it names when the
        form has it, else at the top of the error summary."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            name = self.service_names.get(name, name)
            self.add_error(name if name in self.fields else None, messages)

    def first_error_id(self, name: str) -> str:
        """The id of the input the error summary links to for field `name`."""
        field = self.fields[name]
        bound = self[name]
        if getattr(field, "kind", "") == "date":
            part = (getattr(field, "wrong_parts", ()) or ("day",))[0]
            return f"{bound.auto_id}_{part}"
        if getattr(field, "kind", "") in ("radios", "checkboxes"):
            return f"{bound.auto_id}_0"
        return bound.auto_id
