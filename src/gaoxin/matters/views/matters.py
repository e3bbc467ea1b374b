"""Placeholder until its owner fills it in: the matter detail URL that notifications link to."""

from django.http import HttpResponse
from django.urls import path


def detail(request, pk):
    return HttpResponse(str(pk))


urlpatterns = [path("<int:pk>/", detail, name="detail")]
