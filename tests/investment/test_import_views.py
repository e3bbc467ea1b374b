"""The ledger import pages: upload, job progress, summary or errors, marked workbook, template."""

import io
import time

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse

from gaoxin.core.models import AuditRecord
from gaoxin.core.spreadsheets import ERROR_FILL
from gaoxin.investment.models import Project
from gaoxin.investment.views import imports
from tests.support.ledger_import import HEADERS, counts, row, workbook

pytestmark = pytest.mark.django_db

URLS = ("import", "import_template")


@pytest.fixture
def sync(settings):
    settings.IMPORT_SYNC = True


def upload(client, path):
    with path.open("rb") as fh:
        return client.post(reverse("investment:import"), {"file": fh})


def job_id_of(response):
    assert response.status_code == 302, response.content.decode()[:500]
    return response.url.rstrip("/").split("/")[-1]


@pytest.mark.parametrize("role", ["admin", "zone_admin", "staff"])
def test_admins_and_staff_get_the_form_and_the_template_link(client, world, role):
    client.force_login(world.users[role])
    response = client.get(reverse("investment:import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="file"' in html and 'enctype="multipart/form-data"' in html
    assert reverse("investment:import_template") in html
    assert "导入招商台账" in html and "甲高新技术产业开发区" in html
    assert 'id="investment-nav"' in html
    for header in ("项目名称", "暂缓/终止原因", "承诺用工(人)"):
        assert f"<td>{header}</td>" in html


@pytest.mark.parametrize("role", ["leader", "enterprise", "province"])
def test_who_may_not_add_projects_sees_404_and_writes_nothing(client, world, tmp_path, sync, role):
    client.force_login(world.users[role])
    before = counts()
    for name in URLS:
        assert client.get(reverse(f"investment:{name}")).status_code == 404
    assert upload(client, workbook(tmp_path, [row(1)])).status_code == 404
    assert counts() == before
    assert not AuditRecord.objects.filter(action="import_rejected").exists()


def test_anonymous_is_sent_to_login(client, world):
    for name in URLS:
        response = client.get(reverse(f"investment:{name}"))
        assert response.status_code == 302 and "login" in response.url


@pytest.mark.parametrize("role", ["zone_admin", "staff"])
def test_a_good_file_is_imported_and_summarised(client, world, tmp_path, sync, role):
    client.force_login(world.users[role])
    path = workbook(tmp_path, [row(1), row(2, 签约日期="2019-02-01")], name="台账2019.xlsx")
    response = upload(client, path)
    job_id = job_id_of(response)
    assert response.url == reverse("investment:import_job", args=[job_id])
    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "导入完成:共 2 行,新建 2 条,更新 0 条,未变化 0 条。" in html
    assert "台账2019.xlsx" in html and "hx-trigger" not in html
    assert reverse("investment:projects") in html
    projects = Project.objects.filter(zone=world.zone_a).order_by("name")
    assert [(p.name, p.stage) for p in projects] == [("测试项目1", "lead"), ("测试项目2", "signed")]
    summary = AuditRecord.objects.get(action="import")
    assert (summary.actor_name, summary.object_repr) == (role, "招商项目批量导入:台账2019.xlsx")
    assert summary.request_id  # the upload request's id travels into the job
    assert client.get(reverse("investment:import_errors", args=[job_id])).status_code == 404


def test_errors_are_listed_and_the_marked_workbook_downloads(client, world, tmp_path, sync):
    client.force_login(world.zone_admin)
    rows = [row(1), row(2, 签约日期=None, 开工日期="2019-05-01"), row(3, 产业链="量子")]
    before = counts()
    job_id = job_id_of(upload(client, workbook(tmp_path, rows, headers=HEADERS)))
    assert counts() == before

    html = client.get(reverse("investment:import_job_status", args=[job_id])).content.decode()
    assert "导入未执行:共 2 处错误,没有写入任何数据。" in html
    assert "「开工」只能从「签约」推进(当前为「线索」),请先登记签约" in html
    assert "本园区没有产业链「量子」(可选:电子信息)" in html
    assert "hx-trigger" not in html and 'id="errors-workbook"' in html

    download = client.get(reverse("investment:import_errors", args=[job_id]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))["招商台账"]
    marked = [
        c.coordinate
        for r in ws.iter_rows()
        for c in r
        if c.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb
    ]
    started = openpyxl.utils.get_column_letter(HEADERS.index("开工日期") + 1)
    chain = openpyxl.utils.get_column_letter(HEADERS.index("产业链") + 1)
    assert marked == [f"{started}3", f"{chain}4"]


def test_staff_importing_another_departments_project_is_refused(client, world, tmp_path, sync):
    from tests.factories import DepartmentFactory

    DepartmentFactory(zone=world.zone_a, name="招商二局")
    client.force_login(world.staff)
    job_id = job_id_of(upload(client, workbook(tmp_path, [row(1, 责任部门="招商二局")])))
    html = client.get(reverse("investment:import_job", args=[job_id])).content.decode()
    assert "只能登记或修改本部门负责的项目(您的部门:经济发展局)" in html
    assert not Project.objects.exists()


def test_only_the_user_who_started_a_job_sees_it(client, world, tmp_path, sync):
    client.force_login(world.staff)
    job_id = job_id_of(upload(client, workbook(tmp_path, [row(1, 线索日期="某天")])))
    client.force_login(world.zone_admin)
    for name in ("import_job", "import_job_status", "import_errors"):
        assert client.get(reverse(f"investment:{name}", args=[job_id])).status_code == 404
    # nor is a project job one of the enterprise import's
    client.force_login(world.staff)
    assert client.get(reverse("enterprises:import_job", args=[job_id])).status_code == 404


def test_an_unknown_job_is_404(client, world):
    client.force_login(world.staff)
    url = reverse("investment:import_job", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(url).status_code == 404


def test_a_running_job_polls_and_shows_its_stage(client, world):
    client.force_login(world.staff)
    state = {
        "id": "11111111-1111-1111-1111-111111111111",
        "user_id": world.staff.pk,
        "state": "running",
        "stage": "validate",
        "stage_label": "校验",
        "done": 1250,
        "total": 5000,
        "file_name": "x.xlsx",
        "zone_name": "甲高新区",
    }
    cache.set(imports._cache_key(state["id"]), state)
    status_url = reverse("investment:import_job_status", args=[state["id"]])
    html = client.get(status_url).content.decode()
    assert f'hx-get="{status_url}" hx-trigger="every 1s" hx-swap="outerHTML"' in html
    assert "校验:1250 / 5000 行" in html and 'aria-valuenow="25"' in html


def test_a_wrong_kind_of_file_is_refused_on_the_form(client, world, tmp_path, sync):
    client.force_login(world.staff)
    path = tmp_path / "台账.pdf"
    path.write_bytes(b"%PDF-1.4")
    response = upload(client, path)
    assert response.status_code == 422
    assert "不支持的文件类型「.pdf」:请上传 .xlsx、.xls 或 .csv 文件" in response.content.decode()


def test_a_file_over_the_limit_is_refused_on_the_form(client, world, tmp_path, sync, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(world.staff)
    path = tmp_path / "大.csv"
    path.write_bytes(b"x" * (1024 * 1024 + 1))
    response = upload(client, path)
    assert response.status_code == 422
    assert "文件过大(1.0 MB),上限为 1 MB" in response.content.decode()


def test_a_broken_workbook_is_an_error_not_a_500(client, world, tmp_path, sync):
    client.force_login(world.staff)
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(b"PK\x03\x04 truncated")
    html = client.get(reverse("investment:import_job", args=[job_id_of(upload(client, path))]))
    html = html.content.decode()
    assert "无法读取文件「坏文件.xlsx」:文件可能已损坏、已加密,或不是 Excel 格式" in html
    assert "errors-workbook" not in html
    assert not Project.objects.exists()


def test_an_empty_file_is_refused_on_the_form(client, world, tmp_path, sync):
    client.force_login(world.staff)
    path = tmp_path / "空.xlsx"
    path.write_bytes(b"")
    response = upload(client, path)
    assert response.status_code == 422
    assert "所提交的是空文件。" in response.content.decode()


def test_a_missing_required_header_is_explained(client, world, tmp_path, sync):
    client.force_login(world.staff)
    path = workbook(tmp_path, [row(1)], headers=["项目名称", "线索日期"])
    html = client.get(reverse("investment:import_job", args=[job_id_of(upload(client, path))]))
    assert "缺少必填列:投资方、计划总投资(万元)(表头在第 1 行)" in html.content.decode()


def test_the_template_downloads_with_the_zones_lists(client, world):
    client.force_login(world.zone_admin)
    response = client.get(reverse("investment:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in wb["招商台账"][1]]
    assert headers[:8] == HEADERS[:8]
    assert "本园区的产业链:电子信息" in [r[0] for r in wb["说明"].iter_rows(values_only=True)]
    choices = {dv.formula1 for dv in wb["招商台账"].data_validations.dataValidation}
    assert '"工业,服务业,农业,基础设施"' in choices and '"暂缓,终止"' in choices


@pytest.mark.django_db(transaction=True)
def test_the_background_thread_runs_the_job(client, world, tmp_path, settings):
    """Without IMPORT_SYNC the job runs in a thread that the page polls until it is done."""
    settings.IMPORT_SYNC = False
    client.force_login(world.staff)
    job_id = job_id_of(upload(client, workbook(tmp_path, [row(1), row(2), row(3)])))
    status_url = reverse("investment:import_job_status", args=[job_id])
    deadline = time.monotonic() + 20
    while "hx-trigger" in (html := client.get(status_url).content.decode()):
        assert time.monotonic() < deadline, html
        time.sleep(0.1)
    assert "导入完成:共 3 行,新建 3 条,更新 0 条,未变化 0 条。" in html
    assert Project.objects.filter(zone=world.zone_a).count() == 3
