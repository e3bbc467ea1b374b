"""Help for enterprises (帮扶): the help ledgers — awards, loans, job fairs with their offers, work
resumption — each with a date-range filter (`?start=&end=`, what the cockpit links with), its
totals on top and an .xlsx export (`?export=xlsx`).

Officers, leaders and the province read (OFFICERS_POLICY); admins and staff record; admins remove
a row with a reason (audited). Enterprise users and other zones get 404. Writes go through
`assistance` services.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gaoxin.core import audit
from gaoxin.core.errors import Forbidden
from gaoxin.core.forms import DateInput, style_form
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import ADD, CHANGE, DELETE, VIEW, can_in_zone
from gaoxin.core.money import format_wan
from gaoxin.core.spreadsheets.spec import Column
from gaoxin.core.spreadsheets.writing import write_rows
from gaoxin.enterprises.models import Enterprise

from .. import assistance
from ..models import Award, JobFair, JobOffer, Loan, Resumption
from .assistance_common import ZoneForm, _allowed, _form_page, _get, _post_service

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 50


class PeriodForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("开始日期"), required=False, widget=DateInput())
    end = forms.DateField(label=gettext_lazy("结束日期"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise ValidationError(_("开始日期不能晚于结束日期"))
        return data


def _period(request):
    """(form, start, end): the page's date range; a bad one is shown and not applied."""
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data.get("start"), form.cleaned_data.get("end")
    return form, None, None


def _query(request, **params) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in params.items():
        query[key] = value
    return query.urlencode()


def _export(request, zone, columns, rows, title, name):
    response = HttpResponse(content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f"attachment; filename={name}-{stamp}.xlsx"
    count = write_rows(response, columns, rows, title=title)
    audit.record(
        request.user,
        AuditRecord.Action.EXPORT,
        zone=zone,
        repr_=title,
        message=_("导出 %(n)s 条%(t)s;条件:%(q)s")
        % {"n": count, "t": title, "q": request.GET.urlencode()},
    )
    return response


def _ledger_page(request, ctx):
    return render(request, "matters/ledger_list.html", ctx)


def _paged(request, rows):
    return Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))


def _tabs(active):
    return [
        ("awards", _("奖补兑现"), reverse("matters:awards"), active == "awards"),
        ("loans", _("融资对接"), reverse("matters:loans"), active == "loans"),
        ("fairs", _("网络招聘"), reverse("matters:fairs"), active == "fairs"),
        ("resumption", _("复工复产"), reverse("matters:resumption"), active == "resumption"),
    ]


def _ent_name(e):
    return e.name if e is not None else ""


# --- working groups ------------------------------------------------------------------------------


# --- awards and loans ----------------------------------------------------------------------------


class AwardForm(ZoneForm):
    enterprise = forms.ModelChoiceField(
        label=gettext_lazy("企业"), queryset=Enterprise.objects.none()
    )
    policy = forms.CharField(label=gettext_lazy("政策名称"), max_length=100)
    amount = forms.DecimalField(label=gettext_lazy("金额(万元)"), max_digits=16, decimal_places=4)
    paid_on = forms.DateField(label=gettext_lazy("兑现日期"), widget=DateInput())
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)


class LoanForm(ZoneForm):
    enterprise = forms.ModelChoiceField(
        label=gettext_lazy("企业"), queryset=Enterprise.objects.none()
    )
    bank = forms.CharField(label=gettext_lazy("银行"), max_length=50)
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=Loan.Kind.choices)
    amount = forms.DecimalField(label=gettext_lazy("金额(万元)"), max_digits=16, decimal_places=4)
    granted_on = forms.DateField(label=gettext_lazy("放款日期"), widget=DateInput())
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=200, required=False)


def _money_cell(value):
    return format_wan(value)


def _amount_totals(qs):
    agg = qs.aggregate(
        n=Count("id"), enterprises=Count("enterprise", distinct=True), amount=Sum("amount")
    )
    return [
        (_("企业数"), agg["enterprises"]),
        (_("笔数"), agg["n"]),
        (_("金额"), format_wan(agg["amount"] or 0)),
    ]


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


