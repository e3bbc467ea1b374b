"""The officers' returns pages: the period's returns (counts, filters, export, bulk acceptance of
clean returns, the deadline), one return (figures beside last period and last year, findings,
revision history, audit trail; accept / send back / revise), and 催报 (who has not reported,
with one-click reminders).

Every read starts from `restrict()`: officers see their zone, the province reads its zones (the
zone switcher), leaders read; enterprise users reach only their own returns' pages (a foreign id
answers 404). Writes go through `services`; a refused one answers 404 and changes nothing.
"""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core import audit, clock
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import CHANGE, VIEW, can_in_zone
from gaoxin.core.pages import PageCall, zone_for
from gaoxin.core.paging import capped_count, page_of
from gaoxin.core.periods import Period
from gaoxin.core.spreadsheets import XLSX
from gaoxin.core.tables import paginate_table
from gaoxin.enterprises.models import Enterprise

from .. import services
from ..catalogue import indicators_for
from ..filters.returns import ReturnFilter
from ..forms.returns import DeadlineForm, ReasonForm, RemindForm, VersionForm
from ..models import (
    Deadline,
    Finding,
    FindingStatus,
    Reminder,
    Return,
    ReturnStatus,
    ReturnValue,
    Rule,
)
from ..tables.returns import STATUS_COLOURS, ReturnTable, export_missing, export_returns

OPEN = (FindingStatus.OPEN, FindingStatus.EXPLAINED, FindingStatus.QUERIED)
ONE = Decimal("0.1")


# --- periods and access ---------------------------------------------------------------------


def last_period(today=None) -> Period:
    """The last month that is over (its returns are being collected): January folds into the
    previous December's."""
    today = today or clock.today()
    return Period(today.year, today.month).previous_month()


def page_period(text) -> Period:
    """The reporting period a page's query or form names (`Period.parse`), the last one over
    when it names none; an unreadable one answers 404 with the reason."""
    try:
        return Period.parse(text, default=last_period())
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from None


def period_choices(zone, period: Period) -> list[Period]:
    """The periods offered by the chooser: the last 24 reporting months and the chosen one."""
    periods = last_period().months_back(24)[::-1]
    if period not in periods:
        periods.insert(0, period)
    return periods


# --- figures beside last period and last year (the form and the detail page) ----------------


def growth(now, base) -> Decimal | None:
    """now / base − 1 in percent, 0.1 precision; None without a positive base."""
    if now is None or base is None or base <= 0:
        return None
    return ((Decimal(now) / Decimal(base) - 1) * 100).quantize(ONE)


def comparison(user, enterprise, period: Period, indicators) -> dict:
    """{code: {"prev", "prev_month", "last_year", "last_year_month"}} from accepted values."""
    prev = period.previous_reporting()
    periods = [period.same_last_year().key] + ([prev.key] if prev else [])
    out = {i.code: {} for i in indicators}
    rows = (
        ReturnValue.objects.restrict(user, VIEW)
        .filter(enterprise=enterprise, period__in=periods, indicator__in=[i.pk for i in indicators])
        .values_list("indicator__code", "period", "value", "month_value")
    )
    for code, key, value, month_value in rows:
        slot = out.setdefault(code, {})
        if prev and key == prev.key:
            slot["prev"], slot["prev_month"] = value, month_value
        else:
            slot["last_year"], slot["last_year_month"] = value, month_value
    return out


def value_rows(indicators, values: dict, compared: dict, period: Period, form=None) -> list:
    """One row per indicator: the figure, last period's, last year's, and the growths."""
    rows = []
    for ind in indicators:
        c = compared.get(ind.code, {})
        value = values.get(ind.code)
        prev, last_year = c.get("prev"), c.get("last_year")
        if ind.cumulative:
            if period.is_combined:
                month = value
            else:
                month = value - prev if value is not None and prev is not None else None
            mom_base = None if period.is_combined else c.get("prev_month")
            month_yoy = growth(month, c.get("last_year_month"))
        else:
            month, mom_base, month_yoy = None, prev, None
        rows.append(
            {
                "ind": ind,
                "field": form[f"v_{ind.code}"] if form is not None else None,
                "label": period.ytd_label() if ind.cumulative else _("期末数"),
                "value": value,
                "prev": prev,
                "prev_month": c.get("prev_month"),
                "last_year": last_year,
                "last_year_month": c.get("last_year_month"),
                "month": month,
                "yoy": growth(value, last_year),
                "month_yoy": month_yoy,
                "mom": growth(month if ind.cumulative else value, mom_base),
            }
        )
    return rows


