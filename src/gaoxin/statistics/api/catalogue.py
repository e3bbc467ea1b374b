"""The zone's catalogue: its indicators (standard and its own) and the check rules in force."""

from ninja import Query

from gaoxin.core.api import reading_zone

from .. import catalogue
from ..services.configuration import effective_rules
from .common import router
from .schemas import (
    READ_ERRORS,
    StatCatalogueQuery,
    StatIndicatorList,
    StatRuleList,
)


def indicator_out(i, by_pk: dict) -> dict:
    return {
        "code": i.code,
        "name": i.name,
        "unit": i.unit,
        "frequency": i.frequency,
        "frequency_name": i.get_frequency_display(),
        "cumulative": i.cumulative,
        "source": i.source,
        "source_name": i.get_source_display(),
        "aggregation": i.aggregation,
        "aggregation_name": i.get_aggregation_display(),
        "numerator": by_pk[i.numerator_id].code if i.numerator_id in by_pk else None,
        "denominator": by_pk[i.denominator_id].code if i.denominator_id in by_pk else None,
        "decimal_places": i.decimal_places,
        "definition": i.definition,
        "department": i.department,
        "is_active": i.is_active,
        "standard": i.zone_id is None,
    }


def rule_out(r) -> dict:
    return {
        "code": r.code,
        "name": r.name,
        "kind": r.kind,
        "kind_name": r.get_kind_display(),
        "indicator": r.indicator.code if r.indicator_id else None,
        "other": r.other.code if r.other_id else None,
        "params": r.params or {},
        "severity": r.severity,
        "severity_name": r.get_severity_display(),
        "is_active": r.is_active,
        "overridden": r.zone_id is not None,
    }


@router.get(
    "/indicators",
    response={200: StatIndicatorList, **READ_ERRORS},
    summary="统计指标目录(标准指标与本园区自设指标)",
)
def list_indicators(request, filters: Query[StatCatalogueQuery]):
    zone = reading_zone(request.auth, filters.zone)
    rows = catalogue.indicators_for(zone, active_only=False)
    by_pk = {i.pk: i for i in rows}
    items = [
        indicator_out(i, by_pk) for i in rows if not filters.source or i.source == filters.source
    ]
    return {"zone": zone.code, "items": items, "count": len(items)}


@router.get(
    "/rules",
    response={200: StatRuleList, **READ_ERRORS},
    summary="本园区生效的审核规则(含已停用的调整)",
)
def list_rules(request, zone: str | None = None):
    zone_obj = reading_zone(request.auth, zone)
    items = [rule_out(r) for r in effective_rules(zone_obj)]
    return {"zone": zone_obj.code, "items": items, "count": len(items)}
