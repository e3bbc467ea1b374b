"""One FilterSet serves the project list page, the API, the export and the cockpit's
click-through: a cockpit figure links to the list with the same filter that counted it."""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gaoxin.core import clock
from gaoxin.core.forms import DateInput, StyledFilterMixin
from gaoxin.core.models import Department, Tag
from gaoxin.enterprises.filters import YesNoAny

from . import delivery
from .models import MILESTONE_FIELD, PIPELINE, Category, Project, Stage


class Size:
    LARGE = "large"
    CLASS_5020 = "5020"
    CHOICES = [(LARGE, _("亿元以上")), (CLASS_5020, _("5020 项目"))]


class ProjectFilter(StyledFilterMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("项目或投资方"))
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("当前阶段"))
    category = django_filters.MultipleChoiceFilter(choices=Category.choices, label=_("项目类别"))
    department = django_filters.ModelMultipleChoiceFilter(
        queryset=Department.objects.none(),
        label=_("责任部门"),
        null_label=_("未指定部门"),  # department=null: the cockpit's 未指定部门 row clicks through
    )
    chain = django_filters.ModelMultipleChoiceFilter(queryset=Tag.objects.none(), label=_("产业链"))
    channel = django_filters.ModelMultipleChoiceFilter(
        queryset=Tag.objects.none(), label=_("招商渠道")
    )
    size = django_filters.ChoiceFilter(
        choices=Size.CHOICES, method="filter_size", label=_("规模"), empty_label=_("全部")
    )
    reached = django_filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in PIPELINE],
        method="filter_reached",
        label=_("期间内到达阶段"),
        empty_label=_("不限"),
    )
    start = django_filters.DateFilter(method="filter_noop", label=_("开始日期"), widget=DateInput)
    end = django_filters.DateFilter(method="filter_noop", label=_("结束日期"), widget=DateInput)
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label=_("承诺逾期"), widget=YesNoAny
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("planned_investment", "planned_investment"),
            ("stage_on", "stage_on"),
            ("signed_on", "signed_on"),
            ("started_on", "started_on"),
            ("production_on", "production_on"),
            ("updated_at", "updated_at"),
        ),
        label=_("排序"),
    )

    picker_fields = ("stage", "category", "department", "chain", "channel")

    class Meta:
        model = Project
        fields = ["q", "stage", "category", "department", "chain", "channel"]

    def __init__(self, data=None, queryset=None, *, zone=None, thresholds=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.zone, self.thresholds = zone, thresholds
        tags = Tag.objects.filter(zone=zone) if zone is not None else Tag.objects.all()
        self.filters["chain"].queryset = tags.filter(category=Tag.Category.INDUSTRY_CHAIN)
        self.filters["channel"].queryset = tags.filter(category=Tag.Category.SOURCE_CHANNEL)
        departments = Department.objects.filter(zone=zone) if zone else Department.objects.all()
        self.filters["department"].queryset = departments

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(investor_name__icontains=value))

    def filter_noop(self, queryset, name, value):
        return queryset  # start and end are read by `reached`

    def filter_reached(self, queryset, name, value):
        field = MILESTONE_FIELD[Stage(value)]
        start, end = self.form.cleaned_data.get("start"), self.form.cleaned_data.get("end")
        queryset = queryset.filter(**{f"{field}__isnull": False})
        if start:
            queryset = queryset.filter(**{f"{field}__gte": start})
        if end:
            queryset = queryset.filter(**{f"{field}__lte": end})
        return queryset

    def filter_size(self, queryset, name, value):
        if self.thresholds is None:
            raise ValidationError(_("按规模筛选需要先选择园区"))
        threshold = self.thresholds.large if value == Size.LARGE else self.thresholds.class_5020
        return queryset.filter(planned_investment__gte=threshold)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return delivery.with_overdue(queryset, clock.today(), overdue=value)
