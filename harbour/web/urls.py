from django.contrib.auth import views as auth_views
from django.urls import path

from harbour.access.views import SignInView
from harbour.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
