import django_tables2 as tables
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from gaoxin.core.money import plain_number

from .models import Enterprise


class EnterpriseTable(tables.Table):
    name = tables.LinkColumn(
        "enterprises:detail", args=[tables.A("pk")], verbose_name=_("企业名称")
    )
    industry = tables.Column(verbose_name=_("行业"), order_by=("industry_id",))
    tags = tables.Column(verbose_name=_("产业链"), orderable=False, empty_values=())
    above_scale = tables.BooleanColumn(verbose_name=_("规上"))
    high_tech = tables.BooleanColumn(verbose_name=_("高新"))
    zone = tables.Column(verbose_name=_("园区"))
    registered_capital = tables.Column(
        verbose_name=_("注册资本(万元)"), attrs={"td": {"class": "text-end"}}
    )
    established_on = tables.DateColumn(format="Y-m-d", verbose_name=_("成立日期"))

    def render_tags(self, record):
        return format_html_join(
            "",
            "<span class='badge text-bg-light'>{}</span> ",
            ((t.name,) for t in record.tags.all()),
        )

    def render_registered_capital(self, value):
        return plain_number(value)

    class Meta:
        model = Enterprise
        fields = (
            "name",
            "uscc",
            "industry",
            "status",
            "scale",
            "above_scale",
            "high_tech",
            "tags",
            "registered_capital",
            "established_on",
            "zone",
        )
        attrs = {"class": "table table-sm table-hover align-middle", "id": "enterprise-table"}
        empty_text = _("没有符合条件的企业")
