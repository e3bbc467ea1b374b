"""Innovation spreadsheets (DESIGN.md mechanism 5), all or nothing: the published list of
certified high-tech enterprises, patent lists as patent search services export them, platforms
and talents.

Every row goes through the same service as a record typed on a page (`services.add_*`), inside
one transaction: each row in its own savepoint, so every row's errors are collected as (row,
column, value, reason); if any row fails, the whole transaction is rolled back and nothing is
written. The enterprise of a row is found in the zone's registry by its 统一社会信用代码 when the
sheet has one, else by its exact name (full-width brackets and stray spaces forgiven); a row
naming no enterprise of the zone is an error naming the name.

`gaoxin import hightech_certificates|patents|platforms|talents FILE --zone CODE`: the targets
below, declared in the module's `import_targets`; the pages are views/imports.py.
"""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import audit
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import can_add
from gaoxin.core.spreadsheets import (
    Choice,
    Column,
    ImportResult,
    clean_text,
    display,
    halfwidth,
    parse_code,
    parse_date,
    read_records,
    split_list,
    write_template,
)
from gaoxin.core.spreadsheets.registry import Target
from gaoxin.enterprises.models import Enterprise

from .models import (
    Certification,
    CertKind,
    CertStatus,
    Level,
    Patent,
    PatentKind,
    PatentStatus,
    Platform,
    PlatformKind,
    Talent,
    TechField,
)

# --- the cells --------------------------------------------------------------------------------


def _labels(choices) -> dict:
    return {str(label): value for value, label in choices}


def tech_field_choice() -> Choice:
    return Choice(_("技术领域"), _labels(TechField.choices), aliases={
        "电子信息技术": TechField.ELECTRONICS, "生物与新医药技术": TechField.BIOMEDICINE,
        "航空航天技术": TechField.AEROSPACE, "新材料技术": TechField.MATERIALS,
        "高技术服务业": TechField.SERVICES, "新能源及节能技术": TechField.ENERGY,
        "资源与环境技术": TechField.ENVIRONMENT, "先进制造": TechField.MANUFACTURING,
        "高新技术改造传统产业": TechField.MANUFACTURING,
    })  # fmt: skip


def level_choice() -> Choice:
    return Choice(_("级别"), _labels(Level.choices), aliases={
        "国家": Level.NATIONAL, "国家级平台": Level.NATIONAL, "部级": Level.NATIONAL,
        "省": Level.PROVINCIAL, "省部级": Level.PROVINCIAL, "省级平台": Level.PROVINCIAL,
        "市": Level.MUNICIPAL, "地市级": Level.MUNICIPAL, "市级平台": Level.MUNICIPAL,
    })  # fmt: skip


def platform_kind_choice() -> Choice:
    return Choice(_("平台类型"), _labels(PlatformKind.choices), aliases={
        "工程技术中心": PlatformKind.ENGINEERING_CENTER,
        "工程研究中心": PlatformKind.ENGINEERING_CENTER,
        "工程(技术)研究中心": PlatformKind.ENGINEERING_CENTER,
        "技术中心": PlatformKind.ENTERPRISE_CENTER,
        "院士工作站(室)": PlatformKind.ACADEMICIAN, "院士工作室": PlatformKind.ACADEMICIAN,
        "博士后科研工作站": PlatformKind.POSTDOCTORAL,
        "博士后创新实践基地": PlatformKind.POSTDOCTORAL,
        "新型研发机构(新型研究机构)": PlatformKind.NEW_RD_INSTITUTE,
        "研发机构": PlatformKind.NEW_RD_INSTITUTE,
    })  # fmt: skip


def patent_kind_choice() -> Choice:
    return Choice(_("专利类型"), _labels(PatentKind.choices), aliases={
        "发明专利": PatentKind.INVENTION, "发明申请": PatentKind.INVENTION,
        "发明授权": PatentKind.INVENTION, "实用新型专利": PatentKind.UTILITY,
        "外观设计专利": PatentKind.DESIGN, "外观": PatentKind.DESIGN,
        "PCT发明专利": PatentKind.PCT_INVENTION, "PCT实用新型专利": PatentKind.PCT_UTILITY,
    })  # fmt: skip


