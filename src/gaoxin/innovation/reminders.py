"""What the cultivation pipeline reminds people of (issue 14, point 3), as of a day:

- a certificate expiring within 6 months without a renewal (no later high-tech record of the same
  enterprise: a renewal applied for, in cultivation, or already issued);
- an annual report not filed by its due date, of a certificate still valid;
- qualification at risk (risk.zone_at_risk): R&D ratio or high-tech income share toward or below
  its threshold, or reports missed.

The daily job sends them (jobs.py); the pipeline page and the officer's home card list them.
`acts` marks those someone must act on (a report missing, a criterion below its threshold): the
job turns them into matters.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from . import risk
from .models import AnnualReport, Certification, CertKind, CertStatus
from .models.records import valid_on

EXPIRING_MONTHS = 6
EXPIRING = "expiring"
REPORT_MISSING = "report_missing"
AT_RISK = "at_risk"


@dataclass
class Reminder:
    kind: str  # EXPIRING | REPORT_MISSING | AT_RISK
    enterprise: object
    target: object  # the row the reminder is about (a Certification or an AnnualReport)
    message: str
    acts: bool = False  # someone must act: the job opens a matter
    due_on: datetime.date | None = None
    risks: list = field(default_factory=list)

    @property
    def tone(self) -> str:
        return "danger" if self.acts else "warning"


def months_ahead(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _valid(zone, day):
    return Certification.objects.filter(valid_on(day), zone=zone, enterprise__is_deleted=False)


def expiring(zone, day: datetime.date) -> list[Reminder]:
    later = Certification.objects.filter(
        kind=CertKind.HIGHTECH, enterprise=OuterRef("enterprise")
    ).filter(
        Q(status__in=(CertStatus.CULTIVATING, CertStatus.APPLIED))
        | Q(issued_on__gt=OuterRef("issued_on"))
    )
    certs = (
        _valid(zone, day)
        .filter(expires_on__lte=months_ahead(day, EXPIRING_MONTHS))
        .exclude(Exists(later))
        .select_related("enterprise")
        .order_by("expires_on", "pk")
    )
    return [
        Reminder(
            EXPIRING,
            c.enterprise,
            c,
            _("%(e)s 的高新技术企业证书 %(n)s 将于 %(d)s 到期,尚未申报重新认定")
            % {"e": c.enterprise.name, "n": c.number or "—", "d": c.expires_on.isoformat()},
            due_on=c.expires_on,
        )  # fmt: skip
        for c in certs
    ]


def reports_missing(zone, day: datetime.date) -> list[Reminder]:
    reports = (
        AnnualReport.objects.filter(
            zone=zone,
            filed_on__isnull=True,
            due_on__lt=day,
            certification__in=_valid(zone, day),
        )  # fmt: skip
        .select_related("certification__enterprise")
        .order_by("due_on", "pk")
    )
    return [
        Reminder(
            REPORT_MISSING,
            r.certification.enterprise,
            r,
            _("%(e)s 的 %(y)s 年度高企年报已过截止日期 %(d)s 仍未填报")
            % {"e": r.certification.enterprise.name, "y": r.year, "d": r.due_on.isoformat()},
            acts=True,
            due_on=r.due_on,
        )  # fmt: skip
        for r in reports
    ]


def at_risk(zone, day: datetime.date) -> list[Reminder]:
    found = risk.zone_at_risk(zone, day)
    if not found:
        return []
    certs = {
        c.enterprise_id: c
        for c in _valid(zone, day).filter(enterprise_id__in=found).select_related("enterprise")
    }
    out = []
    for enterprise_id, risks in sorted(found.items()):
        cert = certs.get(enterprise_id)
        if cert is None:
            continue
        # Reports are reminded of on their own (reports_missing); here the criteria.
        criteria = [r for r in risks if r.kind != "annual_report"]
        if not criteria:
            continue
        out.append(
            Reminder(
                AT_RISK,
                cert.enterprise,
                cert,
                _("%(e)s 高企资格存在风险:%(why)s")
                % {"e": cert.enterprise.name, "why": ";".join(r.message for r in criteria)},
                acts=any(r.below for r in criteria),
                risks=criteria,
            )  # fmt: skip
        )
    return out


def for_zone(zone, day: datetime.date) -> list[Reminder]:
    """Every reminder of the zone on `day`: those to act on first."""
    found = expiring(zone, day) + reports_missing(zone, day) + at_risk(zone, day)
    return sorted(found, key=lambda r: not r.acts)