def as_numbers(data) -> dict:
    return services.as_numbers(data or {})


# --- the returns list -------------------------------------------------------------------------


def with_findings(queryset):
    """Annotate the open errors and warnings of each return: a count of its own findings each, so
    that a page's ids are read without them (no join of the findings nor GROUP BY: a walk of
    the order's index) and its rows with them."""

    def open_findings(severity):
        findings = Finding.objects.filter(ret=OuterRef("pk"), severity=severity, status__in=OPEN)
        counted = findings.order_by().values("ret").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    return queryset.annotate(
        errors=open_findings(Rule.Severity.ERROR), warnings=open_findings(Rule.Severity.WARNING)
    )


def counts(zone, period: Period, returns) -> dict:
    by_status = returns.aggregate(
        **{s: Count("pk", filter=Q(status=s)) for s in ReturnStatus.values}
    )
    expected, missing = services.reporter_counts(zone, period.key)
    return {
        "expected": expected,
        "reported": by_status[ReturnStatus.SUBMITTED] + by_status[ReturnStatus.ACCEPTED],
        "accepted": by_status[ReturnStatus.ACCEPTED],
        "returned": by_status[ReturnStatus.RETURNED],
        "draft": by_status[ReturnStatus.DRAFT],
        "missing": missing,
    }


@login_required
def return_list(request):
    zone = zone_for(request, Return)
    user = request.user
    period = page_period(request.GET.get("period"))
    indicators = indicators_for(zone, source="return")
    period_returns = Return.objects.restrict(user, VIEW).filter(zone=zone, period=period.key)
    rows = with_findings(period_returns.select_related("enterprise"))
    data = request.GET.copy()
    flt = ReturnFilter(data or None, queryset=rows, zone=zone, indicators=indicators)
    if flt.is_bound:
        rows = flt.qs
    if data.get("export") == "xlsx":
        return _export_returns(request, rows, indicators, period)
    counted = capped_count(rows)  # before the order's join (statistics.ordering)
    table = ReturnTable(rows, counted=counted)
    paginate_table(request, table, counted=counted)
    officer = services.is_officer(user, zone)
    deadline_form = DeadlineForm(
        initial={"period": str(period), "due_on": services.due_on(zone, period.key)}
    )
    export_query = data.copy()
    export_query["export"] = "xlsx"
    export_query["period"] = str(period)
    return render(
        request,
        "statistics/return_list.html",
        {
            "nav": "returns",
            "zone": zone,
            "period": period,
            "periods": period_choices(zone, period),
            "counts": counts(zone, period, period_returns),
            "filter": flt,
            "filter_fields": list(flt.form),
            "table": table,
            "officer": officer,
            "can_deadline": can_in_zone(user, Deadline, zone, CHANGE),
            "deadline_form": deadline_form,
            "due_on": deadline_form.initial["due_on"],
            "export_query": export_query.urlencode(),
            "missing_url": reverse("statistics:missing") + "?" + urlencode({"period": period}),
        },
    )


def _export_returns(request, rows, indicators, period):
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename=returns-{period}.xlsx"
    count = export_returns(
        rows.order_by("enterprise__name"), response, indicators=indicators,
        period_label=period.label(),
    )  # fmt: skip
    audit.record(
        request.user, AuditRecord.Action.EXPORT, zone=request.zone, repr_=_("月度报表导出"),
        message=_("导出 %(n)s 份月度报表;条件:%(q)s") % {"n": count, "q": request.GET.urlencode()},
    )  # fmt: skip
    return response


@login_required
@require_POST
def accept_clean(request):
    zone = zone_for(request, Return)
    period = page_period(request.POST.get("period"))
    call = PageCall()
    with call:
        count = services.accept_clean(request.user, zone, period.key)
    if call.ok:
        messages.success(
            request,
            _("已审核通过 %(n)d 份无错误报表(%(p)s)") % {"n": count, "p": period.label()},
        )
    for message in call.messages():
        messages.error(request, message)
    return redirect(reverse("statistics:returns") + "?" + urlencode({"period": period}))


@login_required
@require_POST
def deadline(request):
    zone = zone_for(request, Return)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        period = form.cleaned_data["period"]
        call = PageCall()
        with call:
            services.set_deadline(request.user, zone, period.key, form.cleaned_data["due_on"])
        if call.ok:
            messages.success(
                request,
                _("已设置 %(p)s 报表截止日期为 %(d)s")
                % {"p": period.label(), "d": form.cleaned_data["due_on"]},
            )
        for message in call.messages():
            messages.error(request, message)
        return redirect(reverse("statistics:returns") + "?" + urlencode({"period": period}))
    for errors in form.errors.values():
        for msg in errors:
            messages.error(request, msg)
    return redirect("statistics:returns")


