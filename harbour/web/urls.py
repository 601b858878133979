from django.contrib.auth import views as auth_views
from django.urls import path

from harbour.web import views
from harbour.web.forms import SignInForm

urlpatterns = [
    path("", views.home, name="home"),
    path("children/", views.search, name="search"),
    path("children/<str:reference>/", views.child, name="child"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
