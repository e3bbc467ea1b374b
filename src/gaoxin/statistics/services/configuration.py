"""Writes to a zone's catalogue: its own indicators, and its versions of the check rules (a zone's
rule of a standard rule's code replaces it: other thresholds, another severity, or switched off).

Like `services`, each function runs in one transaction, checks access, validates, bumps the
version and writes the audit record. Standard rows (zone empty) are never changed here.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core import audit
from gaoxin.core.errors import Forbidden
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import ADD, CHANGE, can_in_zone
from gaoxin.core.records import check_version

from ..catalogue import ensure_unit_slip_rule
from ..models import Deadline, Indicator, Rule

INDICATOR_FIELDS = (
    "name",
    "unit",
    "frequency",
    "cumulative",
    "source",
    "aggregation",
    "decimal_places",
    "definition",
    "department",
    "is_active",
)
# The thresholds each kind of rule reads (checks.py); a zone may change these and nothing else.
RULE_PARAMS = {
    Rule.Kind.REQUIRED: (),
    Rule.Kind.RANGE: ("min", "max"),
    Rule.Kind.NOT_DECREASING: (),
    Rule.Kind.SWING_MONTH: ("pct",),
    Rule.Kind.SWING_YEAR: ("pct",),
    Rule.Kind.RATIO: ("min", "max"),
    Rule.Kind.PEER_OUTLIER: ("factor", "min_peers"),
    Rule.Kind.UNIT_SLIP: ("factor", "min_peers"),
}
PARAM_LABELS = {
    "min": gettext_lazy("下限"),
    "max": gettext_lazy("上限"),
    "pct": gettext_lazy("波动阈值(%)"),
    "factor": gettext_lazy("倍数"),
    "min_peers": gettext_lazy("最少同行企业数"),
}


def may_configure(actor, zone, action: str = CHANGE) -> bool:
    """Whether `actor` may change `zone`'s statistics settings (the settings policy: admins and
    the zone's officers; Deadline carries that policy)."""
    return can_in_zone(actor, Deadline, zone, action)


def _require(actor, zone, action):
    if not may_configure(actor, zone, action):
        raise Forbidden(_("无权修改本园区的统计指标或审核规则"))


# --- indicators -------------------------------------------------------------------------------


@transaction.atomic
def save_indicator(actor, zone, *, indicator=None, code=None, version=None, **fields) -> Indicator:
    """Add the zone's own indicator (`code` and `fields`), or edit one (`indicator`: the zone's
    row or its pk, with the `version` the edit began from). Standard indicators are not edited."""
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"unknown indicator fields: {sorted(unknown)}")
    zone_id = getattr(zone, "pk", zone)
    if indicator is None:
        _require(actor, zone, ADD)
        code = (code or "").strip()
        if (
            Indicator.objects.filter(code=code)
            .filter(Q(zone__isnull=True) | Q(zone_id=zone_id))
            .exists()
        ):
            raise ValidationError({"code": _("指标代码 %(c)s 已存在") % {"c": code}})
        row, before = Indicator(zone_id=zone_id, code=code), None
    else:
        _require(actor, zone, CHANGE)
        pk = getattr(indicator, "pk", indicator)
        row = Indicator.objects.select_for_update().filter(zone_id=zone_id, pk=pk).first()
        if row is None:
            raise Indicator.DoesNotExist(_("未找到本园区自设的该指标"))
        check_version(row, version)
        before = audit.snapshot(row)
        row.version += 1
    for name, value in fields.items():
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    errors = {}
    if row.source == Indicator.Source.COMPUTED:
        errors["source"] = _("园区自设指标的来源应为企业报表或官方数据")
    if row.aggregation == Indicator.Aggregation.RATIO:
        errors["aggregation"] = _("比值指标需指定分子分母,请联系平台管理员设置")
    if row.source == Indicator.Source.RETURN and row.aggregation == Indicator.Aggregation.NONE:
        errors["aggregation"] = _("企业报表指标应按求和汇总")
    if errors:
        raise ValidationError(errors)
    row.full_clean(exclude={"zone", "numerator", "denominator"}, validate_constraints=False)
    row.save()
    audit.record(
        actor,
        AuditRecord.Action.UPDATE if before else AuditRecord.Action.CREATE,
        row,
        zone=zone_id,
        before=before,
        after=audit.snapshot(row),
    )
    slip = ensure_unit_slip_rule(Rule, row)  # a figure in 万元, 万千瓦时 … is checked for slips
    if slip is not None:
        audit.record(
            actor, AuditRecord.Action.CREATE, slip, zone=zone_id, after=audit.snapshot(slip)
        )
    return row


