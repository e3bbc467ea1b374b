"""The innovation figures of a zone for a year: the API's summary (`summary`) and the cockpit's
fuller figures (`cockpit`), both read the same way.

- a high-tech certificate is valid on a day from its issue date to its expiry date, unless it was
  revoked; "valid" in a year's figures means valid at the end of the year, or today for the
  current year; "new" counts the enterprises whose certificate was issued in the year (a renewal
  is a new certification, as the published figures count it);
- invention patents are Class I patents (invention, PCT invention) granted in the year;
- talents are those selected in the year; platforms those recognised in it;
- cloud counts the distinct enterprises on the cloud by the end of the year.
R&D intensity and the high-tech share are the statistics module's official figures (its engine),
the enterprise-level R&D ratio its computed one.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from gaoxin.core import clock
from gaoxin.core.models.access import VIEW, can_in_zone

from .models import (
    Certification,
    CertKind,
    CertStatus,
    CloudAdoption,
    CloudLevel,
    Level,
    Patent,
    PatentKind,
    Platform,
    Talent,
    Target,
    TechField,
    records,
)
from .models.choices import CLASS_ONE_PATENTS, PROVINCIAL_PLUS

FIRST_YEAR = 2000
TREND_YEARS = 8  # years shown on the cockpit's trend charts
RENEWAL_MONTHS = 12  # a certificate in its last year is in the renewal tier
STATISTICS_CODES = ("rd_intensity", "hightech_share", "rd_revenue_ratio", "rd_spending")


def can_read(user, zone) -> bool:
    """Zone-wide figures are the government side's: officers, leaders, the province."""
    return can_in_zone(user, Target, zone, VIEW)


def check_year(year, today: datetime.date | None = None) -> int:
    """The year asked for, or ValueError with what is allowed."""
    today = today or clock.today()
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not FIRST_YEAR <= year <= today.year:
        raise ValueError(
            _("年度不正确:应为 %(a)s 至 %(b)s 之间的年份") % {"a": FIRST_YEAR, "b": today.year}
        )
    return year


def reference_day(year: int, today: datetime.date | None = None) -> datetime.date:
    """The day a year's "valid" figures hold on: its last day, or today in the current year."""
    today = today or clock.today()
    return today if year >= today.year else datetime.date(year, 12, 31)


def _bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def hightech(zone):
    return Certification.objects.filter(zone=zone, kind=CertKind.HIGHTECH)


def valid_on(zone, day: datetime.date):
    """The high-tech certificates valid on `day`."""
    return Certification.objects.filter(records.held_on(day), zone=zone)


def new_in(zone, year: int):
    """The high-tech certificates issued in `year`."""
    return hightech(zone).filter(status__in=records.HELD, issued_on__range=_bounds(year))


def inventions_granted(zone, year: int):
    return Patent.objects.filter(
        zone=zone, kind__in=CLASS_ONE_PATENTS, granted_on__range=_bounds(year)
    )


def _distinct_enterprises(qs) -> int:
    return qs.values("enterprise").distinct().count()


def summary(zone, year: int, today: datetime.date | None = None) -> dict:
    """The API's figures for `year` (module docstring)."""
    start, end = _bounds(year)
    day = reference_day(year, today)
    platforms = Platform.objects.filter(zone=zone, recognised_on__range=(start, end)).aggregate(
        new=Count("pk"), provincial=Count("pk", filter=Q(level__in=PROVINCIAL_PLUS))
    )
    return {
        "hightech": {
            "valid": _distinct_enterprises(valid_on(zone, day)),
            "new": _distinct_enterprises(new_in(zone, year)),
        },
        "platforms": {"new": platforms["new"], "new_provincial_plus": platforms["provincial"]},
        "patents": {"invention_granted": inventions_granted(zone, year).count()},
        "talents": {
            "provincial_plus": Talent.objects.filter(
                zone=zone, year=year, level__in=PROVINCIAL_PLUS
            ).count()
        },
        "cloud": {
            "enterprises": _distinct_enterprises(
                CloudAdoption.objects.filter(zone=zone, adopted_on__lte=min(end, day))
            )
        },
    }


# -- the cockpit -------------------------------------------------------------------------------


def _by(qs, field: str) -> dict:
    return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("pk"))}


def by_field(zone, year: int, day: datetime.date) -> list[dict]:
    """Valid and new high-tech enterprises by technical field, in the fields' order."""
    valid = {
        r["field"]: r["n"]
        for r in valid_on(zone, day).values("field").annotate(n=Count("enterprise", distinct=True))
    }
    new = {
        r["field"]: r["n"]
        for r in new_in(zone, year).values("field").annotate(n=Count("enterprise", distinct=True))
    }
    rows = [
        {"field": f.value, "label": str(f.label), "valid": valid.get(f.value, 0),
         "new": new.get(f.value, 0)}
        for f in TechField
    ]  # fmt: skip
    if valid.get("") or new.get(""):
        rows.append({"field": "", "label": _("未填写"), "valid": valid.get("", 0),
                     "new": new.get("", 0)})  # fmt: skip
    return rows


def renewal_until(day: datetime.date) -> datetime.date:
    """The last expiry date of the renewal tier seen from `day` (RENEWAL_MONTHS ahead)."""
    month = day.month - 1 + RENEWAL_MONTHS
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def pipeline(zone, day: datetime.date) -> dict:
    """The cultivation pipeline's tiers (培育库) as of `day`: enterprises in reserve (cultivating),
    applied, certified (valid) and, among the certified, in renewal (expiring within 12 months)."""
    open_records = hightech(zone).filter(status__in=(CertStatus.CULTIVATING, CertStatus.APPLIED))
    tiers = {
        s: r
        for s, r in (
            (row["status"], row["n"])
            for row in open_records.values("status").annotate(n=Count("enterprise", distinct=True))
        )
    }
    valid = valid_on(zone, day)
    return {
        "reserve": tiers.get(CertStatus.CULTIVATING, 0),
        "applied": tiers.get(CertStatus.APPLIED, 0),
        "certified": _distinct_enterprises(valid),
        "renewal": _distinct_enterprises(valid.filter(expires_on__lte=renewal_until(day))),
    }


