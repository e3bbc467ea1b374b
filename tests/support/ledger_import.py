"""The investment ledger workbook (招商台账, the importer in investment/importers): its headers
and their short names, a valid row, the workbook holding rows as a user types them, and what an
import writes."""

from gaoxin.core.models import AuditRecord
from gaoxin.investment.models import Commitment, Project, StageEvent
from tests.support.spreadsheets import dict_rows, write_workbook

HEADERS = [
    "项目名称",
    "项目类别",
    "投资方",
    "投资方来源",
    "行业代码",
    "产业链",
    "招商渠道",
    "计划总投资(万元)",
    "其中固定资产投资(万元)",
    "外资(万美元)",
    "用地(亩)",
    "建筑面积(平方米)",
    "预计年产值(万元)",
    "预计年税收(万元)",
    "预计用工(人)",
    "责任部门",
    "责任人",
    "项目选址",
    "线索日期",
    "考察日期",
    "洽谈日期",
    "签约日期",
    "开工日期",
    "投产日期",
    "暂缓/终止",
    "暂缓/终止日期",
    "暂缓/终止原因",
    "承诺投资(万元)",
    "承诺到位资金(万元)",
    "资金到位期限",
    "开工期限",
    "投产期限",
    "承诺年产值(万元)",
    "承诺年税收(万元)",
    "承诺用工(人)",
]
# Short names for the headers that are not Python identifiers.
SHORT = {
    "计划总投资": "计划总投资(万元)",
    "固定资产投资": "其中固定资产投资(万元)",
    "外资": "外资(万美元)",
    "用地": "用地(亩)",
    "建筑面积": "建筑面积(平方米)",
    "预计年产值": "预计年产值(万元)",
    "预计年税收": "预计年税收(万元)",
    "预计用工": "预计用工(人)",
    "暂缓终止": "暂缓/终止",
    "暂缓终止日期": "暂缓/终止日期",
    "暂缓终止原因": "暂缓/终止原因",
    "承诺投资": "承诺投资(万元)",
    "承诺到位资金": "承诺到位资金(万元)",
    "承诺年产值": "承诺年产值(万元)",
    "承诺年税收": "承诺年税收(万元)",
    "承诺用工": "承诺用工(人)",
}


def row(n: int, **cells) -> dict:
    """A valid row (a lead of 2019-01-05) keyed by header; `cells` override or add columns
    (by header, or by the short names above; None blanks a cell)."""
    base = {
        "项目名称": f"测试项目{n}",
        "投资方": f"测试投资方{n}有限公司",
        "计划总投资(万元)": 20000,
        "线索日期": "2019-01-05",
    }
    return base | {SHORT.get(k, k): v for k, v in cells.items()}


def workbook(tmp_path, rows: list[dict], name="台账.xlsx", headers=None):
    """`rows` under the headers they use (in HEADERS' order) or `headers`, as tmp_path/name."""
    headers = headers or [h for h in HEADERS if any(h in r for r in rows)]
    return write_workbook(tmp_path / name, headers, dict_rows(rows, headers), title="招商台账")


def counts():
    """What an import writes, counted: a refused one leaves all of it unchanged."""
    return (
        Project.objects.count(),
        StageEvent.objects.count(),
        Commitment.objects.count(),
        AuditRecord.objects.exclude(action="import_rejected").count(),
    )
