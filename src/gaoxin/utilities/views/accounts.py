"""The accounts' pages: the zone's risk list (fewest days of supply left first, red first) with
its filters and .xlsx export; an account's page (balance, days left, level, the forecast as a
chart, the ledger, warnings and cut-offs); for officers adding and editing an account (with the
stale-save check: 409), 保电 and a correction; an enterprise user's own accounts (mine) and a
utility company's partner page (its company's accounts and recent batches).

URL names (namespace `utilities`): accounts, accounts_export, account, account_create,
account_edit, account_protect, account_correct, mine, partner.

Every read starts from `restrict(user, VIEW)`; missing and forbidden are the same 404. Writes go
through H1's services (services.accounts, services.corrections); their errors come back on the
form (422), a stale version as 409 with what was typed kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import ADD, CHANGE, VIEW, can_in_zone
from gaoxin.core.pages import ServiceCall, zone_for
from gaoxin.core.spreadsheets import Column
from gaoxin.core.spreadsheets.exports import list_export
from gaoxin.core.tables import order_table, paginate_table

from .. import filters, forms, tables
from ..models import (
    BAND,
    UNIT,
    Account,
    Batch,
    Charge,
    CutOff,
    Reading,
    TopUp,
    Warning,
    ZoneUtilitySettings,
)
from ..models.access import partner_company_ids
from . import charts
from .common import get, is_partner, officer, service

SHOWN = 50


def ordered(rows):
    """The risk order: red first (the highest level), then the fewest days left (no forecast
    last), then the meter: the API's order (GET /accounts)."""
    return rows.order_by("-level", F("days_left").asc(nulls_last=True), "meter_no", "pk")


def filtered(request):
    zone = zone_for(request, Account, VIEW)
    rows = (
        Account.objects.restrict(request.user, VIEW)
        .filter(zone=zone, closed_on__isnull=True)
        .select_related("enterprise", "company")
    )
    flt = filters.AccountFilter(request.GET or None, queryset=rows, zone=zone)
    return zone, flt


@login_required
def accounts(request):
    zone, flt = filtered(request)
    table = tables.AccountTable(ordered(flt.qs))
    paginate_table(request, table)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "utilities/accounts.html",
        {
            "nav": "accounts",
            "zone": zone,
            "filter": flt,
            "table": table,
            "export_query": query.urlencode(),
            "can_set_levels": can_in_zone(request.user, ZoneUtilitySettings, zone, CHANGE),
            "create_url": reverse("utilities:account_create")
            if can_in_zone(request.user, Account, zone, ADD)
            else None,
        },
        status=200 if flt.is_bound is False or flt.is_valid() else 422,
    )


@login_required
def accounts_export(request):
    zone, flt = filtered(request)
    table = tables.AccountTable(ordered(flt.qs))
    order_table(request, table)
    headers, values = tables.export_table(table)
    columns = [Column(f"c{i}", header, width=16) for i, header in enumerate(headers)]
    rows = ({f"c{i}": v for i, v in enumerate(row)} for row in values)
    return list_export(request, zone, columns, rows, title=_("水电气账户"))


def _ledger(user, account):
    def mine(model):
        return model.objects.restrict(user, VIEW).filter(account=account)

    return {
        "readings": mine(Reading).order_by("-read_at", "register")[:SHOWN],
        "topups": mine(TopUp).order_by("-paid_at")[:SHOWN],
        "charges": mine(Charge).select_related("actor").order_by("-day", "-pk")[:SHOWN],
        "warnings": mine(Warning).order_by("-raised_at")[:SHOWN],
        "cutoffs": mine(CutOff).order_by("-at")[:SHOWN],
    }


@login_required
def account(request, pk):
    obj = get(request, Account, pk)
    user = request.user
    can_change = officer(user, obj.zone, CHANGE)
    context = {
        "nav": "accounts" if officer(user, obj.zone) else ("partner" if is_partner(user) else ""),
        "account": obj,
        "band": BAND.get(obj.level, "green"),
        "unit": UNIT.get(obj.kind, ""),
        "charts": charts.account_charts(obj),
        "can_change": can_change,
        "can_correct": can_in_zone(user, Charge, obj.zone, ADD),
        "protect_form": forms.ProtectForm(initial=_protect_initial(obj)) if can_change else None,
        # the account's changes (保电, edits) for its keepers; the ledger shows the rest
        "timeline": AuditRecord.objects.for_object(obj).order_by("-time", "-id")[:50]
        if can_change
        else None,
        **_ledger(user, obj),
    }
    return render(request, "utilities/account.html", context)


def _protect_initial(obj) -> dict:
    names = ("protected", "protected_reason", "protected_from", "protected_until", "version")
    return {n: getattr(obj, n) for n in names}


def _form_page(request, form, *, title, back, status=200, obj=None):
    return render(
        request,
        "utilities/form.html",
        {"nav": "accounts", "form": form, "title": title, "back": back, "obj": obj},
        status=status,
    )