def _ledger_list(request, *, model, key, date_field, title, columns, row_of, cells_of, heads):
    zone = _allowed(request, model)
    form, start, end = _period(request)
    qs = assistance.in_period(
        model.objects.restrict(request.user, VIEW).filter(zone=zone), date_field, start, end
    ).select_related("enterprise")
    if request.GET.get("export") == "xlsx":
        return _export(request, zone, columns, (row_of(r) for r in qs), title, key)
    page = _paged(request, qs)
    can_delete = can_in_zone(request.user, model, zone, DELETE)
    rows = [
        {
            "cells": cells_of(r),
            "delete": reverse(f"matters:{key}_delete", args=[r.pk]) if can_delete else None,
        }
        for r in page
    ]
    return _ledger_page(
        request,
        {
            "title": title,
            "nav": "ledgers",
            "tabs": _tabs(key + "s"),
            "form": form,
            "totals": _amount_totals(qs),
            "heads": heads,
            "rows": rows,
            "page": page,
            "create_url": reverse(f"matters:{key}_create")
            if can_in_zone(request.user, model, zone, ADD)
            else None,
            "export_query": _query(request, export="xlsx"),
            "page_query": _query(request),
            "here": request.get_full_path(),
        },
    )


@login_required
def awards(request):
    def row_of(a):
        return {
            "enterprise": a.enterprise.name,
            "policy": a.policy,
            "amount": a.amount,
            "paid_on": a.paid_on,
            "note": a.note,
            "created_by_name": a.created_by_name,
        }

    return _ledger_list(
        request,
        model=Award,
        key="award",
        date_field="paid_on",
        title=_("奖补兑现台账"),
        columns=AWARD_COLUMNS,
        row_of=row_of,
        cells_of=lambda a: [a.enterprise.name, a.policy, format_wan(a.amount), a.paid_on, a.note],
        heads=[_("企业"), _("政策名称"), _("金额"), _("兑现日期"), _("备注")],
    )


