"""The casework screens' permissions (django-rules finds this module), one module per area.

Each builds on the predicates of `harbour.access.rules`, so every view asks one primitive."""

from harbour.casework.permissions import (  # noqa: F401
    assessment,
    children,
    front_door,
    protection,
    record,
    steps,
    trays,
)
