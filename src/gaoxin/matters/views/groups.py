"""Help for enterprises (帮扶): the support working groups — their list, setting one up, its page
(members, enterprises, their help requests) and editing it.

Officers, leaders and the province read (ZONE_FIGURES_POLICY); admins and staff record. Enterprise
users and other zones get 404. Writes go through `assistance` services.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.models import Department
from gaoxin.core.models.access import ADD, CHANGE, VIEW, can_in_zone
from gaoxin.core.pages import zone_for
from gaoxin.enterprises.models import Enterprise

from .. import assistance
from ..models import ACTIVE, Kind, Matter, WorkingGroup
from ..services import zone_people
from .assistance_common import ZoneForm, _create_view, _form_view, _get, _versioned


class GroupForm(ZoneForm):
    wide_fields = ("members", "enterprises")  # full width in `core/_form_fields.html`
    name = forms.CharField(label=gettext_lazy("工作组名称"), max_length=50)
    leader_name = forms.CharField(label=gettext_lazy("组长"), max_length=50)
    department = forms.ModelChoiceField(
        label=gettext_lazy("牵头部门"), queryset=Department.objects.none(), required=False
    )
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("成员"), queryset=Department.objects.none(), required=False
    )
    member_names = forms.CharField(
        label=gettext_lazy("其他成员"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("没有平台账号的成员,逗号分隔"),
    )
    enterprises = forms.ModelMultipleChoiceField(
        label=gettext_lazy("包联企业"), queryset=Enterprise.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, zone, editing=False, **kwargs):
        super().__init__(*args, zone=zone, editing=editing, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(zone=zone)
        self.fields["members"].queryset = zone_people(zone)
        self.fields["members"].label_from_instance = lambda u: u.display_name or u.username
        self.fields["enterprises"].queryset = Enterprise.objects.filter(
            zone=zone, is_deleted=False
        ).order_by("name")
        for name in ("members", "enterprises"):
            self.fields[name].widget.attrs["data-picker"] = "1"


@login_required
def groups(request):
    zone = zone_for(request, WorkingGroup)
    rows = (
        WorkingGroup.objects.restrict(request.user, VIEW)
        .filter(zone=zone)
        .select_related("department")
        .annotate(
            n_enterprises=Count("enterprises", distinct=True),
            n_members=Count("members", distinct=True),
            n_open=Count(
                "matters",
                filter=Q(matters__kind=Kind.HELP, matters__status__in=ACTIVE),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    return render(
        request,
        "matters/group_list.html",
        {
            "groups": rows,
            "nav": "groups",
            "can_add": can_in_zone(request.user, WorkingGroup, zone, ADD),
        },
    )


@login_required
def group_create(request):
    return _create_view(
        request,
        WorkingGroup,
        GroupForm,
        assistance.create_group,
        title=_("设立帮扶工作组"),
        done=_("已设立帮扶工作组"),
        nav="groups",
        back=reverse("matters:groups"),
        then=lambda group: reverse("matters:group_detail", args=[group.pk]),
        form_id="group-form",
    )


@login_required
def group_detail(request, pk):
    zone_for(request, WorkingGroup)
    group = _get(request, WorkingGroup, pk)
    enterprises = group.enterprises.order_by("name")
    requests = (
        Matter.objects.restrict(request.user, VIEW)
        .filter(zone=group.zone, kind=Kind.HELP)
        .filter(Q(working_group=group) | Q(enterprise__in=enterprises))
        .select_related("category", "enterprise", "department")
        .order_by("-created_at")[:100]
    )
    return render(
        request,
        "matters/group_detail.html",
        {
            "group": group,
            "nav": "groups",
            "members": group.members.all(),
            "enterprises": enterprises,
            "requests": requests,
            "can_change": WorkingGroup.objects.restrict(request.user, CHANGE)
            .filter(pk=group.pk)
            .exists(),
        },
    )


@login_required
def group_edit(request, pk):
    zone = zone_for(request, WorkingGroup)
    group = _get(request, WorkingGroup, pk, CHANGE)
    initial = {
        "name": group.name,
        "leader_name": group.leader_name,
        "department": group.department_id,
        "members": list(group.members.values_list("pk", flat=True)),
        "member_names": group.member_names,
        "enterprises": list(group.enterprises.values_list("pk", flat=True)),
        "version": group.version,
    }
    form = GroupForm(request.POST or None, zone=zone, editing=True, initial=initial)
    detail = reverse("matters:group_detail", args=[group.pk])
    return _form_view(
        request,
        form,
        lambda data: assistance.update_group(request.user, group, **_versioned(data, group)),
        done=_("已保存工作组"),
        then=detail,
        title=_("修改帮扶工作组") + " · " + group.name,
        nav="groups",
        back=detail,
        form_id="group-form",
        obj=group,
    )


urlpatterns = [
    path("assistance/groups/", groups, name="groups"),
    path("assistance/groups/new/", group_create, name="group_create"),
    path("assistance/groups/<int:pk>/", group_detail, name="group_detail"),
    path("assistance/groups/<int:pk>/edit/", group_edit, name="group_edit"),
]
