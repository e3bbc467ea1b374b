"""Placeholder until its owner fills it in (the module menu links here)."""

from django.http import HttpResponse
from django.urls import path


def cockpit(request):
    return HttpResponse("matters")


urlpatterns = [path("", cockpit, name="cockpit")]
