"""A list page's export as a response: the shared writer (`write_rows`), a Chinese file name
(RFC 6266 `filename*`, with the time of export) and the export in the audit trail."""

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord

from .spec import Column
from .writing import XLSX, write_rows


def list_export(request, zone, columns: list[Column], rows: Iterable[dict], *, title: str):
    """An .xlsx response of `rows` (what the list shows, filtered and restricted by the caller)
    named "<title>-<yyyymmdd-hhmm>.xlsx", recorded as an export with its count and query."""
    response = HttpResponse(content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = content_disposition_header(True, f"{title}-{stamp}.xlsx")
    count = write_rows(response, columns, rows, title=title)
    audit.record(
        request.user,
        AuditRecord.Action.EXPORT,
        zone=zone,
        repr_=title,
        message=_("导出 %(n)s 条%(t)s;条件:%(q)s")
        % {"n": count, "t": title, "q": request.GET.urlencode() or _("无")},
    )
    return response
