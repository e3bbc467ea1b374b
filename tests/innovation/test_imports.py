"""The innovation imports, all or nothing, with real .xlsx files written by openpyxl: the
published list of certified high-tech enterprises, patent lists, platforms and talents; every
error as (row, column, value, reason); hostile and broken files answered with a message."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from gaoxin.core import modules
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.innovation import importers, services
from gaoxin.innovation.models import Certification, Patent, Platform, Talent
from tests.support.spreadsheets import errors, write_workbook

pytestmark = pytest.mark.django_db
D = datetime.date
CERT_HEADERS = ["序号", "企业名称", "证书编号", "发证时间", "统一社会信用代码", "技术领域"]
PATENT_HEADERS = ["申请号", "专利名称", "专利类型", "申请日", "授权公告日", "法律状态",
                  "申请(专利权)人"]  # fmt: skip


def counts():
    return tuple(m.objects.count() for m in (Certification, Patent, Platform, Talent))


class TestCertificates:
    def test_good_file_commits_every_row(self, world, tmp_path):
        path = write_workbook(tmp_path / "名单.xlsx", CERT_HEADERS, [
            [1, "任意名称", "GR201936000123", "2019-11-28", world.a1.uscc, "电子信息"],
            [2, " 甲二纺织有限公司 ", "GR201936000456", "2019年11月28日", None, "新材料技术"],
        ])  # fmt: skip
        result = importers.import_certificates(world.staff, world.zone_a, path)
        assert errors(result) == []
        assert (result.rows, result.created, result.updated) == (2, 2, 0)
        first = Certification.objects.get(number="GR201936000123")
        assert (first.enterprise, first.kind, first.status, first.field, first.source) == (
            world.a1,
            "hightech",
            "certified",
            "electronics",
            "imported",
        )
        assert first.expires_on == D(2022, 11, 27)
        second = Certification.objects.get(number="GR201936000456")
        assert second.enterprise == world.a2 and second.issued_on == D(2019, 11, 28)
        assert second.field == "materials"
        assert AuditRecord.objects.filter(action=AuditRecord.Action.IMPORT).count() == 1

    def test_the_list_certifies_the_applicants(self, world, tmp_path):
        """The published list has no field: an applied record becomes the certificate and keeps
        its field; an enterprise without one is asked for it."""
        applied = services.add_certification(
            world.staff, world.zone_a, enterprise=world.a2, kind="hightech", status="applied",
            field="materials", applied_on=D(2019, 6, 1),
        )  # fmt: skip
        rows = [[1, "甲二纺织有限公司", "GR201936000456", "2019-11-28"],
                [2, "甲一电子科技有限公司", "GR201936000123", "2019-11-28"]]  # fmt: skip
        path = write_workbook(tmp_path / "名单.xlsx", CERT_HEADERS[:4], rows)
        result = importers.import_certificates(world.staff, world.zone_a, path)
        assert errors(result) == [(3, "", "", "已认定的高新技术企业须选择技术领域")]
        applied.refresh_from_db()
        assert (applied.status, applied.number) == ("applied", "")
        path = write_workbook(tmp_path / "名单2.xlsx", CERT_HEADERS[:4], rows[:1])
        result = importers.import_certificates(world.staff, world.zone_a, path)
        assert (result.created, result.updated) == (0, 1)
        applied.refresh_from_db()
        assert (applied.status, applied.number, applied.field, applied.expires_on) == (
            "certified",
            "GR201936000456",
            "materials",
            D(2022, 11, 27),
        )

    def test_one_bad_row_writes_nothing_and_every_error_is_reported(self, world, tmp_path):
        path = write_workbook(tmp_path / "名单.xlsx", CERT_HEADERS, [
            [1, "甲一电子科技有限公司", "GR201936000123", "2019-11-28", None, "电子信息"],
            [2, "不存在的公司", "GR201936000456", "2019-11-28", None, None],
            [3, "甲二纺织有限公司", "GX2019", "2019-11-28", None, "电子信息"],
            [4, "甲二纺织有限公司", "GR201936000789", "2019-13-45", None, "火星技术"],
            [5, "某公司", "GR201936000111", "2019-11-28", "91360100MA35XXXXXX", None],
        ])  # fmt: skip
        before = counts()
        result = importers.import_certificates(world.staff, world.zone_a, path)
        got = errors(result)
        assert [(r, c) for r, c, _v, _why in got] == [
            (3, "企业名称"), (4, "证书编号"), (5, "发证时间"), (5, "技术领域"),
            (6, "统一社会信用代码"),
        ]  # fmt: skip
        assert got[0][2] == "不存在的公司" and "「不存在的公司」" in got[0][3]
        assert "GR" in got[1][3]
        assert "91360100MA35XXXXXX" in got[4][3]
        assert counts() == before and result.created == 0
        assert not AuditRecord.objects.filter(action=AuditRecord.Action.CREATE).exists()
        rejected = AuditRecord.objects.get(action=AuditRecord.Action.IMPORT_REJECTED)
        assert rejected.after["error_count"] == 5

    def test_a_number_twice_in_the_file(self, world, tmp_path):
        path = write_workbook(tmp_path / "名单.xlsx", CERT_HEADERS, [
            [1, "甲一电子科技有限公司", "GR201936000123", "2019-11-28", None, "电子信息"],
            [2, "甲二纺织有限公司", "GR201936000123", "2019-11-28", None, "电子信息"],
        ])  # fmt: skip
        result = importers.import_certificates(world.staff, world.zone_a, path)
        assert [(r, c) for r, c, _v, _w in errors(result)] == [(3, "证书编号")]
        assert Certification.objects.count() == 0

    def test_only_those_who_may_add(self, world, tmp_path):
        path = write_workbook(tmp_path / "名单.xlsx", CERT_HEADERS, [
            [1, "甲一电子科技有限公司", "GR201936000123", "2019-11-28"],
        ])  # fmt: skip
        for user in (world.leader, world.enterprise, world.province):
            with pytest.raises(Forbidden):
                importers.import_certificates(user, world.zone_a, path)
        assert Certification.objects.count() == 0


class TestPatents:
    def test_zl_accepted_and_wrong_check_digit_named(self, world, tmp_path):
        rows = [
            ["ZL201710601862.3", "一种显示模组", "发明专利", "2017-07-01", "2019-05-01", "有效",
             "甲一电子科技有限公司;南昌大学"],
            ["201710601862.4", "另一种显示模组", None, "2017-07-01", None, "实质审查",
             "甲二纺织有限公司"],
        ]  # fmt: skip
        path = write_workbook(tmp_path / "专利.xlsx", PATENT_HEADERS, rows)
        result = importers.import_patents(world.staff, world.zone_a, path)
        assert errors(result) == [(3, "申请号", "201710601862.4", "专利申请号校验位错误:应为 3")]
        assert Patent.objects.count() == 0
        path = write_workbook(tmp_path / "专利2.xlsx", PATENT_HEADERS, rows[:1])
        result = importers.import_patents(world.staff, world.zone_a, path)
        assert errors(result) == [] and result.created == 1
        patent = Patent.objects.get()
        assert (patent.number, patent.kind, patent.status, patent.enterprise, patent.source) == (
            "201710601862.3",
            "invention",
            "granted",
            world.a1,
            "imported",
        )

    def test_unknown_owner_names_the_names(self, world, tmp_path):
        path = write_workbook(tmp_path / "专利.xlsx", PATENT_HEADERS, [
            ["201710601862.3", "一种显示模组", None, "2017-07-01", None, None,
             "南昌大学、某研究院"],
        ])  # fmt: skip
        result = importers.import_patents(world.staff, world.zone_a, path)
        why = "本园区企业库中没有名为「南昌大学、某研究院」的企业,请核对企业名称"
        assert errors(result) == [(2, "申请(专利权)人", "南昌大学、某研究院", why)]


class TestPlatformsAndTalents:
    def test_platforms(self, world, tmp_path):
        headers = ["平台名称", "类型", "级别", "依托企业", "认定日期"]
        path = write_workbook(tmp_path / "平台.xlsx", headers, [
            ["江西省柔性显示工程技术研究中心", "工程技术研究中心", "省级", "甲一电子科技有限公司",
             "2019-06-01"],
            ["博士后科研工作站", "博士后科研工作站", "国家", "甲二纺织有限公司", "2019.8.1"],
        ])  # fmt: skip
        result = importers.import_platforms(world.staff, world.zone_a, path)
        assert errors(result) == [] and result.created == 2
        assert set(Platform.objects.values_list("kind", "level", "source")) == {
            ("engineering_center", "provincial", "imported"),
            ("postdoctoral", "national", "imported"),
        }

    def test_talents_all_or_nothing(self, world, tmp_path):
        headers = ["姓名", "人才计划", "级别", "入选年度", "工作单位"]
        path = write_workbook(tmp_path / "人才.xlsx", headers, [
            ["张三", "双千计划", "省级", "2019年", "甲一电子科技有限公司"],
            ["李四", "双千计划", "县级", 2019, "甲一电子科技有限公司"],
            ["王五", "双千计划", "省级", "去年", "甲一电子科技有限公司"],
        ])  # fmt: skip
        result = importers.import_talents(world.staff, world.zone_a, path)
        assert [(r, c) for r, c, _v, _w in errors(result)] == [(3, "级别"), (4, "入选年度")]
        assert Talent.objects.count() == 0
        path = write_workbook(tmp_path / "人才2.xlsx", headers, [
            ["张三", "双千计划", "省级", "2019年", "甲一电子科技有限公司"],
        ])  # fmt: skip
        assert importers.import_talents(world.staff, world.zone_a, path).created == 1
        assert Talent.objects.get().year == 2019


class TestBrokenFiles:
    @pytest.mark.parametrize(
        "content",
        [b"", b"not a spreadsheet at all", b"PK\x03\x04" + b"\x00" * 100],
    )
    def test_broken_file_gives_a_message(self, world, tmp_path, content):
        path = tmp_path / "坏文件.xlsx"
        path.write_bytes(content)
        result = importers.import_patents(world.staff, world.zone_a, path)
        assert not result.ok and result.errors[0].row is None and result.errors[0].reason
        assert counts() == (0, 0, 0, 0)

    def test_wrong_headers_name_what_is_missing(self, world, tmp_path):
        path = write_workbook(tmp_path / "表.xlsx", ["姓名", "电话"], [["张三", "123"]])
        result = importers.import_certificates(world.staff, world.zone_a, path)
        assert not result.ok and "企业名称" in " ".join(e.reason for e in result.errors)

    def test_hostile_cells(self, world, tmp_path):
        path = write_workbook(tmp_path / "名单.xlsx", CERT_HEADERS, [
            [1, "=HYPERLINK(\"http://x\")", "GR201936000123", 1e30, None, None],
            [2, "甲一电子科技有限公司" * 50, "GR" + "9" * 500, "NaN", None, None],
        ])  # fmt: skip
        result = importers.import_certificates(world.staff, world.zone_a, path)
        assert not result.ok and Certification.objects.count() == 0


class TestPagesAndTargets:
    def test_declared_kinds(self):
        targets = modules.import_targets()
        for kind in ("hightech_certificates", "patents", "platforms", "talents"):
            assert targets[kind].startswith("gaoxin.innovation.importers.")

    @pytest.mark.parametrize("key", ["hightech", "patents", "platforms", "talents"])
    def test_template_has_the_headers_and_dropdowns(self, world, client, key):
        client.force_login(world.staff)
        r = client.get(reverse(f"innovation:{key}_import:import_template"))
        assert r.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(r.content))
        headers = [c.value for c in book.worksheets[0][1]]
        spec = {"hightech": importers.CERTIFICATES, "patents": importers.PATENTS,
                "platforms": importers.PLATFORMS, "talents": importers.TALENTS}[key]  # fmt: skip
        assert headers == [c.header for c in spec.columns()]
        if key != "hightech":
            assert book.worksheets[0].data_validations.dataValidation

    def test_the_template_imports_as_nothing(self, world, client, tmp_path):
        client.force_login(world.staff)
        r = client.get(reverse("innovation:patents_import:import_template"))
        result = importers.import_patents(world.staff, world.zone_a, io.BytesIO(r.content))
        assert not result.ok  # only the example row: no data rows

    def test_who_reaches_the_pages(self, world, client):
        for user, status in ((world.staff, 200), (world.zone_admin, 200), (world.leader, 404),
                             (world.enterprise, 404)):  # fmt: skip
            client.force_login(user)
            assert client.get(reverse("innovation:imports")).status_code == status
            assert client.get(reverse("innovation:talents_import:import")).status_code == status


class TestThroughThePageAndTheCommand:
    def test_upload_runs_the_job(self, world, client, tmp_path, settings):
        settings.IMPORT_SYNC = True
        client.force_login(world.staff)
        path = write_workbook(tmp_path / "专利.xlsx", PATENT_HEADERS, [
            ["ZL201710601862.3", "一种显示模组", None, "2017-07-01", "2019-05-01", "有效",
             "甲一电子科技有限公司"],
        ])  # fmt: skip
        with path.open("rb") as fh:
            r = client.post(reverse("innovation:patents_import:import"), {"file": fh})
        assert r.status_code == 302
        job = client.get(r.url)
        assert job.status_code == 200 and job.context["job"]["state"] == "done"
        assert job.context["job"]["result"]["created"] == 1
        assert Patent.objects.get().number == "201710601862.3"

    def test_a_bad_file_through_the_page_writes_nothing(self, world, client, tmp_path, settings):
        settings.IMPORT_SYNC = True
        client.force_login(world.staff)
        path = write_workbook(tmp_path / "专利.xlsx", PATENT_HEADERS, [
            ["201710601862.4", "一种显示模组", None, "2017-07-01", None, None,
             "甲一电子科技有限公司"],
        ])  # fmt: skip
        with path.open("rb") as fh:
            r = client.post(reverse("innovation:patents_import:import"), {"file": fh})
        result = client.get(r.url).context["job"]["result"]
        assert [e["reason"] for e in result["errors"]] == ["专利申请号校验位错误:应为 3"]
        assert Patent.objects.count() == 0

    def test_the_command(self, world, tmp_path):
        headers = ["姓名", "人才计划", "级别", "入选年度", "工作单位"]
        path = write_workbook(tmp_path / "人才.xlsx", headers, [
            ["张三", "双千计划", "省级", 2019, "甲一电子科技有限公司"],
        ])  # fmt: skip
        out = io.StringIO()
        call_command("import", "talents", str(path), "--zone", "ZA", "--user", "staff", stdout=out)
        assert out.getvalue() == "导入完成:共 1 行,新建 1 条,更新 0 条,未变化 0 条。\n"
        assert Talent.objects.get().enterprise == world.a1
