"""Teams and staff are configuration; allocations, supervision and case discussions are
casework, recorded in Harbour's own pages under need to know, not here."""

from harbour.core.admin import RecordAdmin, register
from harbour.workforce.models import District, Staff, Team


class StaffAdmin(RecordAdmin):
    list_display = ("surname", "forename", "role", "team", "qualified", "starts_on", "ends_on")
    list_filter = ("role", "qualified", "team")
    search_fields = ("surname", "forename", "registration_number")


register(District, Team, Staff, Staff=StaffAdmin)
