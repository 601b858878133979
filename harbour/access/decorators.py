"""One way for views to ask for a permission: signed in, then the rule, else 403."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def requires(permission: str, get_object=None):
    """Signed-in users with `permission` (on the object `get_object(request, **kwargs)` gives,
    which may raise Http404 first); anonymous users go to sign in; others get 403.

    A request that may write (POST and the like) runs in one transaction, so an action that
    writes several rows, audit lines and alerts included, is kept whole or not at all."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.method in SAFE_METHODS:
                return checked(request, *args, **kwargs)
            with transaction.atomic():
                return checked(request, *args, **kwargs)

        def checked(request, *args, **kwargs):
            obj = get_object(request, **kwargs) if get_object else None
            if not request.user.has_perm(permission, obj):
                raise PermissionDenied
            if get_object:
                kwargs["obj"] = obj
            return view(request, *args, **kwargs)

        wrapped.permission = permission
        return wrapped

    return decorate
