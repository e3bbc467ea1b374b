"""Help for enterprises (帮扶): the job fairs (网络招聘会) the zone held — their ledger with the
period filter, totals and export (one row per enterprise's offer), a fair's page where the
enterprises and the positions they offered are added, and removing an offer with a reason.

Officers, leaders and the province read (ZONE_FIGURES_POLICY); admins and staff record; admins
remove. Enterprise users and other zones get 404. Writes go through `assistance` services. The
pages are listed in `ledgers.urlpatterns`.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gaoxin.core.forms import DateInput
from gaoxin.core.models.access import ADD, DELETE, VIEW, can_in_zone
from gaoxin.core.pages import zone_for
from gaoxin.core.spreadsheets.spec import Column
from gaoxin.enterprises.models import Enterprise

from .. import assistance
from ..models import JobFair, JobOffer
from .assistance_common import (
    ZoneForm,
    _create_view,
    _delete,
    _export,
    _get,
    _ledger_page,
    _period,
    _tabs,
)
from .common import submit


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
def fair_list(request):
    zone = zone_for(request, JobFair)
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
    agg = qs.aggregate(
        fairs=Count("id", distinct=True),
        enterprises=Count("offers__enterprise", distinct=True),
        positions=Sum("offers__positions"),
    )
    listed = qs.annotate(
        n_enterprises=Count("offers__enterprise", distinct=True),
        n_positions=Sum("offers__positions"),
    ).order_by("-held_on", "-id")
    return _ledger_page(
        request,
        zone,
        JobFair,
        listed,
        tab="fairs",
        create="matters:fair_create",
        form=form,
        title=_("网络招聘会"),
        totals=[
            (_("招聘会"), agg["fairs"]),
            (_("参会企业"), agg["enterprises"]),
            (_("提供岗位"), agg["positions"] or 0),
        ],
        heads=[_("招聘会"), _("开始日期"), _("结束日期"), _("形式"), _("企业数"), _("岗位数")],
        row=lambda f: {
            "cells": [
                f.title,
                f.held_on,
                f.ends_on or "",
                _("线上") if f.online else _("线下"),
                f.n_enterprises,
                f.n_positions or 0,
            ],
            "link": reverse("matters:fair_detail", args=[f.pk]),
        },
    )


@login_required
def fair_create(request):
    return _create_view(
        request,
        JobFair,
        FairForm,
        assistance.create_fair,
        title=_("登记招聘会"),
        done=_("已登记招聘会,请添加参会企业及岗位"),
        back=reverse("matters:fairs"),
        then=lambda fair: reverse("matters:fair_detail", args=[fair.pk]),
        form_id="fair-form",
    )


def _fair_page(request, fair, offer_form, status=200):
    offers = list(fair.offers.select_related("enterprise").order_by("enterprise__name"))
    return render(
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
            "can_delete": can_in_zone(request.user, JobOffer, fair.zone, DELETE),
        },
        status=status,
    )


@login_required
def fair_detail(request, pk):
    zone_for(request, JobFair)
    fair = _get(request, JobFair, pk)
    return _fair_page(request, fair, OfferForm(zone=fair.zone))


@login_required
@require_POST
def offer_create(request, pk):
    zone = zone_for(request, JobFair, ADD)
    fair = _get(request, JobFair, pk)
    form = OfferForm(request.POST, zone=zone)

    def act(d):
        assistance.add_offer(request.user, fair, **d)

    if submit(form, act)[1] is None:
        messages.success(request, _("已添加参会企业"))
        return redirect("matters:fair_detail", pk=fair.pk)
    return _fair_page(request, fair, form, status=422)


@login_required
@require_POST
def offer_delete(request, pk):
    offer = _get(request, JobOffer, pk)
    return _delete(request, JobOffer, pk, reverse("matters:fair_detail", args=[offer.fair_id]))


urlpatterns = [
    path("assistance/fairs/", fair_list, name="fairs"),
    path("assistance/fairs/new/", fair_create, name="fair_create"),
    path("assistance/fairs/<int:pk>/", fair_detail, name="fair_detail"),
    path("assistance/fairs/<int:pk>/offers/", offer_create, name="offer_create"),
    path("assistance/offers/<int:pk>/delete/", offer_delete, name="offer_delete"),
]
