"""The utilities' file imports: readings, top-ups and cut-offs as metering systems export them
(CSV in UTF-8 and in GBK, .xlsx with date cells), one file one batch through services.ingest —
all or nothing, a re-imported file changes nothing, every error at its sheet row and column —
and broken or hostile files answered with a message, never an exception."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from gaoxin.core import modules
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.utilities import importers
from gaoxin.utilities.models import Account, Batch, CutOff, Kind, Reading, TopUp
from tests.support import utilities as u
from tests.support.spreadsheets import errors, write_workbook

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.fixture
def ledger(world):
    power = u.company(world.zone_a, Kind.ELECTRICITY)
    water = u.company(world.zone_a, Kind.WATER)
    tariff = u.tariff(world.zone_a)  # 0.80 元/kWh
    ns = type("Ledger", (), {})()
    ns.power, ns.partner = power, u.partner(power, username="power")
    ns.a1 = u.account(
        world.a1, meter_no="3601000001", company_=power, tariff_=tariff, balance=Decimal("1000")
    )
    ns.a2 = u.account(world.a2, meter_no="3601000002", company_=power, tariff_=tariff)
    ns.water = u.account(world.a1, Kind.WATER, meter_no="W0001", company_=water)
    ns.b1 = u.account(world.b1, meter_no="3602000001")
    return ns  # fmt: skip


def csv_file(tmp_path, lines: list[str], *, encoding="utf-8", name="抄表.csv"):
    path = tmp_path / name
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


READINGS_CSV = [
    "电表号,抄表时间,表底",
    "3601000001,2026-09-01 00:00:00,1000.00",
    "3601000001,2026-09-01 23:00:00,1100.00",
    "3601000002,2026-09-01 00:00:00,500",
    "3601000001,2026-09-02 23:00:00,1250.5",
]


class TestReadings:
    def test_a_metering_export_in_utf8(self, world, ledger, tmp_path):
        result = importers.import_readings(
            world.staff, world.zone_a, csv_file(tmp_path, READINGS_CSV)
        )
        assert errors(result) == []
        assert (result.rows, result.created, result.unchanged) == (4, 4, 0)
        batch = Batch.objects.get()
        assert (batch.what, batch.source, batch.rows, batch.written) == ("readings", "file", 4, 4)
        last = Reading.objects.filter(account=ledger.a1).order_by("read_at").last()
        assert (last.index, last.usage, last.source) == (
            Decimal("1250.5"),
            Decimal("150.5"),
            "file",
        )
        assert last.read_at == datetime.datetime(2026, 9, 2, 15, tzinfo=UTC)
        balance = Account.objects.get(pk=ledger.a1.pk).balance
        assert balance == Decimal("1000") - Decimal("250.5") * Decimal("0.80")

    def test_a_gbk_export_with_other_headers(self, world, ledger, tmp_path):
        """Chinese metering systems save CSV in GBK; 户号/读数时间/读数/时段/类别 are aliases."""
        lines = ["户号,类别,读数时间,时段,读数", "3601000001,电力,2026/9/1 0:00,总,1000",
                 "3601000001,电,2026年9月2日 08时00分,总示数,1088.8",
                 "W0001,自来水,20260901000000,总,12"]  # fmt: skip
        path = csv_file(tmp_path, lines, encoding="gbk")
        result = importers.import_readings(world.staff, world.zone_a, path)
        assert errors(result) == []
        assert result.created == 3
        water = Reading.objects.get(account=ledger.water)
        assert (water.index, water.read_at) == (
            Decimal("12"),
            datetime.datetime(2026, 8, 31, 16, tzinfo=UTC),
        )
        second = Reading.objects.filter(account=ledger.a1).order_by("read_at").last()
        assert second.read_at == datetime.datetime(2026, 9, 2, 0, tzinfo=UTC)

    def test_an_xlsx_with_date_cells(self, world, ledger, tmp_path):
        path = write_workbook(tmp_path / "抄表.xlsx", ["表号", "抄表日期", "示数"], [
            ["3601000001", datetime.datetime(2026, 9, 1), 1000],
            [3601000001, datetime.datetime(2026, 9, 2, 23, 0), 1100.25],
        ])  # fmt: skip
        result = importers.import_readings(world.staff, world.zone_a, path)
        assert errors(result) == []
        assert list(Reading.objects.order_by("read_at").values_list("index", flat=True)) == [
            Decimal("1000"), Decimal("1100.25")
        ]  # fmt: skip

    def test_reimporting_the_file_changes_nothing(self, world, ledger, tmp_path):
        path = csv_file(tmp_path, READINGS_CSV)
        importers.import_readings(world.staff, world.zone_a, path)
        balances = dict(Account.objects.values_list("pk", "balance"))
        again = importers.import_readings(world.staff, world.zone_a, path)
        assert errors(again) == []
        assert (again.rows, again.created, again.unchanged) == (4, 0, 4)
        assert Reading.objects.count() == 4
        assert dict(Account.objects.values_list("pk", "balance")) == balances

    def test_one_bad_row_writes_nothing_and_is_named(self, world, ledger, tmp_path):
        lines = [*READINGS_CSV, "3601000001,2026-09-03 23:00:00,1200"]  # the index goes back
        result = importers.import_readings(world.staff, world.zone_a, csv_file(tmp_path, lines))
        assert [(e.row, e.column, e.value) for e in result.sorted_errors()] == [(6, "表底", "1200")]
        assert result.errors[0].cell == "C6"
        assert (Reading.objects.count(), Batch.objects.count()) == (0, 0)
        rejected = AuditRecord.objects.get(action=AuditRecord.Action.IMPORT_REJECTED)
        assert rejected.after["error_count"] == 1

    def test_bad_cells_each_named(self, world, ledger, tmp_path):
        lines = ["电表号,抄表时间,表底", "3601000001,昨天,1000", "3601000001,2026-09-01 00:00,abc",
                 "3601000001,2026-09-02 00:00,-3", ",2026-09-03 00:00,5",
                 "3601000001,2026-02-30 00:00,7"]  # fmt: skip
        result = importers.import_readings(world.staff, world.zone_a, csv_file(tmp_path, lines))
        assert errors(result) == [
            (2, "抄表时间", "昨天", "无法识别的时间「昨天」:请按 2026-11-04 10:00 或 2026年11月4日 10:00 填写"),
            (3, "表底", "abc", "「abc」不是数字"),
            (4, "表底", "-3", "示数不能为负数"),
            (5, "电表号", "", "必填项不能为空"),
            (6, "抄表时间", "2026-02-30 00:00", "时间「2026-02-30 00:00」不存在"),
        ]  # fmt: skip
        assert Reading.objects.count() == 0

    def test_absurd_index_and_unknown_or_others_meters(self, world, ledger, tmp_path):
        lines = ["电表号,抄表时间,表底", "3601000001,2026-09-01 00:00,1e30",
                 "NOPE,2026-09-01 00:00,1", "3602000001,2026-09-01 00:00,1"]  # fmt: skip
        result = importers.import_readings(ledger.partner, world.zone_a, csv_file(tmp_path, lines))
        found = errors(result)
        assert [(row, column) for row, column, _v, _r in found] == [
            (2, "表底"), (3, "电表号"), (4, "电表号")
        ]  # fmt: skip
        assert found[1][3] == found[2][3] == "表号不存在或无权报送该表的数据"
        assert Reading.objects.count() == 0

    def test_a_partner_feeds_its_own_kind_only(self, world, ledger, tmp_path):
        lines = ["表号,抄表时间,示数", "W0001,2026-09-01 00:00,1"]
        result = importers.import_readings(ledger.partner, world.zone_a, csv_file(tmp_path, lines))
        assert [e.reason for e in result.errors] == ["表号不存在或无权报送该表的数据"]
        ok = importers.import_readings(
            ledger.partner, world.zone_a, csv_file(tmp_path, READINGS_CSV)
        )
        assert (ok.created, Batch.objects.get().company) == (4, ledger.power)

    @pytest.mark.parametrize("role", ["leader", "province", "enterprise"])
    def test_who_may_not_import(self, world, ledger, tmp_path, role):
        with pytest.raises(Forbidden):
            importers.import_readings(
                world.users[role], world.zone_a, csv_file(tmp_path, READINGS_CSV)
            )
        assert Reading.objects.count() == 0


class TestTopUpsAndCutOffs:
    def test_topups_with_amounts_as_people_write_them(self, world, ledger, tmp_path):
        lines = ["户号,购电时间,购电金额,交易流水号,缴费渠道",
                 '3601000001,2026-09-02 09:30,"1,280.50元",SG20260902001,网银',
                 "3601000002,2026-09-02 10:00,￥300,SG20260902002,"]  # fmt: skip
        path = csv_file(tmp_path, lines, encoding="gbk")
        result = importers.import_topups(world.staff, world.zone_a, path)
        assert errors(result) == []
        assert result.created == 2
        assert Account.objects.get(pk=ledger.a1.pk).balance == Decimal("2280.50")
        assert TopUp.objects.get(account=ledger.a1).channel == "网银"
        again = importers.import_topups(world.staff, world.zone_a, path)
        assert (again.created, again.unchanged, TopUp.objects.count()) == (0, 2, 2)

    def test_a_topup_without_transaction_number(self, world, ledger, tmp_path):
        lines = ["户号,购电时间,购电金额,交易流水号", "3601000001,2026-09-02 09:30,100,"]
        result = importers.import_topups(world.staff, world.zone_a, csv_file(tmp_path, lines))
        assert errors(result) == [(2, "交易流水号", "", "必填项不能为空")]

    def test_cutoffs(self, world, ledger, tmp_path):
        lines = [
            "表号,停电时间,停电原因,复电时间",
            "3601000002,2026-09-03 08:00,余额耗尽,2026-09-03 10:30",
        ]
        result = importers.import_cutoffs(ledger.partner, world.zone_a, csv_file(tmp_path, lines))
        assert errors(result) == []
        cut = CutOff.objects.get()
        assert (cut.account, cut.reason, cut.restored_at) == (
            ledger.a2, "余额耗尽", datetime.datetime(2026, 9, 3, 2, 30, tzinfo=UTC)
        )  # fmt: skip


class TestBrokenAndHostileFiles:
    @pytest.mark.parametrize(
        "name, content",
        [("空.csv", b""), ("坏.xlsx", b"not a spreadsheet at all"),
         ("坏.xlsx", b"PK\x03\x04" + b"\x00" * 100), ("表.csv", b"\x00\x01\x02binary"),
         ("图.png", b"\x89PNG\r\n")],
    )  # fmt: skip
    def test_broken_file_gives_a_message(self, world, ledger, tmp_path, name, content):
        path = tmp_path / name
        path.write_bytes(content)
        result = importers.import_readings(world.staff, world.zone_a, path)
        assert not result.ok and result.errors[0].row is None and result.errors[0].reason
        assert Reading.objects.count() == 0

    def test_a_truncated_workbook(self, world, ledger, tmp_path):
        good = write_workbook(tmp_path / "好.xlsx", ["表号", "抄表时间", "示数"],
                              [["3601000001", "2026-09-01 00:00", 1]])  # fmt: skip
        path = tmp_path / "断.xlsx"
        path.write_bytes(good.read_bytes()[:600])
        result = importers.import_readings(world.staff, world.zone_a, path)
        assert not result.ok and result.errors[0].row is None
        assert Reading.objects.count() == 0

    def test_hostile_cells(self, world, ledger, tmp_path):
        path = write_workbook(tmp_path / "抄表.xlsx", ["表号", "抄表时间", "示数"], [
            ['=HYPERLINK("http://x","3601000001")', "2026-09-01 00:00", 1],
            ["3601000001" * 40, 1e30, float("inf")],
            ["3601000001", "2026-09-01 00:00'; DROP TABLE x;--", "1" * 500],
            [True, datetime.time(8), 1e30],
        ])  # fmt: skip
        result = importers.import_readings(world.staff, world.zone_a, path)
        assert not result.ok and {e.row for e in result.errors} == {2, 3, 4, 5}
        assert Reading.objects.count() == 0

    def test_control_characters_late_in_a_csv(self, world, ledger, tmp_path):
        """A NUL past the part the reader sniffs: dropped from the meter number, never sent to
        the database (PostgreSQL refuses it)."""
        lines = [*READINGS_CSV[:3], "3601000002,2026-09-01 00:00,500", *[",,"] * 2000,
                 "36010\x0000002,2026-09-02 00:00,600"]  # fmt: skip
        path = csv_file(tmp_path, lines)
        result = importers.import_readings(world.staff, world.zone_a, path)
        assert errors(result) == []
        assert Reading.objects.filter(account=ledger.a2).count() == 2

    def test_wrong_headers_name_what_is_missing(self, world, ledger, tmp_path):
        path = csv_file(tmp_path, ["表号,日期", "3601000001,2026-09-01"])
        result = importers.import_readings(world.staff, world.zone_a, path)
        assert [e.reason for e in result.errors] == ["缺少必填列:抄表时间、示数(表头在第 1 行)"]


class TestTargetsAndTemplates:
    def test_declared_kinds(self):
        targets = modules.import_targets()
        assert {
            k: targets[k] for k in ("utility_readings", "utility_topups", "utility_cutoffs")
        } == {
            "utility_readings": "gaoxin.utilities.importers.READINGS_TARGET",
            "utility_topups": "gaoxin.utilities.importers.TOPUPS_TARGET",
            "utility_cutoffs": "gaoxin.utilities.importers.CUTOFFS_TARGET",
        }

    @pytest.mark.parametrize("spec", list(importers.SPECS.values()), ids=list(importers.SPECS))
    def test_template_headers_dropdowns_and_nothing_to_import(self, world, ledger, spec):
        data = io.BytesIO()
        importers.template_writer(spec)(data, world.zone_a)
        book = openpyxl.load_workbook(io.BytesIO(data.getvalue()))
        assert [c.value for c in book.worksheets[0][1]] == [c.header for c in spec.columns()]
        assert book.worksheets[0].data_validations.dataValidation  # 类别 (and 时段)
        result = importers.runner(spec)(world.staff, world.zone_a, io.BytesIO(data.getvalue()),
                                        name="模板.xlsx")  # fmt: skip
        assert [e.reason for e in result.errors] == ["表头(第 1 行)下面没有数据行"]

    def test_the_command(self, world, ledger, tmp_path):
        path = csv_file(tmp_path, READINGS_CSV)
        out = io.StringIO()
        call_command("import", "utility_readings", str(path), "--zone", "ZA", "--user", "staff",
                     stdout=out)  # fmt: skip
        assert out.getvalue() == "导入完成:共 4 行,新建 4 条,更新 0 条,未变化 0 条。\n"
        with pytest.raises(CommandError):
            call_command("import", "utility_readings", str(path), "--zone", "ZA", "--user",
                         "staff", "--update", stdout=io.StringIO())  # fmt: skip