def patents_by_year(zone, year: int, population: int | None) -> list[dict]:
    """Invention patents granted per year up to `year` (TREND_YEARS of them); per 10,000 people
    when the zone set its population for the year."""
    first = max(FIRST_YEAR, year - TREND_YEARS + 1)
    counts = {
        r["granted_on__year"]: r["n"]
        for r in Patent.objects.filter(
            zone=zone, kind__in=CLASS_ONE_PATENTS, granted_on__year__gte=first,
            granted_on__year__lte=year,
        ).values("granted_on__year").annotate(n=Count("pk"))
    }  # fmt: skip
    return [{"year": y, "granted": counts.get(y, 0)} for y in range(first, year + 1)]


def per_10k(count: int, population: int | None) -> Decimal | None:
    if not population:
        return None
    return (Decimal(count) * 10000 / population).quantize(Decimal("0.01"), ROUND_HALF_UP)


def statistics_figures(zone, year: int) -> dict:
    """R&D intensity and the high-tech share (official) and the enterprises' R&D ratio (computed)
    from the statistics module, for the year's December or the latest period of the year."""
    from gaoxin.statistics import catalogue, engine

    latest = engine.latest_period(zone)
    period = year * 100 + 12
    if latest and latest // 100 == year:
        period = min(period, latest)
    indicators = [i for i in catalogue.indicators_for(zone) if i.code in STATISTICS_CODES]
    found = {f.code: f for f in engine.figures(zone, period, indicators=indicators)}
    out = {"period": period}
    for code in STATISTICS_CODES:
        f = found.get(code)
        out[code] = (
            {"name": f.name, "unit": f.unit, "yoy_pct": f.yoy_pct,
             "value": f.value.quantize(Decimal(1).scaleb(-f.indicator.decimal_places),
                                       ROUND_HALF_UP),
             "source": f.source_label}
            if f is not None and f.value is not None
            else None
        )  # fmt: skip
    return out


def cockpit(zone, year: int, today: datetime.date | None = None) -> dict:
    """Everything the cockpit shows for `year`, each figure with the filter of its list."""
    day = reference_day(year, today)
    start, end = _bounds(year)
    target = Target.objects.filter(zone=zone, year=year).first()
    population = target.population if target else None
    base = summary(zone, year, today)
    invention_owned = Patent.objects.filter(
        zone=zone, kind__in=CLASS_ONE_PATENTS, status="granted", granted_on__lte=min(end, day)
    ).count()
    platforms_total = _by(Platform.objects.filter(zone=zone, recognised_on__lte=end), "level")
    platforms_new = _by(
        Platform.objects.filter(zone=zone, recognised_on__range=(start, end)), "level"
    )
    talents = _by(Talent.objects.filter(zone=zone, year=year), "level")
    cloud = _by(CloudAdoption.objects.filter(zone=zone, adopted_on__lte=min(end, day)), "level")
    patents_year = _by(Patent.objects.filter(zone=zone, granted_on__range=(start, end)), "kind")
    return {
        "year": year,
        "day": day,
        "summary": base,
        "target": target,
        "by_field": by_field(zone, year, day),
        "pipeline": pipeline(zone, day),
        "patents": {
            "trend": patents_by_year(zone, year, population),
            "granted_by_kind": [
                {"kind": k.value, "label": str(k.label), "n": patents_year.get(k.value, 0)}
                for k in PatentKind
            ],
            "invention_owned": invention_owned,
            "population": population,
            "granted_per_10k": per_10k(base["patents"]["invention_granted"], population),
            "owned_per_10k": per_10k(invention_owned, population),
        },
        "platforms": [
            {
                "level": lv.value,
                "label": str(lv.label),
                "total": platforms_total.get(lv.value, 0),
                "new": platforms_new.get(lv.value, 0),
            }
            for lv in Level
        ],  # fmt: skip
        "talents": [
            {"level": lv.value, "label": str(lv.label), "n": talents.get(lv.value, 0)}
            for lv in Level
        ],
        "cloud": [
            {"level": lv.value, "label": str(lv.label), "n": cloud.get(lv.value, 0)}
            for lv in CloudLevel
        ],
        "statistics": statistics_figures(zone, year),
    }


def progress(target: Target | None, figures: dict) -> list[dict]:
    """A year's targets beside what was reached (`figures` a `summary`), with the percentage."""
    if target is None:
        return []
    rows = (
        (_("新认定高新技术企业"), target.new_hightech, figures["hightech"]["new"]),
        (_("发明专利授权"), target.invention_patents, figures["patents"]["invention_granted"]),
        (_("新增省级以上平台"), target.provincial_platforms,
         figures["platforms"]["new_provincial_plus"]),
        (_("新增省级以上人才"), target.provincial_talents, figures["talents"]["provincial_plus"]),
        (_("上云企业"), target.cloud_enterprises, figures["cloud"]["enterprises"]),
    )  # fmt: skip
    return [
        {"label": label, "target": goal, "reached": got,
         "pct": min(100, round(got * 100 / goal)) if goal else None}
        for label, goal, got in rows
    ]  # fmt: skip
