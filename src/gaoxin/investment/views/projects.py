"""Pages of the project ledger (招商台账): the list (filter, sort, page, export), the project page
(stage history and moves, commitment and delivery, funds in place, documents, audit trail),
create and edit, and the detail page's POST actions.

Every object comes through `restrict()`; missing and forbidden answer 404 alike. Enterprise users
see only the public status of their own enterprise's projects.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core import audit, clock, modules
from gaoxin.core.forms import add_rule_errors
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import VIEW, can_add, can_in_zone
from gaoxin.core.pages import PageCall, zone_for
from gaoxin.core.spreadsheets import XLSX
from gaoxin.core.tables import paginate_table

from .. import delivery, services, stages
from ..filters import ProjectFilter, Size
from ..forms.projects import (
    CommitmentForm,
    DocumentForm,
    FundsForm,
    ProjectForm,
    ReasonForm,
    StageMoveForm,
)
from ..models import PIPELINE, Category, Commitment, Document, FundsEntry, Project, Stage
from ..tables.projects import (
    STAGE_COLOURS,
    ProjectTable,
    PublicProjectTable,
    export_projects,
    with_overdue_flag,
)

# The only list filters an enterprise user has: nothing that tells money or commitments.
PUBLIC_PARAMS = ("q", "stage", "category", "sort", "page", "export")
DETAIL = "investment/project_detail.html"


# --- access -----------------------------------------------------------------------------------


def sees_details(user, zone) -> bool:
    """Whether `user` reads a zone's projects as an officer (money, commitments, documents, audit)
    rather than as an enterprise user who sees only their own project's public status."""
    return can_in_zone(user, Project, zone, VIEW)


def _visible(request):
    """What the list shows: the projects the user may see in the zone they are working in."""
    return Project.objects.restrict(request.user, "view").active().filter(zone=zone_for(request))


def _get(request, pk, action="view") -> Project:
    try:
        return services.get_for(request.user, pk, action, related=services.SHOWN_WITH)
    except Project.DoesNotExist:
        raise Http404(_("未找到该项目")) from None


def _may(user, project, action) -> bool:
    return Project.objects.restrict(user, action).active().filter(pk=project.pk).exists()


def _valid(form) -> bool:
    """form.is_valid(), and a broken hidden field (the version) said above the form: the person
    cannot see or fix it, so it means the page is out of date."""
    if form.is_valid():
        return True
    for field in form.hidden_fields():
        if field.errors:
            form.add_error(None, _("页面数据已失效,请刷新页面后重试"))
            break
    return False


# --- list and export --------------------------------------------------------------------------


@login_required
def project_list(request):
    zone = zone_for(request)
    user = request.user
    details = sees_details(user, zone)
    data = request.GET.copy()
    if not details:
        for key in list(data):
            if key not in PUBLIC_PARAMS:
                del data[key]
    queryset = _visible(request)
    flt = ProjectFilter(
        data or None, queryset=queryset, zone=zone, thresholds=services.thresholds_for(zone)
    )
    rows = flt.qs if flt.is_bound else queryset
    if details:
        rows = with_overdue_flag(rows, clock.today()).select_related("department", "officer")
    if data.get("export") == "xlsx":
        return _export(request, rows, details)
    table = (ProjectTable if details else PublicProjectTable)(rows)
    paginate_table(request, table)
    return render(
        request,
        "investment/project_list.html",
        {
            "filter": flt,
            "filter_fields": [
                f for f in flt.form if f.name != "ordering" and (details or f.name in PUBLIC_PARAMS)
            ],
            "table": table,
            "details": details,
            "banner": _banner(flt) if details else None,
            "can_add": can_add(user, Project, zone),
            "export_query": _query_with(data, export="xlsx"),
        },
    )


def _query_with(data, **params) -> str:
    query = data.copy()
    for key, value in params.items():
        query[key] = value
    return query.urlencode()


