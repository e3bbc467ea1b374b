"""(being written: the helper replaces this placeholder)"""

from django.http import HttpResponse
from django.urls import path


def _placeholder(request):
    return HttpResponse("")


urlpatterns = [path("", _placeholder, name="cockpit")]
