from django.urls import path

from harbour.access import views

urlpatterns = [
    path("login/two-factor/", views.two_factor, name="two-factor"),
    path("login/two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("children/<str:reference>/open/", views.open_with_reason, name="open-with-reason"),
    path("children/<str:reference>/viewers/", views.record_viewers, name="record-viewers"),
    path("session/stay/", views.stay_signed_in, name="stay-signed-in"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:alert_id>/", views.alert, name="alert"),
    path(
        "staff/<int:staff_id>/enrolment-code/",
        views.issue_enrolment_code,
        name="enrolment-code",
    ),
    path("oidc/authenticate/", views.oidc_start, name="oidc_authentication_init"),
    path("oidc/callback/", views.oidc_return, name="oidc_authentication_callback"),
]