def _banner(flt) -> dict | None:
    """What the active period filter (the cockpit's click-through) and its companions mean."""
    if not flt.is_bound:
        return None
    data = flt.form.cleaned_data
    reached, start, end = data.get("reached"), data.get("start"), data.get("end")
    if not (reached or start or end):
        return None
    parts = []
    for name, choices in (("category", Category), ("stage", Stage)):
        values = data.get(name) or []
        if values:
            labels = "、".join(str(choices(v).label) for v in values)
            parts.append(f"{flt.filters[name].label}:{labels}")
    if data.get("size"):
        parts.append(str(dict(Size.CHOICES)[data["size"]]))
    for name in ("department", "chain", "channel"):
        values = data.get(name) or []
        if values:
            parts.append(f"{flt.filters[name].label}:" + "、".join(str(v) for v in values))
    if data.get("overdue") is not None:
        parts.append(_("承诺逾期") if data["overdue"] else _("承诺未逾期"))
    if start and end:
        period = _("%(s)s 至 %(e)s") % {"s": start.isoformat(), "e": end.isoformat()}
    elif start:
        period = _("%(s)s 起") % {"s": start.isoformat()}
    elif end:
        period = _("截至 %(e)s") % {"e": end.isoformat()}
    else:
        period = _("不限期间")
    return {
        "period": period,
        "reached": stages.label(reached) if reached else "",
        "parts": parts,
        "ineffective": not reached,
    }


