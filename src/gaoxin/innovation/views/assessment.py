"""The high-tech pre-assessment (高企自评) of an enterprise: its page (`innovation:assessment`,
`assessment/<enterprise pk>/?year=`: each criterion with its badge, figures and their source, the
innovation score by part and item with its band, the 科技型中小企业 evaluation) and the form of
the entered figures (`innovation:assessment_edit`, through
`assessment_services.save_assessment_input`).

Whoever sees the enterprise reads its assessment (an enterprise user: its own only); officers of
its zone and the enterprise's own users fill it in. The rest is 404 (pages show no reason).
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.clock import today
from gaoxin.core.forms import style_form
from gaoxin.core.money import plain_number
from gaoxin.core.pages import PageCall
from gaoxin.enterprises.models import Enterprise

from .. import assessment_services as inputs
from ..assessment import evaluate
from ..models import AssessmentInput

SOURCES = {
    "returns": gettext_lazy("月报"),
    "ledger": gettext_lazy("台账"),
    "entered": gettext_lazy("填报"),
    "registry": gettext_lazy("企业库"),
    "computed": gettext_lazy("计算"),
}
STATUSES = {
    "pass": (gettext_lazy("符合"), "success"),
    "fail": (gettext_lazy("不符合"), "danger"),
    "unknown": (gettext_lazy("待确认"), "secondary"),
}


def _enterprise(request, pk) -> Enterprise:
    try:
        return inputs.enterprise_for(request.user, pk)
    except Enterprise.DoesNotExist:
        raise Http404 from None


def _year(request) -> int:
    """?year= when it is an application year, else this year."""
    try:
        return inputs.application_year(request.GET.get("year") or today().year)
    except ValidationError:  # a bad year in the address: the current one
        return today().year


def _figure(f) -> dict:
    value = f.value
    if value is True:
        value = _("是")
    elif value is False:
        value = _("否")
    elif value is None:
        value = "—"
    elif isinstance(value, Decimal):
        value = plain_number(value)
    return {"label": f.label, "value": value, "source": SOURCES.get(f.source, f.source),
            "kind": f.source, "detail": f.detail}  # fmt: skip


@login_required
def assessment_page(request, pk):
    enterprise = _enterprise(request, pk)
    year = _year(request)
    result, sme, _entered = evaluate(enterprise, year)
    criteria = [
        {"c": c, "badge": STATUSES[c.status], "figures": [_figure(f) for f in c.figures]}
        for c in result.criteria
    ]
    parts = [
        {"p": p, "items": [{"i": i, "figures": [_figure(f) for f in i.figures]} for i in p.items]}
        for p in result.parts
    ]
    can_edit = inputs.can_enter(request.user, enterprise)
    return render(request, "innovation/assessment.html", {
        "enterprise": enterprise, "year": year, "result": result, "criteria": criteria,
        "parts": parts, "overall": STATUSES[result.status], "sme": sme,
        "years": range(today().year + 1, today().year - 6, -1),
        "edit_url": reverse("innovation:assessment_edit", args=[enterprise.pk]) + f"?year={year}"
        if can_edit else None, "nav": "assessment",
    })  # fmt: skip


def _choice(label):
    return forms.NullBooleanField(label=label, required=False, widget=forms.NullBooleanSelect)


def _text(name):
    return forms.CharField(
        label=AssessmentInput._meta.get_field(name).verbose_name, required=False, max_length=40
    )


class AssessmentInputForm(forms.Form):
    """Every entered figure as typed; the service validates (one rule path for page and API)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in inputs.FIELDS:
            if name in inputs.FLAG_FIELDS:
                field = _choice(AssessmentInput._meta.get_field(name).verbose_name)
            else:
                field = _text(name)
            self.fields[name] = field
        style_form(self)


@login_required
def assessment_edit(request, pk):
    enterprise = _enterprise(request, pk)
    if not inputs.can_enter(request.user, enterprise):
        raise Http404
    year = _year(request)
    existing = AssessmentInput.objects.filter(enterprise=enterprise, year=year).first()
    initial = {}
    if existing is not None:
        initial = {n: getattr(existing, n) for n in inputs.FIELDS} | {"version": existing.version}
    form = AssessmentInputForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            call = PageCall(form)
            with call:
                inputs.save_assessment_input(request.user, enterprise, year, version=version,
                                             **data)  # fmt: skip
            if call.ok:
                messages.success(request, _("已保存高企自评填报"))
                return redirect(reverse("innovation:assessment", args=[enterprise.pk])
                                + f"?year={year}")  # fmt: skip
            status = call.status
    back = reverse("innovation:assessment", args=[enterprise.pk]) + f"?year={year}"
    title = _("%(name)s %(year)s 年度高企自评填报") % {"name": enterprise.name, "year": year}
    return render(
        request, "innovation/assessment_form.html",
        {"form": form, "title": title, "back": back, "nav": "assessment", "year": year},
        status=status,
    )  # fmt: skip


urlpatterns = [
    path("assessment/<int:pk>/", assessment_page, name="assessment"),
    path("assessment/<int:pk>/edit/", assessment_edit, name="assessment_edit"),
]
