"""The official figures list filter (page and export): year, period, indicator and source."""

import django_filters
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import StyledFilterMixin

from ..models import OfficialFigure, OfficialSource
from .findings import PeriodFilter


class OfficialFilter(StyledFilterMixin, django_filters.FilterSet):
    year = django_filters.NumberFilter(
        method="filter_year", label=_("年度"), min_value=2000, max_value=2100
    )
    period = PeriodFilter(label=_("报告期"))
    indicator = django_filters.ChoiceFilter(
        method="filter_indicator", label=_("指标"), empty_label=_("全部")
    )
    source = django_filters.ChoiceFilter(
        choices=OfficialSource.choices, label=_("数据来源"), empty_label=_("全部")
    )

    class Meta:
        model = OfficialFigure
        fields = ["year", "period", "indicator", "source"]

    def __init__(self, data=None, queryset=None, *, indicators=(), **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["indicator"].extra["choices"] = [(i.code, i.name) for i in indicators]

    def filter_year(self, queryset, name, value):
        if value is None:
            return queryset
        year = int(value)
        return queryset.filter(period__gte=year * 100, period__lte=year * 100 + 12)

    def filter_indicator(self, queryset, name, value):
        return queryset.filter(indicator__code=value) if value else queryset
