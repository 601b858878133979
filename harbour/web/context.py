from django.conf import settings


def service(request):
    return {"service_name": settings.HARBOUR_SERVICE_NAME}
