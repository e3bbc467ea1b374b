"""Forms of the matter pages: raising a matter (officers: any kind; enterprise users: a help
request), editing it, and the detail page's actions. The services validate again and have the
last word (`add_service_errors` puts their messages next to the fields). The cleaned data are
the service's keyword arguments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import DateInput, style_form
from gaoxin.core.models import Department, User
from gaoxin.enterprises.models import Enterprise

from . import catalogue, services
from .models import Category, Channel, Kind, Priority, ServiceMode, Status


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()} · {obj.name}"


def _projects(zone):
    from gaoxin.investment.models import Project

    return Project.objects.filter(zone=zone, is_deleted=False).order_by("name")


def _owners(form, zone):
    """The zone's departments and officers on the form's owner fields that are there."""
    fields = form.fields
    if "department" in fields:
        fields["department"].queryset = Department.objects.filter(zone=zone).order_by("name")
    people = services.zone_people(zone)
    for name in ("officer", "helpers"):
        if name in fields:
            fields[name].queryset = people


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MatterForm(forms.Form):
    """An officer raises a matter of any kind (or edits one: `editing=True` leaves out what only
    the actions change: kind, owner, due date, channel)."""

    wide_fields = ("title", "description")  # full width in `core/_form_fields.html`
    kind = forms.ChoiceField(label=_("事项类型"), choices=Kind.choices)
    category = CategoryChoiceField(
        label=_("分类"), queryset=Category.objects.none(), required=False
    )
    title = forms.CharField(label=_("标题"), max_length=100)
    description = forms.CharField(
        label=_("详细情况"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    enterprise = forms.ModelChoiceField(
        label=_("企业"), queryset=Enterprise.objects.none(), required=False
    )
    project = forms.ModelChoiceField(label=_("投资项目"), queryset=None, required=False)
    department = forms.ModelChoiceField(
        label=_("责任部门"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("不选则按分类的默认部门或企业的帮扶工作组分派"),
    )
    officer = PersonChoiceField(label=_("责任人"), queryset=User.objects.none(), required=False)
    helpers = PeopleChoiceField(label=_("协办人"), queryset=User.objects.none(), required=False)
    due_on = forms.DateField(
        label=_("办理期限"),
        widget=DateInput(),
        required=False,
        help_text=_("不填则按分类的办理时限(工作日)计算"),
    )
    priority = forms.ChoiceField(label=_("优先级"), choices=Priority.choices, initial="normal")
    channel = forms.ChoiceField(label=_("来源渠道"), choices=Channel.choices, initial="phone")
    service_mode = forms.ChoiceField(
        label=_("服务方式"), choices=ServiceMode.choices, initial="regular"
    )
    contact = forms.CharField(label=_("联系人及电话"), max_length=100, required=False)
    visible_to_enterprise = forms.BooleanField(label=_("企业可见"), required=False)

    CREATE_ONLY = ("kind", "department", "officer", "helpers", "due_on", "channel")

    def __init__(self, *args, zone, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        catalogue.ensure_categories(zone)
        self.fields["category"].queryset = Category.objects.filter(
            zone=zone, is_active=True
        ).order_by("kind", "order", "id")
        self.fields["enterprise"].queryset = Enterprise.objects.filter(
            zone=zone, is_deleted=False
        ).order_by("name")
        self.fields["project"].queryset = _projects(zone)
        if editing:
            for name in self.CREATE_ONLY:
                del self.fields[name]
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)
        else:
            del self.fields["visible_to_enterprise"]
            _owners(self, zone)
        for name in ("enterprise", "project", "helpers", "officer"):
            if name in self.fields:
                self.fields[name].widget.attrs["data-picker"] = "1"
        style_form(self)

    @classmethod
    def initial_for(cls, matter) -> dict:
        return {
            "category": matter.category_id,
            "title": matter.title,
            "description": matter.description,
            "enterprise": matter.enterprise_id,
            "project": matter.project_id,
            "priority": matter.priority,
            "service_mode": matter.service_mode,
            "contact": matter.contact,
            "visible_to_enterprise": matter.visible_to_enterprise,
            "version": matter.version,
        }


class RequestForm(forms.Form):
    """An enterprise user's help request under one of the six measures."""

    wide_fields = ("title", "description")
    category = forms.ModelChoiceField(
        label=_("帮扶措施"), queryset=Category.objects.none(), empty_label=_("请选择")
    )
    title = forms.CharField(label=_("诉求标题"), max_length=100)
    description = forms.CharField(
        label=_("具体情况"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    contact = forms.CharField(label=_("联系人及电话"), max_length=100, required=False)

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = catalogue.categories_for(zone, Kind.HELP).order_by(
            "order", "id"
        )
        style_form(self)


class AssignForm(VersionForm):
    department = forms.ModelChoiceField(label=_("责任部门"), queryset=Department.objects.none())
    officer = PersonChoiceField(label=_("责任人"), queryset=User.objects.none(), required=False)
    helpers = PeopleChoiceField(label=_("协办人"), queryset=User.objects.none(), required=False)
    note = forms.CharField(label=_("分派说明"), max_length=300, required=False)

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        _owners(self, zone)
        self.fields["helpers"].widget.attrs["data-picker"] = "1"
        style_form(self)


class DueForm(VersionForm):
    due_on = forms.DateField(label=_("新的办理期限"), widget=DateInput())
    reason = forms.CharField(label=_("调整原因"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


# The status changes the detail page offers, with what the text is called for each.
STATUS_ACTIONS = {
    Status.IN_PROGRESS: _("开始办理"),
    Status.RESOLVED: _("办结"),
    Status.CLOSED: _("关闭"),
    Status.REOPENED: _("重新办理"),
    Status.WITHDRAWN: _("撤回"),
}


class StatusForm(VersionForm):
    to = forms.ChoiceField(label=_("目标状态"), choices=Status.choices)
    text = forms.CharField(
        label=_("说明"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("留言"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    internal = forms.BooleanField(label=_("仅内部可见"), required=False)
    attachment = forms.FileField(label=_("附件"), required=False)

    def __init__(self, *args, officer=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not officer:
            del self.fields["internal"]
        style_form(self)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("评价"),
        choices=[(n, f"{n} ★") for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("评价意见"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
        self.fields["rating"].widget.attrs["class"] = "form-check-input"


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("督办原因"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
