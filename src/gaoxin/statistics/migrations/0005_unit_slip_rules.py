"""Every return indicator whose unit can slip (万元, 万千瓦时, 万吨 …) gets its unit_slip rule on
an existing installation: the standard rules added to the catalogue since 0002 (profit, tax, R&D,
exports, fixed-asset investment), and a zone rule for each of the zones' own indicators
(statistics.catalogue, "unit slips"). Rows already there are left as they are."""

from django.db import migrations

from gaoxin.statistics.catalogue import (
    SLIP_CODE_PREFIX,
    STANDARD_RULES,
    UNIT_SLIP,
    ensure_unit_slip_rule,
)


def _standard_slips():
    return [
        (position, row)
        for position, row in enumerate(STANDARD_RULES, start=1)
        if row[2] == UNIT_SLIP
    ]


def add(apps, schema_editor):
    Indicator = apps.get_model("statistics", "Indicator")
    Rule = apps.get_model("statistics", "Rule")
    standard = {i.code: i for i in Indicator.objects.filter(zone__isnull=True)}
    for position, (code, name, kind, indicator, _other, params, severity) in _standard_slips():
        if indicator not in standard or Rule.objects.filter(zone__isnull=True, code=code).exists():
            continue
        Rule.objects.create(
            zone=None, code=code, name=name, kind=kind, indicator=standard[indicator],
            params=params, severity=severity, position=position * 10,
        )  # fmt: skip
    for indicator in Indicator.objects.filter(zone__isnull=False, source="return"):
        ensure_unit_slip_rule(Rule, indicator)


def remove(apps, schema_editor):
    Rule = apps.get_model("statistics", "Rule")
    codes = [row[0] for _p, row in _standard_slips()]
    old = {"unit-slip-output", "unit-slip-revenue", "unit-slip-electricity"}  # seeded by 0002
    Rule.objects.filter(zone__isnull=True, code__in=set(codes) - old).delete()
    Rule.objects.filter(
        zone__isnull=False, kind=UNIT_SLIP, code__startswith=SLIP_CODE_PREFIX
    ).exclude(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("statistics", "0004_rollup_counts")]
    operations = [migrations.RunPython(add, remove)]