# --- one return -------------------------------------------------------------------------------


def get_return(request, pk) -> Return:
    ret = (
        Return.objects.restrict(request.user, VIEW)
        .select_related("enterprise", "enterprise__industry", "zone")
        .filter(pk=pk)
        .first()
    )
    if ret is None:
        raise Http404(_("未找到该报表"))
    return ret


def detail_context(request, ret, **forms) -> dict:
    user = request.user
    indicators = indicators_for(ret.zone, source="return")
    period = ret.period_obj
    rows = value_rows(
        indicators,
        as_numbers(ret.data),
        comparison(user, ret.enterprise, period, indicators),
        period,
    )
    officer = services.is_officer(user, ret.zone)
    is_own = any(m.enterprise_id == ret.enterprise_id for m in user.memberships_cached())
    findings = list(
        Finding.objects.restrict(user, VIEW).filter(ret=ret).select_related("indicator")
    )
    revisions = list(ret.revisions.select_related("actor"))
    return {
        "nav": "returns" if not is_own else "my",
        "ret": ret,
        "period": period,
        "status_colour": STATUS_COLOURS.get(ret.status, "secondary"),
        "rows": rows,
        "findings": findings,
        "blocking": {f.pk for f in services.blocking(findings)},
        "revisions": revisions,
        # An import audits once for its file; its revisions link each return to that record.
        "timeline": services.returns.return_timeline(ret, revisions)[:100],
        "officer": officer,
        "can_fill": officer or is_own,
        "fill_url": fill_url(ret.enterprise_id, period, officer and not is_own),
        "back_form": forms.get("back_form") or ReasonForm(initial={"version": ret.version}),
        "accept_errors": forms.get("accept_errors") or [],
        "explain_error": forms.get("explain_error"),
    }


def fill_url(enterprise_id, period: Period, on_behalf: bool) -> str:
    url = reverse("statistics:fill", args=[str(period)])
    return f"{url}?enterprise={enterprise_id}" if on_behalf else url


@login_required
def return_detail(request, pk):
    ret = get_return(request, pk)
    return render(request, "statistics/return_detail.html", detail_context(request, ret))


