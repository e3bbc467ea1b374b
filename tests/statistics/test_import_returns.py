"""Importing monthly returns from a workbook: all or nothing, every error at its cell."""

import datetime

import pytest
from openpyxl import Workbook

from gaoxin.core.models import AuditRecord
from gaoxin.statistics.importers import import_returns
from gaoxin.statistics.models import (
    Finding,
    Return,
    ReturnRevision,
    ReturnStatus,
    ReturnValue,
)

HEADERS = [
    "报告期", "统一社会信用代码", "企业名称", "工业总产值(万元)", "营业收入(万元)", "利润总额(万元)",
    "税金总额(万元)", "工业用电量(万千瓦时)", "从业人员期末人数(人)", "研发费用(万元)",
    "出口交货值(万元)", "固定资产投资(万元)",
]  # fmt: skip
FIGURES = [12000, 11500, 800, 420, 360, 350, 460, 1800, 300]
CODES = [
    "output_value", "revenue", "profit", "industrial_tax", "industrial_electricity", "employees",
    "rd_spending", "exports", "fixed_asset_investment",
]  # fmt: skip


def workbook(tmp_path, rows, headers=HEADERS, name="报表.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def row(e, period="2019-12", figures=FIGURES, name=None):
    return [period, e.uscc, e.name if name is None else name, *figures]


def errors(result):
    return [(e.row, e.column, e.value, e.reason) for e in result.sorted_errors()]


def nothing_written():
    assert Return.objects.count() == 0
    assert ReturnRevision.objects.count() == 0
    assert Finding.objects.count() == 0
    assert list(AuditRecord.objects.values_list("action", flat=True)) == ["import_rejected"]


@pytest.fixture
def zone(world):
    return world.zone_a


def test_a_good_workbook_submits_returns_with_revisions_findings_and_audit(zone, world, tmp_path):
    path = workbook(tmp_path, [row(world.a1), row(world.a2, "2019年11月")])
    result = import_returns(world.staff, zone, path)
    assert errors(result) == []
    assert (result.rows, result.created, result.updated) == (2, 2, 0)
    ret = Return.objects.get(enterprise=world.a1)
    assert ret.zone == zone and ret.period == 201912
    assert ret.status == ReturnStatus.SUBMITTED
    assert ret.submitted_by == world.staff and ret.submitted_at is not None
    assert ret.due_on == datetime.date(2020, 1, 8)
    assert ret.data == {c: str(v) for c, v in zip(CODES, FIGURES, strict=True)}
    assert Return.objects.get(enterprise=world.a2).period == 201911
    revision = ReturnRevision.objects.get(ret=ret)
    assert (revision.number, revision.status, revision.data) == (0, "submitted", ret.data)
    assert revision.actor == world.staff and revision.actor_name == "staff"
    assert ReturnValue.objects.count() == 0  # submitted, not accepted
    records = AuditRecord.objects.order_by("id")
    assert [r.action for r in records] == ["create", "create", "import"]
    first = records[0]
    assert first.object_id == str(ret.pk) and first.zone == zone
    assert first.after["status"] == "submitted" and first.after["data"] == ret.data
    assert first.message.startswith("批量导入报送 2019年12月 报表")
    assert records[2].after["created"] == 2 and records[2].after["periods"] == [201911, 201912]
