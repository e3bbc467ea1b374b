"""The matter pages: the list (filter, sort, page, export), raising a matter (officers: any kind;
enterprise users: a help request under one of the six measures), the detail page with its
timeline and the actions the actor may take, editing, and the timeline's attachments.

Every read starts from `Matter.objects.restrict()`; a matter outside it answers 404, as does an
action the service refuses (`Forbidden`). A stale version shows the 409 message on the page with
what was typed kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core import clock
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import CHANGE, VIEW, can_in_zone
from gaoxin.core.pages import zone_for
from gaoxin.core.tables import paginate_table
from gaoxin.core.uploads import CONTENT_TYPES

from .. import services
from ..filters import MatterFilter
from ..forms import (
    STATUS_ACTIONS,
    AssignForm,
    CommentForm,
    DueForm,
    MatterForm,
    RateForm,
    ReasonForm,
    RequestForm,
    StatusForm,
)
from ..models import ACTIVE, Kind, Matter, MatterEvent, Status
from ..tables import MatterTable, export_columns, export_rows, light_rank
from .assistance_common import _export
from .common import submit

DETAIL = "matters/matter_detail.html"
RELATED = ("zone", "category", "enterprise", "project", "department", "officer", "meeting",
           "working_group", "finding", "raised_by")  # fmt: skip


def _get(request, pk, action=VIEW) -> Matter:
    try:
        return services.get_for(request.user, pk, action, related=RELATED)
    except Matter.DoesNotExist:
        raise Http404(_("未找到该事项")) from None


# --- the list ------------------------------------------------------------------------------------


def visible_matters(user, zone, today):
    """The zone's matters `user` may see, with their light today and what a list row shows."""
    return (
        Matter.objects.restrict(user, VIEW)
        .filter(zone=zone)
        .with_light(today)
        .annotate(light_rank=light_rank())
        .select_related("category", "enterprise", "project", "department", "officer")
    )


def _filtered(request):
    zone = zone_for(request)
    user = request.user
    if not can_in_zone(user, Matter, zone, VIEW) and services.enterprise_of(user) is None:
        raise Http404(_("未找到该页面"))
    today = clock.today()
    queryset = visible_matters(user, zone, today)
    officer_view = not user.is_enterprise_only()
    flt = MatterFilter(
        request.GET or None, queryset=queryset, zone=zone, officer=officer_view, today=today
    )
    return zone, flt, officer_view


@login_required
def matter_list(request):
    zone, flt, officer_view = _filtered(request)
    table = MatterTable(flt.qs)
    paginate_table(request, table)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("sort", None)
    return render(
        request,
        "matters/matter_list.html",
        {
            "filter": flt,
            "filter_fields": flt.shown_fields(),
            "table": table,
            "officer_view": officer_view,
            "can_create": not officer_view or services.is_officer(request.user, zone),
            "export_query": query.urlencode(),
            "zone": zone,
        },
    )


@login_required
def matter_export(request):
    zone, flt, _officer = _filtered(request)
    return _export(request, zone, export_columns(), export_rows(flt.qs), _("事项清单"), "matters")


# --- raising and editing -----------------------------------------------------------------------


@login_required
def matter_create(request):
    zone = zone_for(request)
    user = request.user
    own = services.enterprise_of(user) if user.is_enterprise_only() else None
    if own is None and not services.is_officer(user, zone):
        raise Http404(_("未找到该页面"))
    if own is not None:
        zone, fixed = own.zone, {"kind": Kind.HELP}
        form = RequestForm(request.POST or None, zone=zone)
    else:
        fixed = {}
        initial = {k: request.GET[k] for k in ("kind", "enterprise", "project") if k in request.GET}
        form = MatterForm(request.POST or None, zone=zone, initial=initial)
    status = 200
    if request.method == "POST":
        matter, status = submit(
            form, lambda data: services.create_matter(user, zone, **fixed, **data)
        )
        if status is None:
            messages.success(
                request, _("已提交:%(n)s %(t)s") % {"n": matter.number, "t": matter.title}
            )
            return redirect("matters:detail", pk=matter.pk)
    return render(
        request,
        "matters/matter_form.html",
        {"form": form, "creating": True, "enterprise_form": own is not None, "own": own},
        status=status,
    )


