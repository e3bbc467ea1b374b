"""The findings list filter (page and export): period, severity, status (open ones unless asked),
rule kind, indicator and enterprise."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.forms import StyledFilterMixin
from gaoxin.core.periods import Period
from gaoxin.enterprises import search
from gaoxin.enterprises.models import Enterprise

from ..models import Finding, FindingStatus, Rule

OPEN = (FindingStatus.OPEN, FindingStatus.EXPLAINED, FindingStatus.QUERIED)
ALL = "all"


class PeriodField(forms.CharField):
    """A period typed as "2019-12" (or 201912, "2019年12月"), cleaned to yyyymm."""

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        return Period.parse(value, reporting=False).key


class PeriodFilter(django_filters.Filter):
    field_class = PeriodField

    def filter(self, qs, value):
        return qs if value is None else qs.filter(period=value)


class FindingFilter(StyledFilterMixin, django_filters.FilterSet):
    period = PeriodFilter(label=gettext_lazy("报告期"))
    severity = django_filters.ChoiceFilter(
        choices=Rule.Severity.choices, label=gettext_lazy("级别"), empty_label=gettext_lazy("全部")
    )
    status = django_filters.ChoiceFilter(
        choices=[*FindingStatus.choices, (ALL, gettext_lazy("全部(含已关闭)"))],
        method="filter_status",
        label=gettext_lazy("状态"),
        empty_label=gettext_lazy("未关闭"),
    )
    kind = django_filters.ChoiceFilter(
        choices=Rule.Kind.choices, label=gettext_lazy("规则类型"), empty_label=gettext_lazy("全部")
    )
    indicator = django_filters.ChoiceFilter(
        method="filter_indicator", label=gettext_lazy("指标"), empty_label=gettext_lazy("全部")
    )
    enterprise = django_filters.ModelChoiceFilter(
        queryset=Enterprise.objects.none(), label=gettext_lazy("企业")
    )
    q = django_filters.CharFilter(method="filter_q", label=gettext_lazy("企业名称"))

    class Meta:
        model = Finding
        fields = ["period", "severity", "status", "kind", "indicator", "enterprise"]

    def __init__(self, data=None, queryset=None, *, zone=None, indicators=(), officer=True, **kw):
        super().__init__(data, queryset, **kw)
        self.filters["indicator"].extra["choices"] = [(i.code, i.name) for i in indicators]
        if officer and zone is not None:
            self.filters["enterprise"].queryset = Enterprise.objects.filter(
                zone=zone, is_deleted=False
            ).order_by("name")
            self.picker_fields = ("enterprise",)  # hundreds of enterprises: searchable
        else:
            del self.filters["enterprise"]
            del self.filters["q"]

    @property
    def qs(self):
        qs = super().qs
        if not self.is_bound or not self.form.is_valid() or not self.form.cleaned_data["status"]:
            qs = qs.filter(status__in=OPEN)
        return qs

    def filter_status(self, queryset, name, value):
        if not value or value == ALL:
            return queryset
        return queryset.filter(status=value)

    def filter_indicator(self, queryset, name, value):
        return queryset.filter(indicator__code=value) if value else queryset

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(search.name_q(value, "enterprise") | Q(enterprise__uscc=value))


def describe(flt) -> str:
    """The active filters in words, for the export's audit record."""
    if not flt.is_bound:
        return _("未关闭的全部审核发现")
    return flt.data.urlencode()
