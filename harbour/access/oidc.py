"""Single sign-on through the council's OpenID Connect provider.

Accounts are made in Harbour by the council and matched to the provider's `email` claim; the
provider's own second factor stands in for Harbour's where the council says it asks for one.
"""

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class CouncilOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def authenticate(self, request, **kwargs):
        user = super().authenticate(request, **kwargs)
        if user is not None and request is not None and settings.OIDC_PROVIDER_ENFORCES_MFA:
            request.session["mfa_by_provider"] = True
        return user
