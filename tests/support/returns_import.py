"""The returns import workbook (the importer in statistics/importers): its headers, a good row of
figures, and the workbook holding rows as a user types them."""

from tests.support.spreadsheets import write_workbook

HEADERS = [
    "报告期", "统一社会信用代码", "企业名称", "工业总产值(万元)", "营业收入(万元)", "利润总额(万元)",
    "税金总额(万元)", "工业用电量(万千瓦时)", "从业人员期末人数(人)", "研发费用(万元)",
    "出口交货值(万元)", "固定资产投资(万元)",
]  # fmt: skip
FIGURES = [12000, 11500, 800, 420, 360, 350, 460, 1800, 300]


def workbook(tmp_path, rows, headers=HEADERS, name="报表.xlsx"):
    """`rows` (lists of cells) under `headers`, saved as tmp_path/name."""
    return write_workbook(tmp_path / name, headers, rows)


def row(e, period="2019-12", figures=FIGURES, name=None):
    """Enterprise `e`'s row for `period`: its code, its name (or `name`), the figures."""
    return [period, e.uscc, e.name if name is None else name, *figures]
