"""Help for enterprises (帮扶): the help ledgers — awards, loans, work resumption, and the job fairs
with their offers (`fairs`) — each with a date-range filter
(`?start=&end=`, what the cockpit links with), its totals on top and an .xlsx export
(`?export=xlsx`); what their pages share is in `assistance_common`.

Officers, leaders and the province read (ZONE_FIGURES_POLICY); admins and staff record; admins
remove a row with a reason (audited). Enterprise users and other zones get 404. Writes go through
`assistance` services.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import clock
from gaoxin.core.forms import DateInput, MoneyField
from gaoxin.core.models.access import CHANGE, DELETE, VIEW, can_in_zone
from gaoxin.core.money import format_wan
from gaoxin.core.pages import zone_for
from gaoxin.core.spreadsheets.spec import Column
from gaoxin.enterprises.models import Enterprise

from .. import assistance, award_checks
from ..models import Award, Loan, Resumption
from .assistance_common import (
    ZoneForm,
    _create_view,
    _export,
    _form_view,
    _get,
    _ledger_page,
    _period,
    _versioned,
    ledger_delete,
)

# --- awards and loans ----------------------------------------------------------------------------


class AwardForm(ZoneForm):
    enterprise = forms.ModelChoiceField(
        label=gettext_lazy("企业"), queryset=Enterprise.objects.none()
    )
    policy = forms.CharField(label=gettext_lazy("政策名称"), max_length=100)
    amount = MoneyField(label=gettext_lazy("金额(万元)"), positive=True)
    paid_on = forms.DateField(label=gettext_lazy("兑现日期"), widget=DateInput())
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)


class LoanForm(ZoneForm):
    enterprise = forms.ModelChoiceField(
        label=gettext_lazy("企业"), queryset=Enterprise.objects.none()
    )
    bank = forms.CharField(label=gettext_lazy("银行"), max_length=50)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=Loan.Kind.choices)
    amount = MoneyField(label=gettext_lazy("金额(万元)"), positive=True)
    granted_on = forms.DateField(label=gettext_lazy("放款日期"), widget=DateInput())
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)


AWARD_COLUMNS = [
    Column("enterprise", "企业", width=30),
    Column("policy", "政策名称", width=24),
    Column("amount", "金额(万元)", formatter=float),
    Column("paid_on", "兑现日期", date=True),
    Column("note", "备注", width=24),
    Column("created_by_name", "登记人"),
]
LOAN_COLUMNS = [
    Column("enterprise", "企业", width=30),
    Column("bank", "银行", width=18),
    Column("kind", "类型"),
    Column("amount", "金额(万元)", formatter=float),
    Column("granted_on", "放款日期", date=True),
    Column("note", "备注", width=24),
    Column("created_by_name", "登记人"),
]


def _amount_list(request, *, model, key, date_field, title, columns, row_of, cells_of, heads):
    """The awards or loans ledger: one row per payment, totals of enterprises, rows and amount."""
    zone = zone_for(request, model)
    form, start, end = _period(request)
    qs = assistance.in_period(
        model.objects.restrict(request.user, VIEW).filter(zone=zone), date_field, start, end
    ).select_related("enterprise")
    if request.GET.get("export") == "xlsx":
        return _export(request, zone, columns, (row_of(r) for r in qs), title, key)
    agg = qs.aggregate(
        n=Count("id"), enterprises=Count("enterprise", distinct=True), amount=Sum("amount")
    )
    can_delete = can_in_zone(request.user, model, zone, DELETE)
    return _ledger_page(
        request,
        zone,
        model,
        qs,
        tab=key + "s",
        create=f"matters:{key}_create",
        form=form,
        title=title,
        totals=[
            (_("企业数"), agg["enterprises"]),
            (_("笔数"), agg["n"]),
            (_("金额"), format_wan(agg["amount"] or 0)),
        ],
        heads=heads,
        row=lambda r: {
            "cells": cells_of(r),
            "delete": reverse(f"matters:{key}_delete", args=[r.pk]) if can_delete else None,
        },
    )


@login_required
def awards(request):
    return _amount_list(
        request,
        model=Award,
        key="award",
        date_field="paid_on",
        title=_("奖补兑现台账"),
        columns=AWARD_COLUMNS,
        row_of=lambda a: {
            "enterprise": a.enterprise.name,
            "policy": a.policy,
            "amount": a.amount,
            "paid_on": a.paid_on,
            "note": a.note,
            "created_by_name": a.created_by_name,
        },
        cells_of=lambda a: [a.enterprise.name, a.policy, format_wan(a.amount), a.paid_on, a.note],
        heads=[_("企业"), _("政策名称"), _("金额"), _("兑现日期"), _("备注")],
    )


@login_required
def loans(request):
    return _amount_list(
        request,
        model=Loan,
        key="loan",
        date_field="granted_on",
        title=_("融资对接台账"),
        columns=LOAN_COLUMNS,
        row_of=lambda r: {
            "enterprise": r.enterprise.name,
            "bank": r.bank,
            "kind": r.get_kind_display(),
            "amount": r.amount,
            "granted_on": r.granted_on,
            "note": r.note,
            "created_by_name": r.created_by_name,
        },
        cells_of=lambda r: [
            r.enterprise.name,
            r.bank,
            r.get_kind_display(),
            format_wan(r.amount),
            r.granted_on,
            r.note,
        ],
        heads=[_("企业"), _("银行"), _("类型"), _("金额"), _("放款日期"), _("备注")],
    )


def _add_award_warned(request):
    """add_award, then the registered award checks' warnings (award_checks) as page messages."""

    def add(actor, zone, **data):
        award = assistance.add_award(actor, zone, **data)
        for text in award_checks.warnings_for(award.enterprise, award.amount):
            messages.warning(request, text)
        return award

    return add