@login_required
def matter_edit(request, pk):
    matter = _get(request, pk, CHANGE)
    user = request.user
    if not services.is_officer(user, matter.zone):
        raise Http404(_("未找到该事项"))
    form = MatterForm(
        request.POST or None,
        zone=matter.zone,
        editing=True,
        initial=MatterForm.initial_for(matter),
    )
    status = 200
    if request.method == "POST":
        _done, status = submit(form, lambda data: services.update_matter(user, matter, **data))
        if status is None:
            messages.success(request, _("已保存"))
            return redirect("matters:detail", pk=matter.pk)
    return render(
        request,
        "matters/matter_form.html",
        {"form": form, "creating": False, "matter": matter},
        status=status,
    )


# --- the detail page -------------------------------------------------------------------------


def status_targets(user, matter, officer: bool) -> list[tuple[str, str]]:
    """The status changes `user` may make to `matter` now, with the button's label."""
    allowed = services.TRANSITIONS[Status(matter.status)]
    if user.is_enterprise_only():
        allowed = allowed & services.ENTERPRISE_TRANSITIONS
    elif not officer:
        return []
    return [(to.value, label) for to, label in STATUS_ACTIONS.items() if to in allowed]


def _detail_context(request, matter, **forms):
    user = request.user
    today = clock.today()
    can_change = Matter.objects.restrict(user, CHANGE).filter(pk=matter.pk).exists()
    is_enterprise = user.is_enterprise_only()
    officer = can_change and not is_enterprise and services.is_officer(user, matter.zone)
    active = matter.status in ACTIVE
    version = {"version": matter.version}
    helpers = list(matter.helpers.all())
    targets = status_targets(user, matter, officer) if can_change else []
    failed_to = forms.pop("status_to", None)
    status_forms = [
        (
            to,
            label,
            forms["status_form"]
            if to == failed_to and "status_form" in forms
            else StatusForm(initial={**version, "to": to}),
        )
        for to, label in targets
    ]
    can_rate = (
        can_change
        and is_enterprise
        and matter.status in (Status.RESOLVED, Status.CLOSED)
        and matter.rating is None
    )
    context = {
        "matter": matter,
        "light": matter.light(today),
        "today": today,
        "events": services.events_for(user, matter),
        "helpers": helpers,
        "can_change": can_change,
        "officer": officer,
        "is_enterprise": is_enterprise,
        "status_forms": status_forms,
        "can_comment": can_change and matter.status != Status.WITHDRAWN,
        "can_rate": can_rate,
        "can_assign": officer and active,
        "can_escalate": officer and active and matter.escalated_at is None,
        "can_due": officer and active,
        "assign_form": forms.get("assign_form")
        or AssignForm(
            zone=matter.zone,
            initial={
                **version,
                "department": matter.department_id,
                "officer": matter.officer_id,
                "helpers": [h.pk for h in helpers],
            },
        ),
        "due_form": forms.get("due_form") or DueForm(initial={**version, "due_on": matter.due_on}),
        "comment_form": forms.get("comment_form") or CommentForm(officer=not is_enterprise),
        "rate_form": forms.get("rate_form") or RateForm(),
        "escalate_form": forms.get("escalate_form") or ReasonForm(),
        "failed": next(iter(forms), None),
        "failed_to": failed_to,
        # A refused status change the page offers no form for (the matter moved meanwhile).
        "status_errors": (
            forms["status_form"].non_field_errors()
            if "status_form" in forms and failed_to not in {t for t, _label in targets}
            else []
        ),
        "is_agency": matter.kind == Kind.AGENCY,
        # The change records, for officers only: they carry internal notes' text.
        "timeline": None
        if is_enterprise
        else AuditRecord.objects.for_object(matter).order_by("-time", "-id")[:100],
    }
    return context


