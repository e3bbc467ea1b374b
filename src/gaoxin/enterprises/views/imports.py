"""The enterprise import pages (core/views/imports.py does the work): upload → a background job
with progress → the summary or every error (and the upload with its bad cells marked); the
template download. Jobs live in MEDIA_ROOT/imports/<uuid>/."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.spreadsheets.jobs import JobStore
from gaoxin.core.views import imports as core

from ..importers import enterprise_columns, import_enterprises, write_enterprise_template
from ..models import Enterprise


class ImportForm(core.ImportForm):
    update_existing = forms.BooleanField(
        label=_("按统一社会信用代码更新已有企业"),
        required=False,
        help_text=_(
            "勾选后,本园区已登记的企业按表中内容更新,空白单元格保留原值;不勾选时,已登记的企业算作错误。"
        ),
    )


TARGET = core.ImportTarget(
    namespace="enterprises",
    model=Enterprise,
    run=import_enterprises,
    columns=enterprise_columns,
    write_template=write_enterprise_template,
    jobs=JobStore(prefix="gaoxin:import-job", folder="imports", name="import"),
    form=ImportForm,
    title=_("批量导入企业"),
    list_url="enterprises:list",
    list_label=_("企业库"),
    crumb=_("批量导入"),
    view_list=_("查看企业库"),
    template_file=_("企业导入模板"),
    rules=(
        _("金额单位为万元,可写 1.2亿、500万;日期可写 2019-11-03、2019年11月3日、2019.11.3。"),
        _("全角数字、字母和多余空格会自动规范;表头可以有标题行,列的顺序不限。"),
    ),
)
_cache_key = TARGET.jobs.cache_key  # tests seed a job's state in the cache through it

urlpatterns = core.import_urlpatterns(TARGET)  # mounted at enterprises/import/
