"""The enterprise side of the monthly returns: "my returns" (periods, status, deadlines, reminders
received, findings to answer) and the return form — every return indicator of the zone beside
last period's and last year's accepted figures, growth computed as one types (static/statistics/
return_form.js), a live check through HTMX, 保存草稿 / 提交, and 提交修订 with a reason once the
return was submitted or accepted.

Officers of the zone open the same form for an enterprise with ?enterprise=<id> (代填). Figures
that cannot be stored (not numbers, too large, too many decimals) are refused at their field by
the service's reader (`services.returns.read_figure`); figures the rules forbid (a negative
output) are findings of the checks, shown with their rule. An enterprise's 提交 while an error
stands or a warning is unexplained is refused by the service (422): the reasons above the form
and at the figures, nothing saved, every figure typed kept. A stale version answers 409 with the
input kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core import clock
from gaoxin.core.models.access import VIEW
from gaoxin.core.pages import PageCall
from gaoxin.core.periods import Period
from gaoxin.enterprises.models import Enterprise

from .. import checks, services
from ..catalogue import indicators_for
from ..forms.returns import EXPLAIN, PREFIX, ReturnForm
from ..models import Deadline, Finding, FindingStatus, Reminder, Return, ReturnStatus
from ..tables.returns import STATUS_COLOURS
from .returns import comparison, fill_url, last_period, value_rows, with_findings

FORM = "statistics/return_form.html"
REVISABLE = (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED)


# --- whose return -----------------------------------------------------------------------------


def reporting_enterprise(request):
    """(enterprise, on_behalf): ?enterprise=<id> for an officer of its zone (代填), else the
    user's own enterprise; None when the user has none. A foreign or unknown id answers 404."""
    user = request.user
    own = user.own_enterprise_ids()
    raw = request.GET.get("enterprise")
    if raw:
        if not raw.isdigit():
            raise Http404(_("未找到该企业"))
        pk = int(raw)
    elif own:
        pk = own[0]
    else:
        return None, False
    enterprise = (
        Enterprise.objects.restrict(user, VIEW)
        .filter(pk=pk, is_deleted=False)
        .select_related("zone", "industry")
        .first()
    )
    if enterprise is None:
        raise Http404(_("未找到该企业"))
    if pk in own:
        return enterprise, False
    if not services.is_officer(user, enterprise.zone):
        raise Http404(_("未找到该企业"))
    return enterprise, True


def reporting_period(text) -> Period:
    try:
        period = Period.parse(text)
        services.refuse_future(period)
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from None
    return period


# --- my returns -------------------------------------------------------------------------------


def owed_periods(enterprise, months=12) -> list[int]:
    """The recent periods an above-scale enterprise owes a return for (since it was 入规)."""
    if not enterprise.above_scale:
        return []
    since = enterprise.above_scale_since
    return [
        p.key
        for p in last_period().months_back(months)
        if since is None or services.period_end(p.key) >= since
    ]


@login_required
def my_returns(request):
    enterprise, on_behalf = reporting_enterprise(request)
    user = request.user
    if enterprise is None:
        if request.zone is not None and services.is_officer(user, request.zone):
            return redirect("statistics:returns")
        raise Http404(_("您的账号未关联企业"))
    if request.GET.get("period"):  # 填报其他月份
        period = reporting_period(request.GET["period"])
        return redirect(fill_url(enterprise.pk, period, on_behalf))
    returns = {
        r.period: r
        for r in with_findings(Return.objects.restrict(user, VIEW).filter(enterprise=enterprise))
    }
    reminded = {
        row["period"]: row
        for row in Reminder.objects.restrict(user, VIEW)
        .filter(enterprise=enterprise)
        .order_by()
        .values("period")
        .annotate(n=Count("pk"), last=Max("sent_at"))
    }
    periods = sorted(
        set(owed_periods(enterprise)) | set(returns) | set(reminded),
        reverse=True,
    )
    deadlines = dict(
        Deadline.objects.filter(zone=enterprise.zone_id, period__in=periods).values_list(
            "period", "due_on"
        )
    )
    today = clock.today()
    rows = []
    for key in periods:
        period, ret = Period.of(key), returns.get(key)
        due = deadlines.get(key) or services.default_due_on(key)
        done = ret is not None and ret.status in REVISABLE
        rows.append(
            {
                "period": period,
                "ret": ret,
                "status_colour": STATUS_COLOURS.get(ret.status) if ret else "",
                "due_on": due,
                "late": not done and today > due,
                "reminders": reminded.get(key, {}).get("n", 0),
                "last_reminder": reminded.get(key, {}).get("last"),
                "url": fill_url(enterprise.pk, period, on_behalf),
            }
        )
    findings = (
        Finding.objects.restrict(user, VIEW)
        .filter(
            enterprise=enterprise,
            status__in=(FindingStatus.OPEN, FindingStatus.QUERIED),
        )
        .select_related("indicator")
        .order_by("-period", "severity", "id")[:200]
    )
    recent = (
        Reminder.objects.restrict(user, VIEW).filter(enterprise=enterprise).order_by("-sent_at")[:5]
    )
    return render(
        request,
        "statistics/my_returns.html",
        {
            "nav": "returns" if on_behalf else "my",
            "enterprise": enterprise,
            "on_behalf": on_behalf,
            "rows": rows,
            "findings": findings,
            "reminders": recent,
        },
    )


# --- the return form --------------------------------------------------------------------------


