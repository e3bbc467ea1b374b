"""The innovation records' pages: for each concept a list (filters, sorting, pages), its .xlsx
export of exactly what the list shows, and for officers the pages that record, edit (the
versioned ones with their stale-save check) and remove (with a reason) one; a certificate has its own page with its
annual reports and timeline.

URL names (namespace `innovation`), by concept: the list `<key>` (certifications, patents,
copyrights, platforms, talents, cooperations, cloud), `<key>_export`, `<one>_create`,
`<one>_edit`, `<one>_delete`, and `certification` (a
certificate's page) with `certification_report` (an annual report filed, POST). The lists read the cockpit's links: `?year=&level=&kind=&status=&field=`
(filters.py).

Every read starts from `restrict(user, VIEW)` in the zone the user works in: an enterprise user
sees its own records only, read-only; the rest is 404. Writes go through `services`; their
errors come back on the form (422), a stale version as 409 with what was typed kept.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import ADD, CHANGE, DELETE, VIEW, can_in_zone
from gaoxin.core.pages import ServiceCall, zone_for
from gaoxin.core.spreadsheets import Column
from gaoxin.core.spreadsheets.exports import list_export
from gaoxin.core.tables import order_table, paginate_table

from .. import filters, forms, tables
from ..models import (
    Certification,
    CloudAdoption,
    Cooperation,
    Patent,
    Platform,
    SoftwareCopyright,
    Talent,
)


@dataclass(frozen=True)
class Concept:
    """One kind of record and its pages. `add` / `update`: the names of its services (in
    `innovation.services`); no `update`, no edit page."""

    key: str
    one: str
    model: type
    filterset: type
    table: type
    form: type
    add: str
    title: str
    create_title: str
    update: str | None = None
    related: tuple[str, ...] = field(default=("enterprise",))
    imports: str = ""  # the key of its import pages (views/imports.py), if it has them

    def url(self, suffix: str, *args) -> str:
        return reverse(f"innovation:{self.one}_{suffix}", args=args)


CONCEPTS = {
    c.key: c
    for c in (
        Concept(
            "certifications",
            "certification",
            Certification,
            filters.CertificationFilter,
            tables.CertificationTable,
            forms.CertificationForm,
            "add_certification",
            gettext_lazy("资质认定"),
            gettext_lazy("登记资质认定"),
            update="update_certification",
            imports="hightech",
            related=("enterprise", "title"),
        ),
        Concept(
            "patents",
            "patent",
            Patent,
            filters.PatentFilter,
            tables.PatentTable,
            forms.PatentForm,
            "add_patent",
            gettext_lazy("专利"),
            gettext_lazy("登记专利"),
            update="update_patent",
            imports="patents",
        ),
        Concept(
            "copyrights",
            "copyright",
            SoftwareCopyright,
            filters.CopyrightFilter,
            tables.CopyrightTable,
            forms.CopyrightForm,
            "add_copyright",
            gettext_lazy("软件著作权"),
            gettext_lazy("登记软件著作权"),
            update="update_copyright",
        ),
        Concept(
            "platforms",
            "platform",
            Platform,
            filters.PlatformFilter,
            tables.PlatformTable,
            forms.PlatformForm,
            "add_platform",
            gettext_lazy("创新平台"),
            gettext_lazy("登记创新平台"),
            update="update_platform",
            imports="platforms",
        ),
        Concept(
            "talents",
            "talent",
            Talent,
            filters.TalentFilter,
            tables.TalentTable,
            forms.TalentForm,
            "add_talent",
            gettext_lazy("科技人才"),
            gettext_lazy("登记科技人才"),
            update="update_talent",
            imports="talents",
        ),
        Concept(
            "cooperations",
            "cooperation",
            Cooperation,
            filters.CooperationFilter,
            tables.CooperationTable,
            forms.CooperationForm,
            "add_cooperation",
            gettext_lazy("产学研合作"),
            gettext_lazy("登记产学研合作"),
            update="update_cooperation",
        ),
        Concept(
            "cloud",
            "cloud",
            CloudAdoption,
            filters.CloudFilter,
            tables.CloudTable,
            forms.CloudForm,
            "add_cloud",
            gettext_lazy("企业上云"),
            gettext_lazy("登记企业上云"),
            update="update_cloud",
        ),
    )  # fmt: skip
}


def _services():
    from .. import services  # helper module of the records' writes, read when a write runs

    return services


def _get(request, model, pk, action=VIEW):
    """The record `pk` in the zone the user works in, if `action` is allowed on it; else 404."""
    obj = model.objects.restrict(request.user, action).filter(pk=pk, zone=request.zone).first()
    if obj is None:
        raise Http404(_("未找到该记录"))
    return obj


def filtered(request, concept: Concept):
    """(zone, FilterSet) of the list and its export: the zone's records the user may see, with
    the filters of the query string."""
    zone = zone_for(request)  # an enterprise user reads its own: restrict() decides
    rows = (
        concept.model.objects.restrict(request.user, VIEW)
        .filter(zone=zone)
        .select_related(*concept.related)
    )
    flt = concept.filterset(request.GET or None, queryset=rows, zone=zone, user=request.user)
    return zone, flt


def _query(request, *drop) -> str:
    query = request.GET.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


def can_import(user, zone) -> bool:
    return can_in_zone(user, Certification, zone, ADD)


def list_page(request, concept: Concept):
    zone, flt = filtered(request, concept)
    user = request.user
    can_change = concept.update is not None and can_in_zone(user, concept.model, zone, CHANGE)
    can_delete = can_in_zone(user, concept.model, zone, DELETE)

    def links(obj):
        return (
            concept.url("edit", obj.pk) if can_change else None,
            concept.url("delete", obj.pk) if can_delete else None,
        )

    table = concept.table(
        flt.qs, links=links if (can_change or can_delete) else None, request=request
    )
    paginate_table(request, table)
    return render(
        request,
        "innovation/records/list.html",
        {
            "concept": concept,
            "nav": concept.key,
            "title": concept.title,
            "filter": flt,
            "table": table,
            "zone": zone,
            "create_url": concept.url("create") if can_in_zone(user, concept.model, zone, ADD)
            else None,
            "export_url": reverse(f"innovation:{concept.key}_export"),
            "export_query": _query(request, "page"),
            "can_import": can_import(user, zone),
            "import_url": reverse(f"innovation:{concept.imports}_import:import")
            if concept.imports and can_import(user, zone) else None,
        },
    )  # fmt: skip


def export(request, concept: Concept):
    """What the list shows, every page of it, in the list's order."""
    zone, flt = filtered(request, concept)
    table = concept.table(flt.qs)
    order_table(request, table)
    headers, values = tables.export_table(table)
    columns = [Column(f"c{i}", header, width=16) for i, header in enumerate(headers)]
    rows = ({f"c{i}": v for i, v in enumerate(row)} for row in values)
    return list_export(request, zone, columns, rows, title=str(concept.title))


