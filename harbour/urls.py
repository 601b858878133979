from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("harbour.access.urls")),
    path("", include("harbour.front_door.urls")),
    path("", include("harbour.casework.urls")),
    path("", include("harbour.timescales.urls")),
    path("", include("harbour.returns.urls")),
    path("", include("harbour.insight.urls")),
    path("", include("harbour.web.urls")),
]

handler403 = "harbour.web.views.permission_denied"
handler404 = "harbour.web.views.page_not_found"
handler500 = "harbour.web.views.server_error"
