"""Platforms, talents in programmes, industry–university–research cooperation and cloud adoption:
each with its enterprise, source and note, validated and audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core.models.access import ADD

from ..models import CloudAdoption, CloudLevel, Cooperation, Level, Platform, PlatformKind, Talent
from . import common

COMMON_FIELDS = ("enterprise", "note", "source")
FIELDS = {
    Platform: ("name", "kind", "level", "recognised_on", *COMMON_FIELDS),
    Talent: ("name", "programme", "level", "year", *COMMON_FIELDS),
    Cooperation: ("partner", "project", "amount", "starts_on", "ends_on", *COMMON_FIELDS),
    CloudAdoption: ("level", "adopted_on", "provider", *COMMON_FIELDS),
}
LEVEL_MESSAGE = _("级别应为国家级、省级或市级")


def _common(v: dict) -> dict:
    v["note"] = common.note(v.get("note"))
    v["source"] = common.source(v.get("source"))
    return v


def _platform(zone, v, pk):
    v["name"] = common.text(v["name"], "name", _("平台名称"), 100, required=_("请填写平台名称"))
    v["kind"] = common.choice(v["kind"], PlatformKind, "kind", _("请选择平台类型"))
    v["level"] = common.choice(v["level"], Level, "level", str(LEVEL_MESSAGE))
    v["recognised_on"] = common.date(v["recognised_on"], "recognised_on", _("认定日期"))
    same = Platform.objects.filter(enterprise=v["enterprise"], name=v["name"], level=v["level"])
    if same.exclude(pk=pk).exists():
        raise ValidationError(
            {"name": _("该企业已登记%(l)s平台“%(n)s”") % {
                "l": Level(v["level"]).label, "n": v["name"]}}
        )  # fmt: skip
    return v


def _talent(zone, v, pk):
    v["name"] = common.text(v["name"], "name", _("姓名"), 50, required=_("请填写姓名"))
    v["programme"] = common.text(
        v["programme"], "programme", _("人才计划"), 100, required=_("请填写人才计划")
    )
    v["level"] = common.choice(v["level"], Level, "level", str(LEVEL_MESSAGE))
    v["year"] = common.year(v["year"], label=_("入选年度"))
    same = Talent.objects.filter(
        enterprise=v["enterprise"], name=v["name"], programme=v["programme"], year=v["year"]
    )
    if same.exclude(pk=pk).exists():
        raise ValidationError(
            {"name": _("%(n)s 已登记入选 %(y)s 年%(p)s") % {
                "n": v["name"], "y": v["year"], "p": v["programme"]}}
        )  # fmt: skip
    return v


def _cooperation(zone, v, pk):
    v["partner"] = common.text(
        v["partner"], "partner", _("合作单位"), 100, required=_("请填写合作单位")
    )
    v["project"] = common.text(
        v["project"], "project", _("合作项目"), 200, required=_("请填写合作项目")
    )
    v["amount"] = common.amount(v["amount"])
    v["starts_on"] = common.date(v["starts_on"], "starts_on", _("开始日期"))
    # The end is agreed in the contract: it may lie ahead.
    v["ends_on"] = common.date(v["ends_on"], "ends_on", _("结束日期"), required=False, past=False)
    if v["ends_on"] and v["ends_on"] < v["starts_on"]:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})
    return v


def _cloud(zone, v, pk):
    v["level"] = common.choice(
        v["level"], CloudLevel, "level", _("上云层级应为基础上云、平台上云或深度用云")
    )
    v["adopted_on"] = common.date(v["adopted_on"], "adopted_on", _("上云日期"))
    v["provider"] = common.text(v["provider"], "provider", _("服务商"), 50)
    same = CloudAdoption.objects.filter(enterprise=v["enterprise"], level=v["level"])
    if same.exclude(pk=pk).exists():
        raise ValidationError(
            {"level": _("该企业已登记%(l)s") % {"l": CloudLevel(v["level"]).label}}
        )
    return v


CLEAN = {Platform: _platform, Talent: _talent, Cooperation: _cooperation, CloudAdoption: _cloud}
DUPLICATE = _("该记录已登记")


def _add(actor, zone, model, values: dict):
    common.require(actor, model, zone, ADD)
    values["enterprise"] = common.enterprise_in(actor, zone, values["enterprise"])
    values = CLEAN[model](zone, _common(values), None)
    return common.save_new(actor, model(zone_id=common.zone_id(zone), **values), str(DUPLICATE))


def _update(actor, model, obj, version, fields: dict):
    obj = common.lock(actor, model, obj)
    common.check_fields(fields, FIELDS[model])
    if "enterprise" in fields:
        fields["enterprise"] = common.enterprise_in(actor, obj.zone, fields["enterprise"])
    merged = common.current_values(obj, FIELDS[model]) | fields
    values = CLEAN[model](obj.zone, _common(merged), obj.pk)
    return common.save_changes(
        actor, obj, values, version=version, duplicate_message=str(DUPLICATE)
    )


@transaction.atomic
def add_platform(
    actor, zone, *, enterprise, name, kind, level, recognised_on, note="", source="entered"
) -> Platform:
    """An innovation platform an enterprise hosts, at the level that recognised it."""
    return _add(actor, zone, Platform, {
        "enterprise": enterprise, "name": name, "kind": kind, "level": level,
        "recognised_on": recognised_on, "note": note, "source": source,
    })  # fmt: skip


@transaction.atomic
def update_platform(actor, platform, *, version, **fields) -> Platform:
    """Change a platform; a stale `version` answers 409."""
    return _update(actor, Platform, platform, version, fields)


@transaction.atomic
def add_talent(
    actor, zone, *, enterprise, name, programme, level, year, note="", source="entered"
) -> Talent:
    """A person selected into a talent programme while working at an enterprise."""
    return _add(actor, zone, Talent, {
        "enterprise": enterprise, "name": name, "programme": programme, "level": level,
        "year": year, "note": note, "source": source,
    })  # fmt: skip


@transaction.atomic
def update_talent(actor, talent, *, version=None, **fields) -> Talent:
    """Correct a talent row (not versioned: `version` is ignored)."""
    return _update(actor, Talent, talent, None, fields)


@transaction.atomic
def add_cooperation(
    actor, zone, *, enterprise, partner, project, starts_on, ends_on=None, amount=None,
    note="", source="entered",
) -> Cooperation:  # fmt: skip
    """An industry–university–research cooperation project (amount in 万元, optional)."""
    return _add(actor, zone, Cooperation, {
        "enterprise": enterprise, "partner": partner, "project": project, "amount": amount,
        "starts_on": starts_on, "ends_on": ends_on, "note": note, "source": source,
    })  # fmt: skip


@transaction.atomic
def update_cooperation(actor, cooperation, *, version=None, **fields) -> Cooperation:
    """Correct a cooperation row (not versioned: `version` is ignored)."""
    return _update(actor, Cooperation, cooperation, None, fields)


@transaction.atomic
def add_cloud(
    actor, zone, *, enterprise, level, adopted_on, provider="", note="", source="entered"
) -> CloudAdoption:
    """An enterprise's move to the cloud at a level (one row per level)."""
    return _add(actor, zone, CloudAdoption, {
        "enterprise": enterprise, "level": level, "adopted_on": adopted_on,
        "provider": provider, "note": note, "source": source,
    })  # fmt: skip


@transaction.atomic
def update_cloud(actor, cloud, *, version=None, **fields) -> CloudAdoption:
    """Correct a cloud adoption row (not versioned: `version` is ignored)."""
    return _update(actor, CloudAdoption, cloud, None, fields)
