"""Certifications (高新技术企业, 科技型中小企业, the zone's other titles), the high-tech annual
reports, the zone's titles and yearly targets.

A high-tech certificate's number is checked by `codes.check_hightech_number`; its expiry is
computed (issue date + 3 years − 1 day), never typed; an enterprise holds one valid certificate at
a time. Every certification write re-derives the enterprise's registry flag (`flags`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core.clock import today
from gaoxin.core.models.access import ADD, CHANGE

from .. import codes
from ..models import (
    AnnualReport,
    Certification,
    CertKind,
    CertStatus,
    Target,
    TechField,
    Title,
)
from ..models.choices import HIGHTECH_VALID_YEARS
from . import common
from .flags import sync_enterprise_flag

CERT_FIELDS = (
    "status",
    "number",
    "field",
    "applied_on",
    "issued_on",
    "year",
    "score",
    "title",
    "note",
    "source",
)
# Statuses that mean a certificate was issued: they need its number and date.
ISSUED = (CertStatus.CERTIFIED, CertStatus.EXPIRED, CertStatus.REVOKED)
FIRST_TECH_SME_YEAR = 2017  # 科技型中小企业评价 began in 2017
REPORT_DUE = (5, 31)  # the annual report on a year is due by 31 May of the next
TARGET_FIGURES = (
    "new_hightech",
    "reserve",
    "invention_patents",
    "provincial_platforms",
    "provincial_talents",
    "cloud_enterprises",
    "population",
)
MAX_POPULATION = 100_000_000


def expiry(issued_on: datetime.date) -> datetime.date:
    """The last day a certificate issued on `issued_on` holds: three years on, less a day
    (29 Feb rolls to 1 Mar first)."""
    try:
        anniversary = issued_on.replace(year=issued_on.year + HIGHTECH_VALID_YEARS)
    except ValueError:
        anniversary = datetime.date(issued_on.year + HIGHTECH_VALID_YEARS, 3, 1)
    return anniversary - datetime.timedelta(days=1)


def _number_taken(zone, number, pk) -> None:
    other = (
        Certification.objects.filter(zone_id=common.zone_id(zone), number=number)
        .exclude(pk=pk)
        .select_related("enterprise")
        .first()
    )
    if other is not None:
        raise ValidationError(
            {"number": _("证书编号 %(n)s 已登记(%(e)s,%(k)s)")
             % {"n": number, "e": other.enterprise.name, "k": other.get_kind_display()}}
        )  # fmt: skip


def _hightech(v: dict, pk) -> dict:
    status = v["status"]
    if v["number"]:
        v["number"] = common.on_field("number", codes.check_hightech_number, v["number"])
    if v["field"] and v["field"] not in TechField.values:
        raise ValidationError({"field": _("技术领域应为八大高新技术领域之一")})
    if v["score"] is not None:
        raise ValidationError({"score": _("评价得分只适用于科技型中小企业")})
    if status in ISSUED:
        label = CertStatus(status).label
        if not v["number"]:
            raise ValidationError({"number": _("%(s)s的证书须填写证书编号") % {"s": label}})
        if not v["issued_on"]:
            raise ValidationError({"issued_on": _("%(s)s的证书须填写发证日期") % {"s": label}})
    if status == CertStatus.CERTIFIED and not v["field"]:
        raise ValidationError({"field": _("已认定的高新技术企业须选择技术领域")})
    if v["number"] and v["issued_on"] and v["number"][2:6] != str(v["issued_on"].year):
        raise ValidationError(
            {"issued_on": _("发证日期 %(d)s 与证书编号中的年份 %(y)s 不一致")
             % {"d": v["issued_on"], "y": v["number"][2:6]}}
        )  # fmt: skip
    v["expires_on"] = expiry(v["issued_on"]) if v["issued_on"] else None
    if status == CertStatus.EXPIRED and v["expires_on"] >= today():
        raise ValidationError(
            {"status": _("证书有效期至 %(d)s,尚未到期;提前失效请改为已撤销")
             % {"d": v["expires_on"]}}
        )  # fmt: skip
    if v["year"] is None and v["issued_on"]:
        v["year"] = v["issued_on"].year
    if status == CertStatus.CERTIFIED:
        _one_valid_certificate(v, pk)
    return v


def _one_valid_certificate(v: dict, pk) -> None:
    """No other certified high-tech certificate of the enterprise overlaps this one's validity."""
    other = (
        Certification.objects.filter(
            enterprise=v["enterprise"],
            kind=CertKind.HIGHTECH,
            status=CertStatus.CERTIFIED,
            issued_on__lte=v["expires_on"],
            expires_on__gte=v["issued_on"],
        )
        .exclude(pk=pk)
        .first()
    )
    if other is not None:
        raise ValidationError(
            {"status": _("该企业已有有效期重叠的高新技术企业证书 %(n)s(有效期至 %(d)s),"
                         "请先将其改为已到期或已撤销")
             % {"n": other.number, "d": other.expires_on}}
        )  # fmt: skip


