"""Two-factor sign-in for everyone, and work kept as a draft when a session runs out."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from harbour.access import drafts
from harbour.access.drafts import take_draft  # noqa: F401 (views take their drafts from here)

OPEN_PATHS = ("/login/", "/logout/", "/static/", "/oidc/")


def fully_signed_in(request) -> bool:
    """Password and second factor given (or a provider that asks for its own second factor, or
    two-factor sign-in turned off)."""
    user = request.user
    if not user.is_authenticated:
        return False
    if not getattr(settings, "HARBOUR_TWO_FACTOR_REQUIRED", True):
        return True
    if request.session.get("mfa_by_provider"):
        return True
    # Set by OTPMiddleware; a user signed in during this request has given a password only.
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


class RequireTwoFactorMiddleware:
    """A signed-in person must also have given a code from their authenticator app (or have
    signed in through a single sign-on provider that asks for its own second factor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not fully_signed_in(request)
            and not request.path.startswith(OPEN_PATHS)
        ):
            from django_otp.plugins.otp_totp.models import TOTPDevice

            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            target = reverse("two-factor" if has_device else "two-factor-setup")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class KeepWorkAsDraftMiddleware:
    """A form sent after the session has run out is kept, not lost: the person the draft cookie
    names gets it back once they sign in again (`take_draft`).

    Its check runs as a view middleware after CsrfViewMiddleware, so a request without a valid
    CSRF token has been refused before anything is kept; nothing goes into the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "harbour_signed_out", False):
            drafts.forget_owner(response)
        elif fully_signed_in(request) and not drafts.names(request, request.user):
            drafts.name_owner(response, request.user)
        return response

    def process_view(self, request, view, args, kwargs):
        if (
            request.method != "POST"
            or request.user.is_authenticated
            or request.path.startswith((*OPEN_PATHS, "/admin/"))
        ):
            return None
        login = reverse("login")
        kept = None
        # The script's autosave names the form it keeps; anything else keeps itself.
        autosave = request.path == reverse("keep-draft")
        path = request.POST.get("harbour_path", "") if autosave else request.path
        fields = drafts.fields_of(request.POST)
        fields.pop("harbour_path", None)
        owner = drafts.owner(request)
        if owner is not None and getattr(request, "csrf_processing_done", False) and path:
            try:
                drafts.keep_draft(user=owner, path=path, fields=fields, request=request)
                kept = "1"
            except drafts.DraftNotKept:
                kept = "0"
        if autosave:
            # Kept: an ordinary answer (the script says so); not kept: refused.
            signed_out = {
                "kept": kept == "1",
                "signed_out": True,
                "why": "you have been signed out",
            }
            return JsonResponse(signed_out, status=200 if kept == "1" else 401)
        query = {"next": path, **({"draft": kept} if kept else {})}
        return redirect(f"{login}?{urlencode(query)}")
