"""The patent ledger and software copyrights: numbers normalised and checked, a patent's kind
read from its number, one row per number in a zone."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core.models.access import ADD
from gaoxin.core.spreadsheets.normalize import halfwidth

from .. import codes
from ..models import Patent, PatentKind, PatentStatus, SoftwareCopyright
from . import common

PATENT_FIELDS = ("enterprise", "number", "title", "applied_on", "granted_on", "status", "kind")
COPYRIGHT_FIELDS = ("enterprise", "number", "title", "registered_on")
NOT_GRANTED = (PatentStatus.PENDING, PatentStatus.REJECTED, PatentStatus.WITHDRAWN)
PCT = (PatentKind.PCT_INVENTION, PatentKind.PCT_UTILITY)
# 2019SR0123456 (登记号); older ones have fewer serial digits.
_COPYRIGHT = re.compile(r"^(\d{4})SR(\d{4,7})$")


def _patent_taken(zone, number, pk) -> None:
    other = (
        Patent.objects.filter(zone_id=common.zone_id(zone), number=number)
        .exclude(pk=pk)
        .select_related("enterprise")
        .first()
    )
    if other is not None:
        raise ValidationError(
            {"number": _("申请号 %(n)s 已登记:%(e)s 的“%(t)s”")
             % {"n": number, "e": other.enterprise.name, "t": other.title}}
        )  # fmt: skip


def _number_year(number: str) -> int:
    digits = number.split(".")[0]
    if len(digits) == 12:
        return int(digits[:4])
    return 1900 + int(digits[:2]) if int(digits[:2]) >= 85 else 2000 + int(digits[:2])


def _clean_patent(zone, v: dict, pk=None) -> dict:
    v = dict(v)
    v["number"] = common.on_field("number", codes.normalize_patent_number, v["number"])
    derived = codes.patent_kind(v["number"])
    if v["kind"] not in (None, "") and v["kind"] != derived:
        given = PatentKind(v["kind"]).label if v["kind"] in PatentKind.values else v["kind"]
        raise ValidationError(
            {"kind": _("专利类型“%(g)s”与申请号不符:申请号 %(n)s 为%(d)s专利")
             % {"g": given, "n": v["number"], "d": derived.label}}
        )  # fmt: skip
    v["kind"] = derived
    v["title"] = common.text(v["title"], "title", _("专利名称"), 200, required=_("请填写专利名称"))
    v["status"] = common.choice(
        v["status"], PatentStatus, "status", _("法律状态应为审查中、有效、驳回、撤回或失效")
    )
    v["applied_on"] = common.date(v["applied_on"], "applied_on", _("申请日"))
    v["granted_on"] = common.date(v["granted_on"], "granted_on", _("授权公告日"), required=False)
    if derived not in PCT and v["applied_on"].year != _number_year(v["number"]):
        raise ValidationError(
            {"applied_on": _("申请日 %(d)s 与申请号中的年份 %(y)s 不一致")
             % {"d": v["applied_on"], "y": _number_year(v["number"])}}
        )  # fmt: skip
    if v["granted_on"] and v["granted_on"] < v["applied_on"]:
        raise ValidationError({"granted_on": _("授权公告日不能早于申请日")})
    if v["status"] == PatentStatus.GRANTED and not v["granted_on"]:
        raise ValidationError({"granted_on": _("已授权的专利须填写授权公告日")})
    if v["status"] in NOT_GRANTED and v["granted_on"]:
        raise ValidationError(
            {"granted_on": _("状态为%(s)s的专利不应填写授权公告日")
             % {"s": PatentStatus(v["status"]).label}}
        )  # fmt: skip
    _patent_taken(zone, v["number"], pk)
    return v


@transaction.atomic
def add_patent(
    actor,
    zone,
    *,
    enterprise,
    number,
    title,
    applied_on,
    status,
    granted_on=None,
    kind=None,
    source="entered",
) -> Patent:
    """A patent or application of an enterprise; its kind comes from the number when omitted
    (a given kind that contradicts the number is refused)."""
    common.require(actor, Patent, zone, ADD)
    values = _clean_patent(
        zone,
        {
            "enterprise": common.enterprise_in(actor, zone, enterprise),
            "number": number,
            "title": title,
            "applied_on": applied_on,
            "granted_on": granted_on,
            "status": status,
            "kind": kind,
        },
    )
    patent = Patent(zone_id=common.zone_id(zone), source=common.source(source), **values)
    return common.save_new(actor, patent, _("申请号 %(n)s 已登记") % {"n": values["number"]})


@transaction.atomic
def update_patent(actor, patent, *, version, **fields) -> Patent:
    """Change a patent (its legal status, grant date, owner …); a stale `version` answers 409."""
    patent = common.lock(actor, Patent, patent)
    common.check_fields(fields, PATENT_FIELDS)
    if "enterprise" in fields:
        fields["enterprise"] = common.enterprise_in(actor, patent.zone, fields["enterprise"])
    if "number" in fields and "kind" not in fields:
        fields["kind"] = None  # re-read from the new number
    values = _clean_patent(
        patent.zone, common.current_values(patent, PATENT_FIELDS) | fields, patent.pk
    )
    return common.save_changes(
        actor, patent, values, version=version,
        duplicate_message=_("申请号 %(n)s 已登记") % {"n": values["number"]},
    )  # fmt: skip


def normalize_copyright_number(text) -> str:
    """A software copyright registration number (登记号) as 2019SR0123456."""
    number = "".join(halfwidth(str(text or "")).upper().split())
    if not number:
        raise ValidationError({"number": _("请填写软件著作权登记号")})
    if not _COPYRIGHT.match(number):
        raise ValidationError(
            {"number": _("软件著作权登记号格式应为 年份 + SR + 序号,如 2019SR0123456")}
        )
    return number


def _clean_copyright(zone, v: dict, pk=None) -> dict:
    v = dict(v)
    v["number"] = normalize_copyright_number(v["number"])
    v["title"] = common.text(v["title"], "title", _("软件名称"), 200, required=_("请填写软件名称"))
    v["registered_on"] = common.date(v["registered_on"], "registered_on", _("登记日期"))
    if int(v["number"][:4]) > v["registered_on"].year:
        raise ValidationError({"registered_on": _("登记日期早于登记号中的年份")})
    other = (
        SoftwareCopyright.objects.filter(zone_id=common.zone_id(zone), number=v["number"])
        .exclude(pk=pk)
        .select_related("enterprise")
        .first()
    )
    if other is not None:
        raise ValidationError(
            {"number": _("登记号 %(n)s 已登记:%(e)s 的“%(t)s”")
             % {"n": v["number"], "e": other.enterprise.name, "t": other.title}}
        )  # fmt: skip
    return v


@transaction.atomic
def add_copyright(actor, zone, *, enterprise, number, title, registered_on) -> SoftwareCopyright:
    """A registered software copyright of an enterprise (Class II IP)."""
    common.require(actor, SoftwareCopyright, zone, ADD)
    values = _clean_copyright(
        zone,
        {
            "enterprise": common.enterprise_in(actor, zone, enterprise),
            "number": number,
            "title": title,
            "registered_on": registered_on,
        },
    )
    row = SoftwareCopyright(zone_id=common.zone_id(zone), **values)
    return common.save_new(actor, row, _("登记号 %(n)s 已登记") % {"n": values["number"]})


@transaction.atomic
def update_copyright(actor, row, *, version=None, **fields) -> SoftwareCopyright:
    """Correct a software copyright (not versioned: `version` is accepted and ignored)."""
    row = common.lock(actor, SoftwareCopyright, row)
    common.check_fields(fields, COPYRIGHT_FIELDS)
    if "enterprise" in fields:
        fields["enterprise"] = common.enterprise_in(actor, row.zone, fields["enterprise"])
    values = _clean_copyright(
        row.zone, common.current_values(row, COPYRIGHT_FIELDS) | fields, row.pk
    )
    return common.save_changes(
        actor, row, values, duplicate_message=_("登记号 %(n)s 已登记") % {"n": values["number"]}
    )
