"""(being written: the helper replaces this placeholder)"""

from django.http import HttpResponse
from django.urls import path


def _placeholder(request):
    return HttpResponse("")


urlpatterns = [
    path("campaigns/", _placeholder, name="campaigns"),
    path("targets/", _placeholder, name="targets"),
    path("thresholds/", _placeholder, name="thresholds"),
]