def patent_status_choice() -> Choice:
    """The legal states patent search services print, folded into the ledger's five."""
    granted, pending = PatentStatus.GRANTED, PatentStatus.PENDING
    lapsed, withdrawn = PatentStatus.LAPSED, PatentStatus.WITHDRAWN
    return Choice(_("法律状态"), _labels(PatentStatus.choices), aliases={
        "有效": granted, "有权": granted, "授权": granted, "已授权": granted,
        "专利权维持": granted, "审中": pending, "在审": pending, "实质审查": pending,
        "实审": pending, "公开": pending, "已公开": pending, "待审": pending,
        "驳回": PatentStatus.REJECTED, "已驳回": PatentStatus.REJECTED,
        "撤回": withdrawn, "视为撤回": withdrawn, "主动撤回": withdrawn, "已撤回": withdrawn,
        "失效": lapsed, "无效": lapsed, "无权": lapsed, "权利终止": lapsed,
        "专利权终止": lapsed, "未缴年费终止": lapsed, "期限届满": lapsed, "届满终止": lapsed,
        "放弃": lapsed, "避重放弃": lapsed, "全部无效": lapsed,
    })  # fmt: skip


_YEAR = re.compile(r"^(\d{4})(年|年度)?$")


def parse_year(value) -> int:
    """2019, "2019", "2019年", "2019年度"."""
    text = parse_code(value)
    match = _YEAR.match(text)
    if match is None:
        raise ValueError(_("「%(v)s」不是年份,请写 2019 或 2019年") % {"v": display(value)})
    return int(match.group(1))


def _name(f, header, aliases, **kw) -> Column:
    return Column(f, header, aliases, width=kw.pop("width", 32), **kw)


def _date_help() -> str:
    return _("如 2019-11-28、2019年11月28日、2019.11.28")


def _uscc() -> Column:
    return Column("uscc", _("统一社会信用代码"), ("信用代码", "社会信用代码", "统一代码"),
                  parser=parse_code, text=True, width=22,
                  help=_("可不填;填写时按它匹配企业,否则按企业名称"))  # fmt: skip


def certificate_columns() -> list[Column]:
    with translation.override("zh-hans"):
        fields = tech_field_choice()
        return [
            Column("seq", _("序号"), ("编号",), width=6, help=_("可不填,导入时不使用")),
            _name("enterprise", _("企业名称"), ("企业", "单位名称", "公司名称", "企业全称"),
                  required=True, help=_("须与本园区企业库中的名称一致")),
            Column("number", _("证书编号"), ("高新技术企业证书编号", "证书号"), required=True,
                   parser=parse_code, text=True, width=18, help=_("如 GR201936000123")),
            Column("issued_on", _("发证时间"), ("发证日期", "认定时间", "认定日期", "批准时间"),
                   required=True, parser=parse_date, date=True, help=_date_help()),
            _uscc(),
            Column("field", _("技术领域"), ("所属技术领域", "高新技术领域", "领域"),
                   parser=fields, choices=tuple(fields.labels), width=18,
                   help=_("国家重点支持的高新技术领域之一,可不填")),
        ]  # fmt: skip


