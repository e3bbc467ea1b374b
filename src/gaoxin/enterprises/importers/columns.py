"""The layout of enterprise spreadsheets: columns with their Chinese headers and aliases, the
export that uses the same headers (so an export can be imported back) and the import template."""

import datetime
import re
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from gaoxin.core.codes import make_uscc
from gaoxin.core.models import Industry, Tag
from gaoxin.core.spreadsheets import (
    Choice,
    Column,
    bool_label,
    clean_text,
    halfwidth,
    parse_bool,
    parse_code,
    parse_date,
    parse_text,
    parse_wan,
    split_list,
    write_rows,
    write_template,
)

from ..derived import fields as derived_fields
from ..models import Enterprise, Scale, Status

SHEET_TITLE = "企业名录"
INDUSTRY_LIST = "行业代码"
# Model fields an import row may set (industry, tags and the contact are handled beside them).
MODEL_FIELDS = (
    "name",
    "uscc",
    "legal_representative",
    "registered_capital",
    "established_on",
    "address",
    "scale",
    "above_scale",
    "above_scale_since",
    "high_tech",
    "status",
)


def _parse_industry(value) -> tuple[str, str]:
    """(code, name) as typed: "3974", "3974 显示器件制造", "显示器件制造" or a numeric cell."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer():
            return f"{int(value):04d}", ""  # Excel drops the leading zero of 0111
        raise ValueError(_("行业代码应为 4 位数字"))
    text = clean_text(halfwidth(str(value)))
    match = re.match(r"^([A-Za-z]|\d+)(?:[\s\-—:：.、]+(.*))?$", text)
    if match and (match.group(2) or not match.group(1).isalpha()):
        return match.group(1).upper(), clean_text(match.group(2) or "")
    match = re.match(r"^(\d+)(\D.*)$", text)  # "3974显示器件制造"
    if match:
        return match.group(1), clean_text(match.group(2))
    return "", text


def _money(value):
    if value is None:
        return None
    return Decimal(int(value)) if value == value.to_integral() else value.normalize()


def enterprise_columns() -> list[Column]:
    """The layout of enterprise spreadsheets. Headers and choice labels are always Chinese, the
    language the zone's workbooks are written in, whatever language the page is shown in."""
    with translation.override("zh-hans"):
        return _enterprise_columns()


def import_columns() -> list[Column]:
    """The columns an import reads and its template offers: all but the fields another module
    derives (enterprises.derived), which a spreadsheet cannot set; a column of them in a workbook
    (an edited export) is read as an ignored header."""
    derived = derived_fields()
    return [c for c in enterprise_columns() if c.field not in derived]


def _enterprise_columns() -> list[Column]:
    scale = Choice(
        _("企业规模"),
        {str(label): value for value, label in Scale.choices},
        aliases={"大": "large", "中": "medium", "小": "small", "微": "micro"}
        | {f"{label}企业": value for value, label in Scale.choices},
    )
    status = Choice(
        _("经营状态"),
        {str(label): value for value, label in Status.choices},
        aliases={
            "存续": "operating",
            "开业": "operating",
            "在业": "operating",
            "停业": "suspended",
        },
    )
    yes_no = (_("是"), _("否"))
    return [
        Column("name", _("企业名称"), ("单位名称", "企业全称", "公司名称", "名称", "企业(单位)名称"),
               required=True, width=32, help=_("与营业执照一致")),
        Column("uscc", _("统一社会信用代码"), ("信用代码", "社会信用代码", "统一代码", "USCC"),
               required=True, parser=parse_code, text=True, width=22,
               help=_("18 位;小写字母会转为大写,校验位会自动核对")),
        Column("legal_representative", _("法定代表人"), ("法人", "法人代表", "法定代表人(负责人)")),
        Column("registered_capital", _("注册资本(万元)"),
               ("注册资本", "注册资金", "注册资金(万元)", "注册资本(万)"),
               parser=parse_wan, formatter=_money,
               help=_("单位万元;也可写 1.2亿、500万、3,000,000元")),
        Column("established_on", _("成立日期"), ("成立时间", "注册日期", "设立日期", "成立年月"),
               parser=parse_date, date=True,
               help=_("如 2019-11-03、2019年11月3日、2019.11.3;只写年月时按当月 1 日")),
        Column("industry", _("行业代码"),
               ("行业", "所属行业", "国民经济行业", "行业分类", "行业代码及名称", "国民经济行业代码"),
               required=True, parser=_parse_industry, list_name=INDUSTRY_LIST, text=True, width=28,
               help=_("GB/T 4754-2017 的 4 位小类代码,可写「3974 显示器件制造」;"
                      "只写名称时须能唯一对应一个小类")),
        Column("address", _("地址"), ("注册地址", "企业地址", "住所", "经营地址", "通讯地址"),
               width=36),
        Column("scale", _("企业规模"), ("规模",), parser=scale, choices=tuple(scale.labels),
               formatter=lambda v: scale.label_of.get(v, "")),
        Column("above_scale", _("规上企业"), ("是否规上", "是否规上企业", "规模以上", "规模以上企业"),
               parser=parse_bool, choices=yes_no, formatter=bool_label),
        Column("above_scale_since", _("入规日期"), ("入规时间", "纳入规上日期"), parser=parse_date,
               date=True, help=_("仅规上企业填写")),
        Column("high_tech", _("高新技术企业"),
               ("是否高新", "是否高新技术企业", "高企", "国家高新技术企业"),
               parser=parse_bool, choices=yes_no, formatter=bool_label),
        Column("status", _("经营状态"), ("状态", "企业状态", "登记状态"), parser=status,
               choices=tuple(status.labels), formatter=lambda v: status.label_of.get(v, ""),
               help=_("不填为在营")),
        Column("tags", _("产业链标签"), ("产业链", "标签", "所属产业链"), parser=split_list,
               formatter=lambda v: "、".join(v or ()), width=20,
               help=_("可填多个,用顿号、逗号或分号分隔;须是本园区已定义的标签")),
        Column("contact_name", _("联系人"), ("联系人姓名",), parser=parse_text),
        Column("contact_phone", _("联系电话"), ("电话", "手机", "联系方式", "手机号码", "联系人电话"),
               parser=parse_code, text=True, width=16),
    ]  # fmt: skip


