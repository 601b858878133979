"""The child's record: its sections, the records behind its timeline, its chronology and the
family file."""

from django.urls import path

from harbour.casework.views import chronology, family, record

urlpatterns = [
    path("children/<str:reference>/", record.child, name="child"),
    path("children/<str:reference>/timeline/", record.child_timeline, name="child-timeline"),
    path(
        "children/<str:reference>/records/<slug:kind>/<int:record_id>/",
        record.child_record,
        name="child-record",
    ),
    path("children/<str:reference>/family-and-network/", record.child_family, name="child-family"),
    path("children/<str:reference>/identity/", record.child_identity, name="child-identity"),
    path("children/<str:reference>/duties/", record.child_duties_page, name="child-duties"),
    path(
        "children/<str:reference>/chronology/",
        chronology.child_chronology,
        name="child-chronology",
    ),
    path(
        "children/<str:reference>/chronology/add/",
        chronology.chronology_add,
        name="chronology-add",
    ),
    path(
        "children/<str:reference>/chronology/entries/<str:key>/",
        chronology.chronology_entry,
        name="chronology-entry",
    ),
    path(
        "children/<str:reference>/chronology.pdf",
        chronology.chronology_pdf,
        name="child-chronology-pdf",
    ),
    path("children/<str:reference>/family/", family.family_file, name="family-file"),
]
