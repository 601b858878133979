from django.urls import path

from harbour.casework.views import record, search

urlpatterns = [
    path("children/", search.search, name="search"),
    path("children/<str:reference>/", record.child, name="child"),
]