def _tech_sme(v: dict, pk) -> dict:
    v["year"] = common.integer(
        v["year"], "year", _("评价年度"), low=FIRST_TECH_SME_YEAR, high=today().year + 1
    )
    v["score"] = common.integer(
        v["score"], "score", _("评价得分"), low=0, high=100,
        required=v["status"] == CertStatus.CERTIFIED,
    )  # fmt: skip
    v["field"] = v["field"] or ""
    if v["field"]:
        raise ValidationError({"field": _("技术领域只适用于高新技术企业")})
    v["expires_on"] = None
    same = Certification.objects.filter(
        enterprise=v["enterprise"], kind=CertKind.TECH_SME, year=v["year"]
    ).exclude(pk=pk)
    if same.exists():
        raise ValidationError(
            {"year": _("该企业 %(y)s 年度的科技型中小企业评价已登记") % {"y": v["year"]}}
        )
    return v


def _title(v: dict, zone, pk) -> dict:
    tid = common.pk_of(v["title"])
    title = Title.objects.filter(pk=tid, zone_id=common.zone_id(zone)).first() if tid else None
    if title is None:
        raise ValidationError({"title": _("请选择本园区设定的称号")})
    v["title"] = title
    v["year"] = common.year(v["year"], required=title.yearly)
    if v["score"] is not None or v["field"]:
        raise ValidationError({"title": _("称号不填写技术领域和评价得分")})
    v["expires_on"] = None
    same = Certification.objects.filter(
        enterprise=v["enterprise"], kind=CertKind.TITLE, title=title, year=v["year"]
    ).exclude(pk=pk)
    if same.exists():
        raise ValidationError({"title": _("该企业已登记称号“%(t)s”") % {"t": title.name}})
    return v


def _clean(zone, v: dict, pk=None) -> dict:
    """The certification's values checked together; `v` holds every field."""
    v = dict(v)
    v["kind"] = common.choice(
        v["kind"], CertKind, "kind", _("类别应为高新技术企业、科技型中小企业或其他称号")
    )
    v["status"] = common.choice(
        v["status"], CertStatus, "status", _("状态应为培育中、已申报、已认定、已到期或已撤销")
    )
    v["number"] = common.text(v["number"], "number", _("证书编号"), 40)
    v["field"] = v["field"] or ""
    v["applied_on"] = common.date(v["applied_on"], "applied_on", _("申报日期"), required=False)
    v["issued_on"] = common.date(v["issued_on"], "issued_on", _("发证日期"), required=False)
    if v["applied_on"] and v["issued_on"] and v["issued_on"] < v["applied_on"]:
        raise ValidationError({"issued_on": _("发证日期不能早于申报日期")})
    if v["score"] not in (None, "") and v["kind"] != CertKind.TECH_SME:
        raise ValidationError({"score": _("评价得分只适用于科技型中小企业")})
    v["score"] = None if v["score"] in (None, "") else v["score"]
    v["note"] = common.note(v["note"])
    v["source"] = common.source(v["source"])
    if v["kind"] != CertKind.TITLE:
        if v["title"] not in (None, ""):
            raise ValidationError({"title": _("只有“其他称号”类别才选择称号")})
        v["title"] = None
    if v["kind"] == CertKind.HIGHTECH:
        v["year"] = common.year(v["year"], required=False)
        v = _hightech(v, pk)
    elif v["kind"] == CertKind.TECH_SME:
        v = _tech_sme(v, pk)
    else:
        v = _title(v, zone, pk)
    if v["number"]:
        _number_taken(zone, v["number"], pk)
    return v


def _duplicate(v) -> str:
    return _("证书编号 %(n)s 或同一认定已登记") % {"n": v.get("number") or "-"}


@transaction.atomic
def add_certification(
    actor,
    zone,
    *,
    enterprise,
    kind,
    status,
    number="",
    field="",
    applied_on=None,
    issued_on=None,
    year=None,
    score=None,
    title=None,
    note="",
    source="entered",
) -> Certification:
    """Record a certification, a tech-SME evaluation or a title of an enterprise; a high-tech
    certificate's expiry is computed from its issue date."""
    common.require(actor, Certification, zone, ADD)
    values = _clean(
        zone,
        {
            "enterprise": common.enterprise_in(actor, zone, enterprise),
            "kind": kind,
            "status": status,
            "number": number,
            "field": field,
            "applied_on": applied_on,
            "issued_on": issued_on,
            "year": year,
            "score": score,
            "title": title,
            "note": note,
            "source": source,
        },
    )
    cert = common.save_new(
        actor, Certification(zone_id=common.zone_id(zone), **values), _duplicate(values)
    )
    sync_enterprise_flag(cert.enterprise)
    return cert