@login_required
def award_create(request):
    return _create_view(
        request,
        Award,
        AwardForm,
        _add_award_warned(request),
        title=_("登记奖补兑现"),
        done=_("已登记奖补兑现"),
        back=reverse("matters:awards"),
        form_id="award-form",
    )


@login_required
def loan_create(request):
    return _create_view(
        request,
        Loan,
        LoanForm,
        assistance.add_loan,
        title=_("登记融资对接"),
        done=_("已登记融资对接"),
        back=reverse("matters:loans"),
        form_id="loan-form",
    )


# --- work resumption -----------------------------------------------------------------------------


class ResumptionForm(ZoneForm):
    subject = forms.ChoiceField(label=gettext_lazy("对象"), choices=Resumption.Subject.choices)
    enterprise = forms.ModelChoiceField(
        label=gettext_lazy("规上企业"), queryset=Enterprise.objects.none(), required=False
    )
    project = forms.ModelChoiceField(
        label=gettext_lazy("重点项目"), queryset=Enterprise.objects.none(), required=False
    )
    tracked_from = forms.DateField(label=gettext_lazy("纳入跟踪日期"), widget=DateInput())
    resumed_on = forms.DateField(label=gettext_lazy("复工日期"), widget=DateInput(), required=False)
    workers_back = forms.IntegerField(label=gettext_lazy("返岗人数"), min_value=0, required=False)
    workers_total = forms.IntegerField(label=gettext_lazy("职工总数"), min_value=0, required=False)
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, zone, editing=False, **kwargs):
        from gaoxin.investment.models import Project

        super().__init__(*args, zone=zone, editing=editing, **kwargs)
        if editing:  # the subject of a row is fixed
            for name in ("subject", "enterprise", "project"):
                del self.fields[name]
            return
        self.fields["enterprise"].queryset = Enterprise.objects.filter(
            zone=zone, is_deleted=False, above_scale=True
        ).order_by("name")
        self.fields["project"].queryset = Project.objects.filter(
            zone=zone, is_deleted=False
        ).order_by("name")
        self.fields["project"].widget.attrs["data-picker"] = "1"


RESUMPTION_COLUMNS = [
    Column("subject", "对象"),
    Column("name", "企业/项目", width=30),
    Column("tracked_from", "纳入跟踪日期", date=True),
    Column("resumed_on", "复工日期", date=True),
    Column("workers_back", "返岗人数"),
    Column("workers_total", "职工总数"),
    Column("note", "备注", width=24),
]


def _subject_name(row) -> str:
    """The name of what a resumption row tracks: its enterprise or its project."""
    return getattr(row.enterprise or row.project, "name", "")


def _rate_text(block):
    if block["rate"] is None:
        return "—"
    return f"{block['rate']}% ({block['resumed']}/{block['tracked']})"


