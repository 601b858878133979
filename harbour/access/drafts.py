"""Work kept when a session runs out: the form's fields, kept on the server for the person who
was signed in, given back to them alone, once, when they open the same form again.

Who they are comes from a signed cookie set when they last signed in fully (password and second
factor), not from anything the request says: an unsigned or forged request keeps nothing.
"""

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from harbour.access import audit
from harbour.access.models import AuditEvent, Draft, User

OWNER_COOKIE = "harbour_draft_owner"
OWNER_SALT = "harbour.access.drafts.owner"
OWNER_LIFETIME = 10 * 60 * 60  # a working day, in seconds
FIELDS_LIMIT = 256 * 1024  # bytes of field names and values
DRAFTS_A_PERSON = 20


class DraftNotKept(ValueError):
    """The form could not be kept (too large, or nowhere to keep it)."""


def fields_of(post: QueryDict) -> dict[str, list[str]]:
    """The form's fields as lists (a checkbox group sends several), without the CSRF token."""
    return {name: values for name, values in post.lists() if name != "csrfmiddlewaretoken"}


def _size(fields: dict[str, list[str]]) -> int:
    return sum(len(k.encode()) + sum(len(v.encode()) for v in vs) for k, vs in fields.items())


@transaction.atomic
def keep_draft(*, user: User, path: str, fields: dict[str, list[str]], request=None) -> Draft:
    """Keep `fields` as `user`'s draft of the form at `path`, in place of any earlier draft of it;
    a person keeps at most DRAFTS_A_PERSON drafts (the oldest go)."""
    if len(path) > Draft._meta.get_field("path").max_length:
        raise DraftNotKept("The form's address is too long to keep")
    if _size(fields) > FIELDS_LIMIT:
        raise DraftNotKept(f"The form is over {FIELDS_LIMIT // 1024} KB")
    draft, _ = Draft.objects.update_or_create(
        user=user, path=path, defaults={"fields": fields, "saved_at": timezone.now()}
    )
    keep = Draft.objects.filter(user=user).order_by("-saved_at", "-pk")[:DRAFTS_A_PERSON]
    Draft.objects.filter(user=user).exclude(pk__in=list(keep.values_list("pk", flat=True))).delete()
    audit.record(
        AuditEvent.Action.DRAFT_KEPT,
        request=request,
        user=user,
        obj=draft,
        detail={"path": path, "fields": sorted(fields)},
    )
    return draft


def take_draft(request) -> QueryDict | None:
    """The fields kept for this page for the person signed in, once (then the draft is gone)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    with transaction.atomic():
        draft = Draft.objects.select_for_update().filter(user=user, path=request.path).first()
        if draft is None:
            return None
        draft.delete()
    return as_data(draft)


def _named(request) -> int | None:
    value = request.get_signed_cookie(
        OWNER_COOKIE, default=None, salt=OWNER_SALT, max_age=OWNER_LIFETIME
    )
    return int(value) if value and value.isdigit() else None


def names(request, user) -> bool:
    """Whether the draft cookie already names `user`."""
    return _named(request) == user.pk


def owner(request) -> User | None:
    """The person the draft cookie names, if its signature holds and it is not too old."""
    pk = _named(request)
    return User.objects.filter(pk=pk, is_active=True).first() if pk is not None else None


def name_owner(response, user) -> None:
    response.set_signed_cookie(
        OWNER_COOKIE,
        str(user.pk),
        salt=OWNER_SALT,
        max_age=OWNER_LIFETIME,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def forget_owner(response) -> None:
    response.delete_cookie(OWNER_COOKIE, samesite="Lax")


def draft_of(user, path: str) -> Draft | None:
    """The person's draft of the form at `path`, left in place (a recording form offers it
    until the record is saved or the draft thrown away)."""
    if user is None or not user.is_authenticated:
        return None
    return Draft.objects.filter(user=user, path=path).first()


def as_data(draft: Draft) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in draft.fields.items():
        data.setlist(name, values if isinstance(values, list) else [values])
    return data


def discard_draft(*, user: User, path: str, request=None) -> bool:
    """Throw away the person's draft of the form at `path` (saved as a record, or not wanted)."""
    deleted, _ = Draft.objects.filter(user=user, path=path).delete()
    return bool(deleted)