@login_required
@require_POST
def return_accept(request, pk):
    ret = get_return(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _detail_error(request, ret, [_("页面数据已失效,请刷新页面后重试")], 422)
    call = PageCall()
    with call:
        services.accept(request.user, ret, version=form.cleaned_data["version"])
    if not call.ok:  # 409 stale, 422 what keeps it from acceptance
        return _detail_error(request, ret, call.messages(), call.status)
    messages.success(request, _("已审核通过「%(e)s」%(p)s 报表") % {
        "e": ret.enterprise.name, "p": ret.period_obj.label()})  # fmt: skip
    return redirect("statistics:return", pk=ret.pk)


def _detail_error(request, ret, errors, status):
    context = detail_context(request, ret, accept_errors=errors)
    return render(request, "statistics/return_detail.html", context, status=status)


@login_required
@require_POST
def return_send_back(request, pk):
    ret = get_return(request, pk)
    form = ReasonForm(request.POST)
    status = 422
    if form.is_valid():
        call = PageCall(form, renames={"version": NON_FIELD_ERRORS})  # above the form
        with call:
            services.send_back(
                request.user, ret, reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )  # fmt: skip
        if call.ok:
            messages.success(request, _("已退回报表,企业将看到退回理由"))
            return redirect("statistics:return", pk=ret.pk)
        status = call.status
    context = detail_context(request, ret, back_form=form)
    return render(request, "statistics/return_detail.html", context, status=status)


@login_required
@require_POST
def finding_explain(request, pk):
    """The enterprise (or an officer for it) explains a warning of a submitted return."""
    finding = (
        Finding.objects.restrict(request.user, VIEW).filter(pk=pk).select_related("ret").first()
    )
    if finding is None:
        raise Http404(_("未找到该审核发现"))
    call = PageCall()
    with call:
        services.explain(request.user, finding, request.POST.get("explanation", ""))
    if not call.ok:
        ret = get_return(request, finding.ret_id)
        error = (finding.pk, " ".join(call.messages()))
        context = detail_context(request, ret, explain_error=error)
        return render(request, "statistics/return_detail.html", context, status=call.status)
    messages.success(request, _("已提交情况说明"))
    return redirect(request.POST.get("next") or reverse("statistics:return", args=[finding.ret_id]))


# --- 催报 -------------------------------------------------------------------------------------


def missing_rows(request, zone, period: Period):
    """Expected reporters without a submitted or accepted return, the user may see."""
    user = request.user
    reminders = Reminder.objects.filter(
        zone=zone, period=period.key, enterprise=OuterRef("pk")
    ).order_by()
    state = Return.objects.filter(enterprise=OuterRef("pk"), period=period.key).values("status")
    return (
        services.missing_reporters(zone, period.key)
        .filter(pk__in=Enterprise.objects.restrict(user, VIEW).values("pk"))
        .annotate(
            return_status=Subquery(state[:1]),
            reminders=Coalesce(
                Subquery(
                    reminders.values("enterprise").annotate(n=Count("pk")).values("n")[:1],
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            last_reminder=Subquery(
                reminders.values("enterprise").annotate(last=Max("sent_at")).values("last")[:1]
            ),
        )
        .order_by("name", "pk")
    )


def _decorate(enterprises, period: Period, due: datetime.date, today) -> list[dict]:
    overdue = max((today - due).days, 0)
    labels = dict(ReturnStatus.choices)
    return [
        {
            "enterprise": e,
            "period_label": period.label(),
            "state": e.return_status or "",
            "state_label": labels.get(e.return_status, _("未填报")),
            "due_on": due,
            "overdue": overdue,
            "reminders": e.reminders,
            "last_reminder": e.last_reminder,
        }
        for e in enterprises
    ]


@login_required
def missing(request):
    zone = zone_for(request, Return)
    period = page_period(request.GET.get("period"))
    due = services.due_on(zone, period.key)
    today = clock.today()
    rows = missing_rows(request, zone, period)
    if request.GET.get("export") == "xlsx":
        response = HttpResponse(content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename=missing-{period}.xlsx"
        count = export_missing(_decorate(rows.iterator(), period, due, today), response)
        audit.record(
            request.user, AuditRecord.Action.EXPORT, zone=zone, repr_=_("催报清单导出"),
            message=_("导出 %(n)s 家未报企业;%(p)s") % {"n": count, "p": period.label()},
        )  # fmt: skip
        return response
    page = page_of(request, rows, 100)
    return render(
        request,
        "statistics/missing.html",
        {
            "nav": "missing",
            "zone": zone,
            "period": period,
            "periods": period_choices(zone, period),
            "page": page,
            "rows": _decorate(page.object_list, period, due, today),
            "total": page.paginator.count,
            "due_on": due,
            "overdue_days": max((today - due).days, 0),
            "officer": services.is_officer(request.user, zone),
            "remind_form": RemindForm(initial={"period": str(period)}),
            "export_query": urlencode({"period": period, "export": "xlsx"}),
        },
    )


@login_required
@require_POST
def remind(request):
    zone = zone_for(request, Return)
    form = RemindForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for msg in errors:
                messages.error(request, msg)
        return redirect("statistics:missing")
    period = form.cleaned_data["period"]
    back = reverse("statistics:missing") + "?" + urlencode({"period": period})
    only = request.POST.get("only", "")
    if only.isdigit():
        ids = [int(only)]
    elif request.POST.get("scope") == "all":
        ids = None
    else:
        ids = [int(v) for v in request.POST.getlist("enterprise") if v.isdigit()]
        if not ids:
            messages.error(request, _("请先勾选要催报的企业"))
            return redirect(back)
    call = PageCall()
    with call:
        count = services.remind(
            request.user, zone, period.key, enterprise_ids=ids,
            message=form.cleaned_data["message"],
        )  # fmt: skip
    if call.ok:
        messages.success(request, _("已向 %(n)d 家企业发送催报提醒") % {"n": count})
    for message in call.messages():
        messages.error(request, message)
    return redirect(back)


urlpatterns = [
    path("returns/", return_list, name="returns"),
    path("returns/accept-clean/", accept_clean, name="accept_clean"),
    path("returns/deadline/", deadline, name="deadline"),
    path("returns/<int:pk>/", return_detail, name="return"),
    path("returns/<int:pk>/accept/", return_accept, name="return_accept"),
    path("returns/<int:pk>/send-back/", return_send_back, name="return_send_back"),
    path("returns/findings/<int:pk>/explain/", finding_explain, name="return_explain"),
    path("missing/", missing, name="missing"),
    path("missing/remind/", remind, name="remind"),
]
