"""The enterprise import workbook (the importer in enterprises/importers): its headers, a valid
row, the workbook holding rows as a user types them, and what an import writes."""

from gaoxin.core.models import AuditRecord
from gaoxin.enterprises.models import Contact, Enterprise, StatusChange
from tests.factories import uscc_for
from tests.support.spreadsheets import dict_rows, write_workbook

HEADERS = [
    "企业名称",
    "统一社会信用代码",
    "法定代表人",
    "注册资本(万元)",
    "成立日期",
    "行业代码",
    "地址",
    "企业规模",
    "规上企业",
    "入规日期",
    "高新技术企业",
    "经营状态",
    "产业链标签",
    "联系人",
    "联系电话",
]
# The template offers what an import can set: not the high-tech flag, which follows innovation's
# valid certificates (enterprises.derived); exports still show it.
TEMPLATE_HEADERS = [h for h in HEADERS if h != "高新技术企业"]


def code(n: int) -> str:
    """The n-th valid USCC of the import tests (none of the factories' codes)."""
    return uscc_for(20_000_000 + n)


def row(n: int, **cells) -> dict:
    """A valid row keyed by header; `cells` override or add columns (注册资本_万元 for the one
    header that is not a Python name)."""
    base = {"企业名称": f"江西测试{n}电子有限公司", "统一社会信用代码": code(n), "行业代码": "3974"}
    return base | {{"注册资本_万元": "注册资本(万元)"}.get(k, k): v for k, v in cells.items()}


def workbook(tmp_path, rows: list[dict], name="企业.xlsx", headers=None):
    """`rows` under the headers they use (in HEADERS' order) or `headers`, as tmp_path/name."""
    headers = headers or [h for h in HEADERS if any(h in r for r in rows)]
    return write_workbook(tmp_path / name, headers, dict_rows(rows, headers), title="企业名录")


def counts():
    """What an import writes, counted: a refused one leaves all of it unchanged."""
    return (
        Enterprise.objects.count(),
        AuditRecord.objects.exclude(action="import_rejected").count(),  # the attempt is audited
        StatusChange.objects.count(),
        Contact.objects.count(),
        Enterprise.tags.through.objects.count(),
    )
