from django.urls import path

from harbour.timescales import views

urlpatterns = [
    path("work/", views.my_work, name="my-work"),
    path("work/export.csv", views.export_my_work, name="my-work-export"),
    path("work/<int:staff_id>/", views.worker_work, name="worker-work"),
    path("teams/", views.service_work, name="service-work"),
    path("teams/<int:team_id>/", views.team_work, name="team-work"),
]
