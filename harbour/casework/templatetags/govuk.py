"""`{% field form.x %}`: a recording form's field as its GOV.UK component, chosen by the field's
kind (web/fields.py); `{% error_summary form %}`: GOV.UK's error summary, each
message linking to the input it is about."""

from django import template

register = template.Library()


def _described_by(bound, extra=()) -> str:
    ids = [*extra]
    if bound.help_text:
        ids.append(f"{bound.auto_id}-hint")
    if bound.errors:
        ids.append(f"{bound.auto_id}-error")
    return " ".join(ids)


@register.inclusion_tag("casework/fields/field.html")
def field(bound, size="s", heading=False):
    """One field. `size`: the legend or label size (s, m, l); `heading`: the label is the
    page's h1 (a one-question page)."""
    definition = bound.field
    kind = getattr(definition, "kind", "input")
    form = bound.form
    options = []
    if kind in ("radios", "checkboxes", "select"):
        hints = getattr(definition, "hints", {})
        reveals = getattr(definition, "reveals", {})
        for index, option in enumerate(bound.subwidgets if kind != "select" else []):
            value = str(option.data["value"])
            options.append(
                {
                    "id": f"{bound.auto_id}_{index}",
                    "value": value,
                    "label": option.choice_label,
                    "checked": option.data["selected"],
                    "hint": hints.get(value, ""),
                    "revealed": form.revealed_fields(bound.name, value) if reveals else [],
                }
            )
    groups = _grouped(options) if getattr(definition, "grouped", False) else []
    value = bound.value()
    if kind == "select":
        chosen = {str(v) for v in (value if isinstance(value, list) else [value])}
        options = [
            {"value": str(v), "label": label, "checked": str(v) in chosen}
            for v, label in definition.choices
        ]
    parts = []
    if kind == "date":
        values = value if isinstance(value, list | tuple) else definition.widget.decompress(value)
        wrong = set(getattr(definition, "wrong_parts", ()) or ()) if bound.errors else set()
        for part, label, width, got in zip(
            ("day", "month", "year"), ("Day", "Month", "Year"), (2, 2, 4), values, strict=True
        ):
            parts.append(
                {
                    "id": f"{bound.auto_id}_{part}",
                    "name": f"{bound.html_name}_{part}",
                    "label": label,
                    "width": width,
                    "value": got or "",
                    "wrong": part in wrong,
                }
            )
    return {
        "f": bound,
        "kind": kind,
        "size": size,
        "heading": heading,
        "options": options,
        "groups": groups,
        "parts": parts,
        "value": "" if value is None else value,
        "described_by": _described_by(bound),
        "inline": getattr(definition, "inline", False),
        "rows": getattr(definition, "rows", 5),
        "width": getattr(definition, "width", None),
        "max_length": getattr(definition, "max_length", None),
    }


def _grouped(options: list[dict]) -> list[dict]:
    """Options labelled "Theme - detail" under their theme, in the list's order; an option with
    no theme stands alone. Each keeps its theme in its label for a screen reader."""
    groups: list[dict] = []
    for option in options:
        theme, _, detail = str(option["label"]).partition(" - ")
        if not detail:
            groups.append({"theme": "", "options": [{**option, "theme": ""}]})
            continue
        if not groups or groups[-1]["theme"] != theme:
            groups.append({"theme": theme, "options": []})
        groups[-1]["options"].append({**option, "label": detail, "theme": theme})
    return groups


@register.inclusion_tag("casework/fields/error_summary.html")
def error_summary(form):
    items = []
    if form.errors:
        for error in form.non_field_errors():
            items.append({"text": error, "href": ""})
        for name in form.fields:
            for error in form.errors.get(name, []):
                items.append({"text": error, "href": f"#{form.first_error_id(name)}"})
    return {"items": items}


@register.simple_tag
def step_for(rule: str):
    """The step that completes the duty `rule` (a tray links the duty to its form), or None."""
    from harbour.casework.recording import step_for_duty

    return step_for_duty(rule)