def _form_page(request, concept, form, *, title, back, status=200, obj=None):
    return render(
        request,
        "innovation/records/form.html",
        {
            "concept": concept,
            "nav": concept.key,
            "form": form,
            "title": title,
            "back": back,
            "obj": obj,
            "can_import": can_import(request.user, form.zone),
        },
        status=status,
    )


def create(request, concept: Concept):
    zone = zone_for(request, concept.model, ADD)
    form = concept.form(request.POST or None, zone=zone)
    back = reverse(f"innovation:{concept.key}")
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            call = ServiceCall(form)
            with call:
                add = getattr(_services(), concept.add)
                obj = add(request.user, zone, **form.service_fields())
            if call.ok:
                messages.success(request, _("已登记:%(o)s") % {"o": obj})
                if concept.key == "certifications":
                    return redirect("innovation:certification", pk=obj.pk)
                return redirect(back)
            status = call.status
    return _form_page(request, concept, form, title=concept.create_title, back=back, status=status)


def _initial(obj, form_class) -> dict:
    names = [n for n in form_class.base_fields if n not in ("enterprise", "version")]
    initial = {n: getattr(obj, obj._meta.get_field(n).attname) for n in names}
    initial["version"] = getattr(obj, "version", None)  # only the versioned records have one
    return initial


