"""Placeholder until its owner fills it in: the URLs other modules link to."""

from django.http import HttpResponse
from django.urls import path


def detail(request, pk):
    return HttpResponse(str(pk))


def matter_list(request):
    return HttpResponse("list")


urlpatterns = [path("list/", matter_list, name="list"), path("<int:pk>/", detail, name="detail")]