@login_required
def loans(request):
    def row_of(loan):
        return {
            "enterprise": loan.enterprise.name,
            "bank": loan.bank,
            "kind": loan.get_kind_display(),
            "amount": loan.amount,
            "granted_on": loan.granted_on,
            "note": loan.note,
            "created_by_name": loan.created_by_name,
        }

    return _ledger_list(
        request,
        model=Loan,
        key="loan",
        date_field="granted_on",
        title=_("融资对接台账"),
        columns=LOAN_COLUMNS,
        row_of=row_of,
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


@login_required
def award_create(request):
    zone = _allowed(request, Award, ADD)
    form = AwardForm(request.POST or None, zone=zone)

    def act(d):
        assistance.add_award(
            request.user,
            zone,
            enterprise=d["enterprise"],
            policy=d["policy"],
            amount=d["amount"],
            paid_on=d["paid_on"],
            note=d["note"],
        )

    if request.method == "POST" and _post_service(request, form, act):
        messages.success(request, _("已登记奖补兑现"))
        return redirect("matters:awards")
    back = reverse("matters:awards")
    return _form_page(request, form, title=_("登记奖补兑现"), back=back, form_id="award-form")


@login_required
def loan_create(request):
    zone = _allowed(request, Loan, ADD)
    form = LoanForm(request.POST or None, zone=zone)

    def act(d):
        assistance.add_loan(
            request.user,
            zone,
            enterprise=d["enterprise"],
            bank=d["bank"],
            kind=d["kind"],
            amount=d["amount"],
            granted_on=d["granted_on"],
            note=d["note"],
        )

    if request.method == "POST" and _post_service(request, form, act):
        messages.success(request, _("已登记融资对接"))
        return redirect("matters:loans")
    back = reverse("matters:loans")
    return _form_page(request, form, title=_("登记融资对接"), back=back, form_id="loan-form")


def _delete(request, model, pk, back):
    """Remove a ledger row with a reason (zone admins); errors come back as messages."""
    obj = _get(request, model, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        assistance.remove_entry(request.user, obj, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except (model.DoesNotExist, Forbidden):
        raise Http404 from None
    else:
        messages.success(request, _("已删除该记录"))
    return redirect(back)


def _back(request, default):
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@login_required
@require_POST
def award_delete(request, pk):
    return _delete(request, Award, pk, _back(request, reverse("matters:awards")))


@login_required
@require_POST
def loan_delete(request, pk):
    return _delete(request, Loan, pk, _back(request, reverse("matters:loans")))


# --- job fairs -----------------------------------------------------------------------------------


class FairForm(ZoneForm):
    title = forms.CharField(label=gettext_lazy("招聘会"), max_length=100)
    held_on = forms.DateField(label=gettext_lazy("开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=gettext_lazy("结束日期"), widget=DateInput(), required=False)
    online = forms.BooleanField(label=gettext_lazy("线上"), required=False, initial=True)
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)


class OfferForm(ZoneForm):
    enterprise = forms.ModelChoiceField(
        label=gettext_lazy("企业"), queryset=Enterprise.objects.none()
    )
    positions = forms.IntegerField(label=gettext_lazy("岗位数"), min_value=1)
    jobs = forms.CharField(label=gettext_lazy("招聘岗位"), max_length=200, required=False)


OFFER_COLUMNS = [
    Column("fair", "招聘会", width=30),
    Column("held_on", "开始日期", date=True),
    Column("enterprise", "企业", width=30),
    Column("positions", "岗位数"),
    Column("jobs", "招聘岗位", width=24),
]


@login_required
def fairs(request):
    zone = _allowed(request, JobFair)
    form, start, end = _period(request)
    qs = assistance.in_period(
        JobFair.objects.restrict(request.user, VIEW).filter(zone=zone), "held_on", start, end
    )
    if request.GET.get("export") == "xlsx":
        offers = (
            JobOffer.objects.filter(fair__in=qs)
            .select_related("fair", "enterprise")
            .order_by("fair__held_on", "fair_id", "id")
        )
        rows = (
            {
                "fair": o.fair.title,
                "held_on": o.fair.held_on,
                "enterprise": o.enterprise.name,
                "positions": o.positions,
                "jobs": o.jobs,
            }
            for o in offers
        )
        return _export(request, zone, OFFER_COLUMNS, rows, _("网络招聘会岗位台账"), "fairs")
    listed = qs.annotate(
        n_enterprises=Count("offers__enterprise", distinct=True),
        n_positions=Sum("offers__positions"),
    ).order_by("-held_on", "-id")
    page = _paged(request, listed)
    agg = JobOffer.objects.filter(fair__in=qs).aggregate(
        enterprises=Count("enterprise", distinct=True), positions=Sum("positions")
    )
    rows = [
        {
            "cells": [
                f.title,
                f.held_on,
                f.ends_on or "",
                _("线上") if f.online else _("线下"),
                f.n_enterprises,
                f.n_positions or 0,
            ],
            "link": reverse("matters:fair_detail", args=[f.pk]),
        }
        for f in page
    ]
    return _ledger_page(
        request,
        {
            "title": _("网络招聘会"),
            "nav": "ledgers",
            "tabs": _tabs("fairs"),
            "form": form,
            "totals": [
                (_("招聘会"), qs.count()),
                (_("参会企业"), agg["enterprises"]),
                (_("提供岗位"), agg["positions"] or 0),
            ],
            "heads": [
                _("招聘会"),
                _("开始日期"),
                _("结束日期"),
                _("形式"),
                _("企业数"),
                _("岗位数"),
            ],
            "rows": rows,
            "page": page,
            "create_url": reverse("matters:fair_create")
            if can_in_zone(request.user, JobFair, zone, ADD)
            else None,
            "export_query": _query(request, export="xlsx"),
            "page_query": _query(request),
        },
    )


@login_required
def fair_create(request):
    zone = _allowed(request, JobFair, ADD)
    form = FairForm(request.POST or None, zone=zone)
    created = {}

    def act(d):
        created["fair"] = assistance.create_fair(
            request.user,
            zone,
            title=d["title"],
            held_on=d["held_on"],
            ends_on=d["ends_on"],
            online=d["online"],
            note=d["note"],
        )

    if request.method == "POST" and _post_service(request, form, act):
        messages.success(request, _("已登记招聘会,请添加参会企业及岗位"))
        return redirect("matters:fair_detail", pk=created["fair"].pk)
    back = reverse("matters:fairs")
    return _form_page(request, form, title=_("登记招聘会"), back=back, form_id="fair-form")


def _fair_page(request, fair, offer_form, status=200):
    offers = fair.offers.select_related("enterprise").order_by("enterprise__name")
    can_delete = can_in_zone(request.user, JobOffer, fair.zone, DELETE)
    response = render(
        request,
        "matters/fair_detail.html",
        {
            "fair": fair,
            "nav": "ledgers",
            "tabs": _tabs("fairs"),
            "offers": offers,
            "positions": sum(o.positions for o in offers),
            "offer_form": offer_form
            if can_in_zone(request.user, JobFair, fair.zone, ADD)
            else None,
            "can_delete": can_delete,
        },
        status=status,
    )
    return response


@login_required
def fair_detail(request, pk):
    _allowed(request, JobFair)
    fair = _get(request, JobFair, pk)
    return _fair_page(request, fair, OfferForm(zone=fair.zone))


@login_required
@require_POST
def offer_create(request, pk):
    zone = _allowed(request, JobFair, ADD)
    fair = _get(request, JobFair, pk)
    form = OfferForm(request.POST, zone=zone)

    def act(d):
        assistance.add_offer(
            request.user, fair, enterprise=d["enterprise"], positions=d["positions"], jobs=d["jobs"]
        )

    if _post_service(request, form, act):
        messages.success(request, _("已添加参会企业"))
        return redirect("matters:fair_detail", pk=fair.pk)
    return _fair_page(request, fair, form, status=422)


@login_required
@require_POST
def offer_delete(request, pk):
    offer = _get(request, JobOffer, pk)
    return _delete(request, JobOffer, pk, reverse("matters:fair_detail", args=[offer.fair_id]))


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

        super().__init__(*args, zone=zone, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.filter(
            zone=zone, is_deleted=False, above_scale=True
        ).order_by("name")
        self.fields["project"].queryset = Project.objects.filter(
            zone=zone, is_deleted=False
        ).order_by("name")
        self.fields["project"].widget.attrs["data-picker"] = "1"
        if editing:
            for name in ("subject", "enterprise", "project"):
                del self.fields[name]


RESUMPTION_COLUMNS = [
    Column("subject", "对象"),
    Column("name", "企业/项目", width=30),
    Column("tracked_from", "纳入跟踪日期", date=True),
    Column("resumed_on", "复工日期", date=True),
    Column("workers_back", "返岗人数"),
    Column("workers_total", "职工总数"),
    Column("note", "备注", width=24),
]


def _rate_text(block):
    if block["rate"] is None:
        return "—"
    return f"{block['rate']}% ({block['resumed']}/{block['tracked']})"


@login_required
def resumption(request):
    zone = _allowed(request, Resumption)
    form, start, end = _period(request)
    as_of = end or timezone.localdate()
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
                "name": _ent_name(r.enterprise) or _ent_name(r.project),
                "tracked_from": r.tracked_from,
                "resumed_on": r.resumed_on,
                "workers_back": r.workers_back,
                "workers_total": r.workers_total,
                "note": r.note,
            }
            for r in qs
        )
        return _export(request, zone, RESUMPTION_COLUMNS, rows, _("复工复产台账"), "resumption")
    rates = assistance.summary(zone, start or as_of, as_of)["resumption"]
    page = _paged(request, qs)
    can_change = can_in_zone(request.user, Resumption, zone, CHANGE)
    can_delete = can_in_zone(request.user, Resumption, zone, DELETE)
    rows = [
        {
            "cells": [
                r.get_subject_display(),
                _ent_name(r.enterprise) or _ent_name(r.project),
                r.tracked_from,
                r.resumed_on if r.resumed_on and r.resumed_on <= as_of else _("未复工"),
                "" if r.workers_back is None else f"{r.workers_back}/{r.workers_total or '—'}",
            ],
            "edit": reverse("matters:resumption_edit", args=[r.pk]) if can_change else None,
            "delete": reverse("matters:resumption_delete", args=[r.pk]) if can_delete else None,
        }
        for r in page
    ]
    return _ledger_page(
        request,
        {
            "title": _("复工复产"),
            "nav": "ledgers",
            "tabs": _tabs("resumption"),
            "form": form,
            "totals": [
                (_("截至"), as_of),
                (_("规上企业复工率"), _rate_text(rates["enterprises"])),
                (_("重点项目复工率"), _rate_text(rates["projects"])),
                (_("总体复工率"), _rate_text(rates["overall"])),
            ],
            "heads": [_("对象"), _("企业/项目"), _("纳入跟踪日期"), _("复工日期"), _("返岗/职工")],
            "rows": rows,
            "page": page,
            "create_url": reverse("matters:resumption_create")
            if can_in_zone(request.user, Resumption, zone, ADD)
            else None,
            "export_query": _query(request, export="xlsx"),
            "page_query": _query(request),
            "here": request.get_full_path(),
        },
    )


@login_required
def resumption_create(request):
    zone = _allowed(request, Resumption, ADD)
    form = ResumptionForm(request.POST or None, zone=zone)

    def act(d):
        assistance.add_resumption(
            request.user,
            zone,
            subject=d["subject"],
            enterprise=d["enterprise"],
            project=d["project"],
            tracked_from=d["tracked_from"],
            resumed_on=d["resumed_on"],
            workers_back=d["workers_back"],
            workers_total=d["workers_total"],
            note=d["note"],
        )

    if request.method == "POST" and _post_service(request, form, act):
        messages.success(request, _("已纳入复工跟踪"))
        return redirect("matters:resumption")
    back = reverse("matters:resumption")
    return _form_page(request, form, title=_("纳入复工跟踪"), back=back, form_id="resumption-form")


@login_required
def resumption_edit(request, pk):
    zone = _allowed(request, Resumption)
    row = _get(request, Resumption, pk, CHANGE)
    initial = {f: getattr(row, f) for f in assistance.RESUMPTION_FIELDS} | {"version": row.version}
    form = ResumptionForm(request.POST or None, zone=zone, editing=True, initial=initial)

    def act(d):
        assistance.update_resumption(
            request.user,
            row,
            version=d["version"] or row.version,
            **{f: d[f] for f in assistance.RESUMPTION_FIELDS},
        )

    if request.method == "POST" and _post_service(request, form, act):
        messages.success(request, _("已保存复工情况"))
        return redirect("matters:resumption")
    name = _ent_name(row.enterprise) or _ent_name(row.project)
    return _form_page(
        request,
        form,
        title=_("复工情况") + " · " + name,
        back=reverse("matters:resumption"),
        form_id="resumption-form",
        obj=row,
    )


@login_required
@require_POST
def resumption_delete(request, pk):
    return _delete(request, Resumption, pk, _back(request, reverse("matters:resumption")))


urlpatterns = [
    path("assistance/awards/", awards, name="awards"),
    path("assistance/awards/new/", award_create, name="award_create"),
    path("assistance/awards/<int:pk>/delete/", award_delete, name="award_delete"),
    path("assistance/loans/", loans, name="loans"),
    path("assistance/loans/new/", loan_create, name="loan_create"),
    path("assistance/loans/<int:pk>/delete/", loan_delete, name="loan_delete"),
    path("assistance/fairs/", fairs, name="fairs"),
    path("assistance/fairs/new/", fair_create, name="fair_create"),
    path("assistance/fairs/<int:pk>/", fair_detail, name="fair_detail"),
    path("assistance/fairs/<int:pk>/offers/", offer_create, name="offer_create"),
    path("assistance/offers/<int:pk>/delete/", offer_delete, name="offer_delete"),
    path("assistance/resumption/", resumption, name="resumption"),
    path("assistance/resumption/new/", resumption_create, name="resumption_create"),
    path("assistance/resumption/<int:pk>/", resumption_edit, name="resumption_edit"),
    path("assistance/resumption/<int:pk>/delete/", resumption_delete, name="resumption_delete"),
]
