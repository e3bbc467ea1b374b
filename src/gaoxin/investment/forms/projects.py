"""Page forms of the project ledger: they parse input; the rules live in services and stages."""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import DateInput, IndustryField, MoneyField, as_money, style_form
from gaoxin.core.models import Department, Division, Tag, User
from gaoxin.enterprises.models import Enterprise

from .. import references, services, stages
from ..models import Commitment, Document, FundsEntry, Project, Stage

MONEY_FIELDS = (
    "planned_investment",
    "fixed_asset_investment",
    "foreign_investment_usd",
    "land_mu",
    "building_area",
    "expected_output",
    "expected_tax",
)
# Amounts in 万元 (MoneyFields: 1.2亿, 500万 as the importer reads them); the others are areas.
PROJECT_WAN = ("planned_investment", "fixed_asset_investment", "expected_output", "expected_tax")
COMMITMENT_MONEY = ("investment", "funds_in_place", "land_mu", "annual_output", "annual_tax")
COMMITMENT_WAN = ("investment", "funds_in_place", "annual_output", "annual_tax")
NOT_NEGATIVE = _("不能为负数")


def _not_negative(form, names) -> None:
    for name in names:
        field = form.fields.get(name)
        if field is None:
            continue
        field.min_value = Decimal("0")
        field.validators.append(MinValueValidator(Decimal("0")))
        field.error_messages["min_value"] = NOT_NEGATIVE  # run_validators uses it by code


def _plain(value):
    """10000.0000 → "10000", so an edit form shows the amount as typed."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name and f"{obj.full_name}({obj.username})" or obj.username


class ProjectForm(forms.Form):
    """Create/edit form over the service's editable fields; on create also the entry stage."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, zone, actor, creating=False, today=None, current_officer=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        plain = [
            f
            for f in services.EDITABLE_FIELDS
            if f not in services.REFERENCES or f == "origin_province"
        ]
        model_fields = fields_for_model(Project, fields=plain)
        tags = Tag.objects.filter(zone=zone)
        departments = Department.objects.filter(zone=zone)
        staff_only = services.is_staff_only(actor)
        if staff_only:
            departments = departments.filter(pk__in=services.own_departments(actor, zone))
        for name in services.EDITABLE_FIELDS:
            if name == "investor_enterprise":
                field = forms.ModelChoiceField(
                    Enterprise.objects.filter(zone=zone, is_deleted=False).order_by("name"),
                    required=False,
                    label=Project._meta.get_field(name).verbose_name,
                    help_text=Project._meta.get_field(name).help_text,
                    widget=forms.Select(attrs={"data-picker": "1"}),
                )
            elif name == "origin_province":
                field = forms.ModelChoiceField(
                    Division.objects.filter(level=Division.Level.PROVINCE).order_by("code"),
                    required=False,
                    label=model_fields[name].label,
                )
            elif name == "industry":
                field = IndustryField(
                    levels=("section", "division", "group", "class"),
                    required=False,
                    label=_("国民经济行业"),
                    help_text=_("GB/T 4754-2017,可按代码或名称搜索;不确定小类时可选大类"),
                )
            elif name in ("chain", "channel"):
                category = (
                    Tag.Category.INDUSTRY_CHAIN if name == "chain" else Tag.Category.SOURCE_CHANNEL
                )
                field = forms.ModelChoiceField(
                    tags.filter(category=category),
                    required=False,
                    label=Project._meta.get_field(name).verbose_name,
                )
            elif name == "department":
                field = forms.ModelChoiceField(
                    departments,
                    required=staff_only,
                    label=Project._meta.get_field(name).verbose_name,
                    error_messages={"invalid_choice": _("只能选择本部门")}
                    if staff_only
                    else {"invalid_choice": _("请选择本园区的部门")},
                )
            elif name == "officer":
                # Offered: who may be named (the service's rule, which it enforces on save).
                officers = references.officers_of(zone)
                if current_officer:  # keep the one already named, whatever became of them
                    officers = User.objects.filter(
                        Q(pk__in=officers.values("pk")) | Q(pk=current_officer)
                    ).order_by("username")
                field = OfficerChoiceField(
                    officers,
                    required=False,
                    label=Project._meta.get_field(name).verbose_name,
                    error_messages={"invalid_choice": _("请选择本园区的工作人员")},
                )
            else:
                field = model_fields[name]
            self.fields[name] = field
        _not_negative(self, ("land_mu", "building_area"))
        as_money(self, PROJECT_WAN)
        as_money(self, ["foreign_investment_usd"], unit="万美元")
        self.fields["summary"].widget.attrs["rows"] = 3
        if creating:
            self.fields["stage"] = forms.ChoiceField(
                label=_("登记阶段"),
                choices=[(s.value, s.label) for s in stages.ENTRY_STAGES],
                initial=Stage.LEAD,
                error_messages={"invalid_choice": _("新项目只能登记为线索、考察、洽谈或签约阶段")},
            )
            self.fields["on"] = forms.DateField(
                label=_("进入该阶段日期"),
                initial=today,
                widget=DateInput(attrs={"max": today.isoformat()} if today else None),
                error_messages={"invalid": _("请填写有效日期(YYYY-MM-DD)")},
            )
            self.fields["note"] = forms.CharField(label=_("说明"), max_length=500, required=False)
        style_form(self)

    @staticmethod
    def initial_for(project: Project) -> dict:
        initial = {f: getattr(project, f) for f in services.EDITABLE_FIELDS}
        initial["industry"] = project.industry_id or ""
        for name in MONEY_FIELDS:
            initial[name] = _plain(initial[name])
        initial["version"] = project.version
        return initial

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in services.EDITABLE_FIELDS}

    def entry(self) -> dict:
        data = self.cleaned_data
        return {"stage": data["stage"], "on": data["on"], "note": data.get("note", "")}


