"""The officers' returns list filter: one FilterSet for the page, its export and the cockpit's
click-through (`period`, `status`, `section`, `division`, `scale`, `above_scale`, `tag`,
`indicator` in the query string select the returns behind a figure)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import StyledFilterMixin
from gaoxin.core.models import Tag
from gaoxin.enterprises import search
from gaoxin.enterprises.filters import YesNoAny
from gaoxin.enterprises.models import Scale

from ..models import Return, ReturnStatus


class ReturnFilter(StyledFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("企业名称或信用代码"))
    status = django_filters.MultipleChoiceFilter(choices=ReturnStatus.choices, label=_("状态"))
    errors = django_filters.BooleanFilter(
        method="filter_errors", label=_("有错误"), widget=YesNoAny
    )
    section = django_filters.CharFilter(method="filter_section", label=_("行业门类"))
    division = django_filters.CharFilter(method="filter_division", label=_("行业大类"))
    scale = django_filters.MultipleChoiceFilter(
        field_name="enterprise__scale", choices=Scale.choices, label=_("企业规模")
    )
    above_scale = django_filters.BooleanFilter(
        field_name="enterprise__above_scale", label=_("规上企业"), widget=YesNoAny
    )
    tag = django_filters.ModelChoiceFilter(
        field_name="enterprise__tags", queryset=Tag.objects.none(), label=_("产业链标签")
    )
    indicator = django_filters.CharFilter(method="filter_indicator", label=_("已填指标"))

    picker_fields = ("status", "scale")

    class Meta:
        model = Return
        fields = ["q", "status"]

    def __init__(self, data=None, queryset=None, *, zone=None, indicators=(), **kwargs):
        super().__init__(data, queryset, **kwargs)
        tags = Tag.objects.filter(zone=zone) if zone else Tag.objects.all()
        self.filters["tag"].queryset = tags.filter(category=Tag.Category.INDUSTRY_CHAIN)
        self.indicator_codes = {i.code for i in indicators}

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            search.name_q(value, "enterprise") | Q(enterprise__uscc__icontains=value.upper())
        )

    def filter_errors(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(errors__gt=0) if value else queryset.filter(errors=0)

    def filter_section(self, queryset, name, value):
        value = (value or "").strip().upper()
        return queryset.filter(enterprise__industry__section=value) if value else queryset

    def filter_division(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(enterprise__industry__code__startswith=value) if value else queryset

    def filter_indicator(self, queryset, name, value):
        """Returns that carry a figure for the indicator (the cockpit's figure's rows)."""
        value = (value or "").strip()
        if not value:
            return queryset
        if value not in self.indicator_codes:
            return queryset.none()
        return queryset.filter(data__has_key=value).exclude(**{f"data__{value}": None})