@login_required
def matter_detail(request, pk):
    matter = _get(request, pk)
    return render(request, DETAIL, _detail_context(request, matter))


def _act(request, pk, make_form, key, service, done, renames=None, **extra):
    """Run one action of the detail page: `service(actor, matter, **the form's data)`. On bad
    input the page comes back with the form's errors (422), on a stale version with the 409
    message and the matter as it is now, nothing written."""
    matter = _get(request, pk)
    form = make_form(matter)
    _done, status = submit(
        form, lambda data: service(request.user, matter, **data), renames=renames
    )
    if status is None:
        messages.success(request, done)
        return redirect("matters:detail", pk=pk)
    if status == 409:
        matter = _get(request, pk)
    context = _detail_context(request, matter, **{key: form}, **extra)
    return render(request, DETAIL, context, status=status)


@login_required
@require_POST
def matter_assign(request, pk):
    def form(matter):
        return AssignForm(request.POST, zone=matter.zone)

    return _act(request, pk, form, "assign_form", services.assign, _("已分派"))


@login_required
@require_POST
def matter_due(request, pk):
    def form(_matter):
        return DueForm(request.POST)

    return _act(request, pk, form, "due_form", services.change_due, _("已调整办理期限"))


@login_required
@require_POST
def matter_status(request, pk):
    to = request.POST.get("to", "")

    def form(_matter):
        return StatusForm(request.POST)

    done = _("已%(a)s") % {"a": STATUS_ACTIONS.get(to, _("变更状态"))}
    renames = {"resolution": "text", "reason": "text"}
    return _act(request, pk, form, "status_form", services.transition, done, renames, status_to=to)


@login_required
@require_POST
def matter_comment(request, pk):
    def form(_matter):
        officer = not request.user.is_enterprise_only()
        return CommentForm(request.POST, request.FILES, officer=officer)

    renames = {"file": "attachment"}
    return _act(request, pk, form, "comment_form", services.comment, _("已留言"), renames)


@login_required
@require_POST
def matter_rate(request, pk):
    def form(_matter):
        return RateForm(request.POST)

    return _act(request, pk, form, "rate_form", services.rate, _("感谢您的评价"))


@login_required
@require_POST
def matter_escalate(request, pk):
    def form(_matter):
        return ReasonForm(request.POST)

    done = _("已升级至园区领导督办")
    return _act(request, pk, form, "escalate_form", services.escalate, done)


@login_required
def event_attachment(request, pk):
    """A timeline attachment, through the access path (internal notes not for enterprises)."""
    events = MatterEvent.objects.filter(
        pk=pk, matter__in=Matter.objects.restrict(request.user, VIEW)
    ).exclude(attachment="")
    if request.user.is_enterprise_only():
        events = events.filter(internal=False)
    event = events.first()
    if event is None:
        raise Http404(_("未找到该附件"))
    try:
        handle = event.attachment.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise Http404(_("附件文件已不存在")) from None
    name = event.attachment_name or event.attachment.name.rsplit("/", 1)[-1]
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("list/", matter_list, name="list"),
    path("list/export/", matter_export, name="export"),
    path("new/", matter_create, name="create"),
    path("<int:pk>/", matter_detail, name="detail"),
    path("<int:pk>/edit/", matter_edit, name="edit"),
    path("<int:pk>/assign/", matter_assign, name="assign"),
    path("<int:pk>/due/", matter_due, name="due"),
    path("<int:pk>/status/", matter_status, name="status"),
    path("<int:pk>/comment/", matter_comment, name="comment"),
    path("<int:pk>/rate/", matter_rate, name="rate"),
    path("<int:pk>/escalate/", matter_escalate, name="escalate"),
    path("events/<int:pk>/attachment/", event_attachment, name="attachment"),
]
