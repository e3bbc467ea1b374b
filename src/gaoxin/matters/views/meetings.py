"""Scheduling meeting pages (重大项目调度会): the zone's meetings, creating and editing one, its
page (the problems carried over first — 前次会议遗留问题 —, then the projects walked, then this
meeting's problems with the form to raise one) and its minutes as .docx.

Officers (admins, staff) write; leaders and the province read; enterprise users get 404. Every
read starts from `Meeting.objects.restrict()`; writes go through `meetings` services.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import audit, clock
from gaoxin.core.forms import DateInput, style_form
from gaoxin.core.models import AuditRecord, Department, User
from gaoxin.core.models.access import VIEW
from gaoxin.core.pages import zone_for
from gaoxin.core.paging import page_of
from gaoxin.enterprises.models import Enterprise
from gaoxin.investment.models import Project

from .. import catalogue, meetings, minutes, services
from ..models import ACTIVE, Category, Kind, Meeting, Priority
from .common import submit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PER_PAGE = 30


# --- forms ---------------------------------------------------------------------------------------


def _projects(user, zone):
    return Project.objects.restrict(user, VIEW).filter(zone=zone, is_deleted=False).order_by("name")


class MeetingForm(forms.Form):
    wide_fields = ("attendees", "projects", "summary")  # full width in `core/_form_fields.html`
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=gettext_lazy("会议名称"), max_length=100)
    held_on = forms.DateField(label=gettext_lazy("会议日期"), widget=DateInput)
    chair = forms.CharField(label=gettext_lazy("主持人"), max_length=50)
    place = forms.CharField(label=gettext_lazy("地点"), max_length=100, required=False)
    attendees = forms.CharField(
        label=gettext_lazy("参会人员"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    projects = forms.ModelMultipleChoiceField(
        label=gettext_lazy("调度项目"), queryset=Project.objects.none(), required=False
    )
    summary = forms.CharField(
        label=gettext_lazy("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, user, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = _projects(user, zone)
        self.fields["projects"].widget.attrs["data-picker"] = "1"
        style_form(self)


class ProblemForm(forms.Form):
    wide_fields = ("title", "description")
    title = forms.CharField(label=gettext_lazy("问题"), max_length=100)
    description = forms.CharField(
        label=gettext_lazy("详细情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    project = forms.ModelChoiceField(
        label=gettext_lazy("项目"), queryset=Project.objects.none(), required=False
    )
    enterprise = forms.ModelChoiceField(
        label=gettext_lazy("企业"), queryset=Enterprise.objects.none(), required=False
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("问题类别"), queryset=Category.objects.none(), required=False
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("责任部门"), queryset=Department.objects.none(), required=False
    )
    officer = forms.ModelChoiceField(
        label=gettext_lazy("责任人"), queryset=User.objects.none(), required=False
    )
    due_on = forms.DateField(label=gettext_lazy("办理期限"), required=False, widget=DateInput)
    priority = forms.ChoiceField(
        label=gettext_lazy("优先级"),
        choices=Priority.choices,
        initial=Priority.NORMAL,
        required=False,
    )

    def __init__(self, *args, user, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        zone = meeting.zone
        walked = list(meeting.projects.values_list("pk", flat=True))
        self.fields["project"].queryset = _projects(user, zone)
        self.fields["project"].initial = walked[0] if len(walked) == 1 else None
        self.fields["enterprise"].queryset = Enterprise.objects.filter(
            zone=zone, is_deleted=False
        ).order_by("name")
        self.fields["enterprise"].widget.attrs["data-picker"] = "1"
        self.fields["category"].queryset = catalogue.categories_for(zone, Kind.SCHEDULING)
        self.fields["department"].queryset = Department.objects.filter(zone=zone)
        self.fields["officer"].queryset = services.zone_people(zone)
        self.fields["officer"].label_from_instance = lambda u: u.display_name
        style_form(self)


# --- helpers -------------------------------------------------------------------------------------


def _get(request, pk) -> Meeting:
    meeting = (
        Meeting.objects.restrict(request.user, VIEW).filter(pk=pk).select_related("zone").first()
    )
    if meeting is None:
        raise Http404(_("未找到该调度会"))
    return meeting


# --- pages ---------------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    zone = zone_for(request, Meeting)
    rows = (
        Meeting.objects.restrict(request.user, VIEW)
        .filter(zone=zone)
        .annotate(
            problem_count=Count("problems", distinct=True),
            open_count=Count("problems", filter=Q(problems__status__in=ACTIVE), distinct=True),
            project_count=Count("projects", distinct=True),
        )
        .order_by("-held_on", "-id")
    )
    page = page_of(request, rows, PER_PAGE)
    return render(
        request,
        "matters/meeting_list.html",
        {"page": page, "can_add": meetings.may_add(request.user, zone)},
    )


def _form_page(request, form, meeting=None, status=200):
    return render(
        request, "matters/meeting_form.html", {"form": form, "meeting": meeting}, status=status
    )


def _fields(data) -> dict:
    return {k: data[k] for k in meetings.MEETING_FIELDS}


@login_required
def meeting_create(request):
    zone = zone_for(request, Meeting)
    if not meetings.may_add(request.user, zone):
        raise Http404(_("未找到该页面"))
    form = MeetingForm(request.POST or None, user=request.user, zone=zone)
    if request.method != "POST":
        return _form_page(request, form)
    meeting, status = submit(
        form, lambda data: meetings.create_meeting(request.user, zone, **_fields(data))
    )
    if status is None:
        messages.success(request, _("已登记调度会"))
        return redirect("matters:meeting_detail", pk=meeting.pk)
    return _form_page(request, form, status=status)


@login_required
def meeting_edit(request, pk):
    meeting = _get(request, pk)
    if not meetings.may_change(request.user, meeting):
        raise Http404(_("未找到该页面"))
    initial = {**meetings.values(meeting), "version": meeting.version}
    form = MeetingForm(request.POST or None, initial=initial, user=request.user, zone=meeting.zone)
    if request.method != "POST":
        return _form_page(request, form, meeting)

    def save(data):
        meetings.update_meeting(request.user, meeting, version=data["version"], **_fields(data))

    _done, status = submit(form, save)
    if status is None:
        messages.success(request, _("已保存"))
        return redirect("matters:meeting_detail", pk=meeting.pk)
    return _form_page(request, form, meeting, status=status)


def _detail(request, meeting, problem_form=None, status=200):
    today = clock.today()
    prev = meetings.previous(meeting)
    own = meetings.problems(meeting)
    for matter in own:
        matter.light_now = matter.light(today)
    may_raise = meetings.may_raise(request.user, meeting)
    can_change = may_raise or meetings.may_change(request.user, meeting)
    if may_raise and problem_form is None:
        problem_form = ProblemForm(user=request.user, meeting=meeting)
    return render(
        request,
        "matters/meeting_detail.html",
        {
            "meeting": meeting,
            "previous": prev,
            "agenda": meetings.agenda(meeting, today, prev=prev),
            "projects": list(meeting.projects.order_by("name")),
            "problems": own,
            "can_change": can_change,
            "problem_form": problem_form if may_raise else None,
            "today": today,
        },
        status=status,
    )


@login_required
def meeting_detail(request, pk):
    return _detail(request, _get(request, pk))


@login_required
def meeting_problem(request, pk):
    meeting = _get(request, pk)
    if request.method != "POST":
        return redirect("matters:meeting_detail", pk=pk)
    if not meetings.may_raise(request.user, meeting):
        raise Http404(_("未找到该页面"))
    form = ProblemForm(request.POST, user=request.user, meeting=meeting)
    matter, status = submit(form, lambda data: meetings.add_problem(request.user, meeting, **data))
    if status is None:
        messages.success(request, _("已登记调度问题 %(n)s") % {"n": matter.number})
        return redirect(f"{reverse('matters:meeting_detail', args=[pk])}#problems")
    return _detail(request, meeting, form, status=status)


@login_required
def meeting_minutes(request, pk):
    meeting = _get(request, pk)
    data = minutes.build(meeting)
    response = HttpResponse(data, content_type=DOCX)
    # RFC 5987 (filename*=UTF-8''...) for the Chinese name, an ASCII fallback for old clients
    response["Content-Disposition"] = content_disposition_header(True, minutes.filename(meeting))
    audit.record(
        request.user,
        AuditRecord.Action.EXPORT,
        meeting,
        message=_("导出会议纪要 %(t)s") % {"t": meeting},
    )
    return response


urlpatterns = [
    path("meetings/", meeting_list, name="meeting_list"),
    path("meetings/new/", meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/problems/", meeting_problem, name="meeting_problem"),
    path("meetings/<int:pk>/minutes.docx", meeting_minutes, name="meeting_minutes"),
]
