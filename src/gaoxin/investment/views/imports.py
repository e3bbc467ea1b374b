"""Importing the project ledger (招商台账); core/views/imports.py does the work: upload → a
background job with progress → the summary or every error (and the upload with its bad cells
marked); the template download. Jobs live in MEDIA_ROOT/imports/projects/<uuid>/. Zone admins
and staff (who may add projects) reach these pages; everyone else gets 404.
"""

from django import forms
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from gaoxin.core.spreadsheets.jobs import JobStore
from gaoxin.core.views import imports as core

from ..importers import import_projects, project_columns, write_project_template
from ..models import Project


class ImportForm(core.ImportForm):
    file = forms.FileField(label=_("招商台账文件"))


TARGET = core.ImportTarget(
    namespace="investment",
    model=Project,
    run=import_projects,
    columns=project_columns,
    write_template=write_project_template,
    jobs=JobStore(
        prefix="gaoxin:project-import-job", folder="imports/projects", name="project-import"
    ),
    form=ImportForm,
    title=_("导入招商台账"),
    list_url="investment:projects",
    list_label=_("项目台账"),
    crumb=_("导入台账"),
    view_list=_("查看项目台账"),
    template_file=_("招商台账导入模板"),
    rules=(
        _(
            "每行一个项目,至少填写一个阶段日期;系统按日期依次登记线索、考察、洽谈、签约、开工、投产,规则与项目页面相同:开工须已签约,投产须已开工,日期不能晚于今天,也不能早于前一阶段。"
        ),
        _("暂缓或终止须填写日期和原因;投资承诺各列只对已签约的项目填写。"),
        _("项目名称不能与文件中其他行或本园区已有项目重复,避免重复导入。"),
        _("部门工作人员只能导入本部门负责的项目。"),
        _(
            "金额单位为万元,可写 1.2亿、500万;日期可写 2019-03-05、2019年3月5日、2019.3.5;全角数字和多余空格会自动规范。"
        ),
    ),
    nav="investment/_nav.html",
    nav_tab="projects",
)
_cache_key = TARGET.jobs.cache_key  # tests seed a job's state in the cache through it


# investment:import, investment:import_template, investment:import_job, … as before
urlpatterns = [path("import/", include(core.import_urlpatterns(TARGET)))]
