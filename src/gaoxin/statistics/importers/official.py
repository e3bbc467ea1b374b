"""Official figures from a spreadsheet (报告期, 指标, 数值, 同比增长(%), 数据来源, 来源说明): one
row per indicator and period, upserted per (zone, indicator, period), all or nothing. The rules are
`official.save_official`'s; the sheet is small, so rows are written with the ORM."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord
from gaoxin.core.periods import Period
from gaoxin.core.spreadsheets import CellError, header_key

from ..catalogue import indicators_for
from ..models import OfficialFigure
from ..services.official import SOURCE_NOTE_MAX
from ..services.reporting import bounded
from .columns import amount_parser
from .validation import TOO_BIG


class Conflict(Exception):
    def __init__(self, errors):
        self.errors = errors


def validate(zone, parsed) -> tuple[list, list]:
    """(figures to save as (row, indicator, period, values), errors)."""
    layout = parsed.layout
    indicators = indicators_for(zone, source="official", active_only=False)
    lookup = {}
    for i in indicators:
        lookup.setdefault(header_key(i.code), i)
        lookup.setdefault(header_key(i.name), i)
    others = {
        header_key(i.name): i
        for i in indicators_for(zone, active_only=False)
        if i not in indicators
    }
    plan, errors, first_row = [], [], {}

    def error(record, field_name, reason, value=None):
        if value is None and field_name:
            value = record.raw.get(field_name)
        errors.append(layout.error(record.row, field_name, value, reason))

    for record in parsed.records:
        v = record.values
        indicator = None
        if v.get("indicator") and "indicator" not in record.failed:
            key = header_key(v["indicator"])
            indicator = lookup.get(key)
            if indicator is None:
                other = others.get(key) or next(
                    (i for i in indicators_for(zone) if i.code == v["indicator"]), None
                )
                if other is not None:
                    reason = _("「%(n)s」由平台根据企业报表计算,不是官方发布的指标,不能导入") % {
                        "n": other.name
                    }
                else:
                    reason = _("未知的官方指标「%(v)s」,可选:%(k)s") % {
                        "v": v["indicator"], "k": "、".join(i.name for i in indicators),
                    }  # fmt: skip
                error(record, "indicator", reason)
        period = v.get("period")
        values = {"yoy_pct": v.get("yoy_pct"), "source": v.get("source")}
        try:
            values["source_note"] = bounded(
                v.get("source_note"), "source_note", SOURCE_NOTE_MAX, _("来源说明")
            )
        except ValidationError as exc:
            error(record, "source_note", exc.message_dict["source_note"][0])
            continue
        if indicator is not None and v.get("value") is not None and "value" not in record.failed:
            try:
                number = amount_parser(indicator)(v["value"])
            except ValueError as exc:
                error(record, "value", str(exc))
                continue
            if number is not None and abs(number) >= TOO_BIG:
                error(record, "value", _("数值过大,请检查单位(应为%(u)s)") % {"u": indicator.unit})
                continue
            values["value"] = number
        else:
            values["value"] = None
        if values["yoy_pct"] is not None and abs(values["yoy_pct"]) >= 10**7:
            error(record, "yoy_pct", _("同比增长应为百分数,如 10.4"))
            continue
        if indicator is None or period is None or record.failed:
            continue
        if values["value"] is None and values["yoy_pct"] is None:
            error(record, "value", _("数值和同比增长至少填写一项"), "")
            continue
        key = (indicator.pk, period)
        if key in first_row:
            error(
                record, "indicator",
                _("与第 %(r)d 行重复:同一指标同一报告期(%(p)s)只能有一行")
                % {"r": first_row[key], "p": Period.of(period).label()},
            )  # fmt: skip
            continue
        first_row[key] = record.row
        plan.append((record.row, indicator, period, values))
    return plan, errors


def write(actor, zone, plan, result) -> None:
    """Upsert the figures and audit each (as save_official does) plus the import."""
    existing = {
        (f.indicator_id, f.period): f
        for f in OfficialFigure.objects.select_for_update().filter(
            zone=zone, indicator_id__in={i.pk for _r, i, _p, _v in plan},
            period__in={p for _r, _i, p, _v in plan},
        )
    }  # fmt: skip
    creates, updates, records = [], [], []
    for _row, indicator, period, values in plan:
        figure = existing.get((indicator.pk, period))
        before = None
        if figure is None:
            figure = OfficialFigure(zone=zone, indicator=indicator, period=period)
            creates.append(figure)
        else:
            before = audit.snapshot(figure)
            figure.version += 1
            updates.append(figure)
        figure.value, figure.yoy_pct = values["value"], values["yoy_pct"]
        figure.source, figure.source_note = values["source"], values["source_note"]
        figure.entered_by_name = actor.username
        records.append((figure, before, f"{indicator.name} {Period.of(period).ytd_label()}"))
    try:
        with transaction.atomic():
            OfficialFigure.objects.bulk_create(creates)
            OfficialFigure.objects.bulk_update(
                updates, ["value", "yoy_pct", "source", "source_note", "version",
                          "entered_by_name", "updated_at"],
            )  # fmt: skip
            if any(f.pk is None for f in creates):
                saved = {
                    (f.indicator_id, f.period): f.pk
                    for f in OfficialFigure.objects.filter(zone=zone)
                }
                for f in creates:
                    f.pk = saved[(f.indicator_id, f.period)]
            result.created, result.updated = len(creates), len(updates)
            rows = [
                audit.build(
                    actor,
                    AuditRecord.Action.UPDATE if before else AuditRecord.Action.CREATE,
                    figure, before=before, after=audit.snapshot(figure), repr_=label,
                    message=_("批量导入"),
                )
                for figure, before, label in records
            ]  # fmt: skip
            rows.append(
                audit.build(
                    actor, AuditRecord.Action.IMPORT, zone=zone,
                    repr_=_("官方数据批量导入:%(f)s") % {"f": result.file_name},
                    message=result.summary(),
                    after={"file": result.file_name, "rows": result.rows,
                           "created": result.created, "updated": result.updated},
                )
            )  # fmt: skip
            AuditRecord.objects.bulk_create(rows)
    except IntegrityError:
        reason = _("写入时与库中数据冲突(可能有人同时录入了相同的官方数据),已全部撤销,请重新导入")
        raise Conflict([CellError(None, "", "", reason)]) from None
