"""Official figures: what an authority published for the zone (the statistics bureau, the tax
bureau, the power company …), entered or corrected with its source."""

from decimal import InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.models import AuditRecord
from gaoxin.core.models.access import CHANGE, can_in_zone
from gaoxin.core.periods import Period
from gaoxin.core.records import check_version, refuse_in_zone

from ..catalogue import indicators_for
from ..models import Indicator, OfficialFigure, OfficialSource
from .reporting import bounded, number

SOURCE_NOTE_MAX = 200  # OfficialFigure.source_note


def _indicator(zone, indicator) -> Indicator:
    code = indicator.code if isinstance(indicator, Indicator) else str(indicator or "").strip()
    for row in indicators_for(zone, active_only=False):
        if row.code == code or row.name == code:
            return row
    raise ValidationError({"indicator": _("未知的指标 %(c)s") % {"c": code}})


def check_official_source(indicator, source: str) -> None:
    """The statistics bureau publishes official indicators only; another authority (the tax
    bureau, the power company …) may publish a figure of any indicator, such as tax."""
    if indicator.source != Indicator.Source.OFFICIAL and source == OfficialSource.STATISTICS:
        raise ValidationError(
            {
                "indicator": _(
                    "「%(n)s」不是官方发布指标;统计局数据只能录入官方指标,"
                    "税务局等其他来源可录入任意指标"
                )
                % {"n": indicator.name}
            }
        )


@transaction.atomic
def save_official(
    actor, zone, *, indicator, period, value, yoy_pct, source, source_note="", version=None
) -> OfficialFigure:
    """Enter or correct a figure an authority published, with its source."""
    if not can_in_zone(actor, OfficialFigure, zone, CHANGE):
        refuse_in_zone(actor, zone, _("无权录入官方数据"))
    indicator = _indicator(zone, indicator)
    errors = {}
    try:
        period = Period.of(period)
    except ValueError as exc:
        errors["period"] = str(exc)
    if source not in OfficialSource.values:
        errors["source"] = _("数据来源应为 %(s)s 之一") % {"s": "、".join(OfficialSource.labels)}
    else:
        try:
            check_official_source(indicator, source)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    numbers = {}
    for field, raw in (("value", value), ("yoy_pct", yoy_pct)):
        try:
            numbers[field] = number(raw)
        except (InvalidOperation, ValueError, TypeError):
            errors[field] = _("应为数字,实际为 %(v)s") % {"v": raw}
    try:
        source_note = bounded(source_note, "source_note", SOURCE_NOTE_MAX, _("来源说明"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not errors and numbers["value"] is None and numbers["yoy_pct"] is None:
        errors["value"] = _("数值和同比增长至少填写一项")
    if errors:
        raise ValidationError(errors)
    zone_id = getattr(zone, "pk", zone)
    figure = (
        OfficialFigure.objects.select_for_update()
        .filter(zone_id=zone_id, indicator=indicator, period=period.key)
        .first()
    )
    before = None
    if figure is None:
        figure = OfficialFigure(zone_id=zone_id, indicator=indicator, period=period.key)
    else:
        check_version(figure, version)
        before = audit.snapshot(figure)
        figure.version += 1
    figure.value, figure.yoy_pct = numbers["value"], numbers["yoy_pct"]
    figure.source, figure.source_note = source, source_note
    figure.entered_by_name = actor.username
    figure.full_clean(exclude={"zone", "indicator"})
    figure.save()
    audit.record(
        actor, AuditRecord.Action.UPDATE if before else AuditRecord.Action.CREATE, figure,
        before=before, after=audit.snapshot(figure),
        repr_=f"{indicator.name} {period.ytd_label()}",
    )  # fmt: skip
    return figure
