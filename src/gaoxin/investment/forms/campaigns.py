"""Forms of the cockpit's period chooser, campaigns, department targets and size thresholds.

They parse input; the rules live in services (campaigns, targets, thresholds) and in
summary.parse_period (periods)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import DateInput, MoneyField, as_money, style_form

from .. import summary
from ..models import Campaign, Category, DepartmentTarget
from ..plans import CAMPAIGN_FIELDS

# The longest period the cockpit shows month by month (a custom 0001–9999 range would not end).
MAX_PERIOD_YEARS = 20
DATE_ERROR = _("日期格式应为 YYYY-MM-DD,例如 2020-03-31")


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}({obj.start:%Y-%m-%d} 至 {obj.end:%Y-%m-%d})"


class PeriodForm(forms.Form):
    """The cockpit's period and category. A campaign's window wins over custom dates, and custom
    dates over the period text ("2019", "2020Q1", "2020-03"); nothing at all means this year
    to date."""

    period = forms.CharField(
        label=_("期间"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "2019 / 2020Q1 / 2020-03", "list": "periods"}),
        error_messages={"max_length": _("期间应为 2019、2020Q1 或 2020-03 这样的写法")},
    )
    campaign = CampaignChoiceField(
        Campaign.objects.none(),
        label=_("招商活动"),
        required=False,
        empty_label=_("(不按活动)"),
        error_messages={"invalid_choice": _("未找到该招商活动,请从列表中选择")},
    )
    start = forms.DateField(
        label=_("开始日期"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": DATE_ERROR},
    )
    end = forms.DateField(
        label=_("结束日期"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": DATE_ERROR},
    )
    category = forms.ChoiceField(
        label=_("项目类别"),
        required=False,
        choices=[("", _("全部类别")), *Category.choices],
        error_messages={
            "invalid_choice": _("无效的项目类别「%(value)s」,应为工业、服务业、农业或基础设施")
        },
    )

    def __init__(self, *args, campaigns, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["campaign"].queryset = campaigns
        style_form(self)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        campaign = data.get("campaign")
        if campaign is not None:
            period = summary.Period(campaign.start, campaign.end, campaign.name)
        else:
            try:
                period = summary.parse_period(
                    data.get("period"),
                    start=data.get("start"),
                    end=data.get("end"),
                    today=self.today,
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
                return data
        if (period.end - period.start).days > 366 * MAX_PERIOD_YEARS:
            raise ValidationError(
                _("期间不能超过 %(n)s 年(%(s)s 至 %(e)s)")
                % {"n": MAX_PERIOD_YEARS, "s": period.start, "e": period.end}
            )
        data["the_period"] = period
        return data


class CampaignForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Campaign, fields=CAMPAIGN_FIELDS))
        for name in ("start", "end"):
            self.fields[name].widget = DateInput()
            self.fields[name].error_messages["invalid"] = DATE_ERROR
        as_money(self, ["target_investment"])
        self.fields["note"].widget = forms.Textarea(attrs={"rows": 2})
        style_form(self)

    def changes(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in CAMPAIGN_FIELDS}
        data["note"] = data.get("note") or ""
        return data


class TargetForm(forms.Form):
    """One department's targets for one year (a row of the targets table)."""

    department = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, form_id="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                DepartmentTarget, fields=["target_projects", "target_investment", "target_large"]
            )
        )
        as_money(self, ["target_investment"])
        style_form(self)
        for field in self.fields.values():
            field.widget.attrs["form"] = form_id  # inputs in table cells, the row's form apart


class ThresholdsForm(forms.Form):
    large = MoneyField(
        label=_("亿元以上项目门槛(万元)"),
        help_text=_("计划总投资不低于此值的签约项目计为“亿元以上”;默认 10000 万元(1 亿元)"),
    )
    class_5020 = MoneyField(
        label=_("5020 项目门槛(万元)"),
        help_text=_("江西“5020”:市级 50 亿元(500000 万元),县级 20 亿元(200000 万元)"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
