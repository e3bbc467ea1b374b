"""The zone's utilities pages besides the accounts: the findings (officers mark them visited or
dismissed), the warnings and cut-offs behind the cockpit's figures, the zone's warning levels
(zone admins), and the utility companies and tariffs (lists for officers; the admins add).

URL names (namespace `utilities`): findings, finding_update, warnings, cutoffs, settings,
companies, company_create, tariffs, tariff_create, tariff_version_create.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.models.access import ADD, CHANGE, VIEW, can_in_zone
from gaoxin.core.pages import ServiceCall, zone_for
from gaoxin.core.paging import page_of
from gaoxin.core.tables import paginate_table

from .. import filters, forms, tables
from ..models import (
    Account,
    CutOff,
    Finding,
    Tariff,
    TariffVersion,
    UtilityCompany,
    Warning,
    ZoneUtilitySettings,
)
from .common import get, service

PER_PAGE = 50


def tabs(request, zone) -> dict:
    """What the module's tabs need: whether the levels' tab is shown."""
    return {"can_set_levels": can_in_zone(request.user, ZoneUtilitySettings, zone, CHANGE)}


def _page(request, rows):
    return page_of(request, rows, PER_PAGE)


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def findings(request):
    zone = zone_for(request, Finding, VIEW)
    rows = (
        Finding.objects.restrict(request.user, VIEW)
        .filter(zone=zone)
        .select_related("enterprise", "account")
        .order_by("-detected_on", "-pk")
    )
    flt = filters.FindingFilter(request.GET or None, queryset=rows, zone=zone)
    can_mark = can_in_zone(request.user, Finding, zone, CHANGE)
    table = tables.FindingTable(flt.qs)
    if not can_mark:
        table.columns.hide("actions")
    paginate_table(request, table)
    context = {"nav": "findings", "zone": zone, "filter": flt, "table": table, **tabs(request, zone),
               "mark_form": forms.FindingForm() if can_mark else None}  # fmt: skip
    return render(request, "utilities/findings.html", context)


@login_required
@require_POST
def finding_update(request, pk):
    """Mark a finding visited or dismissed, with a note (services.findings.mark)."""
    finding = get(request, Finding, pk, CHANGE, zone_wide=True)
    form = forms.FindingForm(request.POST)
    if form.is_valid():
        call = ServiceCall(form)
        with call:
            service("findings", "mark")(request.user, finding, **form.cleaned_data)
        if call.ok:
            messages.success(request, _("已记录核实结果"))
            return redirect("utilities:findings")
        for message in call.messages():
            messages.error(request, message)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("utilities:findings")


@login_required
def warnings(request):
    zone = zone_for(request, Account, VIEW)
    rows = (
        Warning.objects.restrict(request.user, VIEW)
        .filter(zone=zone)
        .select_related("account", "account__enterprise")
        .order_by("-raised_at", "-pk")
    )
    flt = filters.WarningFilter(request.GET or None, queryset=rows)
    page = _page(request, flt.qs)
    context = {"nav": "cockpit", "zone": zone, "filter": flt, "page": page,
               "query": _query(request), "title": _("余额预警")}  # fmt: skip
    return render(request, "utilities/warnings.html", context)


@login_required
def cutoffs(request):
    zone = zone_for(request, Account, VIEW)
    rows = (
        CutOff.objects.restrict(request.user, VIEW)
        .filter(zone=zone)
        .select_related("account", "account__enterprise")
        .order_by("-at", "-pk")
    )
    flt = filters.CutOffFilter(request.GET or None, queryset=rows)
    page = _page(request, flt.qs)
    context = {"nav": "cockpit", "zone": zone, "filter": flt, "page": page,
               "query": _query(request), "title": _("停供记录")}  # fmt: skip
    return render(request, "utilities/cutoffs.html", context)


@login_required
def settings(request):
    """The zone's warning levels and finding thresholds (zone admins)."""
    zone = zone_for(request, ZoneUtilitySettings, CHANGE)
    current = ZoneUtilitySettings.objects.filter(zone=zone).first()
    form = forms.SettingsForm(request.POST or None, instance=current or ZoneUtilitySettings())
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            call = ServiceCall(form)
            with call:
                service("accounts", "save_settings")(request.user, zone, **form.cleaned_data)
            if call.ok:
                messages.success(request, _("已保存预警设置"))
                return redirect("utilities:settings")
            status = call.status
    context = {"nav": "settings", "zone": zone, "form": form, "title": _("预警设置"),
               "back": reverse("utilities:accounts")}  # fmt: skip
    return render(request, "utilities/form.html", context, status=status)


