"""Pages of the registry: list (filter, sort, page, export), detail with timeline, create, edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core import audit_display, clock, modules
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import ADD, can_add
from gaoxin.core.pages import ServiceCall, zone_for
from gaoxin.core.spreadsheets import XLSX
from gaoxin.core.tables import paginate_table

from .. import services
from ..filters import EnterpriseFilter
from ..forms import ContactFormSet, DeleteForm, EnterpriseForm, StatusForm
from ..importers import export_audited
from ..models import Enterprise
from ..tables import EnterpriseTable


def visible_enterprises(request):
    """What the list shows: the user's enterprises in the zone they are working in."""
    return Enterprise.objects.restrict(request.user, "view").active().filter(zone=request.zone)


def _get(request, pk, action="view") -> Enterprise:
    try:
        return services.get_for(request.user, pk, action)
    except Enterprise.DoesNotExist:
        raise Http404(_("未找到该企业")) from None


@login_required
def enterprise_list(request):
    queryset = (
        visible_enterprises(request).select_related("industry", "zone").prefetch_related("tags")
    )
    flt = EnterpriseFilter(request.GET or None, queryset=queryset, zone=request.zone)
    rows = flt.qs if flt.is_bound else queryset
    if request.GET.get("export") == "xlsx":
        return _export(request, rows)
    table = EnterpriseTable(rows)
    paginate_table(request, table, rows=queryset)  # the page's rows by id, not searched again
    return render(
        request,
        "enterprises/list.html",
        {
            "filter": flt,
            "table": table,
            "can_add": can_add(request.user, Enterprise, request.zone),
            "export_query": _query_with(request, export="xlsx"),
        },
    )


def _query_with(request, **params) -> str:
    query = request.GET.copy()
    for key, value in params.items():
        query[key] = value
    return query.urlencode()