@transaction.atomic
def update_certification(actor, cert, *, version, **fields) -> Certification:
    """Change a certification (its status along the pipeline, number, dates …); its kind and
    enterprise stay. A stale `version` answers 409."""
    cert = common.lock(actor, Certification, cert)
    common.check_fields(fields, CERT_FIELDS)
    _check_transition(cert, fields.get("status", cert.status))
    current = common.current_values(cert, ("enterprise", "kind", *CERT_FIELDS))
    if "issued_on" in fields and "year" not in fields and cert.kind == CertKind.HIGHTECH:
        current["year"] = None  # re-derived from the new issue date
    values = _clean(cert.zone, current | fields, cert.pk)
    values.pop("enterprise"), values.pop("kind")
    cert = common.save_changes(
        actor, cert, values, version=version, duplicate_message=_duplicate(values)
    )
    sync_enterprise_flag(cert.enterprise)
    return cert


def _check_transition(cert: Certification, status) -> None:
    """An issued certificate stays issued (certified, expired, revoked, corrections among them);
    its renewal is a new record that starts as cultivating or applied."""
    if cert.status in ISSUED and status in (CertStatus.CULTIVATING, CertStatus.APPLIED):
        raise ValidationError(
            {"status": _("已发证的证书不能改回%(s)s;重新认定请登记新的申报记录")
             % {"s": CertStatus(status).label}}
        )  # fmt: skip


def report_due(year: int) -> datetime.date:
    """When the high-tech annual report on `year` is due (31 May of the next year)."""
    return datetime.date(year + 1, *REPORT_DUE)


@transaction.atomic
def file_annual_report(actor, cert, *, year, filed_on) -> AnnualReport:
    """Record that a certified enterprise filed its annual report on `year` on `filed_on`."""
    cert = common.lock(actor, Certification, cert)
    if cert.kind != CertKind.HIGHTECH or not cert.issued_on:
        raise ValidationError({"certification": _("只有已发证的高新技术企业证书需要填报年报")})
    last = min(cert.expires_on.year, today().year - 1)
    year = common.integer(year, "year", _("报告年度"), low=cert.issued_on.year, high=last)
    filed_on = common.date(filed_on, "filed_on", _("填报日期"))
    if filed_on.year <= year:
        raise ValidationError({"filed_on": _("%(y)s 年度的年报应在 %(n)s 年填报") % {
            "y": year, "n": year + 1}})  # fmt: skip
    report = AnnualReport.objects.select_for_update().filter(certification=cert, year=year).first()
    if report is None:
        report = AnnualReport(zone_id=cert.zone_id, certification=cert, year=year)
        report.due_on, report.filed_on = report_due(year), filed_on
        return common.save_new(actor, report, _("该年度的年报已登记"))
    if report.filed_on:
        raise ValidationError(
            {"year": _("%(y)s 年度的年报已于 %(d)s 填报") % {"y": year, "d": report.filed_on}}
        )
    return common.save_changes(
        actor, report, {"filed_on": filed_on}, duplicate_message=_("该年度的年报已登记")
    )


@transaction.atomic
def add_title(actor, zone, *, name, yearly=False) -> Title:
    """Another title the zone tracks (专精特新, 瞪羚企业 …); the zone's admins set them."""
    common.require(actor, Title, zone, ADD, _("只有园区管理员可以设定称号"))
    name = common.text(name, "name", _("称号"), 40, required=_("请填写称号"))
    if Title.objects.filter(zone_id=common.zone_id(zone), name=name).exists():
        raise ValidationError({"name": _("本园区已有称号“%(n)s”") % {"n": name}})
    title = Title(zone_id=common.zone_id(zone), name=name, yearly=bool(yearly))
    return common.save_new(actor, title, _("本园区已有称号“%(n)s”") % {"n": name})


def _figures(figures: dict) -> dict:
    common.check_fields(figures, TARGET_FIGURES)
    out = {}
    for key, value in figures.items():
        label = Target._meta.get_field(key).verbose_name
        high = MAX_POPULATION if key == "population" else common.MAX_COUNT
        out[key] = common.integer(value, key, label, low=0, high=high, required=key != "population")
    return out


@transaction.atomic
def save_target(actor, zone, *, year, version=None, **figures) -> Target:
    """Set the zone's innovation targets for `year` (creates the year's row, or changes it: a
    stale `version` answers 409)."""
    common.require(actor, Target, zone, CHANGE, _("只有园区管理员可以设定科创目标"))
    year = common.integer(year, "year", _("年度"), low=2000, high=today().year + 5)
    values = _figures(figures)
    target = Target.objects.select_for_update().filter(zone_id=common.zone_id(zone), year=year)
    target = target.first()
    if target is None:
        common.require(actor, Target, zone, ADD, _("只有园区管理员可以设定科创目标"))
        target = Target(zone_id=common.zone_id(zone), year=year, **values)
        return common.save_new(actor, target, _("%(y)s 年的目标已设定") % {"y": year})
    return common.save_changes(
        actor, target, values, version=version, duplicate_message=_("目标已设定")
    )
