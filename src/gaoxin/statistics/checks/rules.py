"""The rules as the checks run them: `prepare` turns the zone's `Rule` rows into plain tuples
with their indicators' effective name and unit, and `Problem` is what a failed rule reports."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Q

from ..models import Indicator


@dataclass(frozen=True, slots=True)
class Problem:
    rule_code: str
    kind: str
    indicator_code: str | None
    severity: str  # "error" | "warning"
    message: str


def explanation_needed(problem: Problem) -> bool:
    """A warning stands once the enterprise explains it; an error must be corrected."""
    return problem.severity == "warning"


@dataclass(frozen=True, slots=True)
class Ind:
    code: str
    name: str
    unit: str
    cumulative: bool


@dataclass(frozen=True, slots=True)
class PreparedRule:
    code: str
    kind: str
    severity: str
    ind: Ind
    other: Ind | None
    params: dict


def threshold(value) -> Decimal | None:
    """A rule's threshold as a Decimal; None when absent or not a number (the service that saves
    rules validates them; a bad one here switches that bound off rather than every check)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def problem(rule: PreparedRule, message: str) -> Problem:
    return Problem(rule.code, rule.kind, rule.ind.code, rule.severity, message)


def prepare(zone_id, rules) -> tuple[list[PreparedRule], dict[str, list[int]]]:
    """The rules as plain tuples with their indicators' effective name/unit (a zone's own
    indicator of a standard code wins), and the indicator ids per code (standard and zone's)."""
    codes = set()
    for rule in rules:
        if rule.indicator_id is None:
            continue
        codes.add(rule.indicator.code)
        if rule.other_id is not None:
            codes.add(rule.other.code)
    effective: dict[str, Ind] = {}
    ids: dict[str, list[int]] = defaultdict(list)
    rows = (
        Indicator.objects.filter(Q(zone__isnull=True) | Q(zone_id=zone_id), code__in=codes)
        .order_by()
        .values_list("id", "code", "name", "unit", "cumulative", "zone_id")
    )
    for pk, code, name, unit, cumulative, _zone in sorted(rows, key=lambda r: r[5] is not None):
        ids[code].append(pk)
        effective[code] = Ind(code, name, unit, cumulative)
    prepared = []
    for rule in rules:
        if rule.indicator_id is None or rule.indicator.code not in effective:
            continue
        other = None
        if rule.kind in ("ratio", "peer_outlier"):
            if rule.other_id is None or rule.other.code not in effective:
                continue
            other = effective[rule.other.code]
        prepared.append(
            PreparedRule(
                rule.code,
                rule.kind,
                rule.severity,
                effective[rule.indicator.code],
                other,
                rule.params or {},
            )
        )
    return prepared, ids
