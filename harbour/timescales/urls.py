from django.urls import path

from harbour.casework.views import trays

urlpatterns = [
    path("work/", trays.my_work, name="my-work"),
    path("work/export.csv", trays.export_my_work, name="my-work-export"),
    path("work/<int:staff_id>/", trays.worker_work, name="worker-work"),
    path("teams/", trays.service_work, name="service-work"),
    path("teams/<int:team_id>/", trays.team_work, name="team-work"),
]
