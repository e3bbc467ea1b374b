"""The findings page: every open finding of the zone's returns (filter, sort, page, export), each
with its return, message and the enterprise's explanation; officers send one to the enterprise as
a query with a deadline (`services.send_query`; the matters module follows it as a matter) or
close a warning; an enterprise user sees its own findings and answers them with an explanation.

Every read starts from `restrict()`; a finding outside it answers 404, as does a refused action.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core import audit, clock
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import VIEW, can_in_zone
from gaoxin.core.pages import PageCall, zone_for
from gaoxin.core.spreadsheets import XLSX
from gaoxin.core.tables import paginate_table

from .. import services
from ..catalogue import indicators_for
from ..filters.findings import FindingFilter
from ..forms.findings import CloseForm, ExplainForm, QueryForm
from ..models import Finding
from ..tables.findings import FindingTable, export_findings

QUERY_DAYS = 7  # the default time an enterprise has to answer a query


def _back(request) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("statistics:findings")


def _get(request, pk) -> Finding:
    finding = Finding.objects.restrict(request.user, VIEW).filter(pk=pk).first()
    if finding is None:
        raise Http404(_("未找到该审核发现"))
    return finding


def _query_with(data, **params) -> str:
    query = data.copy()
    for key, value in params.items():
        query[key] = value
    return query.urlencode()


@login_required
def finding_list(request):
    zone = zone_for(request)
    user = request.user
    officer = can_in_zone(user, Finding, zone, VIEW)
    if not officer and not user.own_enterprise_ids():
        raise Http404(_("未找到该页面"))
    queryset = (
        Finding.objects.restrict(user, VIEW)
        .filter(zone=zone)
        .select_related("enterprise", "indicator")
    )
    flt = FindingFilter(
        request.GET or None,
        queryset=queryset,
        zone=zone,
        indicators=indicators_for(zone, source="return"),
        officer=officer,
    )
    rows = flt.qs.order_by("-period", "severity", "enterprise__name", "pk")
    if request.GET.get("export") == "xlsx":
        return _export(request, rows)
    table = FindingTable(rows)
    paginate_table(request, table)
    today = clock.today()
    return render(
        request,
        "statistics/finding_list.html",
        {
            "filter": flt,
            "filter_fields": list(flt.form),
            "table": table,
            "officer": officer,
            "reviewer": services.is_officer(user, zone),
            "own_enterprises": user.own_enterprise_ids(),
            "query_form": QueryForm(initial={"due_on": today + datetime.timedelta(QUERY_DAYS)}),
            "close_form": CloseForm(),
            "explain_form": ExplainForm(),
            "today": today,
            "export_query": _query_with(request.GET, export="xlsx"),
            "here": request.get_full_path(),
        },
    )


def _export(request, rows):
    response = HttpResponse(content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f"attachment; filename=findings-{stamp}.xlsx"
    count = export_findings(rows, response)
    audit.record(
        request.user,
        AuditRecord.Action.EXPORT,
        zone=request.zone,
        repr_=_("审核发现导出"),
        message=_("导出 %(n)s 条审核发现;条件:%(q)s") % {"n": count, "q": request.GET.urlencode()},
    )
    return response


def _act(request, pk, form_class, act, done: str):
    """Run one action on a finding from the list; its errors go back to the list as messages."""
    finding = _get(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(request))
    call = PageCall()
    with call:
        act(finding, form.cleaned_data)
    if call.ok:
        messages.success(request, done)
    for message in call.messages():
        messages.error(request, message)
    return redirect(_back(request))


@login_required
@require_POST
def finding_query(request, pk):
    def act(finding, data):
        services.send_query(
            request.user, finding, due_on=data["due_on"], message=data["message"].strip()
        )

    return _act(request, pk, QueryForm, act, _("已向企业发送询问"))


@login_required
@require_POST
def finding_close(request, pk):
    def act(finding, data):
        services.close_finding(request.user, finding, note=data["note"].strip())

    return _act(request, pk, CloseForm, act, _("已关闭该审核发现"))


@login_required
@require_POST
def finding_explain(request, pk):
    def act(finding, data):
        services.explain(request.user, finding, data["explanation"])

    return _act(request, pk, ExplainForm, act, _("已提交情况说明"))


urlpatterns = [
    path("findings/", finding_list, name="findings"),
    path("findings/<int:pk>/query/", finding_query, name="finding_query"),
    path("findings/<int:pk>/close/", finding_close, name="finding_close"),
    path("findings/<int:pk>/explain/", finding_explain, name="finding_explain"),
]
