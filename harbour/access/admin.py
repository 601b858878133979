from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from harbour.access.models import User
from harbour.core.admin import AuditedAdmin

# Roles come from staff records and rules, not Django's groups.
admin.site.unregister(Group)
# An administrator who could read authenticator keys could sign in as anyone.
admin.site.unregister(TOTPDevice)
# Sign-in attempts and lockouts stay (an administrator unlocks an account), audited like the rest.
for _model, _admin in list(admin.site._registry.items()):
    if _model._meta.app_label == "axes":
        admin.site.unregister(_model)
        admin.site.register(
            _model, type(f"Audited{type(_admin).__name__}", (AuditedAdmin, type(_admin)), {})
        )


@admin.register(User)
class HarbourUserAdmin(AuditedAdmin, UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Harbour", {"fields": ("external_role", "organisation")}))
