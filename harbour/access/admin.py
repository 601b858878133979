from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from harbour.access.models import User


@admin.register(User)
class HarbourUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Harbour", {"fields": ("external_role", "organisation")}))
