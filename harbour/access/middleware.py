"""Two-factor sign-in for everyone, and work kept as a draft when a session runs out."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

OPEN_PATHS = ("/login/", "/logout/", "/static/", "/oidc/")
DRAFTS = "harbour_drafts"


class RequireTwoFactorMiddleware:
    """A signed-in person must also have given a code from their authenticator app (or have
    signed in through a single sign-on provider that asks for its own second factor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            getattr(settings, "HARBOUR_TWO_FACTOR_REQUIRED", True)
            and user.is_authenticated
            and not user.is_verified()
            and not request.session.get("mfa_by_provider")
            and not request.path.startswith(OPEN_PATHS)
        ):
            from django_otp.plugins.otp_totp.models import TOTPDevice

            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            target = reverse("two-factor" if has_device else "two-factor-setup")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class KeepWorkAsDraftMiddleware:
    """A form sent after the session has run out is kept, not lost: its fields go into the new
    session, the person signs in again, and the form comes back filled in (`take_draft`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "POST"
            and not request.user.is_authenticated
            and not request.path.startswith(OPEN_PATHS)
            and not request.path.startswith("/admin/login")
        ):
            fields = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
            drafts = request.session.get(DRAFTS, {})
            drafts[request.path] = fields
            request.session[DRAFTS] = drafts
            login = reverse("login")
            return redirect(f"{login}?{urlencode({'next': request.path, 'draft': '1'})}")
        return self.get_response(request)


def take_draft(request) -> dict | None:
    """The fields kept for this page when the session ran out, once."""
    drafts = request.session.get(DRAFTS) or {}
    draft = drafts.pop(request.path, None)
    if draft is not None:
        request.session[DRAFTS] = drafts
    return draft
