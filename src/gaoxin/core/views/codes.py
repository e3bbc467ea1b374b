"""The GB/T 4754 industry picker's search: a code filter of any level (A, 39, 397, 3974) writes
only its chosen code into the page (core.forms.IndustryPicker) and asks here as one types,
instead of writing all 1,971 codes (100 KB and a tenth of the registry page's time)."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import JsonResponse

from ..models import Industry

LIMIT = 50
MAX_TEXT = 100  # longer than any industry's name: nothing more to match


@login_required
def industry_search(request):
    """Codes that start with what was typed (a section letter, digits), then names that hold it;
    by code, so a class follows its division and group."""
    text = (request.GET.get("q") or "").replace("\x00", "").strip()[:MAX_TEXT]
    rows = Industry.objects.order_by("code")
    if text:
        rows = rows.filter(Q(code__startswith=text.upper()) | Q(name__contains=text))
    found = rows.values_list("code", "name")[:LIMIT]
    return JsonResponse({"results": [{"value": c, "text": f"{c} {n}"} for c, n in found]})
