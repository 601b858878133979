from django.urls import path

from harbour.returns import views

urlpatterns = [
    path("returns/", views.returns, name="returns"),
    path("returns/<int:run_id>/", views.return_run, name="return-run"),
    path("returns/<int:run_id>/download/", views.download, name="return-download"),
    path("returns/<int:run_id>/again/", views.remake, name="return-again"),
]