def stage_choice_label(stage: str, kind: str, needs_reason: bool) -> str:
    verb = {
        "forward": _("推进到"),
        "back": _("退回到"),
        "resume": _("恢复到"),
        "hold": "",
        "drop": "",
    }.get(kind, "")
    text = f"{verb}「{stages.label(stage)}」" if verb else stages.label(stage)
    reason = _("须填写原因")  # outside the f-string, so that makemessages finds it
    return f"{text}({reason})" if needs_reason else text


class StageMoveForm(forms.Form):
    """A move to one of the targets the stage rules allow now, dated, with a note."""

    stage = forms.ChoiceField(label=_("目标阶段"), choices=Stage.choices)
    on = forms.DateField(
        label=_("日期"), error_messages={"invalid": _("请填写有效日期(YYYY-MM-DD)")}
    )
    note = forms.CharField(
        label=_("说明"),
        max_length=500,
        required=False,
        error_messages={"max_length": _("说明不超过 500 个字")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, project: Project, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = stages.allowed_targets(project)
        # Any stage parses (the rules explain why a move is refused); only allowed ones are offered.
        self.fields["stage"].error_messages["invalid_choice"] = _("无效的阶段「%(value)s」")
        self.fields["stage"].widget.choices = [("", "---------")] + [
            (stage, stage_choice_label(stage, kind, needs)) for stage, kind, needs in self.targets
        ]
        self.fields["on"].widget = DateInput(attrs={"max": today.isoformat()})
        self.reason_stages = [stage for stage, _kind, needs in self.targets if needs]
        style_form(self)


class CommitmentForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Commitment
        fields = list(services.COMMITMENT_FIELDS)
        widgets = {
            "funds_by": DateInput(),
            "start_by": DateInput(),
            "production_by": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("funds_by", "start_by", "production_by"):
            self.fields[name].error_messages["invalid"] = _("请填写有效日期(YYYY-MM-DD)")
        _not_negative(self, ["land_mu"])
        as_money(self, COMMITMENT_WAN)
        if self.instance.pk:
            for name in COMMITMENT_MONEY:
                self.initial[name] = _plain(self.initial.get(name))
        style_form(self)

    def _post_clean(self):
        pass  # the service validates and saves (never the ModelForm)

    def changes(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in services.COMMITMENT_FIELDS}
        data["note"] = data.get("note") or ""
        return data


class FundsForm(forms.Form):
    on = forms.DateField(
        label=_("到位日期"), error_messages={"invalid": _("请填写有效日期(YYYY-MM-DD)")}
    )
    amount = MoneyField(
        label=_("到位金额(万元)"),
        positive=True,
        error_messages={"not_positive": _("到位金额应大于 0")},
    )
    source = forms.ChoiceField(
        label=_("资金来源"),
        choices=FundsEntry.Source.choices,
        initial=FundsEntry.Source.OUT_OF_PROVINCE,
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        if today:
            self.fields["on"].widget = DateInput(attrs={"max": today.isoformat()})
        style_form(self)


class ReasonForm(forms.Form):
    """A delete that must say why (funds entries, projects)."""

    reason = forms.CharField(
        label=_("理由"), max_length=200, error_messages={"required": _("请填写删除理由")}
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("材料类型"),
        choices=Document.Kind.choices,
        error_messages={"invalid_choice": _("无效的材料类型「%(value)s」")},
    )
    # Emptiness, type and size are checked by `core.uploads.check_upload`, with its messages.
    file = forms.FileField(label=_("文件"), required=False, allow_empty_file=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx"
        style_form(self)
