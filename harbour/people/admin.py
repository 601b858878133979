from harbour.core.admin import RecordAdmin, register_app


class ChildAdmin(RecordAdmin):
    list_display = ("reference", "forename", "surname", "date_of_birth", "sex", "ethnicity")
    search_fields = ("reference", "surname", "forename", "upn", "nhs_number")


register_app("people", Child=ChildAdmin)
