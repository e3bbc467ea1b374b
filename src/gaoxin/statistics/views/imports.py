"""Importing monthly returns and official figures; core/views/imports.py does the work: upload →
a background job with progress → the summary or every error (and the upload with its bad cells
marked); the template download. Jobs live in MEDIA_ROOT/imports/returns|official/<uuid>/.
Officers who may add returns (or official figures) to their zone reach these pages; everyone
else gets 404.

URL names (nested namespaces, because core's pages use the fixed names import, import_template,
import_job, import_job_status and import_errors): statistics:returns_import:<name> and
statistics:official_import:<name>.
"""

from django import forms
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from gaoxin.core.periods import Period
from gaoxin.core.spreadsheets.jobs import JobStore
from gaoxin.core.views import imports as core

from ..importers import (
    import_official,
    import_returns,
    official_columns,
    return_columns,
    write_official_template,
    write_returns_template,
)
from ..models import OfficialFigure, Return


class ReturnsImportForm(core.ImportForm):
    file = forms.FileField(label=_("月度报表文件"))
    period = forms.CharField(
        label=_("报告期"),
        required=False,
        max_length=20,
        help_text=_("如 2019-12;表中有「报告期」列时可不填,填写后表中各行须是该报告期"),
    )
    update_existing = forms.BooleanField(
        label=_("作为修订更新已审核通过的报表"),
        required=False,
        help_text=_("不勾选时,已审核通过的报表不被覆盖(该行报错);勾选后按修订重新报送,保留历史"),
    )

    def clean_period(self):
        value = (self.cleaned_data.get("period") or "").strip()
        if not value:
            return ""
        return str(Period.parse(value))


class OfficialImportForm(core.ImportForm):
    file = forms.FileField(label=_("官方数据文件"))


RETURNS = core.ImportTarget(
    namespace="statistics:returns_import",
    model=Return,
    run=import_returns,
    columns=return_columns,
    write_template=write_returns_template,
    jobs=JobStore(
        prefix="gaoxin:returns-import-job", folder="imports/returns", name="returns-import"
    ),
    form=ReturnsImportForm,
    title=_("导入月度报表"),
    list_url="statistics:returns",
    list_label=_("月度报表"),
    crumb=_("导入报表"),
    view_list=_("查看月度报表"),
    template_file=_("月度报表导入模板"),
    rules=(
        _(
            "每行是一家企业一个报告期;统一社会信用代码须是本园区企业库中的企业,填写企业名称的须与企业库一致。"
        ),
        _(
            "报告期写 2019-12、2019年12月 或 2019年1-12月;1 月免报(1–2 月合并为 2 月一期),不能导入未来月份。"
        ),
        _(
            "指标的计量单位写在表头括号里,如 工业总产值(万元)、工业用电量(万千瓦时);表头单位与系统不符时整表不导入,系统不会自动换算。"
        ),
        _(
            "导入的报表直接进入「已报送」,并按审核规则检查;发现的问题列入审核发现,错误须企业更正后才能审核通过。"
        ),
        _(
            "草稿、已报送和已退回的报表按表中内容覆盖;已审核通过的报表只在勾选「作为修订」时更新,历史版本保留。"
        ),
        _("数值可写 1.2亿、3,000、全角数字,多余空格会自动去掉;空白表示未填报。"),
    ),  # fmt: skip
)
OFFICIAL = core.ImportTarget(
    namespace="statistics:official_import",
    model=OfficialFigure,
    run=import_official,
    columns=official_columns,
    write_template=write_official_template,
    jobs=JobStore(
        prefix="gaoxin:official-import-job", folder="imports/official", name="official-import"
    ),
    form=OfficialImportForm,
    title=_("导入官方数据"),
    list_url="statistics:official",
    list_label=_("官方数据"),
    crumb=_("导入官方数据"),
    view_list=_("查看官方数据"),
    template_file=_("官方数据导入模板"),
    rules=(
        _("每行是一个指标一个报告期,指标填代码或名称;数值和同比增长至少填写一项。"),
        _("同一指标同一报告期已有数据的按表中内容更新,每次更新都记入审计记录。"),
        _("数据来源填 统计局、税务局、供电公司、科技局 或 其他;官方数据与平台计算的数据分开标注。"),
    ),  # fmt: skip
)


urlpatterns = [
    path("returns/import/", include((core.import_urlpatterns(RETURNS), "returns_import"))),
    path("official/import/", include((core.import_urlpatterns(OFFICIAL), "official_import"))),
]