@login_required
def account_create(request):
    zone = zone_for(request, Account, ADD)
    form = forms.AccountForm(request.POST or None, zone=zone)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            call = ServiceCall(form)
            with call:
                obj = service("accounts", "create_account")(
                    request.user, zone, **form.service_fields()
                )
            if call.ok:
                messages.success(request, _("已登记账户:%(o)s") % {"o": obj})
                return redirect("utilities:account", pk=obj.pk)
            status = call.status
    back = reverse("utilities:accounts")
    return _form_page(request, form, title=_("登记账户"), back=back, status=status)


@login_required
def account_edit(request, pk):
    obj = get(request, Account, pk, CHANGE, zone_wide=True)
    names = [n for n in forms.AccountForm.base_fields if n not in forms.AccountForm.FIXED]
    initial = {n: getattr(obj, obj._meta.get_field(n).attname) for n in names}
    form = forms.AccountForm(request.POST or None, zone=obj.zone, editing=True, initial=initial)
    status = 200
    back = reverse("utilities:account", args=[obj.pk])
    if request.method == "POST":
        status = 422
        if form.is_valid():
            call = ServiceCall(form)
            with call:
                service("accounts", "update_account")(
                    request.user, obj, version=form.cleaned_data.get("version") or obj.version,
                    **form.service_fields(),
                )  # fmt: skip
            if call.ok:
                messages.success(request, _("已保存"))
                return redirect(back)
            status = call.status
    title = f"{_('修改')} · {obj}"
    return _form_page(request, form, title=title, back=back, status=status, obj=obj)


@login_required
@require_POST
def account_protect(request, pk):
    """保电 on or off, with its reason and dates; errors come back as messages."""
    obj = get(request, Account, pk, CHANGE, zone_wide=True)
    form = forms.ProtectForm(request.POST)
    back = reverse("utilities:account", args=[obj.pk])
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        call = ServiceCall(form)
        with call:
            service("accounts", "update_account")(request.user, obj, version=version, **data)
        if call.ok:
            messages.success(request, _("已设为保电") if data["protected"] else _("已取消保电"))
            return redirect(back)
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}:{error}" if label else error)
    return redirect(back)


@login_required
def account_correct(request, pk):
    """A correction of the account's ledger: a new charge with its reason (services.corrections)."""
    obj = get(request, Account, pk, VIEW)
    if not can_in_zone(request.user, Charge, obj.zone, ADD):
        raise Http404(_("未找到该记录"))
    readings = Reading.objects.filter(account=obj).order_by("-read_at")[:SHOWN]
    topups = TopUp.objects.filter(account=obj).order_by("-paid_at")[:SHOWN]
    form = forms.CorrectionForm(request.POST or None, readings=readings, topups=topups)
    back = reverse("utilities:account", args=[obj.pk])
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            d = form.cleaned_data
            reading = Reading.objects.filter(account=obj, pk=d["reading"]).first() if d[
                "reading"] else None  # fmt: skip
            topup = TopUp.objects.filter(account=obj, pk=d["topup"]).first() if d[
                "topup"] else None  # fmt: skip
            call = ServiceCall(form)
            with call:
                service("corrections", "correct")(
                    request.user, obj, amount=d["amount"], reason=d["reason"],
                    reading=reading, topup=topup,
                )  # fmt: skip
            if call.ok:
                messages.success(request, _("已登记更正"))
                return redirect(back)
            status = call.status
    title = f"{_('更正')} · {obj}"
    return _form_page(request, form, title=title, back=back, status=status, obj=obj)


@login_required
def mine(request):
    """An enterprise user's own accounts: balances, days left, level."""
    user = request.user
    own = user.own_enterprise_ids()
    if not own:
        raise Http404(_("未找到该页面"))
    rows = ordered(
        Account.objects.restrict(user, VIEW)
        .filter(enterprise_id__in=own, closed_on__isnull=True)
        .select_related("enterprise", "company")
    )
    return render(request, "utilities/mine.html", {"nav": "mine", "accounts": rows})


@login_required
def partner(request):
    """A utility company's partner account: its company's accounts (risk order) and its batches."""
    user = request.user
    companies = partner_company_ids(user) if is_partner(user) else []
    if not companies:
        raise Http404(_("未找到该页面"))
    rows = ordered(
        Account.objects.restrict(user, VIEW)
        .filter(company_id__in=companies, closed_on__isnull=True)
        .select_related("enterprise", "company")
    )
    table = tables.AccountTable(rows)
    paginate_table(request, table)
    batches = (
        Batch.objects.restrict(user, VIEW)
        .filter(company_id__in=companies)
        .select_related("company", "actor")
        .order_by("-received_at")[:20]
    )
    return render(
        request, "utilities/partner.html", {"nav": "partner", "table": table, "batches": batches}
    )


urlpatterns = [
    path("", accounts, name="accounts"),
    path("export/", accounts_export, name="accounts_export"),
    path("accounts/new/", account_create, name="account_create"),
    path("accounts/<int:pk>/", account, name="account"),
    path("accounts/<int:pk>/edit/", account_edit, name="account_edit"),
    path("accounts/<int:pk>/protect/", account_protect, name="account_protect"),
    path("accounts/<int:pk>/correct/", account_correct, name="account_correct"),
    path("mine/", mine, name="mine"),
    path("partner/", partner, name="partner"),
]