def _export_row(e: Enterprise) -> dict:
    contacts = list(e.contacts.all())  # prefetched, primary first
    contact = contacts[0] if contacts else None
    row = {f: getattr(e, f) for f in MODEL_FIELDS}
    row["industry"] = f"{e.industry_id} {e.industry.name}" if e.industry_id else ""
    row["tags"] = sorted(t.name for t in e.tags.all())
    row["contact_name"] = contact.name if contact else ""
    row["contact_phone"] = contact.phone if contact else ""
    return row


def export_enterprises(queryset, path_or_stream) -> int:
    """An .xlsx of `queryset` (already restricted and filtered) with the import's headers, so an
    export can be edited and imported back; returns the number of enterprises written."""
    rows = (
        _export_row(e)
        for e in queryset.select_related("industry")
        .prefetch_related("tags", "contacts")
        .iterator(chunk_size=2000)
    )
    return write_rows(path_or_stream, enterprise_columns(), rows, title=SHEET_TITLE)


TEMPLATE_EXAMPLE = {
    "name": "江西赣江光电科技有限公司",
    "uscc": make_uscc("9", "1", "360121", "MA35XK7Q"),
    "legal_representative": "张伟",
    "registered_capital": Decimal("5000"),
    "established_on": datetime.date(2019, 11, 3),
    "industry": "3974 显示器件制造",
    "address": "江西省南昌市高新区艾溪湖北路 88 号",
    "scale": Scale.MEDIUM,
    "above_scale": True,
    "above_scale_since": datetime.date(2021, 1, 1),
    "high_tech": True,
    "status": Status.OPERATING,
    "tags": ["电子信息"],
    "contact_name": "李娜",
    "contact_phone": "0791-88123456",
}


def write_enterprise_template(target, zone=None) -> None:
    tags = sorted(Tag.objects.filter(zone=zone).values_list("name", flat=True)) if zone else []
    example = dict(TEMPLATE_EXAMPLE)
    if tags:
        example["tags"] = tags[:1]
    industries = Industry.objects.filter(level=Industry.Level.CLASS).values_list("code", "name")
    notes = [
        _("1. 第 1 行是表头,请勿修改;红色列名为必填列。从第 3 行开始填写,一行一家企业。"),
        _("2. 第 2 行是示例(以「【示例】」开头),导入时自动忽略,可以删除。"),
        _("3. 金额单位为万元;日期可写 2019-11-03、2019年11月3日 或 2019.11.3。"),
        _("4. 统一社会信用代码列请保持文本格式,否则 Excel 会把 18 位代码变成科学计数法。"),
        _("5. 勾选「按统一社会信用代码更新已有企业」时,已在本园区登记的企业按表中内容更新,"
          "空白单元格保留原值。"),
        _("6. 导入要么全部成功,要么一条也不写入;有错误时可下载标出错误单元格的文件修改后重传。"),
    ]  # fmt: skip
    if tags:
        notes.append(_("7. 本园区的产业链标签:%(t)s") % {"t": "、".join(tags)})
    write_template(
        target,
        import_columns(),
        title=SHEET_TITLE,
        example=example,
        notes=notes,
        lists={INDUSTRY_LIST: [f"{c} {n}" for c, n in industries]},
    )