@login_required
def resumption(request):
    zone = zone_for(request, Resumption)
    form, _start, end = _period(request)
    as_of = end or clock.today()
    qs = (
        Resumption.objects.restrict(request.user, VIEW)
        .filter(zone=zone, tracked_from__lte=as_of)
        .select_related("enterprise", "project")
    )
    subject = request.GET.get("subject")
    if subject in Resumption.Subject.values:
        qs = qs.filter(subject=subject)
    if request.GET.get("export") == "xlsx":
        rows = (
            {
                "subject": r.get_subject_display(),
                "name": _subject_name(r),
                "tracked_from": r.tracked_from,
                "resumed_on": r.resumed_on,
                "workers_back": r.workers_back,
                "workers_total": r.workers_total,
                "note": r.note,
            }
            for r in qs
        )
        return _export(request, zone, RESUMPTION_COLUMNS, rows, _("复工复产台账"), "resumption")
    rates = assistance.resumption_rates(zone, as_of)
    can_change = can_in_zone(request.user, Resumption, zone, CHANGE)
    can_delete = can_in_zone(request.user, Resumption, zone, DELETE)
    return _ledger_page(
        request,
        zone,
        Resumption,
        qs,
        tab="resumption",
        create="matters:resumption_create",
        form=form,
        title=_("复工复产"),
        totals=[
            (_("截至"), as_of),
            (_("规上企业复工率"), _rate_text(rates["enterprises"])),
            (_("重点项目复工率"), _rate_text(rates["projects"])),
            (_("总体复工率"), _rate_text(rates["overall"])),
        ],
        heads=[_("对象"), _("企业/项目"), _("纳入跟踪日期"), _("复工日期"), _("返岗/职工")],
        row=lambda r: {
            "cells": [
                r.get_subject_display(),
                _subject_name(r),
                r.tracked_from,
                r.resumed_on if r.resumed_on and r.resumed_on <= as_of else _("未复工"),
                "" if r.workers_back is None else f"{r.workers_back}/{r.workers_total or '—'}",
            ],
            "edit": reverse("matters:resumption_edit", args=[r.pk]) if can_change else None,
            "delete": reverse("matters:resumption_delete", args=[r.pk]) if can_delete else None,
        },
    )


@login_required
def resumption_create(request):
    return _create_view(
        request,
        Resumption,
        ResumptionForm,
        assistance.add_resumption,
        title=_("纳入复工跟踪"),
        done=_("已纳入复工跟踪"),
        back=reverse("matters:resumption"),
        form_id="resumption-form",
    )


@login_required
def resumption_edit(request, pk):
    zone = zone_for(request, Resumption)
    row = _get(request, Resumption, pk, CHANGE)
    initial = {f: getattr(row, f) for f in assistance.RESUMPTION_FIELDS} | {"version": row.version}
    form = ResumptionForm(request.POST or None, zone=zone, editing=True, initial=initial)
    back = reverse("matters:resumption")
    return _form_view(
        request,
        form,
        lambda data: assistance.update_resumption(request.user, row, **_versioned(data, row)),
        done=_("已保存复工情况"),
        then=back,
        title=_("复工情况") + " · " + _subject_name(row),
        back=back,
        form_id="resumption-form",
        obj=row,
    )


urlpatterns = [
    path("assistance/awards/", awards, name="awards"),
    path("assistance/awards/new/", award_create, name="award_create"),
    path(
        "assistance/awards/<int:pk>/delete/",
        ledger_delete,
        {"model": Award, "back": "matters:awards"},
        name="award_delete",
    ),
    path("assistance/loans/", loans, name="loans"),
    path("assistance/loans/new/", loan_create, name="loan_create"),
    path(
        "assistance/loans/<int:pk>/delete/",
        ledger_delete,
        {"model": Loan, "back": "matters:loans"},
        name="loan_delete",
    ),
    path("assistance/resumption/", resumption, name="resumption"),
    path("assistance/resumption/new/", resumption_create, name="resumption_create"),
    path("assistance/resumption/<int:pk>/", resumption_edit, name="resumption_edit"),
    path(
        "assistance/resumption/<int:pk>/delete/",
        ledger_delete,
        {"model": Resumption, "back": "matters:resumption"},
        name="resumption_delete",
    ),
]
