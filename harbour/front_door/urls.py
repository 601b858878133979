from django.urls import path

from harbour.front_door import views

urlpatterns = [
    path("refer/", views.refer, name="refer"),
    path("refer/sent/", views.sent, name="referrals-sent"),
    path("refer/sent/<int:contact_id>/", views.referral_sent, name="referral-sent"),
]
