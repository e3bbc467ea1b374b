"""Agency service pages (项目代办): the list of agency cases (project, 1+1+N team, progress,
elapsed working days, light) and the actions of the panel on a case's detail page (set the
checklist, update one approval item, add and cancel appointments).

The panel itself is rendered into the matter's detail page by `{% agency_panel matter %}`
(`templatetags/agency_tags.py`), with the forms below. Every read starts from `restrict()`; a
case outside it answers 404, as does a refused action. Bad input and a stale version come back to
the detail page as messages, nothing written.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gaoxin.core import clock
from gaoxin.core.forms import DateInput, style_form
from gaoxin.core.models.access import CHANGE, VIEW
from gaoxin.core.pages import zone_for
from gaoxin.core.paging import page_of

from .. import agency, services
from ..models import Appointment, ApprovalItem, Kind, Matter, ServiceMode
from .common import PageCall
from .exports import agency_filtered

PER_PAGE = 50


# --- forms ---------------------------------------------------------------------------------------


class ChecklistForm(forms.Form):
    categories = forms.TypedMultipleChoiceField(
        label=gettext_lazy("审批事项"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [
            (c.pk, f"{c.name}({c.service_days}{_('个工作日')})")
            for c in agency.approval_categories(zone)
        ]


class ItemForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    state = forms.ChoiceField(label=gettext_lazy("状态"), choices=ApprovalItem.State.choices)
    submitted_on = forms.DateField(label=gettext_lazy("受理日期"), required=False, widget=DateInput)
    approved_on = forms.DateField(label=gettext_lazy("办结日期"), required=False, widget=DateInput)
    returned_on = forms.DateField(
        label=gettext_lazy("退回日期"), required=False, widget=DateInput,
        help_text=gettext_lazy("改为退回补正时填写,默认今天;补正期间不计办理时限"),
    )  # fmt: skip
    resubmitted_on = forms.DateField(
        label=gettext_lazy("补正日期"), required=False, widget=DateInput,
        help_text=gettext_lazy("退回补正的事项恢复办理时填写,默认今天"),
    )  # fmt: skip
    approver = forms.CharField(
        label=gettext_lazy("审批部门/经办人"), max_length=100, required=False
    )
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class AppointmentForm(forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("服务方式"),
        choices=[(m, ServiceMode(m).label) for m in agency.APPOINTMENT_MODES],
    )
    starts_at = forms.DateTimeField(
        label=gettext_lazy("时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    place = forms.CharField(label=gettext_lazy("地点"), max_length=100)
    item = forms.TypedChoiceField(
        label=gettext_lazy("审批事项"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("(不指定)"))] + [
            (i.pk, str(i.category)) for i in items
        ]
        style_form(self)


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("取消原因"), max_length=150)


# --- helpers -------------------------------------------------------------------------------------


def _managed(request, matter_pk) -> Matter:
    """The case if the user may manage its checklist and appointments (officers who may change
    it); anyone else gets 404 before the input is looked at."""
    matter = (
        Matter.objects.restrict(request.user, CHANGE)
        .filter(pk=matter_pk, kind=Kind.AGENCY)
        .select_related("zone")
        .first()
    )
    if matter is None or not services.is_officer(request.user, matter.zone):
        raise Http404(_("未找到该代办事项"))
    return matter


def _managed_part(request, model, pk, missing):
    """An approval item or appointment the user may read, on a case they may manage; else 404."""
    part = model.objects.restrict(request.user, VIEW).filter(pk=pk).first()
    if part is None:
        raise Http404(missing)
    _managed(request, part.matter_id)
    return part


def _run(request, matter_pk, form, act, done):
    """Run one panel action; errors go back to the case's page as messages, nothing written.
    The form's own errors carry the field's label (受理日期:...); the service's name it."""
    if not form.is_valid():
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            for error in errors:
                messages.error(request, f"{field.label}:{error}" if field else error)
    else:
        call = PageCall()
        with call:
            act(form.cleaned_data)
        for error in call.messages():
            messages.error(request, error)
        if call.ok:
            messages.success(request, done)
    return redirect(f"{_detail_url(matter_pk)}#agency-panel")


def _detail_url(pk) -> str:
    return reverse("matters:detail", args=[pk])


# --- the list ------------------------------------------------------------------------------------


@login_required
def agency_list(request):
    """Every agency case of the zone the user may read: project, team, progress, elapsed working
    days and light; `q` (number, title, project, enterprise), `state` (active / done / all),
    `mine` (1: where the user is officer or helper)."""
    zone = zone_for(request)
    user = request.user
    today = clock.today()
    # The same query as the list's export (views.exports), open cases first.
    cases = agency_filtered(request, zone, today)
    q = (request.GET.get("q") or "").strip()
    state = request.GET.get("state") or "active"
    state = state if state in ("active", "done") else "all"
    mine = request.GET.get("mine") == "1"
    page = page_of(request, cases, PER_PAGE)
    rows = [
        {
            "matter": matter,
            "light": matter.light_db,
            "progress": agency.progress(matter, on=today),
            "helpers": list(matter.helpers.all()),
        }
        for matter in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "matters/agency_list.html",
        {
            "rows": rows,
            "page": page,
            "q": q,
            "state": state,
            "mine": mine,
            "today": today,
            "officer": services.is_officer(user, zone),
            "query": query.urlencode(),
        },
    )


# --- the panel's actions -------------------------------------------------------------------------


@login_required
@require_POST
def agency_items(request, pk):
    matter = _managed(request, pk)
    form = ChecklistForm(request.POST, zone=matter.zone)

    def act(data):
        agency.set_checklist(request.user, matter, data["categories"])

    return _run(request, pk, form, act, _("已更新审批清单"))


@login_required
@require_POST
def agency_item(request, pk):
    item = _managed_part(request, ApprovalItem, pk, _("未找到该审批事项"))
    form = ItemForm(request.POST)

    def act(data):
        agency.update_item(request.user, item, **data)

    return _run(request, item.matter_id, form, act, _("已更新审批事项"))


@login_required
@require_POST
def appointment_add(request, pk):
    matter = _managed(request, pk)
    form = AppointmentForm(request.POST, items=agency.items_of(matter))

    def act(data):
        agency.add_appointment(request.user, matter, **data)

    return _run(request, pk, form, act, _("已添加预约"))


@login_required
@require_POST
def appointment_cancel(request, pk):
    appointment = _managed_part(request, Appointment, pk, _("未找到该预约"))
    form = CancelForm(request.POST)

    def act(data):
        agency.cancel_appointment(request.user, appointment, reason=data["reason"])

    return _run(request, appointment.matter_id, form, act, _("已取消预约"))


urlpatterns = [
    path("agency/", agency_list, name="agency_list"),
    path("<int:pk>/items/", agency_items, name="agency_items"),
    path("items/<int:pk>/", agency_item, name="agency_item"),
    path("<int:pk>/appointments/", appointment_add, name="appointment_add"),
    path("appointments/<int:pk>/cancel/", appointment_cancel, name="appointment_cancel"),
]
