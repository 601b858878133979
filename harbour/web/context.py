from django.conf import settings


def display_name(user) -> str:
    """The name Harbour shows for a person: their staff record's, else their account's."""
    staff = getattr(user, "staff", None)
    if staff is not None:
        return staff.name
    return user.get_full_name() or user.username


def service(request):
    context = {"service_name": settings.HARBOUR_SERVICE_NAME}
    if request.user.is_authenticated:
        context["display_name"] = display_name(request.user)
    return context
