from harbour.core.admin import RecordAdmin, register_app


class StaffAdmin(RecordAdmin):
    list_display = ("surname", "forename", "role", "team", "qualified", "starts_on", "ends_on")
    list_filter = ("role", "qualified", "team")
    search_fields = ("surname", "forename", "registration_number")


register_app("workforce", Staff=StaffAdmin)