def _context(request, enterprise, period, ret, form, indicators, on_behalf, problems=None):
    user = request.user
    if form.is_bound:
        values = form.raw_values()
    else:
        stored = services.as_numbers(ret.data if ret else {})
        values = {i.code: stored.get(i.code) for i in indicators}
    compared = comparison(user, enterprise, period, indicators)
    if problems is None:
        problems = _problems(enterprise, period, values)
    findings = []
    if ret is not None:
        findings = list(
            Finding.objects.restrict(user, VIEW).filter(ret=ret).select_related("indicator")
        )
    status = ret.status if ret else None
    return {
        "nav": "returns" if on_behalf else "my",
        "enterprise": enterprise,
        "period": period,
        "blocking": {f.pk for f in services.blocking(findings)} if ret else set(),
        "ret": ret,
        "status_colour": STATUS_COLOURS.get(status, "secondary"),
        "form": form,
        "rows": value_rows(indicators, values, compared, period, form),
        "revising": status in REVISABLE,
        "on_behalf": on_behalf,
        "problems": _with_explanations(problems, form, ret),
        "bad_fields": form.bad_fields() if form.is_bound else [],
        "findings": findings,
        "revisions": list(ret.revisions.select_related("actor")) if ret else [],
        "action_url": request.get_full_path(),
        "check_url": _check_url(period, enterprise, on_behalf),
        "my_url": reverse("statistics:my") + (f"?enterprise={enterprise.pk}" if on_behalf else ""),
    }


def _check_url(period, enterprise, on_behalf) -> str:
    url = reverse("statistics:check", args=[str(period)])
    return f"{url}?enterprise={enterprise.pk}" if on_behalf else url


def _problems(enterprise, period, values) -> list:
    if not any(v is not None for v in values.values()):
        return []
    try:
        return services.check_data(enterprise.zone, enterprise, period.key, values)
    except (ValidationError, ValueError):
        return []


def _with_explanations(problems, form, ret) -> list[dict]:
    saved = (ret.explanations or {}) if ret else {}
    out = []
    for p in problems:
        name = EXPLAIN + p.rule_code
        typed = form.data.get(name) if form.is_bound else None
        out.append(
            {
                "p": p,
                "explain": checks.explanation_needed(p),
                "name": name,
                "text": typed if typed is not None else saved.get(p.rule_code, ""),
            }
        )
    return out


def _form(request, indicators, ret):
    if request.method == "POST":
        return ReturnForm(request.POST, indicators=indicators)
    initial = ReturnForm.initial_for(ret, indicators)
    codes = list((ret.explanations or {}) if ret else {})
    return ReturnForm(initial=initial, indicators=indicators, explain_codes=codes)


@login_required
def fill(request, period):
    enterprise, on_behalf = reporting_enterprise(request)
    if enterprise is None:
        raise Http404(_("您的账号未关联企业"))
    period = reporting_period(period)
    user = request.user
    indicators = indicators_for(enterprise.zone, source="return")
    ret = services.return_for(user, enterprise, period.key)
    form = _form(request, indicators, ret)
    status = 200
    if request.method == "POST":
        status, saved = _save(request, form, enterprise, period, ret)
        if saved is not None:
            return redirect(saved)
        ret = services.return_for(user, enterprise, period.key)
    context = _context(request, enterprise, period, ret, form, indicators, on_behalf)
    return render(request, FORM, context, status=status)


def _save(request, form, enterprise, period, ret):
    """Run the action the button asked for; (status, redirect URL or None)."""
    user = request.user
    action = request.POST.get("action", "save")
    if not form.is_valid():
        return 422, None
    version = form.cleaned_data.get("version")
    values, explanations = form.values(), form.explanations()
    call = PageCall(form, renames=_field_names(form))
    with call, transaction.atomic():
        if action == "revise":
            if ret is None:
                raise Return.DoesNotExist
            ret = services.revise(
                user, ret, data=values, reason=form.cleaned_data.get("reason", ""),
                version=version, explanations=explanations,
            )  # fmt: skip
            message = _("已提交修订,等待审核")
        else:
            if ret is None:
                ret = services.return_for(user, enterprise, period.key, create=True)
                version = version or ret.version
            ret = services.save_draft(
                user, ret, data=values, explanations=explanations, version=version
            )
            message = _("已保存草稿")
            if action == "submit":
                ret = services.submit(user, ret, version=ret.version)
                message = _("已报送 %(p)s 报表") % {"p": period.label()}
    if not call.ok:  # 409 stale, the figures as typed kept; 422 by field
        return call.status, None
    messages.success(request, message)
    return 302, request.get_full_path()


def _field_names(form) -> dict:
    """The service names a figure by its indicator code, the form by v_<code>; an error on the
    version goes above the form."""
    names = {name[len(PREFIX) :]: name for name in form.fields if name.startswith(PREFIX)}
    return {**names, "version": NON_FIELD_ERRORS}


@login_required
@require_POST
def check(request, period):
    """The live check (HTMX): what the rules find in the figures as typed; writes nothing."""
    enterprise, on_behalf = reporting_enterprise(request)
    if enterprise is None:
        raise Http404(_("您的账号未关联企业"))
    period = reporting_period(period)
    indicators = indicators_for(enterprise.zone, source="return")
    form = ReturnForm(request.POST, indicators=indicators)
    ret = services.return_for(request.user, enterprise, period.key)
    problems = _problems(enterprise, period, form.raw_values())
    return render(
        request,
        "statistics/return_check.html",
        {
            "problems": _with_explanations(problems, form, ret),
            "bad_fields": form.bad_fields(),
            "checked": True,
        },
    )


urlpatterns = [
    path("my/", my_returns, name="my"),
    path("my/<str:period>/", fill, name="fill"),
    path("my/<str:period>/check/", check, name="check"),
]