def patent_columns() -> list[Column]:
    with translation.override("zh-hans"):
        kinds, states = patent_kind_choice(), patent_status_choice()
        return [
            Column("number", _("申请号"), ("专利号", "申请号/专利号", "申请(专利)号"),
                   required=True, parser=parse_code, text=True, width=18,
                   help=_("如 201710601862.3 或 ZL201710601862.3,校验位须正确")),
            Column("title", _("专利名称"), ("名称", "发明名称", "标题", "发明创造名称"),
                   required=True, width=36),
            Column("kind", _("专利类型"), ("类型", "专利种类"), parser=kinds,
                   choices=tuple(kinds.labels), help=_("可不填,按申请号判断")),
            Column("applied_on", _("申请日"), ("申请日期",), required=True, parser=parse_date,
                   date=True, help=_date_help()),
            Column("granted_on", _("授权公告日"), ("授权日", "授权日期", "公告日", "授权公告日期"),
                   parser=parse_date, date=True, help=_("已授权的专利填写")),
            Column("status", _("法律状态"), ("当前法律状态", "专利状态", "法律状态/事件"),
                   parser=states, choices=tuple(states.labels),
                   help=_("如 有效、审中、驳回、视为撤回、未缴年费终止;不填时有授权公告日的为有效")),
            _name("enterprise", _("申请(专利权)人"),
                  ("申请人", "专利权人", "权利人", "申请人/专利权人", "当前权利人", "企业名称"),
                  required=True,
                  help=_("本园区企业的名称;有多个申请人时用分号隔开,取第一个本园区企业")),
        ]  # fmt: skip


def platform_columns() -> list[Column]:
    with translation.override("zh-hans"):
        kinds, levels = platform_kind_choice(), level_choice()
        return [
            Column("name", _("平台名称"), ("名称", "平台"), required=True, width=36),
            Column("kind", _("类型"), ("平台类型", "类别"), required=True, parser=kinds,
                   choices=tuple(kinds.labels), width=18),
            Column("level", _("级别"), ("平台级别", "认定级别"), required=True, parser=levels,
                   choices=tuple(levels.labels)),
            _name("enterprise", _("依托企业"), ("依托单位", "企业名称", "建设单位", "承建单位"),
                  required=True, help=_("须与本园区企业库中的名称一致")),
            Column("recognised_on", _("认定日期"), ("认定时间", "批准日期", "批准时间"),
                   required=True, parser=parse_date, date=True, help=_date_help()),
            _uscc(),
        ]  # fmt: skip


def talent_columns() -> list[Column]:
    with translation.override("zh-hans"):
        levels = level_choice()
        return [
            Column("name", _("姓名"), ("人才姓名",), required=True, width=12),
            Column("programme", _("人才计划"), ("人才工程", "入选计划", "人才项目", "计划名称"),
                   required=True, width=28),
            Column("level", _("级别"), ("人才级别", "计划级别"), required=True, parser=levels,
                   choices=tuple(levels.labels)),
            Column("year", _("入选年度"), ("年度", "入选年份", "入选时间"), required=True,
                   parser=parse_year, help=_("如 2019")),
            _name("enterprise", _("工作单位"), ("所在单位", "企业名称", "单位"), required=True,
                  help=_("须与本园区企业库中的名称一致")),
            _uscc(),
        ]  # fmt: skip


# --- finding the enterprise of a row ----------------------------------------------------------


def name_key(text) -> str:
    """How names are compared: half-width (full-width brackets), no spaces."""
    return "".join(halfwidth(clean_text(str(text or ""))).split())


class Registry:
    """The zone's enterprises, read once, by USCC and by name."""

    def __init__(self, zone):
        rows = Enterprise.objects.filter(zone=zone, is_deleted=False).only("id", "name", "uscc")
        self.by_uscc, self.by_name = {}, {}
        for e in rows:
            if e.uscc:
                self.by_uscc[e.uscc.upper()] = e
            self.by_name.setdefault(name_key(e.name), e)

    def find(self, names: list[str], uscc: str | None) -> tuple[Enterprise | None, str, str]:
        """(enterprise, None, "") or (None, the field at fault, why)."""
        if uscc:
            found = self.by_uscc.get(uscc.upper())
            if found is None:
                return (
                    None,
                    "uscc",
                    _("本园区企业库中没有统一社会信用代码为 %(c)s 的企业") % {"c": uscc},
                )
            return found, "", ""
        for name in names:
            found = self.by_name.get(name_key(name))
            if found is not None:
                return found, "", ""
        return (
            None,
            "enterprise",
            _("本园区企业库中没有名为「%(n)s」的企业,请核对企业名称") % {"n": "、".join(names)},
        )


