"""The enterprise pickers' search (`core.forms.register_search`): every select of enterprises on
a page (filters, forms) writes only its chosen one and asks here as one types. The answer is the
enterprises of the zone the request works in that the user may see, matched by the registry's
own search (a name fragment, a credit code prefix, pinyin initials: `search`), best first."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse

from .. import search
from .registry import visible_enterprises

LIMIT = 20
MAX_TEXT = 100  # longer than any name: nothing more to match


@login_required
def enterprise_search(request):
    text = (request.GET.get("q") or "").replace("\x00", "").strip()[:MAX_TEXT]
    rows = visible_enterprises(request)
    if text:
        rows = search.filter_by_name(rows, text, zone=request.zone, uscc=True)
    rows = search.ranked(rows, text) if search.uses_index(text) else rows.order_by("name", "pk")
    found = rows.values_list("pk", "name")[:LIMIT]
    return JsonResponse({"results": [{"value": pk, "text": name} for pk, name in found]})
