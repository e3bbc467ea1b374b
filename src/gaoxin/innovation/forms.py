"""The officers' forms for the innovation records. A form only parses what is typed; the rules
are the services' (`services.add_*` / `update_*`), whose errors the pages put back next to the
fields (core.pages.ServiceCall → core.forms.add_service_errors). Each field is the service's
argument of the same name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import DateInput, MoneyField, style_form
from gaoxin.enterprises.models import Enterprise

from .models import (
    CertKind,
    CertStatus,
    CloudLevel,
    Level,
    PatentKind,
    PatentStatus,
    PlatformKind,
    TechField,
    Title,
)

NOTE = {"label": _("备注"), "max_length": 200, "required": False}


def _date(label, required=True):
    return forms.DateField(label=label, required=required, widget=DateInput())


def _optional_choice(choices, label, empty=None):
    options = [("", empty or "—"), *choices]
    return forms.ChoiceField(label=label, choices=options, required=False)


class RecordForm(forms.Form):
    """A record's form in `zone`: its enterprise among the zone's; `version` (the record's, for
    the stale-save check) only when `editing`, and the enterprise then fixed."""

    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=Enterprise.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, zone, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        if editing:
            del self.fields["enterprise"]
        else:
            del self.fields["version"]
            field = self.fields["enterprise"]
            field.queryset = Enterprise.objects.filter(zone=zone, is_deleted=False).order_by("name")
            field.widget.attrs["data-picker"] = "1"
        style_form(self)

    def service_fields(self) -> dict:
        """What the service takes: the cleaned fields, empty choices as the model's blank."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class CertificationForm(RecordForm):
    kind = forms.ChoiceField(label=_("类别"), choices=CertKind.choices)
    title = forms.ModelChoiceField(
        label=_("称号"),
        queryset=Title.objects.none(),
        required=False,
        help_text=_("类别为「其他称号」时选择"),
    )
    status = forms.ChoiceField(label=_("状态"), choices=CertStatus.choices)
    number = forms.CharField(
        label=_("证书编号"),
        max_length=40,
        required=False,
        help_text=_("高新技术企业证书如 GR201936000123"),
    )
    field = _optional_choice(TechField.choices, _("技术领域"))
    applied_on = _date(_("申报日期"), required=False)
    issued_on = _date(_("发证日期"), required=False)
    year = forms.IntegerField(
        label=_("年度"),
        required=False,
        min_value=1985,
        max_value=2100,
        help_text=_("按年认定的(科技型中小企业)填写"),
    )
    score = forms.IntegerField(label=_("评价得分"), required=False, min_value=0, max_value=100)
    note = forms.CharField(**NOTE)

    def __init__(self, *args, zone, editing=False, **kwargs):
        super().__init__(*args, zone=zone, editing=editing, **kwargs)
        self.fields["title"].queryset = Title.objects.filter(zone=zone).order_by("name")
        if editing:  # a certification keeps its kind (update_certification)
            del self.fields["kind"]


class PatentForm(RecordForm):
    number = forms.CharField(
        label=_("申请号"),
        max_length=30,
        help_text=_("如 201710601862.3;可带 ZL 前缀,校验位须正确"),
    )
    title = forms.CharField(label=_("专利名称"), max_length=200)
    kind = _optional_choice(PatentKind.choices, _("专利类型"), empty=_("按申请号判断"))
    applied_on = _date(_("申请日"))
    status = forms.ChoiceField(label=_("法律状态"), choices=PatentStatus.choices)
    granted_on = _date(_("授权公告日"), required=False)

    def service_fields(self) -> dict:
        data = super().service_fields()
        data["kind"] = data.get("kind") or None  # the service reads it from the number
        return data


class CopyrightForm(RecordForm):
    number = forms.CharField(label=_("登记号"), max_length=20, help_text=_("如 2019SR0123456"))
    title = forms.CharField(label=_("软件名称"), max_length=200)
    registered_on = _date(_("登记日期"))


class PlatformForm(RecordForm):
    name = forms.CharField(label=_("平台名称"), max_length=100)
    kind = forms.ChoiceField(label=_("平台类型"), choices=PlatformKind.choices)
    level = forms.ChoiceField(label=_("级别"), choices=Level.choices)
    recognised_on = _date(_("认定日期"))
    note = forms.CharField(**NOTE)


class TalentForm(RecordForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    programme = forms.CharField(label=_("人才计划"), max_length=100)
    level = forms.ChoiceField(label=_("级别"), choices=Level.choices)
    year = forms.IntegerField(label=_("入选年度"), min_value=1985, max_value=2100)
    note = forms.CharField(**NOTE)


class CooperationForm(RecordForm):
    partner = forms.CharField(label=_("合作单位"), max_length=100)
    project = forms.CharField(label=_("合作项目"), max_length=200)
    amount = MoneyField(label=_("合同金额(万元)"), required=False)
    starts_on = _date(_("开始日期"))
    ends_on = _date(_("结束日期"), required=False)
    note = forms.CharField(**NOTE)


class CloudForm(RecordForm):
    level = forms.ChoiceField(label=_("上云层级"), choices=CloudLevel.choices)
    adopted_on = _date(_("上云日期"))
    provider = forms.CharField(label=_("服务商"), max_length=50, required=False)
    note = forms.CharField(**NOTE)


class ReasonForm(forms.Form):
    """Removing a record: the reason (the service says when it is missing)."""

    reason = forms.CharField(max_length=200, required=False)


class AnnualReportForm(forms.Form):
    """A high-tech certificate's annual report filed (services.file_annual_report)."""

    year = forms.IntegerField(label=_("报告年度"), min_value=1985, max_value=2100)
    filed_on = _date(_("填报日期"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
