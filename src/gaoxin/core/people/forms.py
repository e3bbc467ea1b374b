"""Forms of the people pages. They parse; the services validate and decide who may."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ..forms import style_form
from ..models import Department, Division, Membership, Zone
from . import services


class ScopeForm(forms.Form):
    """A role and where it is held; the choices are those the actor may use."""

    role = forms.ChoiceField(label=_("角色"))
    zone = forms.ModelChoiceField(Zone.objects.none(), label=_("园区"), required=False)
    department = forms.ModelChoiceField(
        Department.objects.none(),
        label=_("部门"),
        required=False,
        help_text=_("园区工作人员必填"),
    )
    enterprise = forms.ModelChoiceField(
        Membership._meta.get_field("enterprise").related_model.objects.none(),
        label=_("企业"),
        required=False,
        help_text=_("企业用户必填"),
    )
    province = forms.ModelChoiceField(
        Division.objects.none(), label=_("省份"), required=False, help_text=_("省级查看必填")
    )

    def __init__(self, *args, actor, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        platform = services.is_platform_admin(actor)
        self.fields["role"].choices = services.grantable_roles(actor)
        zones = (
            Zone.objects.all()
            if platform
            else Zone.objects.filter(pk__in=services.admin_zone_ids(actor))
        )
        self.fields["zone"].queryset = zones
        if not platform:
            self.fields["zone"].required = True
            self.fields["zone"].empty_label = None
            if zone is not None and zones.filter(pk=zone.pk).exists():
                self.fields["zone"].initial = zone.pk
            del self.fields["province"]
        else:
            self.fields["zone"].help_text = _("园区角色与企业用户必填")
            self.fields["province"].queryset = Division.objects.filter(
                level=Division.Level.PROVINCE,
                code__in=Zone.objects.values("province_id"),
            )
        depts = services.departments_for(actor).order_by("zone__code", "name")
        self.fields["department"].queryset = depts
        self.fields["department"].label_from_instance = (
            (lambda d: f"{d.zone} · {d.name}") if platform else (lambda d: d.name)
        )
        enterprise_field = self.fields["enterprise"]
        enterprises = enterprise_field.queryset.model.objects.restrict(actor, "view")
        if not platform:
            enterprises = enterprises.filter(zone_id__in=services.admin_zone_ids(actor))
        enterprise_field.queryset = enterprises.order_by("zone_id", "name")
        style_form(self)
        enterprise_field.widget.attrs["data-picker"] = "1"

    def scope(self) -> dict:
        data = self.cleaned_data
        return {
            "zone": data.get("zone"),
            "department": data.get("department"),
            "enterprise": data.get("enterprise"),
            "province": data.get("province"),
        }


class AccountForm(ScopeForm):
    username = forms.CharField(
        label=_("用户名"), max_length=150, help_text=_("登录用,创建后不能修改")
    )
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机"), max_length=20, required=False)
    email = forms.EmailField(label=_("邮箱"), required=False)
    field_order = ["username", "full_name", "phone", "email", "role", "zone", "department"]


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("手机"), max_length=20, required=False)
    email = forms.EmailField(label=_("邮箱"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class DisableForm(forms.Form):
    reason = forms.CharField(label=_("停用理由"), max_length=200, required=False)


class ZoneForm(forms.Form):
    code = forms.CharField(label=_("园区代码"), max_length=20)
    name = forms.CharField(label=_("园区名称"), max_length=100)
    short_name = forms.CharField(label=_("简称"), max_length=30, required=False)
    level = forms.ChoiceField(label=_("级别"), choices=Zone.Level.choices)
    division = forms.CharField(
        label=_("所在行政区划代码"),
        max_length=6,
        help_text=_("GB/T 2260 县级或地级代码,如 360121"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("原密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("确认新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["new_password1"]
        field.help_text = password_validation.password_validators_help_text_html()
        style_form(self)

    def clean(self):
        data = super().clean()
        one, two = data.get("new_password1"), data.get("new_password2")
        if one and two and one != two:
            self.add_error("new_password2", _("两次输入的新密码不一致"))
        return data
