"""The import pages: upload, job progress, summary or errors, marked workbook, template."""

import io
import time

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse

from gaoxin.core.models import AuditRecord
from gaoxin.core.spreadsheets import ERROR_FILL
from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.views import imports
from tests.support.enterprise_import import HEADERS, TEMPLATE_HEADERS, code, counts, row, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def sync(settings):
    settings.IMPORT_SYNC = True


def upload(client, path, **data):
    with path.open("rb") as fh:
        return client.post(reverse("enterprises:import"), {"file": fh, **data})


def job_id_of(response):
    assert response.status_code == 302
    return response.url.rstrip("/").split("/")[-1]


def test_the_import_page_offers_the_form_and_the_template(client, world):
    client.force_login(world.staff)
    response = client.get(reverse("enterprises:import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="file"' in html and 'name="update_existing"' in html
    assert reverse("enterprises:import_template") in html
    assert "按统一社会信用代码更新已有企业" in html and "甲高新技术产业开发区" in html


@pytest.mark.parametrize("role", ["leader", "enterprise", "province"])
def test_who_may_not_add_sees_404_and_writes_nothing(client, world, tmp_path, sync, role):
    client.force_login(world.users[role])
    before = counts()
    assert client.get(reverse("enterprises:import")).status_code == 404
    assert client.get(reverse("enterprises:import_template")).status_code == 404
    assert upload(client, workbook(tmp_path, [row(1)])).status_code == 404
    assert counts() == before


def test_a_good_file_is_imported_and_summarised(client, world, tmp_path, sync):
    client.force_login(world.staff)
    response = upload(client, workbook(tmp_path, [row(1), row(2)], name="名录.xlsx"))
    job_id = job_id_of(response)
    assert response.url == reverse("enterprises:import_job", args=[job_id])

    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "导入完成:共 2 行,新建 2 条,更新 0 条,未变化 0 条。" in html
    assert "名录.xlsx" in html and "hx-trigger" not in html
    assert Enterprise.objects.filter(uscc__in=[code(1), code(2)], zone=world.zone_a).count() == 2
    summary = AuditRecord.objects.get(action="import")
    assert (summary.actor_name, summary.object_repr) == ("staff", "企业批量导入:名录.xlsx")
    assert summary.request_id  # the upload request's id travels into the job
    assert client.get(reverse("enterprises:import_errors", args=[job_id])).status_code == 404


def test_errors_are_listed_and_the_marked_workbook_downloads(client, world, tmp_path, sync):
    client.force_login(world.staff)
    rows = [row(1), row(2, 成立日期="某天", 产业链标签="量子")]
    path = workbook(tmp_path, rows, headers=HEADERS)
    before = counts()
    job_id = job_id_of(upload(client, path, update_existing="on"))
    assert counts() == before

    status = client.get(reverse("enterprises:import_job_status", args=[job_id]))
    html = status.content.decode()
    assert "导入未执行:共 2 处错误,没有写入任何数据。" in html
    assert "无法识别的日期「某天」:请按 2019-11-03 或 2019年11月3日 填写" in html
    assert "标签 量子 未在本园区定义(可选:电子信息)" in html
    assert "hx-trigger" not in html

    download = client.get(reverse("enterprises:import_errors", args=[job_id]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))["企业名录"]
    marked = [
        c.coordinate
        for r in ws.iter_rows()
        for c in r
        if c.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb
    ]
    assert marked == ["E3", "M3"]


def test_only_the_user_who_started_a_job_sees_it(client, world, tmp_path, sync):
    client.force_login(world.staff)
    job_id = job_id_of(upload(client, workbook(tmp_path, [row(1, 成立日期="某天")])))
    client.force_login(world.zone_admin)
    for name in ("import_job", "import_job_status", "import_errors"):
        assert client.get(reverse(f"enterprises:{name}", args=[job_id])).status_code == 404


def test_an_unknown_job_is_404(client, world):
    client.force_login(world.staff)
    url = reverse("enterprises:import_job", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404


def test_a_running_job_polls_and_shows_its_stage(client, world):
    client.force_login(world.staff)
    state = {
        "id": "11111111-1111-1111-1111-111111111111",
        "user_id": world.staff.pk,
        "state": "running",
        "stage": "validate",
        "stage_label": "校验",
        "done": 500,
        "total": 2000,
        "file_name": "x.xlsx",
        "zone_name": "甲高新区",
        "update_existing": False,
    }
    cache.set(imports._cache_key(state["id"]), state)
    html = client.get(reverse("enterprises:import_job_status", args=[state["id"]])).content.decode()
    status_url = reverse("enterprises:import_job_status", args=[state["id"]])
    assert f'hx-get="{status_url}" hx-trigger="every 1s" hx-swap="outerHTML"' in html
    assert "校验:500 / 2000 行" in html and 'aria-valuenow="25"' in html


def test_a_wrong_kind_of_file_is_refused_on_the_form(client, world, tmp_path, sync):
    client.force_login(world.staff)
    path = tmp_path / "报告.pdf"
    path.write_bytes(b"%PDF-1.4")
    response = upload(client, path)
    assert response.status_code == 422
    assert "不支持的文件类型「.pdf」:请上传 .xlsx、.xls 或 .csv 文件" in response.content.decode()


def test_a_broken_workbook_is_an_error_not_a_500(client, world, tmp_path, sync):
    client.force_login(world.staff)
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(b"PK\x03\x04 truncated")
    job_id = job_id_of(upload(client, path))
    html = client.get(reverse("enterprises:import_job", args=[job_id])).content.decode()
    assert "无法读取文件「坏文件.xlsx」:文件可能已损坏、已加密,或不是 Excel 格式" in html
    assert "errors-workbook" not in html


def test_the_template_downloads_with_the_zones_tags(client, world):
    client.force_login(world.zone_admin)
    response = client.get(reverse("enterprises:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["企业名录"][1]] == TEMPLATE_HEADERS
    assert "7. 本园区的产业链标签:电子信息" in [
        r[0] for r in wb["说明"].iter_rows(values_only=True)
    ]


@pytest.mark.django_db(transaction=True)
def test_the_background_thread_runs_the_job(client, world, tmp_path, settings):
    """Without IMPORT_SYNC the job runs in a thread that the page polls until it is done."""
    settings.IMPORT_SYNC = False
    client.force_login(world.staff)
    job_id = job_id_of(upload(client, workbook(tmp_path, [row(1), row(2), row(3)])))
    status_url = reverse("enterprises:import_job_status", args=[job_id])
    deadline = time.monotonic() + 20
    while "hx-trigger" in (html := client.get(status_url).content.decode()):
        assert time.monotonic() < deadline, html
        time.sleep(0.1)
    assert "导入完成:共 3 行,新建 3 条,更新 0 条,未变化 0 条。" in html
    assert Enterprise.objects.filter(uscc__in=[code(1), code(2), code(3)]).count() == 3