# --- one kind of import -----------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One import: its columns, the service a row goes through (`save(actor, zone, values,
    enterprise)`, True when it created a record, False when it updated one), where the
    service's fields land in the sheet, its template."""

    kind: str
    what: str
    model: type
    columns: Callable[[], list[Column]]
    save: Callable
    sheet: str
    example: dict
    notes: tuple[str, ...] = ()
    several_names: bool = False  # a cell may name several applicants (patent lists)
    renames: dict = field(default_factory=dict)


def _services():
    from . import services

    return services


def _save_certificate(actor, zone, v, enterprise):
    """The published list certifies the zone's applicants: an enterprise's pending high-tech
    record (cultivating or applied, without a number) becomes the certificate, keeping its
    technical field when the list has none; otherwise a new certificate is added."""
    pending = (
        Certification.objects.filter(
            zone=zone, enterprise=enterprise, kind=CertKind.HIGHTECH,
            status__in=(CertStatus.CULTIVATING, CertStatus.APPLIED), number="",
        ).order_by("-id").first()
    )  # fmt: skip
    fields = {"status": CertStatus.CERTIFIED, "number": v["number"], "issued_on": v["issued_on"]}
    if v.get("field"):
        fields["field"] = v["field"]
    if pending is not None:
        _services().update_certification(actor, pending, version=pending.version, **fields)
        return False
    _services().add_certification(
        actor, zone, enterprise=enterprise, kind=CertKind.HIGHTECH, source="imported",
        **{"field": "", **fields},
    )  # fmt: skip
    return True


def _save_patent(actor, zone, v, enterprise):
    status = v.get("status") or (PatentStatus.GRANTED if v.get("granted_on") else "pending")
    _services().add_patent(
        actor, zone, enterprise=enterprise, number=v["number"], title=v["title"],
        applied_on=v["applied_on"], status=status, granted_on=v.get("granted_on"),
        kind=v.get("kind"), source="imported",
    )  # fmt: skip
    return True


def _save_platform(actor, zone, v, enterprise):
    _services().add_platform(
        actor, zone, enterprise=enterprise, name=v["name"], kind=v["kind"], level=v["level"],
        recognised_on=v["recognised_on"], source="imported",
    )  # fmt: skip
    return True


def _save_talent(actor, zone, v, enterprise):
    _services().add_talent(
        actor, zone, enterprise=enterprise, name=v["name"], programme=v["programme"],
        level=v["level"], year=v["year"], source="imported",
    )  # fmt: skip
    return True


# --- the run ----------------------------------------------------------------------------------


def run_import(spec: Spec, actor, zone, file_or_path, *, progress=None, name=None) -> ImportResult:
    """Import `file_or_path` into `zone` as `spec` says: everything in one transaction, or
    nothing. progress(done, total, stage). Raises Forbidden when `actor` may not add the rows."""
    if not can_add(actor, spec.model, zone):
        raise Forbidden(_("无权在该园区导入%(w)s") % {"w": spec.what})

    def report(stage):
        return (lambda done, total: progress(done, total, stage)) if progress else None

    started = time.perf_counter()
    parsed = read_records(file_or_path, spec.columns(), name=name, progress=report("read"))
    result = ImportResult(file_name=parsed.name, rows=len(parsed.records), parsed=parsed)
    result.errors.extend(parsed.errors)
    result.ignored_columns = list(parsed.layout.ignored) if parsed.layout else []
    result.timings["read"] = time.perf_counter() - started
    if parsed.fatal:
        return _rejected(actor, zone, spec, result)
    started = time.perf_counter()
    with transaction.atomic():
        created, updated = _validate_and_write(
            spec, actor, zone, parsed, result, report("validate")
        )
        if result.errors:
            transaction.set_rollback(True)  # one bad row: nothing of the file is kept
        else:
            result.created, result.updated = created, updated
            audit.record(
                actor, AuditRecord.Action.IMPORT, zone=zone,
                repr_=_("%(w)s批量导入:%(f)s") % {"w": spec.what, "f": result.file_name},
                message=_("共 %(rows)s 行,新建 %(c)s 条,更新 %(u)s 条")
                % {"rows": result.rows, "c": created, "u": updated},
            )  # fmt: skip
    result.timings["validate"] = time.perf_counter() - started
    if result.errors:
        return _rejected(actor, zone, spec, result)
    return result


def _validate_and_write(spec, actor, zone, parsed, result, report) -> tuple[int, int]:
    """Every row through the service, each in its own savepoint; its errors into `result`.
    Returns (created, updated)."""
    layout, registry, created, updated = parsed.layout, Registry(zone), 0, 0
    total = len(parsed.records)
    for done, record in enumerate(parsed.records, start=1):
        if report and (done % 100 == 0 or done == total):
            report(done, total)
        v = record.values
        if "enterprise" in record.failed or not v.get("enterprise"):
            continue  # its cell's error is already reported
        names = split_list(v["enterprise"]) if spec.several_names else [v["enterprise"]]
        enterprise, at, why = registry.find(names, v.get("uscc"))
        if enterprise is None:
            result.errors.append(layout.error(record.row, at, record.raw.get(at), why))
            continue
        if record.failed:
            continue
        try:
            with transaction.atomic():
                if spec.save(actor, zone, v, enterprise):
                    created += 1
                else:
                    updated += 1
        except ValidationError as exc:
            result.errors.extend(_row_errors(spec, layout, record, exc))
        except IntegrityError:
            result.errors.append(layout.error(record.row, None, "", _("与已有记录重复,未导入")))
    return created, updated


def _row_errors(spec, layout, record, exc: ValidationError) -> list:
    errors = []
    by_field = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for service_field, messages in by_field.items():
        column = spec.renames.get(service_field, service_field)
        if column not in layout.columns:
            column = None
        value = record.raw.get(column) if column else ""
        for message in messages:
            errors.append(layout.error(record.row, column, value, message))
    return errors


def _rejected(actor, zone, spec, result: ImportResult) -> ImportResult:
    """A rejected file writes no business data, but the attempt itself is audited."""
    audit.record(
        actor,
        AuditRecord.Action.IMPORT_REJECTED,
        zone=zone,
        repr_=_("%(w)s批量导入:%(f)s") % {"w": spec.what, "f": result.file_name},
        message=_("共 %(rows)s 行,%(n)s 处错误,未写入任何数据")
        % {"rows": result.rows, "n": len(result.errors)},
        after={
            "file": result.file_name,
            "rows": result.rows,
            "error_count": len(result.errors),
            "errors": [
                {"row": e.row, "column": e.column, "value": str(e.value), "reason": str(e.reason)}
                for e in result.sorted_errors()[:20]
            ],
        },
    )
    return result


def template_writer(spec: Spec):
    """The import template of `spec`: headers (required in red), an example row the importer
    skips, dropdowns for the choice columns, a 说明 sheet."""

    def write(target, zone) -> None:
        notes = [
            _("1. 第 1 行是表头,请勿修改;红色列名为必填列。从第 3 行开始填写,一行一条。"),
            _("2. 第 2 行是示例(以「【示例】」开头),导入时自动忽略,可以删除。"),
            *spec.notes,
            _("导入要么全部成功,要么一条也不写入;有错误时可下载标出错误单元格的文件修改后重传。"),
        ]
        notes = [str(n) for n in notes]  # lazy strings: openpyxl stores text only
        write_template(target, spec.columns(), title=spec.sheet, example=spec.example, notes=notes)

    return write


# --- the four imports -------------------------------------------------------------------------

CERTIFICATES = Spec(
    kind="hightech_certificates",
    what=gettext_lazy("高新技术企业名单"),
    model=Certification,
    columns=certificate_columns,
    save=_save_certificate,
    sheet="高新技术企业名单",
    example={
        "seq": 1,
        "enterprise": "江西某某电子科技有限公司",
        "number": "GR201936000123",
        "issued_on": "2019-11-28",
        "field": "电子信息",
    },  # fmt: skip
    notes=(
        gettext_lazy(
            "3. 每行是一张已认定的高新技术企业证书(来源记为「导入」),有效期自发证时间起三年;企业在培育库中已申报的记录改为已认定。"
        ),
        gettext_lazy("4. 技术领域不填时沿用企业已申报记录的技术领域;没有的须填写。"),
        gettext_lazy("5. 企业按统一社会信用代码匹配;未填代码的按企业名称精确匹配本园区企业库。"),
    ),
    renames={"status": "number", "kind": "number", "issued_on": "issued_on"},
)
PATENTS = Spec(
    kind="patents",
    what=gettext_lazy("专利清单"),
    model=Patent,
    columns=patent_columns,
    save=_save_patent,
    sheet="专利清单",
    example={
        "number": "201710601862.3",
        "title": "一种柔性显示模组及其制备方法",
        "kind": "发明",
        "applied_on": "2017-07-01",
        "granted_on": "2019-05-01",
        "status": "有效(已授权)",
        "enterprise": "江西某某电子科技有限公司",
    },  # fmt: skip
    notes=(
        gettext_lazy(
            "3. 可直接导入专利检索系统导出的清单;申请号可带 ZL 前缀,校验位错误的行会指出正确的校验位。"
        ),
        gettext_lazy("4. 申请(专利权)人按名称匹配本园区企业;有多个申请人时取第一个本园区企业。"),
    ),
    several_names=True,
)
PLATFORMS = Spec(
    kind="platforms",
    what=gettext_lazy("创新平台"),
    model=Platform,
    columns=platform_columns,
    save=_save_platform,
    sheet="创新平台",
    example={
        "name": "江西省柔性显示工程技术研究中心",
        "kind": "工程技术研究中心",
        "level": "省级",
        "enterprise": "江西某某电子科技有限公司",
        "recognised_on": "2019-06-01",
    },  # fmt: skip
    notes=(gettext_lazy("3. 同一企业同一级别的平台名称不能重复。"),),
)
TALENTS = Spec(
    kind="talents",
    what=gettext_lazy("科技人才"),
    model=Talent,
    columns=talent_columns,
    save=_save_talent,
    sheet="科技人才",
    example={
        "name": "张三",
        "programme": "江西省双千计划",
        "level": "省级",
        "year": 2019,
        "enterprise": "江西某某电子科技有限公司",
    },  # fmt: skip
)
SPECS = {s.kind: s for s in (CERTIFICATES, PATENTS, PLATFORMS, TALENTS)}


def runner(spec: Spec):
    """`run(user, zone, path, *, progress, name)` for the import pages (core.views.imports)."""

    def run(actor, zone, file_or_path, *, progress=None, name=None) -> ImportResult:
        return run_import(spec, actor, zone, file_or_path, progress=progress, name=name)

    return run


def _cli(spec: Spec):
    def import_file(actor, zone, path, *, update_existing=False, progress=None) -> ImportResult:
        if update_existing:
            raise CommandError(
                _("%(w)s导入不支持 --update:只新建记录,已有记录请在页面修改") % {"w": spec.what},
                returncode=2,
            )
        return run_import(spec, actor, zone, path, progress=progress)

    return import_file


import_certificates = runner(CERTIFICATES)
import_patents = runner(PATENTS)
import_platforms = runner(PLATFORMS)
import_talents = runner(TALENTS)

HIGHTECH_TARGET = Target(label=CERTIFICATES.what, import_file=_cli(CERTIFICATES))
PATENTS_TARGET = Target(label=PATENTS.what, import_file=_cli(PATENTS))
PLATFORMS_TARGET = Target(label=PLATFORMS.what, import_file=_cli(PLATFORMS))
TALENTS_TARGET = Target(label=TALENTS.what, import_file=_cli(TALENTS))