def _export(request, rows):
    response = HttpResponse(content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"enterprises-{stamp}.xlsx"
    response["Content-Disposition"] = f"attachment; filename={filename}"
    query = request.GET.urlencode()
    export_audited(
        request.user,
        request.zone,
        rows,
        response,
        describe=lambda n: _("导出 %(n)s 家企业;条件:%(q)s") % {"n": n, "q": query},
    )
    return response


@login_required
def enterprise_detail(request, pk):
    enterprise = _get(request, pk)
    user = request.user
    can_change = Enterprise.objects.restrict(user, "change").filter(pk=pk).exists()
    can_delete = Enterprise.objects.restrict(user, "delete").filter(pk=pk).exists()
    timeline = AuditRecord.objects.for_object(enterprise).order_by("-time", "-id")[:100]
    status_changes = list(enterprise.status_changes.all())
    names = audit_display.full_names(s.actor_name for s in status_changes)
    for s in status_changes:  # who registered it, by full name
        s.actor_display = names.get(s.actor_name, s.actor_name)
    return render(
        request,
        "enterprises/detail.html",
        {
            "e": enterprise,
            "contacts": enterprise.contacts.all(),
            "status_changes": status_changes,
            "timeline": timeline,
            "panels": modules.shown("enterprise_panels", request, enterprise),
            "can_change": can_change,
            "can_change_status": can_change and not user.is_enterprise_only(),
            "can_delete": can_delete,
            "status_form": StatusForm(initial={"on": clock.today(), "version": enterprise.version}),
            "delete_form": DeleteForm(initial={"version": enterprise.version}),
        },
    )


def _add_rule_errors(form, user, zone, pk=None) -> None:
    """On an invalid form, also show what the registry's rules say of the fields that parsed."""
    data = {k: v for k, v in form.cleaned_data.items() if k in services.EDITABLE_FIELDS}
    for field, msgs in services.check(user, zone, data, pk=pk).items():
        if field in form.fields and field not in form.errors:
            form.add_error(field, msgs)


def _contacts(formset) -> list[dict]:
    return [
        {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
        for f in formset.forms
        if f.cleaned_data.get("name") and not f.cleaned_data.get("DELETE")
    ]


@login_required
def enterprise_create(request):
    zone = zone_for(request, Enterprise, ADD)
    admin = services.is_admin(request.user)
    form = EnterpriseForm(request.POST or None, zone=zone, admin=admin)
    contacts = ContactFormSet(request.POST or None, prefix="contacts")
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid() and contacts.is_valid():
            call = ServiceCall(form)
            with call:
                enterprise = services.create_enterprise(
                    request.user, zone, contacts=_contacts(contacts), **form.changes()
                )
            if call.ok:
                messages.success(request, _("已登记企业「%(n)s」") % {"n": enterprise.name})
                return redirect("enterprises:detail", pk=enterprise.pk)
            if call.status == 403:  # refused: 404, as for those the page is not open to
                raise Http404
            status = call.status
        else:  # the registry's rules too, so that every error shows at once
            _add_rule_errors(form, request.user, zone)
    return render(
        request,
        "enterprises/form.html",
        {"form": form, "contacts": contacts, "creating": True},
        status=status,
    )


@login_required
def enterprise_edit(request, pk):
    enterprise = _get(request, pk, "change")
    user = request.user
    fields = sorted(Enterprise.enterprise_editable) if user.is_enterprise_only() else None
    initial = {f: getattr(enterprise, f) for f in (fields or services.EDITABLE_FIELDS)}
    if initial.get("registered_capital") is not None:  # 10000.0000 → 10000
        initial["registered_capital"] = format(initial["registered_capital"].normalize(), "f")
    initial["tags"] = list(enterprise.tags.all()) if not fields else None
    initial["version"] = enterprise.version
    form = EnterpriseForm(
        request.POST or None,
        initial=initial,
        zone=enterprise.zone,
        fields=fields,
        admin=services.is_admin(user),
    )
    contact_initial = list(
        enterprise.contacts.values("name", "title", "phone", "email", "is_primary")
    )
    contacts = ContactFormSet(request.POST or None, initial=contact_initial, prefix="contacts")
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid() and contacts.is_valid():
            call = ServiceCall(form)
            with call:
                services.update_enterprise(
                    user,
                    enterprise,
                    form.changes(),
                    version=form.cleaned_data.get("version"),
                    contacts=_contacts(contacts),
                )
            if call.ok:
                messages.success(request, _("已保存"))
                return redirect("enterprises:detail", pk=enterprise.pk)
            status = call.status  # 422 by field, 409 with the input kept, 403 with the reason
        else:  # the registry's rules too, so that every error shows at once
            _add_rule_errors(form, user, enterprise.zone, pk=enterprise.pk)
    return render(
        request,
        "enterprises/form.html",
        {"form": form, "contacts": contacts, "e": enterprise, "creating": False},
        status=status,
    )


@login_required
@require_POST
def enterprise_validate(request):
    """HTMX inline validation: the error of one field, as the person leaves it."""
    field = request.POST.get("field", "")
    pk = request.POST.get("pk") or None
    zone = request.zone
    form = EnterpriseForm(request.POST, zone=zone, admin=services.is_admin(request.user))
    if field not in form.fields:
        return HttpResponse("")
    form.is_valid()
    errors = {k: list(v) for k, v in form.errors.items()}
    if field not in errors:
        data = {k: v for k, v in form.cleaned_data.items() if k in form.fields and k != "version"}
        if pk is None and not can_add(request.user, Enterprise, zone):
            raise Http404
        try:
            errors = services.check(request.user, zone, data, pk=pk)
        except Enterprise.DoesNotExist:
            raise Http404 from None
    return HttpResponse(" ".join(str(m) for m in errors.get(field, [])))


@login_required
@require_POST
def enterprise_status(request, pk):
    enterprise = _get(request, pk, "change")
    form = StatusForm(request.POST)
    if form.is_valid():
        call = ServiceCall()
        with call:
            services.change_status(
                request.user,
                enterprise,
                form.cleaned_data["status"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        if call.ok:
            messages.success(request, _("经营状态已变更"))
        else:
            messages.error(request, _("状态未变更:") + call.message())
    else:
        messages.error(request, _("状态未变更:请填写新状态和日期"))
    return redirect("enterprises:detail", pk=pk)


@login_required
@require_POST
def enterprise_delete(request, pk):
    enterprise = _get(request, pk, "delete")
    form = DeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未删除:请填写删除理由"))
        return redirect("enterprises:detail", pk=pk)
    call = ServiceCall()
    with call:
        services.delete_enterprise(
            request.user,
            enterprise,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"],
        )
    if not call.ok:
        messages.error(request, _("未删除:") + call.message())
        return redirect("enterprises:detail", pk=pk)
    messages.success(request, _("已删除企业「%(n)s」") % {"n": enterprise.name})
    return redirect(reverse("enterprises:list"))
