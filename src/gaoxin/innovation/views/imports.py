"""Importing the innovation records; core/views/imports.py does the work: upload → a background
job with progress → the summary or every error (and the upload with its bad cells marked); the
template download. Officers who may add the records (admins and staff) reach these pages;
everyone else gets 404.

URL names (nested namespaces, because core's pages use the fixed names import, import_template,
import_job, import_job_status and import_errors): innovation:<kind>_import:<name> for the kinds
hightech (the published list of certified enterprises), patents, platforms and talents; and
innovation:imports, the page that lists them.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from gaoxin.core.models.access import ADD
from gaoxin.core.pages import zone_for
from gaoxin.core.spreadsheets.jobs import JobStore
from gaoxin.core.views import imports as core

from .. import importers
from ..models import Certification


def _target(spec, key, *, list_url, list_label, rules=()):
    return core.ImportTarget(
        namespace=f"innovation:{key}_import",
        model=spec.model,
        run=importers.runner(spec),
        columns=spec.columns,
        write_template=importers.template_writer(spec),
        jobs=JobStore(
            prefix=f"gaoxin:innovation-{key}-import-job",
            folder=f"imports/innovation-{key}",
            name=f"innovation-{key}-import",
        ),
        title=_("导入") + spec.what,
        list_url=list_url,
        list_label=list_label,
        crumb=_("导入") + spec.what,
        view_list=_("查看") + list_label,
        template_file=spec.what + _("导入模板"),
        rules=(
            _("企业按统一社会信用代码匹配;未填代码的按名称精确匹配本园区企业库,找不到的行报错并写明名称。"),
            *rules,
            _("导入要么全部成功,要么一条也不写入;每一行都按页面登记的同样规则校验。"),
        ),
        nav="innovation/_nav.html",
        nav_tab="imports",
    )  # fmt: skip


HIGHTECH = _target(
    importers.CERTIFICATES, "hightech", list_url="innovation:certifications",
    list_label=_("资质认定"),
    rules=(_("每行是一张已认定的高新技术企业证书,证书编号须为 GR + 年份 + 省份代码 + 序号。"),),
)  # fmt: skip
PATENTS = _target(
    importers.PATENTS, "patents", list_url="innovation:patents", list_label=_("专利"),
    rules=(_("申请号可带 ZL 前缀;校验位错误的行会写明正确的校验位。"),),
)  # fmt: skip
PLATFORMS = _target(
    importers.PLATFORMS, "platforms", list_url="innovation:platforms", list_label=_("创新平台"),
    rules=(_("每行一个创新平台;同一企业同一级别的平台名称不能重复。"),),
)  # fmt: skip
TALENTS = _target(
    importers.TALENTS, "talents", list_url="innovation:talents", list_label=_("科技人才"),
    rules=(_("每行一位入选人才计划的人才;同一人同一计划同一年度只登记一次。"),),
)  # fmt: skip
TARGETS = {"hightech": HIGHTECH, "patents": PATENTS, "platforms": PLATFORMS, "talents": TALENTS}


@login_required
def imports(request):
    """The imports this person may run, each with its template."""
    zone_for(request, Certification, ADD)  # 404 unless they may add records
    return render(
        request,
        "innovation/records/imports.html",
        {
            "nav": "imports",
            "can_import": True,
            "targets": [
                {
                    "key": key,
                    "title": t.title,
                    "rule": t.rules[1],
                    "import_url": t.url("import"),
                    "template_url": t.url("import_template"),
                }
                for key, t in TARGETS.items()
            ],
        },
    )


urlpatterns = [
    path("imports/", imports, name="imports"),
    *(
        path(f"imports/{key}/", include((core.import_urlpatterns(target), f"{key}_import")))
        for key, target in TARGETS.items()
    ),
]
