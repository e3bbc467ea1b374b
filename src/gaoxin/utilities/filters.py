"""The utilities' list filters: one FilterSet serves the risk list, its export and the cockpit's
links. Parameters are a contract: the cockpit links to `?band=red|yellow|green&kind=&company=
&enterprise=&q=` and the count there equals the cockpit's number.

band: the risk band of the account's warning level (models.BAND: red = second level or
exhausted, yellow = first level, green = none)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import StyledFilterMixin
from gaoxin.core.models import Industry
from gaoxin.enterprises import search
from gaoxin.enterprises.models import Enterprise

from . import summary
from .models import BAND, CutOff, Finding, FindingStatus, Kind, Level, UtilityCompany

ALL = _("全部")
BANDS = [
    ("red", _("红色(二级预警及以上)")),
    ("yellow", _("黄色(一级预警)")),
    ("green", _("绿色(正常)")),
]


def levels_of(band: str) -> list[int]:
    return [int(level) for level, b in BAND.items() if b == band]


class AccountFilter(StyledFilterMixin, django_filters.FilterSet):
    """The accounts of a zone: by kind, risk band, company, enterprise and meter / name."""

    q = django_filters.CharFilter(method="filter_q", label=_("表号或企业"), max_length=60)
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("类别"), empty_label=ALL)
    band = django_filters.ChoiceFilter(
        choices=BANDS, label=_("风险"), empty_label=ALL, method="filter_band"
    )
    company = django_filters.ModelChoiceFilter(
        queryset=UtilityCompany.objects.none(), label=_("供应单位")
    )
    enterprise = django_filters.ModelChoiceFilter(
        queryset=Enterprise.objects.none(), label=_("企业")
    )
    section = django_filters.ChoiceFilter(
        choices=(), label=_("行业门类"), empty_label=ALL, field_name="enterprise__industry__section"
    )
    protected = django_filters.ChoiceFilter(
        choices=[("true", _("是")), ("false", _("否"))],
        label=_("保电"),
        empty_label=ALL,
        method="filter_protected",
    )

    def __init__(self, *args, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["company"].queryset = UtilityCompany.objects.filter(zone=zone)
        self.filters["section"].extra["choices"] = list(
            Industry.objects.filter(level=Industry.Level.SECTION).values_list("section", "name")
        )
        self.filters["enterprise"].queryset = Enterprise.objects.filter(zone=zone).order_by("name")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(meter_no__icontains=value) | search.name_q(value, "enterprise"))

    def filter_protected(self, queryset, name, value):
        return queryset.filter(protected=value == "true") if value else queryset

    def filter_band(self, queryset, name, value):
        return queryset.filter(level__in=levels_of(value)) if value else queryset


class FindingFilter(StyledFilterMixin, django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Finding.Kind.choices, label=_("类型"), empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        choices=FindingStatus.choices, label=_("状态"), empty_label=ALL
    )
    enterprise = django_filters.ModelChoiceFilter(
        queryset=Enterprise.objects.none(), label=_("企业")
    )
    period = django_filters.CharFilter(label=_("报告期"), max_length=7)

    def __init__(self, *args, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["enterprise"].queryset = Enterprise.objects.filter(zone=zone).order_by("name")


class WarningFilter(StyledFilterMixin, django_filters.FilterSet):
    """The warnings by the year they were raised, level and how they ended (summary.ending)."""

    year = django_filters.NumberFilter(
        label=_("年度"), field_name="raised_at__year", min_value=2000, max_value=2100
    )
    level = django_filters.ChoiceFilter(choices=(), label=_("级别"), empty_label=ALL)
    ended = django_filters.ChoiceFilter(
        choices=(), label=_("结果"), empty_label=ALL, method="filter_ended"
    )
    kind = django_filters.ChoiceFilter(
        choices=Kind.choices, label=_("类别"), empty_label=ALL, field_name="account__kind"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["level"].extra["choices"] = [(int(v), n) for v, n in Level.choices if v]
        self.filters["ended"].extra["choices"] = list(summary.ENDING_LABELS.items())

    def filter_ended(self, queryset, name, value):
        after = CutOff.objects.filter(account=OuterRef("account"), at__gte=OuterRef("raised_at"))
        cut = Q(cleared_at__isnull=True, cut_any=True) | Q(
            cleared_at__isnull=False, cut_before=True
        )
        queryset = queryset.annotate(
            cut_any=Exists(after), cut_before=Exists(after.filter(at__lte=OuterRef("cleared_at")))
        )
        if value == "topped_up":
            return queryset.filter(cleared_by__isnull=False)
        rest = queryset.filter(cleared_by__isnull=True)
        if value == "cut_off":
            return rest.filter(cut)
        if value == "open":
            return rest.exclude(cut).filter(cleared_at__isnull=True)
        return rest.exclude(cut).filter(cleared_at__isnull=False)


class CutOffFilter(StyledFilterMixin, django_filters.FilterSet):
    year = django_filters.NumberFilter(
        label=_("年度"), field_name="at__year", min_value=2000, max_value=2100
    )
    surprise = django_filters.BooleanFilter(label=_("未经两级预警(意外停供)"))
    kind = django_filters.ChoiceFilter(
        choices=Kind.choices, label=_("类别"), empty_label=ALL, field_name="account__kind"
    )
