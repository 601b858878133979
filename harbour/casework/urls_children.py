"""Adding a child and merging two records of one child (before the record's own URLs, whose
`children/<reference>/` would otherwise take these)."""

from django.urls import path

from harbour.casework.views import children

urlpatterns = [
    path("children/add/", children.add_child, name="add_child"),
    path("children/merge/", children.merge_children, name="merge_children"),
    path("children/<str:reference>/merged/", children.merged, name="merged"),
]
