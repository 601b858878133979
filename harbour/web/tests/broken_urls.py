"""Harbour's URLs and error handlers, plus a page that always fails, for the 500 page's test."""

from django.urls import path

from harbour.urls import *  # noqa: F403 (the handlers too)
from harbour.urls import urlpatterns as harbour_urlpatterns


def broken(request):
    raise RuntimeError("a fault in a view")


urlpatterns = [path("broken/", broken), *harbour_urlpatterns]
