from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
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
    actions = ["give_enrolment_codes", "remove_authenticators"]

    @admin.action(description="Remove the authenticator app (a lost or replaced phone)")
    def remove_authenticators(self, request, queryset):
        from harbour.access.second_factor import remove_authenticator

        removed = [
            user.username
            for user in queryset.order_by("username")
            if remove_authenticator(user=user, removed_by=request.user, request=request)
        ]
        self.message_user(
            request,
            f"Authenticator app removed for {', '.join(removed)}: give them an enrolment code "
            "to add a new one"
            if removed
            else "None of them had an authenticator app",
        )

    @admin.action(description="Give an enrolment code (to set up an authenticator app)")
    def give_enrolment_codes(self, request, queryset):
        """Each code is shown on the page that follows, once; only its HMAC is kept."""
        from harbour.access.second_factor import issue_enrolment_code

        issued, refused = [], []
        for user in queryset.order_by("username"):
            try:
                code = issue_enrolment_code(user=user, issued_by=request.user, request=request)
                issued.append((user, code))
            except ValidationError as error:
                refused.append((user, error.messages[0]))
        return TemplateResponse(
            request,
            "access/admin_enrolment_codes.html",
            {
                **self.admin_site.each_context(request),
                "title": "Enrolment codes",
                "opts": self.model._meta,
                "issued": issued,
                "refused": refused,
            },
        )
