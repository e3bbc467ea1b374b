"""The catalogue pages: the zone's indicators (standard ones and its own: code, name, unit,
frequency, cumulative, source, aggregation, definition, department), the zone adding and editing
its own; and the check rules in force, each of which the zone may adjust (thresholds, severity,
on/off) by its own rule of the same code (`services_catalogue`).

Officers, leaders and the province read them; admins and the zone's staff change them (core's
ZONE_FIGURES_POLICY); enterprise users get 404, as does a refused change.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import ADD, CHANGE
from gaoxin.core.pages import PageCall, zone_for
from gaoxin.core.spreadsheets import XLSX

from .. import catalogue
from ..forms.catalogue import IndicatorForm, RuleForm
from ..models import Deadline, Indicator
from ..services import configuration as services_catalogue
from ..services.configuration import PARAM_LABELS
from ..tables.catalogue import IndicatorTable, RuleTable, export_indicators, export_rules

# The model whose policy is the catalogue's (services_catalogue.may_configure): the pages answer
# 404 to those who may not read it, or change it on the forms.
CATALOGUE = Deadline


def _xlsx(request, name: str, write, rows, describe: str):
    response = HttpResponse(content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f"attachment; filename={name}-{stamp}.xlsx"
    count = write(rows, response)
    audit.record(
        request.user,
        AuditRecord.Action.EXPORT,
        zone=request.zone,
        repr_=describe,
        message=_("导出 %(n)s 条") % {"n": count},
    )
    return response


# --- indicators -------------------------------------------------------------------------------


@login_required
def indicator_list(request):
    zone = zone_for(request, CATALOGUE)
    rows = catalogue.indicators_for(zone, active_only=False)
    source = request.GET.get("source", "")
    if source in Indicator.Source.values:
        rows = [i for i in rows if i.source == source]
    if request.GET.get("export") == "xlsx":
        return _xlsx(request, "indicators", export_indicators, rows, _("统计指标目录导出"))
    can_edit = services_catalogue.may_configure(request.user, zone, CHANGE)
    return render(
        request,
        "statistics/indicator_list.html",
        {
            "table": IndicatorTable(rows, can_edit=can_edit),
            "count": len(rows),
            "can_add": services_catalogue.may_configure(request.user, zone, ADD),
            "sources": Indicator.Source.choices,
            "source": source,
        },
    )


def _indicator_page(request, form, indicator=None, status=200):
    return render(
        request,
        "statistics/indicator_form.html",
        {"form": form, "indicator": indicator},
        status=status,
    )


def _save_indicator(request, zone, form, indicator=None):
    """None when saved, else the status: 422 (errors by field) or 409 (stale, input kept)."""
    call = PageCall(form)
    with call:
        services_catalogue.save_indicator(
            request.user,
            zone,
            indicator=indicator,
            code=None if indicator else form.cleaned_data["code"],
            version=form.cleaned_data["version"],
            **form.fields_for_service(),
        )
    return call.status


@login_required
def indicator_create(request):
    zone = zone_for(request, CATALOGUE, ADD)
    form = IndicatorForm(request.POST or None)
    if request.method != "POST":
        return _indicator_page(request, form)
    status = 422
    if form.is_valid():
        status = _save_indicator(request, zone, form)
        if status is None:
            messages.success(request, _("已添加本园区指标"))
            return redirect("statistics:indicators")
    return _indicator_page(request, form, status=status)


@login_required
def indicator_edit(request, pk):
    zone = zone_for(request, CATALOGUE, CHANGE)
    indicator = Indicator.objects.filter(zone=zone, pk=pk).first()
    if indicator is None:
        raise Http404(_("未找到本园区自设的该指标"))
    initial = {name: getattr(indicator, name) for name in services_catalogue.INDICATOR_FIELDS}
    initial.update(code=indicator.code, version=indicator.version)
    form = IndicatorForm(request.POST or None, initial=initial, editing=indicator)
    if request.method != "POST":
        return _indicator_page(request, form, indicator)
    status = 422
    if form.is_valid():
        status = _save_indicator(request, zone, form, indicator)
        if status is None:
            messages.success(request, _("已保存"))
            return redirect("statistics:indicators")
    return _indicator_page(request, form, indicator, status=status)


# --- rules ------------------------------------------------------------------------------------


@login_required
def rule_list(request):
    zone = zone_for(request, CATALOGUE)
    rules = services_catalogue.effective_rules(zone)
    if request.GET.get("export") == "xlsx":
        return _xlsx(request, "rules", export_rules, rules, _("审核规则导出"))
    can_edit = services_catalogue.may_configure(request.user, zone, CHANGE)
    return render(
        request,
        "statistics/rule_list.html",
        {"table": RuleTable(rules, can_edit=can_edit), "count": len(rules)},
    )


@login_required
def rule_edit(request, code):
    zone = zone_for(request, CATALOGUE, CHANGE)
    rule = next((r for r in services_catalogue.effective_rules(zone) if r.code == code), None)
    if rule is None:
        raise Http404(_("未找到该审核规则"))
    form = RuleForm(request.POST or None, rule=rule, initial=RuleForm.initial_for(rule))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            # The service names a threshold params.<name>; the form's field is p_<name>.
            call = PageCall(form, renames={f"params.{n}": f"p_{n}" for n in PARAM_LABELS})
            with call:
                services_catalogue.save_rule(
                    request.user,
                    zone,
                    code=rule.code,
                    params=form.params(),
                    severity=form.cleaned_data["severity"],
                    is_active=form.cleaned_data["is_active"],
                    version=form.cleaned_data["version"],
                )
            if call.ok:
                messages.success(request, _("已调整审核规则「%(n)s」") % {"n": rule.name})
                return redirect("statistics:rules")
            status = call.status
    return render(request, "statistics/rule_form.html", {"form": form, "rule": rule}, status=status)


urlpatterns = [
    path("indicators/", indicator_list, name="indicators"),
    path("indicators/new/", indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/edit/", indicator_edit, name="indicator_edit"),
    path("rules/", rule_list, name="rules"),
    path("rules/<slug:code>/edit/", rule_edit, name="rule_edit"),
]