def edit(request, concept: Concept, pk):
    obj = _get(request, concept.model, pk, CHANGE)
    form = concept.form(
        request.POST or None, zone=obj.zone, editing=True, initial=_initial(obj, concept.form)
    )
    back = reverse(f"innovation:{concept.key}")
    if concept.key == "certifications":
        back = reverse("innovation:certification", args=[obj.pk])
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            call = ServiceCall(form)
            with call:
                update = getattr(_services(), concept.update)
                version = form.cleaned_data.get("version") or getattr(obj, "version", None)
                update(request.user, obj, version=version, **form.service_fields())
            if call.ok:
                messages.success(request, _("已保存"))
                return redirect(back)
            status = call.status
    title = f"{_('修改')} · {obj}"
    return _form_page(request, concept, form, title=title, back=back, status=status, obj=obj)


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def delete(request, concept: Concept, pk):
    """Remove a record with its reason (audited by the service); back to the page it was on."""
    obj = _get(request, concept.model, pk, DELETE)
    form = forms.ReasonForm(request.POST)
    form.is_valid()
    call = ServiceCall()
    with call:
        _services().remove_record(request.user, obj, reason=form.cleaned_data.get("reason", ""))
    for message in call.messages():
        messages.error(request, message)
    back = reverse(f"innovation:{concept.key}")
    if call.ok:
        messages.success(request, _("已删除:%(o)s") % {"o": obj})
        return redirect(back)  # the record's own page is gone
    return redirect(_back(request, back))


@login_required
def certification(request, pk):
    """A certificate: its facts, its annual reports and its timeline."""
    concept = CONCEPTS["certifications"]
    cert = _get(request, Certification, pk)
    zone, user = cert.zone, request.user
    can_change = can_in_zone(user, Certification, zone, CHANGE)
    return render(
        request,
        "innovation/records/certification.html",
        {
            "concept": concept,
            "nav": concept.key,
            "cert": cert,
            "reports": cert.reports.order_by("-year"),
            "timeline": AuditRecord.objects.for_object(cert).order_by("-time", "-id")[:100],
            "edit_url": concept.url("edit", cert.pk) if can_change else None,
            "delete_url": concept.url("delete", cert.pk)
            if can_in_zone(user, Certification, zone, DELETE)
            else None,
            "can_import": can_import(user, zone),
            "report_form": forms.AnnualReportForm(prefix="report") if can_change else None,
        },
    )


@login_required
@require_POST
def certification_report(request, pk):
    """Record a filed annual report of a certificate (officers); errors come back as messages."""
    cert = _get(request, Certification, pk, CHANGE)
    form = forms.AnnualReportForm(request.POST, prefix="report")
    if form.is_valid():
        call = ServiceCall(form)
        with call:
            _services().file_annual_report(request.user, cert, **form.cleaned_data)
        if call.ok:
            messages.success(request, _("已登记 %(y)s 年度年报") % {"y": form.cleaned_data["year"]})
            return redirect("innovation:certification", pk=cert.pk)
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}:{error}" if label else error)
    return redirect("innovation:certification", pk=cert.pk)


def _bind(view, concept, method_post=False):
    """`view` for one concept, behind the login (and POST only when `method_post`)."""

    def page(request, *args, **kwargs):
        return view(request, concept, *args, **kwargs)

    page.__name__ = f"{concept.one}_{view.__name__}"
    page.__module__ = __name__
    if method_post:
        page = require_POST(page)
    return login_required(page)


def _concept_urls(c: Concept) -> list:
    urls = [
        path(f"{c.key}/", _bind(list_page, c), name=c.key),
        path(f"{c.key}/export/", _bind(export, c), name=f"{c.key}_export"),
        path(f"{c.key}/new/", _bind(create, c), name=f"{c.one}_create"),
        path(f"{c.key}/<int:pk>/delete/", _bind(delete, c, True), name=f"{c.one}_delete"),
    ]
    if c.update:
        urls.append(path(f"{c.key}/<int:pk>/edit/", _bind(edit, c), name=f"{c.one}_edit"))
    return urls


urlpatterns = [
    path("certifications/<int:pk>/", certification, name="certification"),
    path("certifications/<int:pk>/reports/", certification_report, name="certification_report"),
    *(u for c in CONCEPTS.values() for u in _concept_urls(c)),
]
