"""The zone's utility companies (with their partner accounts), tariffs and their dated versions
(the rates checked by tariffs.validate_rates), the zone's warning settings, and the prepaid
accounts: each write checked, validated with Chinese messages naming the field, and audited.

An account is version-checked (a save from an older version answers 409); its balance and
forecast are never set here: the ledger (ingest, corrections) and the forecast write them."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord, Zone
from gaoxin.core.models.access import ADD, CHANGE, VIEW, can_in_zone
from gaoxin.core.records import check_version, refuse_in_zone
from gaoxin.core.roles import PARTNER
from gaoxin.enterprises.models import Enterprise

from .. import tariffs
from ..models import (
    Account,
    Kind,
    Reading,
    Structure,
    Tariff,
    TariffVersion,
    UtilityCompany,
    ZoneUtilitySettings,
)
from ..models.choices import STRUCTURES_OF

MAX_PK = 2**63 - 1
TWO_PART_FROM_KVA = Decimal("100")  # two-part tariffs are optional from 100 kVA …
TWO_PART_REQUIRED_KVA = Decimal("315")  # … and compulsory from 315 kVA
MAX_KVA = Decimal("999999999")  # the column's 10 digits, one decimal


# --- what every write here shares ---------------------------------------------------------


def pk_of(value) -> int | None:
    pk = getattr(value, "pk", value)
    if isinstance(pk, bool) or not str(pk).isdigit() or not 0 < int(pk) <= MAX_PK:
        return None
    return int(pk)


def zone_of(value) -> Zone:
    zone = value if isinstance(value, Zone) else Zone.objects.filter(pk=pk_of(value)).first()
    if zone is None:
        raise Zone.DoesNotExist(_("未找到该园区"))
    return zone


def require(actor, model, zone, action, message) -> None:
    """`actor` may do `action` to `model` across `zone`: else 404 (zone out of sight) or 403."""
    if not can_in_zone(actor, model, zone, action):
        refuse_in_zone(actor, zone, message)


def lock(actor, model, obj, action=CHANGE, message=None):
    """The row, locked, if `actor` may do `action` to it: DoesNotExist (404) when it is not
    visible, Forbidden (403) when visible but not allowed."""
    pk = pk_of(obj)
    if pk is None or not model.objects.restrict(actor, VIEW).filter(pk=pk).exists():
        raise model.DoesNotExist(_("未找到该记录"))
    if not model.objects.restrict(actor, action).filter(pk=pk).exists():
        raise Forbidden(message or _("无权修改该记录"))
    return model.objects.select_for_update().select_related("zone").get(pk=pk)


def text(value, field, label, limit, *, required=False) -> str:
    value = "" if value is None else str(value).strip()
    if "\x00" in value:
        raise ValidationError({field: _("%(l)s含有空字符,请删除后重试") % {"l": label}})
    if not value and required:
        raise ValidationError({field: _("请填写%(l)s") % {"l": label}})
    if len(value) > limit:
        raise ValidationError(
            {field: _("%(l)s不能超过 %(max)s 个字(现为 %(n)s 个字)") % {
                "l": label, "max": limit, "n": len(value)}}
        )  # fmt: skip
    return value


def choice(value, choices, field, message):
    if value not in choices.values:
        raise ValidationError({field: message})
    return choices(value)


def date(value, field, label, *, required=True) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(l)s") % {"l": label}})
        return None
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ValidationError({field: _("%(l)s格式应为 YYYY-MM-DD") % {"l": label}})
    if value.year < 2000:
        raise ValidationError({field: _("%(l)s早于2000年,请核对") % {"l": label}})
    return value


def decimal(value, field, label, *, high, places=1, required=False) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("请填写%(l)s") % {"l": label}})
        return None
    try:
        number = None if isinstance(value, bool) else Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError({field: _("%(l)s应为数字") % {"l": label}})
    if number < 0:
        raise ValidationError({field: _("%(l)s不能为负数") % {"l": label}})
    if number > high:
        raise ValidationError({field: _("%(l)s超出合理范围,请核对") % {"l": label}})
    if number != round(number, places):
        raise ValidationError({field: _("%(l)s最多保留%(p)s位小数") % {"l": label, "p": places}})
    return number


def _save(actor, obj, before, duplicate: dict):
    """Save `obj` (audited: CREATE without `before`, UPDATE with it, nothing when unchanged); a
    unique clash answers `duplicate` (field → message) instead of a 500."""
    after = audit.snapshot(obj)
    if before is not None and after == before:
        return obj
    if before is not None and hasattr(obj, "version"):
        obj.version += 1
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise ValidationError(duplicate) from None
    action = AuditRecord.Action.CREATE if before is None else AuditRecord.Action.UPDATE
    audit.record(actor, action, obj, before=before, after=audit.snapshot(obj))
    return obj


def _unknown(fields, allowed):
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError({f: _("不可修改的字段") for f in unknown})


# --- companies ----------------------------------------------------------------------------


def _partners(zone, users) -> list:
    """The users, each holding the partner role in `zone` (a company's interface accounts)."""
    from django.contrib.auth import get_user_model

    pks = [pk_of(u) for u in users or ()]
    found = list(
        get_user_model()
        .objects.filter(pk__in=[p for p in pks if p], is_active=True)
        .filter(memberships__role=PARTNER, memberships__zone=zone)
        .distinct()
    )
    if None in pks or len(found) != len(set(pks)):
        raise ValidationError({"users": _("接口账户须为本园区的合作单位账户")})
    return found


def _company_values(zone, values, pk=None) -> dict:
    out = {}
    if "name" in values:
        out["name"] = text(values["name"], "name", _("单位名称"), 60, required=True)
        if UtilityCompany.objects.filter(zone=zone, name=out["name"]).exclude(pk=pk).exists():
            raise ValidationError({"name": _("本园区已有同名的水电气公司")})
    if "kind" in values:
        out["kind"] = choice(values["kind"], Kind, "kind", _("请选择类别:水、电或气"))
    return out


def add_company(actor, zone, *, name, kind, users=()) -> UtilityCompany:
    with transaction.atomic():
        zone = zone_of(zone)
        require(actor, UtilityCompany, zone, ADD, _("无权登记水电气公司"))
        values = _company_values(zone, {"name": name, "kind": kind})
        partners = _partners(zone, users)
        company = UtilityCompany(zone=zone, **values)
        _save(actor, company, None, {"name": _("本园区已有同名的水电气公司")})
        company.users.set(partners)
        return company


def update_company(actor, company, **fields) -> UtilityCompany:
    """Change a company's name, kind (while it has no accounts) or its partner accounts."""
    _unknown(fields, ("name", "kind", "users"))
    with transaction.atomic():
        company = lock(actor, UtilityCompany, company, message=_("无权修改水电气公司"))
        values = _company_values(company.zone, fields, company.pk)
        if values.get("kind", company.kind) != company.kind and company.accounts.exists():
            raise ValidationError({"kind": _("已有账户的公司不能修改类别")})
        before = audit.snapshot(company)
        for key, value in values.items():
            setattr(company, key, value)
        if "users" in fields:
            company.users.set(_partners(company.zone, fields["users"]))
        _save(actor, company, before, {"name": _("本园区已有同名的水电气公司")})
        return company


# --- tariffs and versions -----------------------------------------------------------------


def _rates(structure, rates) -> dict:
    return tariffs.validate_rates(structure, rates)  # ValidationError {"rates": [...]}


def add_tariff(actor, zone, *, name, kind, structure, valid_from, rates, note="") -> Tariff:
    """A tariff and its first version (the prices from `valid_from`)."""
    with transaction.atomic():
        zone = zone_of(zone)
        require(actor, Tariff, zone, ADD, _("无权登记价格方案"))
        name = text(name, "name", _("名称"), 60, required=True)
        kind = choice(kind, Kind, "kind", _("请选择类别:水、电或气"))
        structure = choice(structure, Structure, "structure", _("请选择计价方式"))
        if structure not in STRUCTURES_OF[kind]:
            raise ValidationError(
                {"structure": _("%(k)s不适用%(s)s") % {"k": kind.label, "s": structure.label}}
            )
        if Tariff.objects.filter(zone=zone, name=name).exists():
            raise ValidationError({"name": _("本园区已有同名的价格方案")})
        tariff = Tariff(zone=zone, name=name, kind=kind, structure=structure)
        _save(actor, tariff, None, {"name": _("本园区已有同名的价格方案")})
        _new_version(actor, tariff, valid_from, rates, note)
        return tariff


def update_tariff(actor, tariff, *, name) -> Tariff:
    """Rename a tariff (its kind and structure are fixed; new prices are a new version)."""
    with transaction.atomic():
        tariff = lock(actor, Tariff, tariff, message=_("无权修改价格方案"))
        name = text(name, "name", _("名称"), 60, required=True)
        if Tariff.objects.filter(zone=tariff.zone, name=name).exclude(pk=tariff.pk).exists():
            raise ValidationError({"name": _("本园区已有同名的价格方案")})
        before = audit.snapshot(tariff)
        tariff.name = name
        return _save(actor, tariff, before, {"name": _("本园区已有同名的价格方案")})


def _new_version(actor, tariff, valid_from, rates, note) -> TariffVersion:
    valid_from = date(valid_from, "valid_from", _("执行日期"))
    note = text(note, "note", _("依据"), 200)
    rates = _rates(tariff.structure, rates)
    if tariff.versions.filter(valid_from=valid_from).exists():
        raise ValidationError({"valid_from": _("该执行日期已有价格版本")})
    priced = (
        Reading.objects.filter(account__tariff=tariff, day__gte=valid_from)
        .order_by("-day")
        .values_list("day", flat=True)
        .first()
    )
    if priced is not None:
        raise ValidationError(
            {"valid_from": _("已有按原价格计费的读数(至%(d)s),新版本的执行日期须晚于该日;"
                             "多收少收请走更正流程") % {"d": priced}}
        )  # fmt: skip
    version = TariffVersion(
        zone_id=tariff.zone_id, tariff=tariff, valid_from=valid_from, rates=rates, note=note
    )
    return _save(actor, version, None, {"valid_from": _("该执行日期已有价格版本")})


def add_version(actor, tariff, *, valid_from, rates, note="") -> TariffVersion:
    """New prices of `tariff` from `valid_from` on (a version is never edited: a change of
    price is a new version; it may not start on or before a day already priced)."""
    with transaction.atomic():
        tariff = lock(actor, Tariff, tariff, message=_("无权修改价格方案"))
        return _new_version(actor, tariff, valid_from, rates, note)


# --- the zone's settings ------------------------------------------------------------------

SETTINGS_LIMITS = {
    "first_level_days": (_("一级预警(剩余天数)"), 1, 60),
    "second_level_days": (_("二级预警(剩余天数)"), 1, 30),
    "drop_percent": (_("骤降幅度(%)"), 10, 95),
    "drop_days": (_("骤降持续天数"), 2, 30),
    "mismatch_percent": (_("用电量核对容差(%)"), 1, 100),
}


def settings_of(zone) -> ZoneUtilitySettings:
    """The zone's settings (an unsaved row with the defaults when none is stored)."""
    zid = getattr(zone, "pk", zone)
    return ZoneUtilitySettings.objects.filter(zone_id=zid).first() or ZoneUtilitySettings(
        zone_id=zid
    )


def save_settings(actor, zone, **fields) -> ZoneUtilitySettings:
    _unknown(fields, SETTINGS_LIMITS)
    with transaction.atomic():
        zone = zone_of(zone)
        require(actor, ZoneUtilitySettings, zone, CHANGE, _("无权修改水电气预警设置"))
        row = ZoneUtilitySettings.objects.select_for_update().filter(zone=zone).first()
        before = audit.snapshot(row) if row else None
        row = row or ZoneUtilitySettings(zone=zone)
        for name, value in fields.items():
            label, low, high = SETTINGS_LIMITS[name]
            number = None
            if not isinstance(value, bool) and str(value).strip().isdigit():
                number = int(str(value).strip())
            if number is None or not low <= number <= high:
                raise ValidationError(
                    {name: _("%(l)s应为 %(a)s 至 %(b)s 之间的整数") % {"l": label, "a": low, "b": high}}
                )  # fmt: skip
            setattr(row, name, number)
        if row.second_level_days >= row.first_level_days:
            raise ValidationError({"second_level_days": _("二级预警天数须少于一级预警天数")})
        return _save(actor, row, before, {})


# --- accounts -----------------------------------------------------------------------------

ACCOUNT_FIELDS = (
    "enterprise", "kind", "meter_no", "company", "tariff", "capacity_kva", "demand_kw",
    "protected", "protected_reason", "protected_from", "protected_until", "opened_on",
    "closed_on",
)  # fmt: skip


def _in_zone(model, zone, value, field, message):
    pk = pk_of(value)
    found = model.objects.filter(pk=pk, zone=zone).first() if pk else None
    if found is None:
        raise ValidationError({field: message})
    return found


def _account_values(actor, zone, v: dict, pk=None) -> dict:
    pk_e = pk_of(v["enterprise"])
    enterprise = (
        Enterprise.objects.restrict(actor, VIEW)
        .filter(pk=pk_e, zone=zone, is_deleted=False)
        .first()
        if pk_e
        else None
    )
    if enterprise is None:
        raise ValidationError({"enterprise": _("企业不存在或不属于本园区")})
    v["enterprise"] = enterprise
    v["kind"] = kind = choice(v["kind"], Kind, "kind", _("请选择类别:水、电或气"))
    v["meter_no"] = text(v["meter_no"], "meter_no", _("表号"), 32, required=True)
    same = Account.objects.filter(zone=zone, kind=kind, meter_no=v["meter_no"]).exclude(pk=pk)
    if same.exists():
        raise ValidationError({"meter_no": _("本园区已有该表号的%(k)s账户") % {"k": kind.label}})
    company = _in_zone(UtilityCompany, zone, v["company"], "company", _("请选择本园区的供应单位"))
    if company.kind != kind:
        raise ValidationError({"company": _("供应单位的类别与账户不符")})
    tariff = _in_zone(Tariff, zone, v["tariff"], "tariff", _("请选择本园区的价格方案"))
    if tariff.kind != kind:
        raise ValidationError({"tariff": _("价格方案的类别与账户不符")})
    v["company"], v["tariff"] = company, tariff
    v["capacity_kva"] = decimal(v["capacity_kva"], "capacity_kva", _("受电容量"), high=MAX_KVA)
    v["demand_kw"] = decimal(v["demand_kw"], "demand_kw", _("核定需量"), high=MAX_KVA)
    if kind != Kind.ELECTRICITY and (v["capacity_kva"] or v["demand_kw"]):
        raise ValidationError({"capacity_kva": _("只有电的账户有受电容量与需量")})
    capacity = v["capacity_kva"]
    two_part = tariff.structure == Structure.TWO_PART
    if capacity is not None and capacity >= TWO_PART_REQUIRED_KVA and not two_part:
        raise ValidationError({"tariff": _("受电容量315kVA及以上须执行两部制电价")})
    if two_part:
        if capacity is None or capacity < TWO_PART_FROM_KVA:
            raise ValidationError({"capacity_kva": _("两部制电价适用于受电容量100kVA及以上")})
        latest = tariff.versions.order_by("-valid_from").first()
        if latest and "demand_price" in latest.rates and not v["demand_kw"]:
            raise ValidationError({"demand_kw": _("按需量计费的两部制电价须填写核定需量")})
    v["protected"] = bool(v["protected"])
    v["protected_reason"] = text(v["protected_reason"], "protected_reason", _("保电原因"), 100)
    if v["protected"] and not v["protected_reason"]:
        raise ValidationError({"protected_reason": _("保电须说明原因")})
    v["protected_from"] = date(v["protected_from"], "protected_from", _("保电开始"), required=False)
    v["protected_until"] = date(
        v["protected_until"], "protected_until", _("保电结束"), required=False
    )
    if v["protected_from"] and v["protected_until"] and v["protected_until"] < v["protected_from"]:
        raise ValidationError({"protected_until": _("保电结束日期早于开始日期")})
    v["opened_on"] = date(v["opened_on"], "opened_on", _("开户日期"))
    v["closed_on"] = date(v["closed_on"], "closed_on", _("销户日期"), required=False)
    if v["closed_on"] and v["closed_on"] < v["opened_on"]:
        raise ValidationError({"closed_on": _("销户日期早于开户日期")})
    return v


def create_account(actor, zone, **fields) -> Account:
    """A prepaid account (one meter of one enterprise): the fields of ACCOUNT_FIELDS."""
    _unknown(fields, ACCOUNT_FIELDS)
    with transaction.atomic():
        zone = zone_of(zone)
        require(actor, Account, zone, ADD, _("无权开设水电气账户"))
        values = {name: fields.get(name) for name in ACCOUNT_FIELDS}
        values = _account_values(actor, zone, values)
        account = Account(zone=zone, **values)
        return _save(actor, account, None, {"meter_no": _("本园区已有该表号的账户")})


def update_account(actor, account, *, version=None, **fields) -> Account:
    """Change an account's fields (ACCOUNT_FIELDS; the kind only while it has no entries): a
    save from an older `version` answers 409 (StaleVersion)."""
    _unknown(fields, ACCOUNT_FIELDS)
    with transaction.atomic():
        account = lock(actor, Account, account, message=_("无权修改水电气账户"))
        if not can_in_zone(actor, Account, account.zone, CHANGE):  # a partner feeds, never edits
            raise Forbidden(_("无权修改水电气账户"))
        check_version(account, version)
        values = {name: getattr(account, name) for name in ACCOUNT_FIELDS}
        values.update(fields)
        values = _account_values(actor, account.zone, values, account.pk)
        if values["kind"] != account.kind and (
            Reading.objects.filter(account=account).exists() or account.balance
        ):
            raise ValidationError({"kind": _("已有台账的账户不能修改类别")})
        before = audit.snapshot(account)
        for key, value in values.items():
            setattr(account, key, value)
        return _save(actor, account, before, {"meter_no": _("本园区已有该表号的账户")})