# --- rules ------------------------------------------------------------------------------------


def effective_rules(zone) -> list[Rule]:
    """The zone's rules, switched-off ones too: standard rules with the zone's own in their place."""
    rows = {}
    qs = Rule.objects.select_related("indicator", "other").filter(
        Q(zone__isnull=True) | Q(zone=zone)
    )
    for row in qs.order_by("position", "code"):
        if row.code not in rows or row.zone_id is not None:
            rows[row.code] = row
    return sorted(rows.values(), key=lambda r: (r.position, r.code))


def _clean_params(kind, params) -> dict:
    allowed = RULE_PARAMS.get(kind, ())
    errors, clean = {}, {}
    for key, raw in (params or {}).items():
        if key not in allowed:
            errors[f"params.{key}"] = _("该类规则没有参数 %(k)s") % {"k": key}
            continue
        if raw is None or raw == "":
            continue
        try:
            number = Decimal(str(raw).strip())
            if not number.is_finite():
                raise ValueError
        except (InvalidOperation, ValueError):
            errors[f"params.{key}"] = _("%(l)s应为数字,实际为 %(v)s") % {
                "l": PARAM_LABELS[key],
                "v": raw,
            }
            continue
        if key != "min" and number <= 0:
            errors[f"params.{key}"] = _("%(l)s应大于 0") % {"l": PARAM_LABELS[key]}
            continue
        if key == "min_peers" and number != number.to_integral_value():
            errors[f"params.{key}"] = _("%(l)s应为整数") % {"l": PARAM_LABELS[key]}
            continue
        clean[key] = int(number) if number == number.to_integral_value() else float(number)
    if "min" in clean and "max" in clean and clean["min"] > clean["max"]:
        errors["params.max"] = _("上限不能小于下限")
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def save_rule(actor, zone, *, code, params=None, severity=None, is_active=None, version=None):
    """Change a rule for the zone: its thresholds (`params`, replaced as given), severity or
    whether it runs. A standard rule is overridden by the zone's rule of the same code."""
    _require(actor, zone, CHANGE)
    zone_id = getattr(zone, "pk", zone)
    rows = list(
        Rule.objects.select_for_update()
        .filter(code=code)
        .filter(Q(zone__isnull=True) | Q(zone_id=zone_id))
    )
    own = next((r for r in rows if r.zone_id == zone_id), None)
    standard = next((r for r in rows if r.zone_id is None), None)
    if own is None and standard is None:
        raise Rule.DoesNotExist(_("未找到审核规则 %(c)s") % {"c": code})
    check_version(own or standard, version)
    if own is None:
        rule, before = (
            Rule(
                zone_id=zone_id,
                code=standard.code,
                name=standard.name,
                kind=standard.kind,
                indicator_id=standard.indicator_id,
                other_id=standard.other_id,
                params=dict(standard.params),
                severity=standard.severity,
                is_active=standard.is_active,
                position=standard.position,
            ),
            None,
        )
    else:
        rule, before = own, audit.snapshot(own)
        rule.version += 1
    if params is not None:  # the thresholds a zone may change; the rule's other params stay
        fixed = {k: v for k, v in rule.params.items() if k not in RULE_PARAMS.get(rule.kind, ())}
        rule.params = {**fixed, **_clean_params(rule.kind, params)}
    if severity is not None:
        if severity not in Rule.Severity.values:
            raise ValidationError({"severity": _("级别应为错误或警告")})
        rule.severity = severity
    if is_active is not None:
        rule.is_active = bool(is_active)
    rule.save()
    audit.record(
        actor,
        AuditRecord.Action.UPDATE if before else AuditRecord.Action.CREATE,
        rule,
        zone=zone_id,
        before=before,
        after=audit.snapshot(rule),
        message=_("调整审核规则 %(c)s") % {"c": code},
    )
    return rule