@login_required
def companies(request):
    zone = zone_for(request, UtilityCompany, VIEW)
    rows = (
        UtilityCompany.objects.filter(zone=zone)
        .annotate(
            n_accounts=Count("accounts", filter=Q(accounts__closed_on__isnull=True), distinct=True),
            n_users=Count("users", distinct=True),
        )
        .order_by("kind", "name")
    )
    context = {"nav": "companies", "zone": zone, "rows": rows, **tabs(request, zone),
               "can_add": can_in_zone(request.user, UtilityCompany, zone, ADD)}  # fmt: skip
    return render(request, "utilities/companies.html", context)


@login_required
def company_create(request):
    zone = zone_for(request, UtilityCompany, ADD)
    return _create(request, zone, forms.CompanyForm, "add_company", nav="companies",
                   title=_("登记供应单位"), done=_("已登记供应单位"))  # fmt: skip


def _create(request, zone, form_class, name, *, nav, title, done):
    """A zone setting's add page: the form, `services.accounts.<name>` on a valid post, back to
    the list of `nav` with `done`; the service's errors come back on the form (422)."""
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            call = ServiceCall(form)
            with call:
                service("accounts", name)(request.user, zone, **form.cleaned_data)
            if call.ok:
                messages.success(request, done)
                return redirect(f"utilities:{nav}")
            status = call.status
    context = {"nav": nav, "zone": zone, "form": form, "title": title,
               "back": reverse(f"utilities:{nav}")}  # fmt: skip
    return render(request, "utilities/form.html", context, status=status)


@login_required
def tariffs(request):
    zone = zone_for(request, Tariff, VIEW)
    rows = Tariff.objects.filter(zone=zone).prefetch_related("versions").order_by("kind", "name")
    can_add = can_in_zone(request.user, Tariff, zone, ADD)
    context = {"nav": "tariffs", "zone": zone, "rows": rows, "can_add": can_add, **tabs(request, zone),
               "version_form": forms.TariffVersionForm(prefix="v") if can_add else None}  # fmt: skip
    return render(request, "utilities/tariffs.html", context)


@login_required
def tariff_create(request):
    """A tariff with its first version (services.accounts.add_tariff: both or neither)."""
    zone = zone_for(request, Tariff, ADD)
    return _create(request, zone, forms.TariffForm, "add_tariff", nav="tariffs",
                   title=_("登记价格方案"), done=_("已登记价格方案"))  # fmt: skip


@login_required
def tariff_version_create(request, pk):
    """A new version of a tariff (from a date on); errors come back on the form."""
    tariff = get(request, Tariff, pk, ADD, zone_wide=True)
    form = forms.TariffVersionForm(request.POST or None, prefix="v")
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            call = ServiceCall(form)
            with call:
                service("accounts", "add_version")(request.user, tariff, **form.cleaned_data)
            if call.ok:
                messages.success(request, _("已登记价格版本"))
                return redirect("utilities:tariffs")
            status = call.status
    versions = TariffVersion.objects.filter(tariff=tariff).order_by("-valid_from")
    context = {"nav": "tariffs", "zone": tariff.zone, "form": form, "obj": tariff,
               "versions": versions, "title": f"{_('新价格版本')} · {tariff}",
               "back": reverse("utilities:tariffs")}  # fmt: skip
    return render(request, "utilities/form.html", context, status=status)


urlpatterns = [
    path("findings/", findings, name="findings"),
    path("findings/<int:pk>/", finding_update, name="finding_update"),
    path("warnings/", warnings, name="warnings"),
    path("cutoffs/", cutoffs, name="cutoffs"),
    path("settings/", settings, name="settings"),
    path("companies/", companies, name="companies"),
    path("companies/new/", company_create, name="company_create"),
    path("tariffs/", tariffs, name="tariffs"),
    path("tariffs/new/", tariff_create, name="tariff_create"),
    path("tariffs/<int:pk>/versions/new/", tariff_version_create, name="tariff_version_create"),
]
