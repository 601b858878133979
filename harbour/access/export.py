"""Exports that are safe to open in a spreadsheet."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value) -> str:
    """A cell a spreadsheet will show as text, never run as a formula (OWASP's advice: a
    leading quote before anything a spreadsheet would read as a formula)."""
    text = "" if value is None else str(value)
    text = text.replace("\x00", "")
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
