"""The people list: its FilterSet and its table."""

import django_filters
import django_tables2 as tables
from django.db.models import Exists, OuterRef, Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..forms import StyledFilterMixin
from ..models import Department, Membership, Role, User, Zone
from ..passwords import password_age_days
from . import services


class AccountFilter(StyledFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("姓名、用户名或手机"))
    role = django_filters.ChoiceFilter(choices=Role.choices, method="filter_role", label=_("角色"))
    zone = django_filters.ModelChoiceFilter(
        queryset=Zone.objects.none(), method="filter_zone", label=_("园区")
    )
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.none(), method="filter_department", label=_("部门")
    )
    active = django_filters.BooleanFilter(field_name="is_active", label=_("启用"))

    class Meta:
        model = User
        fields = ["q", "role", "zone", "department", "active"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        platform = services.is_platform_admin(actor)
        depts = services.departments_for(actor).order_by("zone__code", "name")
        self.filters["department"].queryset = depts
        if platform:
            self.filters["zone"].queryset = Zone.objects.all()
        else:
            del self.filters["zone"]

    @staticmethod
    def _having(queryset, **lookups):
        return queryset.filter(Exists(Membership.objects.filter(user=OuterRef("pk"), **lookups)))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(full_name__icontains=value) | Q(username__icontains=value) | Q(phone__icontains=value)
        )

    def filter_role(self, queryset, name, value):
        return self._having(queryset, role=value) if value else queryset

    def filter_zone(self, queryset, name, value):
        return self._having(queryset, zone=value) if value else queryset

    def filter_department(self, queryset, name, value):
        return self._having(queryset, department=value) if value else queryset


class AccountTable(tables.Table):
    full_name = tables.LinkColumn(
        "people:detail", args=[tables.A("pk")], verbose_name=_("姓名"), empty_values=()
    )
    username = tables.Column(verbose_name=_("用户名"))
    # Rendered from the prefetched memberships; the accessor must not call User.roles().
    roles = tables.Column(verbose_name=_("角色"), accessor="pk", orderable=False)
    department = tables.Column(verbose_name=_("部门"), accessor="pk", orderable=False)
    is_active = tables.Column(verbose_name=_("状态"))
    last_login = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("最近登录"))
    password_changed_at = tables.Column(verbose_name=_("密码已用天数"), empty_values=())

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "people-table"}
        order_by = "username"
        row_attrs = {"data-username": lambda record: record.username}

    def render_full_name(self, record):
        return record.display_name

    def render_roles(self, record):
        names = sorted({m.get_role_display() for m in record.memberships.all()})
        return format_html_join(
            " ", '<span class="badge text-bg-light">{}</span>', ((n,) for n in names)
        )

    def render_department(self, record):
        names = sorted({m.department.name for m in record.memberships.all() if m.department_id})
        return "、".join(names) or "—"

    def render_is_active(self, value):
        if value:
            return format_html('<span class="badge text-bg-success">{}</span>', _("启用"))
        return format_html('<span class="badge text-bg-secondary">{}</span>', _("停用"))

    def render_password_changed_at(self, record):
        days = password_age_days(record)
        if record.must_change_password:
            return format_html('<span class="text-warning">{}</span>', _("待修改"))
        return days

    def order_password_changed_at(self, queryset, is_descending):
        field = "password_changed_at"
        return queryset.order_by(f"{'' if is_descending else '-'}{field}", "pk"), True
