"""The returns and official-figures import pages: upload (with the period), job, errors, template.

The pages live in statistics/views/imports.py; until the lead wires them into statistics/urls.py
this module adds them under the statistics namespace itself (pytest.mark.urls below)."""

import io

import openpyxl
import pytest
from django.urls import include, path, reverse

from gaoxin import urls as root
from gaoxin.core.models import AuditRecord
from gaoxin.core.spreadsheets import ERROR_FILL
from gaoxin.statistics import urls as statistics_urls
from gaoxin.statistics.models import OfficialFigure, Return
from gaoxin.statistics.views import imports
from tests.support.returns_import import HEADERS, row, workbook

urlpatterns = [
    path(
        "statistics/",
        include(([*imports.urlpatterns, *statistics_urls.urlpatterns], "statistics")),
    ),
    *[p for p in root.urlpatterns if getattr(p, "namespace", None) != "statistics"],
]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

RETURNS = "statistics:returns_import"
OFFICIAL = "statistics:official_import"


@pytest.fixture
def sync(settings):
    settings.IMPORT_SYNC = True


def upload(client, path, namespace=RETURNS, **options):
    with path.open("rb") as fh:
        return client.post(reverse(f"{namespace}:import"), {"file": fh, **options})


def job_id_of(response):
    assert response.status_code == 302, response.content.decode()[:800]
    return response.url.rstrip("/").split("/")[-1]


@pytest.mark.parametrize("role", ["admin", "zone_admin", "staff"])
def test_officers_get_the_form_with_the_period_and_the_template(client, world, role):
    client.force_login(world.users[role])
    html = client.get(reverse(f"{RETURNS}:import")).content.decode()
    assert 'name="file"' in html and 'name="period"' in html and 'type="text"' in html
    assert 'type="checkbox" name="update_existing"' in html
    assert reverse(f"{RETURNS}:import_template") in html
    assert "导入月度报表" in html and "<td>工业总产值(万元)</td>" in html
    template = client.get(reverse(f"{RETURNS}:import_template"))
    assert template.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert [c.value for c in book.worksheets[0][1]][:4] == [
        "报告期", "统一社会信用代码", "企业名称", "工业总产值(万元)",
    ]  # fmt: skip


@pytest.mark.parametrize("role", ["leader", "enterprise", "province"])
def test_who_may_not_import_sees_404(client, world, tmp_path, sync, role):
    client.force_login(world.users[role])
    for namespace in (RETURNS, OFFICIAL):
        assert client.get(reverse(f"{namespace}:import")).status_code == 404
        assert client.get(reverse(f"{namespace}:import_template")).status_code == 404
    assert upload(client, workbook(tmp_path, [row(world.a1)])).status_code == 404
    assert not Return.objects.exists()


def test_a_good_file_with_the_period_from_the_form(client, world, tmp_path, sync):
    client.force_login(world.staff)
    path = workbook(tmp_path, [row(world.a1)[1:]], headers=HEADERS[1:])
    job_id = job_id_of(upload(client, path, period="2019年12月"))
    html = client.get(reverse(f"{RETURNS}:import_job", args=[job_id])).content.decode()
    assert "导入完成:共 1 行,新建 1 条,更新 0 条,未变化 0 条。" in html
    assert Return.objects.get().period == 201912
    assert AuditRecord.objects.get(action="import").request_id


def test_a_january_period_is_refused_on_the_form(client, world, tmp_path, sync):
    client.force_login(world.staff)
    response = upload(client, workbook(tmp_path, [row(world.a1)]), period="2019-01")
    assert response.status_code == 422
    assert "1 月免报:1–2 月合并为一期,请填写 2019-02" in response.content.decode()
    assert not Return.objects.exists()


def test_errors_are_listed_and_the_marked_workbook_downloads(client, world, tmp_path, sync):
    client.force_login(world.zone_admin)
    path = workbook(tmp_path, [row(world.a1, "2019-01"), row(world.b1)])
    job_id = job_id_of(upload(client, path))
    html = client.get(reverse(f"{RETURNS}:import_job_status", args=[job_id])).content.decode()
    assert "导入未执行:共 2 处错误,没有写入任何数据。" in html
    assert "1 月免报:1–2 月合并为一期,请填写 2019-02" in html
    download = client.get(reverse(f"{RETURNS}:import_errors", args=[job_id]))
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    marked = [c.coordinate for r in ws.iter_rows() for c in r
              if c.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb]  # fmt: skip
    assert marked == ["A2", "B3"]
    assert not Return.objects.exists()


def test_official_figures_upload(client, world, tmp_path, sync):
    client.force_login(world.staff)
    path = workbook(
        tmp_path, [["2019-12", "规上工业增加值", "76亿", "10.4", "统计局", ""]],
        headers=["报告期", "指标", "数值", "同比增长(%)", "数据来源", "来源说明"], name="官方.xlsx",
    )  # fmt: skip
    job_id = job_id_of(upload(client, path, OFFICIAL))
    html = client.get(reverse(f"{OFFICIAL}:import_job", args=[job_id])).content.decode()
    assert "导入完成:共 1 行,新建 1 条" in html
    assert OfficialFigure.objects.get().source == "statistics"
    # a returns job is not an official-figures job
    assert client.get(reverse(f"{RETURNS}:import_job", args=[job_id])).status_code == 404
