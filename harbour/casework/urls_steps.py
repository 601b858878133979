"""Recording the steps of a child's journey: the "Record…" menu, each step's form (new, or a
change to a record made before), and the autosave of a form's draft."""

from django.urls import path

from harbour.casework.views import steps

urlpatterns = [
    path("children/<str:reference>/record/", steps.record_menu, name="record-menu"),
    path("children/<str:reference>/record/<slug:step>/", steps.record_step, name="record-step"),
    path(
        "children/<str:reference>/record/<slug:step>/<int:record_id>/",
        steps.record_step,
        name="change-step",
    ),
    path(
        "children/<str:reference>/record/<slug:step>/<int:record_id>/print/",
        steps.print_record,
        name="print-step",
    ),
    path("drafts/keep/", steps.keep_draft, name="keep-draft"),
]
