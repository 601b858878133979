from django.urls import include, path

from harbour.casework.views import search

urlpatterns = [
    path("children/", search.search, name="search"),
    path("", include("harbour.casework.urls_children")),
    path("", include("harbour.casework.urls_record")),
    path("", include("harbour.casework.urls_front_door")),
    path("", include("harbour.casework.urls_steps")),
]
