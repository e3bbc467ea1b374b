"""Helpers shared by the help pages (帮扶): the working groups (`groups`) and the help ledgers
(`ledgers`, `fairs`) — the object lookup and the form pages (the service run by `common.submit`,
the zone from core's `zone_for`); and what every ledger's list page has: the period filter, the
tabs, the paged table with its totals, the export and the removal of a row with a reason.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gaoxin.core import audit
from gaoxin.core.forms import DateInput, style_form
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import ADD, VIEW, can_in_zone
from gaoxin.core.pages import zone_for
from gaoxin.core.paging import page_of
from gaoxin.core.spreadsheets import XLSX
from gaoxin.core.spreadsheets.writing import write_rows
from gaoxin.enterprises.models import Enterprise

from .. import assistance
from .common import PageCall, submit

PER_PAGE = 50


def _get(request, model, pk, action=VIEW):
    obj = model.objects.restrict(request.user, action).filter(pk=pk, zone=request.zone).first()
    if obj is None:
        raise Http404(_("未找到该记录"))
    return obj


class ZoneForm(forms.Form):
    """A form whose choices are the zone's: enterprises, departments, people, projects. Its
    fields are the service's arguments; a `version` field is only there when `editing`."""

    def __init__(self, *args, zone, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        if not editing:
            self.fields.pop("version", None)
        if "enterprise" in self.fields:
            self.fields["enterprise"].queryset = Enterprise.objects.filter(
                zone=zone, is_deleted=False
            ).order_by("name")
            self.fields["enterprise"].widget.attrs["data-picker"] = "1"
        style_form(self)


def _form_page(request, form, *, title, nav="ledgers", back, form_id, obj=None):
    return render(
        request,
        "matters/ledger_form.html",
        {"form": form, "title": title, "nav": nav, "back": back, "form_id": form_id, "obj": obj},
    )


def _form_view(request, form, save, *, done, then, **page):
    """One record's form page: a valid POST runs `save(cleaned_data)` (a service); its errors land
    on the form, else `done` is flashed and the user goes to `then` (a URL, or a function of what
    `save` returned)."""
    saved = {}

    def act(data):
        saved["obj"] = save(data)

    if request.method == "POST" and submit(form, act)[1] is None:
        messages.success(request, done)
        return redirect(then(saved["obj"]) if callable(then) else then)
    return _form_page(request, form, **page)


def _create_view(request, model, form_class, add, *, back, then=None, **page):
    """The page recording a new `model` in the zone with `add(actor, zone, **form fields)`; to
    `then` (by default `back`, the list) when done."""
    zone = zone_for(request, model, ADD)
    form = form_class(request.POST or None, zone=zone)
    return _form_view(
        request,
        form,
        lambda data: add(request.user, zone, **data),
        then=then or back,
        back=back,
        **page,
    )


def _versioned(data, obj) -> dict:
    """An edit form's fields for an update service: the version the edit started from (the
    record's own when the form did not carry it)."""
    return {**data, "version": data.get("version") or obj.version}


# --- what every ledger page shares ---------------------------------------------------------------


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


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=200, required=False)


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


def _tabs(active):
    return [
        ("awards", _("奖补兑现"), reverse("matters:awards"), active == "awards"),
        ("loans", _("融资对接"), reverse("matters:loans"), active == "loans"),
        ("fairs", _("网络招聘"), reverse("matters:fairs"), active == "fairs"),
        ("resumption", _("复工复产"), reverse("matters:resumption"), active == "resumption"),
    ]


def _ledger_page(request, zone, model, rows, *, tab, create, form, row, **ctx):
    """A ledger's list page: `rows` (a queryset, paged here), each shown as `row(r)` (its cells
    and actions), with the tabs, the period form, `ctx` (title, totals, heads) and the create
    and export links."""
    page = page_of(request, rows, PER_PAGE)
    return render(
        request,
        "matters/ledger_list.html",
        {
            "nav": "ledgers",
            "tabs": _tabs(tab),
            "form": form,
            "rows": [row(r) for r in page],
            "page": page,
            "create_url": reverse(create) if can_in_zone(request.user, model, zone, ADD) else None,
            "export_query": _query(request, export="xlsx"),
            "page_query": _query(request),
            "here": request.get_full_path(),
            **ctx,
        },
    )


def _back(request, default):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def _delete(request, model, pk, back):
    """Remove a ledger row with a reason (zone admins); errors come back as messages."""
    obj = _get(request, model, pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    call = PageCall()
    with call:
        assistance.remove_entry(request.user, obj, reason=form.cleaned_data.get("reason", ""))
    for message in call.messages():
        messages.error(request, message)
    if call.ok:
        messages.success(request, _("已删除该记录"))
    return redirect(back)


@login_required
@require_POST
def ledger_delete(request, pk, model, back):
    """Remove an award, a loan or a resumption row; back to the list the form was on."""
    return _delete(request, model, pk, _back(request, reverse(back)))