def _export(request, rows, details):
    response = HttpResponse(content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f"attachment; filename=projects-{stamp}.xlsx"
    count = export_projects(rows.order_by("-stage_on", "-id"), response, details=details)
    query = request.GET.urlencode()
    audit.record(
        request.user,
        AuditRecord.Action.EXPORT,
        zone=request.zone,
        repr_=_("招商项目台账导出"),
        message=_("导出 %(n)s 个招商项目;条件:%(q)s") % {"n": count, "q": query},
    )
    return response


# --- detail -----------------------------------------------------------------------------------


def _progress(project) -> list[dict]:
    """The main line as steps: reached, current or ahead (a project on hold keeps its place)."""
    line = project.line_stage if project.stage != Stage.DROPPED else project.halted_from
    reached = PIPELINE.index(line) if line in PIPELINE else -1
    return [
        {"stage": s, "label": s.label, "done": i <= reached, "current": i == reached}
        for i, s in enumerate(PIPELINE)
    ]


def _audit_trail(project, commitment):
    q = Q(pk__in=AuditRecord.objects.for_object(project).values("pk"))
    if commitment is not None:
        q |= Q(pk__in=AuditRecord.objects.for_object(commitment).values("pk"))
    return AuditRecord.objects.filter(q).order_by("-time", "-id")[:100]


def _detail_context(request, project, **forms) -> dict:
    user, today = request.user, clock.today()
    can_change = _may(user, project, "change")
    events = list(project.events.select_related("actor"))
    commitment = Commitment.objects.filter(project=project).first()
    funds = list(project.funds.all())
    items = delivery.delivery(project, commitment, funds, today) if commitment else []
    context = {
        "p": project,
        "stage_colour": STAGE_COLOURS.get(project.stage, "secondary"),
        "progress": _progress(project),
        "timeline_rows": stages.timeline(project, events, today),
        "commitment": commitment,
        "delivery_items": items,
        "overdue": delivery.is_overdue(items),
        "funds": funds,
        "funds_total": sum((f.amount for f in funds), 0),
        "documents": project.documents.filter(is_deleted=False),
        "timeline": _audit_trail(project, commitment),
        "panels": modules.shown("project_panels", request, project),
        "can_change": can_change,
        "can_delete": _may(user, project, "delete"),
        "today": today,
        "max_mb": settings.DOCUMENT_MAX_MB,
        "funds_delete_error": forms.pop("funds_delete_error", None),
    }
    if can_change:
        stage_form = forms.get("stage_form") or StageMoveForm(
            initial={"on": today, "version": project.version}, project=project, today=today
        )
        context.update(
            {
                "stage_form": stage_form,
                "funds_form": forms.get("funds_form") or FundsForm(today=today),
                "document_form": forms.get("document_form") or DocumentForm(),
                "delete_form": forms.get("delete_form")
                or ReasonForm(initial={"version": project.version}),
            }
        )
    return context


@login_required
def project_detail(request, pk):
    project = _get(request, pk)
    if not sees_details(request.user, project.zone):
        return render(
            request,
            "investment/project_public.html",
            {
                "p": project,
                "progress": _progress(project),
                "stage_colour": STAGE_COLOURS.get(project.stage, "secondary"),
            },
        )
    return render(request, DETAIL, _detail_context(request, project))


# --- create and edit --------------------------------------------------------------------------


@login_required
def project_create(request):
    zone = zone_for(request)
    user = request.user
    if not can_add(user, Project, zone) or not sees_details(user, zone):
        raise Http404
    today = clock.today()
    initial = {"on": today, "stage": Stage.LEAD}
    own = services.own_departments(user, zone) if services.is_staff_only(user) else set()
    if len(own) == 1:
        initial["department"] = next(iter(own))
    form = ProjectForm(
        request.POST or None, initial=initial, zone=zone, actor=user, creating=True, today=today
    )
    status = 200
    if request.method == "POST":
        status = 422
        if _valid(form):
            call = PageCall(form)
            with call:
                project = services.create_project(user, zone, **form.entry(), **form.changes())
            if call.ok:
                messages.success(request, _("已登记招商项目「%(n)s」") % {"n": project.name})
                return redirect("investment:project_detail", pk=project.pk)
            status = call.status
        else:  # the record's rules too, so that every error shows at once
            add_rule_errors(form, services.check_project(user, zone, form.cleaned_data))
    return render(
        request, "investment/project_form.html", {"form": form, "creating": True}, status=status
    )


@login_required
def project_edit(request, pk):
    project = _get(request, pk, "change")
    user = request.user
    form = ProjectForm(
        request.POST or None,
        initial=ProjectForm.initial_for(project),
        zone=project.zone,
        actor=user,
        current_officer=project.officer_id,
    )
    status = 200
    if request.method == "POST":
        status = 422
        if _valid(form):
            call = PageCall(form)
            with call:
                services.update_project(
                    user, project.pk, form.changes(), version=form.cleaned_data.get("version")
                )
            if call.ok:
                messages.success(request, _("已保存"))
                return redirect("investment:project_detail", pk=project.pk)
            status = call.status
        else:  # the record's rules too, so that every error shows at once
            checked = services.check_project(user, project.zone, form.cleaned_data, project=project)
            add_rule_errors(form, checked)
    return render(
        request,
        "investment/project_form.html",
        {"form": form, "p": project, "creating": False},
        status=status,
    )


# --- the detail page's actions ----------------------------------------------------------------


def _back(request, project, message):
    messages.success(request, message)
    return redirect("investment:project_detail", pk=project.pk)


@login_required
@require_POST
def project_stage(request, pk):
    project = _get(request, pk, "change")
    today = clock.today()
    form = StageMoveForm(request.POST, project=project, today=today)
    status = 422
    if _valid(form):
        data = form.cleaned_data
        call = PageCall(form)
        with call:
            moved = services.move_stage(
                request.user,
                project.pk,
                data["stage"],
                on=data["on"],
                note=data["note"],
                version=data["version"],
            )
        if call.ok:
            return _back(
                request,
                moved,
                _("已变更阶段:%(s)s(%(d)s)") % {"s": stages.label(moved.stage), "d": data["on"]},
            )
        status = call.status
    context = _detail_context(request, project, stage_form=form)
    return render(request, DETAIL, context, status=status)


@login_required
def project_commitment(request, pk):
    project = _get(request, pk, "change")
    if not sees_details(request.user, project.zone):
        raise Http404
    commitment = Commitment.objects.filter(project=project).first()
    initial = {"version": commitment.version} if commitment else {}
    form = CommitmentForm(request.POST or None, instance=commitment, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if _valid(form):
            call = PageCall(form)
            with call:
                services.save_commitment(
                    request.user,
                    project.pk,
                    form.changes(),
                    version=form.cleaned_data.get("version"),
                )
            if call.ok:
                return _back(request, project, _("已保存投资承诺"))
            status = call.status
        elif project.signed_on:  # the commitment rules too, so that every error shows at once
            add_rule_errors(form, services.check_commitment(project, form.cleaned_data))
    return render(
        request,
        "investment/project_commitment.html",
        {"p": project, "form": form, "commitment": commitment},
        status=status,
    )


@login_required
@require_POST
def project_funds(request, pk):
    project = _get(request, pk, "change")
    today = clock.today()
    form = FundsForm(request.POST, today=today)
    if _valid(form):
        data = form.cleaned_data
        call = PageCall(form)
        with call:
            entry = services.add_funds(
                request.user,
                project.pk,
                on=data["on"],
                amount=data["amount"],
                source=data["source"],
                note=data["note"],
            )
        if call.ok:
            return _back(
                request,
                project,
                _("已登记到位资金 %(a)s 万元") % {"a": format(entry.amount.normalize(), "f")},
            )
    context = _detail_context(request, project, funds_form=form)
    return render(request, DETAIL, context, status=422)


@login_required
@require_POST
def funds_delete(request, pk):
    entry = (
        FundsEntry.objects.restrict(request.user, "change")
        .filter(pk=pk, project__is_deleted=False)
        .select_related("project")
        .first()
    )
    if entry is None:
        raise Http404(_("未找到该到位资金记录"))
    project = entry.project
    form = ReasonForm(request.POST)
    if _valid(form):
        call = PageCall(form)
        with call:
            services.delete_funds(request.user, entry.pk, reason=form.cleaned_data["reason"])
        if call.ok:
            return _back(request, project, _("已删除到位资金记录"))
    error = (entry.pk, "".join(str(m) for m in form.errors.get("reason", form.non_field_errors())))
    context = _detail_context(request, project, funds_delete_error=error)
    return render(request, DETAIL, context, status=422)


@login_required
@require_POST
def project_delete(request, pk):
    project = _get(request, pk, "delete")
    form = ReasonForm(request.POST)
    status = 422
    if _valid(form):
        call = PageCall(form)
        with call:
            services.delete_project(
                request.user,
                project.pk,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data.get("version"),
            )
        if call.ok:
            messages.success(request, _("已删除招商项目「%(n)s」") % {"n": project.name})
            return redirect("investment:projects")
        status = call.status
    context = _detail_context(request, project, delete_form=form)
    return render(request, DETAIL, context, status=status)


@login_required
@require_POST
def document_upload(request, pk):
    project = _get(request, pk, "change")
    form = DocumentForm(request.POST, request.FILES)
    if _valid(form):
        call = PageCall(form)
        with call:
            document = services.add_document(
                request.user,
                project.pk,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        if call.ok:
            return _back(request, project, _("已上传材料「%(n)s」") % {"n": document.name})
    context = _detail_context(request, project, document_form=form)
    return render(request, DETAIL, context, status=422)


def _document(request, pk, action) -> Document:
    document = (
        Document.objects.restrict(request.user, action)
        .filter(pk=pk, is_deleted=False, project__is_deleted=False)
        .select_related("project")
        .first()
    )
    if document is None or not _may(request.user, document.project, action):
        raise Http404(_("未找到该材料"))
    return document


@login_required
def document_download(request, pk):
    """The file through the access path, as an attachment under its original name; the stored
    name is random and never served from a public URL."""
    document = _document(request, pk, "view")
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404(_("材料文件已不存在")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.name, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def document_delete(request, pk):
    document = _document(request, pk, "change")
    call = PageCall()
    with call:
        services.delete_document(request.user, document.pk, reason=request.POST.get("reason"))
    if not call.ok:
        messages.error(request, "".join(call.messages()))
        context = _detail_context(request, document.project)
        return render(request, DETAIL, context, status=call.status)
    return _back(request, document.project, _("已删除材料「%(n)s」") % {"n": document.name})


urlpatterns = [
    path("projects/", project_list, name="projects"),
    path("projects/new/", project_create, name="project_create"),
    path("projects/<int:pk>/", project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", project_edit, name="project_edit"),
    path("projects/<int:pk>/delete/", project_delete, name="project_delete"),
    path("projects/<int:pk>/stage/", project_stage, name="project_stage"),
    path("projects/<int:pk>/commitment/", project_commitment, name="project_commitment"),
    path("projects/<int:pk>/funds/", project_funds, name="project_funds"),
    path("funds/<int:pk>/delete/", funds_delete, name="funds_delete"),
    path("projects/<int:pk>/documents/", document_upload, name="document_upload"),
    path("documents/<int:pk>/", document_download, name="document_download"),
    path("documents/<int:pk>/delete/", document_delete, name="document_delete"),
]
