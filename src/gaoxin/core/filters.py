import django_filters
from django.utils.translation import gettext_lazy as _

from .forms import DateInput, StyledFilterMixin
from .models import AuditRecord

LOGIN_ACTIONS = ["login", "login_failed", "logout", "locked", "token"]


class AuditFilter(StyledFilterMixin, django_filters.FilterSet):
    actor = django_filters.CharFilter(
        field_name="actor_name", lookup_expr="icontains", label=_("操作人")
    )
    action = django_filters.MultipleChoiceFilter(
        choices=AuditRecord.Action.choices, label=_("动作")
    )
    object = django_filters.CharFilter(
        field_name="object_repr", lookup_expr="icontains", label=_("对象")
    )
    since = django_filters.DateFilter(
        field_name="time",
        lookup_expr="date__gte",
        label=_("起始日期"),
        widget=DateInput(),
    )
    until = django_filters.DateFilter(
        field_name="time",
        lookup_expr="date__lte",
        label=_("截止日期"),
        widget=DateInput(),
    )
    request_id = django_filters.CharFilter(label=_("请求编号"))
    login_log = django_filters.BooleanFilter(method="filter_login", label=_("仅登录日志"))

    class Meta:
        model = AuditRecord
        fields = ["actor", "action", "object", "since", "until", "request_id"]

    def filter_login(self, queryset, name, value):
        if value is True:
            return queryset.filter(action__in=LOGIN_ACTIONS)
        if value is False:
            return queryset.exclude(action__in=LOGIN_ACTIONS)
        return queryset
